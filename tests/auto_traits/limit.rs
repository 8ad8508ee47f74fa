//! Auto traits of the limit operators.
