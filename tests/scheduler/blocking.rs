//! `blocking()` and `BlockingScheduler`: threads on demand up to a cap, a
//! blocked worker holds one thread, a worker keeps its thread while it has
//! work, the queued-task cap rejects with `Full`, idle threads retire,
//! disposal and drop stop every thread.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::ThreadId;
use std::time::Duration;

use reactive_streams::scheduler::{
    self, BlockingOptions, BlockingScheduler, RejectReason, Scheduler, Worker,
};

use crate::probe::{
    assert_all_exit, assert_runs_now_and_later, events, watch_thread_exit, DropProbe, Log, Waiter,
};

fn with_threads(name: &str, max_threads: usize) -> BlockingScheduler {
    BlockingScheduler::with_options(name, BlockingOptions::new().max_threads(max_threads))
}

/// A task on `worker` that blocks its thread until the returned sender
/// sends (or is dropped); returns once it runs, with its thread's id.
/// Its thread reports its exit on `exits`, if given.
fn block(worker: &Worker, exits: Option<mpsc::Sender<ThreadId>>) -> (mpsc::Sender<()>, ThreadId) {
    let (started_tx, started) = events();
    let (release_tx, release) = mpsc::channel::<()>();
    worker
        .schedule(move || {
            let me = match exits {
                Some(exits) => watch_thread_exit(exits),
                None => std::thread::current().id(),
            };
            started_tx.send(me).unwrap();
            let _ = release.recv();
        })
        .unwrap();
    (release_tx, started.next())
}

#[test]
fn a_blocked_worker_holds_one_thread_and_the_others_go_on() {
    let scheduler = with_threads("test-blocking-others", 4);
    let blocked: Vec<_> = (0..3).map(|_| block(&scheduler.worker(), None)).collect();
    let ids: HashSet<_> = blocked.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), 3, "one thread each");
    assert_eq!(scheduler.live_threads(), 3);
    // A fourth worker gets the fourth thread: now, and after a delay.
    let free = scheduler.worker();
    assert_runs_now_and_later(&free);
    assert_eq!(scheduler.live_threads(), 4);
}

#[test]
fn at_the_thread_cap_a_worker_waits_for_a_thread_and_is_not_rejected() {
    let scheduler = with_threads("test-blocking-cap", 2);
    let (first, _) = block(&scheduler.worker(), None);
    let (second, _) = block(&scheduler.worker(), None);
    let released = Arc::new(AtomicBool::new(false));
    let (tx, rx) = events();
    let flag = released.clone();
    scheduler
        .worker()
        .schedule(move || tx.send(flag.load(Ordering::SeqCst)).unwrap())
        .unwrap();
    assert_eq!(scheduler.live_threads(), 2, "never beyond the cap");
    released.store(true, Ordering::SeqCst);
    drop(second);
    assert!(rx.next(), "it ran only once a thread came free");
    drop(first);
    assert_eq!(scheduler.live_threads(), 2);
}

#[test]
fn a_worker_keeps_one_thread_while_it_has_work_and_runs_in_order() {
    let scheduler = with_threads("test-blocking-pinned", 4);
    let worker = scheduler.worker();
    let (release, blocked_on) = block(&worker, None);
    // Queued behind the blocked task: the drain runs them all on its thread.
    let log = Log::default();
    for i in 0..1000 {
        let log = log.clone();
        worker
            .schedule(move || log.push((i, std::thread::current().id())))
            .unwrap();
    }
    drop(release);
    let (tx, rx) = events();
    worker.schedule(move || tx.send(()).unwrap()).unwrap();
    rx.next();
    let seen = log.get();
    assert_eq!(
        seen.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..1000).collect::<Vec<_>>()
    );
    assert!(seen.iter().all(|(_, thread)| *thread == blocked_on));
}

