//! Behaviour of every operator: one test binary, one module per operator,
//! grouped by family.
//!
//! Each operator module runs the shared scenarios of [`harness`] (one item at
//! a time, unbounded, cancel midway, an error from upstream, a panic in the
//! user closure), a property check against a reference model ([`model`]),
//! and what is particular to its operator.

#[path = "../support/async_work.rs"]
mod async_work;
mod harness;
mod model;

mod aggregate;
mod backpressure;
mod combine;
mod errors;
mod flatten;
mod interop;
mod limit;
mod multicast;
mod panics;
mod parallel;
mod rate;
mod schedule;
mod time;
mod transform;
