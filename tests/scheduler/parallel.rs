//! `parallel()` and `ParallelScheduler`: an event loop per thread, workers
//! handed out round-robin, a blocked loop holds up only its own workers,
//! disposal and drop stop every thread.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use reactive_streams::scheduler::{self, ParallelScheduler, RejectReason, Scheduler};

use crate::probe::{
    assert_all_exit, assert_runs_now_and_later, events, watch_thread_exit, DropProbe,
};

/// The thread id and name a task of `worker` runs on.
fn thread_of(worker: &reactive_streams::scheduler::Worker) -> (ThreadId, String) {
    let (tx, rx) = events();
    worker
        .schedule(move || {
            let me = std::thread::current();
            tx.send((me.id(), me.name().unwrap_or_default().to_owned()))
                .unwrap();
        })
        .unwrap();
    rx.next()
}

#[test]
fn workers_are_handed_out_round_robin_one_loop_per_thread() {
    let scheduler = ParallelScheduler::new("test-parallel-rr", 3);
    assert_eq!(scheduler.threads(), 3);
    let workers: Vec<_> = (0..6).map(|_| scheduler.worker()).collect();
    let threads: Vec<_> = workers.iter().map(thread_of).collect();
    for i in 0..3 {
        assert_eq!(
            threads[i],
            threads[i + 3],
            "worker {i} and {} share a loop",
            i + 3
        );
        assert_eq!(threads[i].1, format!("test-parallel-rr-{i}"));
    }
    let distinct: HashSet<_> = threads.iter().map(|(id, _)| *id).collect();
    assert_eq!(distinct.len(), 3);
    assert!(!distinct.contains(&std::thread::current().id()));
}

#[test]
fn a_worker_runs_every_task_on_its_one_thread() {
    let scheduler = ParallelScheduler::new("test-parallel-pinned", 2);
    let worker = scheduler.worker();
    let (tx, rx) = events();
    for _ in 0..100 {
        let tx = tx.clone();
        worker
            .schedule(move || tx.send(std::thread::current().id()).unwrap())
            .unwrap();
    }
    let seen: HashSet<_> = rx.take(100).into_iter().collect();
    assert_eq!(seen.len(), 1);
}

#[test]
fn a_blocked_loop_holds_up_only_its_own_workers() {
    let scheduler = ParallelScheduler::new("test-parallel-blocked", 2);
    let (blocked, free, behind) = (scheduler.worker(), scheduler.worker(), scheduler.worker());
    // `blocked` and `behind` share loop 0 (round-robin over 2); `free` is on loop 1.
    let (started_tx, started) = events();
    let (release_tx, release) = mpsc::channel::<()>();
    let released = Arc::new(AtomicBool::new(false));
    blocked
        .schedule(move || {
            started_tx.send(()).unwrap();
            release.recv().unwrap(); // user code that blocks its thread
        })
        .unwrap();
    started.next();
    // The other loop goes on: tasks now, and timers.
    assert_runs_now_and_later(&free);
    // The worker on the blocked loop waits for its thread, and is not lost.
    let (behind_tx, behind_rx) = events();
    let flag = released.clone();
    behind
        .schedule(move || behind_tx.send(flag.load(Ordering::SeqCst)).unwrap())
        .unwrap();
    released.store(true, Ordering::SeqCst);
    release_tx.send(()).unwrap();
    assert!(
        behind_rx.next(),
        "it ran only once the loop's thread was free"
    );
}

/// Starts every loop's thread, and makes each report its exit.
fn watch_every_thread(
    scheduler: &ParallelScheduler,
) -> (Vec<ThreadId>, crate::probe::Waiter<ThreadId>) {
    let (exit_tx, exits) = events();
    let (tx, rx) = events();
    for _ in 0..scheduler.threads() {
        let (exit_tx, tx) = (exit_tx.clone(), tx.clone());
        scheduler
            .worker()
            .schedule(move || tx.send(watch_thread_exit(exit_tx)).unwrap())
            .unwrap();
    }
    let mut threads = rx.take(scheduler.threads());
    threads.sort_by_key(|id| format!("{id:?}"));
    (threads, exits)
}

#[test]
fn dispose_stops_every_thread_once_its_task_returns() {
    let scheduler = ParallelScheduler::new("test-parallel-dispose", 3);
    let (threads, exits) = watch_every_thread(&scheduler);
    assert_eq!(threads.len(), 3);
    // One loop is busy with a task, with another queued behind it and a
    // timer armed: disposal drops both at once, and the busy thread exits
    // after its task.
    let worker = scheduler.worker();
    let (started_tx, started) = events();
    let (release_tx, release) = mpsc::channel::<()>();
    worker
        .schedule(move || {
            started_tx.send(()).unwrap();
            release.recv().unwrap();
        })
        .unwrap();
    started.next();
    let probe = DropProbe::default();
    let (queued, timed) = (probe.guard(), probe.guard());
    worker.schedule(move || drop(queued)).unwrap();
    scheduler
        .worker()
        .schedule_after(Duration::from_secs(3600), move || drop(timed))
        .unwrap();
    scheduler.dispose();
    assert!(scheduler.is_disposed());
    assert_eq!(probe.dropped(), 2, "dropped by dispose itself");
    let rejected = scheduler.worker().schedule(|| {}).unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::Disposed);
    assert_eq!(rejected.scheduler(), "test-parallel-dispose");
    release_tx.send(()).unwrap();
    assert_all_exit(threads, &exits);
}

#[test]
fn dropping_the_last_handle_and_worker_stops_every_thread() {
    let scheduler = ParallelScheduler::new("test-parallel-drop", 2);
    let (threads, exits) = watch_every_thread(&scheduler);
    let worker = scheduler.worker();
    let clone = scheduler.clone();
    drop(scheduler);
    drop(clone);
    // The worker still keeps its loop; dropping it lets the last thread go.
    let (tx, rx) = events();
    worker.schedule(move || tx.send(()).unwrap()).unwrap();
    rx.next();
    drop(worker);
    assert_all_exit(threads, &exits);
}

#[test]
fn the_shared_parallel_has_a_loop_per_core_and_ignores_dispose() {
    let shared = scheduler::parallel();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(shared.threads(), cores);
    shared.dispose();
    assert!(!shared.is_disposed());
    let (_, name) = thread_of(&scheduler::parallel().worker());
    assert!(name.starts_with("reactive-streams-parallel-"), "{name}");
}

#[test]
fn now_is_real_time() {
    let before = Instant::now();
    let scheduler = ParallelScheduler::new("test-parallel-now", 2);
    assert!(scheduler.now() >= before);
    assert!(scheduler.worker().now() >= before);
}