#[test]
fn the_queued_task_cap_rejects_with_full_across_workers_and_slots_come_back() {
    let scheduler = BlockingScheduler::with_options(
        "test-blocking-full",
        BlockingOptions::new().max_threads(1).max_queued_tasks(5),
    );
    let worker = scheduler.worker();
    let (release, _) = block(&worker, None); // started: holds no slot
    let (ran_tx, ran) = events();
    let handles: Vec<_> = (0..5)
        .map(|i| {
            let ran_tx = ran_tx.clone();
            worker.schedule(move || ran_tx.send(i).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(scheduler.queued_tasks(), 5);
    let probe = DropProbe::default();
    let other = scheduler.worker();
    for attempt in 0..3 {
        let guard = probe.guard();
        let task = move || {
            let _keep = &guard;
        };
        let rejected = match attempt {
            0 => worker.schedule(task),
            1 => other.schedule_after(Duration::from_millis(1), task),
            _ => other.schedule_periodically(Duration::ZERO, Duration::from_secs(1), task),
        }
        .unwrap_err();
        assert_eq!(rejected.reason(), &RejectReason::Full);
        assert_eq!(
            rejected.to_string(),
            "scheduler `test-blocking-full` rejected a task: its queued-task cap is reached"
        );
    }
    assert_eq!(probe.dropped(), 3, "rejected tasks are dropped");
    // A cancel gives its slot back at once, to any worker.
    handles[4].cancel();
    assert_eq!(scheduler.queued_tasks(), 4);
    other.schedule(move || ran_tx.send(5).unwrap()).unwrap();
    assert_eq!(scheduler.queued_tasks(), 5);
    drop(release);
    let mut ran = ran.take(5);
    ran.sort_unstable();
    assert_eq!(ran, [0, 1, 2, 3, 5]);
    assert_eq!(
        scheduler.queued_tasks(),
        0,
        "a task gives its slot back as it starts"
    );
}

#[test]
fn a_periodic_task_holds_one_slot_until_it_ends() {
    let scheduler = BlockingScheduler::with_options(
        "test-blocking-periodic-slot",
        BlockingOptions::new().max_queued_tasks(1),
    );
    let worker = scheduler.worker();
    let ticks = worker
        .schedule_periodically(Duration::from_secs(3600), Duration::from_secs(3600), || {})
        .unwrap();
    assert_eq!(scheduler.queued_tasks(), 1);
    assert_eq!(
        worker.schedule(|| {}).unwrap_err().reason(),
        &RejectReason::Full
    );
    ticks.cancel();
    assert_eq!(scheduler.queued_tasks(), 0);
    assert!(worker.schedule(|| {}).is_ok());
}

#[test]
fn idle_threads_retire_after_the_ttl_and_new_ones_come_on_demand() {
    let scheduler = BlockingScheduler::with_options(
        "test-blocking-ttl",
        BlockingOptions::new()
            .max_threads(3)
            .thread_ttl(Duration::from_millis(1)),
    );
    let (exit_tx, exits) = events();
    // Three blocked at once: three threads.
    let blocked: Vec<_> = (0..3)
        .map(|_| block(&scheduler.worker(), Some(exit_tx.clone())))
        .collect();
    assert_eq!(scheduler.live_threads(), 3);
    let mut threads: Vec<_> = blocked.iter().map(|(_, id)| *id).collect();
    drop(blocked); // released: idle, then retired
    let mut exited = exits.take(3);
    threads.sort_by_key(|id| format!("{id:?}"));
    exited.sort_by_key(|id| format!("{id:?}"));
    assert_eq!(exited, threads);
    assert_eq!(scheduler.live_threads(), 0);
    // The next task starts a thread again.
    let (tx, rx) = events();
    scheduler
        .worker()
        .schedule(move || tx.send(std::thread::current().id()).unwrap())
        .unwrap();
    assert!(!threads.contains(&rx.next()));
}

/// Blocks `n` workers on `n` threads, each reporting its exit.
fn block_threads(
    scheduler: &BlockingScheduler,
    n: usize,
) -> (
    Vec<Worker>,
    Vec<mpsc::Sender<()>>,
    Vec<ThreadId>,
    Waiter<ThreadId>,
) {
    let (exit_tx, exits) = events();
    let workers: Vec<_> = (0..n).map(|_| scheduler.worker()).collect();
    let (releases, threads) = workers
        .iter()
        .map(|worker| block(worker, Some(exit_tx.clone())))
        .unzip();
    (workers, releases, threads, exits)
}

#[test]
fn dispose_drops_what_waits_and_every_thread_exits_once_its_task_returns() {
    let scheduler = with_threads("test-blocking-dispose", 3);
    let (workers, releases, threads, exits) = block_threads(&scheduler, 3);
    let probe = DropProbe::default();
    for worker in &workers {
        let guard = probe.guard();
        worker.schedule(move || drop(guard)).unwrap();
        let guard = probe.guard();
        worker
            .schedule_after(Duration::from_millis(1), move || drop(guard))
            .unwrap();
    }
    // One more worker, waiting for a thread (all three are busy).
    let guard = probe.guard();
    scheduler.worker().schedule(move || drop(guard)).unwrap();
    scheduler.dispose();
    assert_eq!(
        probe.dropped(),
        7,
        "every task not started, dropped by dispose"
    );
    assert_eq!(scheduler.queued_tasks(), 0);
    let rejected = workers[0].schedule(|| {}).unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::Disposed);
    drop(releases);
    assert_all_exit(threads, &exits);
    assert_eq!(scheduler.live_threads(), 0);
}

#[test]
fn dropping_the_last_handle_and_worker_stops_every_thread() {
    let scheduler = with_threads("test-blocking-drop", 2);
    let (workers, releases, threads, exits) = block_threads(&scheduler, 2);
    let probe = DropProbe::default();
    let guard = probe.guard();
    workers[0]
        .schedule_after(Duration::from_secs(3600), move || drop(guard))
        .unwrap();
    drop(scheduler);
    assert_eq!(probe.dropped(), 0, "its workers still own it");
    drop(workers);
    assert_eq!(probe.dropped(), 1, "disposed: the timer was dropped");
    drop(releases);
    assert_all_exit(threads, &exits);
}

#[test]
fn a_delayed_task_runs_on_a_pool_thread_never_on_the_timer_thread() {
    let scheduler = with_threads("test-blocking-delay", 2);
    let worker = scheduler.worker();
    let (tx, rx) = events();
    let due = worker.now() + Duration::from_millis(5);
    let clock = worker.clone();
    worker
        .schedule_after(Duration::from_millis(5), move || {
            let name = std::thread::current().name().map(String::from);
            tx.send((name, clock.now())).unwrap()
        })
        .unwrap();
    let (name, at) = rx.next();
    // The first pool thread, not `test-blocking-delay-timer`.
    assert_eq!(name.as_deref(), Some("test-blocking-delay-1"));
    assert!(at >= due, "never early");
}

#[test]
fn a_periodic_task_on_a_blocking_worker_repeats_until_cancelled() {
    let scheduler = with_threads("test-blocking-periodic", 2);
    let worker = scheduler.worker();
    let (tx, rx) = events();
    let handle = worker
        .schedule_periodically(Duration::ZERO, Duration::from_millis(1), move || {
            let _ = tx.send(());
        })
        .unwrap();
    rx.take(5);
    handle.cancel();
    assert!(handle.is_cancelled());
    // A run may be in progress: its slot comes back when it ends, before
    // the worker's next task.
    let (marker_tx, marker) = events();
    worker
        .schedule(move || marker_tx.send(()).unwrap())
        .unwrap();
    marker.next();
    assert_eq!(scheduler.queued_tasks(), 0);
}

#[test]
fn the_shared_blocking_ignores_dispose_and_names_its_threads() {
    let shared = scheduler::blocking();
    shared.dispose();
    assert!(!shared.is_disposed());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(shared.max_threads(), 10 * cores);
    assert_eq!(shared.max_queued_tasks(), 100_000);
    assert_eq!(shared.thread_ttl(), Duration::from_secs(60));
    let (tx, rx) = events();
    scheduler::blocking()
        .worker()
        .schedule(move || {
            tx.send(std::thread::current().name().map(String::from))
                .unwrap()
        })
        .unwrap();
    let name = rx.next().unwrap();
    assert!(name.starts_with("reactive-streams-blocking-"), "{name}");
}

#[test]
fn delayed_tasks_due_together_run_in_deadline_order() {
    let scheduler = with_threads("test-blocking-timer-order", 8);
    let workers: Vec<_> = (0..4).map(|_| scheduler.worker()).collect();
    let (tx, rx) = events();
    // Other workers keep pool threads busy and coming free meanwhile.
    for i in 0..4000 {
        let tx = tx.clone();
        workers[i % 4]
            .schedule_after(Duration::from_millis(1), move || tx.send(i).unwrap())
            .unwrap();
    }
    let seen = rx.take(4000);
    for w in 0..4 {
        let mine: Vec<_> = seen.iter().copied().filter(|i| i % 4 == w).collect();
        assert!(mine.windows(2).all(|pair| pair[0] < pair[1]), "worker {w}");
    }
}
