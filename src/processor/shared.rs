//! The parts the multicast stages share: the upstream link, the hand-off of
//! new subscribers to the drainer, and the per-subscriber subscription.
//!
//! Used by [`MulticastProcessor`](crate::processor::MulticastProcessor),
//! [`UnicastProcessor`](crate::processor::UnicastProcessor), `publish`,
//! `share` and `replay`. Each of those owns one [`Drain`](crate::drain::Drain)
//! whose drainer alone calls its subscribers; what arrives from other threads
//! (a new subscriber, a request, a cancel, an item, the end of the stream) is
//! recorded here and then announced by entering the drain.
//!
//! # Implementation notes
//!
//! ## State
//! [`Link`]: the upstream subscription behind a lock (`None` before
//! `on_subscribe`, and again once upstream ended or was cancelled), the
//! `cancelled` flag (we cancelled upstream: late items are dropped, §2.8), the
//! recorded end (`end`, first writer wins) and `done`, set once `end` holds a
//! value.
//!
//! [`Arrivals`]: subscribers that completed `on_subscribe` and wait for the
//! drainer to adopt them, plus a `pending` flag so the drainer can check for
//! them with one load per item instead of a lock.
//!
//! [`Member`]: one subscriber's demand (a [`Demand`], with its cancelled bit)
//! and a handle to the stage that serves it.
//!
//! ## Field access rules
//! * `Link::state` and `Link::end`: under their locks; no user code runs
//!   while either is held (a subscription is cloned or taken out first,
//!   because a synchronous upstream emits from inside `request`).
//! * `Link::end` is written once, before `done.store(true, Release)`; it is
//!   read after `done.load(Acquire)` returned true.
//! * `Arrivals::list`: under its lock; pushed by any thread, drained by the
//!   drainer only.
//!
//! ## Races considered
//! 1. A subscriber arrives while the drainer runs: it is pushed, the flag
//!    set, and then the drain entered. Either the drainer's `take` sees the
//!    flag, or the arrival's `try_enter` bumps the drain's counter and the
//!    drainer goes round again and sees it then (`drain.rs`, race 1).
//! 2. `on_subscribe` from upstream races our own cancel (a disconnect, the
//!    last subscriber leaving): `accept` and `cancel` both run under the
//!    `state` lock; whichever comes second sees the other's effect, so the
//!    subscription is cancelled exactly once either way.
//! 3. Two ends race (upstream's `on_complete` and a disconnect's error): the
//!    first to lock `end` wins, the other is dropped.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::{Demand, UNBOUNDED};
use crate::error::Error;
use crate::queue::spsc::Producer;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// A stage whose drain can be announced: what a [`Member`] calls after a
/// `request` or `cancel`.
pub(crate) trait Drainable: Send + Sync + 'static {
    /// Enters the drain if nobody is in it, and drains (`drain.rs`).
    fn drain(&self);
}

/// The subscription one subscriber of a multicast stage gets: its demand,
/// and the stage to wake when it changes.
pub(crate) struct Member<H> {
    pub(crate) demand: Demand,
    owner: Arc<H>,
}

impl<H> Member<H> {
    pub(crate) fn new(owner: Arc<H>) -> Arc<Self> {
        Arc::new(Member {
            demand: Demand::new(),
            owner,
        })
    }

    /// Demand not yet used, given `emitted` items the drainer delivered and
    /// has not yet folded into the demand (`Demand::produced`). `None` once
    /// cancelled (or after `request(0)`, §3.9).
    #[inline]
    pub(crate) fn remaining(&self, emitted: u64) -> Option<u64> {
        let requested = self.demand.get();
        if requested == UNBOUNDED {
            return Some(UNBOUNDED); // §3.17: never decremented
        }
        let remaining = requested.saturating_sub(emitted);
        if remaining == 0 && self.demand.is_cancelled() {
            None
        } else {
            Some(remaining)
        }
    }
}

impl<H: Drainable> Subscription for Member<H> {
    fn request(&self, n: u64) {
        // §3.8, §3.17; `request(0)` is recorded for the drainer (§3.9).
        self.demand.request(n);
        self.owner.drain();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything; the drainer drops the
        // subscriber (§3.13).
        if self.demand.cancel() {
            self.owner.drain();
        }
    }
}

