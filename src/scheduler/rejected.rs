//! `Rejected`: the error of a task a scheduler refused.

use core::fmt;
use std::borrow::Cow;

use crate::error::{Error, ErrorKind};
use crate::sync::Arc;

/// Why a scheduler refused a task: the reason inside a [`Rejected`], and what
/// an [`Executor`](super::Executor) returns when it refuses one.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, RejectReason, Scheduler};
/// use std::time::Duration;
///
/// let worker = scheduler::immediate().worker();
/// let rejected = worker.schedule_after(Duration::from_secs(1), || {}).unwrap_err();
/// assert_eq!(rejected.reason(), &RejectReason::DelayUnsupported);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectReason {
    /// The scheduler was disposed (or its executor shut down).
    Disposed,
    /// The worker was disposed; its scheduler may still run other workers.
    WorkerDisposed,
    /// The scheduler runs tasks only now, never after a delay or
    /// periodically: the [`immediate`](super::immediate) scheduler, which
    /// never sleeps a thread.
    DelayUnsupported,
    /// A periodic task was asked for with a period of zero, which would run
    /// it without end at one instant.
    ZeroPeriod,
    /// The executor dropped the worker's queue task without running it, so
    /// the worker was closed and its queued tasks dropped.
    Abandoned,
    /// The scheduler could not get a thread to run on; the text says why.
    Unavailable(Cow<'static, str>),
    /// The scheduler holds as many tasks not yet started as its queued-task
    /// cap allows (the [`blocking`](super::blocking) scheduler's; see
    /// [`BlockingOptions::max_queued_tasks`](super::BlockingOptions::max_queued_tasks)).
    /// Retry later, or shed the load.
    Full,
    /// The runtime the scheduler runs on cannot take the task: a tokio
    /// runtime that was shut down (or dropped), or one built without timers
    /// asked for a delay. The text says which.
    Runtime(Cow<'static, str>),
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::Disposed => f.write_str("the scheduler is disposed"),
            RejectReason::WorkerDisposed => f.write_str("the worker is disposed"),
            RejectReason::DelayUnsupported => {
                f.write_str("it runs tasks only now, never after a delay or periodically")
            }
            RejectReason::ZeroPeriod => f.write_str("a periodic task needs a period above zero"),
            RejectReason::Abandoned => {
                f.write_str("its executor dropped the worker's queue without running it")
            }
            RejectReason::Unavailable(why) => write!(f, "it could not start a thread: {why}"),
            RejectReason::Full => f.write_str("its queued-task cap is reached"),
            RejectReason::Runtime(why) => write!(f, "its runtime cannot take it: {why}"),
        }
    }
}

/// A task a scheduler refused, naming the scheduler and the reason.
///
/// The task itself was dropped before the refusal returned. An operator that
/// meets one turns it into `on_error` through `Error::from`, which gives an
/// error of kind [`ErrorKind::Rejected`].
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, RejectReason, Scheduler};
/// use reactive_streams::{Error, ErrorKind};
///
/// let scheduler = scheduler::immediate();
/// scheduler.dispose();
/// let rejected = scheduler.worker().schedule(|| unreachable!()).unwrap_err();
/// assert_eq!(rejected.scheduler(), "immediate");
/// assert_eq!(rejected.reason(), &RejectReason::Disposed);
/// assert_eq!(
///     rejected.to_string(),
///     "scheduler `immediate` rejected a task: the scheduler is disposed"
/// );
///
/// let error = Error::from(rejected);
/// assert_eq!(error.kind(), ErrorKind::Rejected);
/// assert!(error.to_string().contains("`immediate`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    scheduler: Arc<str>,
    reason: RejectReason,
}

impl Rejected {
    pub(crate) fn new(scheduler: Arc<str>, reason: RejectReason) -> Rejected {
        Rejected { scheduler, reason }
    }

    /// The name of the scheduler that refused the task.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
    ///
    /// let vts = VirtualTimeScheduler::new();
    /// vts.dispose();
    /// assert_eq!(vts.worker().schedule(|| {}).unwrap_err().scheduler(), "virtual-time");
    /// ```
    pub fn scheduler(&self) -> &str {
        &self.scheduler
    }

    /// Why the task was refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{RejectReason, Scheduler, VirtualTimeScheduler};
    /// use std::time::Duration;
    ///
    /// let worker = VirtualTimeScheduler::new().worker();
    /// let rejected = worker
    ///     .schedule_periodically(Duration::ZERO, Duration::ZERO, || {})
    ///     .unwrap_err();
    /// assert_eq!(rejected.reason(), &RejectReason::ZeroPeriod);
    /// ```
    pub fn reason(&self) -> &RejectReason {
        &self.reason
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "scheduler `{}` rejected a task: {}",
            self.scheduler, self.reason
        )
    }
}

impl std::error::Error for Rejected {}

impl From<Rejected> for Error {
    fn from(rejected: Rejected) -> Error {
        let message = Cow::Owned(rejected.to_string());
        Error::from_parts(ErrorKind::Rejected, message, Some(Box::new(rejected)))
    }
}
