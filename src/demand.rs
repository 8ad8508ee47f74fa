//! Outstanding demand: a saturating atomic counter with a cancelled bit.
//!
//! Every subscription this crate ships keeps its demand in a [`Demand`]. The
//! method names follow Reactor's `Operators.addCap` / `produced`, so the
//! literature maps one to one.
//!
//! # Implementation notes
//!
//! ## State
//! `state: AtomicU64`: bit 63 = [`CANCELLED`], bits 0..63 = outstanding demand,
//! saturating at [`UNBOUNDED`] = 2^63 - 1 (§3.17). Once the count reaches
//! `UNBOUNDED` it never changes again; once `CANCELLED` is set it stays set and
//! the count is frozen.
//!
//! `invalid: AtomicBool`: set by `request(0)` (§3.9), together with the
//! cancelled bit, until the drainer takes it.
//!
//! ## Field access rules
//! * `add`, `cancel`, `reject_zero`: any thread.
//! * `produced`: only the one party that emits (the drainer), so the count it
//!   subtracts was counted by an `add` that happened before.
//!
//! ## Races considered
//! 1. `add` vs `add`: a CAS loop; the sum saturates instead of wrapping, so two
//!    requests of 2^62 each give `UNBOUNDED`, never an overflow.
//! 2. `add` vs `produced`: both are read-modify-write on one word, so no
//!    increment is lost; `produced` never takes the count below zero.
//! 3. `add` vs `cancel`: `cancel` sets the bit with one RMW; an `add` that
//!    loses the race sees the bit and changes nothing (§3.6).

use crate::error::Error;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Demand that means "no limit": 2^63 - 1, Java's `Long.MAX_VALUE`.
///
/// Requests add up and saturate here (§3.17): `request(UNBOUNDED)`, or any
/// requests whose sum reaches it (including `request(u64::MAX)`), switch a
/// subscription to unbounded mode, where demand is never decremented again.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber, UNBOUNDED};
///
/// let ts = TestSubscriber::new(0);
/// source::range(0..5u8).subscribe(ts.clone());
/// ts.request(UNBOUNDED);
/// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
/// ```
pub const UNBOUNDED: u64 = (1 << 63) - 1;

/// The cancelled flag, bit 63 of the state word.
const CANCELLED: u64 = 1 << 63;

/// The count bits of the state word.
const COUNT: u64 = !CANCELLED;

/// A subscription's outstanding demand. See the module docs for the protocol.
#[derive(Debug, Default)]
pub(crate) struct Demand {
    state: AtomicU64,
    invalid: AtomicBool,
}

impl Demand {
    /// No demand, not cancelled.
    pub(crate) fn new() -> Self {
        Self {
            state: AtomicU64::new(0),
            invalid: AtomicBool::new(false),
        }
    }

    /// Handles a `request(n)` from the subscriber.
    ///
    /// Any `n > 0` is [`add`](Demand::add)ed. `n == 0` breaks §3.9: it is
    /// recorded for the drainer, which signals the error (see
    /// [`take_invalid`](Demand::take_invalid)), and it sets the cancelled bit,
    /// so that the one check a drainer makes per item to notice a cancel also
    /// stops emission for the error. After a real cancel it does nothing.
    #[inline]
    pub(crate) fn request(&self, n: u64) {
        if n != 0 {
            self.add(n);
        } else if !self.is_cancelled() {
            // Ordering: Relaxed; the Release of the `fetch_or` below publishes
            // it to a drainer that saw the bit with Acquire.
            self.invalid.store(true, Ordering::Relaxed);
            // Ordering: Release publishes `invalid`. Pairs with: the Acquire
            // loads in `is_cancelled` and `get`.
            self.state.fetch_or(CANCELLED, Ordering::Release);
        }
    }

    /// Takes the §3.9 error recorded by `request(0)`, once. Call it after
    /// seeing the cancelled bit: `None` then means a real cancel.
    pub(crate) fn take_invalid(&self) -> Option<Error> {
        // Ordering: Relaxed; the caller's Acquire load of the cancelled bit
        // already synchronized with `request(0)`. The swap makes it once-only.
        if self.invalid.swap(false, Ordering::Relaxed) {
            Some(Error::non_positive_request())
        } else {
            None
        }
    }

