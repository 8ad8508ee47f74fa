//! A publisher the test drives by hand, for the loom models of operators
//! with several sources: `subscribe` parks the subscriber, and the test takes
//! it (to a thread of its choice) and calls its signals directly, while the
//! source's subscription records the requests and the cancel it receives.

use crate::sync::{Arc, Mutex};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// A publisher whose subscriber the test signals by hand. Clones share the
/// same subscriber slot and records.
pub(crate) struct Manual<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    subscriber: Mutex<Option<BoxSubscriber<T>>>,
    probe: Arc<Probe>,
}

/// What the subscriber did to its subscription (a lock, not atomics, so
/// that the records add no orderings of their own to think about).
struct Probe {
    state: Mutex<ProbeState>,
}

struct ProbeState {
    requested: u64,
    cancelled: bool,
    subscribed: usize,
}

impl Subscription for Probe {
    fn request(&self, n: u64) {
        let mut state = self.state.lock();
        // Saturating, so that an unbounded request is recorded as such.
        state.requested = state.requested.saturating_add(n);
    }

    fn cancel(&self) {
        self.state.lock().cancelled = true;
    }
}

impl<T> Clone for Manual<T> {
    fn clone(&self) -> Self {
        Manual {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T: Send + 'static> Manual<T> {
    pub(crate) fn new() -> Self {
        Manual {
            inner: Arc::new(Inner {
                subscriber: Mutex::new(None),
                probe: Arc::new(Probe {
                    state: Mutex::new(ProbeState {
                        requested: 0,
                        cancelled: false,
                        subscribed: 0,
                    }),
                }),
            }),
        }
    }

    /// The subscriber, taken out of the slot. Panics if nobody subscribed.
    pub(crate) fn subscriber(&self) -> BoxSubscriber<T> {
        self.inner
            .subscriber
            .lock()
            .take()
            .expect("the manual source was not subscribed")
    }

    /// The total requested so far (saturating).
    pub(crate) fn requested(&self) -> u64 {
        self.inner.probe.state.lock().requested
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.inner.probe.state.lock().cancelled
    }

    /// How many times it was subscribed.
    pub(crate) fn subscribed(&self) -> usize {
        self.inner.probe.state.lock().subscribed
    }
}

impl<T: Send + 'static> Publisher for Manual<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let mut subscriber: BoxSubscriber<T> = Box::new(subscriber);
        self.inner.probe.state.lock().subscribed += 1;
        subscriber.on_subscribe(Arc::clone(&self.inner.probe) as Arc<dyn Subscription>);
        *self.inner.subscriber.lock() = Some(subscriber);
    }
}
