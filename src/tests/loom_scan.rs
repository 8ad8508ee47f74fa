//! Loom models of `scan`: the seed is delivered once, by whichever thread
//! drains the seed phase, and demand that races the seed and the upstream's
//! arrival is neither lost nor doubled; a cancel that races the first request
//! leaves nothing behind (§3.13).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_scan`

use crate::ops::PublisherExt;
use crate::source;
use crate::sync::Arc;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn requests_race_the_seed_and_the_upstream_subscription() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(1..4u64)
            .scan(0u64, |acc, x| acc + x)
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        // The seed and one sum, or one sum and the seed: whoever comes first
        // delivers the seed and subscribes upstream; the other's demand goes
        // upstream either before or after upstream's on_subscribe.
        let t = loom::thread::spawn(move || s.request(2));
        subscription.request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [0, 1, 3]);
        subscription.cancel();
    });
}

#[test]
fn cancel_races_the_first_request() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(1..10u64)
            .scan(0u64, |acc, x| acc + x)
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.cancel());
        subscription.request(2);
        t.join().unwrap();
        // After cancel returned: nothing more comes, whatever is requested.
        let before = log.items();
        subscription.request(5);
        assert_eq!(log.items(), before);
        assert!(before.len() <= 2 && before[..] == [0, 1][..before.len()]);
        assert!(!log.signals().contains(&Signal::Complete));
        // §3.13: the subscriber is gone (only this test's handle is left).
        assert_eq!(Arc::strong_count(&log), 1);
    });
}

#[test]
fn request_zero_races_the_first_request_and_errors_once() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(1..10u64)
            .scan(0u64, |acc, x| acc + x)
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(0));
        subscription.request(1);
        t.join().unwrap();
        let signals = log.signals();
        let errors = signals
            .iter()
            .filter(|s| matches!(s, Signal::Error(_)))
            .count();
        assert_eq!(errors, 1);
        assert!(log.items().len() <= 1);
        assert!(matches!(signals.last(), Some(Signal::Error(_))));
    });
}
