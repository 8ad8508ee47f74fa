//! The adapter level: [`Executor`] (run a task now, run it at a deadline, a
//! clock) and [`ExecutorScheduler`], which turns any executor into a
//! [`Scheduler`] whose workers are the crate's serial [`Worker`].
//!
//! # Implementation notes
//!
//! ## State
//! `disposed: AtomicBool` in [`SchedulerCore`]: false, then true once, for
//! good. It publishes nothing else: the executor's own state (its queues,
//! its threads) is guarded by the executor.
//!
//! ## Races considered
//! 1. `dispose` vs a schedule on a worker: the worker reads the flag, then
//!    pushes its drain to the executor. If the flag read comes after the
//!    store, the task is rejected; if before, the executor either refuses
//!    the drain (and the worker closes, dropping the task, and reports the
//!    refusal) or accepts it and drops it in its shutdown (and the worker
//!    closes then). A task is run or dropped, never stranded. Modelled in
//!    `src/tests/loom_worker.rs`.
//! 2. `dispose` vs a worker busy with a task: its queue is not with the
//!    executor, so `dispose` closes every registered worker itself, after
//!    setting the flag: the tasks queued behind the running one are dropped
//!    at once, and the running task finishes.

use core::fmt;
use std::time::Instant;

use super::cap::{Permit, TaskCap};
use super::rejected::{RejectReason, Rejected};
use super::task::Task;
use super::worker::{Worker, WorkerCore, PRUNE_MIN};
use super::Scheduler;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex, Weak};

/// The smallest thing a runtime must offer to become a [`Scheduler`]: run a
/// task soon, run one at a deadline, and tell the time.
///
/// Wrap an executor in an [`ExecutorScheduler`]: its workers add the order
/// (one task at a time per worker, in scheduling order), cancellation,
/// periodic tasks and disposal, so an executor needs none of that:
///
/// * it may run tasks on any of its threads, several at once, in any order;
/// * it runs each task it accepted exactly once, or drops it (dropping is how
///   it refuses a task after the fact, at shutdown for instance);
/// * it runs an `execute_at` task at or after `deadline` as its
///   [`now`](Executor::now) tells time, and may drop one whose
///   [`Task::is_cancelled`] is true before then. A timer task runs the
///   worker's task on the firing thread if the worker is idle (saving a
///   trip through `execute`), so an executor that fires timers on several
///   threads at once may run two delayed tasks of one worker that fall due
///   together in either order; the built-in executors fire from one thread,
///   in deadline order;
/// * it refuses a task it cannot take by returning a [`RejectReason`] (the
///   task is dropped).
///
/// Tasks never unwind, so an executor needs no `catch_unwind`.
///
/// # Examples
///
/// A thread per task (for brevity; the built-in schedulers keep one timer per
/// thread and never a thread per task). A tokio adapter has the same shape,
/// with `Handle::spawn` and `tokio::time::sleep_until`:
///
/// ```
/// use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Scheduler, Task};
/// use std::time::Instant;
///
/// #[derive(Debug)]
/// struct ThreadPerTask;
///
/// impl Executor for ThreadPerTask {
///     fn execute(&self, task: Task) -> Result<(), RejectReason> {
///         std::thread::spawn(move || task.run());
///         Ok(())
///     }
///
///     fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
///         std::thread::spawn(move || {
///             std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
///             task.run();
///         });
///         Ok(())
///     }
/// }
///
/// let scheduler = ExecutorScheduler::new("thread-per-task", ThreadPerTask);
/// let worker = scheduler.worker();
/// let (tx, rx) = std::sync::mpsc::channel();
/// for i in 0..3 {
///     let tx = tx.clone();
///     worker.schedule(move || tx.send(i).unwrap()).unwrap();
/// }
/// // One at a time, in order, although every task may land on another thread.
/// assert_eq!(rx.iter().take(3).collect::<Vec<_>>(), [0, 1, 2]);
/// ```
pub trait Executor: Send + Sync + fmt::Debug + 'static {
    /// Runs `task` soon, on any thread of this executor (or inline, as the
    /// [`immediate`](super::immediate) scheduler does).
    ///
    /// # Examples
    ///
    /// See [`Executor`].
    fn execute(&self, task: Task) -> Result<(), RejectReason>;

    /// Runs `task` at or after `deadline`, by this executor's clock. A
    /// deadline already past means "soon".
    ///
    /// # Examples
    ///
    /// See [`Executor`].
    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason>;

    /// This executor's clock; the real one unless overridden.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Executor, RejectReason, Task};
    /// use std::time::Instant;
    ///
    /// #[derive(Debug)]
    /// struct Refuse;
    /// impl Executor for Refuse {
    ///     fn execute(&self, _: Task) -> Result<(), RejectReason> {
    ///         Err(RejectReason::Disposed)
    ///     }
    ///     fn execute_at(&self, _: Instant, _: Task) -> Result<(), RejectReason> {
    ///         Err(RejectReason::Disposed)
    ///     }
    /// }
    ///
    /// let before = Instant::now();
    /// assert!(Refuse.now() >= before);
    /// ```
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Called once, when the [`ExecutorScheduler`] over this executor is
    /// disposed or its last handle and worker are dropped: stop threads, and
    /// drop the tasks not yet started (outside any lock a task's destructor
    /// could need). Tasks handed over later may be refused. Does nothing
    /// unless overridden.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Task};
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Instant;
    ///
    /// #[derive(Debug, Default)]
    /// struct Flagged(AtomicBool);
    /// impl Executor for Flagged {
    ///     fn execute(&self, task: Task) -> Result<(), RejectReason> {
    ///         task.run();
    ///         Ok(())
    ///     }
    ///     fn execute_at(&self, _: Instant, _: Task) -> Result<(), RejectReason> {
    ///         Err(RejectReason::DelayUnsupported)
    ///     }
    ///     fn shutdown(&self) {
    ///         self.0.store(true, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let executor = Arc::new(Flagged::default());
    /// drop(ExecutorScheduler::new("flagged", executor.clone())); // the last handle
    /// assert!(executor.0.load(Ordering::Relaxed));
    /// ```
    fn shutdown(&self) {}
}

