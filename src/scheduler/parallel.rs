//! `parallel()`: one event loop per core, workers handed out round-robin
//! (Reactor's `Schedulers.parallel`).
//!
//! Each loop is an [`ExecutorScheduler`] over an [`EventLoop`]: its own
//! thread, its own ready queue and timer heap. A worker belongs to one loop
//! for its life, so all its tasks run on one thread; the next worker goes to
//! the next loop. The round-robin counter is a `Relaxed` ticket: it
//! publishes nothing (each loop guards its own state), so it is not a
//! protocol and has no loom model; two workers made at once may land on
//! any loops, which only spreads them differently.

use core::fmt;
use core::num::NonZeroUsize;
use std::time::Instant;

use super::event_loop::EventLoop;
use super::executor::{ExecutorScheduler, Extras};
use super::worker::Worker;
use super::{Scheduler, MAX_THREADS};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::blocking::OnceLock;
use crate::sync::Arc;

/// The cores [`std::thread::available_parallelism`] reports (one if it
/// cannot tell).
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// A scheduler with a fixed number of event loops (by default one per
/// core), for CPU-bound work spread over cores: each [`worker`] runs on one
/// loop's thread, and workers are handed out round-robin.
///
/// Its loops never grow: a task that blocks its thread holds up every worker
/// of that loop (the other loops go on). Run blocking calls on
/// [`blocking`](super::blocking) instead.
///
/// Get the process-wide one from [`parallel`], or make an owned one with
/// [`ParallelScheduler::new`]. Each loop's thread starts with its first
/// task. Disposing an owned scheduler, or dropping its last handle and its
/// last worker, drops the tasks that had not started, and each thread exits
/// once the task it is running returns.
///
/// [`worker`]: Scheduler::worker
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{ParallelScheduler, Scheduler};
/// use std::sync::mpsc;
///
/// let cpu = ParallelScheduler::new("cpu", 2);
/// let (tx, rx) = mpsc::channel();
/// for _ in 0..4 {
///     let tx = tx.clone();
///     cpu.worker()
///         .schedule(move || tx.send(std::thread::current().name().map(String::from)).unwrap())
///         .unwrap();
/// }
/// let mut threads: Vec<_> = rx.iter().take(4).map(Option::unwrap).collect();
/// threads.sort();
/// assert_eq!(threads, ["cpu-0", "cpu-0", "cpu-1", "cpu-1"]); // round-robin
/// ```
#[derive(Clone)]
pub struct ParallelScheduler {
    inner: Arc<Inner>,
}

struct Inner {
    name: Arc<str>,
    loops: Box<[ExecutorScheduler]>,
    /// The next worker's loop, modulo `loops.len()`.
    next: AtomicUsize,
    /// The process-wide instance: `dispose` does nothing.
    shared: bool,
}

/// The process-wide parallel scheduler: one loop per core (threads named
/// `reactive-streams-parallel-{i}`), shared by every caller.
///
/// Its [`dispose`](Scheduler::dispose) does nothing, so that one library
/// cannot stop it under another; make a [`ParallelScheduler::new`] to own
/// one.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, Scheduler};
/// use std::sync::mpsc;
///
/// let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
/// assert_eq!(scheduler::parallel().threads(), cores);
///
/// let (tx, rx) = mpsc::channel();
/// scheduler::parallel().worker().schedule(move || tx.send(6 * 7).unwrap()).unwrap();
/// assert_eq!(rx.recv().unwrap(), 42);
///
/// scheduler::parallel().dispose(); // ignored: it is shared
/// assert!(!scheduler::parallel().is_disposed());
/// ```
pub fn parallel() -> ParallelScheduler {
    static SHARED: OnceLock<ParallelScheduler> = OnceLock::new();
    SHARED
        .get_or_init(|| ParallelScheduler::build("reactive-streams-parallel".into(), cores(), true))
        .clone()
}

impl ParallelScheduler {
    /// An owned scheduler of `threads` event loops, clamped to
    /// `1..=`[`MAX_THREADS`]; thread `i` is named `{name}-{i}`. Threads
    /// start with their loop's first task.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{ParallelScheduler, RejectReason, Scheduler, MAX_THREADS};
    ///
    /// assert_eq!(ParallelScheduler::new("none", 0).threads(), 1);
    /// assert_eq!(ParallelScheduler::new("many", usize::MAX).threads(), MAX_THREADS);
    ///
    /// let scheduler = ParallelScheduler::new("mine", 2);
    /// scheduler.dispose();
    /// let rejected = scheduler.worker().schedule(|| {}).unwrap_err();
    /// assert_eq!(rejected.scheduler(), "mine");
    /// assert_eq!(rejected.reason(), &RejectReason::Disposed);
    /// ```
    pub fn new(name: impl Into<Arc<str>>, threads: usize) -> ParallelScheduler {
        ParallelScheduler::build(name.into(), threads, false)
    }

    fn build(name: Arc<str>, threads: usize, shared: bool) -> ParallelScheduler {
        let loops = (0..threads.clamp(1, MAX_THREADS))
            .map(|i| {
                let thread: Arc<str> = format!("{name}-{i}").into();
                ExecutorScheduler::with_extras(
                    Arc::clone(&name),
                    EventLoop::new(thread),
                    Extras {
                        take_turns: true,
                        ..Extras::default()
                    },
                )
            })
            .collect();
        ParallelScheduler {
            inner: Arc::new(Inner {
                name,
                loops,
                next: AtomicUsize::new(0),
                shared,
            }),
        }
    }

    /// The scheduler's name, which its threads bear.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler;
    ///
    /// assert_eq!(scheduler::parallel().name(), "reactive-streams-parallel");
    /// ```
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// How many event loops (and so, once each has had a task, threads) it
    /// has.
    ///
    /// # Examples
    ///
    /// See [`ParallelScheduler::new`].
    pub fn threads(&self) -> usize {
        self.inner.loops.len()
    }
}

impl Scheduler for ParallelScheduler {
    fn worker(&self) -> Worker {
        // Ordering: Relaxed; a ticket for round-robin, publishing nothing
        // (module docs). No partner.
        let ticket = self.inner.next.fetch_add(1, Ordering::Relaxed);
        self.inner.loops[ticket % self.inner.loops.len()].worker()
    }

    fn now(&self) -> Instant {
        self.inner.loops[0].now()
    }

    fn dispose(&self) {
        if !self.inner.shared {
            for event_loop in self.inner.loops.iter() {
                event_loop.dispose();
            }
        }
    }

    fn is_disposed(&self) -> bool {
        // All loops are disposed together (while a handle lives).
        self.inner.loops[0].is_disposed()
    }
}

impl fmt::Debug for ParallelScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelScheduler")
            .field("name", &self.inner.name)
            .field("threads", &self.inner.loops.len())
            .field("shared", &self.inner.shared)
            .field("disposed", &self.is_disposed())
            .finish()
    }
}

super::into_shared!(ParallelScheduler);
