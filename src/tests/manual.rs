//! A publisher driven by hand, for loom models: its subscriber is handed to
//! the test, whose threads signal it directly, so a model decides exactly
//! which signals race.

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// A publisher that keeps the subscriber it is given (see the module docs).
pub(crate) struct Manual<T> {
    slot: Arc<Mutex<Option<BoxSubscriber<T>>>>,
    subscription: Arc<ManualSubscription>,
    /// Whether `subscribe` calls `on_subscribe` itself, or leaves it to the
    /// test (to race it against other signals).
    eager: bool,
}

impl<T> Clone for Manual<T> {
    fn clone(&self) -> Self {
        Manual {
            slot: Arc::clone(&self.slot),
            subscription: Arc::clone(&self.subscription),
            eager: self.eager,
        }
    }
}

/// What the subscriber asked of a [`Manual`] publisher.
#[derive(Debug, Default)]
pub(crate) struct ManualSubscription {
    requested: AtomicU64,
    cancelled: AtomicBool,
}

impl ManualSubscription {
    /// The sum of the requests so far.
    pub(crate) fn requested(&self) -> u64 {
        self.requested.load(Ordering::SeqCst)
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

impl Subscription for ManualSubscription {
    fn request(&self, n: u64) {
        self.requested.fetch_add(n, Ordering::SeqCst);
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }
}

impl<T: Send + 'static> Manual<T> {
    /// `eager`: call `on_subscribe` inside `subscribe`.
    pub(crate) fn new(eager: bool) -> Self {
        Manual {
            slot: Arc::new(Mutex::new(None)),
            subscription: Arc::new(ManualSubscription::default()),
            eager,
        }
    }

    /// The subscriber, to signal by hand.
    pub(crate) fn subscriber(&self) -> BoxSubscriber<T> {
        self.slot.lock().take().expect("subscribed")
    }

    /// The subscription handed (or to hand) to the subscriber.
    pub(crate) fn subscription(&self) -> Arc<ManualSubscription> {
        Arc::clone(&self.subscription)
    }

    /// The subscription as the trait object `on_subscribe` takes.
    pub(crate) fn dyn_subscription(&self) -> Arc<dyn Subscription> {
        Arc::clone(&self.subscription) as Arc<dyn Subscription>
    }
}

impl<T: Send + 'static> Publisher for Manual<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let mut subscriber: BoxSubscriber<T> = Box::new(subscriber);
        if self.eager {
            subscriber.on_subscribe(self.dyn_subscription());
        }
        *self.slot.lock() = Some(subscriber);
    }
}
