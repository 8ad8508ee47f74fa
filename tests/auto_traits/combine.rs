//! Auto traits of the combine operators.
