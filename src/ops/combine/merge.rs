//! `merge`, `merge_with`: the items of several publishers, as they come.
//!
//! Every source is subscribed at once, each through its own subscriber and
//! prefetch queue; one drain loop moves items from the queues to downstream
//! within its demand (Reactor's `FluxMerge`, a `flatMap` over a fixed list
//! of sources). Items from one source keep their order; items from different
//! sources interleave as they arrive. Synchronous sources run one after
//! another, each as far as the demand and its prefetch let it.
//!
//! When every source is one of this crate's synchronous sources (`range`,
//! `from_iter`, `just`, `empty`, `error`, `generate`), none is subscribed:
//! the merge is *fused* into one pull for the source engine, which runs the
//! sources in turn within the downstream's demand, with no queue and no
//! drain of its own (`benches/ops_combine.rs`). The engine's own loom models
//! and Miri runs cover it; it adds no atomics.
//!
//! # Demand
//!
//! Each source is asked for [`PREFETCH`] (32) items when subscribed, then for
//! `limit = 24` more each time downstream has taken 24 of its items (the 75%
//! rule), whatever downstream requested: at most 32 items per source wait in
//! its queue. Downstream gets no more than it requested. Threads: items are
//! delivered on whichever thread signals (a source's, or the requester's),
//! one at a time.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding demand and cancelled bit.
//! `links[i]`: source `i`'s upstream [`Arbiter`] (its subscription, made
//! with the prefetch as initial demand) and `done: AtomicBool`, set once the
//! source completed and all its items are in its queue.
//! `error: FirstError`: the first error of any source (`combining.rs`).
//! `drain: Drain<MergeState>`: the downstream, the consumer ends of the
//! queues with their replenish counters, and the round-robin cursor.
//! The producer end of queue `i` belongs to source `i`'s subscriber.
//!
//! ## Field access rules
//! 1. Downstream, the queues' consumer ends, replenish counters: the drainer
//!    only (`drain.rs`). `subscribe` enters the drain before handing out the
//!    subscription, so `on_subscribe` runs as the first drainer.
//! 2. Queue `i` is pushed only by source `i`'s subscriber (its signals are
//!    serial, §1.3), before it signals the drain.
//! 3. `done[i]` is stored (Release) after the source's last push; the drainer
//!    loads it (Acquire) *before* looking at the queue (B7), so "done and
//!    empty" means no item of source `i` is still to come.
//! 4. The error is taken by the drainer only, after `error.is_set()`
//!    (Acquire, pairing with the Release in `FirstError::set`).
//!
//! ## Races considered
//! 1. `request` vs a source's item: the requester adds demand then signals;
//!    the pusher pushes then signals; whoever enters last drains both
//!    (`drain.rs`, race 1).
//! 2. The fast path: a source's subscriber first tries to *enter* the drain.
//!    When it gets in, its queue is empty and there is demand, it delivers
//!    the item straight away, without the queue; when it does not get in, it
//!    pushes and signals again, so that the drainer (whose round may have
//!    missed the push) goes round once more. An item never overtakes one of
//!    its own source that is still queued, because only the drainer pops and
//!    the fast path requires the source's queue to be empty.
//! 3. `cancel` during drain: `cancel` sets the bit, cancels every link, and
//!    signals; the drainer checks the bit before each item, then clears the
//!    queues and drops the downstream (§3.13). A source subscribed after the
//!    cancel is cancelled by its link at once.
//! 4. Completion racing the last item: a source pushes its last item, then
//!    sets `done`, each followed by a signal; the drainer reads `done` before
//!    it looks at the queue, so it completes only once every queue is empty
//!    and every source done.
//! 5. An error from one source: the drainer cancels every other source,
//!    drops the queued items and signals the error at once (no delay).

use core::fmt;

