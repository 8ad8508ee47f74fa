//! `on_error_return`: when the source fails, emits one last item made from
//! the error, then completes.
//!
//! Items of the source pass through. On its `on_error`, the closure maps the
//! error to a fallback item, which is emitted as soon as the downstream has
//! demand for it (at once if it has; otherwise at its next `request`), and
//! followed by `on_complete`.
//!
//! Demand: one for one; requests go straight upstream. The operator counts
//! the downstream's requests (one atomic add per `request` call) and the items
//! it delivered (a plain local), so that it knows, when the error comes,
//! whether the fallback item is within demand. Threads: items and the
//! fallback item on the source's thread, or the fallback item on the thread
//! of the `request` that makes room for it.
//!
//! # Implementation notes
//!
//! ## State
//! `state: AtomicU64`, in [`ReturnSubscription`]: either a count, the total
//! the downstream has requested so far (saturating at [`UNBOUNDED`],
//! §3.17), or one of four final-ish marks above `UNBOUNDED`:
//! * [`PARKED`]: the source failed when there was no demand; the downstream
//!   and the fallback item wait in `parked` for a `request`;
//! * [`INVALID`]: the downstream made a `request(0)`; the error that answers
//!   it (§3.9) is passed on, not mapped;
//! * [`DONE`]: the fallback item went out (or the stream failed);
//! * [`CANCELLED`]: the downstream cancelled.
//!
//! `emitted: u64`, in the source's subscriber: items the downstream accepted.
//! Demand still open when the source fails is `state - emitted`.
//!
//! `parked: Mutex<Option<(S, T)>>`: the downstream subscriber and the fallback
//! item while `state == PARKED`.
//!
//! ## Field access rules
//! 1. Transitions: a count grows by `request` (CAS); count → `PARKED`,
//!    `DONE` by the source's `on_error` (CAS); `PARKED` → `DONE` by `request`
//!    (CAS); any → `CANCELLED` by `cancel` (swap); count → `INVALID` by
//!    `request(0)` (CAS). Whoever moves the state out of `PARKED` owns the
//!    parked subscriber.
//! 2. `parked` is filled by `on_error` *before* its CAS to `PARKED`, and
//!    emptied only by the party that moves the state out of `PARKED` (or by
//!    `on_error` itself after its CAS failed, when nobody else can own it).
//! 3. `emitted` is the source's subscriber's alone.
//!
//! ## Races considered
//! 1. `request` vs the error with no demand: both CAS on `state`. If the
//!    request's add wins, `on_error` re-reads a count above `emitted` and
//!    emits itself; if the park wins, the request finds `PARKED` and emits
//!    the parked item. Exactly one of them emits it, and only within demand
//!    (loom: `request_races_the_error`).
//! 2. `cancel` vs the park: a swap to `CANCELLED`; if it finds `PARKED`, the
//!    cancel drops the parked subscriber (§3.13); if it comes first, the
//!    park's CAS fails and `on_error` drops it.
//! 3. `request(0)` vs the error: `INVALID` is a state like the others, so
//!    either the source's error sees it and is passed on, or the park came
//!    first and the `request(0)` delivers the §3.9 error to the parked
//!    subscriber itself.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The fallback item waits in `parked` for demand.
const PARKED: u64 = 1 << 63;
/// The downstream made a `request(0)` (§3.9).
const INVALID: u64 = PARKED + 1;
/// The fallback item was delivered, or the stream ended otherwise.
const DONE: u64 = PARKED + 2;
/// The downstream cancelled.
const CANCELLED: u64 = PARKED + 3;