/// One subscriber of a multicast stage, as the drainer keeps it.
pub(crate) struct Slot<T, H> {
    pub(crate) subscriber: Box<dyn Subscriber<T>>,
    pub(crate) member: Arc<Member<H>>,
    /// Items delivered since the last [`Slot::fold`]: the drainer subtracts
    /// them from the demand in one go instead of once per item.
    pub(crate) emitted: u64,
}

impl<T, H> Slot<T, H> {
    pub(crate) fn new(subscriber: Box<dyn Subscriber<T>>, member: Arc<Member<H>>) -> Self {
        Slot {
            subscriber,
            member,
            emitted: 0,
        }
    }

    /// Demand not yet used; `None` once cancelled. See [`Member::remaining`].
    #[inline]
    pub(crate) fn remaining(&self) -> Option<u64> {
        self.member.remaining(self.emitted)
    }

    /// Folds the delivered count into the demand (drainer only).
    #[inline]
    pub(crate) fn fold(&mut self) {
        if self.emitted != 0 {
            self.member.demand.produced(self.emitted);
            self.emitted = 0;
        }
    }

    /// Delivers `item`, counting it if the subscriber accepted it (a
    /// rejected item does not use demand, see `Subscriber::try_on_next`).
    ///
    /// A subscriber that panics breaks §2.13. It is treated as if it had
    /// cancelled: the panic is caught here (the default hook has printed it)
    /// and the drainer drops the subscriber, so that one faulty subscriber
    /// does not stop the stream for the others.
    #[inline]
    pub(crate) fn deliver(&mut self, item: T) {
        let subscriber = &mut self.subscriber;
        match catch_unwind(AssertUnwindSafe(|| subscriber.try_on_next(item))) {
            Ok(accepted) => self.emitted += u64::from(accepted),
            Err(_) => {
                self.member.demand.cancel();
            }
        }
    }

    /// The subscriber left (cancelled, or sent `request(0)`): signals the
    /// §3.9 error if it is owed, then drops the subscriber (§3.13).
    pub(crate) fn release(self) {
        let Slot {
            mut subscriber,
            member,
            ..
        } = self;
        if let Some(error) = member.demand.take_invalid() {
            signal(|| subscriber.on_error(error));
        }
    }

    /// Signals the end of the stream, then drops the subscriber (§1.6,
    /// §3.13). A subscriber that cancelled meanwhile gets nothing but the
    /// §3.9 error if it is owed one (§3.12).
    pub(crate) fn terminate(self, end: &Result<(), Error>) {
        if self.member.demand.is_cancelled() {
            return self.release();
        }
        let mut subscriber = self.subscriber;
        match end {
            Ok(()) => signal(|| subscriber.on_complete()),
            Err(error) => {
                let error = error.clone();
                signal(|| subscriber.on_error(error));
            }
        }
    }
}

