//! Loom models of `on_backpressure_latest` and `on_backpressure_reduce`: an
//! item racing the request that would deliver the waiting one, a cancel
//! racing an item, the completion racing the waiting item.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_on_backpressure_latest`

use loom::thread;

use crate::ops::PublisherExt;
use crate::sync::Arc;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{BoxPublisher, Publisher};

fn latest(upstream: &Manual) -> BoxPublisher<u64> {
    upstream.clone().on_backpressure_latest().boxed()
}

fn reduce(upstream: &Manual) -> BoxPublisher<u64> {
    upstream
        .clone()
        .on_backpressure_reduce(|a, b| a + b)
        .boxed()
}

#[test]
fn latest_an_item_races_the_request() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        latest(&upstream).subscribe(recorder);
        upstream.next(1); // waits
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(2));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // Either 1 went out and 2 waits, or 2 replaced 1 and went out.
        let items = log.items();
        assert!(items == [1] || items == [2], "{items:?}");
        upstream.complete();
        log.subscription().request(1);
        let items = log.items();
        assert!(items == [1, 2] || items == [2], "{items:?}");
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}

#[test]
fn latest_cancel_races_an_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        latest(&upstream).subscribe(recorder);
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
        let before = log.signals();
        assert!(before == [Signal::Subscribe] || before == [Signal::Subscribe, Signal::Next(1)]);
        log.subscription().request(3);
        upstream.complete();
        assert_eq!(log.signals(), before, "nothing after the cancel");
    });
}

#[test]
fn reduce_an_item_races_the_request() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        reduce(&upstream).subscribe(recorder);
        upstream.next(1); // pending
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(2));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // 1 went out and 2 is pending, or 1 + 2 went out together.
        let items = log.items();
        assert!(items == [1] || items == [3], "{items:?}");
        upstream.complete();
        log.subscription().request(1);
        assert_eq!(
            log.items().iter().sum::<u64>(),
            3,
            "nothing lost or doubled"
        );
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}

#[test]
fn reduce_completion_races_the_pending_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        reduce(&upstream).subscribe(recorder);
        upstream.next(1);
        upstream.next(2); // pending: 3
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.complete());
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(3), Signal::Complete]
        );
    });
}
