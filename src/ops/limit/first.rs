//! `first`: the first item alone, then completion; an empty stream completes
//! empty.
//!
//! Reactor calls it `next()`, RxJava `firstElement()`; like both (and like
//! `Iterator::next`), a stream without items gives no item rather than an
//! error. Chain [`default_if_empty`](crate::PublisherExt::default_if_empty)
//! for a fallback, or use [`element_at(0)`](crate::PublisherExt::element_at)
//! for an error. Once the item has arrived, upstream is cancelled.
//!
//! # Demand
//!
//! Nothing until downstream requests; then 1 upstream, once (Reactor's
//! `next()` asks for everything and cancels after the first).
//!
//! Threads: runs on the thread that signals; `request` and `cancel` may come
//! from any thread. The machinery is `element_at`'s (`element_at.rs`).

use core::fmt;

use super::element_at::{ElementAtSubscriber, Missing};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`first`](crate::PublisherExt::first) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct First<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for First<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("First")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P> First<P> {
    pub(crate) fn new(upstream: P) -> Self {
        First { upstream }
    }
}

impl<P: Publisher> Publisher for First<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream
            .subscribe(ElementAtSubscriber::new(subscriber, 0, Missing::Complete));
    }
}
