//! Behaviour of the schedulers: one test binary, one module per scheduler,
//! plus the worker's promises checked on every scheduler (`worker.rs`).
//!
//! No test sleeps to make time pass or asserts on durations: timed behaviour
//! is checked in virtual time; on real threads, tests wait for events with
//! channels (with a generous timeout, so a bug fails instead of hanging).

mod blocking;
mod executor;
mod immediate;
mod parallel;
mod probe;
mod single;
mod stress;
mod virtual_time;
mod worker;
