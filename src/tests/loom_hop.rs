//! Loom models of the queue-drain hop (`ops/schedule/hop.rs`): the drain
//! runs on a [`ManualExecutor`]'s task, on a model thread, while upstream
//! signals, downstream cancels, or the scheduler is disposed on another.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_hop`

use loom::thread;

use crate::author::UNBOUNDED;
use crate::ops::PublisherExt;
use crate::scheduler::{ExecutorScheduler, Scheduler};
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::Publisher;

/// A hop with prefetch 2 from a hand-driven upstream to a recorder that
/// asks for `initial`, on a manual executor; the first drain (after
/// `on_subscribe`) has run, so the hop is idle.
fn idle_hop(initial: u64) -> (Arc<ManualExecutor>, ExecutorScheduler, Manual, Arc<Log>) {
    let executor = Arc::new(ManualExecutor::default());
    let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
    let upstream = Manual::new();
    let (recorder, log) = Recorder::new(initial, 0);
    upstream
        .clone()
        .publish_on_with(&scheduler, 2)
        .subscribe(recorder);
    executor.run_all();
    (executor, scheduler, upstream, log)
}

/// Race 1: an item arrives while the drain, on another thread, is going
/// idle after the one before. Both are delivered, once, in order: the
/// wake-up is never lost.
#[test]
fn loom_hop_an_item_races_the_drain_going_idle() {
    loom::model(|| {
        let (executor, _scheduler, upstream, log) = idle_hop(UNBOUNDED);
        upstream.next(1);
        let drainer = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        upstream.next(2);
        drainer.join().unwrap();
        executor.run_all();
        assert_eq!(log.items(), [1, 2], "an item was lost or doubled");
        assert_eq!(
            upstream.subscription(0).requested(),
            2 + 2,
            "replenished once (the limit of 2 is 2)"
        );
    });
}

/// Race 3: completion arrives while the drain delivers the last item. The
/// completion never overtakes it.
#[test]
fn loom_hop_completion_races_the_last_item() {
    loom::model(|| {
        let (executor, _scheduler, upstream, log) = idle_hop(UNBOUNDED);
        upstream.next(1);
        let drainer = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        upstream.next(2);
        upstream.complete();
        drainer.join().unwrap();
        executor.run_all();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(1),
                Signal::Next(2),
                Signal::Complete
            ]
        );
    });
}

/// Race 4: downstream cancels while the drain delivers. Upstream is
/// cancelled, what arrives is a prefix within demand, no terminal signal
/// follows, and the subscriber is dropped.
#[test]
fn loom_hop_cancel_races_the_drain() {
    loom::model(|| {
        let (executor, _scheduler, upstream, log) = idle_hop(UNBOUNDED);
        upstream.next(1);
        upstream.next(2);
        let drainer = {
            let executor = Arc::clone(&executor);
            thread::spawn(move || executor.run_all())
        };
        log.subscription().cancel();
        drainer.join().unwrap();
        executor.run_all();
        let items = log.items();
        assert!(items == [] || items == [1] || items == [1, 2], "{items:?}");
        assert!(!log.signals().contains(&Signal::Complete));
        assert!(upstream.subscription(0).is_cancelled());
        // The recorder is gone: only our handle (and the recorder's
        // subscription slot in the log) remain.
        assert_eq!(Arc::strong_count(&log), 1, "the subscriber was kept");
    });
}

/// Race 5: the scheduler is disposed while an item wakes the drain. The
/// schedule is refused, or accepted and then dropped unrun: either way the
/// stream fails with the rejection and upstream is cancelled, never a hang.
#[test]
fn loom_hop_disposal_races_a_schedule() {
    loom::model(|| {
        let (executor, scheduler, upstream, log) = idle_hop(UNBOUNDED);
        let disposer = {
            let scheduler = scheduler.clone();
            thread::spawn(move || scheduler.dispose())
        };
        upstream.next(1);
        disposer.join().unwrap();
        executor.run_all();
        drop(executor.tasks.lock().drain(..).collect::<Vec<_>>());
        let signals = log.signals();
        assert_eq!(signals.len(), 2, "{signals:?}");
        assert!(
            matches!(&signals[1], Signal::Error(message) if message.contains("rejected")),
            "{signals:?}"
        );
        assert!(upstream.subscription(0).is_cancelled());
    });
}
