//! `filter` on rails: keeps the items a predicate accepts, on each rail.
//!
//! Demand: one for one for kept items; a rejected item costs its rail no
//! demand when the rail's upstream delivers through `try_on_next` (the
//! split and `run_on` do), and a `request(1)` otherwise. Threads: runs on
//! each rail's thread.

use core::fmt;

use crate::ops::parallel::rails::ParallelPublisher;
use crate::ops::parallel::step::{self, RailStep};
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber};

/// Rails for [`filter`](crate::ops::ParallelPublisher::filter).
#[must_use = "parallel publishers do nothing until merged and subscribed"]
pub struct ParallelFilter<P, F> {
    upstream: P,
    op: Arc<FilterStep<F>>,
}

impl<P: fmt::Debug, F> fmt::Debug for ParallelFilter<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelFilter")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for ParallelFilter<P, F> {
    fn clone(&self) -> Self {
        ParallelFilter {
            upstream: self.upstream.clone(),
            op: Arc::clone(&self.op),
        }
    }
}

impl<P, F> ParallelFilter<P, F> {
    pub(crate) fn new(upstream: P, predicate: F) -> Self {
        ParallelFilter {
            upstream,
            op: Arc::new(FilterStep(predicate)),
        }
    }
}

/// `filter`'s step: the item, if the predicate accepts it.
pub(crate) struct FilterStep<F>(F);

impl<F, T> RailStep<T> for FilterStep<F>
where
    F: Fn(&T) -> bool + Send + Sync + 'static,
{
    type Out = T;

    #[inline]
    fn step(&self, item: T) -> Option<T> {
        (self.0)(&item).then_some(item)
    }
}

impl<P, F> ParallelPublisher for ParallelFilter<P, F>
where
    P: ParallelPublisher,
    F: Fn(&P::Item) -> bool + Send + Sync + 'static,
{
    type Item = P::Item;

    fn rails(&self) -> usize {
        self.upstream.rails()
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, fused: Fused)
    where
        S: Subscriber<(u64, P::Item)> + 'static,
    {
        self.upstream
            .subscribe_rails(step::rails(rails, &self.op), fused);
    }
}
