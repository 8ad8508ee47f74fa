//! `poll_adaptive`: polls an external system on a scheduler's timer, with
//! an interval that adapts to the backpressure the source meets.
//!
//! At each tick, with `d` the downstream's outstanding demand:
//!
//! * `d == 0` (heavy backpressure): no poll; the interval is multiplied by
//!   `slow_down` (up to `max`);
//! * `d >= batch` (none): the closure is polled up to `batch` times; the
//!   interval is divided by `speed_up` (down to `min`);
//! * in between: polled up to `d` times; the interval holds.
//!
//! Polling stops at the first `Ok(None)` (nothing there now). Demand:
//! never more items than requested; nothing is held. Threads: everything
//! that touches the subscriber (`on_next`, the end) runs on the worker, one
//! task at a time, except `on_subscribe`, on the subscribing thread, and
//! the end that a `cancel` or a `request(0)` brings, on its caller's thread
//! when no tick runs.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's requests and the cancelled bit
//! (`request(0)` sets it too). `active: Mutex<Option<Active>>`: the poll
//! closure, the subscriber and the interval; `None` once ended (§3.13).
//!
//! ## Field access rules
//! * `active` is locked by `start` (around `on_subscribe`) and by the ticks
//!   (one at a time: the worker is serial), which call user code under it;
//!   every other party (a cancel, a `request(0)`, a timer dropped unrun)
//!   only `try_lock`s it, so a cancel from inside `on_next` cannot
//!   deadlock.
//! * Whoever holds `active` checks the cancelled bit after its last call
//!   into user code, and after the worker refused the next tick.
//!
//! ## Races considered
//! 1. `cancel` (or `request(0)`) vs a tick: the cancel sets the bit,
//!    disposes the worker (a tick not yet started is dropped), then tries
//!    the lock. Free: it takes the subscriber (and delivers the §3.9 error
//!    it owes). Held by a tick: the tick sees the bit before its next poll,
//!    or, if it had polled its last, when it arms the next tick (the
//!    worker, disposed, refuses it, and the bit is set by then); either way
//!    it ends the stream. Loom: `loom_poll_adaptive::cancel_races_a_tick`.
//! 2. A cancel from inside `on_next` or `on_subscribe`: the same, on one
//!    thread: the lock is held by the caller below, which ends the stream
//!    when the user code returns.
//! 3. A scheduler disposed while a tick waits: the tick's closure is dropped
//!    unrun; its guard fails the stream with the rejection (kind
//!    `Rejected`), unless the stream was cancelled.

use core::fmt;
use core::marker::PhantomData;
use std::time::Duration;

use crate::author::demand::Demand;
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::scheduler::{default_time_scheduler, Scheduler, Worker, MAX_DELAY};
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The largest batch: larger ones are clamped to it.
pub const MAX_POLL_BATCH: u64 = 1 << 16;

/// The bounds and the steps of a [`poll_adaptive`] interval.
///
/// `min` is clamped to at least one millisecond and at most
/// [`MAX_DELAY`](crate::scheduler::MAX_DELAY), `max` to `min..=MAX_DELAY`,
/// the initial interval to `min..=max` (default: `min`), `batch` to
/// `1..=MAX_POLL_BATCH` (default 64), and the factors to at least 1.0
/// (default 2.0; NaN is taken as the default).
///
/// # Examples
///
/// ```
/// use reactive_streams::source::PollConfig;
/// use std::time::Duration;
///
/// let config = PollConfig::new(Duration::from_millis(10), Duration::from_secs(5))
///     .initial(Duration::from_millis(100))
///     .batch(32)
///     .slow_down(2.0)
///     .speed_up(1.5);
/// assert_eq!(config.initial_interval(), Duration::from_millis(100));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollConfig {
    min: Duration,
    max: Duration,
    initial: Duration,
    batch: u64,
    slow_down: f64,
    speed_up: f64,
}

const MIN_INTERVAL: Duration = Duration::from_millis(1);

fn factor(f: f64) -> f64 {
    if f.is_nan() {
        2.0
    } else {
        f.max(1.0)
    }
}

