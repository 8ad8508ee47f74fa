//! `CancelHandle`: cancels a subscription from outside the subscriber, before
//! or after the subscription has arrived.
//!
//! The handle and the [`LambdaSubscriber`](crate::LambdaSubscriber) it was
//! taken from share one small state machine, so that a cancel from the handle
//! and a terminal signal from upstream can race without either being lost or
//! both taking effect.
//!
//! # Implementation notes
//!
//! ## State
//! `state: AtomicUsize`: [`ACTIVE`], then exactly one transition, by
//! compare-and-swap, to [`CANCELLED`] (the handle won) or [`TERMINATED`] (the
//! subscriber saw `on_complete`/`on_error`, or failed by itself after a panic
//! or an overflow). Both are final.
//!
//! `upstream: Mutex<Option<Arc<dyn Subscription>>>`: the subscription, from
//! `on_subscribe` until the state leaves `ACTIVE`; whoever moves the state
//! takes it out (to cancel it, or just to drop it, §3.13).
//!
//! ## Field access rules
//! * `state`: moved out of `ACTIVE` only by `compare_exchange`, so exactly one
//!   party wins (the canceller, or the subscriber terminating).
//! * `upstream`: written only under the lock, and only while `ACTIVE`
//!   ([`attach`](CancelHandle::attach) checks the state under the lock).
//!   Nobody calls the subscription while holding the lock: the value is
//!   cloned or taken out first, because a synchronous publisher emits from
//!   inside `request` and `cancel`.
//!
//! ## Races considered
//! 1. `cancel` vs `on_subscribe`: `cancel` moves the state, then takes the
//!    slot under the lock; `attach` reads the state under the same lock. If
//!    `attach` locks first, it stores the subscription and `cancel` finds it;
//!    if `cancel` locks first, its state change happened before its unlock, so
//!    `attach` sees `CANCELLED` and cancels the new subscription itself. The
//!    subscription is cancelled exactly once either way.
//! 2. `cancel` vs a terminal signal: both compare-and-swap from `ACTIVE`; the
//!    loser does nothing, so either the terminal callback runs or the cancel
//!    takes effect, never both.

use core::fmt;

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::Subscription;

/// Neither cancelled nor terminated.
const ACTIVE: usize = 0;
/// [`CancelHandle::cancel`] won: the stream was cancelled.
const CANCELLED: usize = 1;
/// The subscriber received (or produced) a terminal signal.
const TERMINATED: usize = 2;

/// Cancels the subscription of a [`LambdaSubscriber`](crate::LambdaSubscriber)
/// (or of [`PublisherExt::subscribe_with`](crate::PublisherExt::subscribe_with))
/// from anywhere, and tells whether the stream is over.
///
/// Cheap to clone; all clones control the same subscription. It may be taken
/// before the subscriber is subscribed: a [`cancel`](CancelHandle::cancel)
/// that comes first cancels the subscription as soon as it arrives.
///
/// Dropping a handle does **not** cancel: a fire-and-forget
/// `subscribe_with(..)` keeps running when its handle is ignored.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let handle = source::never::<u32>().subscribe_with(|_| {});
/// assert!(!handle.is_terminated());
/// handle.cancel();
/// assert!(handle.is_cancelled());
/// assert!(handle.is_terminated());
/// ```
#[derive(Clone)]
pub struct CancelHandle {
    inner: Arc<Inner>,
}

struct Inner {
    /// [`ACTIVE`], [`CANCELLED`] or [`TERMINATED`]; see the module docs.
    state: AtomicUsize,
    /// The subscription while `ACTIVE` (field access rules in the module docs).
    upstream: Mutex<Option<Arc<dyn Subscription>>>,
}

impl CancelHandle {
    /// A handle for a subscription that has not arrived yet.
    pub(crate) fn new() -> CancelHandle {
        CancelHandle {
            inner: Arc::new(Inner {
                state: AtomicUsize::new(ACTIVE),
                upstream: Mutex::new(None),
            }),
        }
    }

