//! What schedulers move around: [`Task`] (a unit of work handed to an
//! [`Executor`](super::Executor)), [`TaskHandle`] (cancels what a
//! [`Worker`](super::Worker) accepted), and the crate-private [`Job`] both
//! stand on.
//!
//! Every job ends exactly one way: it runs once, or it is discarded (cancelled
//! through its handle, dropped by a disposal, or dropped unrun by an
//! executor), and a discarded job drops its closure at once. The one-shot
//! job's state lives under a small mutex, so a cancel racing a run needs no
//! atomic protocol of its own: whoever takes the closure out first wins.

use core::fmt;
use core::mem;

use crate::sync::{Arc, Mutex};

/// The crate's unit of scheduled work: a worker's drain, a timer firing, or a
/// user's task (one-shot or periodic).
pub(crate) trait Job: Send + Sync + 'static {
    /// Runs the job. Never called after [`discard`](Job::discard) took
    /// effect; a job runs at most once per scheduling.
    fn run(self: Arc<Self>);

    /// The job will never run (cancelled, or dropped by a disposal or an
    /// executor): drop what it holds now. Idempotent.
    fn discard(&self);

    /// True once [`discard`](Job::discard) took effect: a timer may drop the
    /// job early.
    fn is_cancelled(&self) -> bool;
}

/// A unit of work an [`Executor`](super::Executor) is asked to run.
///
/// An executor runs it exactly once with [`run`](Task::run), or drops it:
/// dropping a task that will never run is how an executor refuses it after
/// the fact (at shutdown, say), and the task then releases what it holds.
/// A timer may drop a task whose [`is_cancelled`](Task::is_cancelled) is
/// true before its deadline, to keep cancelled timers from piling up.
///
/// Tasks are made by the crate's [`Worker`](super::Worker); an executor only
/// receives them.
///
/// # Examples
///
/// An executor that runs every task on the calling thread (delays refused):
///
/// ```
/// use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Scheduler, Task};
/// use std::time::Instant;
///
/// #[derive(Debug)]
/// struct Inline;
///
/// impl Executor for Inline {
///     fn execute(&self, task: Task) -> Result<(), RejectReason> {
///         task.run();
///         Ok(())
///     }
///
///     fn execute_at(&self, _: Instant, _: Task) -> Result<(), RejectReason> {
///         Err(RejectReason::DelayUnsupported)
///     }
/// }
///
/// let scheduler = ExecutorScheduler::new("inline", Inline);
/// let (tx, rx) = std::sync::mpsc::channel();
/// scheduler.worker().schedule(move || tx.send(7).unwrap()).unwrap();
/// assert_eq!(rx.try_recv(), Ok(7));
/// ```
pub struct Task {
    /// `Some` until the task runs or is dropped.
    job: Option<Arc<dyn Job>>,
}

impl Task {
    pub(crate) fn new(job: Arc<dyn Job>) -> Task {
        Task { job: Some(job) }
    }

    /// Runs the task on the calling thread. It never unwinds: a panic in the
    /// user code it runs is caught by the worker it belongs to.
    ///
    /// # Examples
    ///
    /// See [`Task`].
    pub fn run(mut self) {
        if let Some(job) = self.job.take() {
            job.run();
        }
    }

    /// True when the task was cancelled: running it would do nothing, and a
    /// timer may drop it before its deadline.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Scheduler, Task};
    /// use std::sync::Mutex;
    /// use std::time::{Duration, Instant};
    ///
    /// /// Keeps its timers for the test to look at.
    /// #[derive(Debug, Default)]
    /// struct Parked(Mutex<Vec<Task>>);
    ///
    /// impl Executor for Parked {
    ///     fn execute(&self, task: Task) -> Result<(), RejectReason> {
    ///         task.run();
    ///         Ok(())
    ///     }
    ///
    ///     fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
    ///         self.0.lock().unwrap().push(task);
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let executor = std::sync::Arc::new(Parked::default());
    /// let scheduler = ExecutorScheduler::new("parked", executor.clone());
    /// let handle = scheduler.worker().schedule_after(Duration::from_secs(5), || {}).unwrap();
    /// assert!(!executor.0.lock().unwrap()[0].is_cancelled());
    /// handle.cancel();
    /// assert!(executor.0.lock().unwrap()[0].is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.job.as_ref().map_or(true, |job| job.is_cancelled())
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        // Dropped unrun: the executor refused it after the fact.
        if let Some(job) = self.job.take() {
            job.discard();
        }
    }
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// Cancels a task that a [`Worker`](super::Worker) accepted.
///
/// Cheap to clone; dropping it does **not** cancel the task (scheduling is
/// fire-and-forget unless you keep the handle). Cancelling a task that has
/// not started means it never runs and its closure is dropped at once;
/// cancelling a periodic task stops it after the run in progress, if any;
/// cancelling a task that already ran does nothing.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let fired = Arc::new(AtomicBool::new(false));
/// let flag = fired.clone();
/// let handle = vts
///     .worker()
///     .schedule_after(Duration::from_secs(1), move || flag.store(true, Ordering::Relaxed))
///     .unwrap();
/// handle.cancel();
/// assert!(handle.is_cancelled());
/// vts.advance_by(Duration::from_secs(2));
/// assert!(!fired.load(Ordering::Relaxed));
/// ```
#[derive(Clone)]
pub struct TaskHandle {
    job: Arc<dyn Job>,
}

impl TaskHandle {
    pub(crate) fn new(job: Arc<dyn Job>) -> TaskHandle {
        TaskHandle { job }
    }

    /// Cancels the task: it will not start (again). Idempotent, callable from
    /// any thread and from inside the task itself.
    ///
    /// # Examples
    ///
    /// See [`TaskHandle`].
    pub fn cancel(&self) {
        self.job.discard();
    }

    /// True once the task was cancelled, or dropped unrun because its worker
    /// or scheduler was disposed. False for a task that ran.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{self, Scheduler};
    ///
    /// let handle = scheduler::immediate().worker().schedule(|| {}).unwrap();
    /// assert!(!handle.is_cancelled()); // it ran
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.job.is_cancelled()
    }
}

impl fmt::Debug for TaskHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// A one-shot user task.
pub(crate) struct Once<F> {
    slot: Mutex<OnceSlot<F>>,
}

enum OnceSlot<F> {
    Pending(F),
    /// Running or ran: a cancel comes too late.
    Started,
    Cancelled,
}

impl<F: FnOnce() + Send + 'static> Once<F> {
    pub(crate) fn new(task: F) -> Once<F> {
        Once {
            slot: Mutex::new(OnceSlot::Pending(task)),
        }
    }
}

impl<F: FnOnce() + Send + 'static> Job for Once<F> {
    fn run(self: Arc<Self>) {
        let task = {
            let mut slot = self.slot.lock();
            match mem::replace(&mut *slot, OnceSlot::Started) {
                OnceSlot::Pending(task) => task,
                other => {
                    *slot = other;
                    return;
                }
            }
        };
        task();
    }

    fn discard(&self) {
        let dropped = {
            let mut slot = self.slot.lock();
            match &*slot {
                OnceSlot::Pending(_) => mem::replace(&mut *slot, OnceSlot::Cancelled),
                OnceSlot::Started | OnceSlot::Cancelled => return,
            }
        };
        // The closure's destructor runs outside the lock: it may schedule or
        // cancel again.
        drop(dropped);
    }

    fn is_cancelled(&self) -> bool {
        matches!(*self.slot.lock(), OnceSlot::Cancelled)
    }
}
