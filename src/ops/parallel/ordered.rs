//! `ordered()`: merges the rails back into one stream in source order (the
//! engine is `merge.rs`).
//!
//! Every item carries the position in the source that the split gave it,
//! and each rail keeps its items in that order, so the next item in source
//! order is always the smallest head among the rails' queues, once every
//! rail that has not finished has a head. A rail with an empty queue holds
//! the others up; it still has demand (its queue has room), so it keeps
//! receiving and producing, and the wait ends.

use core::fmt;

use crate::ops::parallel::merge::{self, SourceOrder};
use crate::ops::parallel::rails::{clamp_prefetch, ParallelPublisher};
use crate::traits::{Publisher, Subscriber};

/// Publisher for [`ordered`](crate::ops::ParallelPublisher::ordered): the
/// rails merged in source order.
///
/// Each subscription subscribes the rails anew (and so the upstream of the
/// split).
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Ordered<P> {
    upstream: P,
    prefetch: usize,
}

impl<P: fmt::Debug> fmt::Debug for Ordered<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ordered")
            .field("upstream", &self.upstream)
            .field("prefetch", &self.prefetch)
            .finish()
    }
}

impl<P> Ordered<P> {
    pub(crate) fn new(upstream: P, prefetch: usize) -> Self {
        Ordered {
            upstream,
            prefetch: clamp_prefetch(prefetch),
        }
    }
}

impl<P: ParallelPublisher> Publisher for Ordered<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        merge::subscribe::<P, S, SourceOrder>(&self.upstream, subscriber, self.prefetch);
    }
}
