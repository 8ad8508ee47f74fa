//! Loom models of `on_backpressure_drop` and `on_backpressure_error`: a
//! `request` racing an item (delivered within demand, or dropped / failed,
//! never beyond demand), and a `cancel` racing an item.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_on_backpressure_drop`

use loom::thread;

use crate::ops::PublisherExt;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::Arc;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn drop_request_races_an_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let dropped = Arc::new(AtomicU64::new(0));
        let count = Arc::clone(&dropped);
        let (recorder, log) = Recorder::new(0, 0);
        upstream
            .clone()
            .on_backpressure_drop()
            .on_dropped(move |_| {
                count.fetch_add(1, Ordering::Relaxed);
            })
            .subscribe(recorder);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(1));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        let delivered_first = log.items() == [1];
        assert_eq!(
            dropped.load(Ordering::Relaxed),
            u64::from(!delivered_first),
            "delivered or dropped, exactly once"
        );
        // The demand is used by 1 or still there for 2.
        upstream.next(2);
        let expected: &[u64] = if delivered_first { &[1] } else { &[2] };
        assert_eq!(log.items(), expected);
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
    });
}

#[test]
fn drop_cancel_races_an_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        upstream.clone().on_backpressure_drop().subscribe(recorder);
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
        let items = log.items();
        assert!(items.is_empty() || items == [1], "{items:?}");
        let before = log.signals();
        log.subscription().request(1);
        upstream.next(3);
        assert_eq!(log.signals(), before, "nothing after the cancel");
    });
}

#[test]
fn error_request_races_an_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().on_backpressure_error().subscribe(recorder);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(1));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        let signals = log.signals();
        match &signals[..] {
            [Signal::Subscribe, Signal::Next(1)] => {
                assert!(!upstream.subscription(0).is_cancelled())
            }
            [Signal::Subscribe, Signal::Error(message)] => {
                assert!(message.contains("no demand"));
                assert!(upstream.subscription(0).is_cancelled());
            }
            other => panic!("unexpected {other:?}"),
        }
    });
}
