//! Loom models of the subscription taps (`do_on_request`, `do_on_cancel`):
//! a hook that panics on the requesting thread fails the stream exactly once
//! while upstream emits on another; a cancel racing emission drops the
//! downstream (§3.13). The recording subscriber's log is a loom
//! `UnsafeCell`, so overlapping signals (a §1.3 violation) fail the model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_peek`

use crate::ops::PublisherExt;
use crate::source;
use crate::sync::Arc;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn a_request_hook_panic_races_emission_and_fails_once() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..5u64)
            .do_on_request(|n| {
                if n == 2 {
                    panic!("no twos");
                }
            })
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(2));
        subscription.request(1);
        t.join().unwrap();
        let signals = log.signals();
        let errors = signals
            .iter()
            .filter(|s| matches!(s, Signal::Error(_)))
            .count();
        assert_eq!(errors, 1);
        assert!(matches!(signals.last(), Some(Signal::Error(_))));
        assert!(log.items().len() <= 1);
        // The failed stream let go of its subscriber (§3.13).
        assert_eq!(Arc::strong_count(&log), 1);
    });
}

#[test]
fn cancel_races_emission_and_drops_the_downstream() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..10u64)
            .do_on_cancel(|| {})
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.cancel());
        subscription.request(2);
        t.join().unwrap();
        let before = log.items();
        subscription.request(5);
        assert_eq!(log.items(), before);
        assert!(before.len() <= 2);
        assert!(!log.signals().contains(&Signal::Complete));
        assert_eq!(Arc::strong_count(&log), 1);
    });
}
