//! Auto traits of the aggregate operators.
