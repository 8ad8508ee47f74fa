//! Loom models of the deferred scalar subscription (`scalar.rs`) under the
//! aggregates and `default_if_empty`: the result and the request (or a
//! cancel, or `request(0)`) come from two threads; the result goes out once,
//! only after a request, and never after a cancel won.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_scalar`

use loom::thread;

use crate::author::UNBOUNDED;
use crate::error::Rule;
use crate::ops::PublisherExt;
use crate::tests::manual::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn the_result_races_the_request() {
    loom::model(|| {
        let upstream = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().count().subscribe(recorder);
        assert_eq!(upstream.subscription().requested(), UNBOUNDED);
        let mut subscriber = upstream.subscriber();
        let subscription = log.subscription();
        let a = thread::spawn(move || {
            subscriber.on_next(5);
            subscriber.on_next(6);
            subscriber.on_complete();
        });
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(2), Signal::Complete]
        );
    });
}

#[test]
fn the_result_races_a_cancel() {
    loom::model(|| {
        let upstream = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().last().subscribe(recorder);
        let mut subscriber = upstream.subscriber();
        let subscription = log.subscription();
        let requester = log.subscription();
        let a = thread::spawn(move || {
            subscriber.on_next(7);
            subscriber.on_complete();
        });
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        // The cancel came before any request: the result never goes out,
        // not even after a request now (§3.6).
        requester.request(1);
        assert_eq!(log.signals(), [Signal::Subscribe]);
        // (Upstream is cancelled only if the cancel came before its
        // completion: after it, the subscription is not called, §2.3.)
    });
}

#[test]
fn the_result_races_request_zero() {
    loom::model(|| {
        let upstream = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().reduce(|a, b| a + b).subscribe(recorder);
        let mut subscriber = upstream.subscriber();
        let subscription = log.subscription();
        let a = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber.on_complete();
        });
        let b = thread::spawn(move || subscription.request(0));
        a.join().unwrap();
        b.join().unwrap();
        // Nothing was requested: the one signal after on_subscribe is the
        // §3.9 error, whichever came first.
        let signals = log.signals();
        assert_eq!(signals.len(), 2, "{signals:?}");
        match &signals[1] {
            Signal::Error(message) => {
                assert!(message.starts_with(&Rule::NON_POSITIVE_REQUEST.to_string()));
            }
            other => panic!("unexpected {other:?}"),
        }
    });
}

#[test]
fn an_empty_completion_races_the_request_for_the_default() {
    loom::model(|| {
        let upstream = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().default_if_empty(42).subscribe(recorder);
        let mut subscriber = upstream.subscriber();
        let subscription = log.subscription();
        let a = thread::spawn(move || subscriber.on_complete());
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(42), Signal::Complete]
        );
        // Passed upstream only if it came before the completion.
        assert!(upstream.subscription().requested() <= 1);
    });
}
