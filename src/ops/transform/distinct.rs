//! `distinct`: passes each item the first time it is seen, and drops the
//! items equal to one seen before.
//!
//! Each subscription keeps its own set of the items seen so far (a clone of
//! each passed item), so memory grows with the number of distinct items: use
//! it on streams of bounded variety, or
//! [`distinct_until_changed`](crate::PublisherExt::distinct_until_changed)
//! when only consecutive repeats matter.
//!
//! # Demand
//!
//! 1:1 for passed items. A dropped repeat is replaced without a `request(1)`
//! round trip when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next); otherwise `distinct`
//! requests one more item upstream for each dropped one.
//!
//! Threads: runs on the thread that signals.

use core::fmt;
use core::hash::Hash;
use std::collections::HashSet;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`distinct`](crate::PublisherExt::distinct) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Distinct<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for Distinct<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Distinct")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P: Clone> Clone for Distinct<P> {
    fn clone(&self) -> Self {
        Distinct {
            upstream: self.upstream.clone(),
        }
    }
}

impl<P> Distinct<P> {
    pub(crate) fn new(upstream: P) -> Self {
        Distinct { upstream }
    }
}

impl<P> Publisher for Distinct<P>
where
    P: Publisher,
    P::Item: Eq + Hash + Clone,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(DistinctSubscriber {
            relay: Relay::new(subscriber),
            seen: HashSet::new(),
        });
    }
}

/// `distinct`'s subscriber to upstream: the set of items seen by this
/// subscription.
pub(crate) struct DistinctSubscriber<S, T> {
    relay: Relay<S>,
    seen: HashSet<T>,
}

impl<S, T> Subscriber<T> for DistinctSubscriber<S, T>
where
    S: Subscriber<T>,
    T: Eq + Hash + Clone + Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Upstream counts every on_next against demand: replace a dropped
        // repeat (or an item the downstream rejected) with a request.
        if !self.try_on_next(item) {
            self.relay.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true; // §2.8: late items after our own cancel are ignored
        }
        // The item's `Hash`, `Eq` and `Clone` are user code: a panic in them
        // fails the stream like a panicking closure.
        let seen = &mut self.seen;
        let first = guard(|| {
            if seen.contains(&item) {
                return None;
            }
            seen.insert(item.clone());
            Some(item)
        });
        match first {
            Ok(Some(item)) => self.relay.downstream.try_on_next(item),
            Ok(None) => false,
            Err(error) => {
                self.seen = HashSet::new();
                self.relay.fail(error);
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.seen = HashSet::new();
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.seen = HashSet::new();
        self.relay.on_complete();
    }
}