impl PollConfig {
    /// An interval between `min` and `max`, starting at `min`.
    pub fn new(min: Duration, max: Duration) -> PollConfig {
        let min = min.clamp(MIN_INTERVAL, MAX_DELAY);
        PollConfig {
            min,
            max: max.clamp(min, MAX_DELAY),
            initial: min,
            batch: 64,
            slow_down: 2.0,
            speed_up: 2.0,
        }
    }

    /// The interval at subscription (clamped to `min..=max`).
    pub fn initial(mut self, interval: Duration) -> PollConfig {
        self.initial = interval.clamp(self.min, self.max);
        self
    }

    /// The most items one tick polls.
    pub fn batch(mut self, batch: u64) -> PollConfig {
        self.batch = batch.clamp(1, MAX_POLL_BATCH);
        self
    }

    /// What a tick without demand multiplies the interval by.
    pub fn slow_down(mut self, factor_: f64) -> PollConfig {
        self.slow_down = factor(factor_);
        self
    }

    /// What a tick with demand for a whole batch divides the interval by.
    pub fn speed_up(mut self, factor_: f64) -> PollConfig {
        self.speed_up = factor(factor_);
        self
    }

    /// The interval at subscription.
    pub fn initial_interval(&self) -> Duration {
        self.initial
    }

    /// The interval after a tick that met `demand`.
    fn next(&self, interval: Duration, demand: u64) -> Duration {
        let next = if demand == 0 {
            interval.mul_f64(self.slow_down.min(1e9))
        } else if demand >= self.batch {
            interval.div_f64(self.speed_up)
        } else {
            interval
        };
        next.clamp(self.min, self.max)
    }
}

/// Publisher for the [`poll_adaptive`] and [`poll_adaptive_on`] functions.
#[must_use = "publishers do nothing until subscribed"]
pub struct PollAdaptive<F> {
    config: PollConfig,
    scheduler: Arc<dyn Scheduler>,
    poll: F,
    interval: Arc<AtomicU64>,
}

impl<F> fmt::Debug for PollAdaptive<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollAdaptive")
            .field("config", &self.config)
            .field("scheduler", &self.scheduler)
            .field("interval", &self.interval())
            .finish_non_exhaustive()
    }
}

impl<F: Clone> Clone for PollAdaptive<F> {
    fn clone(&self) -> Self {
        PollAdaptive {
            config: self.config,
            scheduler: Arc::clone(&self.scheduler),
            poll: self.poll.clone(),
            interval: Arc::clone(&self.interval),
        }
    }
}

impl<F> PollAdaptive<F> {
    /// The poll interval of the latest subscription, as of its last tick
    /// (zero before the first subscription).
    ///
    /// # Examples
    ///
    /// See [`poll_adaptive_on`].
    pub fn interval(&self) -> Duration {
        // Ordering: Relaxed: a figure, nothing depends on it.
        Duration::from_nanos(self.interval.load(Ordering::Relaxed))
    }
}

/// Polls `poll` on the default time scheduler, at an interval that adapts
/// to backpressure. See [`poll_adaptive_on`].
///
/// # Examples
///
/// ```
/// use reactive_streams::source::{self, PollConfig};
/// use reactive_streams::PublisherExt;
/// use std::time::Duration;
///
/// let mut next = 0u32;
/// let items = source::poll_adaptive(
///     PollConfig::new(Duration::from_millis(1), Duration::from_millis(10)),
///     move || {
///         next += 1;
///         Ok(Some(next))
///     },
/// )
/// .take(5)
/// .blocking_collect();
/// assert_eq!(items.unwrap(), [1, 2, 3, 4, 5]);
/// ```
pub fn poll_adaptive<T, F>(config: PollConfig, poll: F) -> PollAdaptive<F>
where
    F: FnMut() -> Result<Option<T>, Error> + Clone + Send + Sync + 'static,
    T: Send + 'static,
{
    poll_adaptive_on(config, default_time_scheduler(), poll)
}

