//! The subscription arbiter behind `on_error_resume` and `retry`: one
//! subscription handed downstream, while the upstream behind it changes.
//!
//! Downstream requests and cancels through the [`Arbiter`]; each upstream the
//! operator subscribes in turn is [`set`](Arbiter::set) as the current one and
//! is asked, at once, for the demand that the earlier upstreams left unserved.
//! So demand carries over from a failed source to its successor, and a
//! `cancel` reaches whichever upstream is current (or the next one, as soon
//! as it is set).
//!
//! Items do not pass through the arbiter: each upstream's subscriber emits
//! straight downstream and counts what it delivered in a plain local; it
//! reports the count with [`finished`](Arbiter::finished) when its upstream
//! fails, before the next one is set. The hot path pays nothing for the
//! arbitration.
//!
//! # Implementation notes
//!
//! ## State
//! `state: Mutex<ArbiterState>`:
//! * `requested`: demand not yet served by a finished upstream, saturating at
//!   [`UNBOUNDED`] (§3.17), where it stays;
//! * `current`: the upstream subscription, `None` between a failure and the
//!   next [`set`](Arbiter::set), and after `cancel`;
//! * `cancelled`: set once by `cancel`, never cleared;
//! * `invalid`: a `request(0)` was made (§3.9).
//!
//! ## Field access rules
//! 1. Every field is read and written under the lock; the lock is held for a
//!    few loads and stores only.
//! 2. No subscription is called while the lock is held: the value is cloned
//!    or taken out first. A synchronous upstream emits from inside `request`,
//!    and that emission may call `request` again (§3.2).
//! 3. Only the subscriber of the current upstream calls `finished` and `set`,
//!    and it does so serially: the next upstream is subscribed after the
//!    previous one signalled `on_error`.
//!
//! ## Races considered
//! 1. `request` vs a switch: `request` adds to `requested` and clones
//!    `current` in one critical section; the switch subtracts what the old
//!    upstream delivered (`finished`) and later reads `requested` for the new
//!    one (`set`) in critical sections of its own. If `request` comes first,
//!    the new upstream is asked for its `n` too (and the old one's copy of the
//!    request lands on a finished subscription, where it does nothing, §3.6);
//!    if it comes after `set`, it goes to the new upstream directly. Either
//!    way each unit of demand is asked of the upstream that will serve it
//!    exactly once (the loom model `request_races_the_switch` checks this).
//! 2. `cancel` vs a switch: `cancel` takes `current` and sets `cancelled` in
//!    one critical section; `set` checks `cancelled` in its own. An upstream
//!    set after the cancel is cancelled by `set` itself, so no upstream is
//!    left running.
//! 3. `request(0)` vs a switch: `invalid` is recorded with the same lock, and
//!    `set` forwards `request(0)` instead of the carried demand while it is
//!    set, so the §3.9 error comes from whichever upstream is current. The
//!    operators pass an error through without recovering once
//!    [`is_invalid`](Arbiter::is_invalid) is true, because it answers the
//!    downstream's own violation.

use crate::demand::UNBOUNDED;
use crate::sync::{Arc, Mutex};
use crate::traits::Subscription;

/// The subscription handed downstream by an operator that switches
/// upstreams. See the module docs for the protocol.
#[derive(Debug)]
pub(crate) struct Arbiter {
    state: Mutex<ArbiterState>,
}

#[derive(Debug)]
struct ArbiterState {
    requested: u64,
    current: Option<Arc<dyn Subscription>>,
    cancelled: bool,
    invalid: bool,
}

impl Arbiter {
    /// No upstream yet, no demand.
    pub(crate) fn new() -> Self {
        Arbiter {
            state: Mutex::new(ArbiterState {
                requested: 0,
                current: None,
                cancelled: false,
                invalid: false,
            }),
        }
    }

    /// Makes `subscription` the current upstream and asks it for the demand
    /// not yet served. After `cancel`, cancels it instead (race 2).
    pub(crate) fn set(&self, subscription: Arc<dyn Subscription>) {
        let (previous, outstanding) = {
            let mut state = self.state.lock();
            if state.cancelled {
                drop(state);
                subscription.cancel();
                return;
            }
            let outstanding = if state.invalid {
                Some(0) // race 3: the new upstream answers the §3.9 violation
            } else {
                Some(state.requested).filter(|&n| n > 0)
            };
            let previous = state.current.replace(Arc::clone(&subscription));
            (previous, outstanding)
        };
        // Field access rule 2: subscriptions are called and dropped unlocked.
        drop(previous);
        if let Some(n) = outstanding {
            subscription.request(n);
        }
    }

    /// The current upstream has terminated after delivering `produced` items
    /// (counting only items the downstream accepted): subtracts them from the
    /// demand carried over, and forgets the finished subscription.
    pub(crate) fn finished(&self, produced: u64) {
        let previous = {
            let mut state = self.state.lock();
            if state.requested != UNBOUNDED {
                state.requested = state.requested.saturating_sub(produced);
            }
            state.current.take()
        };
        drop(previous);
    }

    /// True once downstream cancelled.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.state.lock().cancelled
    }

    /// True once downstream made a `request(0)`: an error from upstream is
    /// then the §3.9 answer, to be passed on rather than recovered from.
    pub(crate) fn is_invalid(&self) -> bool {
        self.state.lock().invalid
    }
}

impl Subscription for Arbiter {
    fn request(&self, n: u64) {
        let current = {
            let mut state = self.state.lock();
            if state.cancelled {
                return; // §3.6
            }
            if n == 0 {
                state.invalid = true;
            } else {
                state.requested = state.requested.saturating_add(n).min(UNBOUNDED);
            }
            state.current.clone()
        };
        // With no current upstream, the demand waits in `requested` for the
        // next `set`, which asks for it.
        if let Some(current) = current {
            current.request(n);
        }
    }

    fn cancel(&self) {
        let current = {
            let mut state = self.state.lock();
            if state.cancelled {
                return; // §3.7
            }
            state.cancelled = true;
            state.current.take()
        };
        if let Some(current) = current {
            current.cancel();
        }
    }
}
