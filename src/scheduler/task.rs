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
//!
//! User tasks (`Once` here, `Periodic` in `worker.rs`) catch their own
//! panic, keep it for their [`TaskHandle`], and hand it to the worker, which
//! reports it to the worker's panic handler.

use core::fmt;
use core::mem;
use std::panic::{self, AssertUnwindSafe};

use crate::error::Error;
use crate::sync::{Arc, Mutex};

/// The crate's unit of scheduled work: a worker's drain, a timer firing, or a
/// user's task (one-shot or periodic).
pub(crate) trait Job: Send + Sync + 'static {
    /// Runs the job. Never called after [`discard`](Job::discard) took
    /// effect; a job runs at most once per scheduling. Returns the panic of
    /// the user code it ran, caught (the job never unwinds).
    fn run(self: Arc<Self>) -> Option<Error>;

    /// The job will never run (cancelled, or dropped by a disposal or an
    /// executor): drop what it holds now. Idempotent.
    fn discard(&self);

    /// True once [`discard`](Job::discard) took effect: a timer may drop the
    /// job early.
    fn is_cancelled(&self) -> bool;

    /// The panic that ended the job, if one did.
    fn panicked(&self) -> Option<Error> {
        None
    }
}

/// Runs a user closure, catching its panic as an [`Error`] of kind
/// [`Panic`](crate::ErrorKind::Panic).
pub(crate) fn catch(task: impl FnOnce()) -> Result<(), Error> {
    // The closure's state is the user's; the worker's own state is outside
    // it and whole, so unwind safety is asserted.
    panic::catch_unwind(AssertUnwindSafe(task)).map_err(Error::from_panic)
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
            // The drain and timer jobs executors run report user panics to
            // the worker themselves: nothing comes back here.
            let _ = job.run();
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

/// Cancels a task that a [`Worker`](super::Worker) accepted, and tells how
/// it ended.
///
/// Cheap to clone; dropping it does **not** cancel the task (scheduling is
/// fire-and-forget unless you keep the handle). What
/// [`cancel`](TaskHandle::cancel) promises, exactly:
///
/// * when `cancel` returns, either the task is cancelled
///   ([`is_cancelled`](TaskHandle::is_cancelled) is true from then on): it
///   never starts, and its closure has been dropped; or it had started
///   already (`is_cancelled` stays false): it runs to its end, once;
/// * `cancel` never waits for a task that runs, and may be called from the
///   task itself;
/// * a periodic task that is cancelled runs no more: the run in progress,
///   if any, finishes, and its closure is dropped after it.
///
/// A task that panicked says so through [`panicked`](TaskHandle::panicked)
/// (a periodic task stops at its first panic); the worker's
/// [`on_panic`](super::Worker::on_panic) handler hears of it too.
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
    /// or scheduler was disposed. False for a task that started (a periodic
    /// task: until it is cancelled), and for one that panicked.
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

    /// The panic that ended the task, as an [`Error`] of kind
    /// [`Panic`](crate::ErrorKind::Panic) (the one an operator passes to
    /// `on_error`), once it panicked; `None` before, and for a task that
    /// did not panic. A periodic task stops at its first panic: no later
    /// run comes, and this keeps that panic (unless the task was cancelled
    /// while that run was in progress: a cancelled handle stays cancelled,
    /// and the worker's [`on_panic`](super::Worker::on_panic) handler still
    /// hears of the panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    /// use reactive_streams::ErrorKind;
    /// use std::time::Duration;
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// let worker = vts.worker();
    /// let mut runs = 0;
    /// let ticks = worker
    ///     .schedule_periodically(Duration::from_secs(1), Duration::from_secs(1), move || {
    ///         runs += 1;
    ///         assert!(runs < 3, "third tick failed");
    ///     })
    ///     .unwrap();
    /// vts.advance_by(Duration::from_secs(10));
    /// let error = ticks.panicked().expect("the third run panicked");
    /// assert_eq!(error.kind(), ErrorKind::Panic);
    /// assert_eq!(error.to_string(), "panicked: third tick failed");
    /// assert!(!ticks.is_cancelled());
    /// assert_eq!(vts.pending_tasks(), 0); // it stopped: nothing left armed
    /// ```
    pub fn panicked(&self) -> Option<Error> {
        self.job.panicked()
    }
}

impl fmt::Debug for TaskHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("cancelled", &self.is_cancelled())
            .field("panicked", &self.panicked().is_some())
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
    /// Ran, and panicked.
    Panicked(Error),
}

impl<F: FnOnce() + Send + 'static> Once<F> {
    pub(crate) fn new(task: F) -> Once<F> {
        Once {
            slot: Mutex::new(OnceSlot::Pending(task)),
        }
    }
}

impl<F: FnOnce() + Send + 'static> Job for Once<F> {
    fn run(self: Arc<Self>) -> Option<Error> {
        let task = {
            let mut slot = self.slot.lock();
            match mem::replace(&mut *slot, OnceSlot::Started) {
                OnceSlot::Pending(task) => task,
                other => {
                    *slot = other;
                    return None;
                }
            }
        };
        let error = catch(task).err()?;
        *self.slot.lock() = OnceSlot::Panicked(error.clone());
        Some(error)
    }

    fn discard(&self) {
        let dropped = {
            let mut slot = self.slot.lock();
            match &*slot {
                OnceSlot::Pending(_) => mem::replace(&mut *slot, OnceSlot::Cancelled),
                OnceSlot::Started | OnceSlot::Cancelled | OnceSlot::Panicked(_) => return,
            }
        };
        // The closure's destructor runs outside the lock: it may schedule or
        // cancel again.
        drop(dropped);
    }

    fn is_cancelled(&self) -> bool {
        matches!(*self.slot.lock(), OnceSlot::Cancelled)
    }

    fn panicked(&self) -> Option<Error> {
        match &*self.slot.lock() {
            OnceSlot::Panicked(error) => Some(error.clone()),
            _ => None,
        }
    }
}
