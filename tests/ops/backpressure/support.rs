//! Helpers for the backpressure and errors operator tests: a source driven by
//! hand, a probe that records the requests a publisher receives, and a
//! producer thread that ignores demand.
#![allow(dead_code)] // not every module uses every helper

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;

use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription};

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A hot source driven by the test: each subscription's [`Emitter`] is
/// handed to the test, which emits on its own thread (so everything
/// downstream runs synchronously, deterministically, inside `next`).
#[derive(Clone)]
pub(crate) struct Manual<T> {
    emitters: Arc<Mutex<Vec<Emitter<T>>>>,
}

impl<T: Send + 'static> Manual<T> {
    pub(crate) fn new() -> Self {
        Manual {
            emitters: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The source: `create` with an unbounded buffer (the operators under
    /// test request without bound, so it never buffers).
    pub(crate) fn publisher(&self) -> BoxPublisher<T> {
        let emitters = Arc::clone(&self.emitters);
        source::create(Overflow::Unbounded, move |emitter| {
            lock(&emitters).push(emitter);
        })
        .boxed()
    }

    /// The emitter of the latest subscription.
    pub(crate) fn emitter(&self) -> Emitter<T> {
        lock(&self.emitters)
            .last()
            .cloned()
            .expect("the source was subscribed")
    }

    /// How many times the source was subscribed.
    pub(crate) fn subscriptions(&self) -> usize {
        lock(&self.emitters).len()
    }
}

/// Wraps a publisher and records every `request(n)` made to its
/// subscriptions, whether one was cancelled, and the items that went through.
pub(crate) struct RequestProbe<P> {
    inner: Arc<P>,
    log: Arc<ProbeLog>,
}

#[derive(Default)]
pub(crate) struct ProbeLog {
    requests: Mutex<Vec<u64>>,
    cancelled: AtomicBool,
    subscribed: AtomicU64,
    emitted: AtomicU64,
}

impl<P> Clone for RequestProbe<P> {
    fn clone(&self) -> Self {
        RequestProbe {
            inner: Arc::clone(&self.inner),
            log: Arc::clone(&self.log),
        }
    }
}

impl<P: Publisher + 'static> RequestProbe<P> {
    pub(crate) fn new(inner: P) -> Self {
        RequestProbe {
            inner: Arc::new(inner),
            log: Arc::new(ProbeLog::default()),
        }
    }

    pub(crate) fn publisher(&self) -> BoxPublisher<P::Item> {
        BoxPublisher::new(self.clone())
    }

    /// Every `request(n)`, in order.
    pub(crate) fn requests(&self) -> Vec<u64> {
        lock(&self.log.requests).clone()
    }

    pub(crate) fn was_cancelled(&self) -> bool {
        self.log.cancelled.load(Ordering::SeqCst)
    }

    /// How many times the publisher was subscribed.
    pub(crate) fn subscribed(&self) -> u64 {
        self.log.subscribed.load(Ordering::SeqCst)
    }

    /// Items that went through.
    pub(crate) fn emitted(&self) -> u64 {
        self.log.emitted.load(Ordering::SeqCst)
    }
}

impl<P: Publisher + 'static> Publisher for RequestProbe<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.log.subscribed.fetch_add(1, Ordering::SeqCst);
        self.inner.subscribe(ProbeSubscriber {
            downstream: subscriber,
            log: Arc::clone(&self.log),
        });
    }
}

struct ProbeSubscriber<S> {
    downstream: S,
    log: Arc<ProbeLog>,
}

struct ProbeSubscription {
    upstream: Arc<dyn Subscription>,
    log: Arc<ProbeLog>,
}

impl Subscription for ProbeSubscription {
    fn request(&self, n: u64) {
        lock(&self.log.requests).push(n);
        self.upstream.request(n);
    }

    fn cancel(&self) {
        self.log.cancelled.store(true, Ordering::SeqCst);
        self.upstream.cancel();
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for ProbeSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(ProbeSubscription {
            upstream: subscription,
            log: Arc::clone(&self.log),
        }));
    }

    fn on_next(&mut self, item: T) {
        self.log.emitted.fetch_add(1, Ordering::SeqCst);
        self.downstream.on_next(item);
    }

    fn try_on_next(&mut self, item: T) -> bool {
        self.log.emitted.fetch_add(1, Ordering::SeqCst);
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.downstream.on_complete();
    }
}

/// A source whose producer thread emits `0..n` as fast as it can, ignoring
/// demand (`create` with an unbounded buffer), then `end`. The receiver gets
/// a message when the producer thread has finished.
pub(crate) fn fast_producer(n: u64, end: Option<Error>) -> (BoxPublisher<u64>, mpsc::Receiver<()>) {
    let (done_tx, done_rx) = mpsc::channel();
    let done_tx = Mutex::new(done_tx);
    let publisher = source::create(Overflow::Unbounded, move |emitter: Emitter<u64>| {
        let done = lock(&done_tx).clone();
        let end = end.clone();
        thread::spawn(move || {
            for i in 0..n {
                if emitter.next(i).is_err() {
                    break;
                }
            }
            match end {
                Some(error) => emitter.error(error),
                None => emitter.complete(),
            }
            let _ = done.send(());
        });
    })
    .boxed();
    (publisher, done_rx)
}

/// True when `sub` is `all` with some items left out, order kept.
pub(crate) fn is_subsequence<T: PartialEq>(sub: &[T], all: &[T]) -> bool {
    let mut rest = all.iter();
    sub.iter().all(|x| rest.any(|y| y == x))
}
