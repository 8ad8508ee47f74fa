//! `filter`: keeps the items a predicate accepts.
//!
//! Demand: 1:1 for kept items. A rejected item is replaced without a
//! `request(1)` round trip when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next) (every synchronous source
//! and operator of this crate does); otherwise `filter` requests one more
//! item upstream for each rejected one. Threads: runs on the thread that
//! signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber, Subscription};

/// Publisher for the [`filter`](crate::PublisherExt::filter) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Filter<P, F> {
    upstream: P,
    predicate: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for Filter<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Filter")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for Filter<P, F> {
    fn clone(&self) -> Self {
        Filter {
            upstream: self.upstream.clone(),
            predicate: Arc::clone(&self.predicate),
        }
    }
}

impl<P, F> Filter<P, F> {
    pub(crate) fn new(upstream: P, predicate: F) -> Self {
        Filter {
            upstream,
            predicate: Arc::new(predicate),
        }
    }
}

impl<P, F> Publisher for Filter<P, F>
where
    P: Publisher,
    F: Fn(&P::Item) -> bool + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(FilterSubscriber {
            relay: Relay::new(subscriber),
            predicate: Arc::clone(&self.predicate),
        });
    }
}

/// `filter`'s subscriber to upstream.
pub(crate) struct FilterSubscriber<S, F> {
    relay: Relay<S>,
    predicate: Arc<F>,
}

impl<S, F, T> Subscriber<T> for FilterSubscriber<S, F>
where
    S: Subscriber<T>,
    F: Fn(&T) -> bool + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Upstream counts every on_next against demand: replace a rejected
        // item with a request of our own.
        if !self.try_on_next(item) {
            self.relay.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true;
        }
        let predicate = &self.predicate;
        match guard(|| predicate(&item)) {
            Ok(true) => self.relay.downstream.try_on_next(item),
            Ok(false) => false,
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
        let predicate = &self.predicate;
        match guard(|| predicate(&item)) {
            Ok(true) => self.relay.downstream.try_on_next_fused(item, fused),
            Ok(false) => false,
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
