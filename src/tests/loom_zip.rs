//! Loom models of `zip`: a request against items from both sources on two
//! threads, completion racing the last item, and cancel during the drain.
//! The recording subscriber flags overlapping signals (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_zip`

use loom::thread;

use crate::ops::PublisherExt;
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber};

#[test]
fn request_races_both_sources_and_the_pair_comes_once() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(0, 0);
        first
            .clone()
            .zip_with(second.clone(), |a, b| a * 10 + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || {
            a.on_next(1);
            a.on_complete();
        });
        let tb = thread::spawn(move || b.on_next(2));
        log.subscription().request(1);
        ta.join().unwrap();
        tb.join().unwrap();
        // The first source is done and drained once paired: complete.
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(12), Signal::Complete]
        );
        assert!(second.is_cancelled());
    });
}

#[test]
fn completion_races_the_last_item_and_waits_for_its_pair() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(5, 0);
        first
            .clone()
            .zip_with(second.clone(), |a, b| a * 10 + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || {
            a.on_next(1);
            a.on_complete();
        });
        let tb = thread::spawn(move || {
            b.on_next(2);
            b.on_next(3);
        });
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(12), Signal::Complete]
        );
    });
}

#[test]
fn cancel_during_the_drain_stops_it_and_cancels_both() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        first
            .clone()
            .zip_with(second.clone(), |a, b| a * 10 + b)
            .subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || a.on_next(1));
        let tb = thread::spawn(move || b.on_next(2));
        log.subscription().cancel();
        ta.join().unwrap();
        tb.join().unwrap();
        assert!(first.is_cancelled() && second.is_cancelled());
        let signals = log.signals();
        assert!(
            signals == [Signal::Subscribe] || signals == [Signal::Subscribe, Signal::Next(12)],
            "{signals:?}"
        );
    });
}
