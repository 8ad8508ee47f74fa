//! Schedulers: places to run work, and clocks.
//!
//! A [`Scheduler`] hands out [`Worker`]s. A worker is an ordered lane: its
//! tasks run one at a time, in scheduling order, now
//! ([`schedule`](Worker::schedule)), after a delay
//! ([`schedule_after`](Worker::schedule_after)) or periodically
//! ([`schedule_periodically`](Worker::schedule_periodically)); each returns
//! a [`TaskHandle`] that cancels the task, or [`Rejected`] when the
//! scheduler cannot take it. [`Scheduler::now`] is the scheduler's clock, an
//! `Instant` under every scheduler (the virtual one included), so timestamps
//! mean the same thing everywhere.
//!
//! | scheduler | runs tasks on | for | delays |
//! |---|---|---|---|
//! | [`immediate()`] | the caller (a trampoline keeps each worker serial) | no hop: tests, `limit_rate`-like uses | rejected: it never sleeps a thread |
//! | [`single()`], [`SingleScheduler::new`] | one thread | a slow sink, state one thread owns | its timer heap |
//! | [`parallel()`], [`ParallelScheduler::new`] | one event loop per core; each worker on one loop, round-robin | CPU-bound stages | one timer heap per loop |
//! | [`blocking()`], [`BlockingScheduler::with_options`] | an elastic pool: threads on demand up to a cap, idle ones retire; a worker keeps one thread while it has work | blocking I/O | a timer thread of its own, which only queues due tasks on their workers |
//! | [`VirtualTimeScheduler`] | the test thread that advances the clock | tests of timed pipelines | virtual time |
//! | [`ExecutorScheduler`] over your [`Executor`] | the executor's threads | a runtime adapter | the executor's timer |
//! | `TokioScheduler::new(handle)` (feature `tokio`) | a tokio runtime's threads, one tokio task per wake-up of a worker | timed operators and `map_async` timeouts inside a tokio application | tokio's timer |
//!
//! Only [`blocking()`] bounds what waits in it (its queued-task cap, beyond
//! which it rejects with [`RejectReason::Full`]); the others queue what they
//! are given, as event loops do, and rely on the operators' bounded demand.
//! The process-wide instances ([`single()`], [`parallel()`], [`blocking()`])
//! ignore `dispose`; the owned ones stop their threads when disposed or
//! dropped (last handle and last worker).
//!
//! # Using one (operators)
//!
//! Take `scheduler: impl Into<Arc<dyn Scheduler>>`: every scheduler type of
//! the crate converts, by value or by reference (`single()`, `&vts`). Per
//! subscription, make a [`Worker`] and schedule the drain on it (once per
//! wake-up, never once per item); [`dispose`](Worker::dispose) the worker
//! when the stream ends or is cancelled, which also drops its armed timers.
//! A [`Rejected`] becomes `on_error` through [`Error::from`](crate::Error)
//! (kind [`ErrorKind::Rejected`](crate::ErrorKind::Rejected)), never a hang.
//!
//! A task that panics does not take its worker down. To turn the panic into
//! `on_error`, set [`Worker::on_panic`] once, when the worker is made: the
//! handler gets the panic as an [`Error`](crate::Error) of kind
//! [`Panic`](crate::ErrorKind::Panic), on the worker, right after the task
//! and before the next one, so it may signal downstream as the drain would
//! have. (A periodic task stops at its first panic; its [`TaskHandle`]
//! keeps the panic too.)
//!
//! ```
//! use reactive_streams::scheduler::{self, Scheduler, VirtualTimeScheduler};
//! use reactive_streams::{Error, ErrorKind};
//! use std::sync::Arc;
//!
//! fn worker_for(scheduler: impl Into<Arc<dyn Scheduler>>) -> Result<(), Error> {
//!     let scheduler: Arc<dyn Scheduler> = scheduler.into();
//!     let worker = scheduler.worker();
//!     worker.schedule(|| { /* a drain */ })?; // a rejection converts into an Error
//!     worker.dispose();
//!     Ok(())
//! }
//!
//! let vts = VirtualTimeScheduler::new();
//! worker_for(&vts).unwrap();
//! worker_for(scheduler::immediate()).unwrap();
//! worker_for(scheduler::parallel()).unwrap();
//! vts.dispose();
//! assert_eq!(worker_for(&vts).unwrap_err().kind(), ErrorKind::Rejected);
//! ```
//!
//! A drain that fails on the worker, turned into `on_error`:
//!
//! ```
//! use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
//! use reactive_streams::{Error, ErrorKind};
//! use std::sync::{Arc, Mutex};
//!
//! let vts = VirtualTimeScheduler::new();
//! let worker = vts.worker();
//! let downstream: Arc<Mutex<Option<Error>>> = Arc::default();
//! let on_error = downstream.clone();
//! worker.on_panic(move |error| *on_error.lock().unwrap() = Some(error));
//! worker.schedule(|| panic!("on_next failed")).unwrap();
//! vts.run_due();
//! assert_eq!(downstream.lock().unwrap().as_ref().unwrap().kind(), ErrorKind::Panic);
//! worker.dispose(); // the stream ended: this also drops the handler
//! ```
//!
//! # Layers, and where a new scheduler goes
//!
//! * [`Executor`] (`executor.rs`): the smallest thing a runtime offers: run
//!   a task soon, run one at a deadline, tell the time. No ordering, no
//!   cancellation, no periodic tasks.
//! * [`Worker`] (`worker.rs`): the crate's serial worker, written once. It
//!   turns any executor into an ordered lane (a trampoline: one drain task
//!   with the executor at a time), and adds cancellation, fixed-rate
//!   periodic tasks, disposal and panic containment.
//! * [`ExecutorScheduler`] (`executor.rs`): an executor plus a name and a
//!   disposed flag is a [`Scheduler`].
//!
//! A new scheduler is one file here. If it is one executor (a runtime
//! adapter such as tokio's: `execute` spawns, `execute_at` sleeps then runs),
//! implement [`Executor`] and wrap it in an [`ExecutorScheduler`], as
//! `immediate.rs`, `single.rs` and `blocking.rs` do; a few dozen lines. If
//! it hands workers out from several executors (an event loop per core,
//! round-robin), implement [`Scheduler`] over several `ExecutorScheduler`s
//! and delegate [`worker`](Scheduler::worker), as `parallel.rs` does. A
//! handle type that only wraps an `ExecutorScheduler` gets its `Scheduler`
//! impl from `delegate_scheduler!` in this file (with `shared` for a
//! process-wide instance that ignores `dispose`). Then add it to the table
//! above, to `into_shared!` (so operators take it by value or by
//! reference), and to `tests/scheduler/` and `tests/auto_traits/scheduler.rs`.
//!
//! The threads: `event_loop.rs` (one thread, a ready queue and a timer
//! heap: under `single`, one per core under `parallel`, and the timer
//! thread of `blocking`) and `elastic.rs` (the pool under `blocking`). A
//! queued-task cap is `cap.rs`, switched on per scheduler.
//!
//! # Timers
//!
//! Each event loop (and the virtual clock) owns one binary min-heap of
//! deadlines (`timer.rs` says why a heap and not a wheel): one per thread
//! of `single` and `parallel`, and one on the timer thread of `blocking`,
//! whose firings only queue tasks on their workers. No thread ever waits for
//! a single timer. Cancelled timers are swept lazily, so a stream
//! that arms and cancels a timeout per item keeps about twice its live
//! timers, not one per item.

