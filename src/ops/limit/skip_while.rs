//! `skip_while`: drops items while a predicate holds, then passes every item
//! from the first one for which it returns false (the predicate is not called
//! again).
//!
//! # Demand
//!
//! One for one for passed items: each request goes straight upstream. A
//! dropped item costs no request when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next), as every synchronous
//! source and operator of this crate does; otherwise `skip_while` requests
//! one more item upstream for each dropped one.
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`skip_while`](crate::PublisherExt::skip_while) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct SkipWhile<P, F> {
    upstream: P,
    predicate: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for SkipWhile<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SkipWhile")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for SkipWhile<P, F> {
    fn clone(&self) -> Self {
        SkipWhile {
            upstream: self.upstream.clone(),
            predicate: Arc::clone(&self.predicate),
        }
    }
}

impl<P, F> SkipWhile<P, F> {
    pub(crate) fn new(upstream: P, predicate: F) -> Self {
        SkipWhile {
            upstream,
            predicate: Arc::new(predicate),
        }
    }
}

impl<P, F> Publisher for SkipWhile<P, F>
where
    P: Publisher,
    F: Fn(&P::Item) -> bool + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(SkipWhileSubscriber {
            relay: Relay::new(subscriber),
            predicate: Arc::clone(&self.predicate),
            skipping: true,
        });
    }
}

/// `skip_while`'s subscriber to upstream.
pub(crate) struct SkipWhileSubscriber<S, F> {
    relay: Relay<S>,
    predicate: Arc<F>,
    /// True until the predicate first returns false.
    skipping: bool,
}

/// What to do with an item.
enum Verdict {
    Pass,
    Drop,
    /// The stream is over (the predicate panicked, or a late item).
    Over,
}

impl<S, F> SkipWhileSubscriber<S, F> {
    #[inline]
    fn judge<T>(&mut self, item: &T) -> Verdict
    where
        S: Subscriber<T>,
        F: Fn(&T) -> bool,
    {
        if self.relay.is_done() {
            return Verdict::Over; // §2.8: late items after our own cancel are ignored
        }
        if !self.skipping {
            return Verdict::Pass;
        }
        let predicate = &self.predicate;
        match guard(|| predicate(item)) {
            Ok(true) => Verdict::Drop,
            Ok(false) => {
                self.skipping = false;
                Verdict::Pass
            }
            Err(error) => {
                self.relay.fail(error);
                Verdict::Over
            }
        }
    }
}

impl<S, F, T> Subscriber<T> for SkipWhileSubscriber<S, F>
where
    S: Subscriber<T>,
    F: Fn(&T) -> bool + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        match self.judge(&item) {
            Verdict::Pass => self.relay.downstream.on_next(item),
            // Upstream counted this item against demand: replace it.
            Verdict::Drop => self.relay.request(1),
            Verdict::Over => {}
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        match self.judge(&item) {
            Verdict::Pass => self.relay.downstream.try_on_next(item),
            Verdict::Drop => false,
            Verdict::Over => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
