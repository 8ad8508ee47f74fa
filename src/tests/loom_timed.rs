//! Loom models of the timed engine (`ops/support/timed.rs`): a timer firing
//! on one thread while a request, an item or a cancel comes on another.
//! Timers run on a [`ManualExecutor`], so the model decides which thread
//! fires them.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_timed`

use std::time::Duration;

use loom::thread;

use crate::author::UNBOUNDED;
use crate::ops::{NoDemand, PublisherExt};
use crate::scheduler::ExecutorScheduler;
use crate::source;
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

fn manual_scheduler() -> (Arc<ManualExecutor>, ExecutorScheduler) {
    let executor = Arc::new(ManualExecutor::default());
    let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
    (executor, scheduler)
}

const SECOND: Duration = Duration::from_secs(1);

/// Race 2: a tick falls due on the worker's thread while downstream
/// requests on another. Whoever drains last delivers it: once, and only
/// with demand.
#[test]
fn loom_timed_a_tick_races_a_request() {
    loom::model(|| {
        let (executor, scheduler) = manual_scheduler();
        let (recorder, log) = Recorder::new(0, 0);
        source::interval_on(SECOND, &scheduler)
            .on_no_demand(NoDemand::Latest)
            .subscribe(recorder);
        let tick = executor.take();
        let worker = thread::spawn(move || tick.run());
        log.subscription().request(1);
        worker.join().unwrap();
        assert_eq!(log.items(), [0], "the tick was lost or doubled");
        log.subscription().cancel();
        assert_eq!(executor.live(), 0, "a timer outlived the cancel");
    });
}

/// Race 1 (`support/latest.rs`, `Debounce`): the timer of the first item
/// fires, its window over, while a second item arrives. It may deliver the
/// first item, never the second one early (it re-arms for the rest of the
/// second one's window); the second goes out when that ends.
#[test]
fn loom_timed_a_stale_timer_races_a_new_item() {
    loom::model(|| {
        let (executor, scheduler) = manual_scheduler();
        let start = std::time::Instant::now();
        executor.set_now(start);
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        upstream
            .clone()
            .debounce_on(SECOND, &scheduler)
            .subscribe(recorder);
        upstream.next(1);
        executor.set_now(start + SECOND);
        let stale = executor.take();
        let worker = thread::spawn(move || stale.run());
        upstream.next(2);
        worker.join().unwrap();
        let items = log.items();
        assert!(
            items.is_empty() || items == [1],
            "{items:?}: 2 went out early"
        );
        executor.set_now(start + 2 * SECOND);
        executor.run_all(); // the rest of the second item's window
        assert_eq!(log.items().last(), Some(&2));
        upstream.complete();
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
        assert_eq!(executor.live(), 0);
    });
}

/// Race 3: a cancel races a tick. Nothing is delivered after the cancel
/// returned, the subscriber is dropped (§3.13) and no timer stays armed.
#[test]
fn loom_timed_cancel_races_a_tick() {
    loom::model(|| {
        let (executor, scheduler) = manual_scheduler();
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        source::interval_on(SECOND, &scheduler)
            .on_no_demand(NoDemand::Drop)
            .subscribe(recorder);
        let subscription = log.subscription();
        let tick = executor.take();
        let worker = thread::spawn(move || tick.run());
        subscription.cancel();
        worker.join().unwrap();
        let before = log.signals();
        executor.run_queued();
        assert_eq!(log.signals(), before, "a signal after the cancel");
        assert!(before.len() <= 2);
        assert_eq!(executor.live(), 0, "a timer outlived the cancel");
        drop(subscription);
        assert_eq!(
            Arc::strong_count(&log),
            1,
            "the subscriber was kept (§3.13)"
        );
    });
}