    /// Adds `n` to the demand, saturating at [`UNBOUNDED`] (§3.17).
    ///
    /// Does nothing once cancelled or unbounded. Returns the **previous** state
    /// word, cancelled bit included, so a caller that saw a count of 0 knows
    /// the producer may be idle.
    ///
    /// Happens-before: everything the caller wrote before `add` is visible to
    /// a drainer whose later `get` observes the new count (Release on success,
    /// paired with the Acquire in [`Demand::get`] and [`Demand::produced`]).
    #[inline]
    pub(crate) fn add(&self, n: u64) -> u64 {
        // Ordering: Relaxed for the first read; the CAS below carries the
        // synchronization.
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            if current & CANCELLED != 0 || current == UNBOUNDED {
                return current; // §3.6: a no-op after cancel; unbounded stays so
            }
            let next = current.saturating_add(n).min(UNBOUNDED);
            // Ordering: AcqRel. Release publishes the caller's writes to the
            // drainer that reads the new count (`get`/`produced`); Acquire lets
            // the caller see the state it is about to change.
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return current,
                Err(actual) => {
                    current = actual;
                    crate::sync::spin_loop();
                }
            }
        }
    }

    /// Subtracts `n` delivered items from the demand, never below zero, and
    /// returns the count left. Does nothing when unbounded (returns
    /// [`UNBOUNDED`]) or cancelled (returns 0).
    ///
    /// Only the drainer calls this, with `n` no larger than a count it read.
    #[inline]
    pub(crate) fn produced(&self, n: u64) -> u64 {
        // Ordering: Relaxed for the first read; the CAS carries the ordering.
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            if current & CANCELLED != 0 {
                return 0;
            }
            if current == UNBOUNDED {
                return UNBOUNDED;
            }
            debug_assert!(n <= current, "produced({n}) exceeds demand {current}");
            let next = current.saturating_sub(n);
            // Ordering: AcqRel. Acquire pairs with the Release of a racing
            // `add`, so the drainer sees what the requester wrote before it.
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return next,
                Err(actual) => {
                    current = actual;
                    crate::sync::spin_loop();
                }
            }
        }
    }

    /// The outstanding demand (0 when cancelled).
    #[inline]
    pub(crate) fn get(&self) -> u64 {
        // Ordering: Acquire pairs with the Release in `add`.
        let state = self.state.load(Ordering::Acquire);
        if state & CANCELLED != 0 {
            0
        } else {
            state & COUNT
        }
    }

    /// Sets the cancelled bit. Returns true for the call that set it, false
    /// when it was already set (§3.7: later cancels do nothing).
    #[inline]
    pub(crate) fn cancel(&self) -> bool {
        // Ordering: AcqRel. Release publishes the cancel to the drainer's
        // Acquire in `is_cancelled`; Acquire orders this call after earlier
        // adds.
        self.state.fetch_or(CANCELLED, Ordering::AcqRel) & CANCELLED == 0
    }

    /// True once [`cancel`](Demand::cancel) was called.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `cancel`.
        self.state.load(Ordering::Acquire) & CANCELLED != 0
    }
}

/// The replenishing threshold of a prefetching subscriber: after consuming
/// `limit` items it requests `limit` more, so that it asks again when 75% of a
/// batch has been used (`limit = prefetch - prefetch / 4`).
///
/// An unbounded prefetch (`UNBOUNDED`) never replenishes and returns
/// `UNBOUNDED`. A prefetch of 1 gives 1.
#[inline]
pub(crate) const fn replenish_limit(prefetch: u64) -> u64 {
    if prefetch >= UNBOUNDED {
        UNBOUNDED
    } else {
        prefetch - prefetch / 4
    }
}

/// Tracks a prefetching subscriber's consumption and says when to request
/// more: the one place that owns the 75% rule.
#[derive(Debug, Clone)]
pub(crate) struct Replenish {
    limit: u64,
    consumed: u64,
}

impl Replenish {
    /// A tracker for `prefetch` items in flight. `prefetch` must be at least 1.
    pub(crate) const fn new(prefetch: u64) -> Self {
        Self {
            limit: replenish_limit(prefetch),
            consumed: 0,
        }
    }

    /// Records one consumed item; returns the amount to request now, if any.
    #[inline]
    pub(crate) fn consumed_one(&mut self) -> Option<u64> {
        if self.limit == UNBOUNDED {
            return None;
        }
        self.consumed += 1;
        if self.consumed == self.limit {
            self.consumed = 0;
            Some(self.limit)
        } else {
            None
        }
    }
}
