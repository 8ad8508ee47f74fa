//! `take_while`: items while a predicate holds, then completion.
//!
//! The first item for which the predicate returns false is dropped; upstream
//! is cancelled and the stream completes.
//!
//! # Demand
//!
//! One for one: each request goes straight upstream (the downstream receives
//! the upstream subscription itself).
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`take_while`](crate::PublisherExt::take_while) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct TakeWhile<P, F> {
    upstream: P,
    predicate: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for TakeWhile<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TakeWhile")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for TakeWhile<P, F> {
    fn clone(&self) -> Self {
        TakeWhile {
            upstream: self.upstream.clone(),
            predicate: Arc::clone(&self.predicate),
        }
    }
}

impl<P, F> TakeWhile<P, F> {
    pub(crate) fn new(upstream: P, predicate: F) -> Self {
        TakeWhile {
            upstream,
            predicate: Arc::new(predicate),
        }
    }
}

impl<P, F> Publisher for TakeWhile<P, F>
where
    P: Publisher,
    F: Fn(&P::Item) -> bool + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(TakeWhileSubscriber {
            relay: Relay::new(subscriber),
            predicate: Arc::clone(&self.predicate),
        });
    }
}

/// `take_while`'s subscriber to upstream.
pub(crate) struct TakeWhileSubscriber<S, F> {
    relay: Relay<S>,
    predicate: Arc<F>,
}

impl<S, F> TakeWhileSubscriber<S, F> {
    /// Tests `item`: true when it passes; otherwise the stream has ended
    /// (completed, or failed when the predicate panicked).
    #[inline]
    fn test<T>(&mut self, item: &T) -> bool
    where
        S: Subscriber<T>,
        F: Fn(&T) -> bool,
    {
        if self.relay.is_done() {
            return false; // §2.8: late items after our own cancel are ignored
        }
        let predicate = &self.predicate;
        match guard(|| predicate(item)) {
            Ok(true) => true,
            Ok(false) => {
                self.relay.complete_early();
                false
            }
            Err(error) => {
                self.relay.fail(error);
                false
            }
        }
    }
}

impl<S, F, T> Subscriber<T> for TakeWhileSubscriber<S, F>
where
    S: Subscriber<T>,
    F: Fn(&T) -> bool + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.test(&item) {
            self.relay.downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        // The item that ends the stream counts: nothing is pulled after it.
        !self.test(&item) || self.relay.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
