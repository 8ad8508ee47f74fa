//! `take_for`: items until `duration` has passed since subscription, then
//! completion (upstream is cancelled).
//!
//! It is `take_until(timer_on(duration, scheduler))`: the timer's tick ends
//! the stream, and its refusal (a disposed scheduler) fails it. The timer
//! emits no item downstream, so it never needs demand. Demand, threads and
//! races are those of `take_until` (`limit/take_until.rs`).

use core::fmt;
use std::time::Duration;

use crate::ops::TakeUntil;
use crate::scheduler::Scheduler;
use crate::source::{self, Timer};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`take_for`](crate::PublisherExt::take_for) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct TakeFor<P> {
    inner: TakeUntil<P, Timer>,
}

impl<P: fmt::Debug> fmt::Debug for TakeFor<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TakeFor")
            .field("inner", &self.inner)
            .finish()
    }
}

impl<P: Clone> Clone for TakeFor<P> {
    fn clone(&self) -> Self {
        TakeFor {
            inner: self.inner.clone(),
        }
    }
}

impl<P> TakeFor<P> {
    pub(crate) fn new(upstream: P, duration: Duration, scheduler: Arc<dyn Scheduler>) -> Self {
        TakeFor {
            inner: TakeUntil::new(upstream, source::timer_on(duration, scheduler)),
        }
    }
}

impl<P: Publisher> Publisher for TakeFor<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.inner.subscribe(subscriber);
    }
}
