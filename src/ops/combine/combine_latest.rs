//! `combine_latest`: whenever either of two publishers emits, the latest item
//! of each, combined by a function.
//!
//! Nothing is emitted until both sources have emitted once; from then on,
//! every item of either source makes one combination with the latest item of
//! the other. The function gets both by reference, so the items need not be
//! `Clone`: each is kept behind an `Arc` while it is the latest or waiting to
//! be combined, which is why they must be `Sync`.
//!
//! Completes once both sources completed and every combination was
//! delivered; a source that completes without having emitted anything
//! completes `combine_latest` at once, since no combination can ever be made
//! (Reactor's `Flux.combineLatest`).
//!
//! # Demand
//!
//! Each source is asked for [`PREFETCH`] (32) items when subscribed, then for
//! 24 more each time 24 of its items were used: combined and delivered
//! downstream, or only stored as the latest while the other source had none.
//! So at most 32 combinations per source wait for downstream demand.
//! Threads: combinations are delivered on whichever thread signals (a
//! source's or the requester's), one at a time.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding demand and cancelled bit.
//! `links[i]`: source `i`'s upstream [`Arbiter`], made with the prefetch as
//! initial demand.
//! `latest: Mutex<Latest>`: the latest item of each source; the queue of
//! combinations waiting for demand, each tagged with the source whose item
//! made it; per source, how many of its combinations are queued and its
//! replenish counter; which sources completed; and `end`, the terminal
//! signal once it is known.
//! `drain: Drain<Option<S>>`: the downstream; `None` once terminated or
//! cancelled (§3.13).
//!
//! ## Field access rules
//! 1. The downstream: the drainer only (`drain.rs`); `subscribe` enters the
//!    drain before handing out the subscription.
//! 2. `latest`: under its lock; the sources write it (each source's signals
//!    are serial, §1.3), the drainer pops combinations and reads `end` in the
//!    same critical section, so an `Ok` end is acted on only once the queue is
//!    empty (B7's "done, then empty").
//! 3. No user code runs under the lock: items are wrapped in their `Arc`
//!    before it is taken, replaced ones are dropped after it is released, the
//!    function runs on the popped pair outside it.
//!
//! ## Races considered
//! 1. Items from both sources at once: each stores its item and queues a
//!    combination under the lock, so every combination pairs an item with
//!    the other source's latest as of that moment, and the queue order is
//!    the order of the lock.
//! 2. `request` vs an item: both record, then signal the drain (`drain.rs`,
//!    race 1).
//! 3. Completion racing the last item: the last item's combination is queued
//!    before the source's completion is recorded (both under the lock, in
//!    signal order), and the drainer completes only on an empty queue.
//! 4. `cancel` during drain: `cancel` sets the bit, cancels both links and
//!    signals; the drainer checks the bit before each item, then clears the
//!    state and drops the downstream.

use core::fmt;
use std::collections::VecDeque;

use crate::author::{Demand, Replenish};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::combining::{InnerSubscriber, Parent};
use crate::ops::support::guard::guard;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// How many items `combine_latest` asks of each source up front (shrunk under
/// loom to keep the models small).
pub(crate) const PREFETCH: usize = if cfg!(reactive_streams_loom) { 2 } else { 32 };

/// Publisher for the [`combine_latest`](crate::PublisherExt::combine_latest)
/// method and the [`combine_latest`](crate::ops::combine_latest()) function.
#[must_use = "publishers do nothing until subscribed"]
pub struct CombineLatest<A, B, F> {
    first: A,
    second: B,
    f: Arc<F>,
}

/// Whenever `first` or `second` emits, `f` of the latest item of each (once
/// both have emitted).
///
/// The same as `first.combine_latest(second, f)`; see
/// [`PublisherExt::combine_latest`](crate::PublisherExt::combine_latest) for
/// demand, errors and cancellation.
///
/// # Examples
///
/// ```
/// use reactive_streams::{ops, source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::unbounded();
/// // `just(10)` has emitted before `range` starts: every range item combines with 10.
/// ops::combine_latest(source::just(10u32), source::range(0..3u32), |a, b| a + b)
///     .subscribe(ts.clone());
/// ts.assert_values(&[10, 11, 12]).assert_complete();
/// ```
pub fn combine_latest<A, B, F, R>(first: A, second: B, f: F) -> CombineLatest<A, B, F>
where
    A: Publisher,
    B: Publisher,
    A::Item: Sync,
    B::Item: Sync,
    F: Fn(&A::Item, &B::Item) -> R + Send + Sync + 'static,
    R: Send + 'static,
{
    CombineLatest::new(first, second, f)
}

