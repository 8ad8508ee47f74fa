//! `immediate()`: tasks run on the thread that schedules them.

use core::fmt;
use std::time::Instant;

use super::executor::{Executor, ExecutorScheduler};
use super::rejected::RejectReason;
use super::task::Task;
use super::Scheduler;

/// A scheduler that runs each task on the thread that schedules it, before
/// [`schedule`](super::Worker::schedule) returns: for tests, and for operators that
/// take a scheduler where no thread hop is wanted.
///
/// Its workers still run one task at a time: a task scheduled from inside a
/// running task of the same worker, or from another thread while one runs,
/// is queued and run by the thread already running that worker, right after
/// the task in progress (a trampoline), so the call returns at once and
/// recursion stays bounded.
///
/// It never sleeps a thread: a delayed or periodic task is rejected with
/// [`RejectReason::DelayUnsupported`] (a zero delay is no delay, and runs).
/// Operators that wait for time need a scheduler with a clock that moves on
/// its own ([`single`](super::single)) or one a test moves
/// ([`VirtualTimeScheduler`](super::VirtualTimeScheduler)).
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, RejectReason, Scheduler};
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let worker = scheduler::immediate().worker();
/// let ran = Arc::new(AtomicBool::new(false));
/// let flag = ran.clone();
/// worker.schedule(move || flag.store(true, Ordering::Relaxed)).unwrap();
/// assert!(ran.load(Ordering::Relaxed)); // already ran, on this thread
///
/// let rejected = worker.schedule_after(Duration::from_millis(1), || {}).unwrap_err();
/// assert_eq!(rejected.reason(), &RejectReason::DelayUnsupported);
/// ```
#[derive(Clone)]
pub struct ImmediateScheduler {
    scheduler: ExecutorScheduler,
}

/// A new [`ImmediateScheduler`] (cheap: each call makes its own, so
/// disposing one affects no other).
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, Scheduler};
///
/// let a = scheduler::immediate();
/// a.dispose();
/// assert!(a.is_disposed());
/// assert!(!scheduler::immediate().is_disposed());
/// ```
pub fn immediate() -> ImmediateScheduler {
    ImmediateScheduler {
        scheduler: ExecutorScheduler::new("immediate", Inline),
    }
}

impl Default for ImmediateScheduler {
    fn default() -> Self {
        immediate()
    }
}

super::delegate_scheduler!(ImmediateScheduler);

impl fmt::Debug for ImmediateScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImmediateScheduler")
            .field("disposed", &self.is_disposed())
            .finish()
    }
}

super::into_shared!(ImmediateScheduler);

/// Runs every task on the caller; refuses deadlines.
#[derive(Debug)]
struct Inline;

impl Executor for Inline {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        task.run();
        Ok(())
    }

    fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
        drop(task);
        Err(RejectReason::DelayUnsupported)
    }
}
