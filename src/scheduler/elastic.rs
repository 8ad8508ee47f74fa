//! `ElasticPool`: the threads under the [`blocking`](super::blocking)
//! scheduler. A shared ready queue served by up to `max_threads` threads,
//! started when a task finds no idle thread, retired after `ttl` idle.
//!
//! The pool runs executor tasks: a worker's drain, a timer's hand-off. A
//! worker has at most one drain with the pool at a time, and its drain
//! runs everything the worker has queued, on one thread, before it returns
//! (`worker.rs`): so a worker is pinned to one backing thread while it has
//! work, its tasks stay ordered, and a worker whose task blocks holds one
//! thread, not the pool. A drain that finds every thread busy and the cap
//! reached waits in the ready queue for the first thread to come free.
//!
//! Unlike an event loop per thread (Reactor's `boundedElastic` pins each
//! worker to one single-thread executor for its life), a drain goes to any
//! free thread: a worker never waits behind another worker's blocked task
//! while a thread is idle or may be started.
//!
//! # Implementation notes
//!
//! ## State
//! Everything sits in one mutex, `Shared::state`; there is no atomic. Timed
//! waits go through the shim's `Condvar`, which loom models as a wait that
//! returns at once (see `sync.rs`), so the loom models in
//! `src/tests/loom_elastic.rs` run the real thread loop below.
//!
//! * `ready`: executor tasks waiting for a thread.
//! * `threads`: threads started and not yet exited, `<= max_threads`.
//! * `idle`: parked threads that no submit has claimed.
//! * `wakeups`: claims not yet taken up. A submit that finds `idle > 0`
//!   claims one parked thread (`idle -= 1`, `wakeups += 1`) and notifies;
//!   any parked thread that wakes and finds `wakeups > 0` takes one and
//!   goes for the task. Parked threads always number `idle + wakeups`.
//! * `shutdown`: final; `ready` is emptied and every parked thread woken.
//!
//! ## Field access rules
//! * All fields only under the lock. Tasks run, and are dropped at
//!   shutdown, outside it. Threads are started under it, so that a failed
//!   start can take its task back before anyone else sees the queue.
//!
//! ## Races considered
//! 1. A submit vs a thread retiring (its `ttl` passed): both under the
//!    lock. If the submit comes first, it claims the parked thread, which
//!    on waking finds the claim before it looks at the clock, and takes the
//!    task. If the retirement comes first, the thread has left `idle` and
//!    `threads`, and the submit starts a new thread. A task is never left in
//!    `ready` with no thread to take it. Modelled (`loom_elastic.rs`).
//! 2. A submit vs a thread finishing a task: the finishing thread pops
//!    `ready` before it parks, so it may take a task whose claim went to a
//!    parked thread; that thread wakes to an empty queue and parks again.
//!    Work is never lost, only a wake-up wasted.
//! 3. Submits at the cap, every thread busy: the task waits in `ready`;
//!    each thread pops `ready` before it parks. Modelled.
//! 4. Shutdown vs a submit or a parked thread: a submit after it is
//!    refused; the queue it empties is dropped outside the lock; parked
//!    threads wake (claimed or not) and exit; busy threads exit after their
//!    task. Modelled.

use core::fmt;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::rejected::RejectReason;
use super::task::Task;
use super::worker::deadline;
use crate::sync::thread::Builder;
use crate::sync::{Arc, Condvar, Mutex};

/// A bounded, elastic pool of threads sharing one ready queue. A cheap
/// handle: clones share the pool.
#[derive(Clone)]
pub(crate) struct ElasticPool {
    shared: Arc<Shared>,
}

struct Shared {
    /// Threads are named `{name}-{n}`.
    name: Arc<str>,
    max_threads: usize,
    ttl: Duration,
    state: Mutex<State>,
    /// Parked threads wait here.
    work: Condvar,
}

#[derive(Default)]
struct State {
    ready: VecDeque<Task>,
    threads: usize,
    idle: usize,
    wakeups: usize,
    shutdown: bool,
    /// Threads ever started: the next thread's number.
    started: u64,
}

