//! `filter_map`: maps each item to an `Option` and keeps the `Some`s.
//!
//! # Demand
//!
//! 1:1 for kept items. A dropped item (`None`) is replaced without a
//! `request(1)` round trip when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next) (every synchronous source
//! and operator of this crate does); otherwise `filter_map` requests one more
//! item upstream for each dropped one.
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber, Subscription};

/// Publisher for the [`filter_map`](crate::PublisherExt::filter_map) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct FilterMap<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for FilterMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilterMap")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for FilterMap<P, F> {
    fn clone(&self) -> Self {
        FilterMap {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> FilterMap<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        FilterMap {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, U> Publisher for FilterMap<P, F>
where
    P: Publisher,
    F: Fn(P::Item) -> Option<U> + Send + Sync + 'static,
    U: Send + 'static,
{
    type Item = U;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<U> + 'static,
    {
        self.upstream.subscribe(FilterMapSubscriber {
            relay: Relay::new(subscriber),
            f: Arc::clone(&self.f),
        });
    }
}

/// `filter_map`'s subscriber to upstream.
pub(crate) struct FilterMapSubscriber<S, F> {
    relay: Relay<S>,
    f: Arc<F>,
}

impl<S, F, T, U> Subscriber<T> for FilterMapSubscriber<S, F>
where
    S: Subscriber<U>,
    F: Fn(T) -> Option<U> + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Upstream counts every on_next against demand: replace a dropped
        // item (ours, or one the downstream rejected) with a request.
        if !self.try_on_next(item) {
            self.relay.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true; // §2.8: late items after our own cancel are ignored
        }
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(Some(mapped)) => self.relay.downstream.try_on_next(mapped),
            Ok(None) => false,
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
            Ok(Some(mapped)) => self.relay.downstream.try_on_next_fused(mapped, fused),
            Ok(None) => false,
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
