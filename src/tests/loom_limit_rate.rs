//! Loom models of `limit_rate`: a `request` racing an item, a `cancel`
//! racing the drain, the completion racing the last queued item, and the
//! replenishing request made by whichever thread drains.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_limit_rate`

use loom::thread;

use crate::ops::PublisherExt;
use crate::sync::Arc;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::Publisher;

/// `limit_rate(2, 0)`: batches of two.
fn subscribe(initial: u64) -> (Manual, Arc<Log>) {
    let upstream = Manual::new();
    let (recorder, log) = Recorder::new(initial, 0);
    upstream.clone().limit_rate(2, 0).subscribe(recorder);
    assert_eq!(upstream.subscription(0).requested(), 2);
    (upstream, log)
}

#[test]
fn request_races_an_item() {
    loom::model(|| {
        let (upstream, log) = subscribe(0);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(1));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(log.items(), [1]);
    });
}

#[test]
fn the_replenishing_request_is_made_once_by_whoever_drains() {
    loom::model(|| {
        let (upstream, log) = subscribe(0);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || {
            producer.next(1);
            producer.next(2);
        });
        let b = thread::spawn(move || subscription.request(2));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(log.items(), [1, 2]);
        // The batch was delivered: exactly one more batch requested.
        assert_eq!(upstream.subscription(0).requested(), 4);
    });
}

#[test]
fn cancel_races_the_drain() {
    loom::model(|| {
        let (upstream, log) = subscribe(1);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || {
            producer.next(1);
            producer.next(2);
        });
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        assert!(upstream.subscription(0).is_cancelled());
        // §3.13: whoever drained after the cancel dropped the subscriber.
        assert_eq!(Arc::strong_count(&log), 1);
        let items = log.items();
        assert!(items.is_empty() || items == [1], "{items:?}");
        let before = log.signals();
        log.subscription().request(2);
        upstream.complete();
        assert_eq!(log.signals(), before, "nothing after the cancel");
    });
}

#[test]
fn completion_races_the_last_item() {
    loom::model(|| {
        let (upstream, log) = subscribe(0);
        upstream.next(1); // queued: no demand yet
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.complete());
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
    });
}

#[test]
fn an_item_and_the_completion_race_a_draining_request() {
    loom::model(|| {
        let (upstream, log) = subscribe(0);
        let subscription = log.subscription();
        let producer = upstream.clone();
        // The request's drain may look at the queue between the push and the
        // completion: `done` must be read before the queue (rule 3), or the
        // item is lost behind an early on_complete.
        let a = thread::spawn(move || {
            producer.next(1);
            producer.complete();
        });
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
    });
}