/// Polls `poll` on `scheduler`'s timer: a tick every interval, which
/// slows down under backpressure and speeds up without it (see the table in
/// the [module docs](crate::source)' list and on [`PollConfig`]).
///
/// Each subscription polls its own clone of `poll`. `Ok(Some(item))` is
/// an item, `Ok(None)` says nothing is there now (the tick ends), `Err`
/// fails the stream; a panic fails it with
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic). The stream never
/// completes by itself: end it downstream (`take`, `take_until`, a cancel).
/// A scheduler that refuses the timer (the immediate one, a disposed one)
/// fails it with [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::VirtualTimeScheduler;
/// use reactive_streams::source::{self, PollConfig};
/// use reactive_streams::{Publisher, TestSubscriber};
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let ms = Duration::from_millis;
/// let poller = source::poll_adaptive_on(
///     PollConfig::new(ms(100), ms(1600)).initial(ms(400)).batch(4),
///     &vts,
///     || Ok(Some("row")),
/// );
/// let ts = TestSubscriber::new(0);
/// poller.subscribe(ts.clone());
/// vts.advance_by(ms(400)); // a tick without demand: slow down
/// assert_eq!(poller.interval(), ms(800));
/// ts.request(100);
/// vts.advance_by(ms(800)); // demand for a whole batch: speed up
/// assert_eq!((ts.item_count(), poller.interval()), (4, ms(400)));
/// ts.cancel();
/// ```
pub fn poll_adaptive_on<T, F, Sch>(config: PollConfig, scheduler: Sch, poll: F) -> PollAdaptive<F>
where
    F: FnMut() -> Result<Option<T>, Error> + Clone + Send + Sync + 'static,
    T: Send + 'static,
    Sch: Into<Arc<dyn Scheduler>>,
{
    PollAdaptive {
        config,
        scheduler: scheduler.into(),
        poll,
        interval: Arc::new(AtomicU64::new(0)),
    }
}

impl<T, F> Publisher for PollAdaptive<F>
where
    F: FnMut() -> Result<Option<T>, Error> + Clone + Send + Sync + 'static,
    T: Send + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let inner = Arc::new(PollInner {
            demand: Demand::new(),
            worker: self.scheduler.worker(),
            config: self.config,
            shown: Arc::clone(&self.interval),
            active: Mutex::new(Some(Active {
                poll: self.poll.clone(),
                downstream: subscriber,
                interval: self.config.initial,
            })),
        });
        inner.start();
    }
}

/// What a live subscription holds.
struct Active<F, S> {
    poll: F,
    downstream: S,
    interval: Duration,
}

/// The shared state of one subscription; also the subscription handed
/// downstream.
struct PollInner<F, S> {
    demand: Demand,
    worker: Worker,
    config: PollConfig,
    /// Where [`PollAdaptive::interval`] reads.
    shown: Arc<AtomicU64>,
    /// `None` once ended (§3.13: the subscriber is dropped).
    active: Mutex<Option<Active<F, S>>>,
}

