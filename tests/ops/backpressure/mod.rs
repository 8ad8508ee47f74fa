//! On_backpressure_buffer/drop/latest/error/reduce, limit_rate.

pub(crate) mod paced;
pub(crate) mod strategy;
pub(crate) mod support;

mod limit_rate;
mod on_backpressure_buffer;
mod on_backpressure_drop;
mod on_backpressure_error;
mod on_backpressure_latest;
mod on_backpressure_reduce;
