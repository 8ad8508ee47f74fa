//! `blocking()`: a bounded elastic scheduler for blocking calls (file and
//! socket I/O, a lock, a synchronous client): an [`ElasticPool`] of threads
//! under a queued-task cap, and an [`EventLoop`] for its timers.
//!
//! Timers live on their own thread (`{name}-timer`, started with the first
//! delayed task, retired like the pool's threads). The scheduler switches
//! on `queue_timers`: a firing timer only queues its task on its worker,
//! which hands the pool a drain if it was idle (`worker.rs`, race 2). So no
//! user code runs on the timer thread, a task that blocks never delays a
//! timer, and timers that fall due together reach their worker in deadline
//! order, from one thread.

use core::fmt;
use std::time::{Duration, Instant};

use super::elastic::ElasticPool;
use super::event_loop::EventLoop;
use super::executor::{Executor, ExecutorScheduler, Extras};
use super::parallel::cores;
use super::rejected::RejectReason;
use super::task::Task;
use super::worker::MAX_DELAY;
use super::MAX_THREADS;
use crate::sync::blocking::OnceLock;
use crate::sync::Arc;

/// How many threads per core a blocking scheduler runs at most, unless told
/// otherwise.
const DEFAULT_THREADS_PER_CORE: usize = 10;

/// How many tasks a blocking scheduler holds unstarted, unless told otherwise.
const DEFAULT_MAX_QUEUED_TASKS: usize = 100_000;

/// How long an idle thread of a blocking scheduler waits for a task before
/// it exits, unless told otherwise.
const DEFAULT_THREAD_TTL: Duration = Duration::from_secs(60);

/// A bounded elastic scheduler, for tasks that block their thread (Reactor's
/// `boundedElastic`).
///
/// * **Threads on demand, up to a cap.** A worker with work gets an idle
///   thread, or a new one while fewer than
///   [`max_threads`](BlockingScheduler::max_threads) run; at the cap, it
///   waits for the first thread to come free. A task that blocks holds one
///   thread; the other workers go on, on the others.
/// * **Ordered workers.** A worker keeps one thread while it has tasks
///   queued, and runs them there in order; between bursts it may move.
/// * **A queued-task cap.** At most
///   [`max_queued_tasks`](BlockingScheduler::max_queued_tasks) tasks wait,
///   over all its workers (accepted and not started; a periodic task counts
///   until it ends); beyond, a schedule is rejected with
///   [`RejectReason::Full`], so a flood cannot grow memory without bound.
/// * **Idle threads retire** after
///   [`thread_ttl`](BlockingScheduler::thread_ttl) with nothing to do.
/// * **Timers** on one more thread of its own, which only queues due tasks
///   on their workers: no task runs there.
///
/// Get the process-wide one from [`blocking`], or make an owned one with
/// [`BlockingScheduler::new`] or [`BlockingScheduler::with_options`].
/// Disposing an owned scheduler, or dropping its last handle and last
/// worker, drops the tasks not started, and its threads exit as soon as the
/// task each is running returns (a task blocked for good keeps its thread:
/// no thread is ever killed).
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler, Scheduler};
/// use std::sync::mpsc;
///
/// let io = BlockingScheduler::with_options("io", BlockingOptions::new().max_threads(4));
/// let (tx, rx) = mpsc::channel();
/// for path in ["a.txt", "b.txt"] {
///     let tx = tx.clone();
///     // One worker per file: each may block without holding up the other.
///     io.worker()
///         .schedule(move || {
///             let found = std::fs::metadata(path).is_ok(); // a blocking call
///             tx.send((path, found)).unwrap();
///         })
///         .unwrap();
/// }
/// let mut seen: Vec<_> = rx.iter().take(2).map(|(path, _)| path).collect();
/// seen.sort();
/// assert_eq!(seen, ["a.txt", "b.txt"]);
/// assert!(io.live_threads() <= 4);
/// ```
#[derive(Clone)]
pub struct BlockingScheduler {
    scheduler: ExecutorScheduler,
    pool: ElasticPool,
    options: BlockingOptions,
    /// The process-wide instance: `dispose` does nothing.
    shared: bool,
}

/// The limits of a [`BlockingScheduler`]: its thread cap, its queued-task
/// cap, and how long an idle thread stays. Each setter clamps what it is
/// given, as its documentation says.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler};
/// use std::time::Duration;
///
/// let options = BlockingOptions::new()
///     .max_threads(8)
///     .max_queued_tasks(1_000)
///     .thread_ttl(Duration::from_secs(5));
/// let scheduler = BlockingScheduler::with_options("db", options);
/// assert_eq!(scheduler.max_threads(), 8);
/// assert_eq!(scheduler.max_queued_tasks(), 1_000);
/// assert_eq!(scheduler.thread_ttl(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingOptions {
    max_threads: usize,
    max_queued_tasks: usize,
    thread_ttl: Duration,
}

