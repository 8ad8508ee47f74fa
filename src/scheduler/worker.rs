//! [`Worker`]: the crate's serial worker. It turns any
//! [`Executor`](super::Executor) (unordered, maybe many threads) into an
//! ordered lane: one task at a time, in scheduling order, by trampolining
//! (after Reactor's `ExecutorSchedulerTrampolineWorker`). The first task
//! scheduled on an idle worker hands the executor one drain task, which runs
//! everything queued meanwhile; later tasks only join the queue.
//!
//! # Implementation notes
//!
//! ## State
//! Everything mutable sits in one mutex, `WorkerCore::state`; the only
//! atomic is the scheduler's `disposed` flag (see `executor.rs`). There is no
//! lock-free protocol here: a schedule costs one uncontended lock, and
//! schedules come once per wake-up of a drain, not once per item.
//!
//! * `queue`: the tasks waiting for the drain.
//! * `running`: a drain task is with the executor or running. Set by the
//!   schedule that found the worker idle; cleared by the drain when it finds
//!   the queue empty, in the same critical section, so a task is never left
//!   in the queue of an idle worker.
//! * `closed`: why the worker stopped taking tasks (disposed, its scheduler
//!   disposed, or its drain dropped unrun by the executor). Final; the only
//!   reason that may be replaced is the fallback `Abandoned`, by the precise
//!   reason the executor gave.
//! * `timers`: weak references to the worker's delayed and periodic tasks,
//!   so that `dispose` cancels them (and drops their closures) at once,
//!   instead of when their deadlines come.
//! * `panic_handler`: what [`Worker::on_panic`] set; dropped by a disposal,
//!   which breaks the cycle of an operator whose state holds its worker
//!   and whose handler holds that state.
//!
//! ## Field access rules
//! * All fields only under the lock. Nothing runs a task or drops a user
//!   closure while holding it: tasks run outside, and closures dropped by a
//!   disposal are dropped after the unlock, because their destructors may
//!   schedule or cancel on this same worker.
//!
//! ## Races considered
//! 1. A schedule vs the drain finding the queue empty: both under the lock.
//!    Either the push comes first and the drain pops it, or the drain clears
//!    `running` first and the schedule finds the worker idle and hands the
//!    executor a new drain. No task is stranded, no two drains run at once.
//! 2. A timer firing vs the worker running: the firing takes the lock; if
//!    the worker runs, the task joins the queue; else the firing thread
//!    becomes the drain (it sets `running`) and runs the task inline, which
//!    saves a second trip through the executor and keeps ties in deadline
//!    order across workers (the virtual clock promises it). A scheduler
//!    whose timer thread must not run user code, and whose tasks run on
//!    several threads (`blocking`: two pool threads running two firings
//!    would race for the worker, and could run two tasks due together in
//!    either order), switches on `queue_timers`: the firing only queues the
//!    task, exactly as a schedule does (race 1), so timers reach the queue
//!    in the order the timer thread fires them.
//! 3. `dispose` vs a schedule: `dispose` sets `closed` and empties the queue
//!    under the lock; a schedule checks `closed` under the same lock, so it
//!    is either rejected or its task is in the queue `dispose` empties. A
//!    running drain checks `closed` before each task: the task in progress
//!    finishes, no later one starts.
//! 4. `cancel` vs the task starting: the task's closure sits in a mutex slot
//!    (`task.rs`); whoever takes it out first wins, so it runs or is dropped,
//!    once.
//! 5. A task panics: the user task catches it (`task.rs`), keeps it for its
//!    handle and returns it to the drain, which calls the panic handler
//!    (cloned out of the lock, called outside it) before the next task: the
//!    handler is serialized with the worker's tasks.
//! 6. A task that schedules on its own worker while it runs (a hop's
//!    continuation) vs the other workers of the same thread: the worker's
//!    queue is never empty when its drain looks, so a drain that ran until
//!    the queue is empty would never give the thread back. On a scheduler
//!    that takes turns (the event loops of `single` and `parallel`), a
//!    drain runs only the tasks queued when its turn began, then hands the
//!    executor a new drain (`running` stays set, so no second drain starts
//!    meanwhile) and returns: the drains of the other workers, queued on
//!    the thread before it, run first.