/// Runs one terminal signal to a subscriber; a panic in it (a §2.13
/// violation) is caught so that the other subscribers still get theirs.
fn signal(f: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// Subscribers handed from `subscribe` (any thread) to the drainer.
pub(crate) struct Arrivals<S> {
    list: Mutex<Vec<S>>,
    /// True when `list` may be non-empty: a hint read once per item.
    pending: AtomicBool,
}

impl<S> Arrivals<S> {
    pub(crate) fn new() -> Self {
        Arrivals {
            list: Mutex::new(Vec::new()),
            pending: AtomicBool::new(false),
        }
    }

    /// Hands `subscriber` to the drainer; the caller enters the drain next.
    pub(crate) fn push(&self, subscriber: S) {
        self.list.lock().push(subscriber);
        // Ordering: Release. The list itself is published by its lock; this
        // only makes the hint visible no later than the drain entry that
        // follows. Pairs with: the swap in `take`.
        self.pending.store(true, Ordering::Release);
    }

    /// The subscribers that arrived since the last call (drainer only).
    #[inline]
    pub(crate) fn take(&self) -> Option<Vec<S>> {
        // Ordering: Acquire. Pairs with: the store in `push`. A push whose
        // store we miss enters the drain after it, so the drainer goes round
        // again and sees it (module docs, race 1).
        if !self.pending.load(Ordering::Acquire) {
            return None;
        }
        // Ordering: Acquire, as above; the swap clears the hint for the
        // pushes we take below.
        self.pending.swap(false, Ordering::Acquire);
        let taken = core::mem::take(&mut *self.list.lock());
        Some(taken)
    }
}

/// What the upstream-facing side of a stage knows about its upstream.
pub(crate) struct Link {
    state: Mutex<LinkState>,
    /// We cancelled upstream (a disconnect, the last subscriber leaving, an
    /// overflow): items that still arrive are dropped (§2.8).
    cancelled: AtomicBool,
    /// `end` holds a value.
    done: AtomicBool,
    /// Everything requested from upstream so far: a [`Feed`] that receives
    /// more has met an upstream that broke §1.1.
    requested: AtomicU64,
    /// The end of the stream: upstream's, or one of our own (overflow,
    /// disconnect). First writer wins.
    end: Mutex<Option<Result<(), Error>>>,
}

#[derive(Default)]
struct LinkState {
    subscription: Option<Arc<dyn Subscription>>,
    /// An upstream was accepted (§2.5: any later one is cancelled).
    accepted: bool,
    cancelled: bool,
}

impl Link {
    pub(crate) fn new() -> Self {
        Link {
            state: Mutex::new(LinkState::default()),
            cancelled: AtomicBool::new(false),
            done: AtomicBool::new(false),
            requested: AtomicU64::new(0),
            end: Mutex::new(None),
        }
    }

    /// Keeps `subscription` as the upstream. Returns false when it must be
    /// cancelled instead: one was accepted already (§2.5), or we cancelled or
    /// ended before it arrived.
    #[must_use = "a rejected subscription must be cancelled"]
    pub(crate) fn accept(&self, subscription: &Arc<dyn Subscription>) -> bool {
        let mut state = self.state.lock();
        if state.accepted || state.cancelled || self.is_done() {
            return false;
        }
        state.accepted = true;
        state.subscription = Some(Arc::clone(subscription));
        true
    }

    /// Requests `n` more from upstream, if it is still there.
    pub(crate) fn request(&self, n: u64) {
        // Ordering: Relaxed. A `Feed` reads it for an item upstream sends for
        // this request: the upstream's own synchronization between our
        // `request` and its `on_next` orders this add before that read.
        self.requested.fetch_add(n, Ordering::Relaxed);
        let subscription = self.state.lock().subscription.clone();
        // Called with the lock released: a synchronous upstream emits from
        // inside `request`.
        if let Some(subscription) = subscription {
            subscription.request(n);
        }
    }

    /// Cancels upstream, now or as soon as its subscription arrives. Returns
    /// true for the first call.
    pub(crate) fn cancel(&self) -> bool {
        let subscription = {
            let mut state = self.state.lock();
            if state.cancelled {
                return false;
            }
            state.cancelled = true;
            // Ordering: Release, read by `on_next` to drop late items; only a
            // hint (the lock orders it against `accept`). Pairs with: the
            // load in `is_cancelled`.
            self.cancelled.store(true, Ordering::Release);
            state.subscription.take()
        };
        if let Some(subscription) = subscription {
            subscription.cancel();
        }
        true
    }

    /// Everything requested from upstream so far.
    #[inline]
    fn requested(&self) -> u64 {
        // Ordering: Relaxed; see `request`.
        self.requested.load(Ordering::Relaxed)
    }

    /// True once [`cancel`](Link::cancel) was called.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        // Ordering: Acquire. Pairs with: the store in `cancel`.
        self.cancelled.load(Ordering::Acquire)
    }

    /// Records the end of the stream; the first call wins and returns true.
    /// The upstream subscription is dropped, never called again (§2.3: the
    /// upstream ended, or we end the stream ourselves after cancelling it).
    pub(crate) fn end(&self, end: Result<(), Error>) -> bool {
        {
            let mut slot = self.end.lock();
            if slot.is_some() {
                drop(slot);
                return false; // `end` is dropped unlocked
            }
            *slot = Some(end);
        }
        // Ordering: Release publishes `end` (written above) to the drainer.
        // Pairs with: the load in `is_done`.
        self.done.store(true, Ordering::Release);
        let subscription = self.state.lock().subscription.take();
        drop(subscription);
        true
    }

    /// True once the end was recorded.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        // Ordering: Acquire. Pairs with: the store in `end`; after it returns
        // true, `outcome` finds the value.
        self.done.load(Ordering::Acquire)
    }

    /// The recorded end, if any.
    pub(crate) fn outcome(&self) -> Option<Result<(), Error>> {
        self.end.lock().clone()
    }
}

