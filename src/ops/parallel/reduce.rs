//! `reduce` on rails: folds each rail's items into one value, emitted when
//! the rail completes (the crate's `reduce` on each rail, through
//! `handoff.rs`). The value carries the source position of the rail's first
//! item, so `ordered` puts the rails' values in the order of their first
//! items.
//!
//! Demand: each rail asks for everything (a fold needs every item; the
//! split still hands a rail only what it asked for). Threads: folds on each
//! rail's thread.

use core::fmt;

use crate::ops::parallel::handoff;
use crate::ops::parallel::rails::ParallelPublisher;
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber};
use crate::PublisherExt;

/// Rails for [`reduce`](crate::ops::ParallelPublisher::reduce).
#[must_use = "parallel publishers do nothing until merged and subscribed"]
pub struct ParallelReduce<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for ParallelReduce<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelReduce")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for ParallelReduce<P, F> {
    fn clone(&self) -> Self {
        ParallelReduce {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> ParallelReduce<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        ParallelReduce {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F> ParallelPublisher for ParallelReduce<P, F>
where
    P: ParallelPublisher,
    F: Fn(P::Item, P::Item) -> P::Item + Send + Sync + 'static,
{
    type Item = P::Item;

    fn rails(&self) -> usize {
        self.upstream.rails()
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, fused: Fused)
    where
        S: Subscriber<(u64, P::Item)> + 'static,
    {
        let subscribers = rails
            .into_iter()
            .map(|rail| {
                let f = Arc::clone(&self.f);
                handoff::rail(rail, move |items| {
                    items.reduce(move |(first, a), (_, b)| (first, f(a, b)))
                })
            })
            .collect();
        self.upstream.subscribe_rails(subscribers, fused);
    }
}
