//! Loom: the serial worker (`scheduler/worker.rs`) and disposal racing a
//! schedule (`scheduler/executor.rs`).
//!
//! Each task writes into a shim `UnsafeCell` without a lock: two tasks of one
//! worker that overlapped would be two unsynchronized accesses, which loom
//! reports. Every task's closure carries a guard that counts its drop, so a
//! model can tell "ran", "dropped unrun" and "stranded" (neither) apart.

use std::time::Duration;

use loom::thread;

use crate::scheduler::{
    self, ExecutorScheduler, Extras, RejectReason, Scheduler, TaskHandle, Worker,
};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;

/// What the tasks of one model share (also used by `loom_task_cap.rs` and
/// `loom_elastic.rs`).
#[derive(Default)]
pub(super) struct Shared {
    /// Written by every task without a lock: the overlap detector.
    runs: UnsafeCell<usize>,
    /// Closures dropped (after running, or unrun).
    dropped: AtomicUsize,
}

// SAFETY: `runs` is written only by tasks that must not overlap (those of
// one worker, or of a pool capped at one thread; that is what loom checks:
// an overlap is a loom failure, not UB in a passing model), and read only
// after every thread that ran them was joined or was seen to exit through a
// lock it released after its last task.
unsafe impl Sync for Shared {}

impl Shared {
    pub(super) fn runs(&self) -> usize {
        // SAFETY: see the `Sync` impl: called after the joins.
        self.runs.with(|runs| unsafe { *runs })
    }

    pub(super) fn dropped(&self) -> usize {
        // Ordering: Relaxed; read after the joins, which synchronize.
        self.dropped.load(Ordering::Relaxed)
    }

    /// A task that counts its run in the cell and its drop in `dropped`.
    pub(super) fn task(self: &Arc<Self>) -> impl FnOnce() + Send + 'static {
        let guard = DropGuard(Arc::clone(self));
        move || {
            // SAFETY: see the `Sync` impl: tasks of one worker never overlap.
            guard.0.runs.with_mut(|runs| unsafe { *runs += 1 });
        }
    }
}

struct DropGuard(Arc<Shared>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        // Ordering: Relaxed; read after the joins.
        self.0.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// The hand-driven executor every worker model runs on (also used by
/// `loom_task_cap.rs` and `loom_elastic.rs`).
pub(super) type Manual = ManualExecutor;

/// A worker over a fresh [`Manual`] executor, and the state its tasks share.
fn manual_worker() -> (Arc<Manual>, ExecutorScheduler, Worker, Arc<Shared>) {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
    let worker = scheduler.worker();
    (executor, scheduler, worker, Arc::new(Shared::default()))
}

/// Race 1 of worker.rs: tasks scheduled from two threads on a worker of the
/// immediate scheduler (the drain runs on whichever caller finds the worker
/// idle). Each runs once, never two at once, none is stranded.
#[test]
fn loom_worker_schedules_from_two_threads_run_once_each_serially() {
    loom::model(|| {
        let shared = Arc::new(Shared::default());
        let worker = scheduler::immediate().worker();
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (worker, shared) = (worker.clone(), Arc::clone(&shared));
                thread::spawn(move || {
                    worker.schedule(shared.task()).unwrap();
                })
            })
            .collect();
        worker.schedule(shared.task()).unwrap();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(shared.runs(), 3);
        assert_eq!(shared.dropped(), 3);
    });
}

/// Race 1 with the drain on its own thread: a schedule races the drain
/// finding the queue empty. The task runs (no lost wake-up), and the drain
/// and a second drain never overlap.
#[test]
fn loom_worker_schedule_races_drain_going_idle() {
    loom::model(|| {
        let (executor, _scheduler, worker, shared) = manual_worker();
        worker.schedule(shared.task()).unwrap();
        let runner = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        worker.schedule(shared.task()).unwrap();
        executor.run_all();
        runner.join().unwrap();
        executor.run_all();
        assert_eq!(shared.runs(), 2);
        assert_eq!(shared.dropped(), 2);
    });
}

/// Race 6 of worker.rs: on a scheduler that takes turns, a drain that
/// yields with tasks still queued (its turn had one task) races a schedule
/// from another thread. The yield hands the executor exactly one new drain
/// (the worker stays `running`, so the schedule only queues), every task
/// runs once, never two at once, none is stranded.
#[test]
fn loom_worker_taking_turns_yields_while_another_thread_schedules() {
    loom::model(|| {
        let executor = Arc::new(Manual::default());
        let extras = Extras {
            take_turns: true,
            ..Extras::default()
        };
        let scheduler = ExecutorScheduler::with_extras("turns", Arc::clone(&executor), extras);
        let (worker, shared) = (scheduler.worker(), Arc::new(Shared::default()));
        // The first task schedules a second on its own worker while it runs.
        let (again, inner) = (worker.clone(), Arc::clone(&shared));
        let first = shared.task();
        worker
            .schedule(move || {
                first();
                again.schedule(inner.task()).unwrap();
            })
            .unwrap();
        let drain = executor.take();
        let other = {
            let (worker, shared) = (worker.clone(), Arc::clone(&shared));
            thread::spawn(move || worker.schedule(shared.task()).unwrap())
        };
        drain.run();
        other.join().unwrap();
        assert_eq!(executor.live(), 1, "the yield must leave one drain");
        executor.run_all();
        assert_eq!(shared.runs(), 3);
        assert_eq!(shared.dropped(), 3);
        assert_eq!(executor.live(), 0, "a drain left behind");
    });
}

