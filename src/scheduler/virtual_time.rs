//! `VirtualTimeScheduler`: a clock that moves only when a test moves it.
//!
//! # Implementation notes
//!
//! ## State
//! `VirtualClock::state` (one mutex): the virtual `now`, the `target` of the
//! run in progress, the timer heap (every task, due now or later, waits
//! there: ties break by scheduling order, which makes runs deterministic),
//! and `runner`, the thread running tasks, if any.
//!
//! `VirtualClock::running` (a second mutex, held for a whole run): makes an
//! `advance` from a second thread wait for the first to finish.
//!
//! ## Field access rules
//! * Tasks run outside `state`'s lock; tasks swept or dropped at disposal
//!   are dropped outside it.
//! * `now` only grows, and only the runner moves it.
//!
//! ## Races considered
//! 1. An `advance` from inside a task the clock runs (same thread, `runner`
//!    is us): taking `running` again would deadlock, so it raises `target`
//!    and returns; the run in progress goes on to the new target.
//! 2. A task scheduled from another thread during a run: it lands in the
//!    heap under the lock; if it is due by `target`, the runner finds it
//!    (it pops under the same lock), else it waits for a later advance.

use core::fmt;
use std::time::{Duration, Instant};

use super::executor::{Executor, ExecutorScheduler};
use super::rejected::RejectReason;
use super::task::Task;
use super::timer::TimerHeap;
use super::worker::deadline;
use super::Scheduler;
use crate::sync::thread::{self, ThreadId};
use crate::sync::{Arc, Mutex};

/// A scheduler whose clock moves only when a test calls
/// [`advance_by`](VirtualTimeScheduler::advance_by) or
/// [`advance_to`](VirtualTimeScheduler::advance_to): timed pipelines tested
/// without sleeping, deterministically.
///
/// * Its clock starts at the real instant it was made, and
///   [`now`](Scheduler::now) is that instant plus the virtual time elapsed,
///   so timestamps mean what they mean under every scheduler.
/// * Nothing runs by itself, not even a task due now: tasks run on the
///   thread that advances the clock (or calls
///   [`run_due`](VirtualTimeScheduler::run_due)), in time order, ties in
///   the order they were scheduled. While a task runs, the clock reads its
///   due time.
/// * Tasks scheduled by a running task for a time the advance reaches run
///   within the same advance; a periodic task runs once per period crossed.
/// * Workers keep their promise: one task at a time each, in order.
///
/// A cheap handle: clones share the clock. Pass `&vts` (or a clone) where an
/// operator takes a scheduler.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let worker = vts.worker();
/// let log = Arc::new(Mutex::new(Vec::new()));
/// for (name, secs) in [("b", 2), ("a", 1), ("c", 2)] {
///     let log = log.clone();
///     worker
///         .schedule_after(Duration::from_secs(secs), move || log.lock().unwrap().push(name))
///         .unwrap();
/// }
/// vts.advance_by(Duration::from_millis(1500));
/// assert_eq!(*log.lock().unwrap(), ["a"]);
/// vts.advance_by(Duration::from_secs(10));
/// assert_eq!(*log.lock().unwrap(), ["a", "b", "c"]); // ties in scheduling order
/// assert_eq!(vts.elapsed(), Duration::from_millis(11_500));
/// ```
#[derive(Clone)]
pub struct VirtualTimeScheduler {
    clock: Arc<VirtualClock>,
    scheduler: ExecutorScheduler,
}

impl VirtualTimeScheduler {
    /// A virtual clock at the current real instant, with nothing scheduled.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::time::{Duration, Instant};
    ///
    /// let before = Instant::now();
    /// let vts = VirtualTimeScheduler::new();
    /// assert!(vts.now() >= before);
    /// assert_eq!(vts.elapsed(), Duration::ZERO);
    /// ```
    pub fn new() -> VirtualTimeScheduler {
        let start = Instant::now();
        let clock = Arc::new(VirtualClock {
            start,
            state: Mutex::new(ClockState {
                now: start,
                target: start,
                timers: TimerHeap::default(),
                runner: None,
                shutdown: false,
            }),
            running: Mutex::new(()),
        });
        VirtualTimeScheduler {
            scheduler: ExecutorScheduler::new("virtual-time", Arc::clone(&clock)),
            clock,
        }
    }

    /// Moves the clock forward by `by`, running every task that falls due on
    /// the way, in time order, each with the clock at its due time; returns
    /// when they have run. `by` is clamped to
    /// [`MAX_DELAY`](super::MAX_DELAY).
    ///
    /// Called from inside a task this scheduler runs, it moves the target of
    /// the advance in progress and returns at once (that advance runs the
    /// tasks); called from another thread during an advance, it waits for
    /// that one to finish first.
    ///
    /// # Examples
    ///
    /// See [`VirtualTimeScheduler`].
    pub fn advance_by(&self, by: Duration) {
        self.clock.run_until(deadline(self.clock.now(), by));
    }

