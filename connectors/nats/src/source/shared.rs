//! The state one subscription shares between the subscriber's side
//! (`request`, `cancel`, ack handles) and the engine task that emits.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use reactive_streams::Subscription;
use tokio::sync::Notify;

use crate::stats::Counters;

/// §3.17: demand at or past `2^63 - 1` in sum counts as unbounded.
const UNBOUNDED_FROM: u64 = i64::MAX as u64;

#[derive(Debug)]
pub(crate) struct Shared {
    /// Downstream demand received, saturating at `u64::MAX`.
    requested: AtomicU64,
    /// A `request(0)` was seen (§3.9); the engine signals the error.
    bad_request: AtomicBool,
    cancelled: AtomicBool,
    /// Emitted messages not yet settled by their ack handles.
    unacked: AtomicU64,
    /// Wakes the engine: demand, cancel, a settled message. A `Notify`
    /// keeps one permit, so a wake between the engine's check and its wait
    /// is not lost.
    pub(crate) wake: Notify,
    pub(crate) counters: Arc<Counters>,
}

impl Shared {
    pub(crate) fn new(counters: Arc<Counters>) -> Shared {
        Shared {
            requested: AtomicU64::new(0),
            bad_request: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
            unacked: AtomicU64::new(0),
            wake: Notify::new(),
            counters,
        }
    }

    /// Total demand so far; `None` once it is unbounded.
    pub(crate) fn requested(&self) -> Option<u64> {
        // Ordering: Acquire pairs with the AcqRel add in `request`; the value
        // is re-read after every wake.
        let n = self.requested.load(Ordering::Acquire);
        (n < UNBOUNDED_FROM).then_some(n)
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    pub(crate) fn take_bad_request(&self) -> bool {
        self.bad_request.swap(false, Ordering::AcqRel)
    }

    pub(crate) fn unacked(&self) -> u64 {
        self.unacked.load(Ordering::Acquire)
    }

    pub(crate) fn emitted_unsettled(&self) {
        self.unacked.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn settled_one(&self) {
        // Ordering: AcqRel, then the wake; the engine reads after waking.
        let _ = self
            .unacked
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        self.wake.notify_one();
    }
}

/// The `Subscription` a source hands its subscriber.
#[derive(Debug)]
pub(crate) struct SourceSubscription(pub(crate) Arc<Shared>);

impl Subscription for SourceSubscription {
    fn request(&self, n: u64) {
        let shared = &self.0;
        if n == 0 {
            // §3.9: the engine signals on_error naming the rule.
            shared.bad_request.store(true, Ordering::Release);
        } else {
            let _ = shared
                .requested
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |r| {
                    Some(r.saturating_add(n))
                });
        }
        // §3.3: request only records demand and wakes the engine.
        shared.wake.notify_one();
    }

    fn cancel(&self) {
        // §3.5, §3.7: idempotent; the engine drops the subscriber.
        self.0.cancelled.store(true, Ordering::Release);
        self.0.wake.notify_one();
    }
}