use core::fmt;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::executor::{Owner, SchedulerCore};
use super::rejected::{RejectReason, Rejected};
use super::task::{catch, Job, Once, Task, TaskHandle};
use crate::error::Error;
use crate::sync::{Arc, Mutex, Weak};

/// Delays and periods above this (2^30 seconds, about 34 years) are clamped
/// to it, so that no deadline overflows `Instant`.
pub const MAX_DELAY: Duration = Duration::from_secs(1 << 30);

/// Below this many entries a registry of weak references (a worker's
/// timers, a scheduler's workers) is not pruned of dead ones.
pub(crate) const PRUNE_MIN: usize = 64;

/// An ordered lane of a [`Scheduler`](super::Scheduler): the tasks scheduled
/// on one worker run one at a time, in the order they were scheduled (a
/// delayed task in the order its deadline came), each seeing everything the
/// previous one did. So a drain loop scheduled on a worker needs no further
/// serialization.
///
/// Get one from [`Scheduler::worker`](super::Scheduler::worker). A cheap
/// handle: clones are the same worker.
///
/// * Every schedule returns a [`TaskHandle`] that cancels the task, or
///   [`Rejected`] (naming the scheduler and the reason) when the worker or
///   its scheduler is disposed or cannot run what was asked; a rejected task
///   has been dropped by then. Turn a rejection into `on_error` with
///   [`Error::from`](crate::Error).
/// * A task runs on one of the scheduler's threads (the caller's for
///   [`immediate`](super::immediate), the advancing thread for
///   [`VirtualTimeScheduler`](super::VirtualTimeScheduler)). A task
///   scheduled from inside a task of the same worker runs after it, never
///   inside it.
/// * A task that panics does not take the worker down: the next task runs.
///   The panic is kept by the task's [`TaskHandle::panicked`] and handed to
///   the worker's [`on_panic`](Worker::on_panic) handler, on the worker,
///   before the next task. A periodic task stops at its first panic.
/// * [`dispose`](Worker::dispose) cancels everything the worker has not
///   started. Dropping the last handle does **not**: accepted tasks still
///   run, so `scheduler.worker().schedule(f)` is fire-and-forget, as long
///   as the scheduler lives (a scheduler you own is disposed when its last
///   handle and last worker are dropped, pending tasks or not).
/// * A task accepted and then dropped unrun (by a disposal) is dropped with
///   its closure, on the disposing thread or the one that would have run it:
///   a task that must learn it will never run can carry a guard whose `Drop`
///   says so.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{Scheduler, SingleScheduler};
/// use std::sync::mpsc;
///
/// let scheduler = SingleScheduler::new("doc-worker");
/// let worker = scheduler.worker();
/// let (tx, rx) = mpsc::channel();
/// for i in 0..3 {
///     let tx = tx.clone();
///     worker.schedule(move || tx.send(i).unwrap()).unwrap();
/// }
/// assert_eq!(rx.iter().take(3).collect::<Vec<_>>(), [0, 1, 2]);
/// scheduler.dispose();
/// assert!(worker.schedule(|| {}).is_err());
/// ```
#[derive(Clone)]
pub struct Worker {
    core: Arc<WorkerCore>,
    /// Keeps the scheduler from being disposed by the drop of its last
    /// handle while this worker lives.
    _owner: Arc<Owner>,
}

impl Worker {
    pub(crate) fn new(owner: Arc<Owner>) -> Worker {
        Worker {
            _owner: Arc::clone(&owner),
            core: Arc::new(WorkerCore {
                scheduler: Arc::clone(owner.core()),
                state: Mutex::new(WorkerState {
                    queue: VecDeque::new(),
                    running: false,
                    closed: None,
                    timers: Vec::new(),
                    prune_at: PRUNE_MIN,
                    panic_handler: None,
                }),
            }),
        }
    }

    pub(crate) fn core(&self) -> &Arc<WorkerCore> {
        &self.core
    }

