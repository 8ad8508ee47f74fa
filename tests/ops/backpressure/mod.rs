//! On_backpressure_buffer/drop/latest/error/reduce, limit_rate.
