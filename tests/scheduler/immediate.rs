//! `immediate()`: runs on the caller, keeps workers serial by trampolining,
//! refuses delays instead of sleeping.

use std::sync::mpsc;
use std::time::Duration;

use reactive_streams::scheduler::{self, RejectReason, Scheduler};

use crate::probe::{events, DropProbe, Log};

#[test]
fn a_task_runs_on_the_caller_before_schedule_returns() {
    let worker = scheduler::immediate().worker();
    let log = Log::default();
    let inner = log.clone();
    worker
        .schedule(move || inner.push(std::thread::current().id()))
        .unwrap();
    assert_eq!(log.get(), [std::thread::current().id()]);
}

#[test]
fn a_task_scheduled_from_another_thread_while_one_runs_is_run_by_the_running_thread() {
    let worker = scheduler::immediate().worker();
    let log = Log::default();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (other, other_log) = (worker.clone(), log.clone());
    let first_log = log.clone();
    worker
        .schedule(move || {
            // While this runs, another thread schedules on the same worker:
            // its call returns at once (we are still blocked here), and its
            // task runs on this thread after this one.
            let spawner = std::thread::spawn(move || {
                let task_log = other_log.clone();
                other
                    .schedule(move || task_log.push(("second", std::thread::current().id())))
                    .unwrap();
                other_log.push(("other thread returned", std::thread::current().id()));
                release_tx.send(()).unwrap();
            });
            release_rx.recv().unwrap();
            spawner.join().unwrap();
            first_log.push(("first", std::thread::current().id()));
        })
        .unwrap();
    let me = std::thread::current().id();
    let events: Vec<_> = log.get();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].0, "other thread returned");
    assert_ne!(events[0].1, me);
    assert_eq!(events[1], ("first", me));
    assert_eq!(events[2], ("second", me));
}

#[test]
fn deep_nesting_stays_flat() {
    // Each task schedules the next from inside itself: a trampoline runs
    // them one after another instead of recursing 100 000 frames deep.
    fn chain(worker: reactive_streams::scheduler::Worker, left: u32, done: mpsc::Sender<()>) {
        if left == 0 {
            done.send(()).unwrap();
            return;
        }
        let next = worker.clone();
        worker
            .schedule(move || chain(next, left - 1, done))
            .unwrap();
    }
    let (tx, rx) = events();
    chain(scheduler::immediate().worker(), 100_000, tx);
    rx.next();
}

#[test]
fn delays_and_periods_are_rejected_and_their_closures_dropped() {
    let worker = scheduler::immediate().worker();
    let probe = DropProbe::default();

    let guard = probe.guard();
    let rejected = worker
        .schedule_after(Duration::from_nanos(1), move || drop(guard))
        .unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::DelayUnsupported);
    assert_eq!(probe.dropped(), 1);

    let guard = probe.guard();
    let rejected = worker
        .schedule_periodically(Duration::ZERO, Duration::from_secs(1), move || {
            let _keep = &guard;
        })
        .unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::DelayUnsupported);
    assert_eq!(probe.dropped(), 2);
    assert!(
        rejected.to_string().contains("never after a delay"),
        "{rejected}"
    );

    // The worker is still usable for tasks due now.
    assert!(!worker.is_disposed());
    let log = Log::default();
    let inner = log.clone();
    worker
        .schedule_after(Duration::ZERO, move || inner.push(1))
        .unwrap();
    assert_eq!(log.get(), [1]);
}

#[test]
fn each_immediate_scheduler_is_disposed_alone() {
    let a = scheduler::immediate();
    let b = scheduler::immediate();
    a.dispose();
    assert!(a.worker().schedule(|| {}).is_err());
    assert!(b.worker().schedule(|| {}).is_ok());
}