    /// Runs `task` on this worker as soon as the tasks scheduled before it
    /// have run.
    ///
    /// # Errors
    ///
    /// [`Rejected`] if the worker or its scheduler is disposed, the
    /// scheduler could not get a thread, or its queued-task cap is reached
    /// ([`RejectReason::Full`](super::RejectReason::Full), on the
    /// [`blocking`](super::blocking) scheduler); `task` has been dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{self, Scheduler};
    /// use std::sync::{Arc, Mutex};
    ///
    /// // On the immediate scheduler a task runs on the caller, before
    /// // `schedule` returns; one scheduled from inside it runs after it.
    /// let worker = scheduler::immediate().worker();
    /// let log = Arc::new(Mutex::new(Vec::new()));
    /// let (inner_worker, inner_log) = (worker.clone(), log.clone());
    /// worker
    ///     .schedule(move || {
    ///         let log = inner_log.clone();
    ///         inner_worker.schedule(move || log.lock().unwrap().push("inner")).unwrap();
    ///         inner_log.lock().unwrap().push("outer");
    ///     })
    ///     .unwrap();
    /// assert_eq!(*log.lock().unwrap(), ["outer", "inner"]);
    /// ```
    pub fn schedule<F>(&self, task: F) -> Result<TaskHandle, Rejected>
    where
        F: FnOnce() + Send + 'static,
    {
        // The permit (if the scheduler caps its queue) is given back as the
        // task starts, or with the closure if it never does.
        let permit = self.core.scheduler.admit()?;
        let job = Arc::new(Once::new(move || {
            drop(permit);
            task();
        }));
        self.core.push(Arc::clone(&job) as Arc<dyn Job>)?;
        Ok(TaskHandle::new(job))
    }

    /// Runs `task` on this worker once `delay` has passed on the scheduler's
    /// clock (at [`now`](Worker::now)` + delay`, or later if the worker is
    /// busy then). A zero delay is no delay: the same as
    /// [`schedule`](Worker::schedule). Delays above [`MAX_DELAY`] are
    /// clamped to it. The timer belongs to the scheduler: no thread waits
    /// for it.
    ///
    /// # Errors
    ///
    /// As [`schedule`](Worker::schedule), and
    /// [`RejectReason::DelayUnsupported`](super::RejectReason::DelayUnsupported)
    /// on the immediate scheduler (which never sleeps a thread).
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
    /// let fired_at = Arc::new(Mutex::new(None));
    /// let (slot, clock) = (fired_at.clone(), worker.clone());
    /// worker
    ///     .schedule_after(Duration::from_millis(1500), move || {
    ///         *slot.lock().unwrap() = Some(clock.now());
    ///     })
    ///     .unwrap();
    /// vts.advance_by(Duration::from_secs(1));
    /// assert_eq!(*fired_at.lock().unwrap(), None);
    /// let start = vts.now() - Duration::from_secs(1);
    /// vts.advance_by(Duration::from_secs(1));
    /// assert_eq!(*fired_at.lock().unwrap(), Some(start + Duration::from_millis(1500)));
    /// ```
    pub fn schedule_after<F>(&self, delay: Duration, task: F) -> Result<TaskHandle, Rejected>
    where
        F: FnOnce() + Send + 'static,
    {
        if delay.is_zero() {
            return self.schedule(task);
        }
        let permit = self.core.scheduler.admit()?;
        let job = Arc::new(Once::new(move || {
            drop(permit);
            task();
        }));
        let at = deadline(self.now(), delay);
        self.core.arm(at, Arc::clone(&job) as Arc<dyn Job>, true)?;
        Ok(TaskHandle::new(job))
    }

