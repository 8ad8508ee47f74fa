//! `publish_on`: the signals of upstream are delivered downstream on a
//! worker of a scheduler. The engine is `hop.rs`; this file picks the path.
//!
//! The fused path: when upstream is one of the crate's synchronous sources
//! that run no user code (`range`, `just`, `empty`, `error`), the worker
//! pulls it itself, within downstream's demand: no queue, no prefetch. A
//! source that runs user code (`from_iter`'s iterator, `generate`'s
//! closure, a `map` over any source) is never pulled on the worker by
//! fusion: it is subscribed and queued like any other publisher, so its
//! code runs where it would have run without `publish_on` (the thread that
//! requests: the subscriber's for the first batch, the worker's for the
//! replenishing requests, which the worker makes).

use core::fmt;

use crate::ops::schedule::hop::{clamp_prefetch, Hop, HopSubscriber};
use crate::scheduler::Scheduler;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber};

/// Publisher for the [`publish_on`](crate::PublisherExt::publish_on) and
/// [`publish_on_with`](crate::PublisherExt::publish_on_with) methods.
#[must_use = "publishers do nothing until subscribed"]
pub struct PublishOn<P> {
    upstream: P,
    scheduler: Arc<dyn Scheduler>,
    prefetch: usize,
}

impl<P> PublishOn<P> {
    pub(crate) fn new(upstream: P, scheduler: Arc<dyn Scheduler>, prefetch: usize) -> Self {
        PublishOn {
            upstream,
            scheduler,
            prefetch: clamp_prefetch(prefetch),
        }
    }

    /// The prefetch in force, after the clamp to
    /// `1..=`[`MAX_HOP_PREFETCH`](crate::ops::MAX_HOP_PREFETCH).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::MAX_HOP_PREFETCH;
    /// use reactive_streams::{scheduler, source, PublisherExt};
    ///
    /// let range = || source::range(0..3u8);
    /// assert_eq!(range().publish_on(scheduler::single()).prefetch(), 256);
    /// assert_eq!(range().publish_on_with(scheduler::single(), 0).prefetch(), 1);
    /// let absurd = range().publish_on_with(scheduler::single(), usize::MAX);
    /// assert_eq!(absurd.prefetch(), MAX_HOP_PREFETCH);
    /// ```
    pub fn prefetch(&self) -> usize {
        self.prefetch
    }
}

impl<P: fmt::Debug> fmt::Debug for PublishOn<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishOn")
            .field("upstream", &self.upstream)
            .field("scheduler", &self.scheduler)
            .field("prefetch", &self.prefetch)
            .finish()
    }
}

impl<P: Clone> Clone for PublishOn<P> {
    fn clone(&self) -> Self {
        PublishOn {
            upstream: self.upstream.clone(),
            scheduler: Arc::clone(&self.scheduler),
            prefetch: self.prefetch,
        }
    }
}

impl<P: Publisher> Publisher for PublishOn<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let worker = self.scheduler.worker();
        match self.upstream.fused_source(Fused(())) {
            Some(source) if !source.runs_user_code() => {
                Hop::start(source, worker, None, subscriber, true);
            }
            // Its code stays where it would have run unfused.
            Some(source) => source.subscribe(HopSubscriber::new(worker, self.prefetch, subscriber)),
            None => self
                .upstream
                .subscribe(HopSubscriber::new(worker, self.prefetch, subscriber)),
        }
    }
}