    /// Cancels the subscription (§3.12), now or, if it has not arrived yet,
    /// as soon as it does. Items already in flight are dropped, and no
    /// callback runs after the cancel has been seen: not `on_next`, nor
    /// `on_error`, nor `on_complete`.
    ///
    /// Does nothing once the stream is over (completed, failed or already
    /// cancelled), so it may be called any number of times, from any thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use std::sync::Arc;
    /// use reactive_streams::{source, LambdaSubscriber, Publisher};
    ///
    /// let seen = Arc::new(AtomicU32::new(0));
    /// let counter = Arc::clone(&seen);
    /// let subscriber = LambdaSubscriber::new(move |_: u32| {
    ///     counter.fetch_add(1, Ordering::Relaxed);
    /// });
    /// let handle = subscriber.handle();
    /// handle.cancel(); // before subscribing
    /// source::range(0..10u32).subscribe(subscriber);
    /// assert_eq!(seen.load(Ordering::Relaxed), 0);
    /// assert!(handle.is_cancelled());
    /// ```
    pub fn cancel(&self) {
        // Ordering: AcqRel. Release publishes the cancel to `attach` (through
        // the lock below) and to `is_cancelled`; Acquire orders this call
        // after the subscriber's writes before it lost the race.
        // Pairs with: the loads in `attach` and `is_cancelled`, and the CAS in
        // `terminate`.
        if self
            .inner
            .state
            .compare_exchange(ACTIVE, CANCELLED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return; // §3.7: a cancel after the end does nothing
        }
        let upstream = self.inner.upstream.lock().take();
        // Called with the lock released: a synchronous publisher may signal
        // from inside `cancel`.
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
    }

    /// True once [`cancel`](CancelHandle::cancel) took effect (it does not
    /// after the stream has already completed or failed).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let handle = source::just(1u8).subscribe_with(|_| {});
    /// handle.cancel(); // too late: the stream has completed
    /// assert!(!handle.is_cancelled());
    /// assert!(handle.is_terminated());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        // Ordering: Acquire. Pairs with: the CAS in `cancel`.
        self.inner.state.load(Ordering::Acquire) == CANCELLED
    }

    /// True once the stream is over: completed, failed, or cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, PublisherExt};
    ///
    /// let failed = source::error::<u8>(Error::new("boom")).subscribe_with(|_| {});
    /// assert!(failed.is_terminated());
    /// let running = source::never::<u8>().subscribe_with(|_| {});
    /// assert!(!running.is_terminated());
    /// ```
    pub fn is_terminated(&self) -> bool {
        // Ordering: Acquire. Pairs with: the CASes in `cancel` and `terminate`.
        self.inner.state.load(Ordering::Acquire) != ACTIVE
    }

    /// Stores the subscription that just arrived. Returns false when the
    /// handle has already been cancelled or the subscriber terminated: the
    /// caller then cancels `upstream` itself (race 1 in the module docs).
    pub(crate) fn attach(&self, upstream: &Arc<dyn Subscription>) -> bool {
        let mut slot = self.inner.upstream.lock();
        // Ordering: Acquire. With the lock, sees a cancel whose CAS preceded
        // the canceller's critical section. Pairs with: the CAS in `cancel`.
        if self.inner.state.load(Ordering::Acquire) != ACTIVE {
            return false;
        }
        *slot = Some(Arc::clone(upstream));
        true
    }

    /// Moves the state to terminated, for a terminal signal or a failure
    /// found by the subscriber. Returns false when a cancel won the race (the
    /// caller then signals nothing). On success the stored subscription is
    /// dropped (§3.13).
    pub(crate) fn terminate(&self) -> bool {
        // Ordering: AcqRel. Release publishes the subscriber's last writes to
        // whoever sees `is_terminated`; Acquire pairs with a losing `cancel`.
        // Pairs with: the CAS in `cancel`, the loads in `is_*`.
        let won = self
            .inner
            .state
            .compare_exchange(ACTIVE, TERMINATED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if won {
            // Taken under the lock, dropped after it: dropping a subscription
            // may run arbitrary code.
            let upstream = self.inner.upstream.lock().take();
            drop(upstream);
        }
        won
    }
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ordering: Acquire. Pairs with: the CASes in `cancel` and `terminate`.
        let state = match self.inner.state.load(Ordering::Acquire) {
            ACTIVE => "active",
            CANCELLED => "cancelled",
            _ => "terminated",
        };
        f.debug_struct("CancelHandle")
            .field("state", &state)
            .finish()
    }
}