/// The upstream-facing end of a stage: the producing end of its queue, once
/// this handle was accepted as the upstream's subscriber.
///
/// A processor is a cloneable handle, and any clone may be offered to an
/// upstream; the first whose `on_subscribe` is accepted claims the producer
/// (§2.5: later ones are refused), and upstream signals it serially (§1.3),
/// which is what makes it the queue's single producer.
pub(crate) struct Feed<T> {
    /// Only reached through `&mut self` (`Mutex::get_mut`, never locked):
    /// the lock is what makes the handle `Sync`, whatever the queue's halves
    /// are.
    producer: Mutex<Option<Producer<T>>>,
    role: Role,
    /// Items received from upstream, checked against [`Link`]'s requested.
    received: u64,
}

/// What became of an item offered to a [`Feed`].
pub(crate) enum Fed {
    /// Queued: the caller enters its drain.
    Queued,
    /// Dropped: not the accepted handle, upstream already ended, or we
    /// cancelled it (§2.8).
    Ignored,
    /// The queue was full: upstream sent more than it was asked for (§1.1).
    /// The link is cancelled and ended with an overflow error.
    Overflow,
}

impl<T> Feed<T> {
    pub(crate) fn new() -> Self {
        Feed {
            producer: Mutex::new(None),
            role: Role::Fresh,
            received: 0,
        }
    }

    /// `on_subscribe`: accepts the first upstream (claiming the producer from
    /// `unclaimed`) and requests `prefetch`; cancels any other (§2.5).
    pub(crate) fn on_subscribe(
        &mut self,
        link: &Link,
        unclaimed: &Mutex<Option<Producer<T>>>,
        subscription: Arc<dyn Subscription>,
        prefetch: u64,
    ) {
        if self.role != Role::Fresh || !link.accept(&subscription) {
            if self.role == Role::Fresh {
                self.role = Role::Refused;
            }
            subscription.cancel();
            return;
        }
        self.role = Role::Accepted;
        *self.producer.get_mut() = unclaimed.lock().take();
        link.request(prefetch);
    }

    /// `on_next`: queues `item`.
    #[inline]
    pub(crate) fn on_next(&mut self, link: &Link, item: T) -> Fed {
        let Some(producer) = self.producer.get_mut() else {
            return Fed::Ignored; // not the accepted handle (§1.9, §2.5), or ended
        };
        if link.is_cancelled() {
            return Fed::Ignored; // §2.8: late items after our cancel
        }
        self.received += 1;
        // §1.1: never more than requested. The queue has room for all that
        // was requested and not yet taken, so a full queue is an overflow too.
        if self.received <= link.requested() {
            if let Err(item) = producer.push(item) {
                drop(item);
                return self.overflow(link);
            }
            Fed::Queued
        } else {
            drop(item);
            self.overflow(link)
        }
    }

    /// Upstream sent more than was requested: cancel it, end the stream with
    /// an overflow error, and take nothing more.
    #[cold]
    fn overflow(&mut self, link: &Link) -> Fed {
        *self.producer.get_mut() = None;
        link.cancel();
        link.end(Err(Error::overflow(
            "upstream sent more items than were requested (§1.1)",
        )));
        Fed::Overflow
    }

    /// `on_error` / `on_complete`: records the end, unless this handle was
    /// refused (a rejected second upstream cannot end the stream). Returns
    /// true when the caller should drain.
    pub(crate) fn on_end(&mut self, link: &Link, end: Result<(), Error>) -> bool {
        if self.role == Role::Refused {
            return false;
        }
        *self.producer.get_mut() = None;
        link.end(end);
        true
    }

    /// This handle's role, for `Debug`.
    pub(crate) fn role(&self) -> Role {
        self.role
    }
}

/// The upstream subscriber's view of itself: a handle that is cloned (a
/// processor is a handle) only serves upstream once it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Not subscribed to anything yet.
    Fresh,
    /// This handle's `on_subscribe` was accepted: it is the one upstream.
    Accepted,
    /// This handle's subscription was refused (§2.5): it ignores upstream.
    Refused,
}

/// The subscription a refused subscriber gets, before its `on_error` (§1.9).
#[derive(Debug)]
pub(crate) struct Refused;

impl Subscription for Refused {
    fn request(&self, _: u64) {}

    fn cancel(&self) {}
}

/// Tells a subscriber that it cannot be served: `on_subscribe`, then
/// `on_error` (§1.9).
pub(crate) fn refuse<T>(mut subscriber: impl Subscriber<T>, error: Error) {
    subscriber.on_subscribe(Arc::new(Refused));
    subscriber.on_error(error);
}
