//! Loom models of `flat_map`: a request against an inner's emission, a
//! cancel during the drain, and completion racing the last items of two
//! inners on two threads. Also the hand-driven [`Manual`] publisher, shared
//! with the `concat_map` and `switch_map` models.
//!
//! The recording subscriber keeps its log in a shim `UnsafeCell`, so loom
//! itself reports two signals that are not ordered by happens-before (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_flat_map`

use loom::thread;

use crate::ops::PublisherExt;
use crate::source;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// A publisher driven by the model: `subscribe` hands the subscriber its
/// subscription and parks it; the model takes it ([`Manual::take`]) and
/// signals from whichever thread it likes, serially (it owns it).
#[derive(Clone)]
pub(crate) struct Manual {
    shared: Arc<ManualShared>,
}

struct ManualShared {
    subscriber: Mutex<Option<BoxSubscriber<u64>>>,
    requested: AtomicU64,
    cancelled: AtomicBool,
}

impl Manual {
    pub(crate) fn new() -> Self {
        Manual {
            shared: Arc::new(ManualShared {
                subscriber: Mutex::new(None),
                requested: AtomicU64::new(0),
                cancelled: AtomicBool::new(false),
            }),
        }
    }

    /// The parked subscriber. Panics if nobody subscribed.
    pub(crate) fn take_subscriber(&self) -> BoxSubscriber<u64> {
        self.shared.subscriber.lock().take().expect("subscribed")
    }

    /// The total requested so far.
    pub(crate) fn requested(&self) -> u64 {
        // Ordering: Acquire pairs with the Release in `request`.
        self.shared.requested.load(Ordering::Acquire)
    }

    /// Whether the subscription was cancelled.
    pub(crate) fn is_cancelled(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `cancel`.
        self.shared.cancelled.load(Ordering::Acquire)
    }
}

impl Publisher for Manual {
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        let mut subscriber: BoxSubscriber<u64> = Box::new(subscriber);
        subscriber.on_subscribe(Arc::new(ManualSubscription {
            shared: Arc::clone(&self.shared),
        }));
        *self.shared.subscriber.lock() = Some(subscriber);
    }
}

struct ManualSubscription {
    shared: Arc<ManualShared>,
}

impl Subscription for ManualSubscription {
    fn request(&self, n: u64) {
        // Ordering: Release, for the model's reads. Pairs with: `requested`.
        self.shared.requested.fetch_add(n, Ordering::Release);
    }

    fn cancel(&self) {
        // Ordering: Release, for the model's reads. Pairs with: `is_cancelled`.
        self.shared.cancelled.store(true, Ordering::Release);
    }
}

#[test]
fn request_races_inner_emission() {
    loom::model(|| {
        let inner = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        let make = inner.clone();
        source::just(0u64)
            .flat_map_with(move |_| make.clone(), 1, 2)
            .subscribe(recorder);
        assert_eq!(inner.requested(), 2, "the inner is asked for `prefetch`");
        let mut subscriber = inner.take_subscriber();
        // No completion after the items: nothing else would signal the drain,
        // so an item that is queued while the request drains must still be
        // delivered (no lost wake-up).
        let t = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber.on_next(2);
            subscriber
        });
        let subscription = log.subscription();
        subscription.request(1);
        subscription.request(1);
        let mut subscriber = t.join().unwrap();
        assert_eq!(log.items(), [1, 2]);
        subscriber.on_complete();
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}

#[test]
fn cancel_during_drain_cancels_the_inner_and_drops_everything() {
    loom::model(|| {
        let inner = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        let make = inner.clone();
        source::just(0u64)
            .flat_map_with(move |_| make.clone(), 1, 2)
            .subscribe(recorder);
        let mut subscriber = inner.take_subscriber();
        let t = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber.on_next(2);
        });
        log.subscription().cancel();
        t.join().unwrap();
        // Cancelled before anything completed: nothing terminal, at most
        // the one item requested, the inner cancelled, and the recorder
        // dropped (§3.13): only this model's handle of the log is left.
        let signals = log.signals();
        assert!(!signals.contains(&Signal::Complete));
        assert!(log.items().len() <= 1);
        assert!(inner.is_cancelled());
        assert_eq!(Arc::strong_count(&log), 1);
    });
}

#[test]
fn completion_races_the_last_items_of_two_inners() {
    loom::model(|| {
        let inners = [Manual::new(), Manual::new()];
        let (recorder, log) = Recorder::new(2, 0);
        let make = inners.clone();
        source::range(0..2u64)
            .flat_map_with(move |x| make[x as usize].clone(), 2, 1)
            .subscribe(recorder);
        let mut a = inners[0].take_subscriber();
        let mut b = inners[1].take_subscriber();
        let ta = thread::spawn(move || {
            a.on_next(10);
            a.on_complete();
        });
        let tb = thread::spawn(move || {
            b.on_next(20);
            b.on_complete();
        });
        ta.join().unwrap();
        tb.join().unwrap();
        let signals = log.signals();
        assert_eq!(signals.len(), 4, "{signals:?}");
        assert_eq!(signals[0], Signal::Subscribe);
        assert_eq!(signals[3], Signal::Complete, "completion comes last");
        let mut items = log.items();
        items.sort_unstable();
        assert_eq!(items, [10, 20]);
    });
}

#[test]
fn registration_races_inner_emission() {
    loom::model(|| {
        let upstream = Manual::new();
        let inners = [Manual::new(), Manual::new()];
        let (recorder, log) = Recorder::new(2, 0);
        let make = inners.clone();
        upstream
            .clone()
            .flat_map_with(move |x| make[x as usize].clone(), 2, 1)
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        outer.on_next(0);
        let mut a = inners[0].take_subscriber();
        let t = thread::spawn(move || {
            a.on_next(10);
            a.on_complete();
        });
        // Registers the second inner, maybe while the first one's thread
        // holds the drain (then through `incoming`).
        outer.on_next(1);
        let mut b = inners[1].take_subscriber();
        b.on_next(20);
        b.on_complete();
        outer.on_complete();
        t.join().unwrap();
        let mut items = log.items();
        items.sort_unstable();
        assert_eq!(items, [10, 20]);
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}

/// Fused inners (`range`s, run inside the drain with no subscription of
/// their own) registered by the upstream's thread while the model's thread
/// requests: a registration that finds the drain busy goes through
/// `incoming`, and the holder must adopt and drain it (no lost wake-up).
/// Every item arrives once, within demand, each inner in order, and the
/// completion comes last.
#[test]
fn fused_inner_registration_races_a_request() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        upstream
            .clone()
            .flat_map_with(|x| source::range(x * 10..x * 10 + 2), 2, 1)
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        let subscription = log.subscription();
        let t = thread::spawn(move || {
            outer.on_next(0);
            outer.on_next(1);
            outer
        });
        subscription.request(3);
        let mut outer = t.join().unwrap();
        // Before the completion, which would signal the drain anyway: the
        // registrations alone must have got every item delivered.
        let items = log.items();
        let mut sorted = items.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 10, 11], "{items:?}");
        for pair in [[0, 1], [10, 11]] {
            let first = items.iter().position(|&x| x == pair[0]);
            let second = items.iter().position(|&x| x == pair[1]);
            assert!(first < second, "an inner out of order: {items:?}");
        }
        outer.on_complete();
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}
