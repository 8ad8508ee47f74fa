//! A subscriber that records every signal, for the in-crate tests and loom
//! models.
//!
//! Its log lives in a shim `UnsafeCell`, not a lock: under loom, two signals
//! that overlap (a §1.3 violation) are two unsynchronized accesses to the
//! cell, and loom fails the model. Outside loom the cell is read only after
//! the emitting threads were joined.

use crate::error::Error;
use crate::sync::cell::UnsafeCell;
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// One received signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signal {
    Subscribe,
    Next(u64),
    Error(String),
    Complete,
}

/// The shared log of a [`Recorder`].
#[derive(Debug)]
pub(crate) struct Log {
    signals: UnsafeCell<Vec<Signal>>,
    subscription: Mutex<Option<Arc<dyn Subscription>>>,
}

// SAFETY: `signals` is written only from the subscriber's signals, which the
// publisher under test must serialize (§1.3: that is what loom checks, and a
// violation is a loom failure, not UB in a passing model), and read only by
// `signals()` after the emitting threads were joined.
unsafe impl Sync for Log {}

impl Log {
    /// A copy of everything received so far. Call only when no signal can be
    /// in flight (after joining the threads that could emit).
    pub(crate) fn signals(&self) -> Vec<Signal> {
        // SAFETY: see the `Sync` impl: no signal is in flight.
        self.signals.with(|signals| unsafe { (*signals).clone() })
    }

    /// The items received so far, in order.
    pub(crate) fn items(&self) -> Vec<u64> {
        self.signals()
            .into_iter()
            .filter_map(|s| match s {
                Signal::Next(x) => Some(x),
                _ => None,
            })
            .collect()
    }

    /// The subscription, once `on_subscribe` has run.
    pub(crate) fn subscription(&self) -> Arc<dyn Subscription> {
        self.subscription
            .lock()
            .clone()
            .expect("on_subscribe has not run")
    }

    fn push(&self, signal: Signal) {
        // SAFETY: signals are serial (§1.3); see the `Sync` impl.
        self.signals
            .with_mut(|signals| unsafe { (*signals).push(signal) });
    }
}

/// Records signals into a shared [`Log`]; requests `initial` in
/// `on_subscribe` and `per_item` from inside each `on_next`.
#[derive(Debug)]
pub(crate) struct Recorder {
    log: Arc<Log>,
    initial: u64,
    per_item: u64,
    subscription: Option<Arc<dyn Subscription>>,
}

impl Recorder {
    pub(crate) fn new(initial: u64, per_item: u64) -> (Recorder, Arc<Log>) {
        let log = Arc::new(Log {
            signals: UnsafeCell::new(Vec::new()),
            subscription: Mutex::new(None),
        });
        let recorder = Recorder {
            log: Arc::clone(&log),
            initial,
            per_item,
            subscription: None,
        };
        (recorder, log)
    }
}

impl<T: Into<u64>> Subscriber<T> for Recorder {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.log.push(Signal::Subscribe);
        *self.log.subscription.lock() = Some(Arc::clone(&subscription));
        if self.initial > 0 {
            subscription.request(self.initial);
        }
        self.subscription = Some(subscription);
    }

    fn on_next(&mut self, item: T) {
        self.log.push(Signal::Next(item.into()));
        if self.per_item > 0 {
            if let Some(subscription) = &self.subscription {
                subscription.request(self.per_item);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.log.push(Signal::Error(error.to_string()));
    }

    fn on_complete(&mut self) {
        self.log.push(Signal::Complete);
    }
}
