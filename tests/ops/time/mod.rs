//! Interval, timer, delay, delay_subscription, timeout, debounce, sample,
//! throttle_first, throttle_last, buffer_timeout, take_for, elapsed,
//! timestamp: all in virtual time (no sleep, no assertion on real time).

pub(crate) mod support;

mod buffer_timeout;
mod debounce;
mod delay;
mod delay_subscription;
mod elapsed;
mod interval;
mod sample;
mod stress;
mod take_for;
mod throttle_first;
mod throttle_last;
mod timeout;
mod timer;
mod timestamp;
