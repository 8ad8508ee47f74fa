//! Loom models of `MulticastProcessor` (the engine of `publish` and `share`):
//! emission paced by the slowest subscriber while requests, cancels,
//! completion and new subscribers race it. The recording subscribers keep
//! their logs in a shim `UnsafeCell`, so overlapping signals (§1.3) fail the
//! model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_multicast`

use loom::thread;

use crate::processor::MulticastProcessor;
use crate::sync::Arc;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The upstream's subscription: the model pushes items by hand.
struct Manual;

impl Subscription for Manual {
    fn request(&self, _: u64) {}

    fn cancel(&self) {}
}

/// A processor of capacity 2 with its upstream handle subscribed.
fn processor() -> (MulticastProcessor<u64>, MulticastProcessor<u64>) {
    let processor = MulticastProcessor::with_capacity(2);
    let mut upstream = processor.clone();
    upstream.on_subscribe(Arc::new(Manual));
    (processor, upstream)
}

#[test]
fn request_races_emission_and_the_slowest_paces_both() {
    loom::model(|| {
        let (processor, mut upstream) = processor();
        let (fast, fast_log) = Recorder::new(2, 0);
        let (slow, slow_log) = Recorder::new(0, 0);
        processor.subscribe(fast);
        processor.subscribe(slow);
        let slow_subscription = slow_log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
        });
        slow_subscription.request(1);
        t.join().unwrap();
        // The slow one allowed exactly one item, to both.
        assert_eq!(fast_log.items(), [1]);
        assert_eq!(slow_log.items(), [1]);
        slow_subscription.request(1);
        assert_eq!(fast_log.items(), [1, 2]);
        assert_eq!(slow_log.items(), [1, 2]);
    });
}

#[test]
fn a_subscriber_cancelling_during_the_drain_is_dropped_and_releases_the_others() {
    loom::model(|| {
        let (processor, mut upstream) = processor();
        let (stays, stays_log) = Recorder::new(2, 0);
        let (leaves, leaves_log) = Recorder::new(1, 0);
        processor.subscribe(stays);
        processor.subscribe(leaves);
        let leaving = leaves_log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        leaving.cancel();
        t.join().unwrap();
        // Whether the cancel came before or after item 1, the one that stays
        // is no longer held back: it gets everything.
        assert_eq!(stays_log.items(), [1, 2]);
        assert_eq!(stays_log.signals().last(), Some(&Signal::Complete));
        let left = leaves_log.items();
        assert!(left.is_empty() || left == [1], "{left:?}");
        assert!(!leaves_log.signals().contains(&Signal::Complete));
        // §3.13: dropped (only the model's handles to the log are left).
        drop(leaving);
        assert_eq!(Arc::strong_count(&leaves_log), 1);
    });
}

#[test]
fn completion_races_the_last_item_and_comes_after_it() {
    loom::model(|| {
        let (processor, mut upstream) = processor();
        let (recorder, log) = Recorder::new(1, 0);
        processor.subscribe(recorder);
        let subscription = log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        subscription.request(1);
        t.join().unwrap();
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

#[test]
fn a_subscriber_arriving_during_emission_gets_what_follows_its_arrival() {
    loom::model(|| {
        let (processor, mut upstream) = processor();
        let (early, early_log) = Recorder::new(2, 0);
        processor.subscribe(early);
        let (late, late_log) = Recorder::new(2, 0);
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        processor.subscribe(late);
        t.join().unwrap();
        assert_eq!(early_log.items(), [1, 2]);
        assert_eq!(early_log.signals().last(), Some(&Signal::Complete));
        // A suffix of what was emitted, then the end.
        let items = late_log.items();
        assert!(
            items.is_empty() || items == [2] || items == [1, 2],
            "{items:?}"
        );
        assert_eq!(late_log.signals().last(), Some(&Signal::Complete));
    });
}
