//! `timeout`: fails the stream (or switches to a fallback publisher) when
//! no item arrives within a time limit: the first item within `first`
//! (default: the same limit) of upstream's `on_subscribe`, each later item
//! within `per_item` of the one before, as Reactor's `timeout(Duration)`.
//!
//! The clock runs whether or not downstream has requested (as in Reactor
//! and RxJava): a consumer that requests nothing for longer than the limit
//! times the stream out. The timer emits no item, so it never needs demand:
//! it ends the stream with an error of kind
//! [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), or cancels upstream
//! and subscribes the fallback, which is asked for the demand upstream had
//! not served.
//!
//! Demand: one for one, through an [`Arbiter`] that carries unserved demand
//! over to the fallback. Threads: items pass on the upstream's thread (the
//! fallback's after a switch); the timeout acts on the worker's. Signals
//! stay serial (§1.3) through the [`HalfSerializer`].
//!
//! # Implementation notes
//!
//! ## State
//! `index: AtomicU64`: the number of items upstream has passed, or
//! [`TERMINATED`] once the stream's fate is decided (a timeout won, upstream
//! ended, downstream cancelled). Each timer is armed for one value of it.
//!
//! ## Field access rules
//! * `index`: moved up by upstream's `on_next` only (one at a time, §1.3),
//!   by a compare-exchange from the value it read; set to `TERMINATED` by
//!   whoever decides the end: a timer (compare-exchange from its own
//!   value), upstream's terminal signal or a cancel (swap).
//! * The downstream subscriber: behind the serializer (`serializer.rs`).
//!   Items enter it from whoever owns the stream: upstream until a timeout
//!   wins, the fallback after.
//! * `timer`: the handle of the newest timer, under its lock; never held
//!   while scheduling or cancelling.
//!
//! ## Races considered
//! 1. An item vs the timer armed for the previous one: both
//!    compare-exchange `index` from the same value; exactly one wins. If
//!    the item wins, it passes and re-arms; the timer does nothing. If the
//!    timer wins, the item is dropped (its publisher is being cancelled,
//!    §2.8) and the stream times out. Loom:
//!    `loom_timeout::an_item_races_its_timeout`.
//! 2. The switch to the fallback vs the last item of upstream: the timer for
//!    index `i` is armed after item `i`'s `on_next` returned, and wins only
//!    from `i`, so no item of upstream can be inside the serializer when the
//!    fallback is subscribed: the serializer sees one party at a time.
//!    `produced` for the arbiter is `i`. Loom:
//!    `loom_timeout::the_switch_races_an_item`.
//! 3. A cancel vs a timeout: both move `index` to `TERMINATED`; the first
//!    decides, the other does nothing; the cancel disposes the worker,
//!    which drops the armed timer.
//! 4. A timer dropped unrun while the stream is live (its scheduler was
//!    disposed): its guard finds `index` still at its value, and fails the
//!    stream with the worker's rejection, never a hang.

use core::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::serializer::{End, HalfSerializer};
use crate::scheduler::{Rejected, Scheduler, TaskHandle, Worker};
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{BoxPublisher, Publisher, Subscriber, Subscription};

/// `index` once the stream's end is decided.
const TERMINATED: u64 = u64::MAX;

