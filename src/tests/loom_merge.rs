//! Loom models of `merge`: a request against items from two sources on two
//! threads, cancel during the drain, and completion racing the last item.
//! The recording subscriber flags overlapping signals (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_merge`

use loom::thread;

use crate::ops::merge;
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber};

#[test]
fn request_races_a_second_item_and_the_source_keeps_its_order() {
    // The second item may find demand (and a free drain) while the first
    // still waits in the queue: it must not overtake it.
    loom::model(|| {
        let first = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(0, 0);
        merge([first.clone()]).subscribe(recorder);
        let mut a = first.subscriber();
        let ta = thread::spawn(move || {
            a.on_next(1);
            a.on_next(2);
        });
        log.subscription().request(2);
        ta.join().unwrap();
        assert_eq!(log.items(), [1, 2]);
    });
}

#[test]
fn request_races_items_from_two_threads_and_none_is_stranded() {
    // No completion follows the items: nothing but each push's own signal
    // can bring them out, whichever thread holds the drain meanwhile.
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(0, 0);
        merge([first.clone(), second.clone()]).subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || a.on_next(1));
        let tb = thread::spawn(move || b.on_next(2));
        log.subscription().request(2);
        ta.join().unwrap();
        tb.join().unwrap();
        let mut items = log.items();
        items.sort_unstable();
        assert_eq!(items, [1, 2]);
    });
}

#[test]
fn cancel_during_the_drain_stops_it_and_cancels_every_source() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(2, 0);
        merge([first.clone(), second.clone()]).subscribe(recorder);
        let mut a = first.subscriber();
        let ta = thread::spawn(move || {
            a.on_next(1);
            a.on_next(2);
        });
        let subscription = log.subscription();
        let tb = thread::spawn(move || subscription.cancel());
        ta.join().unwrap();
        tb.join().unwrap();
        assert!(first.is_cancelled() && second.is_cancelled());
        let before = log.signals();
        assert!(!before.contains(&Signal::Complete));
        // Nothing more after cancel returned, whatever is requested.
        log.subscription().request(5);
        assert_eq!(log.signals(), before);
        let items = log.items();
        assert!(
            items.is_empty() || items == [1] || items == [1, 2],
            "{items:?}"
        );
    });
}

#[test]
fn completion_races_the_last_item_and_comes_after_it() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(0, 0);
        merge([first.clone(), second.clone()]).subscribe(recorder);
        let (mut a, mut b) = (first.subscriber(), second.subscriber());
        let ta = thread::spawn(move || {
            a.on_next(7);
            a.on_complete();
        });
        let tb = thread::spawn(move || b.on_complete());
        log.subscription().request(1);
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(7), Signal::Complete]
        );
    });
}
