//! Loom models of `UnicastProcessor`: its one subscriber's requests, cancel
//! and arrival race upstream's items and completion. The recording subscriber
//! keeps its log in a shim `UnsafeCell`, so overlapping signals (§1.3) fail
//! the model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_unicast`

use loom::thread;

use crate::processor::UnicastProcessor;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The upstream's subscription: records a cancel; items are pushed by hand.
#[derive(Default)]
struct Manual {
    cancelled: AtomicBool,
}

impl Subscription for Manual {
    fn request(&self, _: u64) {}

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }
}

/// A processor of capacity 2 with its upstream handle subscribed.
fn processor() -> (UnicastProcessor<u64>, UnicastProcessor<u64>, Arc<Manual>) {
    let processor = UnicastProcessor::with_capacity(2);
    let mut upstream = processor.clone();
    let manual = Arc::new(Manual::default());
    upstream.on_subscribe(Arc::clone(&manual) as Arc<dyn Subscription>);
    (processor, upstream, manual)
}

#[test]
fn request_races_emission_and_delivers_exactly_the_demand() {
    loom::model(|| {
        let (processor, mut upstream, _) = processor();
        let (recorder, log) = Recorder::new(0, 0);
        processor.subscribe(recorder);
        let subscription = log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
        });
        subscription.request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [1]);
        subscription.request(1);
        assert_eq!(log.items(), [1, 2]);
    });
}

#[test]
fn cancel_during_the_drain_cancels_upstream_and_drops_the_subscriber() {
    loom::model(|| {
        let (processor, mut upstream, manual) = processor();
        let (recorder, log) = Recorder::new(2, 0);
        processor.subscribe(recorder);
        let subscription = log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
        });
        subscription.cancel();
        t.join().unwrap();
        assert!(manual.cancelled.load(Ordering::SeqCst));
        let items = log.items();
        assert!(items.len() <= 2 && items.iter().copied().eq(1..=items.len() as u64));
        assert!(!log.signals().contains(&Signal::Complete));
        drop(subscription);
        assert_eq!(
            Arc::strong_count(&log),
            1,
            "§3.13: the subscriber is dropped"
        );
    });
}

#[test]
fn completion_races_the_last_item_and_comes_after_it() {
    loom::model(|| {
        let (processor, mut upstream, _) = processor();
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
fn the_subscriber_arriving_during_emission_gets_every_item() {
    loom::model(|| {
        let (processor, mut upstream, _) = processor();
        let (recorder, log) = Recorder::new(2, 0);
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        processor.subscribe(recorder);
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