impl<E: Executor + ?Sized> Executor for Arc<E> {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        (**self).execute(task)
    }

    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
        (**self).execute_at(deadline, task)
    }

    fn now(&self) -> Instant {
        (**self).now()
    }

    fn shutdown(&self) {
        (**self).shutdown()
    }
}

/// A [`Scheduler`] over any [`Executor`]: every worker is the crate's serial
/// [`Worker`] over that executor. This is how a runtime adapter becomes a
/// scheduler, and how the built-in ones are made.
///
/// A cheap handle: clones share the scheduler. Disposing it, or dropping its
/// last handle and its last [`Worker`] (pending tasks do not count, as
/// tasks spawned on a dropped tokio runtime do not), calls
/// [`Executor::shutdown`] once.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Scheduler, Task};
/// use std::sync::Arc;
/// use std::time::Instant;
///
/// #[derive(Debug)]
/// struct Inline;
/// impl Executor for Inline {
///     fn execute(&self, task: Task) -> Result<(), RejectReason> {
///         task.run();
///         Ok(())
///     }
///     fn execute_at(&self, _: Instant, _: Task) -> Result<(), RejectReason> {
///         Err(RejectReason::DelayUnsupported)
///     }
/// }
///
/// let scheduler = ExecutorScheduler::new("inline", Inline);
/// assert_eq!(scheduler.name(), "inline");
/// // What operators take:
/// let shared: Arc<dyn Scheduler> = scheduler.clone().into();
/// assert!(!shared.is_disposed());
/// scheduler.dispose();
/// assert!(shared.is_disposed());
/// ```
#[derive(Clone)]
pub struct ExecutorScheduler {
    owner: Arc<Owner>,
}