// `event_loop` and the schedulers over it block on a condition variable
// with a timeout, which loom cannot model: they are left out of loom builds.
// `elastic` waits through the shim's `Condvar`, which loom can model.
#[cfg(not(reactive_streams_loom))]
mod blocking;
mod cap;
mod elastic;
#[cfg(not(reactive_streams_loom))]
mod event_loop;
mod executor;
mod immediate;
#[cfg(not(reactive_streams_loom))]
mod parallel;
mod rejected;
#[cfg(not(reactive_streams_loom))]
mod single;
mod task;
mod timer;
#[cfg(all(feature = "tokio", not(reactive_streams_loom)))]
mod tokio;
mod virtual_time;
mod worker;

use core::fmt;
use std::time::Instant;

#[cfg(not(reactive_streams_loom))]
pub use self::blocking::{blocking, BlockingOptions, BlockingScheduler};
pub use self::executor::{Executor, ExecutorScheduler};
pub use self::immediate::{immediate, ImmediateScheduler};
#[cfg(not(reactive_streams_loom))]
pub use self::parallel::{parallel, ParallelScheduler};
pub use self::rejected::{RejectReason, Rejected};
#[cfg(not(reactive_streams_loom))]
pub use self::single::{single, SingleScheduler};
pub use self::task::{Task, TaskHandle};
#[cfg(all(feature = "tokio", not(reactive_streams_loom)))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use self::tokio::TokioScheduler;
pub use self::virtual_time::VirtualTimeScheduler;
pub use self::worker::{Worker, MAX_DELAY};