/// Publisher for the [`on_error_return`](crate::PublisherExt::on_error_return)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnErrorReturn<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for OnErrorReturn<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnErrorReturn")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for OnErrorReturn<P, F> {
    fn clone(&self) -> Self {
        OnErrorReturn {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> OnErrorReturn<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        OnErrorReturn {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F> Publisher for OnErrorReturn<P, F>
where
    P: Publisher,
    F: Fn(Error) -> P::Item + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(ReturnSubscriber {
            downstream: Some(subscriber),
            f: Arc::clone(&self.f),
            subscription: None,
            emitted: 0,
        });
    }
}

/// `on_error_return`'s subscriber to the source.
struct ReturnSubscriber<S, F, T> {
    /// `None` once the source has ended (or the subscriber is parked).
    downstream: Option<S>,
    f: Arc<F>,
    subscription: Option<Arc<ReturnSubscription<S, T>>>,
    /// Field access rule 3.
    emitted: u64,
}

/// The subscription handed downstream: counts demand, and delivers a parked
/// fallback item.
struct ReturnSubscription<S, T> {
    state: AtomicU64,
    upstream: Arc<dyn Subscription>,
    parked: Mutex<Option<(S, T)>>,
}

impl<S, F, T> Subscriber<T> for ReturnSubscriber<S, F, T>
where
    S: Subscriber<T> + 'static,
    F: Fn(Error) -> T + Send + Sync,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, upstream: Arc<dyn Subscription>) {
        if self.subscription.is_some() {
            upstream.cancel(); // §2.5
            return;
        }
        let Some(downstream) = &mut self.downstream else {
            return;
        };
        let subscription = Arc::new(ReturnSubscription {
            state: AtomicU64::new(0),
            upstream,
            parked: Mutex::new(None),
        });
        self.subscription = Some(Arc::clone(&subscription));
        downstream.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if let Some(downstream) = &mut self.downstream {
            self.emitted += 1;
            downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        match &mut self.downstream {
            Some(downstream) => {
                let accepted = downstream.try_on_next(item);
                self.emitted += u64::from(accepted);
                accepted
            }
            None => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        let (Some(mut downstream), Some(subscription)) =
            (self.downstream.take(), self.subscription.take())
        else {
            return;
        };
        let state = &subscription.state;
        // Ordering: Acquire pairs with the Release of `request`'s CAS, so a
        // `request(0)` is seen together with its state.
        if state.load(Ordering::Acquire) == INVALID {
            downstream.on_error(error); // race 3: the §3.9 answer
            return;
        }
        let f = &self.f;
        let item = match guard(|| f(error)) {
            Ok(item) => item,
            Err(panic) => {
                // The source has ended already: nothing to cancel upstream.
                // Ordering: AcqRel; DONE makes later requests no-ops.
                // Pairs with: the loads in `request` and `cancel`'s swap.
                if state.swap(DONE, Ordering::AcqRel) != CANCELLED {
                    downstream.on_error(panic);
                }
                return;
            }
        };
        let mut pending = (downstream, item);
        // Ordering: Acquire pairs with the Release of `request`'s CAS.
        let mut current = state.load(Ordering::Acquire);
        loop {
            match current {
                CANCELLED => return, // race 2: dropped (§3.13)
                INVALID => {
                    let (mut downstream, _) = pending;
                    downstream.on_error(Error::non_positive_request());
                    return;
                }
                // Outstanding demand (UNBOUNDED included): emit now. The CAS
                // keeps a racing cancel or request(0) from being overtaken.
                count if count <= UNBOUNDED && count > self.emitted => {
                    // Ordering: AcqRel. Acquire sees the request that made
                    // room; Release publishes DONE. Pairs with: `request`.
                    match state.compare_exchange(count, DONE, Ordering::AcqRel, Ordering::Acquire) {
                        Ok(_) => {
                            let (mut downstream, item) = pending;
                            downstream.on_next(item);
                            downstream.on_complete();
                            return;
                        }
                        Err(actual) => current = actual,
                    }
                }
                // No demand: park, then publish the park (rule 2).
                count => {
                    debug_assert!(count <= UNBOUNDED, "on_error runs once");
                    *subscription.parked.lock() = Some(pending);
                    // Ordering: AcqRel. Release publishes the parked
                    // subscriber to the `request` that will take it; Acquire
                    // on failure sees what changed the state. Pairs with:
                    // the CAS from PARKED in `request`, the swap in `cancel`.
                    match state.compare_exchange(count, PARKED, Ordering::AcqRel, Ordering::Acquire)
                    {
                        Ok(_) => return,
                        Err(actual) => {
                            // Race 1 or 2: nobody else owns `parked` while the
                            // state is not PARKED, so take it back.
                            let Some(back) = subscription.parked.lock().take() else {
                                unreachable!("the parked fallback is ours until the CAS succeeds");
                            };
                            pending = back;
                            current = actual;
                        }
                    }
                }
            }
        }
    }

    fn on_complete(&mut self) {
        self.subscription = None;
        if let Some(mut downstream) = self.downstream.take() {
            downstream.on_complete();
        }
    }
}

impl<S, T> ReturnSubscription<S, T>
where
    S: Subscriber<T>,
{
    /// Moves the state out of `PARKED` to `DONE`; true for the caller that
    /// did, which then owns the parked subscriber (rule 1).
    fn unpark(&self) -> Option<(S, T)> {
        // Ordering: AcqRel. Acquire pairs with the Release of the park's CAS,
        // so the parked value is visible. Pairs with: `on_error`.
        self.state
            .compare_exchange(PARKED, DONE, Ordering::AcqRel, Ordering::Relaxed)
            .ok()
            .and_then(|_| self.parked.lock().take())
    }
}

impl<S, T> Subscription for ReturnSubscription<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn request(&self, n: u64) {
        // Ordering: Acquire pairs with the Release of the CASes in `on_error`.
        let mut current = self.state.load(Ordering::Acquire);
        loop {
            match current {
                PARKED => {
                    // The source failed with no demand; this request makes
                    // room for the fallback item (race 1).
                    if let Some((mut downstream, item)) = self.unpark() {
                        if n == 0 {
                            downstream.on_error(Error::non_positive_request()); // §3.9
                        } else {
                            downstream.on_next(item);
                            downstream.on_complete();
                        }
                    }
                    return;
                }
                INVALID | DONE | CANCELLED => return, // §3.6
                count => {
                    // A request(0) is passed upstream, which answers it with
                    // the §3.9 error; INVALID tells `on_error` to pass that on.
                    let next = if n == 0 {
                        INVALID
                    } else {
                        count.saturating_add(n).min(UNBOUNDED)
                    };
                    if next == count {
                        return; // unbounded already: upstream has all it needs
                    }
                    // Ordering: AcqRel. Release publishes the new count (or
                    // INVALID) to `on_error`'s Acquire loads; Acquire orders
                    // this after an earlier park. Pairs with: `on_error`.
                    match self.state.compare_exchange_weak(
                        count,
                        next,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    ) {
                        Ok(_) => {
                            self.upstream.request(n);
                            return;
                        }
                        Err(actual) => {
                            current = actual;
                            crate::sync::spin_loop();
                        }
                    }
                }
            }
        }
    }

    fn cancel(&self) {
        // Ordering: AcqRel. Acquire pairs with the park's Release, so a
        // parked value is visible to drop; Release makes later requests see
        // CANCELLED. Pairs with: `on_error`'s CASes, `request`'s loads.
        match self.state.swap(CANCELLED, Ordering::AcqRel) {
            PARKED => drop(self.parked.lock().take()), // §3.13
            DONE | CANCELLED => {}
            _ => self.upstream.cancel(),
        }
    }
}
