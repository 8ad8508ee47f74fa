//! Publish, share, replay, the multicast and unicast processors.
//!
//! Besides the shared scenarios, these tests pin down what makes a multicast
//! stage: several subscribers with different demand (exact slowest pacing
//! for `publish`, `share` and the multicast processor; independent demand
//! for `replay`), late subscribers, the reference count, the replay buffer,
//! and the upstream demand (prefetch, 75% replenishment) seen through
//! [`Upstream`].

mod multicast_processor;
mod panicking_clone;
mod publish;
mod replay;
mod share;
mod unicast_processor;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::{Error, Publisher, Subscriber, Subscription, TestSubscriber};

/// What an upstream saw: subscriptions, requests, cancels, items.
#[derive(Default)]
pub(crate) struct Log {
    subscriptions: AtomicU64,
    requests: Mutex<Vec<u64>>,
    cancels: AtomicU64,
    emitted: AtomicU64,
}

/// A publisher wrapper that logs what its subscribers do to it.
pub(crate) struct Upstream<P> {
    inner: Arc<P>,
    log: Arc<Log>,
}

impl<P> Clone for Upstream<P> {
    fn clone(&self) -> Self {
        Upstream {
            inner: Arc::clone(&self.inner),
            log: Arc::clone(&self.log),
        }
    }
}

impl<P: Publisher<Item = u64> + 'static> Upstream<P> {
    pub(crate) fn new(inner: P) -> Self {
        Upstream {
            inner: Arc::new(inner),
            log: Arc::new(Log::default()),
        }
    }

    /// How many times it was subscribed.
    pub(crate) fn subscriptions(&self) -> u64 {
        self.log.subscriptions.load(Ordering::SeqCst)
    }

    /// Every `request(n)`, in order.
    pub(crate) fn requests(&self) -> Vec<u64> {
        self.log.requests.lock().unwrap().clone()
    }

    /// How many subscriptions were cancelled.
    pub(crate) fn cancels(&self) -> u64 {
        self.log.cancels.load(Ordering::SeqCst)
    }

    /// Items emitted over all subscriptions.
    pub(crate) fn emitted(&self) -> u64 {
        self.log.emitted.load(Ordering::SeqCst)
    }
}

impl<P: Publisher<Item = u64> + 'static> Publisher for Upstream<P> {
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        self.log.subscriptions.fetch_add(1, Ordering::SeqCst);
        self.inner.subscribe(Logged {
            downstream: subscriber,
            log: Arc::clone(&self.log),
        });
    }
}

struct Logged<S> {
    downstream: S,
    log: Arc<Log>,
}

struct LoggedSubscription {
    upstream: Arc<dyn Subscription>,
    log: Arc<Log>,
}

impl Subscription for LoggedSubscription {
    fn request(&self, n: u64) {
        self.log.requests.lock().unwrap().push(n);
        self.upstream.request(n);
    }

    fn cancel(&self) {
        self.log.cancels.fetch_add(1, Ordering::SeqCst);
        self.upstream.cancel();
    }
}

impl<S: Subscriber<u64>> Subscriber<u64> for Logged<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(LoggedSubscription {
            upstream: subscription,
            log: Arc::clone(&self.log),
        }));
    }

    fn on_next(&mut self, item: u64) {
        self.log.emitted.fetch_add(1, Ordering::SeqCst);
        self.downstream.on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.downstream.on_complete();
    }
}

/// A broken publisher that sends `n` items whatever was requested (§1.1),
/// then completes. Records whether it was cancelled.
#[derive(Clone)]
pub(crate) struct Flood {
    pub(crate) n: u64,
    pub(crate) cancelled: Arc<AtomicBool>,
}

impl Flood {
    pub(crate) fn new(n: u64) -> Flood {
        Flood {
            n,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }
}

struct FloodSubscription(Arc<AtomicBool>);

impl Subscription for FloodSubscription {
    fn request(&self, _: u64) {}

    fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Publisher for Flood {
    type Item = u64;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        subscriber.on_subscribe(Arc::new(FloodSubscription(Arc::clone(&self.cancelled))));
        for i in 0..self.n {
            subscriber.on_next(i);
        }
        subscriber.on_complete();
    }
}

/// A subscriber that panics on its first item (a §2.13 violation).
pub(crate) struct Panicky;

impl Subscriber<u64> for Panicky {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(reactive_streams::UNBOUNDED);
    }

    fn on_next(&mut self, _: u64) {
        panic!("a subscriber that breaks §2.13");
    }

    fn on_error(&mut self, _: Error) {}

    fn on_complete(&mut self) {}
}

/// `0..n` as a vector.
pub(crate) fn upto(n: u64) -> Vec<u64> {
    (0..n).collect()
}

/// Asserts that each subscriber received exactly `expected` so far.
#[track_caller]
pub(crate) fn assert_all(subscribers: &[&TestSubscriber<u64>], expected: &[u64]) {
    for (i, ts) in subscribers.iter().enumerate() {
        assert_eq!(ts.values(), expected, "subscriber {i}");
        ts.assert_no_violations();
    }
}