#[cfg(all(test, not(reactive_streams_loom)))]
pub(crate) use self::event_loop::EventLoop;
#[cfg(all(test, not(reactive_streams_loom)))]
pub(crate) use self::timer::{TimerHeap, SWEEP_MIN};
#[cfg(all(test, reactive_streams_loom))]
pub(crate) use self::{elastic::ElasticPool, executor::Extras};

/// The most threads a [`ParallelScheduler`] or a [`BlockingScheduler`]
/// runs: a larger count is clamped to it.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{ParallelScheduler, MAX_THREADS};
///
/// assert_eq!(ParallelScheduler::new("clamped", MAX_THREADS + 1).threads(), MAX_THREADS);
/// ```
pub const MAX_THREADS: usize = 4096;

/// The scheduler the time operators and sources use when none is given (the
/// forms without `_on`): the one place that decides it.
///
/// [`parallel()`]: one event loop per core, as Reactor's
/// `Schedulers.parallel()`.
#[cfg(not(reactive_streams_loom))]
pub(crate) fn default_time_scheduler() -> crate::sync::Arc<dyn Scheduler> {
    parallel().into()
}

/// Under loom there is no thread-backed scheduler; the models pass theirs.
#[cfg(reactive_streams_loom)]
pub(crate) fn default_time_scheduler() -> crate::sync::Arc<dyn Scheduler> {
    immediate().into()
}

