//! The rate family (throttle_rate, aimd, shed_by_priority) and the adaptive
//! polling source: virtual-time tests for the timed ones, properties for
//! shedding.

mod aimd;
mod poll_adaptive;
mod shed_by_priority;
mod throttle_rate;