impl<A, B, F> CombineLatest<A, B, F> {
    pub(crate) fn new(first: A, second: B, f: F) -> Self {
        CombineLatest {
            first,
            second,
            f: Arc::new(f),
        }
    }
}

impl<A: fmt::Debug, B: fmt::Debug, F> fmt::Debug for CombineLatest<A, B, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CombineLatest")
            .field("first", &self.first)
            .field("second", &self.second)
            .finish_non_exhaustive()
    }
}

impl<A: Clone, B: Clone, F> Clone for CombineLatest<A, B, F> {
    fn clone(&self) -> Self {
        CombineLatest {
            first: self.first.clone(),
            second: self.second.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<A, B, F, R> Publisher for CombineLatest<A, B, F>
where
    A: Publisher,
    B: Publisher,
    A::Item: Sync,
    B::Item: Sync,
    F: Fn(&A::Item, &B::Item) -> R + Send + Sync + 'static,
    R: Send + 'static,
{
    type Item = R;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<R> + 'static,
    {
        let shared = Arc::new(CombineShared {
            demand: Demand::new(),
            links: [
                Arbiter::with_demand(PREFETCH as u64),
                Arbiter::with_demand(PREFETCH as u64),
            ],
            latest: Mutex::new(Latest {
                first: None,
                second: None,
                queue: VecDeque::new(),
                queued: [0, 0],
                replenish: [
                    Replenish::new(PREFETCH as u64),
                    Replenish::new(PREFETCH as u64),
                ],
                completed: [false, false],
                end: None,
                closed: false,
            }),
            f: Arc::clone(&self.f),
            drain: Drain::new(Some(subscriber)),
        });
        // Nobody else holds `shared` yet, so this always enters.
        let Some(mut entered) = shared.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state() {
            // §1.9: on_subscribe first; a request made in it only records
            // demand.
            downstream.on_subscribe(Arc::clone(&shared) as Arc<dyn Subscription>);
        }
        shared.run(entered);
        if !shared.is_stopped() {
            self.first
                .subscribe(InnerSubscriber::new(Arc::clone(&shared), 0, First));
        }
        if !shared.is_stopped() {
            self.second
                .subscribe(InnerSubscriber::new(Arc::clone(&shared), 1, Second));
        }
    }
}

/// The port of the first source's subscriber: tells the two
/// [`Parent`] impls apart even when both item types are the same.
struct First;

/// The port of the second source's subscriber.
struct Second;

/// One subscription's shared state. See the module docs.
struct CombineShared<A, B, F, S> {
    demand: Demand,
    links: [Arbiter; 2],
    latest: Mutex<Latest<A, B>>,
    f: Arc<F>,
    drain: Drain<Option<S>>,
}

/// Everything under the `latest` lock (field access rule 2).
struct Latest<A, B> {
    first: Option<Arc<A>>,
    second: Option<Arc<B>>,
    /// Combinations waiting for demand: the two items, and the index of the
    /// source whose item made the combination.
    queue: VecDeque<(Arc<A>, Arc<B>, usize)>,
    /// Per source: its combinations in `queue`.
    queued: [usize; 2],
    /// Per source: items used, and when to ask for more.
    replenish: [Replenish; 2],
    completed: [bool; 2],
    /// The terminal signal: an `Err` is delivered at once, `Ok` once the
    /// queue is empty. Set once; later terminal signals are dropped.
    end: Option<Result<(), Error>>,
    /// Terminated or cancelled: everything that arrives is dropped.
    closed: bool,
}

/// What the drainer took out of `latest` in one critical section.
enum Next<A, B> {
    Item(Arc<A>, Arc<B>, Option<(usize, u64)>),
    Idle,
    End(Result<(), Error>, VecDeque<(Arc<A>, Arc<B>, usize)>),
}

/// How a drain round ended.
enum Round {
    /// Nothing more to do for now; leave the drain.
    Idle,
    /// A terminal signal was delivered, or the stream was cancelled.
    Terminated,
}

impl<A, B, F, R, S> CombineShared<A, B, F, S>
where
    A: Send + Sync + 'static,
    B: Send + Sync + 'static,
    F: Fn(&A, &B) -> R + Send + Sync + 'static,
    R: Send + 'static,
    S: Subscriber<R> + 'static,
{
    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// True once cancelled or ended: the second source need not be
    /// subscribed (a hint only; a late one is cancelled by its link).
    fn is_stopped(&self) -> bool {
        let latest = self.latest.lock();
        self.demand.is_cancelled() || latest.closed || latest.end.is_some()
    }

    /// The drain loop: rounds until nothing is left to do and no signal was
    /// missed, or the stream ends.
    fn run(&self, mut entered: Entered<'_, Option<S>>) {
        loop {
            match self.drain_round(entered.state()) {
                Round::Idle => match entered.leave() {
                    Some(again) => entered = again,
                    None => return,
                },
                Round::Terminated => return entered.close(),
            }
        }
    }

    /// Delivers queued combinations within demand, then the terminal signal.
    fn drain_round(&self, slot: &mut Option<S>) -> Round {
        let Some(downstream) = slot.as_mut() else {
            return Round::Terminated;
        };
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12, §3.9: a cancel or request(0) is seen before each item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot);
            }
            if emitted == requested && emitted != 0 {
                requested = self.demand.produced(emitted);
                emitted = 0;
            }
            let next = {
                let mut latest = self.latest.lock();
                match &latest.end {
                    // An error goes at once, ahead of queued combinations.
                    Some(Err(_)) => Next::End(
                        latest.end.take().unwrap_or(Ok(())),
                        core::mem::take(&mut latest.queue),
                    ),
                    // Rule 2: `end` and the queue in one critical section.
                    Some(Ok(())) if latest.queue.is_empty() => Next::End(Ok(()), VecDeque::new()),
                    _ if emitted == requested => Next::Idle,
                    _ => match latest.queue.pop_front() {
                        None => Next::Idle,
                        Some((a, b, origin)) => {
                            latest.queued[origin] -= 1;
                            let more = latest.replenish[origin].consumed_one().map(|n| (origin, n));
                            Next::Item(a, b, more)
                        }
                    },
                }
            };
            match next {
                Next::Idle => {
                    if emitted != 0 {
                        self.demand.produced(emitted);
                    }
                    return Round::Idle;
                }
                Next::End(end, dropped) => {
                    drop(dropped); // rule 3: outside the lock
                    return self.terminate(slot, end);
                }
                Next::Item(a, b, more) => {
                    if let Some((origin, n)) = more {
                        self.links[origin].request(n);
                    }
                    let f = &self.f;
                    match guard(|| f(&a, &b)) {
                        Ok(item) => emitted += u64::from(downstream.try_on_next(item)),
                        Err(error) => {
                            drop((a, b));
                            return self.terminate(slot, Err(error));
                        }
                    }
                }
            }
        }
    }

