//! `reduce`: folds the items pairwise with a closure into one item; an empty
//! stream completes empty.
//!
//! As `Iterator::reduce`: the first item is the start, and each later item
//! is combined into the accumulator with `f(accumulator, item)`.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the result
//! goes out when upstream completes and downstream has requested (any
//! `n >= 1`), whichever comes second (`fold.rs`, `scalar.rs`).
//!
//! Threads: folds on the thread that signals; the result goes out on that
//! thread or on the one that requests.

use core::fmt;

use crate::error::Error;
use crate::ops::support::fold::{Fold, FoldSubscriber};
use crate::ops::support::guard::guard;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`reduce`](crate::PublisherExt::reduce) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Reduce<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for Reduce<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reduce")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for Reduce<P, F> {
    fn clone(&self) -> Self {
        Reduce {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> Reduce<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        Reduce {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F> Publisher for Reduce<P, F>
where
    P: Publisher,
    F: Fn(P::Item, P::Item) -> P::Item + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let fold = ReduceFold {
            f: Arc::clone(&self.f),
            accumulator: None,
        };
        self.upstream
            .subscribe(FoldSubscriber::new(subscriber, fold));
    }
}

/// `reduce`'s fold: the accumulator so far.
struct ReduceFold<T, F> {
    f: Arc<F>,
    accumulator: Option<T>,
}

impl<T, F> Fold<T> for ReduceFold<T, F>
where
    T: Send + 'static,
    F: Fn(T, T) -> T + Send + Sync + 'static,
{
    type Output = T;

    #[inline]
    fn push(&mut self, item: T) -> Result<bool, Error> {
        self.accumulator = Some(match self.accumulator.take() {
            None => item,
            Some(accumulator) => {
                let f = &self.f;
                guard(|| f(accumulator, item))?
            }
        });
        Ok(true)
    }

    fn finish(&mut self) -> Option<T> {
        self.accumulator.take()
    }
}