    /// Moves the clock forward to `instant`, as
    /// [`advance_by`](VirtualTimeScheduler::advance_by). An instant in the
    /// past does not move the clock back; it runs what is due now.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let start = vts.now();
    /// vts.advance_to(start + Duration::from_secs(5));
    /// vts.advance_to(start); // the clock never goes back
    /// assert_eq!(vts.now(), start + Duration::from_secs(5));
    /// ```
    pub fn advance_to(&self, instant: Instant) {
        self.clock.run_until(instant);
    }

    /// Runs every task due now (and those they schedule for now), without
    /// moving the clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let ran = Arc::new(AtomicBool::new(false));
    /// let flag = ran.clone();
    /// vts.worker().schedule(move || flag.store(true, Ordering::Relaxed)).unwrap();
    /// assert!(!ran.load(Ordering::Relaxed)); // nothing runs by itself
    /// vts.run_due();
    /// assert!(ran.load(Ordering::Relaxed));
    /// assert_eq!(vts.elapsed(), std::time::Duration::ZERO);
    /// ```
    pub fn run_due(&self) {
        self.clock.run_until(self.clock.now());
    }

    /// The virtual time elapsed since the scheduler was made.
    ///
    /// # Examples
    ///
    /// See [`VirtualTimeScheduler`].
    pub fn elapsed(&self) -> Duration {
        self.clock.now() - self.clock.start
    }

    /// How many tasks wait for the clock: each delayed or periodic task not
    /// cancelled, and one for each worker with tasks ready to run. A test
    /// can check that a pipeline left no timer behind.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let handle = vts.worker().schedule_after(Duration::from_secs(1), || {}).unwrap();
    /// assert_eq!(vts.pending_tasks(), 1);
    /// handle.cancel();
    /// assert_eq!(vts.pending_tasks(), 0);
    /// ```
    pub fn pending_tasks(&self) -> usize {
        self.clock.state.lock().timers.live()
    }
}

impl Default for VirtualTimeScheduler {
    fn default() -> Self {
        VirtualTimeScheduler::new()
    }
}

super::delegate_scheduler!(VirtualTimeScheduler);

impl fmt::Debug for VirtualTimeScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualTimeScheduler")
            .field("elapsed", &self.elapsed())
            .field("pending_tasks", &self.pending_tasks())
            .field("disposed", &self.is_disposed())
            .finish()
    }
}

super::into_shared!(VirtualTimeScheduler);

/// The executor under a [`VirtualTimeScheduler`].
struct VirtualClock {
    start: Instant,
    state: Mutex<ClockState>,
    /// Held for a whole run, so runs from different threads take turns.
    running: Mutex<()>,
}

struct ClockState {
    now: Instant,
    /// Where the run in progress stops.
    target: Instant,
    timers: TimerHeap,
    runner: Option<ThreadId>,
    shutdown: bool,
}

impl VirtualClock {
    fn now(&self) -> Instant {
        self.state.lock().now
    }

    /// Queues `task` for `at` (`None`: now). A deadline already past counts
    /// as now, so that tasks due together run in scheduling order.
    fn schedule(&self, at: Option<Instant>, task: Task) -> Result<(), RejectReason> {
        let mut state = self.state.lock();
        if state.shutdown {
            drop(state);
            drop(task);
            return Err(RejectReason::Disposed);
        }
        let at = at.map_or(state.now, |at| at.max(state.now));
        let swept = state.timers.push(at, task);
        drop(state);
        drop(swept);
        Ok(())
    }

    /// Runs every task due by `target`, moving the clock as it goes.
    fn run_until(&self, target: Instant) {
        let me = thread::current().id();
        {
            let mut state = self.state.lock();
            if state.runner == Some(me) {
                // Race 1: re-entrant advance.
                state.target = state.target.max(target);
                return;
            }
        }
        let _turn = self.running.lock();
        {
            let mut state = self.state.lock();
            state.runner = Some(me);
            state.target = target.max(state.now);
        }
        let _runner = ClearRunner(self);
        loop {
            let task = {
                let mut state = self.state.lock();
                let target = state.target;
                match state.timers.pop_due(target) {
                    Some((at, task)) => {
                        state.now = state.now.max(at);
                        task
                    }
                    None => {
                        state.now = target;
                        break;
                    }
                }
            };
            task.run();
        }
    }
}

/// Clears `runner` when a run ends, unwinding included.
struct ClearRunner<'a>(&'a VirtualClock);

impl Drop for ClearRunner<'_> {
    fn drop(&mut self) {
        self.0.state.lock().runner = None;
    }
}

impl Executor for VirtualClock {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        self.schedule(None, task)
    }

    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
        self.schedule(Some(deadline), task)
    }

    fn now(&self) -> Instant {
        VirtualClock::now(self)
    }

    fn shutdown(&self) {
        let dropped = {
            let mut state = self.state.lock();
            state.shutdown = true;
            state.timers.take_all()
        };
        drop(dropped);
    }
}

impl fmt::Debug for VirtualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualClock")
            .field("elapsed", &(self.now() - self.start))
            .finish()
    }
}
