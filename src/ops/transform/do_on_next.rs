//! `do_on_next`: calls a closure with a reference to each item, then passes
//! the item on (Reactor's `doOnNext`; the same tap as
//! [`inspect`](crate::PublisherExt::inspect)).
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
    /// Publisher for the [`do_on_next`](crate::PublisherExt::do_on_next) method.
    pub struct DoOnNext<P, F> => OnNext where F: Fn(&P::Item) + Send + Sync + 'static
}
