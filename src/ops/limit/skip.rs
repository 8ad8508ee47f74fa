//! `skip`: drops the first `n` items, then passes the rest.
//!
//! # Demand
//!
//! One for one for passed items: each request goes straight upstream (the
//! downstream receives the upstream subscription itself). A skipped item
//! costs no request when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next), as every synchronous
//! source and operator of this crate does; otherwise `skip` requests one
//! more item upstream for each skipped one. So `skip(n)` asks for nothing
//! until downstream does, and never more than `n` beyond what downstream
//! asked for.
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`skip`](crate::PublisherExt::skip) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Skip<P> {
    upstream: P,
    n: u64,
}

impl<P: fmt::Debug> fmt::Debug for Skip<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Skip")
            .field("upstream", &self.upstream)
            .field("n", &self.n)
            .finish()
    }
}

impl<P> Skip<P> {
    pub(crate) fn new(upstream: P, n: u64) -> Self {
        Skip { upstream, n }
    }
}

impl<P: Publisher> Publisher for Skip<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(SkipSubscriber {
            relay: Relay::new(subscriber),
            remaining: self.n,
        });
    }
}

/// `skip`'s subscriber to upstream.
pub(crate) struct SkipSubscriber<S> {
    relay: Relay<S>,
    /// Items still to drop.
    remaining: u64,
}

impl<S, T> Subscriber<T> for SkipSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.relay.is_done() {
            return; // §1.7 broken upstream: nothing after its terminal
        }
        if self.remaining == 0 {
            self.relay.downstream.on_next(item);
        } else {
            // Upstream counted this item against demand: replace it.
            self.remaining -= 1;
            self.relay.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return false;
        }
        if self.remaining == 0 {
            self.relay.downstream.try_on_next(item)
        } else {
            self.remaining -= 1;
            false
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
