//! A subscription slot whose upstream arrives late or changes: what the
//! combining operators hand downstream (concat) or keep per inner source
//! (merge, zip, combine_latest, with_latest_from).
//!
//! After Reactor's `Operators.MultiSubscriptionSubscriber` ("the arbiter"),
//! with a lock instead of its missed-value drain: `request` and `cancel` are
//! per batch, not per item, so an uncontended lock costs nothing that shows,
//! and it keeps the three-way race (request, cancel, switch) easy to read.
//!
//! # Implementation notes
//!
//! ## State
//! `state: Mutex<ArbiterState>`:
//! - `current`: the upstream subscription in force, if any;
//! - `requested`: demand asked for and not yet accounted for by
//!   [`Arbiter::switch_off`] (saturating at `UNBOUNDED`, §3.17, and never
//!   decreased once there);
//! - `cancelled`: set once by [`Arbiter::cancel`];
//! - `zero_requested`: a `request(0)` was seen (§3.9).
//!
//! ## Field access rules
//! 1. Every field is read and written under the lock only.
//! 2. No upstream method is called while the lock is held: `request` and
//!    `cancel` of an upstream may run a synchronous source's whole emission,
//!    which can come back here (a request from inside `on_next`).
//!
//! ## Races considered
//! 1. `request(n)` vs a switch (`switch_off`, then `set` of the next
//!    upstream): `n` is added to `requested` under the lock, together with
//!    reading `current`. If the request came first, `n` was forwarded to the
//!    old upstream (a no-op if it had finished, §3.6) *and* is part of the
//!    `requested` that `set` hands the next upstream, minus what the old one
//!    delivered. If the switch came first, `n` goes to the new upstream only.
//!    Either way no demand is lost, and none is counted twice: the old
//!    upstream's deliveries are subtracted at `switch_off`.
//! 2. `cancel` vs `set`: `cancel` takes `current` under the lock and cancels
//!    it after; a `set` after that finds `cancelled` and cancels the newcomer.
//! 3. `request(0)` while no upstream is in force: remembered, and forwarded to
//!    the next upstream instead of its outstanding demand, so that it signals
//!    the §3.9 error.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::sync::{Arc, Mutex};
use crate::traits::Subscription;

/// One subscription for downstream (or for an operator's own use) whose
/// upstream may be set late, or replaced one after another. See the module
/// docs.
pub(crate) struct Arbiter {
    state: Mutex<ArbiterState>,
}

struct ArbiterState {
    current: Option<Arc<dyn Subscription>>,
    requested: u64,
    cancelled: bool,
    zero_requested: bool,
}

impl Arbiter {
    /// No upstream yet, no demand.
    pub(crate) fn new() -> Self {
        Self::with_demand(0)
    }

    /// No upstream yet; `requested` is asked for as soon as one is set.
    pub(crate) fn with_demand(requested: u64) -> Self {
        Arbiter {
            state: Mutex::new(ArbiterState {
                current: None,
                requested: requested.min(UNBOUNDED),
                cancelled: false,
                zero_requested: false,
            }),
        }
    }

    /// Adds `n` to the demand and forwards it to the upstream in force, if
    /// any (race 1). `n == 0` is forwarded as is, or remembered for the next
    /// upstream (race 3). Does nothing once cancelled (§3.6).
    pub(crate) fn request(&self, n: u64) {
        let current = {
            let mut state = self.state.lock();
            if state.cancelled {
                return;
            }
            if n == 0 {
                state.zero_requested = true;
            } else {
                state.requested = state.requested.saturating_add(n).min(UNBOUNDED);
            }
            state.current.clone()
        };
        if let Some(current) = current {
            current.request(n);
        }
    }

    /// Cancels the upstream in force and every later one (race 2). Returns
    /// true for the call that cancelled (§3.7: later calls do nothing).
    pub(crate) fn cancel(&self) -> bool {
        let current = {
            let mut state = self.state.lock();
            if state.cancelled {
                return false;
            }
            state.cancelled = true;
            state.current.take()
        };
        if let Some(current) = current {
            current.cancel();
        }
        true
    }

    /// True once [`cancel`](Arbiter::cancel) was called.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.state.lock().cancelled
    }

    /// Makes `upstream` the one in force and asks it for the outstanding
    /// demand (or passes on a remembered `request(0)`). After a cancel,
    /// cancels `upstream` instead and returns false.
    pub(crate) fn set(&self, upstream: &Arc<dyn Subscription>) -> bool {
        let (requested, zero) = {
            let mut state = self.state.lock();
            if state.cancelled {
                drop(state);
                upstream.cancel();
                return false;
            }
            debug_assert!(state.current.is_none(), "an upstream is already in force");
            state.current = Some(Arc::clone(upstream));
            (state.requested, state.zero_requested)
        };
        if zero {
            upstream.request(0); // §3.9: the upstream signals the error
        } else if requested > 0 {
            upstream.request(requested);
        }
        true
    }

    /// The upstream in force has finished after delivering `produced` items:
    /// they are subtracted from the demand (unless it is unbounded), and the
    /// next [`set`](Arbiter::set) asks for what is left.
    ///
    /// # Errors
    ///
    /// An overflow error when `produced` is more than was requested: the
    /// upstream broke §1.1 (the count comes from third-party code, so this is
    /// an error for the caller to signal, never a panic).
    pub(crate) fn switch_off(&self, produced: u64) -> Result<(), Error> {
        let (old, requested) = {
            let mut state = self.state.lock();
            let requested = state.requested;
            if requested != UNBOUNDED {
                state.requested = requested.saturating_sub(produced);
            }
            (state.current.take(), requested)
        };
        drop(old); // outside the lock: it may be the last reference
        if requested != UNBOUNDED && produced > requested {
            return Err(Error::overflow(format!(
                "an upstream delivered {produced} items on a demand of {requested} (§1.1)"
            )));
        }
        Ok(())
    }

    /// Forgets the upstream in force without cancelling it: after its
    /// terminal signal (§2.4), so that nothing keeps it alive.
    pub(crate) fn clear(&self) {
        let old = self.state.lock().current.take();
        drop(old);
    }
}

impl fmt::Debug for Arbiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        f.debug_struct("Arbiter")
            .field("has_upstream", &state.current.is_some())
            .field("requested", &state.requested)
            .field("cancelled", &state.cancelled)
            .finish_non_exhaustive()
    }
}

// Used by `on_error_resume` and `retry`, which hand the arbiter itself
// downstream as its subscription, and must know whether an error that comes
// back from upstream answers the downstream's own `request(0)`.

impl Arbiter {
    /// True once a `request(0)` was seen: an error from upstream is then the
    /// §3.9 answer to it, to be passed on, not recovered from.
    pub(crate) fn is_zero_requested(&self) -> bool {
        self.state.lock().zero_requested
    }
}

impl Subscription for Arbiter {
    fn request(&self, n: u64) {
        Arbiter::request(self, n);
    }

    fn cancel(&self) {
        Arbiter::cancel(self);
    }
}
