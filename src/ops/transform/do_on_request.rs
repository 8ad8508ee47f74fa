//! `do_on_request`: calls a closure with each `request(n)` the downstream
//! makes, before it goes upstream.
//!
//! # Demand
//!
//! 1:1; every request goes upstream unchanged, after the closure. Requests
//! after `cancel` are not shown (they do nothing, §3.6).
//!
//! Threads: the closure runs on whichever thread calls `request`. The
//! downstream gets a wrapper subscription, and every signal to the downstream
//! passes through a drain, so that a panic in the closure (on the requesting
//! thread) can fail the downstream without overlapping upstream's signals
//! (§1.3); see the implementation notes in `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`do_on_request`](crate::PublisherExt::do_on_request) method.
    pub struct DoOnRequest<P, F> => OnRequest where F: Fn(u64) + Send + Sync + 'static
}