impl BlockingOptions {
    /// The defaults: 10 threads per core (as
    /// [`std::thread::available_parallelism`] counts them, clamped to
    /// [`MAX_THREADS`]), 100 000 queued tasks, 60 seconds of idleness
    /// before a thread exits.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler};
    /// use std::time::Duration;
    ///
    /// let scheduler = BlockingScheduler::with_options("defaults", BlockingOptions::new());
    /// let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    /// assert_eq!(scheduler.max_threads(), 10 * cores);
    /// assert_eq!(scheduler.max_queued_tasks(), 100_000);
    /// assert_eq!(scheduler.thread_ttl(), Duration::from_secs(60));
    /// ```
    pub fn new() -> BlockingOptions {
        BlockingOptions {
            max_threads: cores()
                .saturating_mul(DEFAULT_THREADS_PER_CORE)
                .min(MAX_THREADS),
            max_queued_tasks: DEFAULT_MAX_QUEUED_TASKS,
            thread_ttl: DEFAULT_THREAD_TTL,
        }
    }

    /// At most `n` threads run tasks at once (the timer thread aside).
    /// Clamped to `1..=`[`MAX_THREADS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler, MAX_THREADS};
    ///
    /// let zero = BlockingScheduler::with_options("zero", BlockingOptions::new().max_threads(0));
    /// assert_eq!(zero.max_threads(), 1);
    /// let huge = BlockingScheduler::with_options("huge", BlockingOptions::new().max_threads(usize::MAX));
    /// assert_eq!(huge.max_threads(), MAX_THREADS);
    /// ```
    pub fn max_threads(mut self, n: usize) -> BlockingOptions {
        self.max_threads = n.clamp(1, MAX_THREADS);
        self
    }

    /// At most `n` tasks accepted and not started, over all the scheduler's
    /// workers (a periodic task counts until it ends); a schedule beyond is
    /// rejected with [`RejectReason::Full`]. Raised to at least one. The cap
    /// is a count, not an allocation: `usize::MAX` means no cap.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler, RejectReason, Scheduler};
    /// use std::sync::mpsc;
    ///
    /// let scheduler =
    ///     BlockingScheduler::with_options("capped", BlockingOptions::new().max_queued_tasks(1));
    /// let worker = scheduler.worker();
    /// let (started_tx, started) = mpsc::channel();
    /// let (release, released) = mpsc::channel::<()>();
    /// worker
    ///     .schedule(move || {
    ///         started_tx.send(()).unwrap();
    ///         released.recv().unwrap(); // holds the worker: what follows waits
    ///     })
    ///     .unwrap();
    /// started.recv().unwrap(); // started: no longer queued
    /// let waiting = worker.schedule(|| {}).unwrap();
    /// let rejected = worker.schedule(|| {}).unwrap_err();
    /// assert_eq!(rejected.reason(), &RejectReason::Full);
    /// waiting.cancel(); // gives its slot back
    /// assert!(worker.schedule(|| {}).is_ok());
    /// release.send(()).unwrap();
    /// ```
    pub fn max_queued_tasks(mut self, n: usize) -> BlockingOptions {
        self.max_queued_tasks = n.max(1);
        self
    }

    /// An idle thread exits after `ttl` with nothing to do (zero: as soon
    /// as it has nothing to do). Clamped to [`MAX_DELAY`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingOptions, BlockingScheduler, MAX_DELAY};
    /// use std::time::Duration;
    ///
    /// let forever = BlockingOptions::new().thread_ttl(Duration::MAX);
    /// assert_eq!(BlockingScheduler::with_options("long", forever).thread_ttl(), MAX_DELAY);
    /// ```
    pub fn thread_ttl(mut self, ttl: Duration) -> BlockingOptions {
        self.thread_ttl = ttl.min(MAX_DELAY);
        self
    }
}

impl Default for BlockingOptions {
    fn default() -> Self {
        BlockingOptions::new()
    }
}

/// The process-wide blocking scheduler (threads named
/// `reactive-streams-blocking-{n}`), with the default
/// [`BlockingOptions`], shared by every caller.
///
/// Its [`dispose`](super::Scheduler::dispose) does nothing, so that one
/// library cannot stop it under another; make a [`BlockingScheduler::new`]
/// to own one.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, Scheduler};
/// use std::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel();
/// scheduler::blocking()
///     .worker()
///     .schedule(move || tx.send(std::thread::current().name().map(String::from)).unwrap())
///     .unwrap();
/// let thread = rx.recv().unwrap().unwrap();
/// assert!(thread.starts_with("reactive-streams-blocking-"));
///
/// scheduler::blocking().dispose(); // ignored: it is shared
/// assert!(!scheduler::blocking().is_disposed());
/// ```
pub fn blocking() -> BlockingScheduler {
    static SHARED: OnceLock<BlockingScheduler> = OnceLock::new();
    SHARED
        .get_or_init(|| BlockingScheduler {
            shared: true,
            ..BlockingScheduler::new("reactive-streams-blocking")
        })
        .clone()
}

