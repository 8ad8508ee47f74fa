//! Loom models of `subscribe_on`'s request forwarding
//! (`ops/schedule/subscribe_on.rs`): requests from other threads race the
//! forwarding task on the worker, and upstream's arrival.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_subscribe_on`

use loom::thread;

use crate::ops::PublisherExt;
use crate::scheduler::ExecutorScheduler;
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::Recorder;
use crate::traits::Publisher;

fn manual_scheduler() -> (Arc<ManualExecutor>, ExecutorScheduler) {
    let executor = Arc::new(ManualExecutor::default());
    let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
    (executor, scheduler)
}

/// Race 1: two threads request while the forwarding task runs on a third.
/// Upstream gets exactly what was asked for, in total: nothing lost,
/// nothing passed on twice.
#[test]
fn loom_subscribe_on_requests_from_two_threads_race_the_forwarding() {
    loom::model(|| {
        let (executor, scheduler) = manual_scheduler();
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        upstream
            .clone()
            .subscribe_on(&scheduler)
            .subscribe(recorder);
        executor.run_all(); // upstream subscribed
        let requester = {
            let log = Arc::clone(&log);
            thread::spawn(move || log.subscription().request(1))
        };
        let worker = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        log.subscription().request(2);
        requester.join().unwrap();
        worker.join().unwrap();
        executor.run_all();
        assert_eq!(upstream.subscription(0).requested(), 3);
    });
}

/// Race 2: a request races upstream's arrival on the worker, after one
/// made inside `on_subscribe` (on the subscribing thread, so its forwarding
/// task runs before upstream is there). Each is passed on once: by the
/// arrival, or by the forwarding task after it.
#[test]
fn loom_subscribe_on_a_request_races_the_subscription() {
    loom::model(|| {
        let (executor, scheduler) = manual_scheduler();
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        upstream
            .clone()
            .subscribe_on(&scheduler)
            .subscribe(recorder);
        let worker = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        log.subscription().request(2);
        worker.join().unwrap();
        executor.run_all();
        assert_eq!(upstream.subscription(0).requested(), 1 + 2);
    });
}
