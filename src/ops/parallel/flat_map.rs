//! `flat_map` on rails: each item becomes a publisher whose items the rail
//! emits, one inner after another (the crate's `concat_map` on each rail,
//! through `handoff.rs`), each tagged with its source item's position.
//!
//! Demand: as `concat_map`'s, per rail. Threads: the inners are subscribed
//! on the rail's thread.

use core::fmt;

use crate::ops::parallel::handoff;
use crate::ops::parallel::rails::ParallelPublisher;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber};
use crate::PublisherExt;

/// Rails for [`flat_map`](crate::ops::ParallelPublisher::flat_map).
#[must_use = "parallel publishers do nothing until merged and subscribed"]
pub struct ParallelFlatMap<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for ParallelFlatMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelFlatMap")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for ParallelFlatMap<P, F> {
    fn clone(&self) -> Self {
        ParallelFlatMap {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> ParallelFlatMap<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        ParallelFlatMap {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, Q> ParallelPublisher for ParallelFlatMap<P, F>
where
    P: ParallelPublisher,
    F: Fn(P::Item) -> Q + Send + Sync + 'static,
    Q: Publisher + 'static,
{
    type Item = Q::Item;

    fn rails(&self) -> usize {
        self.upstream.rails()
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, fused: Fused)
    where
        S: Subscriber<(u64, Q::Item)> + 'static,
    {
        let subscribers = rails
            .into_iter()
            .map(|rail| {
                let f = Arc::clone(&self.f);
                handoff::rail(rail, move |items| {
                    items.concat_map(move |(position, item)| {
                        f(item).map(move |inner| (position, inner))
                    })
                })
            })
            .collect();
        self.upstream.subscribe_rails(subscribers, fused);
    }
}
