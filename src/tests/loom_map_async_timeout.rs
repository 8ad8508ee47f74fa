//! Loom models of `map_async`'s per-item timeout (`interop/launch.rs`): the
//! timer's task (mark `FIRED`, then wake the slot) against the drain that
//! polls the slot, and against the future finishing on another thread.
//!
//! Seen failing against a broken `TimerTask::fire` that wakes the slot
//! before it marks `FIRED`: the drain polls, finds the timer pending, and
//! the later mark wakes nobody, so the timed-out item never comes.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_map_async_timeout`

use std::time::Duration;

use loom::thread;

use crate::ops::PublisherExt;
use crate::scheduler::VirtualTimeScheduler;
use crate::sync::{Arc, Mutex};
use crate::tests::manual_future::{Gate, Gated};
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;
use crate::UNBOUNDED;

/// What a timed-out item becomes after `pass_timeouts`.
const TIMED_OUT: u64 = 99;

/// One gated future for item 0.
fn gate() -> (Arc<Gate>, impl Fn(u64) -> Gated + Send + Sync + 'static) {
    let gate = Gate::new();
    let future = Mutex::new(Some(gate.gated()));
    let f = move |_: u64| future.lock().take().expect("one item");
    (gate, f)
}

/// Race 1: the timer fires on another thread while the downstream's request
/// drains: the timeout is seen, once, then completion.
#[test]
fn a_timeout_racing_the_drain_is_seen() {
    loom::model(|| {
        let vts = VirtualTimeScheduler::new();
        let upstream = Manual::new();
        let (_gate, f) = gate();
        let (recorder, log) = Recorder::new(0, 0);
        upstream
            .clone()
            .map_async(1, f)
            .timeout_on(Duration::from_secs(1), &vts)
            .pass_timeouts()
            .map(|item| item.unwrap_or(TIMED_OUT))
            .subscribe(recorder);
        upstream.next(0);
        upstream.complete();
        let clock = vts.clone();
        let timer = thread::spawn(move || clock.advance_by(Duration::from_secs(1)));
        log.subscription().request(1);
        timer.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(TIMED_OUT), Signal::Complete]
        );
    });
}

/// Race 2: the future finishes on one thread while its timer fires on
/// another: exactly one item (the output or the timeout), then completion.
#[test]
fn a_finishing_future_races_its_timer() {
    loom::model(|| {
        let vts = VirtualTimeScheduler::new();
        let upstream = Manual::new();
        let (gate, f) = gate();
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        upstream
            .clone()
            .map_async(1, f)
            .timeout_on(Duration::from_secs(1), &vts)
            .pass_timeouts()
            .map(|item| item.unwrap_or(TIMED_OUT))
            .subscribe(recorder);
        upstream.next(0);
        upstream.complete();
        let clock = vts.clone();
        let timer = thread::spawn(move || clock.advance_by(Duration::from_secs(1)));
        let finish = thread::spawn(move || gate.open(10));
        timer.join().unwrap();
        finish.join().unwrap();
        let items = log.items();
        assert!(items == [10] || items == [TIMED_OUT], "{items:?}");
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}
