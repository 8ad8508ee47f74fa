//! Behaviour of every operator: one test binary, one module per operator.
//!
//! Each module runs the shared scenarios of [`harness`] (one item at a time,
//! unbounded, cancel midway, an error from upstream, a panic in the user
//! closure) plus what is particular to its operator.

mod harness;

mod filter;
mod map;
