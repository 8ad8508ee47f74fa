//! Loom models of `map_async`: the slots' wakers (set the slot's bit, then
//! enter the drain) against the drain that takes the bits and polls, with the
//! futures finished from other threads.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_map_async`

use loom::thread;

use crate::ops::PublisherExt;
use crate::sync::{Arc, Mutex};
use crate::tests::manual_future::{Gate, Gated};
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;
use crate::UNBOUNDED;

/// One gate per item; `f` hands out the gated future of item `x`.
fn gates(
    n: usize,
) -> (
    Vec<Arc<Gate>>,
    impl Fn(u64) -> Gated + Send + Sync + 'static,
) {
    let gates: Vec<Arc<Gate>> = (0..n).map(|_| Gate::new()).collect();
    let futures = Mutex::new(gates.iter().map(|g| Some(g.gated())).collect::<Vec<_>>());
    let f = move |x: u64| futures.lock()[x as usize].take().expect("each item once");
    (gates, f)
}

/// Race 1: two futures finish on two threads while both run; each waker
/// marks its slot and enters, or is seen by the drainer when it leaves. Both
/// results are delivered, in item order, then completion.
#[test]
fn a_wake_racing_the_drain_is_polled() {
    loom::model(|| {
        let upstream = Manual::new();
        let (gates, f) = gates(2);
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        upstream.clone().map_async(2, f).subscribe(recorder);
        upstream.next(0);
        upstream.next(1);
        upstream.complete();
        let (a, b) = (Arc::clone(&gates[0]), Arc::clone(&gates[1]));
        let ta = thread::spawn(move || a.open(10));
        let tb = thread::spawn(move || b.open(11));
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(10),
                Signal::Next(11),
                Signal::Complete
            ]
        );
    });
}

/// Race 2: the downstream's request against a future finishing on another
/// thread, in unordered mode: the result goes out exactly once.
#[test]
fn request_races_a_finishing_future() {
    loom::model(|| {
        let upstream = Manual::new();
        let (gates, f) = gates(1);
        let (recorder, log) = Recorder::new(0, 0);
        upstream
            .clone()
            .map_async_unordered(1, f)
            .subscribe(recorder);
        upstream.next(0);
        let gate = Arc::clone(&gates[0]);
        let t = thread::spawn(move || gate.open(10));
        log.subscription().request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [10]);
        upstream.complete();
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}

/// Race 4: a cancel against a wake: the running future is dropped and
/// upstream cancelled; once both are over, nothing more comes.
#[test]
fn cancel_races_a_wake_and_drops_the_future() {
    loom::model(|| {
        let upstream = Manual::new();
        let (gates, f) = gates(1);
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        upstream.clone().map_async(1, f).subscribe(recorder);
        upstream.next(0);
        let gate = Arc::clone(&gates[0]);
        let t = thread::spawn(move || gate.open(10));
        log.subscription().cancel();
        t.join().unwrap();
        assert!(gates[0].was_dropped(), "the future was not freed");
        assert!(upstream.subscription(0).is_cancelled());
        let before = log.signals();
        assert!(log.items().len() <= 1);
        assert!(!before.contains(&Signal::Complete));
        upstream.complete();
        assert_eq!(log.signals(), before);
    });
}
