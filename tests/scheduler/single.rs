//! `single()` and `SingleScheduler`: one named thread, its own timer heap,
//! disposal and drop stop it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::scheduler::{self, RejectReason, Scheduler, SingleScheduler, TaskHandle};

use crate::probe::{events, DropProbe};

#[test]
fn every_worker_runs_on_the_one_named_thread() {
    let scheduler = SingleScheduler::new("test-single-thread");
    let (tx, rx) = events();
    let workers: Vec<_> = (0..3).map(|_| scheduler.worker()).collect();
    for worker in &workers {
        let tx = tx.clone();
        worker
            .schedule(move || {
                let me = std::thread::current();
                tx.send((me.id(), me.name().map(String::from))).unwrap();
            })
            .unwrap();
    }
    let seen = rx.take(3);
    assert!(seen.iter().all(|s| s == &seen[0]));
    assert_eq!(seen[0].1.as_deref(), Some("test-single-thread"));
    assert_ne!(seen[0].0, std::thread::current().id());
}

#[test]
fn a_delayed_task_never_runs_early() {
    let scheduler = SingleScheduler::new("test-single-delay");
    let worker = scheduler.worker();
    let (tx, rx) = events();
    let due = worker.now() + Duration::from_millis(20);
    let clock = worker.clone();
    worker
        .schedule_after(Duration::from_millis(20), move || {
            tx.send(clock.now()).unwrap()
        })
        .unwrap();
    assert!(rx.next() >= due);
}

#[test]
fn an_earlier_deadline_armed_later_still_runs_first() {
    // The loop parks until the 1-hour timer; the new, earlier one must wake it.
    let scheduler = SingleScheduler::new("test-single-wake");
    let worker = scheduler.worker();
    let (tx, rx) = events();
    let late_tx = tx.clone();
    worker
        .schedule_after(Duration::from_secs(3600), move || {
            late_tx.send("late").unwrap()
        })
        .unwrap();
    // Let the loop park on the long deadline first (it has no other work).
    let (parked_tx, parked_rx) = events();
    worker
        .schedule(move || parked_tx.send(()).unwrap())
        .unwrap();
    parked_rx.next();
    worker
        .schedule_after(Duration::from_millis(1), move || tx.send("early").unwrap())
        .unwrap();
    assert_eq!(rx.next(), "early");
}

#[test]
fn a_periodic_task_repeats_until_it_cancels_itself() {
    let scheduler = SingleScheduler::new("test-single-periodic");
    let worker = scheduler.worker();
    let count = Arc::new(AtomicU32::new(0));
    let slot: Arc<Mutex<Option<TaskHandle>>> = Arc::default();
    let (tx, rx) = events();
    let (counter, own) = (count.clone(), slot.clone());
    let (handle_tx, handle_rx) = mpsc::channel::<()>();
    let handle = worker
        .schedule_periodically(Duration::ZERO, Duration::from_millis(1), move || {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                handle_rx.recv().unwrap(); // wait for the handle to be stored
            }
            if counter.load(Ordering::SeqCst) == 5 {
                own.lock().unwrap().as_ref().unwrap().cancel();
                tx.send(()).unwrap();
            }
        })
        .unwrap();
    *slot.lock().unwrap() = Some(handle.clone());
    handle_tx.send(()).unwrap();
    rx.next();
    // A marker after a few more periods: no run came after the cancel.
    let (marker_tx, marker_rx) = events();
    worker
        .schedule_after(Duration::from_millis(10), move || {
            marker_tx.send(()).unwrap()
        })
        .unwrap();
    marker_rx.next();
    assert_eq!(count.load(Ordering::SeqCst), 5);
    assert!(handle.is_cancelled());
}

