//! Loom models of `skip_until` (`until.rs`): the gate opening, and an error
//! from the other publisher, race the main upstream's items; downstream
//! signals stay serial and exactly one end arrives.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_skip_until`

use loom::thread;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::ops::PublisherExt;
use crate::tests::manual::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn the_gate_opening_races_main_items() {
    loom::model(|| {
        let main = Manual::<u64>::new(true);
        let other = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        main.clone().skip_until(other.clone()).subscribe(recorder);
        let mut main_subscriber = main.subscriber();
        let mut other_subscriber = other.subscriber();
        let a = thread::spawn(move || {
            main_subscriber.on_next(1);
            main_subscriber.on_next(2);
            main_subscriber
        });
        let b = thread::spawn(move || other_subscriber.on_next(9));
        let mut main_subscriber = a.join().unwrap();
        b.join().unwrap();
        // The other has signalled: from here on, every item passes.
        main_subscriber.on_next(3);
        main_subscriber.on_complete();
        let signals = log.signals();
        assert_eq!(signals.first(), Some(&Signal::Subscribe));
        assert_eq!(signals.last(), Some(&Signal::Complete));
        // Once open, the gate stays open: what passed is a suffix.
        let items = log.items();
        assert!(
            items == [3] || items == [2, 3] || items == [1, 2, 3],
            "{items:?}"
        );
        assert_eq!(signals.len(), items.len() + 2);
        assert!(other.subscription().is_cancelled());
    });
}

#[test]
fn an_error_from_the_other_races_main_items() {
    loom::model(|| {
        let main = Manual::<u64>::new(true);
        let other = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        main.clone().skip_until(other.clone()).subscribe(recorder);
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
        // The gate never opened: no item; one end, whichever came first.
        assert_eq!(signals.len(), 2, "{signals:?}");
        assert_eq!(signals[0], Signal::Subscribe);
        match &signals[1] {
            Signal::Complete => {}
            Signal::Error(message) => {
                assert_eq!(message, "other failed");
                assert!(main.subscription().is_cancelled());
            }
            other => panic!("unexpected {other:?}"),
        }
    });
}

#[test]
fn request_zero_races_main_items_after_the_gate_opened() {
    loom::model(|| {
        let main = Manual::<u64>::new(true);
        let other = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(UNBOUNDED, 0);
        main.clone().skip_until(other.clone()).subscribe(recorder);
        other.subscriber().on_next(9);
        let mut main_subscriber = main.subscriber();
        let subscription = log.subscription();
        let a = thread::spawn(move || {
            main_subscriber.on_next(1);
            main_subscriber.on_next(2);
        });
        let b = thread::spawn(move || subscription.request(0));
        a.join().unwrap();
        b.join().unwrap();
        // A prefix of the items, then the §3.9 error, once, nothing after.
        let signals = log.signals();
        assert_eq!(signals.first(), Some(&Signal::Subscribe));
        match signals.last() {
            Some(Signal::Error(message)) => {
                assert!(message.starts_with(&crate::error::Rule::NON_POSITIVE_REQUEST.to_string()));
            }
            other => panic!("unexpected end {other:?}"),
        }
        let items = log.items();
        assert_eq!(items[..], [1, 2][..items.len()]);
        assert_eq!(signals.len(), items.len() + 2);
        assert!(main.subscription().is_cancelled());
    });
}
