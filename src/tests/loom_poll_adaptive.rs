//! Loom model of `poll_adaptive` (`source/poll_adaptive.rs`): a cancel on
//! one thread while a tick polls on another. Ticks run on a
//! [`ManualExecutor`].
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! cargo test --release --lib loom_poll_adaptive`

use std::time::Duration;

use loom::thread;

use crate::scheduler::ExecutorScheduler;
use crate::source::{poll_adaptive_on, PollConfig};
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

/// Race 1: a cancel races a tick. Whoever holds the subscriber when the
/// bit is seen ends the stream: no signal but items follows the cancel, the
/// subscriber is dropped (§3.13), and no tick stays armed.
#[test]
fn loom_poll_adaptive_cancel_races_a_tick() {
    loom::model(|| {
        let executor = Arc::new(ManualExecutor::default());
        let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
        let (recorder, log) = Recorder::new(1, 0);
        let config = PollConfig::new(Duration::from_millis(1), Duration::from_millis(4)).batch(1);
        poll_adaptive_on(config, &scheduler, || Ok(Some(7u8))).subscribe(recorder);
        let subscription = log.subscription();
        let tick = executor.take();
        let worker = thread::spawn(move || tick.run());
        subscription.cancel();
        worker.join().unwrap();
        executor.run_all();
        let signals = log.signals();
        assert!(
            signals[1..].iter().all(|s| matches!(s, Signal::Next(7))),
            "{signals:?}: a terminal signal after the cancel"
        );
        assert_eq!(executor.live(), 0, "a tick outlived the cancel");
        drop(subscription);
        assert_eq!(
            Arc::strong_count(&log),
            1,
            "the subscriber was kept (§3.13)"
        );
    });
}
