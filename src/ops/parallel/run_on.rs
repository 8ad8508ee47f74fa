//! `run_on(scheduler)`: gives each rail a worker of its own.
//!
//! Each rail is a thread hop: the hop's queue-drain of `publish_on`
//! (`ops/schedule/hop.rs`, its `HopSubscriber`), one per rail, each with its
//! own worker of the scheduler, made at subscription and disposed when the
//! rail ends or is cancelled.
//!
//! Demand: each rail asks the split for `prefetch` items at first and for
//! 75% of that more as its worker takes them, so at most `prefetch` items
//! wait per rail; the rail's downstream requests are served on the worker.
//! Threads: everything after `run_on` on a rail runs on that rail's worker
//! (its closures, and the hand-over to the merge). A scheduler that refuses
//! the drain (disposed) fails that rail with
//! [`ErrorKind::Rejected`](crate::ErrorKind::Rejected), and the merge fails
//! the stream with it.

use core::fmt;

use crate::ops::parallel::rails::{clamp_prefetch, ParallelPublisher};
use crate::ops::schedule::hop::HopSubscriber;
use crate::scheduler::Scheduler;
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber};

/// Rails for [`run_on`](crate::ops::ParallelPublisher::run_on).
#[must_use = "parallel publishers do nothing until merged and subscribed"]
#[derive(Clone)]
pub struct RunOn<P> {
    upstream: P,
    scheduler: Arc<dyn Scheduler>,
    prefetch: usize,
}

impl<P: fmt::Debug> fmt::Debug for RunOn<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunOn")
            .field("upstream", &self.upstream)
            .field("scheduler", &self.scheduler)
            .field("prefetch", &self.prefetch)
            .finish()
    }
}

impl<P> RunOn<P> {
    pub(crate) fn new(upstream: P, scheduler: Arc<dyn Scheduler>, prefetch: usize) -> Self {
        RunOn {
            upstream,
            scheduler,
            prefetch: clamp_prefetch(prefetch),
        }
    }
}

impl<P: ParallelPublisher> ParallelPublisher for RunOn<P> {
    type Item = P::Item;

    fn rails(&self) -> usize {
        self.upstream.rails()
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, fused: Fused)
    where
        S: Subscriber<(u64, P::Item)> + 'static,
    {
        let hops = rails
            .into_iter()
            .map(|rail| HopSubscriber::new(self.scheduler.worker(), self.prefetch, rail))
            .collect();
        self.upstream.subscribe_rails(hops, fused);
    }
}