use crate::author::pull::{self, Pull, Step};
use crate::author::{Demand, Replenish, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::combining::{FirstError, InnerSubscriber, Parent};
use crate::ops::support::sources::{List, Pair, Sources};
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::traits::{FusedSource, Publisher, Subscriber, Subscription};

/// How many items `merge` asks of each source up front, and keeps queued at
/// most per source (shrunk under loom to keep the models small).
pub(crate) const PREFETCH: usize = if cfg!(reactive_streams_loom) { 2 } else { 32 };

/// Publisher for the [`merge`](crate::ops::merge) function: the items of a
/// list of publishers, as they come.
#[must_use = "publishers do nothing until subscribed"]
pub struct Merge<P> {
    sources: List<P>,
}

/// Publisher for the [`merge_with`](crate::PublisherExt::merge_with) method:
/// the items of two publishers, as they come.
#[must_use = "publishers do nothing until subscribed"]
pub struct MergeWith<A, B> {
    sources: Pair<A, B>,
}

/// The items of every publisher of `publishers`, as they come: all are
/// subscribed at once.
///
/// Items of one source keep their order; items of different sources
/// interleave in the order they arrive. Synchronous sources (`range`,
/// `from_iter`, ...) each run as far as demand lets them before the next is
/// subscribed. An empty list completes at once. For publishers of different
/// types, use [`merge_with`](crate::PublisherExt::merge_with), or
/// [`boxed`](crate::PublisherExt::boxed) them.
///
/// # Demand
///
/// Each source is asked for 32 items up front, then 24 more each time 24 of
/// its items went downstream (the 75% rule). Downstream gets no more than it
/// requested.
///
/// # Errors and cancellation
///
/// The first error from any source is passed on at once; the other sources are
/// cancelled and queued items dropped. Completes when every source completed
/// and every queued item was delivered. `cancel` cancels every source.
///
/// # Examples
///
/// ```
/// use reactive_streams::{ops, source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::unbounded();
/// ops::merge([source::range(0..3u32), source::range(10..12)]).subscribe(ts.clone());
/// let mut items = ts.values();
/// items.sort_unstable();
/// assert_eq!(items, [0, 1, 2, 10, 11]);
/// ts.assert_complete();
/// ```
pub fn merge<I>(publishers: I) -> Merge<I::Item>
where
    I: IntoIterator,
    I::Item: Publisher,
{
    Merge {
        sources: List(publishers.into_iter().collect()),
    }
}

impl<P: fmt::Debug> fmt::Debug for Merge<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merge")
            .field("sources", &self.sources.0)
            .finish()
    }
}

impl<P: Clone> Clone for Merge<P> {
    fn clone(&self) -> Self {
        Merge {
            sources: self.sources.clone(),
        }
    }
}

impl<P: Publisher> Publisher for Merge<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        subscribe(&self.sources, subscriber);
    }
}

impl<A, B> MergeWith<A, B> {
    pub(crate) fn new(first: A, second: B) -> Self {
        MergeWith {
            sources: Pair(first, second),
        }
    }
}

impl<A: fmt::Debug, B: fmt::Debug> fmt::Debug for MergeWith<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MergeWith")
            .field("first", &self.sources.0)
            .field("second", &self.sources.1)
            .finish()
    }
}

impl<A: Clone, B: Clone> Clone for MergeWith<A, B> {
    fn clone(&self) -> Self {
        MergeWith {
            sources: self.sources.clone(),
        }
    }
}

impl<A, B> Publisher for MergeWith<A, B>
where
    A: Publisher,
    B: Publisher<Item = A::Item>,
{
    type Item = A::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<A::Item> + 'static,
    {
        subscribe(&self.sources, subscriber);
    }
}

/// A merge of fused sources, as one pull: the sources run in turn, each until
/// it ends, as synchronous sources subscribed in order do (one's items keep
/// their order). An end known without pulling (`finished`) is looked for in
/// every source, so a failed source fails the merge at once, before the
/// items of the sources ahead of it, as when subscribed.
struct MergePull<T> {
    /// The sources that have not ended, the one running last.
    sources: Vec<FusedSource<T>>,
}

impl<T> MergePull<T> {
    fn new(mut sources: Vec<FusedSource<T>>) -> Self {
        sources.reverse();
        MergePull { sources }
    }
}

impl<T: Send + 'static> Pull for MergePull<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Step<T> {
        while let Some(source) = self.sources.last_mut() {
            match source.next() {
                Step::End(Ok(())) => drop(self.sources.pop()),
                step => return step,
            }
        }
        Step::End(Ok(()))
    }

    fn finished(&mut self) -> Option<Result<(), Error>> {
        // From the running source to the last one: the first failure wins.
        for index in (0..self.sources.len()).rev() {
            match self.sources[index].finished() {
                None => {}
                Some(Ok(())) => drop(self.sources.remove(index)),
                Some(Err(error)) => return Some(Err(error)),
            }
        }
        self.sources.is_empty().then_some(Ok(()))
    }
}

