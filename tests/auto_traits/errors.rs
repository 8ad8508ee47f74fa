//! Auto traits of the errors operators.
