//! Loom models of `with_latest_from`: a main item racing the other's first
//! item (combined, or dropped and replaced by a request), the other's error
//! racing a main item, and cancel racing a main item. The recording
//! subscriber flags overlapping signals (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_with_latest_from`

use loom::thread;

use crate::error::Error;
use crate::ops::PublisherExt;
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber};

#[test]
fn a_main_item_races_the_others_first_and_is_combined_or_replaced() {
    loom::model(|| {
        let main = Manual::<u64>::new();
        let other = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        main.clone()
            .with_latest_from(other.clone(), |x, latest| x + latest)
            .subscribe(recorder);
        assert_eq!(main.requested(), 1);
        let (mut m, mut o) = (main.subscriber(), other.subscriber());
        let to = thread::spawn(move || o.on_next(10));
        let tm = thread::spawn(move || m.on_next(1));
        to.join().unwrap();
        tm.join().unwrap();
        match log.items()[..] {
            [11] => assert_eq!(main.requested(), 1),
            // Dropped: `on_next` asked for a replacement.
            [] => assert_eq!(main.requested(), 2),
            ref other => panic!("unexpected items {other:?}"),
        }
    });
}

#[test]
fn the_others_error_races_a_main_item_and_ends_the_stream_once() {
    loom::model(|| {
        let main = Manual::<u64>::new();
        let other = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        main.clone()
            .with_latest_from(other.clone(), |x, latest| x + latest)
            .subscribe(recorder);
        let (mut m, mut o) = (main.subscriber(), other.subscriber());
        o.on_next(10);
        let to = thread::spawn(move || o.on_error(Error::new("other failed")));
        let tm = thread::spawn(move || m.on_next(1));
        to.join().unwrap();
        tm.join().unwrap();
        let error = Signal::Error("other failed".to_owned());
        let signals = log.signals();
        assert!(
            signals == [Signal::Subscribe, Signal::Next(11), error.clone()]
                || signals == [Signal::Subscribe, error],
            "{signals:?}"
        );
        assert!(main.is_cancelled());
    });
}

#[test]
fn cancel_races_a_main_item_and_cancels_both() {
    loom::model(|| {
        let main = Manual::<u64>::new();
        let other = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        main.clone()
            .with_latest_from(other.clone(), |x, latest| x + latest)
            .subscribe(recorder);
        let (mut m, mut o) = (main.subscriber(), other.subscriber());
        o.on_next(10);
        let tm = thread::spawn(move || m.on_next(1));
        log.subscription().cancel();
        tm.join().unwrap();
        assert!(main.is_cancelled() && other.is_cancelled());
        let signals = log.signals();
        assert!(
            signals == [Signal::Subscribe] || signals == [Signal::Subscribe, Signal::Next(11)],
            "{signals:?}"
        );
        drop(o);
    });
}
