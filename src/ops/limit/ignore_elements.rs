//! `ignore_elements`: drops every item and passes on only the end, completion
//! or error.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed, whatever
//! downstream asks for. Downstream never receives an item, so its demand
//! bounds nothing, and the end it waits for needs no demand (§2.9, §2.10);
//! requesting one item per dropped item instead would make upstream wait
//! for requests that nobody needs, and cost an asynchronous upstream one
//! `request` call per item. Downstream's own `request` and `cancel` reach
//! upstream unchanged (the downstream receives the upstream subscription
//! itself), so `request(0)` still fails the stream (§3.9) and `cancel` stops
//! it.
//!
//! Threads: runs on the thread that signals.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`ignore_elements`](crate::PublisherExt::ignore_elements)
/// method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct IgnoreElements<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for IgnoreElements<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IgnoreElements")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P> IgnoreElements<P> {
    pub(crate) fn new(upstream: P) -> Self {
        IgnoreElements { upstream }
    }
}

impl<P: Publisher> Publisher for IgnoreElements<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(IgnoreElementsSubscriber {
            relay: Relay::new(subscriber),
        });
    }
}

/// `ignore_elements`' subscriber to upstream.
pub(crate) struct IgnoreElementsSubscriber<S> {
    relay: Relay<S>,
}

impl<S, T> Subscriber<T> for IgnoreElementsSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
        // After on_subscribe: a downstream that cancelled inside it has
        // cancelled upstream, and this request is then a no-op (§3.6).
        self.relay.request(UNBOUNDED);
    }

    #[inline]
    fn on_next(&mut self, _item: T) {}

    #[inline]
    fn try_on_next(&mut self, _item: T) -> bool {
        // Dropped. Under unbounded demand nothing is counted either way.
        false
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
