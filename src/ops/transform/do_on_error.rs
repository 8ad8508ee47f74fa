//! `do_on_error`: calls a closure with a reference to the error that ends a
//! failed stream, then passes the error on.
//!
//! # Demand
//!
//! 1:1; requests go straight upstream (the downstream receives the upstream
//! subscription itself).
//!
//! Threads: the closure runs on the thread that signals the error. Built on
//! the generic tap in `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`do_on_error`](crate::PublisherExt::do_on_error) method.
    pub struct DoOnError<P, F> => OnError where F: Fn(&crate::Error) + Send + Sync + 'static
}
