//! Loom models of `replay`: each subscriber at its own cursor while
//! requests, cancels, completion and new subscribers race the items. The
//! recording subscribers keep their logs in a shim `UnsafeCell`, so
//! overlapping signals (§1.3) fail the model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_replay`

use loom::thread;

use crate::ops::{ConnectablePublisher, PublisherExt, Replay};
use crate::sync::{Arc, Mutex};
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// An upstream that hands its subscriber to the model, which pushes items.
#[derive(Clone, Default)]
struct Stash(Arc<Mutex<Option<BoxSubscriber<u64>>>>);

impl Publisher for Stash {
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        let mut subscriber: BoxSubscriber<u64> = Box::new(subscriber);
        subscriber.on_subscribe(Arc::new(Manual));
        *self.0.lock() = Some(subscriber);
    }
}

struct Manual;

impl Subscription for Manual {
    fn request(&self, _: u64) {}

    fn cancel(&self) {}
}

/// `replay(history)` connected, and the upstream's subscriber.
fn connected(history: usize) -> (Replay<Stash>, BoxSubscriber<u64>) {
    let stash = Stash::default();
    let replayed = stash.clone().replay(history);
    replayed.connect();
    let upstream = stash.0.lock().take().expect("connect subscribed");
    (replayed, upstream)
}

#[test]
fn request_races_emission_and_each_gets_its_own_demand() {
    loom::model(|| {
        let (replayed, mut upstream) = connected(4);
        let (a, a_log) = Recorder::new(2, 0);
        let (b, b_log) = Recorder::new(0, 0);
        replayed.subscribe(a);
        replayed.subscribe(b);
        let b_subscription = b_log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
        });
        b_subscription.request(1);
        t.join().unwrap();
        assert_eq!(a_log.items(), [1, 2]); // not held back by b
        assert_eq!(b_log.items(), [1]);
    });
}

#[test]
fn a_subscriber_cancelling_during_the_drain_is_dropped() {
    loom::model(|| {
        let (replayed, mut upstream) = connected(4);
        let (stays, stays_log) = Recorder::new(2, 0);
        // Demand for 1 of the 2 items: it cannot reach the end by itself.
        let (leaves, leaves_log) = Recorder::new(1, 0);
        replayed.subscribe(stays);
        replayed.subscribe(leaves);
        let leaving = leaves_log.subscription();
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        leaving.cancel();
        t.join().unwrap();
        assert_eq!(stays_log.items(), [1, 2]);
        assert_eq!(stays_log.signals().last(), Some(&Signal::Complete));
        let left = leaves_log.items();
        assert!(left.is_empty() || left == [1], "{left:?}");
        assert!(!leaves_log.signals().contains(&Signal::Complete));
        drop(leaving);
        assert_eq!(Arc::strong_count(&leaves_log), 1, "§3.13");
    });
}

#[test]
fn completion_races_the_last_item_and_comes_after_it() {
    loom::model(|| {
        let (replayed, mut upstream) = connected(4);
        let (recorder, log) = Recorder::new(1, 0);
        replayed.subscribe(recorder);
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
fn a_subscriber_arriving_during_emission_starts_history_items_back() {
    loom::model(|| {
        let (replayed, mut upstream) = connected(1);
        let (late, late_log) = Recorder::new(2, 0);
        let t = thread::spawn(move || {
            upstream.on_next(1);
            upstream.on_next(2);
            upstream.on_complete();
        });
        replayed.subscribe(late);
        t.join().unwrap();
        // It starts one item back from the newest received when it joined
        // (so it has at least the last item, even if it joined after the
        // end), and follows the live stream from there to the end.
        let items = late_log.items();
        assert!(items == [1, 2] || items == [2], "{items:?}");
        assert_eq!(late_log.signals().last(), Some(&Signal::Complete));
    });
}
