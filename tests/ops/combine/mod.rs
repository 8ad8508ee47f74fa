//! Concat, concat_with, start_with, merge, merge_with, zip, zip_with, combine_latest, with_latest_from.

mod combine_latest;
mod concat;
mod merge;
mod with_latest_from;
mod zip;

use std::sync::{Arc, Mutex};
use std::thread;

use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription};

/// A source whose items come from a thread of its own, spawned for each
/// subscriber: `items`, then completion. The source buffers what arrives
/// before demand (`Overflow::Unbounded`), so the producer never waits.
pub(crate) fn threaded<T>(items: Vec<T>) -> BoxPublisher<T>
where
    T: Clone + Send + Sync + 'static,
{
    source::create(Overflow::Unbounded, move |emitter: Emitter<T>| {
        let items = items.clone();
        thread::spawn(move || {
            for item in items {
                if emitter.next(item).is_err() {
                    return; // cancelled
                }
            }
            // Dropping the last emitter completes the stream.
        });
    })
    .boxed()
}

/// Like [`threaded`], ending with `error` instead of completion.
pub(crate) fn threaded_then_error<T>(items: Vec<T>, error: Error) -> BoxPublisher<T>
where
    T: Clone + Send + Sync + 'static,
{
    source::create(Overflow::Unbounded, move |emitter: Emitter<T>| {
        let items = items.clone();
        let error = error.clone();
        thread::spawn(move || {
            for item in items {
                if emitter.next(item).is_err() {
                    return;
                }
            }
            emitter.error(error);
        });
    })
    .boxed()
}

/// A publisher wrapper that records the requests and the cancel its
/// subscribers make, for any item type.
pub(crate) struct RequestLog<P> {
    inner: Arc<P>,
    log: Arc<Mutex<Log>>,
}

#[derive(Default)]
struct Log {
    subscribed: usize,
    requests: Vec<u64>,
    cancelled: bool,
    items: usize,
}

impl<P> Clone for RequestLog<P> {
    fn clone(&self) -> Self {
        RequestLog {
            inner: Arc::clone(&self.inner),
            log: Arc::clone(&self.log),
        }
    }
}

impl<P: Publisher + 'static> RequestLog<P> {
    pub(crate) fn new(inner: P) -> Self {
        RequestLog {
            inner: Arc::new(inner),
            log: Arc::default(),
        }
    }

    pub(crate) fn publisher(&self) -> BoxPublisher<P::Item> {
        BoxPublisher::new(self.clone())
    }

    /// How many times it was subscribed.
    pub(crate) fn subscribed(&self) -> usize {
        self.log.lock().unwrap().subscribed
    }

    pub(crate) fn requests(&self) -> Vec<u64> {
        self.log.lock().unwrap().requests.clone()
    }

    pub(crate) fn was_cancelled(&self) -> bool {
        self.log.lock().unwrap().cancelled
    }

    /// Items that went through.
    pub(crate) fn items(&self) -> usize {
        self.log.lock().unwrap().items
    }
}

impl<P: Publisher + 'static> Publisher for RequestLog<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.log.lock().unwrap().subscribed += 1;
        self.inner.subscribe(LogSubscriber {
            downstream: subscriber,
            log: Arc::clone(&self.log),
        });
    }
}

struct LogSubscriber<S> {
    downstream: S,
    log: Arc<Mutex<Log>>,
}

struct LogSubscription {
    upstream: Arc<dyn Subscription>,
    log: Arc<Mutex<Log>>,
}

impl Subscription for LogSubscription {
    fn request(&self, n: u64) {
        self.log.lock().unwrap().requests.push(n);
        self.upstream.request(n);
    }

    fn cancel(&self) {
        self.log.lock().unwrap().cancelled = true;
        self.upstream.cancel();
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for LogSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(LogSubscription {
            upstream: subscription,
            log: Arc::clone(&self.log),
        }));
    }

    fn on_next(&mut self, item: T) {
        self.log.lock().unwrap().items += 1;
        self.downstream.on_next(item);
    }

    fn try_on_next(&mut self, item: T) -> bool {
        self.log.lock().unwrap().items += 1;
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.downstream.on_complete();
    }
}
