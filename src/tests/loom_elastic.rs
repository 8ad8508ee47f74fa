//! Loom: the elastic pool under the blocking scheduler
//! (`scheduler/elastic.rs`), driven through real workers.
//!
//! Pool threads wait through the shim's `Condvar`, which under loom returns
//! at once as if it timed out (`sync.rs`); with a zero TTL, every return
//! finds the thread's time up, so loom explores a thread retiring at every
//! point a submit could meet it. A model waits for the pool to go quiet by
//! watching its thread count fall to zero: with no submit left to come, no
//! thread means no task will ever run again, so a task still queued then is
//! a lost one.

use std::time::{Duration, Instant};

use loom::sync::Notify;
use loom::thread;

use super::loom_worker::Shared;
use crate::scheduler::{ElasticPool, Executor, ExecutorScheduler, RejectReason, Scheduler, Task};
use crate::sync::Arc;

/// The pool as an executor (no timers: those are the event loop's).
#[derive(Debug)]
struct Pool(ElasticPool);

impl Executor for Pool {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        self.0.submit(task)
    }

    fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
        drop(task);
        Err(RejectReason::DelayUnsupported)
    }

    fn shutdown(&self) {
        self.0.shutdown();
    }
}

/// A scheduler over a pool of at most `max_threads` threads that retire as
/// soon as they find nothing to do.
fn pool(max_threads: usize) -> (ElasticPool, ExecutorScheduler) {
    let pool = ElasticPool::new("loom-pool".into(), max_threads, Duration::ZERO);
    let scheduler = ExecutorScheduler::new("loom-pool", Pool(pool.clone()));
    (pool, scheduler)
}

/// Returns once every pool thread has exited; then asserts none left a
/// task behind.
fn quiesce(pool: &ElasticPool) {
    while pool.threads() > 0 {
        thread::yield_now();
    }
    assert_eq!(pool.ready(), 0, "a task was left with no thread to run it");
    assert_eq!(pool.idle_threads(), 0);
}

/// Race 1 of elastic.rs: a pool thread finishes its task and retires while
/// a new task arrives. The new task claims the parked thread, or finds it
/// gone and starts another; either way it runs, once, and the cap of one
/// thread keeps the two tasks from overlapping.
#[test]
fn loom_elastic_retire_races_submit() {
    loom::model(|| {
        let (pool, scheduler) = pool(1);
        let shared = Arc::new(Shared::default());
        scheduler.worker().schedule(shared.task()).unwrap();
        scheduler.worker().schedule(shared.task()).unwrap();
        quiesce(&pool);
        assert_eq!(shared.runs(), 2);
        assert_eq!(shared.dropped(), 2);
    });
}

/// Race 3 of elastic.rs: two workers submit from two threads into a pool of
/// one thread. Never a second thread; the task that finds the thread busy
/// waits in the queue and is run by it.
#[test]
fn loom_elastic_at_the_cap_a_task_waits_for_the_busy_thread() {
    loom::model(|| {
        let (pool, scheduler) = pool(1);
        let shared = Arc::new(Shared::default());
        let other = {
            let (worker, shared, pool) = (scheduler.worker(), Arc::clone(&shared), pool.clone());
            thread::spawn(move || {
                worker.schedule(shared.task()).unwrap();
                assert!(pool.threads() <= 1);
            })
        };
        scheduler.worker().schedule(shared.task()).unwrap();
        assert!(pool.threads() <= 1);
        other.join().unwrap();
        quiesce(&pool);
        assert_eq!(shared.runs(), 2);
        assert_eq!(shared.dropped(), 2);
    });
}

/// Race 4 of elastic.rs: disposal races a submit while a thread of a pool of
/// two may be running, parked or retiring. Every task ran or was dropped
/// unrun, every thread exits, and a schedule after the disposal is refused.
#[test]
fn loom_elastic_shutdown_races_submit() {
    loom::model(|| {
        let (pool, scheduler) = pool(2);
        // One `Shared` per worker: with two threads, their tasks may overlap.
        let (first, second) = (Arc::new(Shared::default()), Arc::new(Shared::default()));
        scheduler.worker().schedule(first.task()).unwrap();
        let disposer = {
            let scheduler = scheduler.clone();
            thread::spawn(move || scheduler.dispose())
        };
        let worker = scheduler.worker();
        let accepted = worker.schedule(second.task()).is_ok();
        disposer.join().unwrap();
        quiesce(&pool);
        assert_eq!(
            first.dropped() + second.dropped(),
            2,
            "each ran or was dropped"
        );
        assert!(first.runs() <= 1 && second.runs() <= 1);
        if !accepted {
            assert_eq!(second.runs(), 0);
        }
        assert!(worker.schedule(|| {}).is_err());
    });
}

/// Races 1 and 2 of elastic.rs, for liveness: a task that blocks holds its
/// thread, and a second worker's task must get another (the cap is two), even
/// when both arrive while one thread is parked. The first task blocks until
/// the second has run: were both handed to the one parked thread, it would
/// block for ever, which loom reports.
#[test]
fn loom_elastic_a_blocked_task_never_holds_up_another_worker() {
    loom::model(|| {
        let (pool, scheduler) = pool(2);
        // A first task, so that a thread may be parked when the others come.
        scheduler.worker().schedule(|| {}).unwrap();
        let (unblock, ran) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let waiter = Arc::clone(&unblock);
        scheduler.worker().schedule(move || waiter.wait()).unwrap();
        let second = Arc::clone(&ran);
        scheduler
            .worker()
            .schedule(move || {
                unblock.notify();
                second.notify();
            })
            .unwrap();
        // Blocks, not spins: if the second task never runs, every thread is
        // blocked and loom reports a deadlock.
        ran.wait();
        quiesce(&pool);
    });
}
