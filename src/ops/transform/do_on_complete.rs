//! `do_on_complete`: calls a closure when the stream completes, before the
//! completion goes downstream.
//!
//! # Demand
//!
//! 1:1; requests go straight upstream (the downstream receives the upstream
//! subscription itself).
//!
//! Threads: the closure runs on the thread that signals completion. Built on
//! the generic tap in `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`do_on_complete`](crate::PublisherExt::do_on_complete) method.
    pub struct DoOnComplete<P, F> => OnComplete where F: Fn() + Send + Sync + 'static
}