#[test]
fn dispose_drops_pending_tasks_at_once_and_lets_the_running_one_finish() {
    let scheduler = SingleScheduler::new("test-single-dispose");
    let worker = scheduler.worker();
    let probe = DropProbe::default();
    let (started_tx, started_rx) = events();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (finished_tx, finished_rx) = events();
    worker
        .schedule(move || {
            started_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            finished_tx.send("finished").unwrap();
        })
        .unwrap();
    started_rx.next();
    let guard = probe.guard();
    worker.schedule(move || drop(guard)).unwrap(); // queued behind the running task
    let guard = probe.guard();
    let other = scheduler.worker();
    other
        .schedule_after(Duration::from_secs(3600), move || drop(guard))
        .unwrap();
    scheduler.dispose();
    assert_eq!(
        probe.dropped(),
        2,
        "pending tasks dropped by dispose itself"
    );
    let rejected = other.schedule(|| {}).unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::Disposed);
    assert_eq!(rejected.scheduler(), "test-single-dispose");
    release_tx.send(()).unwrap();
    assert_eq!(finished_rx.next(), "finished");
}

#[test]
fn dropping_the_last_handle_and_worker_disposes_despite_pending_timers() {
    let scheduler = SingleScheduler::new("test-single-drop");
    let worker = scheduler.worker();
    let probe = DropProbe::default();
    let guard = probe.guard();
    let handle = worker
        .schedule_after(Duration::from_secs(3600), move || drop(guard))
        .unwrap();
    let clone = scheduler.clone();
    drop(scheduler);
    drop(worker);
    assert_eq!(probe.dropped(), 0, "a clone still owns it");
    assert!(!clone.is_disposed());
    drop(clone);
    assert_eq!(probe.dropped(), 1);
    assert!(handle.is_cancelled());
}

#[test]
fn the_shared_single_ignores_dispose() {
    let shared = scheduler::single();
    shared.dispose();
    assert!(!shared.is_disposed());
    let (tx, rx) = events();
    scheduler::single()
        .worker()
        .schedule(move || {
            tx.send(std::thread::current().name().map(String::from))
                .unwrap()
        })
        .unwrap();
    assert_eq!(rx.next().as_deref(), Some("reactive-streams-single"));
}

#[test]
fn now_is_real_time() {
    let before = Instant::now();
    let scheduler = SingleScheduler::new("test-single-now");
    assert!(scheduler.now() >= before);
    assert!(scheduler.worker().now() >= before);
}

/// Workers sharing the thread take turns: a task that keeps scheduling on
/// its own worker (as a hop's drain continues itself) does not starve
/// another worker of the thread (`worker.rs`, race 6). Before the fix the
/// other worker's task ran only once the busy worker's queue ran dry, here
/// after all `CAP` turns.
#[test]
fn a_worker_that_keeps_rescheduling_itself_lets_the_others_run() {
    use std::sync::atomic::{AtomicBool, AtomicUsize};

    const CAP: usize = 100_000;

    struct Busy {
        worker: reactive_streams::scheduler::Worker,
        other: reactive_streams::scheduler::Worker,
        runs: AtomicUsize,
        other_ran: Arc<AtomicBool>,
        done: mpsc::Sender<usize>,
    }

    fn turn(busy: Arc<Busy>) {
        let count = busy.runs.fetch_add(1, Ordering::SeqCst) + 1;
        if count == 1 {
            // Queued on the thread behind the busy worker's running drain.
            let flag = Arc::clone(&busy.other_ran);
            busy.other
                .schedule(move || flag.store(true, Ordering::SeqCst))
                .unwrap();
        }
        if busy.other_ran.load(Ordering::SeqCst) || count == CAP {
            busy.done.send(count).unwrap();
            return;
        }
        let next = Arc::clone(&busy);
        busy.worker.schedule(move || turn(next)).unwrap();
    }

    let scheduler = SingleScheduler::new("test-single-turns");
    let (done, finished) = mpsc::channel();
    let busy = Arc::new(Busy {
        worker: scheduler.worker(),
        other: scheduler.worker(),
        runs: AtomicUsize::new(0),
        other_ran: Arc::new(AtomicBool::new(false)),
        done,
    });
    let first = Arc::clone(&busy);
    busy.worker.schedule(move || turn(first)).unwrap();
    let count = finished.recv_timeout(Duration::from_secs(60)).unwrap();
    assert!(
        count < 10,
        "the other worker waited for {count} turns of the busy one"
    );
    scheduler.dispose();
}