impl<T, F, S> PollInner<F, S>
where
    F: FnMut() -> Result<Option<T>, Error> + Send + 'static,
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    /// `on_subscribe` on the subscribing thread, then the first tick.
    fn start(self: &Arc<Self>) {
        let interval = {
            let mut active = self.active.lock();
            let Some(live) = active.as_mut() else {
                return;
            };
            // §1.9. A request inside only adds demand; a cancel or a
            // request(0) finds the lock taken and leaves the end to us.
            live.downstream
                .on_subscribe(Arc::clone(self) as Arc<dyn Subscription>);
            live.interval
        };
        self.show(interval);
        self.arm(interval);
    }

    fn show(&self, interval: Duration) {
        let nanos = u64::try_from(interval.as_nanos()).unwrap_or(u64::MAX);
        // Ordering: Relaxed: a figure for the publisher's handle.
        self.shown.store(nanos, Ordering::Relaxed);
    }

    /// Schedules the next tick, unless the stream was cancelled (then it
    /// ends it, race 1); a refusal fails the stream.
    fn arm(self: &Arc<Self>, interval: Duration) {
        if self.demand.is_cancelled() {
            return self.cancelled();
        }
        let tick = Tick {
            inner: Arc::clone(self),
            fired: false,
            _item: PhantomData,
        };
        if let Err(rejected) = self.worker.schedule_after(interval, move || tick.fire()) {
            if self.demand.is_cancelled() {
                // Our own cancel disposed the worker meanwhile.
                self.cancelled();
            } else {
                self.end(Some(Error::from(rejected)));
            }
        }
    }

    /// A tick, on the worker: adapt the interval, poll within demand, arm
    /// the next tick.
    fn tick(self: &Arc<Self>) {
        let next = {
            let Some(mut active) = self.active.try_lock() else {
                return; // an end holds it (race 1)
            };
            let Some(live) = active.as_mut() else {
                return;
            };
            let demand = self.demand.get();
            live.interval = self.config.next(live.interval, demand);
            let mut failed = None;
            let mut emitted = 0u64;
            let budget = demand.min(self.config.batch);
            while emitted < budget {
                // §3.12: a cancel (or a request(0)) is seen before every poll.
                if self.demand.is_cancelled() {
                    break;
                }
                match guard(&mut live.poll) {
                    Ok(Ok(Some(item))) => {
                        emitted += 1;
                        live.downstream.on_next(item);
                    }
                    Ok(Ok(None)) => break,
                    Ok(Err(error)) | Err(error) => {
                        failed = Some(error);
                        break;
                    }
                }
            }
            if emitted > 0 {
                self.demand.produced(emitted);
            }
            if let Some(error) = failed {
                let ended = active.take();
                drop(active);
                self.worker.dispose();
                if let Some(mut ended) = ended {
                    ended.downstream.on_error(error);
                }
                return;
            }
            live.interval
        };
        self.show(next);
        self.arm(next);
    }

    /// Ends the stream: drops the subscriber after `error` (if any), and
    /// stops the timer. Takes the subscriber only if nobody holds it: a
    /// holder (a tick, `start`) checks the cancelled bit after its last
    /// call into user code and ends the stream itself (race 1).
    fn end(&self, error: Option<Error>) {
        self.worker.dispose();
        let ended = self.active.try_lock().and_then(|mut active| active.take());
        if let (Some(mut ended), Some(error)) = (ended, error) {
            ended.downstream.on_error(error);
        }
    }

    /// The cancelled bit is set (a cancel, or a `request(0)`): end, with
    /// the §3.9 error if it is owed.
    fn cancelled(&self) {
        // The error is taken only by the one that delivers it.
        self.worker.dispose();
        let Some(mut active) = self.active.try_lock() else {
            return;
        };
        if let Some(mut ended) = active.take() {
            drop(active);
            if let Some(error) = self.demand.take_invalid() {
                ended.downstream.on_error(error);
            }
        }
    }
}

/// Carried by the timer's closure: runs the tick, and fails the stream if
/// the scheduler drops it unrun while the stream is live (a scheduler
/// disposed under it), instead of leaving it waiting forever.
struct Tick<T, F, S>
where
    F: FnMut() -> Result<Option<T>, Error> + Send + 'static,
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    inner: Arc<PollInner<F, S>>,
    fired: bool,
    _item: PhantomData<fn(T)>,
}

impl<T, F, S> Tick<T, F, S>
where
    F: FnMut() -> Result<Option<T>, Error> + Send + 'static,
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn fire(mut self) {
        self.fired = true;
        self.inner.tick();
    }
}

impl<T, F, S> Drop for Tick<T, F, S>
where
    F: FnMut() -> Result<Option<T>, Error> + Send + 'static,
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn drop(&mut self) {
        if self.fired || self.inner.demand.is_cancelled() {
            return;
        }
        if let Some(rejected) = self.inner.worker.rejection() {
            self.inner.end(Some(Error::from(rejected)));
        }
    }
}

impl<T, F, S> Subscription for PollInner<F, S>
where
    F: FnMut() -> Result<Option<T>, Error> + Send + 'static,
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn request(&self, n: u64) {
        let was_cancelled = self.demand.is_cancelled();
        self.demand.request(n); // n == 0: §3.9
        if n == 0 && !was_cancelled {
            self.cancelled();
        }
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.cancelled();
        }
    }
}

impl<F, S> fmt::Debug for PollInner<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollInner")
            .field("demand", &self.demand)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}