impl ElasticPool {
    /// A pool of at most `max_threads` threads (at least one), each leaving
    /// after `ttl` with nothing to do. No thread starts before a task.
    pub(crate) fn new(name: Arc<str>, max_threads: usize, ttl: Duration) -> ElasticPool {
        ElasticPool {
            shared: Arc::new(Shared {
                name,
                max_threads: max_threads.max(1),
                ttl,
                state: Mutex::new(State::default()),
                work: Condvar::new(),
            }),
        }
    }

    /// Runs `task` on a pool thread: an idle one, else a new one if under
    /// the cap, else the first that comes free (races 1 and 3).
    pub(crate) fn submit(&self, task: Task) -> Result<(), RejectReason> {
        let mut state = self.shared.state.lock();
        if state.shutdown {
            drop(state);
            drop(task); // outside the lock: its drop may submit again
            return Err(RejectReason::Disposed);
        }
        state.ready.push_back(task);
        if state.idle > 0 {
            state.idle -= 1;
            state.wakeups += 1;
            drop(state);
            self.shared.work.notify_one();
            return Ok(());
        }
        if state.threads < self.shared.max_threads {
            state.threads += 1;
            state.started += 1;
            let shared = Arc::clone(&self.shared);
            let started = Builder::new()
                .name(format!("{}-{}", self.shared.name, state.started))
                .spawn(move || shared.run());
            if let Err(error) = started {
                state.threads -= 1;
                if state.threads == 0 {
                    // No thread will come for it: take it back (still the
                    // last one, under the same lock) and refuse it.
                    let task = state.ready.pop_back();
                    drop(state);
                    drop(task);
                    return Err(RejectReason::Unavailable(error.to_string().into()));
                }
                // A busy thread takes it when it comes free.
            }
        }
        Ok(())
    }

    /// Refuses later tasks, drops the queued ones (on this thread, outside
    /// the lock), and lets every thread exit once its task is done.
    /// Idempotent.
    pub(crate) fn shutdown(&self) {
        let ready = {
            let mut state = self.shared.state.lock();
            state.shutdown = true;
            std::mem::take(&mut state.ready)
        };
        self.shared.work.notify_all();
        drop(ready);
    }

    /// Threads started and not yet exited.
    pub(crate) fn threads(&self) -> usize {
        self.shared.state.lock().threads
    }

    /// Threads waiting for a task.
    #[cfg_attr(not(reactive_streams_loom), allow(dead_code))] // read by the loom models
    pub(crate) fn idle_threads(&self) -> usize {
        let state = self.shared.state.lock();
        state.idle + state.wakeups
    }

    /// Executor tasks waiting for a thread.
    #[cfg_attr(not(reactive_streams_loom), allow(dead_code))] // read by the loom models
    pub(crate) fn ready(&self) -> usize {
        self.shared.state.lock().ready.len()
    }
}

impl Shared {
    /// A pool thread: runs ready tasks; parks when there is none; leaves at
    /// shutdown, or after `ttl` parked without a claim.
    fn run(&self) {
        let mut state = self.state.lock();
        loop {
            if let Some(task) = state.ready.pop_front() {
                drop(state);
                // Tasks never unwind (their jobs catch user panics), so the
                // counts below stay right.
                task.run();
                state = self.state.lock();
                continue;
            }
            if state.shutdown {
                break;
            }
            state.idle += 1;
            let idle_until = deadline(Instant::now(), self.ttl);
            loop {
                state = self.work.wait_until(&self.state, state, idle_until);
                // A claim first: a thread that a submit counted on takes the
                // task even if its time is up (race 1).
                if state.wakeups > 0 {
                    state.wakeups -= 1;
                    break;
                }
                if state.shutdown {
                    state.idle -= 1;
                    break;
                }
                if Instant::now() >= idle_until {
                    state.idle -= 1;
                    state.threads -= 1;
                    return;
                }
            }
        }
        state.threads -= 1;
    }
}

impl fmt::Debug for ElasticPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.lock();
        f.debug_struct("ElasticPool")
            .field("name", &self.shared.name)
            .field("max_threads", &self.shared.max_threads)
            .field("ttl", &self.shared.ttl)
            .field("threads", &state.threads)
            .field("idle", &(state.idle + state.wakeups))
            .field("ready", &state.ready.len())
            .field("shutdown", &state.shutdown)
            .finish()
    }
}
