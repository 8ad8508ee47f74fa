//! Loom: a synchronous source (`range`) under concurrent `request` and
//! `cancel`. The recording subscriber keeps its log in a shim `UnsafeCell`, so
//! overlapping signals (a §1.3 violation) fail the model.

use crate::source;
use crate::sync::Arc;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn request_races_the_drain_and_emits_exactly_the_demand() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..5u64).subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(1));
        subscription.request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [0, 1]);
        subscription.cancel();
    });
}

#[test]
fn the_last_item_races_a_request_and_completes_once() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..2u64).subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(1));
        subscription.request(5);
        t.join().unwrap();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(0),
                Signal::Next(1),
                Signal::Complete
            ]
        );
    });
}

#[test]
fn cancel_races_emission_and_stops_it() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..10u64).subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.cancel());
        subscription.request(2);
        t.join().unwrap();
        // After cancel returned: nothing more comes, whatever is requested.
        let before = log.items();
        subscription.request(5);
        assert_eq!(log.items(), before);
        assert!(before.len() <= 2);
        assert!(!log.signals().contains(&Signal::Complete));
        // §3.13: the subscriber is gone (only this test's handle is left).
        assert_eq!(Arc::strong_count(&log), 1);
    });
}

#[test]
fn request_zero_races_a_request_and_errors_once() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..10u64).subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(0));
        subscription.request(1);
        t.join().unwrap();
        let errors = log
            .signals()
            .iter()
            .filter(|s| matches!(s, Signal::Error(_)))
            .count();
        assert_eq!(errors, 1);
        assert!(log.items().len() <= 1);
        assert!(matches!(log.signals().last(), Some(Signal::Error(_))));
    });
}
