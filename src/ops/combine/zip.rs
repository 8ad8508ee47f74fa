//! `zip`, `zip_with`: pairs the n-th item of one publisher with the n-th item
//! of another.
//!
//! Both sources are subscribed at once, each through its own prefetch queue;
//! one drain loop takes an item from each queue when both have one, combines
//! them (into a tuple, or with the user's function) and delivers the result
//! within demand. Like `Iterator::zip`, it ends with the shorter source: as
//! soon as one source has completed and its queue is empty, `zip` completes
//! and cancels the other (Reactor's `Flux.zip`).
//!
//! When both sources are this crate's synchronous sources (`range`,
//! `from_iter`, `just`, `empty`, `error`, `generate`), neither is
//! subscribed: the zip is *fused* into one pull for the source engine, an
//! item of each per output item, within the downstream's demand, with no
//! queue and no drain of its own (`benches/ops_combine.rs`). It adds no
//! atomics; the engine's loom models and Miri runs cover it.
//!
//! # Demand
//!
//! Each source is asked for [`PREFETCH`] (32) items when subscribed, then for
//! 24 more each time 24 of its items were combined (the 75% rule), whatever
//! downstream requested: at most 32 items per source wait in its queue. One
//! item of each source makes one item downstream, never more than requested.
//! Threads: results are delivered on whichever thread signals (a source's or
//! the requester's), one at a time.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding demand and cancelled bit.
//! `links[i]`: source `i`'s upstream [`Arbiter`] (made with the prefetch as
//! initial demand) and `done: AtomicBool`, set after the source's last push.
//! `error: FirstError`: the first error of either source (`combining.rs`).
//! `drain: Drain<ZipState>`: the downstream; per source the consumer end of
//! its queue, its replenish counter and `held`, an item taken from the queue
//! while the other source had none to pair it with.
//!
//! ## Field access rules
//! 1. Everything in `ZipState`: the drainer only (`drain.rs`); `subscribe`
//!    enters the drain before handing out the subscription.
//! 2. Queue `i` is pushed only by source `i`'s subscriber (§1.3), which then
//!    signals the drain.
//! 3. `done[i]` is stored (Release) after source `i`'s last push and loaded
//!    (Acquire) by the drainer *before* it polls queue `i` (B7), so "done and
//!    nothing held or queued" means source `i` has nothing more to give.
//!
//! ## Races considered
//! 1. `request` vs an item from either source: each records its work, then
//!    signals; whoever enters last drains both (`drain.rs`, race 1).
//! 2. Completion racing the last item: the source pushes, then sets `done`,
//!    each with a signal. Rule 3 means the drainer either still finds the item
//!    (and pairs it, if the other source has one) or sees the source as not
//!    yet done; it completes only when the finished source has nothing left.
//! 3. `cancel` during drain: `cancel` sets the bit, cancels both links and
//!    signals; the drainer checks the bit before each item, then clears the
//!    queues and drops the downstream (§3.13).
//! 4. An error from either source, or a panic in the function: both sources
//!    are cancelled, queued items dropped, the error delivered at once.

use core::fmt;

use crate::author::pull::{self, Pull, Step};
use crate::author::{Demand, Replenish};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::combining::{FirstError, InnerSubscriber, Parent};
use crate::ops::support::guard::guard;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::traits::{Fused, FusedSource, Publisher, Subscriber, Subscription};

/// How many items `zip` asks of each source up front, and keeps queued at
/// most per source (shrunk under loom to keep the models small).
pub(crate) const PREFETCH: usize = if cfg!(reactive_streams_loom) { 2 } else { 32 };

/// Publisher for the [`zip`](crate::PublisherExt::zip) method and the
/// [`zip`](crate::ops::zip()) function: pairs of items, one from each
/// publisher.
#[must_use = "publishers do nothing until subscribed"]
pub struct Zip<A, B> {
    first: A,
    second: B,
}

/// Publisher for the [`zip_with`](crate::PublisherExt::zip_with) method: the
/// n-th item of each publisher, combined by a function.
#[must_use = "publishers do nothing until subscribed"]
pub struct ZipWith<A, B, F> {
    first: A,
    second: B,
    f: Arc<F>,
}

/// Pairs the n-th item of `first` with the n-th item of `second`, ending with
/// the shorter: the reactive `Iterator::zip`.
///
/// The same as `first.zip(second)`; see
/// [`PublisherExt::zip`](crate::PublisherExt::zip) for demand, errors and
/// cancellation.
///
/// # Examples
///
/// ```
/// use reactive_streams::{ops, source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::unbounded();
/// ops::zip(source::range(0..3u32), source::from_iter(["a", "b"])).subscribe(ts.clone());
/// ts.assert_values(&[(0, "a"), (1, "b")]).assert_complete();
/// ```
pub fn zip<A, B>(first: A, second: B) -> Zip<A, B>
where
    A: Publisher,
    B: Publisher,
{
    Zip::new(first, second)
}