    /// Runs `task` on this worker after `initial_delay`, then every `period`,
    /// until cancelled (through the handle, or by disposing the worker or
    /// the scheduler).
    ///
    /// A run that panics stops the task: no later run comes, the handle's
    /// [`panicked`](TaskHandle::panicked) keeps the panic, and the worker's
    /// [`on_panic`](Worker::on_panic) handler hears of it. On a scheduler
    /// with a queued-task cap, a periodic task holds one slot until it ends.
    ///
    /// Fixed rate: the n-th run is due at `now + initial_delay + n * period`,
    /// whatever the runs before took. A run that is late (the worker was
    /// busy, or a run took longer than the period) is followed at once by
    /// the runs that fell due meanwhile, one after another, never two at
    /// once: every period crossed gets one run, on every scheduler, so a
    /// test in virtual time sees what production sees. Periods and delays
    /// above [`MAX_DELAY`] are clamped to it.
    ///
    /// # Errors
    ///
    /// As [`schedule_after`](Worker::schedule_after), and
    /// [`RejectReason::ZeroPeriod`](super::RejectReason::ZeroPeriod) for a
    /// zero `period`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let ticks = Arc::new(AtomicU32::new(0));
    /// let counter = ticks.clone();
    /// let handle = vts
    ///     .worker()
    ///     .schedule_periodically(Duration::from_secs(1), Duration::from_secs(1), move || {
    ///         counter.fetch_add(1, Ordering::Relaxed);
    ///     })
    ///     .unwrap();
    /// vts.advance_by(Duration::from_secs(10));
    /// assert_eq!(ticks.load(Ordering::Relaxed), 10); // once per period crossed
    /// handle.cancel();
    /// vts.advance_by(Duration::from_secs(10));
    /// assert_eq!(ticks.load(Ordering::Relaxed), 10);
    /// ```
    pub fn schedule_periodically<F>(
        &self,
        initial_delay: Duration,
        period: Duration,
        task: F,
    ) -> Result<TaskHandle, Rejected>
    where
        F: FnMut() + Send + 'static,
    {
        if period.is_zero() {
            return Err(self.core.scheduler.rejected(RejectReason::ZeroPeriod));
        }
        let permit = self.core.scheduler.admit()?;
        let mut task = task;
        let task = move || {
            let _slot = &permit; // held until the task ends
            task();
        };
        let first = deadline(self.now(), initial_delay);
        let job = Arc::new(Periodic {
            worker: Arc::downgrade(&self.core),
            period: period.min(MAX_DELAY),
            slot: Mutex::new(PeriodicSlot::Idle {
                task,
                deadline: first,
            }),
        });
        self.core
            .arm(first, Arc::clone(&job) as Arc<dyn Job>, true)?;
        Ok(TaskHandle::new(job))
    }

    /// Hands every panic of this worker's tasks to `handler`, as an [`Error`]
    /// of kind [`Panic`](crate::ErrorKind::Panic): how an operator turns a
    /// panic on its worker into `on_error`.
    ///
    /// The handler runs on the worker, right after the task that panicked
    /// and before the next one, so it is serialized with the worker's tasks
    /// exactly as a task is: it may signal downstream as the task would
    /// have. One handler per worker (a later call replaces it). A panic of
    /// the handler itself is caught and dropped.
    ///
    /// Disposing the worker drops the handler (a task that panics while the
    /// worker is being disposed reaches only its handle). An operator whose
    /// state holds its worker, with a handler that holds that state, must
    /// dispose the worker when its stream ends, which it does anyway to
    /// release its timers.
    ///
    /// Without a handler, a panic is only printed (by the panic hook) and
    /// kept by the task's [`TaskHandle::panicked`].
    ///
    /// # Examples
    ///
    /// An operator sets the handler once, when it makes its worker:
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use reactive_streams::{Error, ErrorKind};
    /// use std::sync::{Arc, Mutex};
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let worker = vts.worker();
    /// let failed: Arc<Mutex<Vec<Error>>> = Arc::default();
    /// let on_error = failed.clone();
    /// worker.on_panic(move |error| on_error.lock().unwrap().push(error));
    ///
    /// let drain = worker.schedule(|| panic!("subscriber failed")).unwrap();
    /// let next = worker.schedule(|| {}).unwrap();
    /// vts.run_due();
    /// let errors = failed.lock().unwrap();
    /// assert_eq!(errors.len(), 1);
    /// assert_eq!(errors[0].kind(), ErrorKind::Panic);
    /// assert_eq!(errors[0].to_string(), "panicked: subscriber failed");
    /// assert!(drain.panicked().is_some());
    /// assert!(next.panicked().is_none()); // the worker went on
    /// ```
    pub fn on_panic<H>(&self, handler: H)
    where
        H: Fn(Error) + Send + Sync + 'static,
    {
        let handler: PanicHandler = Arc::new(handler);
        let replaced = {
            let mut state = self.core.state.lock();
            if state.closed.is_some() {
                Some(handler) // a closed worker runs no task: drop it
            } else {
                state.panic_handler.replace(handler)
            }
        };
        // Outside the lock: the handler's captures may call this worker.
        drop(replaced);
    }

    /// The scheduler's clock, as [`Scheduler::now`](super::Scheduler::now).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let worker = vts.worker();
    /// let before = worker.now();
    /// vts.advance_by(Duration::from_secs(3));
    /// assert_eq!(worker.now() - before, Duration::from_secs(3));
    /// ```
    pub fn now(&self) -> Instant {
        self.core.scheduler.executor().now()
    }

