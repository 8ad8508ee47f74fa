//! The drain: serialization without locks, after Reactor's work-in-progress
//! ("WIP") counter.
//!
//! Every source and operator that can be signalled from several threads
//! (`request` from the subscriber's thread, data from upstream's, `cancel`
//! from anywhere) runs all emission inside one drain. A signal first records
//! its work (demand, a queued item, a flag), then tries to enter: whoever
//! raises the counter from 0 becomes the drainer and gets exclusive access to
//! the state; everyone else only bumps the counter and leaves. Before leaving,
//! the drainer subtracts what it has seen; if more signals arrived meanwhile,
//! it goes round again. This is how §1.3 (serial signals) and §3.3 (bounded
//! recursion: a `request` from inside `on_next` only bumps the counter) hold
//! without a mutex.
//!
//! For readers coming from tokio: the missed count plays the part of the task
//! state's `NOTIFIED` bit set while `RUNNING`.
//!
//! # Implementation notes
//!
//! ## State
//! `wip: AtomicUsize`: 0 when nobody drains; otherwise 1 + the number of
//! signals that arrived since the drainer last accounted for them.
//!
//! `state: UnsafeCell<T>`: the data only the drainer may touch (the downstream
//! subscriber, its emission counters).
//!
//! ## Field access rules
//! 1. `state` is accessed only through an [`Entered`], and an `Entered` exists
//!    only on the thread whose `fetch_add` moved `wip` from 0 to 1, until its
//!    [`Entered::leave`] brings `wip` back to 0. So at most one `Entered` of a
//!    drain exists at a time.
//! 2. An `Entered` dropped without leaving (after a terminal signal, or while
//!    unwinding from a panic that no [`Entered::run_guarded`] caught) keeps
//!    `wip` above 0 forever: the drain is closed
//!    and `state` is never touched again, except by `Drain`'s own drop, which
//!    has `&mut self`.
//!
//! ## Races considered
//! 1. A signal arrives while the drainer is about to leave: the signal's
//!    `fetch_add` and the drainer's `fetch_sub` are RMWs on one word. Either
//!    the signal comes first, the `fetch_sub` leaves a nonzero count and the
//!    drainer goes round again, or the `fetch_sub` comes first, reaches 0, and
//!    the signal's `fetch_add` sees 0 and makes its caller the next drainer.
//!    No wake-up is lost.
//! 2. Re-entrancy: a signal from inside the drainer's own call (a `request`
//!    from `on_next`) finds `wip > 0`, bumps it and returns; the drainer sees
//!    the bump when it tries to leave.
//! 3. Hand-off (the thread hops, `ops/schedule/`): a [`Claim`] is the right
//!    to drain without the access yet. It is made by the signal that raised
//!    `wip` from 0 ([`Drain::try_claim`]) or by a drainer that gives up its
//!    access with work still counted ([`Entered::hand_off`]), carries the
//!    drainer's `missed` count, and becomes an [`Entered`] again through
//!    [`Drain::resume`], on whatever thread it was moved to. `wip` stays
//!    above 0 while a claim exists, so no second drainer appears meanwhile:
//!    field access rule 1 holds with "claim or `Entered`" in place of
//!    "`Entered`". The state is not touched between the two (the claim holds
//!    no pointer to it), and the hand-over to the other thread (a worker's
//!    task queue, under its lock) orders the accesses before and after.
#![allow(unsafe_code)] // the `UnsafeCell` behind `Entered`; see the access rules above.

use core::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::{MutPtr, UnsafeCell};

/// State that only one party at a time may touch, entered through a WIP
/// counter instead of a lock.
///
/// # Invariant
///
/// `state` is only ever accessed through an [`Entered`], and at most one
/// `Entered` exists at a time (field access rule 1 in the module docs).
pub(crate) struct Drain<T> {
    wip: AtomicUsize,
    state: UnsafeCell<T>,
}

// SAFETY: a `Drain` hands `&mut T` to one thread at a time (the invariant
// above), so sharing it across threads only moves `T` between threads: that
// needs `T: Send`, not `T: Sync`.
unsafe impl<T: Send> Sync for Drain<T> {}

impl<T> Drain<T> {
    /// A drain that nobody has entered.
    pub(crate) fn new(state: T) -> Self {
        Self {
            wip: AtomicUsize::new(0),
            state: UnsafeCell::new(state),
        }
    }

    /// Records one signal, and enters the drain if nobody else is in it.
    ///
    /// Returns `None` when another party is draining (it will see this signal
    /// before it leaves) or the drain is closed.
    #[inline]
    pub(crate) fn try_enter(&self) -> Option<Entered<'_, T>> {
        // Ordering: AcqRel. Release publishes what the caller recorded before
        // signalling (a pushed item, added demand) to the drainer, whose
        // `leave` reads this count with Acquire. Acquire, when this call finds
        // 0, makes the previous drainer's writes to `state` visible to us.
        // Pairs with: the `fetch_sub` in `Entered::leave`.
        if self.wip.fetch_add(1, Ordering::AcqRel) == 0 {
            Some(Entered {
                drain: self,
                missed: 1,
                state: self.state.get_mut(),
            })
        } else {
            None
        }
    }
}

impl<T> Drain<T> {
    /// Records one signal, and claims the drain if nobody else is in it,
    /// without entering it: the caller hands the claim to the thread that is
    /// to drain (a worker), which [`resume`](Drain::resume)s it.
    ///
    /// Returns `None` when another party drains or holds a claim (it will
    /// see this signal before it leaves) or the drain is closed.
    #[inline]
    pub(crate) fn try_claim(&self) -> Option<Claim> {
        self.try_enter().map(Entered::hand_off)
    }

