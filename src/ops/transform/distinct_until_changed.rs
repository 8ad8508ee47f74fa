//! `distinct_until_changed`: drops each item equal to the one just before
//! it, as [`Vec::dedup`] does.
//!
//! Each subscription keeps a clone of the last passed item, to compare the
//! next one with.
//!
//! # Demand
//!
//! 1:1 for passed items. A dropped repeat is replaced without a `request(1)`
//! round trip when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next); otherwise
//! `distinct_until_changed` requests one more item upstream for each dropped
//! one.
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the
/// [`distinct_until_changed`](crate::PublisherExt::distinct_until_changed)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct DistinctUntilChanged<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for DistinctUntilChanged<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DistinctUntilChanged")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P: Clone> Clone for DistinctUntilChanged<P> {
    fn clone(&self) -> Self {
        DistinctUntilChanged {
            upstream: self.upstream.clone(),
        }
    }
}

impl<P> DistinctUntilChanged<P> {
    pub(crate) fn new(upstream: P) -> Self {
        DistinctUntilChanged { upstream }
    }
}

impl<P> Publisher for DistinctUntilChanged<P>
where
    P: Publisher,
    P::Item: PartialEq + Clone,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(DistinctUntilChangedSubscriber {
            relay: Relay::new(subscriber),
            last: None,
        });
    }
}

/// `distinct_until_changed`'s subscriber to upstream: the last passed item.
pub(crate) struct DistinctUntilChangedSubscriber<S, T> {
    relay: Relay<S>,
    last: Option<T>,
}

impl<S, T> Subscriber<T> for DistinctUntilChangedSubscriber<S, T>
where
    S: Subscriber<T>,
    T: PartialEq + Clone + Send,
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
        // The item's `PartialEq` and `Clone` are user code: a panic in them
        // fails the stream like a panicking closure.
        let last = &mut self.last;
        let changed = guard(|| {
            if last.as_ref() == Some(&item) {
                return None;
            }
            *last = Some(item.clone());
            Some(item)
        });
        match changed {
            Ok(Some(item)) => self.relay.downstream.try_on_next(item),
            Ok(None) => false,
            Err(error) => {
                self.last = None;
                self.relay.fail(error);
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.last = None;
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.last = None;
        self.relay.on_complete();
    }
}
