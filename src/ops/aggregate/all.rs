//! `all`: whether every item satisfies a predicate, emitted as one `bool`;
//! true for an empty stream.
//!
//! Short-circuits as `Iterator::all` does: at the first item for which the
//! predicate returns false, upstream is cancelled and `false` is the result.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the result
//! goes out when it is known (upstream completed, or a false was met) and
//! downstream has requested (any `n >= 1`), whichever comes second
//! (`fold.rs`, `scalar.rs`).
//!
//! Threads: tests on the thread that signals; the result goes out on that
//! thread or on the one that requests.

use core::fmt;

use crate::error::Error;
use crate::ops::support::fold::{Fold, FoldSubscriber};
use crate::ops::support::guard::guard;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`all`](crate::PublisherExt::all) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct All<P, F> {
    upstream: P,
    predicate: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for All<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("All")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for All<P, F> {
    fn clone(&self) -> Self {
        All {
            upstream: self.upstream.clone(),
            predicate: Arc::clone(&self.predicate),
        }
    }
}

impl<P, F> All<P, F> {
    pub(crate) fn new(upstream: P, predicate: F) -> Self {
        All {
            upstream,
            predicate: Arc::new(predicate),
        }
    }
}

impl<P, F> Publisher for All<P, F>
where
    P: Publisher,
    F: Fn(&P::Item) -> bool + Send + Sync + 'static,
{
    type Item = bool;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<bool> + 'static,
    {
        let fold = AllFold {
            predicate: Arc::clone(&self.predicate),
            result: true,
        };
        self.upstream
            .subscribe(FoldSubscriber::new(subscriber, fold));
    }
}

/// `all`'s fold: true until an item fails the predicate.
struct AllFold<F> {
    predicate: Arc<F>,
    result: bool,
}

impl<T, F> Fold<T> for AllFold<F>
where
    F: Fn(&T) -> bool + Send + Sync + 'static,
{
    type Output = bool;

    #[inline]
    fn push(&mut self, item: T) -> Result<bool, Error> {
        let predicate = &self.predicate;
        self.result = guard(|| predicate(&item))?;
        Ok(self.result) // a false decides it
    }

    fn finish(&mut self) -> Option<bool> {
        Some(self.result)
    }
}