    /// Enters the drain with a claim of it (race 3).
    ///
    /// # Panics
    ///
    /// If `claim` was made by another drain (a bug of the caller: it would
    /// break field access rule 1).
    #[inline]
    pub(crate) fn resume(&self, claim: Claim) -> Entered<'_, T> {
        assert_eq!(
            claim.drain, self as *const Self as usize,
            "a claim resumed on another drain"
        );
        Entered {
            drain: self,
            missed: claim.missed,
            state: self.state.get_mut(),
        }
    }
}

/// The right to drain a [`Drain`] without access to its state yet: what a
/// thread hop moves to the thread that drains (race 3 in the module docs).
/// Dropping it without [`Drain::resume`] closes the drain for good, as
/// dropping an [`Entered`] does.
#[derive(Debug)]
pub(crate) struct Claim {
    /// The address of the drain it belongs to, checked by `resume`.
    drain: usize,
    /// The signals accounted for, as in [`Entered`].
    missed: usize,
}

impl<T> fmt::Debug for Drain<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Drain")
            .field("wip", &self.wip.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// What a round of [`Entered::run_guarded`] leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum After {
    /// Leave the drain (or go round again if signals were missed).
    Leave,
    /// The stream is over: close the drain for good.
    Close,
}

/// Proof of being the drainer: exclusive access to a [`Drain`]'s state.
///
/// Leave with [`Entered::leave`]. Dropping it instead (or [`Entered::close`])
/// closes the drain for good: no later signal will ever enter, which is what a
/// stage wants after its terminal signal.
pub(crate) struct Entered<'a, T> {
    drain: &'a Drain<T>,
    /// Signals accounted for so far, including our own entry.
    missed: usize,
    /// Held for as long as we are the drainer, so loom can check rule 1.
    state: MutPtr<T>,
}

impl<T> Entered<'_, T> {
    /// The state, exclusively.
    #[inline]
    pub(crate) fn state(&mut self) -> &mut T {
        // SAFETY: field access rule 1: this `Entered` is the only one, so no
        // other reference to the state exists; the returned borrow ends before
        // `self` can leave.
        unsafe { self.state.deref() }
    }

    /// Stops touching the state, before anyone else may start to (under
    /// loom, dropping the pointer ends the access loom tracks), keeping the
    /// drain and the signals accounted for: the first half of `leave` and of
    /// `hand_off`.
    #[inline]
    fn release<'a>(self) -> (&'a Drain<T>, usize)
    where
        Self: 'a,
    {
        let Entered {
            drain,
            missed,
            state,
        } = self;
        #[allow(clippy::drop_non_drop)]
        drop(state);
        (drain, missed)
    }

    /// Leaves the drain, unless signals arrived since the last accounting.
    ///
    /// Returns `Some(self)` when there is more work: the caller must go round
    /// its loop again (and call `leave` again). Returns `None` once the drain
    /// is left; the next signal makes a new drainer.
    #[must_use = "a drain with missed work must go round again"]
    #[inline]
    pub(crate) fn leave(self) -> Option<Self> {
        let (drain, missed) = self.release();
        // A cheap look first: if more signals arrived, go round again without
        // an RMW. Ordering: Acquire pairs with the Release of the signalling
        // `fetch_add`, so their recorded work is visible on the next round.
        let current = drain.wip.load(Ordering::Acquire);
        let remaining = if current != missed {
            current
        } else {
            // Ordering: AcqRel. Release publishes our writes to `state` to the
            // next drainer (its `fetch_add` Acquire); Acquire sees the work of
            // signals that arrived meanwhile. Pairs with: `Drain::try_enter`.
            drain.wip.fetch_sub(missed, Ordering::AcqRel) - missed
        };
        if remaining == 0 {
            None
        } else {
            Some(Entered {
                drain,
                missed: remaining,
                state: drain.state.get_mut(),
            })
        }
    }

    /// Gives up the access but not the right to drain, signals counted so
    /// far included: the claim is resumed later, maybe on another thread
    /// (race 3).
    #[inline]
    pub(crate) fn hand_off(self) -> Claim {
        let (drain, missed) = self.release();
        Claim {
            drain: drain as *const Drain<T> as usize,
            missed,
        }
    }

    /// Runs a drain loop: `round` until the drain is left, with a panic out
    /// of a round caught here, at the drain's boundary (one `catch_unwind`
    /// per run of the loop, not one per item).
    ///
    /// A caught panic is handed, as an error of kind
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic), to `recover` with the
    /// state: it must leave the state terminated (cancel upstream, signal the
    /// error, drop what it holds), because the round it interrupted may have
    /// left it half-updated. Either then says whether the drain stays open
    /// (later signals still enter: late subscribers of a multicast get the
    /// end) or closes for good.
    #[inline]
    pub(crate) fn run_guarded(
        mut self,
        mut round: impl FnMut(&mut T) -> After,
        mut recover: impl FnMut(&mut T, Error) -> After,
    ) {
        loop {
            let state = self.state();
            let after = match catch_unwind(AssertUnwindSafe(|| round(state))) {
                Ok(after) => after,
                Err(payload) => recover(self.state(), Error::from_panic(payload)),
            };
            if let After::Close = after {
                return self.close();
            }
            match self.leave() {
                Some(again) => self = again,
                None => return,
            }
        }
    }

    /// Closes the drain for good (field access rule 2): used after a terminal
    /// signal, so later `request` or `cancel` calls never touch the state.
    #[inline]
    pub(crate) fn close(self) {}
}

impl<T> fmt::Debug for Entered<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entered")
            .field("missed", &self.missed)
            .finish_non_exhaustive()
    }
}