/// Held by every handle of a scheduler and by every [`Worker`] handle, not
/// by tasks: when the last one goes, the scheduler is disposed, even with
/// timers pending (which hold the core, not this).
pub(crate) struct Owner {
    core: Arc<SchedulerCore>,
}

impl Owner {
    pub(crate) fn core(&self) -> &Arc<SchedulerCore> {
        &self.core
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.core.dispose();
    }
}

/// What an [`ExecutorScheduler`] and its workers share.
pub(crate) struct SchedulerCore {
    name: Arc<str>,
    executor: Box<dyn Executor>,
    disposed: AtomicBool,
    /// The workers made so far (weak: a worker lives as long as its handles
    /// and tasks), so that `dispose` closes their queues at once, the queue
    /// of a worker busy with a task included.
    workers: Mutex<Registry>,
    /// The queued-task cap, for schedulers that have one (`blocking`).
    cap: Option<Arc<TaskCap>>,
    /// A firing timer only queues its task (`worker.rs`, race 2).
    queue_timers: bool,
    /// A worker's turn ends with the tasks queued when it began
    /// (`worker.rs`, race 6).
    take_turns: bool,
}

/// What a built-in scheduler may switch on in its [`ExecutorScheduler`];
/// the public constructor switches on nothing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Extras {
    /// A cap on tasks accepted and not started, across all the workers (a
    /// periodic task counts until it ends): beyond it, schedules are
    /// rejected with [`RejectReason::Full`]. Raised to at least one.
    pub(crate) task_cap: Option<usize>,
    /// A firing timer only queues its task on its worker (handing the
    /// executor a drain if the worker is idle) instead of running it on the
    /// firing thread: for an executor whose timer thread must run no user
    /// code, and whose tasks run on several threads (`blocking`).
    pub(crate) queue_timers: bool,
    /// A worker's drain runs the tasks queued when its turn began, then, if
    /// more were queued meanwhile, hands the executor a new drain instead of
    /// running them: for an executor whose thread many workers share (an
    /// event loop), so that a task that keeps scheduling on its own worker
    /// (a hop's continuation) cannot starve the other workers of its
    /// thread. Not for an executor that runs a task inline (`immediate`),
    /// where a new drain would recurse.
    pub(crate) take_turns: bool,
}

/// Weak references to a scheduler's workers, pruned when the list doubles.
#[derive(Default)]
struct Registry {
    workers: Vec<Weak<WorkerCore>>,
    prune_at: usize,
}

impl ExecutorScheduler {
    /// A scheduler named `name` (the name appears in rejections, and built-in
    /// schedulers give it to their threads) over `executor`.
    ///
    /// # Examples
    ///
    /// See [`ExecutorScheduler`].
    pub fn new(name: impl Into<Arc<str>>, executor: impl Executor) -> ExecutorScheduler {
        ExecutorScheduler::with_extras(name, executor, Extras::default())
    }

    /// As [`new`](ExecutorScheduler::new), with what [`Extras`] switches on.
    pub(crate) fn with_extras(
        name: impl Into<Arc<str>>,
        executor: impl Executor,
        extras: Extras,
    ) -> ExecutorScheduler {
        ExecutorScheduler {
            owner: Arc::new(Owner {
                core: Arc::new(SchedulerCore {
                    name: name.into(),
                    executor: Box::new(executor),
                    disposed: AtomicBool::new(false),
                    workers: Mutex::new(Registry::default()),
                    cap: extras.task_cap.map(TaskCap::new),
                    queue_timers: extras.queue_timers,
                    take_turns: extras.take_turns,
                }),
            }),
        }
    }

    /// Tasks accepted and not started, if the scheduler has a cap.
    pub(crate) fn queued_tasks(&self) -> Option<usize> {
        self.owner.core.cap.as_ref().map(|cap| cap.queued())
    }