    /// Stops the worker: every task it has not started is cancelled and its
    /// closure dropped (a task in progress finishes), and later schedules
    /// are rejected with
    /// [`RejectReason::WorkerDisposed`](super::RejectReason::WorkerDisposed).
    /// The scheduler and its other workers go on. Idempotent.
    ///
    /// An operator disposes its worker when its stream ends or is
    /// cancelled, which also releases the timers it left armed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{RejectReason, Scheduler, VirtualTimeScheduler};
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let worker = vts.worker();
    /// let pending = worker.schedule_after(Duration::from_secs(1), || unreachable!()).unwrap();
    /// worker.dispose();
    /// assert!(worker.is_disposed());
    /// assert!(pending.is_cancelled());
    /// let rejected = worker.schedule(|| {}).unwrap_err();
    /// assert_eq!(rejected.reason(), &RejectReason::WorkerDisposed);
    /// vts.advance_by(Duration::from_secs(2)); // nothing runs
    /// assert!(!vts.is_disposed());
    /// ```
    pub fn dispose(&self) {
        self.core.close(RejectReason::WorkerDisposed);
    }

    /// Why the worker refuses tasks now, if it does: what an operator
    /// reports when a timer it armed was dropped unrun (its scheduler was
    /// disposed after accepting it).
    pub(crate) fn rejection(&self) -> Option<Rejected> {
        let state = self.core.state.lock();
        let reason = self.core.refusal(&state)?;
        drop(state);
        Some(self.core.scheduler.rejected(reason))
    }

    /// True once the worker or its scheduler was disposed (or the worker was
    /// closed because its executor dropped its queue).
    ///
    /// # Examples
    ///
    /// See [`dispose`](Worker::dispose).
    pub fn is_disposed(&self) -> bool {
        self.core.state.lock().closed.is_some() || self.core.scheduler.is_disposed()
    }
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.core.state.lock();
        f.debug_struct("Worker")
            .field("scheduler", &self.core.scheduler.name())
            .field("queued", &state.queue.len())
            .field("running", &state.running)
            .field("closed", &state.closed)
            .field("panic_handler", &state.panic_handler.is_some())
            .finish()
    }
}

/// `now + delay`, with the delay clamped to [`MAX_DELAY`].
pub(crate) fn deadline(now: Instant, delay: Duration) -> Instant {
    // `checked_add` cannot fail on the platforms std supports (their
    // `Instant` reaches centuries ahead); if it ever did, the task would be
    // due at once rather than panic.
    now.checked_add(delay.min(MAX_DELAY)).unwrap_or(now)
}

/// What a [`Worker`] handle, its drain and its timers share.
pub(crate) struct WorkerCore {
    scheduler: Arc<SchedulerCore>,
    state: Mutex<WorkerState>,
}

/// What [`Worker::on_panic`] keeps.
type PanicHandler = Arc<dyn Fn(Error) + Send + Sync>;

struct WorkerState {
    queue: VecDeque<Arc<dyn Job>>,
    running: bool,
    closed: Option<RejectReason>,
    timers: Vec<Weak<dyn Job>>,
    /// Prune dead entries of `timers` when it reaches this length.
    prune_at: usize,
    panic_handler: Option<PanicHandler>,
}

impl WorkerCore {
    /// Why a task would be rejected now, if it would.
    fn refusal(&self, state: &WorkerState) -> Option<RejectReason> {
        if let Some(reason) = &state.closed {
            return Some(reason.clone());
        }
        if self.scheduler.is_disposed() {
            return Some(RejectReason::Disposed);
        }
        None
    }

    /// Queues `job`, and hands the executor a drain if the worker was idle
    /// (race 1).
    fn push(self: &Arc<Self>, job: Arc<dyn Job>) -> Result<(), Rejected> {
        let mut state = self.state.lock();
        if let Some(reason) = self.refusal(&state) {
            drop(state);
            return Err(self.scheduler.rejected(reason));
        }
        state.queue.push_back(job);
        if state.running {
            return Ok(());
        }
        state.running = true;
        drop(state);
        let drain = Task::new(Arc::clone(self) as Arc<dyn Job>);
        match self.scheduler.executor().execute(drain) {
            Ok(()) => Ok(()),
            Err(reason) => {
                // The executor dropped the drain, which closed the worker as
                // `Abandoned`; record the precise reason.
                self.close(reason.clone());
                Err(self.scheduler.rejected(reason))
            }
        }
    }

