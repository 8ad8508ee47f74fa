//! `concat`, `concat_with`, `start_with`: the items of one publisher after
//! another, each subscribed when the one before it completes.
//!
//! Downstream holds one subscription for the whole sequence: an
//! [`Arbiter`](crate::ops::support::arbiter) whose upstream changes at each switch.
//! An error from any source ends the sequence at once; the later sources are
//! never subscribed.
//!
//! # Demand
//!
//! Demand carries over from one source to the next: what downstream requested
//! and source `k` did not deliver is requested from source `k + 1` as soon as
//! it is subscribed. Requests go to the source in force, as they come; nothing
//! is prefetched or buffered. Threads: runs on whichever thread the sources
//! signal on; the next source is subscribed on the thread that delivered the
//! previous one's `on_complete`.
//!
//! # Implementation notes
//!
//! ## State
//! `arbiter: Arbiter`: the upstream in force and the outstanding demand
//! (`arbiter.rs`).
//! `handoff: Mutex<Handoff<S>>`: `Idle`, `Subscribing` while a thread is
//! inside `advance`'s loop, or `Parked(cursor)` when a source completed while
//! that loop was still inside its `subscribe` call.
//! The cursor (the downstream subscriber and the index of the next source)
//! lives in exactly one place: the [`ConcatSubscriber`] of the source in
//! force, a local of `advance`, or the `Parked` slot.
//!
//! ## Field access rules
//! 1. The downstream is signalled only by the holder of the cursor; the
//!    cursor moves on only in `on_complete`, after the source in force is done
//!    (§1.7), so signals to downstream are serial (§1.3).
//! 2. `produced`: the [`ConcatSubscriber`] of the source in force only;
//!    handed to `switch_off` at its `on_complete`.
//!
//! ## Races considered
//! 1. `request` vs a switch: see `arbiter.rs`, race 1.
//! 2. A source that completes inside its own `subscribe` (every synchronous
//!    source, at the right demand): `advance` would recurse once per source.
//!    Instead, the completion finds `Subscribing` and parks the cursor; the
//!    loop picks it up when `subscribe` returns (a trampoline, after Reactor's
//!    `FluxConcatArray`), so the stack stays flat however many sources there
//!    are. A completion on another thread, after the loop has seen
//!    `Subscribing` end, finds `Idle` and runs the loop itself. The check and
//!    the state change happen under one lock, so exactly one of them runs it.
//! 3. `cancel` during a switch: the arbiter cancels the source in force, and
//!    the loop checks `is_cancelled` before subscribing the next source or
//!    completing, so nothing is subscribed or signalled after `cancel`
//!    returned on the thread that drives the sequence, and the cursor (with
//!    the downstream) is dropped (§3.13).

use core::fmt;

use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::sources::{List, Pair, Sources};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`concat`](crate::ops::concat) function: the items of
/// each publisher of a list, one publisher after another.
#[must_use = "publishers do nothing until subscribed"]
pub struct Concat<P> {
    sources: Arc<List<P>>,
}

/// Publisher for the [`concat_with`](crate::PublisherExt::concat_with),
/// [`start_with`](crate::PublisherExt::start_with) and
/// [`start_with_publisher`](crate::PublisherExt::start_with_publisher)
/// methods: the items of `A`, then those of `B`.
#[must_use = "publishers do nothing until subscribed"]
pub struct ConcatWith<A, B> {
    sources: Arc<Pair<A, B>>,
}

/// The items of each publisher of `publishers`, one publisher after another:
/// the second is subscribed when the first completes, and so on.
///
/// An empty list completes at once. To chain two publishers of different
/// types, use [`concat_with`](crate::PublisherExt::concat_with); for a list of
/// mixed types, [`boxed`](crate::PublisherExt::boxed) them first.
///
/// # Demand
///
/// What downstream requested and one source did not deliver is requested from
/// the next. Nothing is prefetched.
///
/// # Errors and cancellation
///
/// An error from a source is passed on at once; the later sources are never
/// subscribed. `cancel` cancels the source in force, and no later one is
/// subscribed.
///
/// # Examples
///
/// ```
/// use reactive_streams::{ops, source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::unbounded();
/// ops::concat([source::range(0..2u32), source::range(5..7), source::range(9..10)])
///     .subscribe(ts.clone());
/// ts.assert_values(&[0, 1, 5, 6, 9]).assert_complete();
/// ```
pub fn concat<I>(publishers: I) -> Concat<I::Item>
where
    I: IntoIterator,
    I::Item: Publisher + 'static,
{
    Concat {
        sources: Arc::new(List(publishers.into_iter().collect())),
    }
}

impl<P: fmt::Debug> fmt::Debug for Concat<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Concat")
            .field("sources", &self.sources.0)
            .finish()
    }
}

impl<P> Clone for Concat<P> {
    fn clone(&self) -> Self {
        Concat {
            sources: Arc::clone(&self.sources),
        }
    }
}

impl<P> Publisher for Concat<P>
where
    P: Publisher + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        subscribe(Arc::clone(&self.sources), subscriber);
    }
}

impl<A, B> ConcatWith<A, B> {
    pub(crate) fn new(first: A, second: B) -> Self {
        ConcatWith {
            sources: Arc::new(Pair(first, second)),
        }
    }
}

impl<A: fmt::Debug, B: fmt::Debug> fmt::Debug for ConcatWith<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcatWith")
            .field("first", &self.sources.0)
            .field("second", &self.sources.1)
            .finish()
    }
}

impl<A, B> Clone for ConcatWith<A, B> {
    fn clone(&self) -> Self {
        ConcatWith {
            sources: Arc::clone(&self.sources),
        }
    }
}