/// Publisher for the [`timeout`](crate::PublisherExt::timeout) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Timeout<P: Publisher> {
    upstream: P,
    first: Duration,
    per_item: Duration,
    fallback: Option<BoxPublisher<P::Item>>,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for Timeout<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("upstream", &self.upstream)
            .field("first", &self.first)
            .field("per_item", &self.per_item)
            .field("fallback", &self.fallback.is_some())
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P: Publisher + Clone> Clone for Timeout<P> {
    fn clone(&self) -> Self {
        Timeout {
            upstream: self.upstream.clone(),
            first: self.first,
            per_item: self.per_item,
            fallback: self.fallback.clone(),
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P: Publisher> Timeout<P> {
    pub(crate) fn new(upstream: P, limit: Duration, scheduler: Arc<dyn Scheduler>) -> Self {
        Timeout {
            upstream,
            first: limit,
            per_item: limit,
            fallback: None,
            scheduler,
        }
    }

    /// A different limit for the first item (counted from upstream's
    /// `on_subscribe`): a slow connection set-up, then a steady stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::VirtualTimeScheduler;
    /// use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let ts = TestSubscriber::<u64>::unbounded();
    /// source::never()
    ///     .timeout_on(Duration::from_secs(1), &vts)
    ///     .first_item(Duration::from_secs(30))
    ///     .subscribe(ts.clone());
    /// vts.advance_by(Duration::from_secs(29));
    /// ts.assert_not_terminated();
    /// vts.advance_by(Duration::from_secs(1));
    /// ts.assert_error_kind(ErrorKind::Timeout);
    /// ```
    pub fn first_item(mut self, limit: Duration) -> Self {
        self.first = limit;
        self
    }

    /// On a timeout, cancel upstream and continue with `fallback` instead of
    /// failing. The fallback is asked for the demand upstream had not
    /// served; its items, error and completion go downstream as they come
    /// (it has no time limit of its own).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::VirtualTimeScheduler;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let ts = TestSubscriber::unbounded();
    /// source::never()
    ///     .timeout_on(Duration::from_secs(1), &vts)
    ///     .fallback(source::from_iter(vec![7, 8]))
    ///     .subscribe(ts.clone());
    /// vts.advance_by(Duration::from_secs(1));
    /// ts.assert_values(&[7, 8]).assert_complete();
    /// assert_eq!(vts.pending_tasks(), 0);
    /// ```
    pub fn fallback<F>(mut self, fallback: F) -> Self
    where
        F: Publisher<Item = P::Item> + 'static,
    {
        self.fallback = Some(BoxPublisher::new(fallback));
        self
    }
}

impl<P: Publisher> Publisher for Timeout<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let inner = Arc::new(TimeoutInner {
            index: AtomicU64::new(0),
            serializer: HalfSerializer::new(subscriber),
            arbiter: Arbiter::new(),
            main: Mutex::new(None),
            worker: self.scheduler.worker(),
            timer: Mutex::new(None),
            first: self.first,
            per_item: self.per_item,
            fallback: self.fallback.clone(),
        });
        inner
            .serializer
            .on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        if inner.serializer.is_ended() {
            inner.worker.dispose();
            return; // cancelled inside on_subscribe
        }
        self.upstream.subscribe(TimeoutMain { inner });
    }
}

/// The shared state; also the subscription downstream receives.
pub(crate) struct TimeoutInner<S, T: Send + 'static> {
    index: AtomicU64,
    serializer: HalfSerializer<S, T>,
    arbiter: Arbiter,
    /// Upstream's subscription, to cancel it on a timeout.
    main: Mutex<Option<Arc<dyn Subscription>>>,
    worker: Worker,
    timer: Mutex<Option<TaskHandle>>,
    first: Duration,
    per_item: Duration,
    fallback: Option<BoxPublisher<T>>,
}

impl<S, T> TimeoutInner<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    /// Arms the timer for `index`, replacing the one in force.
    fn arm(self: &Arc<Self>, index: u64, limit: Duration) {
        let guard = TimeoutGuard {
            inner: Arc::clone(self),
            index,
            fired: false,
        };
        match self.worker.schedule_after(limit, move || guard.fire()) {
            Ok(handle) => {
                let previous = self.timer.lock().replace(handle);
                if let Some(previous) = previous {
                    previous.cancel();
                }
            }
            Err(rejected) => self.rejected(rejected),
        }
    }

    /// Cancels the timer in force.
    fn disarm(&self) {
        let previous = self.timer.lock().take();
        if let Some(previous) = previous {
            previous.cancel();
        }
    }

    /// Decides the end, if nobody did (races 1 and 3): true for the caller
    /// that moved `index` from `from` (or from anything, for `None`) to
    /// [`TERMINATED`].
    fn terminate(&self, from: Option<u64>) -> bool {
        match from {
            // Ordering: AcqRel. Acquire: a timer that wins sees what the
            // item that armed it did (also ordered by the schedule itself);
            // Release publishes nothing but the decision. Pairs with: the
            // compare-exchange in `TimeoutMain::on_next`.
            Some(index) => self
                .index
                .compare_exchange(index, TERMINATED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok(),
            // Ordering: AcqRel, as above. Pairs with: the compare-exchanges
            // in `TimeoutMain::on_next` and in the timer's branch.
            None => self.index.swap(TERMINATED, Ordering::AcqRel) != TERMINATED,
        }
    }

    /// Ends the stream with `end` after the decision: the timer is dropped,
    /// the worker disposed, then `end` is delivered (the serializer orders
    /// it after an item in flight).
    fn finish(&self, end: End) {
        self.disarm();
        self.worker.dispose();
        if self.serializer.record(end) {
            self.serializer.deliver();
        }
    }

    /// The timer armed for `index` fired (race 1).
    fn timed_out(self: &Arc<Self>, index: u64) {
        if !self.terminate(Some(index)) {
            return;
        }
        let main = self.main.lock().take();
        if let Some(main) = main {
            main.cancel();
        }
        match &self.fallback {
            None => {
                self.arbiter.cancel();
                let limit = if index == 0 {
                    self.first
                } else {
                    self.per_item
                };
                let which = if index == 0 {
                    "the first item"
                } else {
                    "the next item"
                };
                self.finish(End::Error(Error::timeout(format!(
                    "{which} did not arrive within {limit:?}"
                ))));
            }
            Some(fallback) => {
                // Race 2: upstream passed `index` items, none is in flight.
                if let Err(overflow) = self.arbiter.switch_off(index) {
                    // Upstream broke §1.1: fail rather than switch.
                    return self.finish(End::Error(overflow));
                }
                self.disarm();
                self.worker.dispose();
                fallback.subscribe(FallbackSubscriber {
                    inner: Arc::clone(self),
                });
            }
        }
    }

    /// A timer was refused, or dropped unrun (race 4).
    fn rejected(&self, rejected: Rejected) {
        if self.terminate(None) {
            let main = self.main.lock().take();
            if let Some(main) = main {
                main.cancel();
            }
            self.arbiter.cancel();
            self.finish(End::Error(Error::from(rejected)));
        }
    }

    /// Upstream (or the fallback, `from_main` false) ended.
    fn ended(&self, end: End, from_main: bool) {
        if from_main {
            if !self.terminate(None) {
                return; // a timeout or a cancel decided first
            }
            self.main.lock().take();
        }
        self.arbiter.clear();
        self.finish(end);
    }
}