    /// Hands the executor a timer for `job` at `at`; `register` it for
    /// `dispose` the first time.
    fn arm(
        self: &Arc<Self>,
        at: Instant,
        job: Arc<dyn Job>,
        register: bool,
    ) -> Result<(), Rejected> {
        {
            let mut state = self.state.lock();
            if let Some(reason) = self.refusal(&state) {
                drop(state);
                job.discard();
                return Err(self.scheduler.rejected(reason));
            }
            if register {
                if state.timers.len() >= state.prune_at {
                    // `strong_count`, not `upgrade`: a temporary strong
                    // reference could be the last one, and drop a closure
                    // under the lock.
                    state.timers.retain(|timer| timer.strong_count() > 0);
                    state.prune_at = (state.timers.len() * 2).max(PRUNE_MIN);
                }
                state.timers.push(Arc::downgrade(&job));
            }
        }
        let fire = Arc::new(Fire {
            worker: Arc::clone(self),
            job,
        });
        // On refusal the executor dropped the timer, which discarded `job`.
        self.scheduler
            .executor()
            .execute_at(at, Task::new(fire))
            .map_err(|reason| self.scheduler.rejected(reason))
    }

    /// A timer fired: run `job` now if the worker is idle, else queue it;
    /// only queue it if the scheduler says so (race 2).
    fn fire(self: &Arc<Self>, job: Arc<dyn Job>) {
        if job.is_cancelled() {
            return;
        }
        if self.scheduler.queues_timers() {
            if self.push(Arc::clone(&job)).is_err() {
                // Refused (the worker or its scheduler is closed): the task
                // will never run; its handle must say so.
                job.discard();
            }
            return;
        }
        let mut state = self.state.lock();
        if self.refusal(&state).is_some() {
            drop(state);
            job.discard();
            return;
        }
        if state.running {
            state.queue.push_back(job);
            return;
        }
        state.running = true;
        drop(state);
        self.run_one(job);
        self.drain();
    }

    /// Runs queued tasks until the queue is empty or the worker is closed;
    /// on a scheduler that takes turns, only the tasks queued when the turn
    /// began, then the executor gets a new drain for the rest (race 6).
    fn drain(self: &Arc<Self>) {
        let mut turn = if self.scheduler.takes_turns() {
            self.state.lock().queue.len()
        } else {
            usize::MAX
        };
        loop {
            let job = {
                let mut state = self.state.lock();
                if self.refusal(&state).is_some() {
                    state.running = false;
                    drop(state);
                    // Drops what is still queued (race 3).
                    self.close(RejectReason::Disposed);
                    return;
                }
                if turn == 0 && !state.queue.is_empty() {
                    // Still `running`: the new drain goes on from here.
                    drop(state);
                    let drain = Task::new(Arc::clone(self) as Arc<dyn Job>);
                    if let Err(reason) = self.scheduler.executor().execute(drain) {
                        // The executor dropped the drain, which closed the
                        // worker; record the precise reason.
                        self.close(reason);
                    }
                    return;
                }
                match state.queue.pop_front() {
                    Some(job) => job,
                    None => {
                        state.running = false;
                        return;
                    }
                }
            };
            turn = turn.saturating_sub(1);
            self.run_one(job);
        }
    }

    /// Runs one task of the worker, and reports its panic (race 5).
    fn run_one(&self, job: Arc<dyn Job>) {
        let Some(error) = job.run() else {
            return;
        };
        let handler = self.state.lock().panic_handler.clone();
        if let Some(handler) = handler {
            // The handler's own panic is contained too: the hook printed it.
            let _ = catch(move || handler(error));
        }
    }