/// A place to run tasks, and a clock: what every operator that moves work
/// between threads, or waits for time, takes.
///
/// A scheduler hands out [`Worker`]s (ordered lanes; see [`Worker`] for
/// what a task may count on). It is dyn-compatible: operators hold an
/// `Arc<dyn Scheduler>`, and take `impl Into<Arc<dyn Scheduler>>` so that
/// `single()` and `&vts` both fit.
///
/// To write one, see "Layers, and where a new scheduler goes" in the
/// [module docs](self): most schedulers are an [`Executor`] inside an
/// [`ExecutorScheduler`].
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, Scheduler, VirtualTimeScheduler};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let schedulers: Vec<Arc<dyn Scheduler>> =
///     vec![scheduler::immediate().into(), scheduler::single().into(), (&vts).into()];
/// for s in &schedulers {
///     assert!(!s.is_disposed());
///     let _worker = s.worker();
/// }
/// let t0 = schedulers[2].now();
/// vts.advance_by(Duration::from_secs(1));
/// assert_eq!(schedulers[2].now() - t0, Duration::from_secs(1));
/// ```
pub trait Scheduler: Send + Sync + fmt::Debug + 'static {
    /// A new [`Worker`]: an ordered lane on this scheduler. On a disposed
    /// scheduler the worker rejects every task.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{Scheduler, SingleScheduler};
    /// use std::sync::mpsc;
    ///
    /// let scheduler = SingleScheduler::new("doc-scheduler-worker");
    /// let (tx, rx) = mpsc::channel();
    /// scheduler.worker().schedule(move || tx.send("ran").unwrap()).unwrap();
    /// assert_eq!(rx.recv().unwrap(), "ran");
    /// ```
    fn worker(&self) -> Worker;

    /// The scheduler's clock. Real time for the built-in schedulers except
    /// the virtual one, whose clock is its start instant plus the virtual
    /// time elapsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{self, Scheduler};
    /// use std::time::Instant;
    ///
    /// let before = Instant::now();
    /// assert!(scheduler::single().now() >= before);
    /// ```
    fn now(&self) -> Instant;

    /// Shuts the scheduler down: later tasks, on any of its workers, are
    /// rejected with [`RejectReason::Disposed`]; tasks not yet started are
    /// dropped (the one in progress finishes); its threads stop. Idempotent.
    /// Dropping the last handle and the last worker of a scheduler you own
    /// does the same, whatever tasks are pending (as dropping a tokio
    /// runtime does). (The process-wide [`single()`], [`parallel()`] and
    /// [`blocking()`] ignore it.) A thread busy with a task exits when the
    /// task returns: no thread is killed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{RejectReason, Scheduler, SingleScheduler};
    ///
    /// let scheduler = SingleScheduler::new("doc-dispose");
    /// let worker = scheduler.worker();
    /// scheduler.dispose();
    /// assert!(scheduler.is_disposed() && worker.is_disposed());
    /// assert_eq!(worker.schedule(|| {}).unwrap_err().reason(), &RejectReason::Disposed);
    /// ```
    fn dispose(&self);

    /// True once [`dispose`](Scheduler::dispose) took effect.
    ///
    /// # Examples
    ///
    /// See [`dispose`](Scheduler::dispose).
    fn is_disposed(&self) -> bool;
}

/// `From<T>` and `From<&T>` for `Arc<dyn Scheduler>`: what lets operators
/// take `impl Into<Arc<dyn Scheduler>>` and callers pass a scheduler by
/// value or by reference. Each scheduler type is a cheap handle, so the
/// reference form clones it.
macro_rules! into_shared {
    ($scheduler:ty) => {
        impl From<$scheduler> for $crate::sync::Arc<dyn $crate::scheduler::Scheduler> {
            fn from(scheduler: $scheduler) -> Self {
                $crate::sync::Arc::new(scheduler)
            }
        }

        impl From<&$scheduler> for $crate::sync::Arc<dyn $crate::scheduler::Scheduler> {
            fn from(scheduler: &$scheduler) -> Self {
                $crate::sync::Arc::new(scheduler.clone())
            }
        }
    };
}
pub(crate) use into_shared;

/// `Scheduler` for a handle type that wraps an [`ExecutorScheduler`] in a
/// field named `scheduler` and adds nothing to its behaviour; with `shared`,
/// for one whose `shared: bool` field marks the process-wide instance, whose
/// `dispose` does nothing.
macro_rules! delegate_scheduler {
    ($scheduler:ty) => {
        $crate::scheduler::delegate_scheduler!($scheduler, |_this| false);
    };
    ($scheduler:ty, shared) => {
        $crate::scheduler::delegate_scheduler!($scheduler, |this| this.shared);
    };
    ($scheduler:ty, |$this:ident| $keep:expr) => {
        impl $crate::scheduler::Scheduler for $scheduler {
            fn worker(&self) -> $crate::scheduler::Worker {
                self.scheduler.worker()
            }

            fn now(&self) -> std::time::Instant {
                self.scheduler.now()
            }

            fn dispose(&self) {
                let $this = self;
                if !$keep {
                    self.scheduler.dispose();
                }
            }

            fn is_disposed(&self) -> bool {
                self.scheduler.is_disposed()
            }
        }
    };
}
pub(crate) use delegate_scheduler;