impl<S, T> Subscription for TimeoutInner<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: our own error; upstream (or the fallback) is cancelled.
            self.terminate(None);
            self.main.lock().take();
            self.arbiter.cancel();
            self.finish(End::Error(Error::non_positive_request()));
        } else {
            self.arbiter.request(n);
        }
    }

    fn cancel(&self) {
        // Race 3; after a switch `index` is TERMINATED already, and the
        // fallback is cancelled through the arbiter.
        self.terminate(None);
        self.main.lock().take();
        self.arbiter.cancel();
        self.finish(End::Cancel);
    }
}

impl<S, T: Send + 'static> fmt::Debug for TimeoutInner<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutInner")
            .field("index", &self.index.load(Ordering::Relaxed))
            .field("serializer", &self.serializer)
            .field("arbiter", &self.arbiter)
            .finish_non_exhaustive()
    }
}

/// Carried by each timer closure: fires it, or reports a drop by a disposal
/// (race 4).
struct TimeoutGuard<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    inner: Arc<TimeoutInner<S, T>>,
    index: u64,
    fired: bool,
}

impl<S, T> TimeoutGuard<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn fire(mut self) {
        self.fired = true;
        self.inner.timed_out(self.index);
    }
}

impl<S, T> Drop for TimeoutGuard<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn drop(&mut self) {
        // Ordering: Acquire, pairs with the AcqRel updates of `index`: a
        // timer replaced by a later item sees the newer index and stays
        // quiet.
        if self.fired || self.inner.index.load(Ordering::Acquire) != self.index {
            return;
        }
        // Refused at `schedule_after` (the worker still takes tasks): `arm`
        // reports that itself.
        if let Some(rejected) = self.inner.worker.rejection() {
            self.inner.rejected(rejected);
        }
    }
}

/// `timeout`'s subscriber to the upstream.
pub(crate) struct TimeoutMain<S, T: Send + 'static> {
    inner: Arc<TimeoutInner<S, T>>,
}

impl<S, T> Subscriber<T> for TimeoutMain<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        {
            let mut main = self.inner.main.lock();
            if main.is_some() {
                drop(main);
                subscription.cancel(); // §2.5
                return;
            }
            *main = Some(Arc::clone(&subscription));
        }
        // Passes on what downstream requested meanwhile; cancels upstream if
        // downstream cancelled.
        if self.inner.arbiter.set(&subscription) {
            // The first item's clock starts now (as Reactor's).
            self.inner.arm(0, self.inner.first);
        }
    }

    fn on_next(&mut self, item: T) {
        // Ordering: Acquire, pairs with the AcqRel swap of an end: an item
        // after the end is dropped (§2.8).
        let index = self.inner.index.load(Ordering::Acquire);
        if index == TERMINATED {
            return;
        }
        // Ordering: AcqRel. Release publishes the item's passage to a timer
        // that fails its compare-exchange; Acquire pairs with the timer's
        // win. Pairs with: `TimeoutInner::terminate`.
        if self
            .inner
            .index
            .compare_exchange(index, index + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return; // race 1: the timeout won
        }
        self.inner.disarm();
        if !self.inner.serializer.next(item) {
            // Downstream dropped it; upstream counted it: ask for another.
            self.inner.arbiter.request(1);
        }
        self.inner.arm(index + 1, self.inner.per_item);
    }

    fn on_error(&mut self, error: Error) {
        self.inner.ended(End::Error(error), true);
    }

    fn on_complete(&mut self) {
        self.inner.ended(End::Complete, true);
    }
}

/// `timeout`'s subscriber to the fallback.
pub(crate) struct FallbackSubscriber<S, T: Send + 'static> {
    inner: Arc<TimeoutInner<S, T>>,
}

impl<S, T> Subscriber<T> for FallbackSubscriber<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.arbiter.set(&subscription);
    }

    fn on_next(&mut self, item: T) {
        if !self.inner.serializer.next(item) {
            self.inner.arbiter.request(1);
        }
    }

    fn on_error(&mut self, error: Error) {
        self.inner.ended(End::Error(error), false);
    }

    fn on_complete(&mut self) {
        self.inner.ended(End::Complete, false);
    }
}
