//! Outstanding demand: a saturating atomic counter with a cancelled bit.
//!
//! Every subscription this crate ships keeps its demand in a [`Demand`], and
//! so can yours. The method names follow Reactor's `Operators.addCap` /
//! `produced` (RxJava's `BackpressureHelper`), so the literature maps one to
//! one.
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

/// A subscription's outstanding demand: what the subscriber asked for and
/// was not sent yet, plus whether it cancelled.
///
/// The counter a hand-written [`Subscription`](crate::Subscription) keeps,
/// with the rules of the specification built in:
///
/// * §3.17: requests add up and saturate at [`UNBOUNDED`], never wrap (two
///   requests of 2^62 do not overflow, `request(u64::MAX)` means "no limit"),
///   and unbounded demand is never decremented again;
/// * §3.9: [`request(0)`](Demand::request) is recorded as an error that
///   [`take_invalid`](Demand::take_invalid) hands to the emitter, and stops
///   emission like a cancel;
/// * §3.6, §3.7: after [`cancel`](Demand::cancel), requests change nothing
///   and further cancels report that they were not the first;
/// * [`produced`](Demand::produced) never takes the count below zero.
///
/// Every method takes `&self` and may be called from any thread; the
/// counter is one atomic word, so nothing is lost when requests race each
/// other, a cancel, or the emitter's `produced`. The one rule left to you:
/// only the party that emits (one at a time, §1.3) calls `produced`, with no
/// more than it read from [`get`](Demand::get).
///
/// [`subscribe_pull`](crate::author::subscribe_pull) uses one for you; keep
/// your own when you write the drain yourself.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::Demand;
/// use reactive_streams::UNBOUNDED;
///
/// let demand = Demand::new();
/// demand.request(3);
/// demand.request(2);
/// assert_eq!(demand.get(), 5);
/// assert_eq!(demand.produced(4), 1); // four items went out
///
/// demand.request(u64::MAX); // §3.17: saturates
/// assert_eq!(demand.get(), UNBOUNDED);
/// assert_eq!(demand.produced(1_000), UNBOUNDED); // never counts down again
///
/// assert!(demand.cancel()); // the first cancel
/// assert!(!demand.cancel()); // §3.7: later ones do nothing
/// assert_eq!(demand.get(), 0);
/// assert!(demand.take_invalid().is_none()); // a cancel, not a request(0)
/// ```
#[derive(Debug, Default)]
pub struct Demand {
    state: AtomicU64,
    invalid: AtomicBool,
}

impl Demand {
    /// No demand, not cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// let demand = reactive_streams::author::Demand::new();
    /// assert_eq!(demand.get(), 0);
    /// assert!(!demand.is_cancelled());
    /// ```
    #[must_use]
    pub fn new() -> Self {
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
    ///
    /// Call it first thing in your `Subscription::request`, then make sure
    /// someone emits (enter your drain).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    /// use reactive_streams::Rule;
    ///
    /// let demand = Demand::new();
    /// demand.request(0); // §3.9: breaks the rules
    /// assert!(demand.is_cancelled()); // emission stops at the next check
    /// let error = demand.take_invalid().expect("request(0) is an error");
    /// assert_eq!(error.rule(), Some(Rule::NON_POSITIVE_REQUEST));
    /// assert!(demand.take_invalid().is_none()); // handed out once
    /// ```
    #[inline]
    pub fn request(&self, n: u64) {
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
    /// seeing [`is_cancelled`](Demand::is_cancelled): `None` then means a
    /// real cancel, `Some` the error to signal with `on_error`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// demand.cancel();
    /// demand.request(0); // after a cancel: nothing (§3.6)
    /// assert!(demand.take_invalid().is_none());
    /// ```
    pub fn take_invalid(&self) -> Option<Error> {
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
    /// Does nothing once cancelled or unbounded. Returns the **previous**
    /// count (0 when cancelled), so a caller that saw 0 knows the producer
    /// may be idle. Unlike [`request`](Demand::request), `add(0)` is no
    /// error: it adds nothing.
    ///
    /// Happens-before: everything the caller wrote before `add` is visible to
    /// a drainer whose later `get` observes the new count (Release on success,
    /// paired with the Acquire in [`Demand::get`] and [`Demand::produced`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// assert_eq!(demand.add(3), 0); // was idle: this caller should emit
    /// assert_eq!(demand.add(4), 3);
    /// assert_eq!(demand.get(), 7);
    /// ```
    #[inline]
    pub fn add(&self, n: u64) -> u64 {
        // Ordering: Relaxed for the first read; the CAS below carries the
        // synchronization.
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            if current & CANCELLED != 0 {
                return 0; // §3.6: a no-op after cancel
            }
            if current == UNBOUNDED {
                return current; // unbounded stays so
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
    /// Only the emitter (one at a time) calls this, with `n` no larger than a
    /// count it read from [`get`](Demand::get): demand only grows behind its
    /// back, so the subtraction is exact. A larger `n` is clamped at zero
    /// (and a debug build asserts).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// demand.request(10);
    /// let budget = demand.get();
    /// // ... emit up to `budget` items; say 4 went out ...
    /// let left = demand.produced(4);
    /// assert_eq!(left, 6); // includes requests made meanwhile
    /// ```
    #[inline]
    pub fn produced(&self, n: u64) -> u64 {
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
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// demand.request(2);
    /// assert_eq!(demand.get(), 2);
    /// demand.cancel();
    /// assert_eq!(demand.get(), 0);
    /// ```
    #[inline]
    pub fn get(&self) -> u64 {
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
    ///
    /// The count is frozen; an emitter notices at its next
    /// [`is_cancelled`](Demand::is_cancelled) check, which it makes before
    /// every item (§3.12), and then drops what it holds (§3.13).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// demand.request(5);
    /// assert!(demand.cancel());
    /// demand.request(5); // §3.6: no effect
    /// assert_eq!(demand.get(), 0);
    /// ```
    #[inline]
    pub fn cancel(&self) -> bool {
        // Ordering: AcqRel. Release publishes the cancel to the drainer's
        // Acquire in `is_cancelled`; Acquire orders this call after earlier
        // adds.
        self.state.fetch_or(CANCELLED, Ordering::AcqRel) & CANCELLED == 0
    }

    /// True once [`cancel`](Demand::cancel) was called, or
    /// [`request(0)`](Demand::request) (then
    /// [`take_invalid`](Demand::take_invalid) has the error).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Demand;
    ///
    /// let demand = Demand::new();
    /// assert!(!demand.is_cancelled());
    /// demand.cancel();
    /// assert!(demand.is_cancelled());
    /// ```
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `cancel`.
        self.state.load(Ordering::Acquire) & CANCELLED != 0
    }
}
