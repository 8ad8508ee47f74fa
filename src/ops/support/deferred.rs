//! `DeferredSubscription`: a slot for an upstream subscription that may be
//! requested and cancelled before it has arrived (Reactor's
//! `Operators.DeferredSubscription`).
//!
//! Operators that hand downstream a subscription before subscribing upstream
//! (`take_until`, `skip_until`) keep their upstreams here: demand requested
//! early is added up and passed on when the subscription arrives, and a
//! cancel that comes first cancels it on arrival.
//!
//! # Implementation notes
//!
//! One `Mutex<Slot>`: `Waiting { requested }` → `Active(subscription)` or
//! `Cancelled`; `Active` → `Cancelled`. `Cancelled` is final. Taken once per
//! `request` or `cancel` call, never per item.
//!
//! ## Field access rules
//! * The slot is read and written only under the lock.
//! * The subscription is never called with the lock held: a synchronous
//!   publisher emits from inside `request`, and the items may lead back here
//!   (a downstream `request` from inside `on_next`).
//!
//! ## Races considered
//! 1. `request` vs `set`: if `request` locks first, it adds to `requested`,
//!    which `set` takes and passes on; if `set` locks first, `request` finds
//!    the subscription and calls it. Demand is never lost; the two calls may
//!    reach upstream in either order, which demand, being a sum, does not
//!    mind (§3.8).
//! 2. `cancel` vs `set`: if `cancel` locks first, `set` finds `Cancelled` and
//!    cancels the subscription itself; otherwise `cancel` finds it and
//!    cancels it. Exactly one of them cancels it.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::sync::{Arc, Mutex};
use crate::traits::Subscription;

/// A subscription slot that accepts `request` and `cancel` before the
/// subscription arrives; see the module docs.
pub(crate) struct DeferredSubscription {
    slot: Mutex<Slot>,
}

enum Slot {
    /// Not arrived yet; demand requested meanwhile.
    Waiting { requested: u64 },
    /// Arrived.
    Active(Arc<dyn Subscription>),
    /// Cancelled, or the stream is over: any subscription that arrives is
    /// cancelled.
    Cancelled,
}

impl DeferredSubscription {
    /// An empty slot.
    pub(crate) fn new() -> Self {
        DeferredSubscription {
            slot: Mutex::new(Slot::Waiting { requested: 0 }),
        }
    }

    /// Stores the subscription that just arrived and passes it the demand
    /// requested so far. Returns false, having cancelled `subscription`, when
    /// one arrived before (§2.5) or the slot was cancelled.
    pub(crate) fn set(&self, subscription: &Arc<dyn Subscription>) -> bool {
        let mut slot = self.slot.lock();
        match *slot {
            Slot::Waiting { requested } => {
                *slot = Slot::Active(Arc::clone(subscription));
                drop(slot);
                if requested > 0 {
                    subscription.request(requested);
                }
                true
            }
            Slot::Active(_) | Slot::Cancelled => {
                drop(slot);
                subscription.cancel(); // §2.5, or cancelled before it arrived
                false
            }
        }
    }

    /// Requests `n > 0` (callers answer `request(0)` themselves, §3.9): now,
    /// or when the subscription arrives.
    pub(crate) fn request(&self, n: u64) {
        debug_assert!(n > 0, "request(0) must be handled by the caller");
        let mut slot = self.slot.lock();
        match &mut *slot {
            Slot::Waiting { requested } => {
                *requested = requested.saturating_add(n).min(UNBOUNDED);
            }
            Slot::Active(subscription) => {
                let subscription = Arc::clone(subscription);
                drop(slot);
                subscription.request(n);
            }
            Slot::Cancelled => {} // §3.6
        }
    }

    /// Cancels the subscription, now or on arrival, and forgets it (§3.13).
    /// Idempotent (§3.7).
    pub(crate) fn cancel(&self) {
        let previous = core::mem::replace(&mut *self.slot.lock(), Slot::Cancelled);
        // The lock is released: a synchronous publisher may signal from
        // inside `cancel`.
        if let Slot::Active(subscription) = previous {
            subscription.cancel();
        }
    }
}

impl DeferredSubscription {
    /// Forgets the subscription without calling it: its publisher has
    /// signalled the end, after which the subscription counts as cancelled
    /// and must not be called from the terminal signal (§2.3, §2.4). One
    /// that arrives later is cancelled.
    pub(crate) fn clear(&self) {
        let previous = core::mem::replace(&mut *self.slot.lock(), Slot::Cancelled);
        drop(previous); // outside the lock: dropping may run arbitrary code
    }
}

impl fmt::Debug for DeferredSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.slot.lock() {
            Slot::Waiting { requested } => format!("waiting ({requested} requested)"),
            Slot::Active(_) => "active".to_owned(),
            Slot::Cancelled => "cancelled".to_owned(),
        };
        f.debug_struct("DeferredSubscription")
            .field("state", &state)
            .finish()
    }
}
