//! Auto traits of the backpressure operators.