/// Starts a new merge of `sources` for `downstream`.
fn subscribe<Q, S>(sources: &Q, downstream: S)
where
    Q: Sources,
    S: Subscriber<Q::Item> + 'static,
{
    let count = sources.len();
    // When every source is one of the crate's synchronous sources, the merge
    // is a single pull for the source engine: no queue, no drain of its own.
    let mut fused: Vec<_> = (0..count).map(|index| sources.fused_at(index)).collect();
    if fused.iter().all(Option::is_some) {
        let pull = MergePull::new(fused.into_iter().flatten().collect());
        return pull::subscribe(pull, downstream);
    }
    let mut producers = Vec::with_capacity(count);
    let mut queues = Vec::with_capacity(count);
    let mut links = Vec::with_capacity(count);
    for _ in 0..count {
        let (producer, consumer) = spsc(PREFETCH);
        producers.push(producer);
        queues.push(InnerQueue {
            queue: consumer,
            replenish: Replenish::new(PREFETCH as u64),
            finished: false,
        });
        links.push(Link {
            upstream: Arbiter::with_demand(PREFETCH as u64),
            done: AtomicBool::new(false),
        });
    }
    let shared = Arc::new(MergeShared {
        demand: Demand::new(),
        error: FirstError::new(),
        links: links.into_boxed_slice(),
        drain: Drain::new(MergeState {
            downstream: Some(downstream),
            queues,
            cursor: 0,
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
    // Completes at once when there is no source; handles a cancel or
    // request(0) made inside on_subscribe.
    shared.run(entered);
    for (index, producer) in producers.into_iter().enumerate() {
        if shared.is_stopped() {
            break; // cancelled or failed: the rest would be cancelled at once
        }
        let subscriber = InnerSubscriber::new(Arc::clone(&shared), index, producer);
        match fused[index].take() {
            // Taken out above; subscribed as its publisher would have been.
            Some(source) => source.subscribe(subscriber),
            None => sources.subscribe_at(index, subscriber),
        }
    }
}

/// One subscription's shared state. See the module docs.
struct MergeShared<T, S> {
    demand: Demand,
    error: FirstError,
    links: Box<[Link]>,
    drain: Drain<MergeState<T, S>>,
}

/// Source `i`'s side of the shared state.
struct Link {
    upstream: Arbiter,
    done: AtomicBool,
}

/// The drainer's state (field access rule 1).
struct MergeState<T, S> {
    /// `None` once terminated or cancelled (§3.13).
    downstream: Option<S>,
    queues: Vec<InnerQueue<T>>,
    /// The source the next round starts with: the one that was being
    /// drained when demand ran out.
    cursor: usize,
}

struct InnerQueue<T> {
    queue: Consumer<T>,
    replenish: Replenish,
    /// Done and drained: skipped from now on.
    finished: bool,
}

/// How a drain round ended.
enum Round {
    /// Nothing more to do for now; leave the drain.
    Idle,
    /// A terminal signal was delivered, or the stream was cancelled.
    Terminated,
}

impl<T, S> MergeShared<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// True once cancelled or failed: no more sources need subscribing.
    fn is_stopped(&self) -> bool {
        // Only a hint: a source subscribed late is cancelled by its link.
        self.demand.is_cancelled() || self.error.is_set()
    }

    /// The drain loop: rounds until nothing is left to do and no signal was
    /// missed, or the stream ends.
    fn run(&self, mut entered: Entered<'_, MergeState<T, S>>) {
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

    /// Delivers queued items within demand, round robin over the sources,
    /// then completes if every source is done and drained.
    fn drain_round(&self, state: &mut MergeState<T, S>) -> Round {
        let MergeState {
            downstream: slot,
            queues,
            cursor,
        } = state;
        let Some(downstream) = slot.as_mut() else {
            return Round::Terminated;
        };
        let count = queues.len();
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12, §3.9: a cancel or request(0) is seen before each item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot, queues);
            }
            // Field access rule 4: `is_set` (Acquire) before `take`.
            if self.error.is_set() {
                return self.failed(slot, queues);
            }
            let mut popped = false;
            if emitted != requested {
                for step in 0..count {
                    let index = (*cursor + step) % count;
                    let inner = &mut queues[index];
                    while emitted != requested {
                        if self.demand.is_cancelled() {
                            return self.cancelled(slot, queues);
                        }
                        let Some(item) = inner.queue.pop() else {
                            break;
                        };
                        popped = true;
                        emitted += u64::from(downstream.try_on_next(item));
                        if let Some(n) = inner.replenish.consumed_one() {
                            self.links[index].upstream.request(n);
                        }
                    }
                    if emitted == requested {
                        // Out of demand: the next round resumes with this
                        // source (Reactor's `lastIndex`). A source is left
                        // for the next only once its queue is empty, so each
                        // gets its turn, and synchronous sources come out in
                        // order whatever the demand pattern.
                        *cursor = index;
                        break;
                    }
                }
            }
            if self.all_finished(queues) {
                // A cancel from inside the last `on_next` comes first (§3.6).
                if self.demand.is_cancelled() {
                    return self.cancelled(slot, queues);
                }
                return self.complete(slot);
            }
            if emitted != 0 {
                requested = self.demand.produced(emitted);
                emitted = 0;
            }
            if !popped || requested == 0 {
                return Round::Idle;
            }
        }
    }

    /// True when every source is done and its queue empty (field access
    /// rule 3).
    fn all_finished(&self, queues: &mut [InnerQueue<T>]) -> bool {
        queues.iter_mut().enumerate().all(|(index, inner)| {
            if !inner.finished {
                // Ordering: Acquire pairs with the Release in
                // `inner_complete`: every push of the source happened before,
                // so the emptiness check below sees them. `done` first (B7).
                let done = self.links[index].done.load(Ordering::Acquire);
                inner.finished = done && inner.queue.is_empty();
            }
            inner.finished
        })
    }

    /// Every source is done and drained: complete (§1.5).
    #[cold]
    fn complete(&self, slot: &mut Option<S>) -> Round {
        if let Some(mut downstream) = slot.take() {
            downstream.on_complete();
        }
        Round::Terminated
    }

    /// Cancelled, or `request(0)`: cancel every source, drop the queued
    /// items and the downstream (§3.13), after the §3.9 error if owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<S>, queues: &mut [InnerQueue<T>]) -> Round {
        self.cancel_links();
        queues.iter_mut().for_each(|inner| inner.queue.clear());
        if let (Some(mut downstream), Some(error)) = (slot.take(), self.demand.take_invalid()) {
            downstream.on_error(error);
        }
        Round::Terminated
    }

    /// A source failed: cancel the others, drop the queued items, pass the
    /// error on at once.
    #[cold]
    fn failed(&self, slot: &mut Option<S>, queues: &mut [InnerQueue<T>]) -> Round {
        self.cancel_links();
        queues.iter_mut().for_each(|inner| inner.queue.clear());
        let error = self.error.take();
        if let (Some(mut downstream), Some(error)) = (slot.take(), error) {
            downstream.on_error(error);
        }
        Round::Terminated
    }

    fn cancel_links(&self) {
        for link in self.links.iter() {
            link.upstream.cancel();
        }
    }
}