impl<A, B> Zip<A, B> {
    pub(crate) fn new(first: A, second: B) -> Self {
        Zip { first, second }
    }
}

impl<A: fmt::Debug, B: fmt::Debug> fmt::Debug for Zip<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Zip")
            .field("first", &self.first)
            .field("second", &self.second)
            .finish()
    }
}

impl<A: Clone, B: Clone> Clone for Zip<A, B> {
    fn clone(&self) -> Self {
        Zip {
            first: self.first.clone(),
            second: self.second.clone(),
        }
    }
}

impl<A, B> Publisher for Zip<A, B>
where
    A: Publisher,
    B: Publisher,
{
    type Item = (A::Item, B::Item);

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static,
    {
        subscribe(&self.first, &self.second, Tuple, subscriber);
    }
}

impl<A, B, F> ZipWith<A, B, F> {
    pub(crate) fn new(first: A, second: B, f: F) -> Self {
        ZipWith {
            first,
            second,
            f: Arc::new(f),
        }
    }
}

impl<A: fmt::Debug, B: fmt::Debug, F> fmt::Debug for ZipWith<A, B, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipWith")
            .field("first", &self.first)
            .field("second", &self.second)
            .finish_non_exhaustive()
    }
}

impl<A: Clone, B: Clone, F> Clone for ZipWith<A, B, F> {
    fn clone(&self) -> Self {
        ZipWith {
            first: self.first.clone(),
            second: self.second.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<A, B, F, R> Publisher for ZipWith<A, B, F>
where
    A: Publisher,
    B: Publisher,
    F: Fn(A::Item, B::Item) -> R + Send + Sync + 'static,
    R: Send + 'static,
{
    type Item = R;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<R> + 'static,
    {
        subscribe(
            &self.first,
            &self.second,
            WithFn(Arc::clone(&self.f)),
            subscriber,
        );
    }
}

/// How a pair of items becomes one output item.
trait Zipper<A, B>: Send + Sync + 'static {
    type Output: Send + 'static;

    fn zip(&self, a: A, b: B) -> Self::Output;
}

/// Pairs as tuples ([`Zip`]).
struct Tuple;

impl<A, B> Zipper<A, B> for Tuple
where
    A: Send + 'static,
    B: Send + 'static,
{
    type Output = (A, B);

    #[inline]
    fn zip(&self, a: A, b: B) -> (A, B) {
        (a, b)
    }
}

/// Pairs through the user's function ([`ZipWith`]).
struct WithFn<F>(Arc<F>);

impl<A, B, F, R> Zipper<A, B> for WithFn<F>
where
    F: Fn(A, B) -> R + Send + Sync + 'static,
    R: Send + 'static,
{
    type Output = R;

    #[inline]
    fn zip(&self, a: A, b: B) -> R {
        (self.0)(a, b)
    }
}

/// Starts a new zip of `first` and `second` for `downstream`.
fn subscribe<A, B, Z, S>(first: &A, second: &B, zipper: Z, downstream: S)
where
    A: Publisher,
    B: Publisher,
    Z: Zipper<A::Item, B::Item>,
    S: Subscriber<Z::Output> + 'static,
{
    // When both are the crate's synchronous sources, the zip is a single pull
    // for the source engine: no queues, no drain of its own.
    let (first_fused, second_fused) = match (
        first.fused_source(Fused(())),
        second.fused_source(Fused(())),
    ) {
        (Some(first), Some(second)) => {
            let pull = ZipPull {
                first,
                second,
                held: None,
                zipper,
            };
            return pull::subscribe(pull, downstream);
        }
        probed => probed,
    };
    let (first_producer, first_queue) = spsc(PREFETCH);
    let (second_producer, second_queue) = spsc(PREFETCH);
    let shared = Arc::new(ZipShared {
        demand: Demand::new(),
        error: FirstError::new(),
        links: [Link::new(), Link::new()],
        zipper,
        drain: Drain::new(ZipState {
            downstream: Some(downstream),
            first: Side::new(first_queue),
            second: Side::new(second_queue),
        }),
    });
    // Nobody else holds `shared` yet, so this always enters.
    let Some(mut entered) = shared.drain.try_enter() else {
        unreachable!("a new drain is free");
    };
    if let Some(downstream) = &mut entered.state().downstream {
        // §1.9: on_subscribe first; a request made in it only records demand.
        downstream.on_subscribe(Arc::clone(&shared) as Arc<dyn Subscription>);
    }
    shared.run(entered);
    // A source taken out above is subscribed as its publisher would have been.
    if !shared.is_stopped() {
        let subscriber = InnerSubscriber::new(Arc::clone(&shared), 0, first_producer);
        match first_fused {
            Some(source) => source.subscribe(subscriber),
            None => first.subscribe(subscriber),
        }
    }
    if !shared.is_stopped() {
        let subscriber = InnerSubscriber::new(Arc::clone(&shared), 1, second_producer);
        match second_fused {
            Some(source) => source.subscribe(subscriber),
            None => second.subscribe(subscriber),
        }
    }
}

/// A zip of two fused sources, as one pull: an item of each, combined. Ends
/// with the shorter source, as `Iterator::zip` does; the end of either is
/// looked for without pulling (`finished`), the first source's first, as
/// when subscribed in order.
struct ZipPull<A, B, Z> {
    first: FusedSource<A>,
    second: FusedSource<B>,
    /// An item of the first source whose partner is not there yet (only a
    /// source that says "pending" leaves one; fused sources never do).
    held: Option<A>,
    zipper: Z,
}

impl<A, B, Z> Pull for ZipPull<A, B, Z>
where
    A: Send + 'static,
    B: Send + 'static,
    Z: Zipper<A, B>,
{
    type Item = Z::Output;

    #[inline]
    fn next(&mut self) -> Step<Z::Output> {
        let a = match self.held.take() {
            Some(a) => a,
            None => match self.first.next() {
                Step::Next(a) => a,
                Step::Pending => return Step::Pending,
                Step::End(end) => return Step::End(end),
            },
        };
        let b = match self.second.next() {
            Step::Next(b) => b,
            Step::Pending => {
                self.held = Some(a);
                return Step::Pending;
            }
            Step::End(end) => return Step::End(end),
        };
        let zipper = &self.zipper;
        match guard(|| zipper.zip(a, b)) {
            Ok(item) => Step::Next(item),
            Err(panic) => Step::End(Err(panic)),
        }
    }

    fn finished(&mut self) -> Option<Result<(), Error>> {
        if self.held.is_none() {
            if let Some(end) = self.first.finished() {
                return Some(end);
            }
        }
        self.second.finished()
    }
}

/// One subscription's shared state. See the module docs.
struct ZipShared<A, B, Z, S> {
    demand: Demand,
    error: FirstError,
    links: [Link; 2],
    zipper: Z,
    drain: Drain<ZipState<A, B, S>>,
}

/// Source `i`'s side of the shared state.
struct Link {
    upstream: Arbiter,
    done: AtomicBool,
}

impl Link {
    fn new() -> Self {
        Link {
            upstream: Arbiter::with_demand(PREFETCH as u64),
            done: AtomicBool::new(false),
        }
    }

    /// True once the source completed (field access rule 3).
    #[inline]
    fn is_done(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `inner_complete`: every
        // push of the source happened before, so the poll that follows sees
        // them.
        self.done.load(Ordering::Acquire)
    }
}

/// The drainer's state (field access rule 1).
struct ZipState<A, B, S> {
    /// `None` once terminated or cancelled (§3.13).
    downstream: Option<S>,
    first: Side<A>,
    second: Side<B>,
}

/// One source's queue, as the drainer sees it.
struct Side<T> {
    queue: Consumer<T>,
    replenish: Replenish,
    /// Taken from the queue, waiting for an item of the other source.
    held: Option<T>,
}

impl<T> Side<T> {
    fn new(queue: Consumer<T>) -> Self {
        Side {
            queue,
            replenish: Replenish::new(PREFETCH as u64),
            held: None,
        }
    }

    /// Fills `held` from the queue. Returns false when the source is done
    /// and has nothing left: the zip is over. `done` is read before the poll
    /// (field access rule 3).
    #[inline]
    fn fill(&mut self, link: &Link) -> bool {
        if self.held.is_none() {
            let done = link.is_done();
            self.held = self.queue.pop();
            if self.held.is_none() && done {
                return false;
            }
        }
        true
    }

    /// Drops everything queued or held (§3.13).
    fn clear(&mut self) {
        self.held = None;
        self.queue.clear();
    }
}

/// How a drain round ended.
enum Round {
    /// Nothing more to do for now; leave the drain.
    Idle,
    /// A terminal signal was delivered, or the stream was cancelled.
    Terminated,
}

impl<A, B, Z, S> ZipShared<A, B, Z, S>
where
    A: Send + 'static,
    B: Send + 'static,
    Z: Zipper<A, B>,
    S: Subscriber<Z::Output> + 'static,
{
    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// True once cancelled or failed: the other source need not be
    /// subscribed (a hint only; a late one is cancelled by its link).
    fn is_stopped(&self) -> bool {
        self.demand.is_cancelled() || self.error.is_set()
    }

    /// The drain loop: rounds until nothing is left to do and no signal was
    /// missed, or the stream ends.
    fn run(&self, mut entered: Entered<'_, ZipState<A, B, S>>) {
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

    /// Pairs and delivers items within demand; completes when a source is
    /// done and has nothing left.
    fn drain_round(&self, state: &mut ZipState<A, B, S>) -> Round {
        if state.downstream.is_none() {
            return Round::Terminated;
        }
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12, §3.9: a cancel or request(0) is seen before each item.
            if self.demand.is_cancelled() {
                return self.cancelled(state);
            }
            if self.error.is_set() {
                let error = self.error.take();
                return self.fail(state, error);
            }
            // Checked with or without demand: completion needs none.
            if !state.first.fill(&self.links[0]) || !state.second.fill(&self.links[1]) {
                return self.complete(state);
            }
            let ready = state.first.held.is_some() && state.second.held.is_some();
            if !ready || emitted == requested {
                if emitted == 0 {
                    return Round::Idle;
                }
                requested = self.demand.produced(emitted);
                emitted = 0;
                if !ready || requested == 0 {
                    return Round::Idle;
                }
                continue;
            }
            let (Some(a), Some(b)) = (state.first.held.take(), state.second.held.take()) else {
                unreachable!("both sides hold an item");
            };
            if let Some(n) = state.first.replenish.consumed_one() {
                self.links[0].upstream.request(n);
            }
            if let Some(n) = state.second.replenish.consumed_one() {
                self.links[1].upstream.request(n);
            }
            let zipper = &self.zipper;
            match guard(|| zipper.zip(a, b)) {
                Ok(item) => {
                    if let Some(downstream) = &mut state.downstream {
                        emitted += u64::from(downstream.try_on_next(item));
                    }
                }
                Err(error) => return self.fail(state, Some(error)),
            }
        }
    }

    /// A source is done and drained: complete (§1.5), cancel the other.
    #[cold]
    fn complete(&self, state: &mut ZipState<A, B, S>) -> Round {
        self.cancel_links();
        state.first.clear();
        state.second.clear();
        if let Some(mut downstream) = state.downstream.take() {
            downstream.on_complete();
        }
        Round::Terminated
    }

    /// Cancelled, or `request(0)`: cancel both sources, drop what is queued
    /// and the downstream (§3.13), after the §3.9 error if owed.
    #[cold]
    fn cancelled(&self, state: &mut ZipState<A, B, S>) -> Round {
        self.cancel_links();
        state.first.clear();
        state.second.clear();
        if let (Some(mut downstream), Some(error)) =
            (state.downstream.take(), self.demand.take_invalid())
        {
            downstream.on_error(error);
        }
        Round::Terminated
    }

    /// A source failed, or the function panicked: cancel both sources, drop
    /// what is queued, pass the error on at once.
    #[cold]
    fn fail(&self, state: &mut ZipState<A, B, S>, error: Option<Error>) -> Round {
        self.cancel_links();
        state.first.clear();
        state.second.clear();
        if let (Some(mut downstream), Some(error)) = (state.downstream.take(), error) {
            downstream.on_error(error);
        }
        Round::Terminated
    }

    fn cancel_links(&self) {
        for link in &self.links {
            link.upstream.cancel();
        }
    }
}

impl<A, B, Z, S, T> Parent<T, Producer<T>> for ZipShared<A, B, Z, S>
where
    A: Send + 'static,
    B: Send + 'static,
    Z: Zipper<A, B>,
    S: Subscriber<Z::Output> + 'static,
{
    fn link(&self, index: usize) -> &Arbiter {
        &self.links[index].upstream
    }

    #[inline]
    fn inner_next(&self, _index: usize, producer: &mut Producer<T>, item: T) -> Result<(), Error> {
        producer.push(item).map_err(|_| {
            Error::overflow("zip: a source sent more items than were requested of it")
        })?;
        self.drain();
        Ok(())
    }

    fn inner_error(&self, _index: usize, error: Error) {
        if self.error.set(error) {
            self.drain();
        }
    }

    fn inner_complete(&self, index: usize) {
        let link = &self.links[index];
        link.upstream.clear();
        // Ordering: Release publishes every push of this source (rule 3).
        // Pairs with: the Acquire load in `Link::is_done`.
        link.done.store(true, Ordering::Release);
        self.drain();
    }
}

impl<A, B, Z, S> Subscription for ZipShared<A, B, Z, S>
where
    A: Send + 'static,
    B: Send + 'static,
    Z: Zipper<A, B>,
    S: Subscriber<Z::Output> + 'static,
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
