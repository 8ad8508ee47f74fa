//! `delay`: every item goes out `delay` after it arrived (the timeline is
//! shifted), in order.
//!
//! Demand: upstream is asked for [`DELAY_PREFETCH`] items at first, then for
//! 75% of that each time as many have gone out (the crate's prefetch rule),
//! so at most `DELAY_PREFETCH` items wait: a source faster than that per
//! `delay` is slowed down, never buffered without bound. An item goes out at
//! its time if downstream has demand; else it waits (the queue stays within
//! the prefetch) and goes out at the next request. Completion follows the
//! last item; an error goes out at once, dropping the items still waiting.
//!
//! Threads: items are queued on the upstream's thread and go out on the
//! worker's (one timer at a time, for the head of the queue), or on the
//! requester's when they waited for demand.
//!
//! The engine and its races are `support/timed.rs`'s; this file holds the
//! queue.

use core::fmt;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::author::Replenish;
use crate::error::Error;
use crate::ops::support::timed::{Effects, TimedStore, TimedSubscriber, TimerCmd};
use crate::scheduler::{Scheduler, MAX_DELAY};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// How many items `delay` asks upstream for ahead, and so the most it holds.
pub const DELAY_PREFETCH: u64 = 256;

/// Publisher for the [`delay`](crate::PublisherExt::delay) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Delay<P> {
    upstream: P,
    delay: Duration,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: fmt::Debug> fmt::Debug for Delay<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delay")
            .field("upstream", &self.upstream)
            .field("delay", &self.delay)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P: Clone> Clone for Delay<P> {
    fn clone(&self) -> Self {
        Delay {
            upstream: self.upstream.clone(),
            delay: self.delay,
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P> Delay<P> {
    pub(crate) fn new(upstream: P, delay: Duration, scheduler: Arc<dyn Scheduler>) -> Self {
        Delay {
            upstream,
            delay,
            scheduler,
        }
    }
}

impl<P: Publisher> Publisher for Delay<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let store = DelayQueue {
            delay: self.delay.min(MAX_DELAY),
            queue: VecDeque::new(),
            ready: 0,
            armed: false,
            replenish: Replenish::new(DELAY_PREFETCH),
            started: false,
            owed: 0,
        };
        self.upstream.subscribe(TimedSubscriber::new(
            store,
            self.scheduler.worker(),
            subscriber,
        ));
    }
}

/// The items in flight, each with its due time, in arrival (and so due)
/// order.
struct DelayQueue<T> {
    delay: Duration,
    queue: VecDeque<(Instant, T)>,
    /// The first `ready` items of `queue` are due.
    ready: usize,
    /// A timer runs for `queue[ready]`.
    armed: bool,
    replenish: Replenish,
    started: bool,
    /// Replenishment earned by items that went out, not yet requested.
    owed: u64,
}

impl<T: Send + 'static> TimedStore for DelayQueue<T> {
    type In = T;
    type Out = T;
    type Junk = T;

    fn on_next(&mut self, item: T, now: Instant, fx: &mut Effects<T>) {
        if self.queue.len() as u64 >= DELAY_PREFETCH {
            // Upstream ignored our demand (§1.1).
            fx.drop_later(item);
            fx.fail(Error::overflow(format!(
                "delay: upstream sent more than the {DELAY_PREFETCH} items requested (§1.1)"
            )));
            return;
        }
        let due = now.checked_add(self.delay).unwrap_or(now);
        self.queue.push_back((due, item));
        if !self.armed {
            self.armed = true;
            fx.timer(TimerCmd::Arm(self.delay));
        }
    }

    fn on_timer(&mut self, now: Instant, fx: &mut Effects<T>) {
        self.armed = false;
        while let Some((due, _)) = self.queue.get(self.ready) {
            if *due > now {
                self.armed = true;
                fx.timer(TimerCmd::Arm(*due - now));
                break;
            }
            self.ready += 1;
        }
    }

    fn poll(&mut self, has_demand: bool, _fx: &mut Effects<T>) -> Option<T> {
        if !has_demand || self.ready == 0 {
            return None;
        }
        self.ready -= 1;
        let (_, item) = self.queue.pop_front()?;
        if let Some(n) = self.replenish.consumed_one() {
            self.owed += n;
        }
        Some(item)
    }

    fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    fn upstream_request(&mut self, _demand: u64) -> u64 {
        if !self.started {
            self.started = true;
            return DELAY_PREFETCH;
        }
        core::mem::take(&mut self.owed)
    }
}