    /// The scheduler's name.
    ///
    /// # Examples
    ///
    /// See [`ExecutorScheduler`].
    pub fn name(&self) -> &str {
        &self.owner.core.name
    }
}

impl Scheduler for ExecutorScheduler {
    fn worker(&self) -> Worker {
        let worker = Worker::new(Arc::clone(&self.owner));
        self.owner.core.register(worker.core());
        worker
    }

    fn now(&self) -> Instant {
        self.owner.core.executor.now()
    }

    fn dispose(&self) {
        self.owner.core.dispose();
    }

    fn is_disposed(&self) -> bool {
        self.owner.core.is_disposed()
    }
}

impl fmt::Debug for ExecutorScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.owner.core.fmt(f)
    }
}

super::into_shared!(ExecutorScheduler);

impl SchedulerCore {
    pub(crate) fn name(&self) -> &Arc<str> {
        &self.name
    }

    pub(crate) fn executor(&self) -> &dyn Executor {
        &*self.executor
    }

    /// A firing timer only queues its task (see [`Extras`]).
    pub(crate) fn queues_timers(&self) -> bool {
        self.queue_timers
    }

    /// A worker's turn ends with the tasks queued when it began (see
    /// [`Extras`]).
    pub(crate) fn takes_turns(&self) -> bool {
        self.take_turns
    }

    pub(crate) fn rejected(&self, reason: RejectReason) -> Rejected {
        Rejected::new(Arc::clone(&self.name), reason)
    }

    /// A slot under the queued-task cap for a new task (`None` when the
    /// scheduler has no cap), or [`RejectReason::Full`]. The task's closure
    /// keeps the permit until it starts or is dropped.
    pub(crate) fn admit(&self) -> Result<Option<Permit>, Rejected> {
        match &self.cap {
            None => Ok(None),
            Some(cap) => match cap.acquire() {
                Some(permit) => Ok(Some(permit)),
                None => Err(self.rejected(RejectReason::Full)),
            },
        }
    }

    pub(crate) fn is_disposed(&self) -> bool {
        // Ordering: Acquire, pairs with the Release swap in `dispose`, so a
        // schedule that starts after `dispose` returned sees the flag (see
        // race 1 in the module docs).
        self.disposed.load(Ordering::Acquire)
    }

    pub(crate) fn dispose(&self) {
        // Ordering: Release, pairs with the Acquire load in `is_disposed`;
        // the swap makes the executor's shutdown run once.
        if self.disposed.swap(true, Ordering::Release) {
            return;
        }
        self.executor.shutdown();
        // Then the queues the executor cannot see: those of workers busy with
        // a task (the flag above rejects any task scheduled from now on).
        let workers = std::mem::take(&mut self.workers.lock().workers);
        for worker in workers {
            if let Some(worker) = worker.upgrade() {
                worker.close(RejectReason::Disposed);
            }
        }
    }

    /// Remembers `worker` for `dispose`.
    fn register(&self, worker: &Arc<WorkerCore>) {
        let mut registry = self.workers.lock();
        if registry.workers.len() >= registry.prune_at {
            // `strong_count`, not `upgrade`: a temporary strong reference
            // could be the last one, and drop a worker under the lock.
            registry.workers.retain(|worker| worker.strong_count() > 0);
            registry.prune_at = (registry.workers.len() * 2).max(PRUNE_MIN);
        }
        registry.workers.push(Arc::downgrade(worker));
    }
}

impl fmt::Debug for SchedulerCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecutorScheduler")
            .field("name", &self.name)
            .field("disposed", &self.is_disposed())
            .field("executor", &self.executor)
            .field("cap", &self.cap)
            .field("queue_timers", &self.queue_timers)
            .field("take_turns", &self.take_turns)
            .finish()
    }
}
