//! `map`: transforms each item with a closure.
//!
//! Demand: 1:1; requests go straight upstream (the downstream receives the
//! upstream subscription itself). Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber, Subscription};

/// Publisher for the [`map`](crate::PublisherExt::map) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Map<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for Map<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for Map<P, F> {
    fn clone(&self) -> Self {
        Map {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> Map<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        Map {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, U> Publisher for Map<P, F>
where
    P: Publisher,
    F: Fn(P::Item) -> U + Send + Sync + 'static,
    U: Send + 'static,
{
    type Item = U;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<U> + 'static,
    {
        self.upstream.subscribe(MapSubscriber {
            relay: Relay::new(subscriber),
            f: Arc::clone(&self.f),
        });
    }
}

/// `map`'s subscriber to upstream.
pub(crate) struct MapSubscriber<S, F> {
    relay: Relay<S>,
    f: Arc<F>,
}

impl<S, F, T, U> Subscriber<T> for MapSubscriber<S, F>
where
    S: Subscriber<U>,
    F: Fn(T) -> U + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Not through `try_on_next`: a dropping stage downstream must see a
        // plain `on_next`, so that it asks for a replacement itself.
        if self.relay.is_done() {
            return;
        }
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.on_next(mapped),
            Err(error) => self.relay.fail(error),
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true; // §2.8: late items after our own cancel are ignored
        }
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.try_on_next(mapped),
            Err(error) => {
                self.relay.fail(error);
                true
            }
        }
    }

    #[inline]
    fn try_on_next_fused(&mut self, item: T, fused: Fused) -> bool {
        // No `is_done` check: the caller stops at once after our `fail`
        // (which cancels it) and after a terminal signal.
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.try_on_next_fused(mapped, fused),
            Err(error) => {
                self.relay.fail(error);
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
