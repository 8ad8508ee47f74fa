//! `TokioScheduler` (feature `tokio`): a [`Scheduler`] on a tokio runtime
//! [`Handle`]. An [`Executor`] that spawns each task on the runtime and
//! sleeps on the runtime's timer for a delayed one, inside an
//! [`ExecutorScheduler`], as `executor.rs` describes.
//!
//! # Implementation notes
//!
//! The only state is the handle. Two things tokio does not say by itself:
//! 1. A runtime that has shut down (or was dropped) drops a spawned future
//!    unrun, inside `spawn`, and reports nothing. So after a spawn whose
//!    task has already finished, the join handle is polled once (with a
//!    waker that does nothing, and outside tokio's coop budget, which could
//!    otherwise answer `Pending`): a cancelled task means the runtime
//!    refused it, and the executor says so ([`RejectReason::Runtime`]); the
//!    worker then reports the rejection to whoever scheduled, never a hang.
//!    A task accepted just before the shutdown is dropped by it, which
//!    closes its worker (`worker.rs`), as any executor's shutdown does.
//! 2. A runtime built without timers panics when a sleep is made. The sleep
//!    is made in `execute_at`, in the runtime's context, so such a runtime
//!    refuses the delayed task at once instead of panicking in a task.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::borrow::Cow;
use std::task::Wake;
use std::time::Instant;

use ::tokio::runtime::Handle;

use super::executor::{Executor, ExecutorScheduler};
use super::rejected::RejectReason;
use super::task::{catch, Task};
use super::Scheduler;
use crate::sync::Arc;

/// A [`Scheduler`] on a tokio runtime: its workers' tasks are spawned on the
/// runtime (one tokio task per wake-up of a worker, not per item), and its
/// delays are tokio timers. So the timed operators (`delay_on`,
/// `timeout_on`, `interval_on`, …) and `map_async`'s
/// [`timeout_on`](crate::interop::MapAsync::timeout_on) run inside a tokio
/// application, on its threads and its clock (including tokio's paused
/// test clock, since the deadlines are handed to tokio).
///
/// Feature `tokio`. Works on a current-thread runtime (its tasks run while
/// the runtime is driven, by `block_on` or its thread) and on a multi-thread
/// one. The runtime needs timers (`enable_time`, or `enable_all`) for
/// delays; without them a delayed task is refused.
///
/// A cheap handle: clones share the scheduler. [`dispose`](Scheduler::dispose)
/// (or dropping the last handle and the last worker) stops its workers and
/// drops their pending tasks; the runtime itself is the application's and
/// is left alone. After the runtime shuts down, every task is refused with
/// [`RejectReason::Runtime`], which the operators turn into `on_error` of
/// kind [`Rejected`](crate::ErrorKind::Rejected). A delayed task cancelled
/// before its deadline drops its closure at once, but its tokio sleep stays
/// armed (a few words) until the deadline.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::TokioScheduler;
/// use reactive_streams::{source, PublisherExt};
/// use std::time::Duration;
///
/// let runtime = tokio::runtime::Builder::new_multi_thread().enable_time().build().unwrap();
/// let scheduler = TokioScheduler::new(runtime.handle().clone());
/// let items = runtime.block_on(async move {
///     source::range(0..3u32)
///         .delay_on(Duration::from_millis(5), &scheduler)
///         .collect::<Vec<_>>()
///         .await
/// });
/// assert_eq!(items.unwrap(), [0, 1, 2]);
/// ```
#[derive(Clone)]
pub struct TokioScheduler {
    scheduler: ExecutorScheduler,
    handle: Handle,
}

impl TokioScheduler {
    /// A scheduler (named `tokio`) on the runtime of `handle`.
    ///
    /// # Examples
    ///
    /// See [`TokioScheduler`].
    pub fn new(handle: Handle) -> TokioScheduler {
        let spawner = Spawner {
            handle: handle.clone(),
            no_wake: Waker::from(Arc::new(NoWake)),
        };
        TokioScheduler {
            scheduler: ExecutorScheduler::new("tokio", spawner),
            handle,
        }
    }

    /// A scheduler on the runtime the caller runs in.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime's context, as [`Handle::current`] does.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, TokioScheduler};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// let scheduler = runtime.block_on(async { TokioScheduler::current() });
    /// assert!(!scheduler.is_disposed());
    /// ```
    #[track_caller]
    pub fn current() -> TokioScheduler {
        TokioScheduler::new(Handle::current())
    }

    /// The runtime handle the tasks are spawned on.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::TokioScheduler;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let scheduler = TokioScheduler::new(runtime.handle().clone());
    /// let answer = scheduler.handle().block_on(async { 6 * 7 });
    /// assert_eq!(answer, 42);
    /// ```
    pub fn handle(&self) -> &Handle {
        &self.handle
    }
}

super::delegate_scheduler!(TokioScheduler);
super::into_shared!(TokioScheduler);

impl fmt::Debug for TokioScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokioScheduler")
            .field("flavor", &self.handle.runtime_flavor())
            .field("disposed", &self.is_disposed())
            .finish()
    }
}

/// The executor: spawns on the handle.
struct Spawner {
    handle: Handle,
    /// For the one poll that tells a refused spawn (race 1).
    no_wake: Waker,
}

/// A waker that does nothing.
struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

impl Spawner {
    /// Spawns `future`, or says that the runtime refused it (note 1).
    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) -> Result<(), RejectReason> {
        let mut join = self.handle.spawn(future);
        if !join.is_finished() {
            return Ok(());
        }
        let mut cx = Context::from_waker(&self.no_wake);
        match Pin::new(&mut ::tokio::task::coop::unconstrained(&mut join)).poll(&mut cx) {
            Poll::Ready(Err(error)) if error.is_cancelled() => Err(RejectReason::Runtime(
                Cow::Borrowed("the tokio runtime is shut down"),
            )),
            _ => Ok(()),
        }
    }
}

impl Executor for Spawner {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        self.spawn(async move { task.run() })
    }

    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
        // The sleep is made here, in the runtime's context (note 2).
        let mut sleep = None;
        let made = {
            let _context = self.handle.enter();
            catch(|| sleep = Some(::tokio::time::sleep_until(deadline.into())))
        };
        let Some(sleep) = sleep.filter(|_| made.is_ok()) else {
            return Err(RejectReason::Runtime(Cow::Borrowed(
                "the tokio runtime has no timers (build it with `enable_time`)",
            )));
        };
        self.spawn(async move {
            sleep.await;
            task.run();
        })
    }
}

impl fmt::Debug for Spawner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spawner")
            .field("flavor", &self.handle.runtime_flavor())
            .finish()
    }
}
