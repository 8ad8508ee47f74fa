//! Loom models of `combine_latest`: items from both sources on two threads
//! (each arrival after both have one makes exactly one combination), a
//! request racing them, and cancel. The recording subscriber flags
//! overlapping signals (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_combine_latest`

use loom::thread;

use crate::ops::PublisherExt;
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber};

#[test]
fn items_and_completions_from_two_threads_combine_once_then_complete() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(2, 0);
        first
            .clone()
            .combine_latest(second.clone(), |a, b| a + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || {
            a.on_next(1);
            a.on_complete();
        });
        let tb = thread::spawn(move || {
            b.on_next(10);
            b.on_complete();
        });
        ta.join().unwrap();
        tb.join().unwrap();
        // The second arrival makes the one combination; both completed.
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(11), Signal::Complete]
        );
    });
}

#[test]
fn a_request_races_the_items_and_the_combination_is_delivered() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(0, 0);
        first
            .clone()
            .combine_latest(second.clone(), |a, b| a + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || a.on_next(1));
        let tb = thread::spawn(move || b.on_next(10));
        log.subscription().request(1);
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(log.signals(), [Signal::Subscribe, Signal::Next(11)]);
    });
}

#[test]
fn cancel_races_the_items_and_cancels_both() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        first
            .clone()
            .combine_latest(second.clone(), |a, b| a + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || a.on_next(1));
        let tb = thread::spawn(move || b.on_next(10));
        log.subscription().cancel();
        ta.join().unwrap();
        tb.join().unwrap();
        assert!(first.is_cancelled() && second.is_cancelled());
        let signals = log.signals();
        assert!(
            signals == [Signal::Subscribe] || signals == [Signal::Subscribe, Signal::Next(11)],
            "{signals:?}"
        );
    });
}
