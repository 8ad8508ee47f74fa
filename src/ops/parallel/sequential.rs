//! `sequential()`: merges the rails back into one stream, items in the
//! order they come off the rails (the engine is `merge.rs`).

use core::fmt;

use crate::ops::parallel::merge::{self, RoundRobin};
use crate::ops::parallel::rails::{clamp_prefetch, ParallelPublisher};
use crate::traits::{Publisher, Subscriber};

/// Publisher for [`sequential`](crate::ops::ParallelPublisher::sequential):
/// the rails merged as their items come, round-robin among the rails that
/// have one waiting.
///
/// Each subscription subscribes the rails anew (and so the upstream of the
/// split).
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Sequential<P> {
    upstream: P,
    prefetch: usize,
}

impl<P: fmt::Debug> fmt::Debug for Sequential<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sequential")
            .field("upstream", &self.upstream)
            .field("prefetch", &self.prefetch)
            .finish()
    }
}

impl<P> Sequential<P> {
    pub(crate) fn new(upstream: P, prefetch: usize) -> Self {
        Sequential {
            upstream,
            prefetch: clamp_prefetch(prefetch),
        }
    }
}

impl<P: ParallelPublisher> Publisher for Sequential<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        merge::subscribe::<P, S, RoundRobin>(&self.upstream, subscriber, self.prefetch);
    }
}