    /// Delivers `end` (§1.4, §1.5) after cancelling both sources (a no-op
    /// for a source that completed), and drops the downstream.
    #[cold]
    fn terminate(&self, slot: &mut Option<S>, end: Result<(), Error>) -> Round {
        self.cancel_links();
        self.close();
        if let Some(mut downstream) = slot.take() {
            match end {
                Ok(()) => downstream.on_complete(),
                Err(error) => downstream.on_error(error),
            }
        }
        Round::Terminated
    }

    /// Cancelled, or `request(0)`: cancel both sources, drop everything
    /// held and the downstream (§3.13), after the §3.9 error if owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<S>) -> Round {
        self.cancel_links();
        self.close();
        if let (Some(mut downstream), Some(error)) = (slot.take(), self.demand.take_invalid()) {
            downstream.on_error(error);
        }
        Round::Terminated
    }

    fn cancel_links(&self) {
        for link in &self.links {
            link.cancel();
        }
    }

    /// Marks the stream over, so that later items and ends are dropped, and
    /// drops everything held (rule 3: after the lock is released).
    fn close(&self) {
        let held = {
            let mut latest = self.latest.lock();
            latest.closed = true;
            (
                latest.first.take(),
                latest.second.take(),
                core::mem::take(&mut latest.queue),
                latest.end.take(),
            )
        };
        drop(held);
    }

    /// Records an item of source `index`: it becomes the latest, and makes a
    /// combination if the other source has one.
    fn store<T>(
        &self,
        index: usize,
        value: T,
        put: impl FnOnce(&mut Latest<A, B>, Arc<T>) -> (Option<Arc<T>>, bool),
    ) -> Result<(), Error> {
        let value = Arc::new(value); // rule 3: allocated outside the lock
        let (replaced, combined, more) = {
            let mut latest = self.latest.lock();
            if latest.closed || latest.end.is_some() {
                drop(latest);
                return Ok(()); // over: the item is dropped, unlocked
            }
            if latest.queued[index] >= PREFETCH {
                drop(latest);
                return Err(Error::overflow(
                    "combine_latest: a source sent more items than were requested of it",
                ));
            }
            let (replaced, combined) = put(&mut latest, value);
            if combined {
                latest.queued[index] += 1;
                (replaced, true, None)
            } else {
                // Used without a combination: counts as consumed now.
                let more = latest.replenish[index].consumed_one();
                (replaced, false, more)
            }
        };
        drop(replaced); // rule 3: outside the lock
        if let Some(n) = more {
            self.links[index].request(n);
        }
        if combined {
            self.drain();
        }
        Ok(())
    }

    /// Records the end of source `index`: an error, or a completion that ends
    /// everything if the source never emitted, or once both completed.
    fn end(&self, index: usize, end: Result<(), Error>) {
        if end.is_ok() {
            self.links[index].clear(); // §2.4: the source is done
        }
        let ended = {
            let mut latest = self.latest.lock();
            if latest.closed || latest.end.is_some() {
                false // over, or ending: this end is dropped
            } else {
                match end {
                    Err(error) => {
                        latest.end = Some(Err(error));
                        true
                    }
                    Ok(()) => {
                        latest.completed[index] = true;
                        let emitted = match index {
                            0 => latest.first.is_some(),
                            _ => latest.second.is_some(),
                        };
                        if !emitted || latest.completed == [true, true] {
                            latest.end = Some(Ok(()));
                            true
                        } else {
                            false
                        }
                    }
                }
            }
        };
        if ended {
            self.drain();
        }
    }
}