impl<A, B> Publisher for ConcatWith<A, B>
where
    A: Publisher + 'static,
    B: Publisher<Item = A::Item> + 'static,
{
    type Item = A::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<A::Item> + 'static,
    {
        subscribe(Arc::clone(&self.sources), subscriber);
    }
}

/// Starts a new sequence over `sources` for `downstream`.
fn subscribe<Q, S>(sources: Arc<Q>, mut downstream: S)
where
    Q: Sources + 'static,
    S: Subscriber<Q::Item> + 'static,
{
    let shared = Arc::new(ConcatShared {
        sources,
        arbiter: Arbiter::new(),
        handoff: Mutex::new(Handoff::Idle),
    });
    // §1.9: on_subscribe first. Requests made in it wait in the arbiter for
    // the first source.
    downstream.on_subscribe(Arc::clone(&shared) as Arc<dyn Subscription>);
    shared.advance(Cursor {
        downstream,
        next: 0,
    });
}

/// The state of one subscription, shared by the downstream's handle and the
/// subscriber of the source in force.
struct ConcatShared<Q, S> {
    sources: Arc<Q>,
    arbiter: Arbiter,
    handoff: Mutex<Handoff<S>>,
}

/// The downstream subscriber and where the sequence stands.
struct Cursor<S> {
    downstream: S,
    /// The index of the next source to subscribe.
    next: usize,
}

/// Who moves the sequence on (race 2 in the module docs).
enum Handoff<S> {
    /// Nobody is in `advance`'s loop.
    Idle,
    /// A thread is in `advance`'s loop, inside a source's `subscribe`.
    Subscribing,
    /// A source completed while its `subscribe` was still running; the loop
    /// takes the cursor from here.
    Parked(Cursor<S>),
}

impl<Q, S> ConcatShared<Q, S>
where
    Q: Sources + 'static,
    S: Subscriber<Q::Item> + 'static,
{
    /// Subscribes the source at `cursor.next`, or completes when there is
    /// none; loops while sources complete inside their `subscribe`.
    fn advance(self: &Arc<Self>, cursor: Cursor<S>) {
        {
            let mut handoff = self.handoff.lock();
            match *handoff {
                Handoff::Idle => *handoff = Handoff::Subscribing,
                Handoff::Subscribing => {
                    // The loop is below us on the stack (or on another
                    // thread, still in `subscribe`): it takes over.
                    *handoff = Handoff::Parked(cursor);
                    return;
                }
                Handoff::Parked(_) => unreachable!("two sources in force at once"),
            }
        }
        let mut cursor = cursor;
        loop {
            if self.arbiter.is_cancelled() {
                // §3.13: the downstream is dropped with the cursor.
                *self.handoff.lock() = Handoff::Idle;
                return;
            }
            let index = cursor.next;
            if index >= self.sources.len() {
                *self.handoff.lock() = Handoff::Idle;
                cursor.downstream.on_complete();
                return;
            }
            cursor.next += 1;
            self.sources.subscribe_at(
                index,
                ConcatSubscriber {
                    shared: Arc::clone(self),
                    cursor: Some(cursor),
                    upstream: None,
                    produced: 0,
                },
            );
            let mut handoff = self.handoff.lock();
            match core::mem::replace(&mut *handoff, Handoff::Idle) {
                Handoff::Parked(parked) => {
                    *handoff = Handoff::Subscribing;
                    cursor = parked;
                }
                // The source is still running (or failed, or was
                // cancelled): its completion, if any, runs the loop itself.
                Handoff::Subscribing => return,
                Handoff::Idle => unreachable!("the loop owns the handoff"),
            }
        }
    }
}

impl<Q, S> Subscription for ConcatShared<Q, S>
where
    Q: Send + Sync,
    S: Send,
{
    fn request(&self, n: u64) {
        self.arbiter.request(n);
    }

    fn cancel(&self) {
        self.arbiter.cancel();
    }
}

/// `concat`'s subscriber to the source in force.
pub(crate) struct ConcatSubscriber<Q, S> {
    shared: Arc<ConcatShared<Q, S>>,
    /// `None` once this source has terminated.
    cursor: Option<Cursor<S>>,
    upstream: Option<Arc<dyn Subscription>>,
    /// Items downstream accepted from this source.
    produced: u64,
}

impl<Q, S> Subscriber<Q::Item> for ConcatSubscriber<Q, S>
where
    Q: Sources + 'static,
    S: Subscriber<Q::Item> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.upstream.is_some() {
            subscription.cancel(); // §2.5
            return;
        }
        self.upstream = Some(Arc::clone(&subscription));
        self.shared.arbiter.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: Q::Item) {
        // The source counted the item: replace a rejected one ourselves.
        if !self.try_on_next(item) {
            if let Some(upstream) = &self.upstream {
                upstream.request(1);
            }
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: Q::Item) -> bool {
        let Some(cursor) = &mut self.cursor else {
            return true; // §2.8: late items after a terminal signal
        };
        let accepted = cursor.downstream.try_on_next(item);
        self.produced += u64::from(accepted);
        accepted
    }

    fn on_error(&mut self, error: Error) {
        if let Some(mut cursor) = self.cursor.take() {
            self.upstream = None;
            self.shared.arbiter.clear();
            cursor.downstream.on_error(error);
        }
    }

    fn on_complete(&mut self) {
        if let Some(mut cursor) = self.cursor.take() {
            self.upstream = None;
            match self.shared.arbiter.switch_off(self.produced) {
                Ok(()) => self.shared.advance(cursor),
                // The source sent more than was requested: the sequence
                // fails, as any stage fails an upstream that breaks §1.1.
                Err(overflow) => {
                    self.shared.arbiter.cancel();
                    cursor.downstream.on_error(overflow);
                }
            }
        }
    }
}
