//! `interval`: 0, 1, 2, ... one every `period`, on a scheduler's timer.
//!
//! Demand: one tick per period, delivered only within demand. A tick that
//! falls due when downstream has no demand gets the
//! [`NoDemand`] choice: fail (the default, as Reactor's
//! `interval`), drop it, or keep the latest waiting. Ticks are numbered from
//! the start, so a dropped tick leaves a gap in the numbers. Threads: ticks
//! go out on the worker's thread, or on the requester's when one waited.
//!
//! The engine (timer, drain, cancellation, disposal) is
//! `ops/support/timed.rs`'s; the due tick and the choice are
//! `ops/support/due.rs`'s.

use core::fmt;
use std::time::{Duration, Instant};

use crate::ops::support::due::DueSlot;
use crate::ops::support::timed::{Effects, Timed, TimedStore, TimerCmd};
use crate::ops::NoDemand;
use crate::scheduler::{default_time_scheduler, Scheduler};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`interval`] and [`interval_on`] functions.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Interval {
    initial: Duration,
    period: Duration,
    scheduler: Arc<dyn Scheduler>,
    no_demand: NoDemand,
}

/// Emits 0, 1, 2, ... (`u64`), the first after `period`, then one every
/// `period`, forever, on the default time scheduler. See [`interval_on`].
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
/// use std::time::Duration;
///
/// // Real time: three ticks, a millisecond apart.
/// let ticks: Vec<u64> = source::interval(Duration::from_millis(1))
///     .take(3)
///     .blocking_iter()
///     .map(Result::unwrap)
///     .collect();
/// assert_eq!(ticks, [0, 1, 2]);
/// ```
pub fn interval(period: Duration) -> Interval {
    interval_on(period, default_time_scheduler())
}

/// Emits 0, 1, 2, ... (`u64`), the first after `period`, then one every
/// `period` (fixed rate: a late tick is followed at once by those that fell
/// due meanwhile), forever, on `scheduler`.
///
/// A tick that falls due when downstream has no demand fails the stream
/// with an error of kind [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
/// (upstream of nothing, so nothing to cancel), unless another choice was
/// made with [`Interval::on_no_demand`].
///
/// A zero `period` fails the stream at subscription with an error of kind
/// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected) ("a periodic task needs
/// a period above zero"), as does a scheduler that cannot run timers (the
/// immediate one) or is disposed; a scheduler disposed later fails it then.
/// A period above [`MAX_DELAY`](crate::scheduler::MAX_DELAY) is clamped to
/// it. Cancelling cancels the timer.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::VirtualTimeScheduler;
/// use reactive_streams::{source, Publisher, TestSubscriber};
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let ts = TestSubscriber::new(10);
/// source::interval_on(Duration::from_secs(1), &vts).subscribe(ts.clone());
/// vts.advance_by(Duration::from_secs(3));
/// ts.assert_values(&[0, 1, 2]);
/// ts.cancel();
/// assert_eq!(vts.pending_tasks(), 0); // the timer went with the cancel
/// ```
pub fn interval_on(period: Duration, scheduler: impl Into<Arc<dyn Scheduler>>) -> Interval {
    Interval {
        initial: period,
        period,
        scheduler: scheduler.into(),
        no_demand: NoDemand::default(),
    }
}

impl Interval {
    /// What to do with a tick that falls due when downstream has no demand
    /// (default [`NoDemand::Error`]).
    ///
    /// # Examples
    ///
    /// See [`NoDemand`].
    pub fn on_no_demand(mut self, choice: NoDemand) -> Self {
        self.no_demand = choice;
        self
    }

    /// The first tick after `delay` instead of after one period (zero: at
    /// once, on the worker).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::VirtualTimeScheduler;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let ts = TestSubscriber::new(10);
    /// source::interval_on(Duration::from_secs(10), &vts)
    ///     .initial_delay(Duration::from_secs(1))
    ///     .subscribe(ts.clone());
    /// vts.advance_by(Duration::from_secs(11));
    /// ts.assert_values(&[0, 1]);
    /// ts.cancel();
    /// ```
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial = delay;
        self
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("initial", &self.initial)
            .field("period", &self.period)
            .field("scheduler", &self.scheduler)
            .field("no_demand", &self.no_demand)
            .finish()
    }
}

impl Publisher for Interval {
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        let ticks = Ticks {
            initial: self.initial,
            period: self.period,
            next: 0,
            due: DueSlot::new(self.no_demand, "interval"),
        };
        Timed::start(ticks, None, self.scheduler.worker(), subscriber);
    }
}

/// The tick count, and the tick waiting to go out.
struct Ticks {
    initial: Duration,
    period: Duration,
    next: u64,
    due: DueSlot<u64>,
}

impl TimedStore for Ticks {
    type In = ();
    type Out = u64;
    type Junk = u64;

    fn start(&mut self, _now: Instant, fx: &mut Effects<u64>) {
        fx.timer(TimerCmd::Periodic {
            initial: self.initial,
            period: self.period,
        });
    }

    fn on_next(&mut self, _item: (), _now: Instant, _fx: &mut Effects<u64>) {}

    fn on_timer(&mut self, _now: Instant, fx: &mut Effects<u64>) {
        let tick = self.next;
        self.next += 1;
        self.due.put(tick, fx);
    }

    fn poll(&mut self, has_demand: bool, fx: &mut Effects<u64>) -> Option<u64> {
        self.due.poll(has_demand, fx)
    }

    fn is_empty(&self) -> bool {
        self.due.is_empty()
    }
}
