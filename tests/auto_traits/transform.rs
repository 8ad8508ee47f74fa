//! Auto traits of the transform operators.
