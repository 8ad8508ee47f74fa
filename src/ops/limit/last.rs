//! `last`: the last item alone, then completion; an empty stream completes
//! empty.
//!
//! Like `Iterator::last` and RxJava's `lastElement()`, a stream without items
//! gives no item; Reactor's `last()` fails instead. Chain
//! [`default_if_empty`](crate::PublisherExt::default_if_empty) for a
//! fallback.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed (the last
//! item is known only at the end, and the ones before it go nowhere); the
//! item goes out when upstream completes and downstream has requested (any
//! `n >= 1`), whichever comes second. The machinery is the aggregates'
//! (`fold.rs`, `scalar.rs`).
//!
//! Threads: runs on the thread that signals; the item goes out on that
//! thread or on the one that requests.

use core::fmt;

use crate::error::Error;
use crate::ops::support::fold::{Fold, FoldSubscriber};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`last`](crate::PublisherExt::last) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Last<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for Last<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Last")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P> Last<P> {
    pub(crate) fn new(upstream: P) -> Self {
        Last { upstream }
    }
}

impl<P: Publisher> Publisher for Last<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream
            .subscribe(FoldSubscriber::new(subscriber, LastFold(None)));
    }
}

/// `last`'s fold: the latest item.
struct LastFold<T>(Option<T>);

impl<T: Send + 'static> Fold<T> for LastFold<T> {
    type Output = T;

    #[inline]
    fn push(&mut self, item: T) -> Result<bool, Error> {
        self.0 = Some(item);
        Ok(true)
    }

    fn finish(&mut self) -> Option<T> {
        self.0.take()
    }
}
