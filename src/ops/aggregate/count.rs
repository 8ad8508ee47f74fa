//! `count`: the number of items, emitted as one `u64`.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the count
//! goes out when upstream completes and downstream has requested (any
//! `n >= 1`), whichever comes second (`fold.rs`, `scalar.rs`).
//!
//! Threads: counts on the thread that signals; the result goes out on that
//! thread or on the one that requests.

use core::fmt;

use crate::error::Error;
use crate::ops::support::fold::{Fold, FoldSubscriber};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`count`](crate::PublisherExt::count) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Count<P> {
    upstream: P,
}

impl<P: fmt::Debug> fmt::Debug for Count<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Count")
            .field("upstream", &self.upstream)
            .finish()
    }
}

impl<P> Count<P> {
    pub(crate) fn new(upstream: P) -> Self {
        Count { upstream }
    }
}

impl<P: Publisher> Publisher for Count<P> {
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        self.upstream
            .subscribe(FoldSubscriber::new(subscriber, CountFold(0)));
    }
}

/// `count`'s fold: the items seen.
struct CountFold(u64);

impl<T> Fold<T> for CountFold {
    type Output = u64;

    #[inline]
    fn push(&mut self, _item: T) -> Result<bool, Error> {
        self.0 += 1;
        Ok(true)
    }

    fn finish(&mut self) -> Option<u64> {
        Some(self.0)
    }
}
