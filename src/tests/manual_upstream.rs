//! A publisher driven by hand, for the loom models of operators: the model's
//! threads call [`Manual::next`], [`Manual::complete`] and [`Manual::error`]
//! as the upstream, and read back what the operator requested or cancelled.
//!
//! Signals go to the subscriber under a lock, which serializes them as a
//! real upstream would (§1.3) and adds no ordering between the upstream and
//! the downstream's threads: the operator's own atomics must provide that.
//! Requests and cancels only touch atomics, so an operator may call them from
//! inside a signal.

use crate::error::Error;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// A hand-driven publisher of `u64`; each `subscribe` replaces the current
/// subscriber, so a retrying operator can subscribe again.
#[derive(Clone)]
pub(crate) struct Manual {
    inner: Arc<Inner>,
}

struct Inner {
    subscriber: Mutex<Option<BoxSubscriber<u64>>>,
    subscriptions: Mutex<Vec<Arc<ManualSubscription>>>,
}

/// One subscription to a [`Manual`]: what was requested of it, and whether
/// it was cancelled.
#[derive(Debug, Default)]
pub(crate) struct ManualSubscription {
    requested: AtomicU64,
    cancelled: AtomicBool,
}

impl ManualSubscription {
    /// The sum of every `request(n)` (a `request(0)` adds nothing).
    pub(crate) fn requested(&self) -> u64 {
        self.requested.load(Ordering::Acquire)
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}

impl Subscription for ManualSubscription {
    fn request(&self, n: u64) {
        // Ordering: AcqRel, so the test thread that reads `requested` after a
        // join sees it; nothing else is published. Pairs with: `requested`.
        let _ = self
            .requested
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |r| {
                Some(r.saturating_add(n))
            });
    }

    fn cancel(&self) {
        // Ordering: Release; read by the test after a join. Pairs with:
        // `is_cancelled`.
        self.cancelled.store(true, Ordering::Release);
    }
}

impl Manual {
    pub(crate) fn new() -> Self {
        Manual {
            inner: Arc::new(Inner {
                subscriber: Mutex::new(None),
                subscriptions: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The subscription of the `index`th subscribe (from 0).
    pub(crate) fn subscription(&self, index: usize) -> Arc<ManualSubscription> {
        Arc::clone(&self.inner.subscriptions.lock()[index])
    }

    /// How many times this publisher was subscribed.
    pub(crate) fn subscribed(&self) -> usize {
        self.inner.subscriptions.lock().len()
    }

    /// Emits `item` to the current subscriber (whatever the demand: the
    /// operator under test requested without bound, or the model knows).
    pub(crate) fn next(&self, item: u64) {
        if let Some(subscriber) = self.inner.subscriber.lock().as_mut() {
            subscriber.on_next(item);
        }
    }

    pub(crate) fn complete(&self) {
        let subscriber = self.inner.subscriber.lock().take();
        if let Some(mut subscriber) = subscriber {
            subscriber.on_complete();
        }
    }

    /// Fails the current subscription. The subscriber is taken out first, so
    /// a retrying operator may subscribe again from inside `on_error`.
    pub(crate) fn error(&self, error: Error) {
        let subscriber = self.inner.subscriber.lock().take();
        if let Some(mut subscriber) = subscriber {
            subscriber.on_error(error);
        }
    }
}

impl Publisher for Manual {
    type Item = u64;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        let subscription = Arc::new(ManualSubscription::default());
        self.inner
            .subscriptions
            .lock()
            .push(Arc::clone(&subscription));
        subscriber.on_subscribe(subscription);
        *self.inner.subscriber.lock() = Some(Box::new(subscriber));
    }
}
