//! Loom models of the subscription arbiter behind `on_error_resume` and
//! `retry` (`ops/support/arbiter.rs`): a `request` racing the switch to the next
//! upstream (the demand carried over is exact), and a `cancel` racing it
//! (no upstream is left running).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_arbiter`

use loom::thread;

use crate::error::Error;
use crate::ops::PublisherExt;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn resume_request_races_the_switch() {
    loom::model(|| {
        let upstream = Manual::new();
        let fallback = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        let next = fallback.clone();
        upstream
            .clone()
            .on_error_resume(move |_| next.clone())
            .subscribe(recorder);
        upstream.next(1); // uses the first unit of demand
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // Exactly the unserved demand reached the fallback: not lost, not
        // asked twice.
        assert_eq!(fallback.subscription(0).requested(), 1);
        fallback.next(10);
        assert_eq!(log.items(), [1, 10]);
    });
}

#[test]
fn resume_cancel_races_the_switch() {
    loom::model(|| {
        let upstream = Manual::new();
        let fallback = Manual::new();
        let (recorder, log) = Recorder::new(2, 0);
        let next = fallback.clone();
        upstream
            .clone()
            .on_error_resume(move |_| next.clone())
            .subscribe(recorder);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        // Either the cancel reached the source first (no fallback), or the
        // fallback was subscribed and then cancelled, by the cancel or by
        // the arbiter when it arrived.
        if fallback.subscribed() == 1 {
            assert!(fallback.subscription(0).is_cancelled());
        }
        assert_eq!(log.signals(), [Signal::Subscribe]);
    });
}

#[test]
fn retry_request_races_the_resubscription() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        upstream.clone().retry(1).subscribe(recorder);
        upstream.next(1);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(upstream.subscribed(), 2);
        assert_eq!(upstream.subscription(1).requested(), 1);
        upstream.next(2);
        upstream.complete();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(1),
                Signal::Next(2),
                Signal::Complete
            ]
        );
    });
}
