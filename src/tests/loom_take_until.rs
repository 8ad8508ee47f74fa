//! Loom models of `take_until` (`until.rs`, `serializer.rs`, `deferred.rs`):
//! the end, from the other publisher or from downstream, races the main
//! upstream's items; downstream signals stay serial, exactly one end
//! arrives, and nothing follows it.
//!
//! The recording subscriber touches a loom `UnsafeCell` in every signal, so
//! loom itself reports two signals that are not ordered by happens-before
//! (§1.3), on top of the drain's own tracked cell.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_take_until`

use loom::thread;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::ops::PublisherExt;
use crate::tests::manual::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

/// `main.take_until(other)` subscribed by a recorder that requested
/// `initial`; returns both manual publishers and the log.
fn setup(
    initial: u64,
) -> (
    Manual<u64>,
    Manual<u64>,
    crate::sync::Arc<crate::tests::recording::Log>,
) {
    let main = Manual::<u64>::new(true);
    let other = Manual::<u64>::new(true);
    let (recorder, log) = Recorder::new(initial, 0);
    main.clone().take_until(other.clone()).subscribe(recorder);
    (main, other, log)
}

/// Subscribe first, items in order and a prefix of `items`, then `end`
/// once, nothing after it.
fn assert_prefix_then(signals: &[Signal], items: &[u64], end: &Signal) -> usize {
    assert_eq!(signals.first(), Some(&Signal::Subscribe));
    assert_eq!(signals.last(), Some(end), "{signals:?}");
    let got: Vec<u64> = signals[1..signals.len() - 1]
        .iter()
        .map(|s| match s {
            Signal::Next(x) => *x,
            other => panic!("a second terminal signal or a late subscribe: {other:?}"),
        })
        .collect();
    assert_eq!(got[..], items[..got.len()], "{signals:?}");
    got.len()
}

#[test]
fn the_others_item_races_main_items() {
    loom::model(|| {
        let (main, other, log) = setup(UNBOUNDED);
        let mut main_subscriber = main.subscriber();
        let mut other_subscriber = other.subscriber();
        let a = thread::spawn(move || {
            main_subscriber.on_next(1);
            main_subscriber.on_next(2);
            main_subscriber.on_complete();
        });
        let b = thread::spawn(move || other_subscriber.on_next(9));
        a.join().unwrap();
        b.join().unwrap();
        let passed = assert_prefix_then(&log.signals(), &[1, 2], &Signal::Complete);
        // Whoever ended it, the other upstream was cancelled unless it was
        // main's own completion that came first.
        if passed < 2 {
            assert!(main.subscription().is_cancelled());
        }
        assert!(other.subscription().is_cancelled() || passed == 2);
    });
}

#[test]
fn cancel_races_a_main_item() {
    loom::model(|| {
        let (main, other, log) = setup(UNBOUNDED);
        let subscription = log.subscription();
        let mut main_subscriber = main.subscriber();
        let a = thread::spawn(move || {
            main_subscriber.on_next(1);
            main_subscriber.on_next(2);
        });
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        let signals = log.signals();
        assert_eq!(signals.first(), Some(&Signal::Subscribe));
        assert!(
            !signals
                .iter()
                .any(|s| matches!(s, Signal::Complete | Signal::Error(_))),
            "a terminal signal after cancel: {signals:?}"
        );
        let items = log.items();
        assert_eq!(items[..], [1, 2][..items.len()]);
        assert!(main.subscription().is_cancelled() && other.subscription().is_cancelled());
        // §3.13: the recorder was dropped; the log's only owner is the test.
        assert_eq!(crate::sync::Arc::strong_count(&log), 1);
    });
}

#[test]
fn an_error_from_the_other_races_the_main_completion() {
    loom::model(|| {
        let (main, other, log) = setup(UNBOUNDED);
        let mut main_subscriber = main.subscriber();
        let mut other_subscriber = other.subscriber();
        let a = thread::spawn(move || {
            main_subscriber.on_next(1);
            main_subscriber.on_complete();
        });
        let b = thread::spawn(move || other_subscriber.on_error(Error::new("other failed")));
        a.join().unwrap();
        b.join().unwrap();
        let signals = log.signals();
        let end = signals.last().cloned().unwrap();
        assert!(matches!(end, Signal::Complete | Signal::Error(_)));
        let passed = assert_prefix_then(&signals, &[1], &end);
        if end == Signal::Complete {
            assert_eq!(passed, 1, "main completed: its item came first");
        }
    });
}

#[test]
fn a_request_races_the_arrival_of_the_main_subscription() {
    loom::model(|| {
        // Main's on_subscribe is called by the test, racing a request.
        let main = Manual::<u64>::new(false);
        let other = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(1, 0);
        main.clone().take_until(other.clone()).subscribe(recorder);
        let mut main_subscriber = main.subscriber();
        let subscription = log.subscription();
        let upstream = main.dyn_subscription();
        let a = thread::spawn(move || main_subscriber.on_subscribe(upstream));
        let b = thread::spawn(move || subscription.request(2));
        a.join().unwrap();
        b.join().unwrap();
        // Requested before or after the arrival: all of it reaches main.
        assert_eq!(main.subscription().requested(), 3);
    });
}
