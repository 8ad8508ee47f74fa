//! `on_backpressure_error`: requests without bound upstream and fails the
//! stream with an overflow error at the first item that arrives when the
//! downstream has no demand for it.
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream, once the downstream has
//! its subscription (a request made inside `on_subscribe` is in place before
//! the first item). Items within the downstream's demand pass through; the
//! first one beyond it cancels upstream and becomes `on_error` with
//! [`ErrorKind::Overflow`](crate::ErrorKind::Overflow). Threads: runs on the
//! upstream's thread; a `request` only adds demand.
//!
//! # Implementation notes
//!
//! The subscriber is `on_backpressure_drop`'s, with "fail" in place of
//! "drop"; its state, access rules and races are documented in
//! `on_backpressure_drop.rs`.

use core::fmt;

use super::on_backpressure_drop::{DirectSubscriber, NoDemand};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`on_backpressure_error`](crate::PublisherExt::on_backpressure_error)
/// method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct OnBackpressureError<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for OnBackpressureError<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBackpressureError")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P> OnBackpressureError<P> {
    pub(crate) fn new(upstream: P) -> Self {
        OnBackpressureError { upstream }
    }
}

impl<P: Publisher> Publisher for OnBackpressureError<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream
            .subscribe(DirectSubscriber::new(subscriber, NoDemand::Error));
    }
}
