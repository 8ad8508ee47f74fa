//! Loom models of `timeout` (`ops/time/timeout.rs`): an item racing the
//! timer armed for it, with and without a fallback. Timers run on a
//! [`ManualExecutor`], so the model fires them on a thread of its own.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_timeout`

use std::time::Duration;

use loom::thread;

use crate::author::UNBOUNDED;
use crate::ops::PublisherExt;
use crate::scheduler::ExecutorScheduler;
use crate::source;
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

const SECOND: Duration = Duration::from_secs(1);

/// Race 1: the item and its timeout compare-exchange the same index; one
/// wins. Either the item passes (and no error follows), or the stream times
/// out and the item is dropped.
#[test]
fn loom_timeout_an_item_races_its_timeout() {
    loom::model(|| {
        let executor = Arc::new(ManualExecutor::default());
        let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        upstream
            .clone()
            .timeout_on(SECOND, &scheduler)
            .subscribe(recorder);
        let timer = executor.take();
        let worker = thread::spawn(move || timer.run());
        upstream.next(1);
        worker.join().unwrap();
        let signals = log.signals();
        match signals.as_slice() {
            [Signal::Subscribe, Signal::Next(1)] => {
                assert!(!upstream.subscription(0).is_cancelled());
                assert_eq!(executor.live(), 1, "the next item's timer");
                log.subscription().cancel();
            }
            [Signal::Subscribe, Signal::Error(message)] => {
                assert!(message.contains("timed out"), "{message}");
                assert!(upstream.subscription(0).is_cancelled());
            }
            other => panic!("both the item and the timeout won: {other:?}"),
        }
        assert_eq!(executor.live(), 0);
    });
}

/// Race 2: the switch to the fallback races an item. The fallback is asked
/// for exactly the demand upstream did not serve, and no item of upstream
/// follows the switch.
#[test]
fn loom_timeout_the_switch_races_an_item() {
    loom::model(|| {
        let executor = Arc::new(ManualExecutor::default());
        let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(2, 0);
        upstream
            .clone()
            .timeout_on(SECOND, &scheduler)
            .fallback(source::range(100..110u64))
            .subscribe(recorder);
        let timer = executor.take();
        let worker = thread::spawn(move || timer.run());
        upstream.next(1);
        worker.join().unwrap();
        let items = log.items();
        assert!(items == [1] || items == [100, 101], "{items:?}");
        log.subscription().cancel();
        assert!(upstream.subscription(0).is_cancelled());
        assert_eq!(executor.live(), 0);
    });
}
