//! `inspect`: calls a closure with a reference to each item, then passes the
//! item on. The Rust name (as `Iterator::inspect`) of Reactor's `doOnNext`;
//! [`do_on_next`](crate::PublisherExt::do_on_next) is the same tap under the
//! JVM name.
//!
//! # Demand
//!
//! 1:1; requests go straight upstream (the downstream receives the upstream
//! subscription itself).
//!
//! Threads: the closure runs on the thread that signals. Built on the generic
//! tap in `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`inspect`](crate::PublisherExt::inspect) method.
    pub struct Inspect<P, F> => OnNext where F: Fn(&P::Item) + Send + Sync + 'static
}