impl BlockingScheduler {
    /// An owned blocking scheduler with the default [`BlockingOptions`];
    /// its threads are named `{name}-{n}`, its timer thread `{name}-timer`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingScheduler, RejectReason, Scheduler};
    ///
    /// let scheduler = BlockingScheduler::new("files");
    /// assert_eq!(scheduler.name(), "files");
    /// scheduler.dispose();
    /// let rejected = scheduler.worker().schedule(|| {}).unwrap_err();
    /// assert_eq!(rejected.reason(), &RejectReason::Disposed);
    /// ```
    pub fn new(name: impl Into<Arc<str>>) -> BlockingScheduler {
        BlockingScheduler::with_options(name, BlockingOptions::new())
    }

    /// An owned blocking scheduler with the given limits.
    ///
    /// # Examples
    ///
    /// See [`BlockingOptions`].
    pub fn with_options(name: impl Into<Arc<str>>, options: BlockingOptions) -> BlockingScheduler {
        let name = name.into();
        let pool = ElasticPool::new(Arc::clone(&name), options.max_threads, options.thread_ttl);
        let timer = EventLoop::with_idle_ttl(format!("{name}-timer").into(), options.thread_ttl);
        let executor = PoolExecutor {
            pool: pool.clone(),
            timer,
        };
        BlockingScheduler {
            scheduler: ExecutorScheduler::with_extras(
                name,
                executor,
                Extras {
                    task_cap: Some(options.max_queued_tasks),
                    queue_timers: true,
                    // A worker keeps its pool thread while it has work.
                    take_turns: false,
                },
            ),
            pool,
            options,
            shared: false,
        }
    }

    /// The scheduler's name, which its threads bear.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler;
    ///
    /// assert_eq!(scheduler::blocking().name(), "reactive-streams-blocking");
    /// ```
    pub fn name(&self) -> &str {
        self.scheduler.name()
    }

    /// The most threads that run tasks at once.
    ///
    /// # Examples
    ///
    /// See [`BlockingOptions`].
    pub fn max_threads(&self) -> usize {
        self.options.max_threads
    }

    /// The queued-task cap.
    ///
    /// # Examples
    ///
    /// See [`BlockingOptions`].
    pub fn max_queued_tasks(&self) -> usize {
        self.options.max_queued_tasks
    }

    /// How long an idle thread waits for a task before it exits.
    ///
    /// # Examples
    ///
    /// See [`BlockingOptions`].
    pub fn thread_ttl(&self) -> Duration {
        self.options.thread_ttl
    }

    /// The threads it has now, busy or idle (started, not yet exited; the
    /// timer thread aside): between zero and
    /// [`max_threads`](BlockingScheduler::max_threads). A snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingScheduler, Scheduler};
    /// use std::sync::mpsc;
    ///
    /// let scheduler = BlockingScheduler::new("doc-threads");
    /// assert_eq!(scheduler.live_threads(), 0); // none before the first task
    /// let (tx, rx) = mpsc::channel();
    /// scheduler.worker().schedule(move || tx.send(()).unwrap()).unwrap();
    /// rx.recv().unwrap();
    /// assert_eq!(scheduler.live_threads(), 1); // idle now, until its TTL
    /// ```
    pub fn live_threads(&self) -> usize {
        self.pool.threads()
    }

    /// The tasks accepted and not started, over all workers (a periodic
    /// task counts until it ends): what the queued-task cap limits. A
    /// snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{BlockingScheduler, Scheduler};
    /// use std::time::Duration;
    ///
    /// let scheduler = BlockingScheduler::new("doc-queued");
    /// let handle = scheduler.worker().schedule_after(Duration::from_secs(3600), || {}).unwrap();
    /// assert_eq!(scheduler.queued_tasks(), 1);
    /// handle.cancel();
    /// assert_eq!(scheduler.queued_tasks(), 0);
    /// ```
    pub fn queued_tasks(&self) -> usize {
        self.scheduler.queued_tasks().unwrap_or(0)
    }
}

super::delegate_scheduler!(BlockingScheduler, shared);

impl fmt::Debug for BlockingScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingScheduler")
            .field("name", &self.name())
            .field("shared", &self.shared)
            .field("options", &self.options)
            .field("live_threads", &self.live_threads())
            .field("queued_tasks", &self.queued_tasks())
            .field("disposed", &super::Scheduler::is_disposed(self))
            .finish()
    }
}

super::into_shared!(BlockingScheduler);

/// The executor under a [`BlockingScheduler`]: tasks to the pool, timers to
/// the timer loop (whose firings only queue: module docs).
#[derive(Debug)]
struct PoolExecutor {
    pool: ElasticPool,
    timer: EventLoop,
}

impl Executor for PoolExecutor {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        self.pool.submit(task)
    }

    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
        self.timer.execute_at(deadline, task)
    }

    fn shutdown(&self) {
        self.pool.shutdown();
        self.timer.shutdown();
    }
}