impl<T, S> Parent<T, Producer<T>> for MergeShared<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    fn link(&self, index: usize) -> &Arbiter {
        &self.links[index].upstream
    }

    #[inline]
    fn inner_next(&self, index: usize, producer: &mut Producer<T>, item: T) -> Result<(), Error> {
        // Race 2: try to get in first, and skip the queue if we can.
        let Some(mut entered) = self.drain.try_enter() else {
            producer.push(item).map_err(|_| overflow())?;
            // Signal again: the drainer may have missed the push.
            self.drain();
            return Ok(());
        };
        let state = entered.state();
        let requested = self.demand.get(); // 0 when cancelled
        let inner = &mut state.queues[index];
        let direct = match &mut state.downstream {
            // A pending error goes the slow way, where it is handled.
            Some(downstream)
                if requested != 0 && inner.queue.is_empty() && !self.error.is_set() =>
            {
                Some(downstream.try_on_next(item))
            }
            _ => {
                let pushed = producer.push(item);
                self.run(entered);
                return pushed.map(drop).map_err(|_| overflow());
            }
        };
        if direct == Some(true) && requested != UNBOUNDED {
            self.demand.produced(1);
        }
        if let Some(n) = inner.replenish.consumed_one() {
            self.links[index].upstream.request(n);
        }
        // Nothing else was pending when we entered (every earlier signal
        // ran its own drain); only what arrived meanwhile needs a round.
        if let Some(again) = entered.leave() {
            self.run(again);
        }
        Ok(())
    }

    fn inner_error(&self, _index: usize, error: Error) {
        // The first error wins (rule 4); a later one is dropped.
        if self.error.set(error) {
            self.drain();
        }
    }

    fn inner_complete(&self, index: usize) {
        let link = &self.links[index];
        link.upstream.clear();
        // Ordering: Release publishes every push of this source (rule 3).
        // Pairs with: the Acquire load in `all_finished`.
        link.done.store(true, Ordering::Release);
        self.drain();
    }
}

/// The error for a source that sent more than was requested of it.
#[cold]
fn overflow() -> Error {
    Error::overflow("merge: a source sent more items than were requested of it")
}

impl<T, S> Subscription for MergeShared<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
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
