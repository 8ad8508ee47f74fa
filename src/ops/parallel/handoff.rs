//! Runs one of the crate's operators on each rail: the rail's upstream
//! delivers to whatever subscriber the operator subscribed to a stand-in
//! publisher. `flat_map` (as `concat_map`) and `reduce` are built this way,
//! so that the rails reuse those operators whole instead of a second copy.
//!
//! The operator's subscriber is boxed (its type is only known inside the
//! operator's `subscribe`), which costs one indirect call per item: small
//! beside an inner subscription per item, or a fold.

use crate::error::Error;
use crate::sync::{Arc, Mutex};
use crate::traits::{BoxSubscriber, Publisher, Subscriber, Subscription};

/// The stand-in upstream of an operator on one rail: keeps the subscriber
/// the operator gives it.
pub(crate) struct Handoff<T> {
    slot: Arc<Mutex<Option<BoxSubscriber<T>>>>,
}

impl<T: Send + 'static> Handoff<T> {
    pub(crate) fn new() -> Self {
        Handoff {
            slot: Arc::new(Mutex::new(None)),
        }
    }

    /// The subscriber the operator subscribed; a stand-in that cancels at
    /// once if it subscribed none (this crate's operators subscribe their
    /// upstream inside their own `subscribe`).
    pub(crate) fn take(&self) -> BoxSubscriber<T> {
        match self.slot.lock().take() {
            Some(subscriber) => subscriber,
            None => Box::new(Refuse),
        }
    }
}

impl<T: Send + 'static> Publisher for Handoff<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        *self.slot.lock() = Some(Box::new(subscriber));
    }
}

/// Subscribes `downstream` to the operator `build` makes over a stand-in,
/// and returns the subscriber the rail's upstream is to deliver to.
pub(crate) fn rail<T, U, Op, S>(
    downstream: S,
    build: impl FnOnce(Handoff<T>) -> Op,
) -> BoxSubscriber<T>
where
    T: Send + 'static,
    Op: Publisher<Item = U>,
    S: Subscriber<U> + 'static,
{
    let handoff = Handoff::new();
    let slot = Handoff {
        slot: Arc::clone(&handoff.slot),
    };
    build(handoff).subscribe(downstream);
    slot.take()
}

/// A rail subscriber that wants nothing: cancels what it is given.
struct Refuse;

impl<T> Subscriber<T> for Refuse {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.cancel();
    }

    fn on_next(&mut self, _: T) {}

    fn on_error(&mut self, _: Error) {}

    fn on_complete(&mut self) {}
}
