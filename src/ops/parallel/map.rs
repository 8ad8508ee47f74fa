//! `map` on rails: transforms each item with a closure, on its rail.
//!
//! Demand: one for one; each rail's requests go straight upstream.
//! Threads: runs on each rail's thread.

use core::fmt;

use crate::ops::parallel::rails::ParallelPublisher;
use crate::ops::parallel::step::{self, RailStep};
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber};

/// Rails for [`map`](crate::ops::ParallelPublisher::map).
#[must_use = "parallel publishers do nothing until merged and subscribed"]
pub struct ParallelMap<P, F> {
    upstream: P,
    op: Arc<MapStep<F>>,
}

impl<P: fmt::Debug, F> fmt::Debug for ParallelMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelMap")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for ParallelMap<P, F> {
    fn clone(&self) -> Self {
        ParallelMap {
            upstream: self.upstream.clone(),
            op: Arc::clone(&self.op),
        }
    }
}

impl<P, F> ParallelMap<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        ParallelMap {
            upstream,
            op: Arc::new(MapStep(f)),
        }
    }
}

/// `map`'s step: every item mapped.
pub(crate) struct MapStep<F>(F);

impl<F, T, U> RailStep<T> for MapStep<F>
where
    F: Fn(T) -> U + Send + Sync + 'static,
{
    type Out = U;

    #[inline]
    fn step(&self, item: T) -> Option<U> {
        Some((self.0)(item))
    }
}

impl<P, F, U> ParallelPublisher for ParallelMap<P, F>
where
    P: ParallelPublisher,
    F: Fn(P::Item) -> U + Send + Sync + 'static,
    U: Send + 'static,
{
    type Item = U;

    fn rails(&self) -> usize {
        self.upstream.rails()
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, fused: Fused)
    where
        S: Subscriber<(u64, U)> + 'static,
    {
        self.upstream
            .subscribe_rails(step::rails(rails, &self.op), fused);
    }
}
