//! On_backpressure_buffer/drop/latest/error/reduce, limit_rate.

pub(crate) mod paced;
pub(crate) mod support;