impl<A, B, F, R, S> Parent<A, First> for CombineShared<A, B, F, S>
where
    A: Send + Sync + 'static,
    B: Send + Sync + 'static,
    F: Fn(&A, &B) -> R + Send + Sync + 'static,
    R: Send + 'static,
    S: Subscriber<R> + 'static,
{
    fn link(&self, index: usize) -> &Arbiter {
        &self.links[index]
    }

    fn inner_next(&self, index: usize, _port: &mut First, item: A) -> Result<(), Error> {
        self.store(index, item, |latest, value| {
            let replaced = latest.first.replace(Arc::clone(&value));
            match &latest.second {
                Some(other) => {
                    let other = Arc::clone(other);
                    latest.queue.push_back((value, other, index));
                    (replaced, true)
                }
                None => (replaced, false),
            }
        })
    }

    fn inner_error(&self, index: usize, error: Error) {
        self.end(index, Err(error));
    }

    fn inner_complete(&self, index: usize) {
        self.end(index, Ok(()));
    }
}

impl<A, B, F, R, S> Parent<B, Second> for CombineShared<A, B, F, S>
where
    A: Send + Sync + 'static,
    B: Send + Sync + 'static,
    F: Fn(&A, &B) -> R + Send + Sync + 'static,
    R: Send + 'static,
    S: Subscriber<R> + 'static,
{
    fn link(&self, index: usize) -> &Arbiter {
        &self.links[index]
    }

    fn inner_next(&self, index: usize, _port: &mut Second, item: B) -> Result<(), Error> {
        self.store(index, item, |latest, value| {
            let replaced = latest.second.replace(Arc::clone(&value));
            match &latest.first {
                Some(other) => {
                    let other = Arc::clone(other);
                    latest.queue.push_back((other, value, index));
                    (replaced, true)
                }
                None => (replaced, false),
            }
        })
    }

    fn inner_error(&self, index: usize, error: Error) {
        self.end(index, Err(error));
    }

    fn inner_complete(&self, index: usize) {
        self.end(index, Ok(()));
    }
}

impl<A, B, F, R, S> Subscription for CombineShared<A, B, F, S>
where
    A: Send + Sync + 'static,
    B: Send + Sync + 'static,
    F: Fn(&A, &B) -> R + Send + Sync + 'static,
    R: Send + 'static,
    S: Subscriber<R> + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n);
        self.drain();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.cancel_links();
            self.drain();
        }
    }
}
