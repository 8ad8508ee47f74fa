//! Loom models of `on_error_return`'s state machine: the error racing the
//! request that makes room for the fallback item, a cancel racing the park,
//! and a `request(0)` racing the error.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_on_error_return`

use loom::thread;

use crate::error::Error;
use crate::ops::PublisherExt;
use crate::sync::Arc;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::Publisher;

const FALLBACK: u64 = 99;

/// Subscribed with a demand of 1, used by item 1.
fn subscribe() -> (Manual, Arc<Log>) {
    let upstream = Manual::new();
    let (recorder, log) = Recorder::new(1, 0);
    upstream
        .clone()
        .on_error_return(|_| FALLBACK)
        .subscribe(recorder);
    upstream.next(1);
    (upstream, log)
}

#[test]
fn request_races_the_error() {
    loom::model(|| {
        let (upstream, log) = subscribe();
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // Emitted by the error (the request came first) or by the request
        // (the fallback was parked): exactly once, within demand.
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(1),
                Signal::Next(FALLBACK),
                Signal::Complete
            ]
        );
    });
}

#[test]
fn cancel_races_the_park() {
    loom::model(|| {
        let (upstream, log) = subscribe();
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        log.subscription().request(1);
        // No demand for the fallback before the cancel; nothing after it.
        assert_eq!(log.signals(), [Signal::Subscribe, Signal::Next(1)]);
    });
}

#[test]
fn request_zero_races_the_error() {
    loom::model(|| {
        let (upstream, log) = subscribe();
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.error(Error::new("boom")));
        let b = thread::spawn(move || subscription.request(0));
        a.join().unwrap();
        b.join().unwrap();
        // The hand-driven upstream ignores request(0): the downstream gets
        // the upstream's error passed on (request(0) came first), or the §3.9
        // error (the fallback was parked); never the fallback item.
        let signals = log.signals();
        assert_eq!(signals.len(), 3, "{signals:?}");
        assert_eq!(signals[..2], [Signal::Subscribe, Signal::Next(1)]);
        assert!(
            matches!(&signals[2], Signal::Error(m) if m == "boom" || m.contains("§3.9")),
            "{signals:?}"
        );
    });
}
