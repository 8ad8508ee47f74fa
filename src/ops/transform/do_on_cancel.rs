//! `do_on_cancel`: calls a closure when the downstream cancels, before the
//! cancel goes upstream. Only the first `cancel` counts (§3.7).
//!
//! # Demand
//!
//! 1:1; every request goes upstream unchanged.
//!
//! Threads: the closure runs on the thread that calls `cancel`. The
//! downstream gets a wrapper subscription, and every signal to the downstream
//! passes through a drain, so that the downstream is dropped as soon as it
//! cancels (§3.13) and a panic in the closure can reach it without
//! overlapping upstream's signals (§1.3); see the implementation notes in
//! `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`do_on_cancel`](crate::PublisherExt::do_on_cancel) method.
    pub struct DoOnCancel<P, F> => OnCancel where F: Fn() + Send + Sync + 'static
}
