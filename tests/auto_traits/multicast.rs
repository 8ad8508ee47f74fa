//! Auto traits of the multicast operators.
