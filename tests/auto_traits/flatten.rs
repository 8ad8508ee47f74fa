//! Auto traits of the flatten operators.
