//! `buffer_timeout`: items in `Vec`s of up to `max_items`, each emitted when
//! full or when `max_wait` has passed since its first item, whichever comes
//! first.
//!
//! Demand, and why it never overflows nor hangs (the bug of Reactor's
//! `bufferTimeout`, which asks upstream for `max_items` per requested
//! buffer and then, after a timeout emitted a short one, has items in
//! flight for a buffer nobody requested):
//!
//! * Upstream is asked only to fill the buffer being built, and only while
//!   downstream has demand: at any moment, the items held plus those
//!   requested and not yet received are at most `max_items`.
//! * When `max_wait` passes and downstream has demand, the buffer goes out,
//!   however short. When downstream has no demand, the buffer becomes
//!   overdue: it keeps what arrives (still at most `max_items`, since no
//!   more is asked for) and goes out at the next request.
//! * Completion emits the last buffer (within demand: it waits for a
//!   request if need be), then completes. An error goes out at once,
//!   dropping the buffer.
//!
//! So at most one buffer is ever held, nothing goes out beyond demand, and
//! a buffer waits longer than `max_wait` only while downstream asks for
//! nothing. The price: upstream gets one request per buffer, and a source
//! on another thread idles while a full buffer waits for demand.
//!
//! Threads: items are kept on the upstream's thread; a full buffer goes out
//! there, a timed-out one on the worker's, an overdue one on the
//! requester's. The engine and its races are `support/timed.rs`'s.

use core::fmt;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::ops::support::timed::{Effects, TimedStore, TimedSubscriber, TimerCmd};
use crate::scheduler::{Scheduler, MAX_DELAY};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`buffer_timeout`](crate::PublisherExt::buffer_timeout)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct BufferTimeout<P> {
    upstream: P,
    max_items: usize,
    max_wait: Duration,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: fmt::Debug> fmt::Debug for BufferTimeout<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferTimeout")
            .field("upstream", &self.upstream)
            .field("max_items", &self.max_items)
            .field("max_wait", &self.max_wait)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P: Clone> Clone for BufferTimeout<P> {
    fn clone(&self) -> Self {
        BufferTimeout {
            upstream: self.upstream.clone(),
            max_items: self.max_items,
            max_wait: self.max_wait,
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P> BufferTimeout<P> {
    /// `max_items` 0 is clamped to 1.
    pub(crate) fn new(
        upstream: P,
        max_items: usize,
        max_wait: Duration,
        scheduler: Arc<dyn Scheduler>,
    ) -> Self {
        BufferTimeout {
            upstream,
            max_items: max_items.max(1),
            max_wait: max_wait.min(MAX_DELAY),
            scheduler,
        }
    }
}

impl<P: Publisher> Publisher for BufferTimeout<P> {
    type Item = Vec<P::Item>;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Vec<P::Item>> + 'static,
    {
        let store = Batch {
            max: self.max_items as u64,
            max_wait: self.max_wait,
            buffer: Vec::new(),
            overdue: false,
            completing: false,
            outstanding: 0,
        };
        self.upstream.subscribe(TimedSubscriber::new(
            store,
            self.scheduler.worker(),
            subscriber,
        ));
    }
}

/// The buffer being built.
struct Batch<T> {
    max: u64,
    max_wait: Duration,
    /// Grows as items come (a huge `max_items` allocates nothing ahead).
    buffer: Vec<T>,
    /// `max_wait` passed while downstream had no demand.
    overdue: bool,
    completing: bool,
    /// Requested from upstream, not yet received. Invariant:
    /// `buffer.len() + outstanding <= max`.
    outstanding: u64,
}

impl<T: Send + 'static> TimedStore for Batch<T> {
    type In = T;
    type Out = Vec<T>;
    type Junk = Vec<T>;

    fn on_next(&mut self, item: T, _now: Instant, fx: &mut Effects<Vec<T>>) {
        if self.outstanding == 0 {
            // Upstream ignored our demand (§1.1): the bound would break.
            fx.drop_later(vec![item]);
            fx.fail(Error::overflow(
                "buffer_timeout: upstream sent an item that was not requested (§1.1)",
            ));
            return;
        }
        self.outstanding -= 1;
        self.buffer.push(item);
        if self.buffer.len() == 1 {
            fx.timer(TimerCmd::Arm(self.max_wait));
        }
    }

    fn on_timer(&mut self, _now: Instant, _fx: &mut Effects<Vec<T>>) {
        if !self.buffer.is_empty() {
            self.overdue = true;
        }
    }

    fn on_complete(&mut self, fx: &mut Effects<Vec<T>>) {
        self.completing = true;
        fx.timer(TimerCmd::Disarm);
    }

    fn poll(&mut self, has_demand: bool, fx: &mut Effects<Vec<T>>) -> Option<Vec<T>> {
        let full = self.buffer.len() as u64 >= self.max;
        if !has_demand || self.buffer.is_empty() || !(full || self.overdue || self.completing) {
            return None;
        }
        self.overdue = false;
        if !self.completing {
            // The next buffer arms its own timer with its first item.
            fx.timer(TimerCmd::Disarm);
        }
        Some(core::mem::take(&mut self.buffer))
    }

    fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    fn upstream_request(&mut self, demand: u64) -> u64 {
        if demand == 0 {
            return 0;
        }
        let room = self.max - self.buffer.len() as u64 - self.outstanding;
        self.outstanding += room;
        room
    }
}