/// Race 2 of worker.rs: a timer fires on one thread while the worker's drain
/// runs on another (`queue_timers`: the firing only queues, as on the
/// blocking scheduler; else it may run the task itself). Both tasks run
/// once, one after the other; none is stranded.
fn timer_fires_while_drain_runs(queue_timers: bool) {
    loom::model(move || {
        let executor = Arc::new(Manual::default());
        let extras = Extras {
            task_cap: None,
            queue_timers,
            take_turns: false,
        };
        let scheduler = ExecutorScheduler::with_extras("timers", Arc::clone(&executor), extras);
        let (worker, shared) = (scheduler.worker(), Arc::new(Shared::default()));
        worker.schedule(shared.task()).unwrap();
        worker
            .schedule_after(Duration::from_secs(1), shared.task())
            .unwrap();
        // Two executor tasks now: the drain and the timer; run them on two
        // threads at once.
        let mut tasks = std::mem::take(&mut *executor.tasks.lock());
        assert_eq!(tasks.len(), 2);
        let timer = tasks.pop().unwrap();
        let drain = tasks.pop().unwrap();
        let t = thread::spawn(move || timer.run());
        drain.run();
        t.join().unwrap();
        // A queued firing that found the worker idle handed over a new drain.
        executor.run_all();
        assert_eq!(shared.runs(), 2);
        assert_eq!(shared.dropped(), 2);
    });
}

#[test]
fn loom_worker_timer_fires_while_drain_runs() {
    timer_fires_while_drain_runs(false);
}

#[test]
fn loom_worker_queued_timer_fires_while_drain_runs() {
    timer_fires_while_drain_runs(true);
}

/// Race 4 of worker.rs: a cancel races the task starting. It runs, or it is
/// dropped unrun and reported cancelled; never both, never neither.
#[test]
fn loom_worker_cancel_races_run() {
    loom::model(|| {
        let (executor, _scheduler, worker, shared) = manual_worker();
        let handle: TaskHandle = worker.schedule(shared.task()).unwrap();
        let canceller = {
            let handle = handle.clone();
            thread::spawn(move || handle.cancel())
        };
        executor.run_all();
        canceller.join().unwrap();
        assert_eq!(shared.dropped(), 1);
        assert_eq!(shared.runs() == 0, handle.is_cancelled());
    });
}

/// Race 1 of executor.rs: `dispose` races a schedule. Accepted tasks run or
/// are dropped; a rejected task never runs; nothing is stranded; a schedule
/// after both is rejected.
#[test]
fn loom_dispose_races_schedule() {
    loom::model(|| {
        let (executor, scheduler, worker, shared) = manual_worker();
        let disposer = {
            let scheduler = scheduler.clone();
            thread::spawn(move || scheduler.dispose())
        };
        let accepted = worker.schedule(shared.task()).is_ok();
        disposer.join().unwrap();
        executor.run_all();
        assert_eq!(shared.dropped(), 1, "the task ran or was dropped");
        if !accepted {
            assert_eq!(shared.runs(), 0, "a rejected task never runs");
        }
        let rejected = worker.schedule(|| {}).unwrap_err();
        assert_eq!(rejected.reason(), &RejectReason::Disposed);
    });
}

/// Race 2 of executor.rs: `dispose` while the worker's drain runs a task on
/// another thread, with a second task queued behind it. The queued task is
/// dropped unrun, or ran before the disposal reached it; it is never left
/// queued.
#[test]
fn loom_dispose_races_busy_worker() {
    loom::model(|| {
        let (executor, scheduler, worker, shared) = manual_worker();
        worker.schedule(shared.task()).unwrap();
        worker.schedule(shared.task()).unwrap();
        let drain = executor.tasks.lock().pop().unwrap();
        let runner = thread::spawn(move || drain.run());
        scheduler.dispose();
        // Both closures are gone once the disposal returned and the drain
        // finished: run, or dropped by whichever of the two got there.
        runner.join().unwrap();
        assert_eq!(shared.dropped(), 2);
        assert!(worker.is_disposed());
    });
}
