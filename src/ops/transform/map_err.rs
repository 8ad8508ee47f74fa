//! `map_err`: transforms the error that ends a failed stream.
//!
//! Items and completion pass through untouched; an `on_error` from upstream
//! goes through the closure first.
//!
//! # Demand
//!
//! 1:1; requests go straight upstream (the downstream receives the upstream
//! subscription itself).
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`map_err`](crate::PublisherExt::map_err) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct MapErr<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for MapErr<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapErr")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for MapErr<P, F> {
    fn clone(&self) -> Self {
        MapErr {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> MapErr<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        MapErr {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F> Publisher for MapErr<P, F>
where
    P: Publisher,
    F: Fn(Error) -> Error + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(MapErrSubscriber {
            relay: Relay::new(subscriber),
            f: Arc::clone(&self.f),
        });
    }
}

/// `map_err`'s subscriber to upstream.
pub(crate) struct MapErrSubscriber<S, F> {
    relay: Relay<S>,
    f: Arc<F>,
}

impl<S, F, T> Subscriber<T> for MapErrSubscriber<S, F>
where
    S: Subscriber<T>,
    F: Fn(Error) -> Error + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if !self.relay.is_done() {
            self.relay.downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.relay.is_done() || self.relay.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        if self.relay.is_done() {
            return;
        }
        let f = &self.f;
        // A panic in `f` replaces the error: upstream is done already, so
        // there is nothing to cancel.
        let error = guard(|| f(error)).unwrap_or_else(|panic| panic);
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