    /// Stops taking tasks and discards every task not started (race 3).
    pub(crate) fn close(&self, reason: RejectReason) {
        let (queue, timers, handler) = {
            let mut state = self.state.lock();
            match state.closed {
                None | Some(RejectReason::Abandoned) => state.closed = Some(reason),
                Some(_) => {}
            }
            (
                std::mem::take(&mut state.queue),
                std::mem::take(&mut state.timers),
                state.panic_handler.take(),
            )
        };
        drop(handler);
        // Outside the lock: the closures' destructors may call this worker.
        for job in queue {
            job.discard();
        }
        for timer in timers {
            if let Some(job) = timer.upgrade() {
                job.discard();
            }
        }
    }
}

/// The worker's drain, as the executor sees it.
impl Job for WorkerCore {
    fn run(self: Arc<Self>) -> Option<Error> {
        self.drain();
        None
    }

    fn discard(&self) {
        // The executor dropped the drain unrun: nobody will run the queue.
        let reason = if self.scheduler.is_disposed() {
            RejectReason::Disposed
        } else {
            RejectReason::Abandoned
        };
        self.close(reason);
    }

    fn is_cancelled(&self) -> bool {
        self.state.lock().closed.is_some()
    }
}

/// A timer of a worker, as the executor sees it: when it fires, the job runs
/// on the worker.
struct Fire {
    worker: Arc<WorkerCore>,
    job: Arc<dyn Job>,
}

impl Job for Fire {
    fn run(self: Arc<Self>) -> Option<Error> {
        self.worker.fire(Arc::clone(&self.job));
        None
    }

    fn discard(&self) {
        self.job.discard();
    }

    fn is_cancelled(&self) -> bool {
        self.job.is_cancelled()
    }
}

/// A periodic user task: runs, then arms its next timer.
struct Periodic<F> {
    /// Weak: a handle kept by the user must not keep a disposed worker alive.
    worker: Weak<WorkerCore>,
    period: Duration,
    slot: Mutex<PeriodicSlot<F>>,
}

enum PeriodicSlot<F> {
    Idle {
        task: F,
        deadline: Instant,
    },
    /// A run is in progress.
    Running,
    Cancelled,
    /// A run panicked, which ended the task.
    Panicked(Error),
}

impl<F: FnMut() + Send + 'static> Job for Periodic<F> {
    fn run(self: Arc<Self>) -> Option<Error> {
        let (mut task, due) = {
            let mut slot = self.slot.lock();
            match std::mem::replace(&mut *slot, PeriodicSlot::Running) {
                PeriodicSlot::Idle { task, deadline } => (task, deadline),
                other => {
                    *slot = other;
                    return None;
                }
            }
        };
        if let Err(error) = catch(&mut task) {
            // The task ends here; its closure (and any permit in it) is
            // dropped outside the lock. A cancel that came during the run
            // stays: a cancelled handle stays cancelled.
            {
                let mut slot = self.slot.lock();
                if matches!(*slot, PeriodicSlot::Running) {
                    *slot = PeriodicSlot::Panicked(error.clone());
                }
            }
            drop(task);
            return Some(error);
        }
        let next = due.checked_add(self.period);
        let stopped = {
            let mut slot = self.slot.lock();
            match (&*slot, next) {
                (PeriodicSlot::Running, Some(deadline)) => {
                    *slot = PeriodicSlot::Idle { task, deadline };
                    None
                }
                _ => {
                    *slot = PeriodicSlot::Cancelled;
                    Some(task)
                }
            }
        };
        if let Some(task) = stopped {
            // Cancelled during the run (or the clock ran out): drop the
            // closure outside the lock.
            drop(task);
            return None;
        }
        // The worker is alive (its drain runs this), so `upgrade` succeeds;
        // a refused timer has discarded this task already.
        if let (Some(worker), Some(next)) = (self.worker.upgrade(), next) {
            let _ = worker.arm(next, Arc::clone(&self) as Arc<dyn Job>, false);
        } else {
            self.discard();
        }
        None
    }

    fn discard(&self) {
        let dropped = {
            let mut slot = self.slot.lock();
            if matches!(*slot, PeriodicSlot::Panicked(_)) {
                return;
            }
            std::mem::replace(&mut *slot, PeriodicSlot::Cancelled)
        };
        drop(dropped);
    }

    fn is_cancelled(&self) -> bool {
        matches!(*self.slot.lock(), PeriodicSlot::Cancelled)
    }

    fn panicked(&self) -> Option<Error> {
        match &*self.slot.lock() {
            PeriodicSlot::Panicked(error) => Some(error.clone()),
            _ => None,
        }
    }
}
