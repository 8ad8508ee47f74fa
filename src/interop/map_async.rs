//! `map_async` and `map_async_unordered`: calls an async function per item,
//! with at most `concurrency` futures running at once, and emits their
//! outputs in item order (`map_async`) or as they finish
//! (`map_async_unordered`).
//!
//! The futures are polled by the operator itself, in its drain: a future's
//! waker marks its slot and enters the drain on the waking thread
//! (`in_flight.rs`). No executor, no thread. Futures keep running while the
//! downstream has no demand; their results wait (`reorder.rs`) up to a
//! bound.
//!
//! # Demand
//!
//! The *window* is `concurrency + buffer` items (`buffer` defaults to
//! `concurrency`; the sum is clamped to 65 536): upstream is asked for the
//! window at first, then for `limit = window - window / 4` more each time
//! `limit` results have left downstream (the 75% rule). Every item requested
//! of upstream and not yet emitted is in one of three places: waiting for a
//! free slot, running (at most `concurrency`), or finished and waiting for the
//! downstream (or, in item order, for an earlier item). All three together
//! never hold more than the window, so neither a slow downstream nor a slow
//! head item can make the results grow without bound: they only make upstream
//! wait. A finished result does not hold a slot: a slow head item (ordered
//! mode) lets up to `window - 1` later items run and finish before it, with
//! `concurrency` futures running as long as the window has room (futures'
//! `buffered` and Pekko's `mapAsync` count waiting results against the
//! concurrency instead).
//!
//! # Later options
//!
//! The options live in [`MapAsync`] as builder methods, so that the per-item
//! timeout (which needs a scheduler) and running the futures on a tokio
//! runtime handle (the `tokio` feature) can slot in as two more methods: a
//! timeout wraps each future in the slot, a handle spawns it and keeps its
//! join handle in the slot. Neither changes the drain.
//!
//! # Implementation notes
//!
//! ## State
//! In [`MapAsyncInner`], shared by the downstream's subscription, the
//! upstream subscriber and every slot's waker:
//! - `demand: Demand`: the downstream's requests and the cancelled bit.
//! - `upstream_done: AtomicBool`: upstream signalled its end (completion or
//!   error); set once, after the last item was queued and the error recorded.
//! - `requested: AtomicU64`: the total asked of upstream, for the §1.1 check
//!   (as in `into_stream.rs`, rule 2).
//! - `errors: ErrorSlot`: the first error (upstream's, a failed or panicking
//!   future, a panic in `f`, an overflow).
//! - `terminated: AtomicBool`: a hint for late items.
//! - `ready: ReadySet`: the slots whose waker was woken (`in_flight.rs`).
//! - `drain: Drain<State>`: the downstream, the queue of items from upstream
//!   (consumer end), the running futures, the finished results, the next
//!   sequence number, the window's replenishing counter.
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only. The upstream subscriber enters it
//!    first, so `on_subscribe` is the first signal downstream.
//! 2. The item queue's producer: the upstream subscriber (serial, §1.3).
//! 3. `f` is called, and futures are polled, only by the drainer.
//!
//! ## Races considered
//! 1. A future's wake against the drain: the waker sets its slot's bit and
//!    then enters; a drainer that is in sees the extra signal when it
//!    leaves, goes round again, takes the bit and polls (`in_flight.rs`,
//!    race 1). Loom: `loom_map_async::a_wake_racing_the_drain_is_polled`.
//! 2. `request` against a finishing future: both record their work and try
//!    to enter (`drain.rs`, race 1). Loom:
//!    `loom_map_async::request_races_a_finishing_future`.
//! 3. Upstream's completion against its last item: the item is queued before
//!    `upstream_done` is stored with `Release`; the drainer loads it with
//!    `Acquire` before it looks at the queue (B7), and completes only when
//!    it saw it and then found the queue, the slots and the results empty.
//! 4. `cancel` (or `request(0)`) during a drain: the bit is checked at the
//!    top of every round and before every item; whoever holds the drain when
//!    it is seen cancels upstream, drops every future, result and queued
//!    item, and the downstream (§3.13). A later wake finds the drain closed.
//! 5. §2.3: a drain that runs inside upstream's `on_complete` or `on_error`
//!    must not call upstream. Upstream's end is stored before that drain
//!    starts, and the drainer neither requests from nor cancels an upstream
//!    it has seen end.

use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::task::Waker;
use std::error::Error as StdError;

use crate::author::{Demand, Replenish, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::interop::in_flight::{slot_waker, InFlight, Polled, ReadySet, WakeTarget};
use crate::interop::reorder::Finished;
use crate::ops::support::guard::guard;
use crate::ops::support::inner::{Ending, ErrorSlot, Phase};
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Weak};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The largest window (`concurrency + buffer`): larger ones are clamped to
/// it, because the queue of items waiting for a slot is allocated up front.
pub(crate) const MAX_WINDOW: usize = 1 << 16;

/// Publisher for the [`map_async`](crate::PublisherExt::map_async) and
/// [`map_async_unordered`](crate::PublisherExt::map_async_unordered)
/// methods, with its options as builder methods.
///
/// `O` says what a future's output becomes: [`PassOn`] (the default) emits
/// it as it is; [`FailOnError`] (see [`fail_on_error`](MapAsync::fail_on_error))
/// emits the `Ok` value and fails the stream with the `Err`.
#[must_use = "publishers do nothing until subscribed"]
pub struct MapAsync<P, F, O = PassOn> {
    upstream: P,
    f: Arc<F>,
    options: Options,
    outcome: PhantomData<fn() -> O>,
}

/// The options of one `map_async` stage.
#[derive(Clone, Copy, Debug)]
struct Options {
    concurrency: usize,
    buffer: usize,
    ordered: bool,
}

impl Options {
    /// Items requested of upstream and not yet emitted, at most.
    fn window(self) -> usize {
        self.concurrency
            .saturating_add(self.buffer)
            .clamp(1, MAX_WINDOW)
    }

    /// Futures running at once, at most.
    fn slots(self) -> usize {
        self.concurrency.min(self.window())
    }
}

impl<P: fmt::Debug, F, O> fmt::Debug for MapAsync<P, F, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapAsync")
            .field("upstream", &self.upstream)
            .field("concurrency", &self.options.concurrency)
            .field("buffer", &self.options.buffer)
            .field("ordered", &self.options.ordered)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F, O> Clone for MapAsync<P, F, O> {
    fn clone(&self) -> Self {
        MapAsync {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
            options: self.options,
            outcome: PhantomData,
        }
    }
}

impl<P, F> MapAsync<P, F> {
    /// # Panics
    ///
    /// If `concurrency` is 0: no future could ever run.
    #[track_caller]
    pub(crate) fn new(upstream: P, f: F, concurrency: usize, ordered: bool) -> Self {
        let method = if ordered {
            "map_async"
        } else {
            "map_async_unordered"
        };
        assert!(
            concurrency > 0,
            "{method}: concurrency must be at least 1 (no future could ever run)"
        );
        MapAsync {
            upstream,
            f: Arc::new(f),
            options: Options {
                concurrency,
                buffer: concurrency,
                ordered,
            },
            outcome: PhantomData,
        }
    }
}

impl<P, F, O> MapAsync<P, F, O> {
    /// How many finished results may wait, beyond `concurrency`, for the
    /// downstream's demand or (in item order) for an earlier item. Default:
    /// `concurrency`.
    ///
    /// Upstream is asked for at most `concurrency + buffer` items that have
    /// not been emitted yet (clamped to 65 536): that bounds the memory,
    /// whatever the downstream or the futures do. With 0, waiting results
    /// count against the concurrency, as in futures' `buffered`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let doubled = source::range(0..5u32)
    ///     .map_async(2, |x| async move { x * 2 })
    ///     .buffer(8)
    ///     .blocking_collect();
    /// assert_eq!(doubled.unwrap(), [0, 2, 4, 6, 8]);
    /// ```
    pub fn buffer(mut self, buffer: usize) -> Self {
        self.options.buffer = buffer;
        self
    }

    /// A future that returns `Err` fails the stream with that error, instead
    /// of passing the `Result` on: the stream's items are the `Ok` values.
    ///
    /// The error becomes an [`Error`] (its message, and
    /// [`downcast_ref`](Error::downcast_ref) to get it back); upstream is
    /// cancelled and the other futures are dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let parsed = source::from_iter(["1", "2", "x", "4"])
    ///     .map_async(2, |s| async move { s.parse::<u32>() })
    ///     .fail_on_error()
    ///     .blocking_collect();
    /// assert_eq!(parsed.unwrap_err().to_string(), "invalid digit found in string");
    /// ```
    pub fn fail_on_error(self) -> MapAsync<P, F, FailOnError> {
        MapAsync {
            upstream: self.upstream,
            f: self.f,
            options: self.options,
            outcome: PhantomData,
        }
    }
}

/// What a future's output becomes: an item, or an error that fails the
/// stream. Implemented by [`PassOn`] and [`FailOnError`] only.
pub trait Outcome<R>: sealed::Sealed + Send + Sync + 'static {
    /// The item the stream emits.
    type Item: Send + 'static;

    /// The item, or the error that fails the stream.
    #[doc(hidden)]
    fn into_item(output: R) -> Result<Self::Item, Error>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PassOn {}
    impl Sealed for super::FailOnError {}
}

/// A future's output is the item, as it is (a `Result` is passed on as one).
/// The default [`Outcome`] of [`MapAsync`].
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let results = source::from_iter(["1", "x"])
///     .map_async(1, |s| async move { s.parse::<u8>().map_err(|e| e.to_string()) })
///     .blocking_collect()
///     .unwrap();
/// assert_eq!(results, [Ok(1), Err("invalid digit found in string".to_owned())]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct PassOn;

/// A future's `Ok` is the item; its `Err` fails the stream. Chosen with
/// [`MapAsync::fail_on_error`].
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let failed = source::just(1u8)
///     .map_async(1, |_| async { Err::<u8, _>("no") })
///     .fail_on_error()
///     .blocking_first();
/// assert_eq!(failed.unwrap_err().to_string(), "no");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FailOnError;

impl<R: Send + 'static> Outcome<R> for PassOn {
    type Item = R;

    #[inline]
    fn into_item(output: R) -> Result<R, Error> {
        Ok(output)
    }
}

impl<U, E> Outcome<Result<U, E>> for FailOnError
where
    U: Send + 'static,
    E: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = U;

    #[inline]
    fn into_item(output: Result<U, E>) -> Result<U, Error> {
        output.map_err(Error::new)
    }
}

impl<P, F, Fut, O> Publisher for MapAsync<P, F, O>
where
    P: Publisher,
    F: Fn(P::Item) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    type Item = O::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<O::Item> + 'static,
    {
        self.upstream
            .subscribe(MapAsyncSubscriber::<S, F, P::Item, Fut, O> {
                phase: Phase::Pending(subscriber),
                f: Arc::clone(&self.f),
                options: self.options,
                queue: None,
                received: 0,
            });
    }
}

/// `map_async`'s subscriber to upstream: queues each item for a slot.
struct MapAsyncSubscriber<S, F, T, Fut, O>
where
    Fut: Future,
    O: Outcome<Fut::Output>,
{
    phase: Phase<S, SharedInner<S, F, T, Fut, O>>,
    f: Arc<F>,
    options: Options,
    /// The item queue's producing end (rule 2), from `on_subscribe` on.
    queue: Option<Producer<T>>,
    /// Items received, for the §1.1 check.
    received: u64,
}

impl<S, F, T, Fut, O> MapAsyncSubscriber<S, F, T, Fut, O>
where
    S: Subscriber<O::Item> + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    T: Send + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    /// Upstream sent more than it was asked for (§1.1): fail.
    #[cold]
    fn overflow(&mut self, inner: &MapAsyncInner<S, F, T, Fut, O>) {
        let message = format!(
            "received {} items, more than the {} requested",
            self.received,
            inner.requested.load(Ordering::Relaxed)
        );
        inner.errors.set(Error::overflow(message));
        inner.signal();
        self.phase = Phase::Done;
    }
}

impl<S, F, T, Fut, O> Subscriber<T> for MapAsyncSubscriber<S, F, T, Fut, O>
where
    S: Subscriber<O::Item> + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    T: Send + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some(downstream) = self.phase.take_pending(&subscription) else {
            return; // a second subscription, cancelled (§2.5)
        };
        let window = self.options.window();
        let (producer, consumer) = spsc(window);
        self.queue = Some(producer);
        let inner = MapAsyncInner::new(
            downstream,
            Arc::clone(&subscription),
            Arc::clone(&self.f),
            self.options,
            consumer,
        );
        // Nobody else holds `inner` yet, so this always enters (rule 1).
        let Some(mut entered) = inner.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state().downstream.as_mut() {
            // §1.9: on_subscribe first; a request inside it only records demand.
            downstream.on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        }
        inner.run(entered);
        let terminated = inner.is_terminated();
        self.phase = Phase::Active(Arc::clone(&inner));
        if !terminated {
            // Ordering: Relaxed; grown before the request that announces it.
            inner.requested.fetch_add(window as u64, Ordering::Relaxed);
            subscription.request(window as u64);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        let Phase::Active(inner) = &self.phase else {
            return; // §2.8: late items after the end or a failure are dropped
        };
        if inner.is_terminated() {
            return;
        }
        let inner = Arc::clone(inner);
        self.received += 1;
        // Ordering: Relaxed: an item within demand comes after the request
        // that covered it, through upstream's own synchronization, so this
        // sees that growth (`into_stream.rs`, rule 2).
        if self.received > inner.requested.load(Ordering::Relaxed) {
            return self.overflow(&inner);
        }
        let Some(queue) = self.queue.as_mut() else {
            return;
        };
        if queue.push(item).is_err() {
            return self.overflow(&inner);
        }
        inner.signal();
    }

    fn on_error(&mut self, error: Error) {
        if let Some(inner) = self.phase.finish() {
            inner.errors.set(error);
            inner.upstream_ended();
        }
    }

    fn on_complete(&mut self) {
        if let Some(inner) = self.phase.finish() {
            inner.upstream_ended();
        }
    }
}

/// What the upstream subscriber holds once subscribed.
type SharedInner<S, F, T, Fut, O> = Arc<MapAsyncInner<S, F, T, Fut, O>>;

/// One subscription's shared state. See the module docs.
struct MapAsyncInner<S, F, T, Fut, O>
where
    Fut: Future,
    O: Outcome<Fut::Output>,
{
    /// Ourselves, to hand to the slots' wakers.
    this: Weak<Self>,
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    upstream_done: AtomicBool,
    requested: AtomicU64,
    errors: ErrorSlot,
    terminated: AtomicBool,
    ready: ReadySet,
    f: Arc<F>,
    drain: Drain<State<S, T, Fut, O::Item>>,
}

struct State<S, T, Fut, U> {
    /// `None` once terminated or cancelled, so it is dropped (§3.13).
    downstream: Option<S>,
    /// Items from upstream waiting for a slot (consumer end).
    incoming: Consumer<T>,
    in_flight: InFlight<Fut>,
    finished: Finished<U>,
    /// The sequence number of the next item to start.
    next_seq: u64,
    /// Counts results that left; says when to ask upstream for more.
    emitted: Replenish,
}

/// How a drain round ended.
enum Stop {
    /// Nothing more to do for now; leave the drain.
    Idle,
    /// The downstream was signalled (or cancelled) and dropped; close.
    Terminated,
}

impl<S, F, T, Fut, O> MapAsyncInner<S, F, T, Fut, O>
where
    S: Subscriber<O::Item> + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    T: Send + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    fn new(
        downstream: S,
        upstream: Arc<dyn Subscription>,
        f: Arc<F>,
        options: Options,
        incoming: Consumer<T>,
    ) -> Arc<Self> {
        let slots = options.slots();
        Arc::new_cyclic(|this| MapAsyncInner {
            this: Weak::clone(this),
            demand: Demand::new(),
            upstream,
            upstream_done: AtomicBool::new(false),
            requested: AtomicU64::new(0),
            errors: ErrorSlot::new(),
            terminated: AtomicBool::new(false),
            ready: ReadySet::new(slots),
            f,
            drain: Drain::new(State {
                downstream: Some(downstream),
                incoming,
                in_flight: InFlight::new(slots),
                finished: Finished::new(options.ordered),
                next_seq: 0,
                emitted: Replenish::new(options.window() as u64),
            }),
        })
    }

    fn is_terminated(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `terminate`; only
        // a hint (late items are dropped by the closed drain anyway).
        self.terminated.load(Ordering::Acquire)
    }

    /// True once upstream signalled its end.
    fn is_upstream_done(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `upstream_ended`:
        // every item upstream queued before its end is visible (race 3).
        self.upstream_done.load(Ordering::Acquire)
    }

    /// Upstream completed or failed (its error recorded before this).
    fn upstream_ended(&self) {
        // Ordering: Release publishes the queued items and the recorded
        // error. Pairs with: the Acquire load in `is_upstream_done`.
        self.upstream_done.store(true, Ordering::Release);
        self.signal();
    }

    /// The waker of slot `index`.
    fn slot_waker(&self, index: usize) -> Waker {
        let this = self
            .this
            .upgrade()
            .expect("the operator is alive while it drains");
        slot_waker(this, index)
    }

    /// The drain loop: rounds until nothing is left to do and no signal was
    /// missed, or the stream ends.
    fn run(&self, mut entered: Entered<'_, State<S, T, Fut, O::Item>>) {
        loop {
            if let Stop::Terminated = self.round(entered.state()) {
                return entered.close();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    /// One round: poll the woken futures, start new ones, emit within
    /// demand, complete or fail, and ask upstream for more.
    fn round(&self, state: &mut State<S, T, Fut, O::Item>) -> Stop {
        // Race 4: a cancel or a request(0) first.
        if self.demand.is_cancelled() {
            return self.terminate(state, Ending::Cancel);
        }
        if self.errors.is_set() {
            return self.terminate(state, Ending::Fail);
        }
        // The woken futures. Each bit is taken before its future is polled,
        // so a wake during the poll is seen on the next round (race 1).
        for word in 0..self.ready.words() {
            let mut bits = self.ready.take(word);
            while bits != 0 {
                let index = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let polled = state.in_flight.poll(index);
                if let Err(error) = Self::settle(state, polled) {
                    return self.fail(state, error);
                }
            }
        }
        // B7: upstream's end before its queue (race 3).
        let upstream_done = self.is_upstream_done();
        while state.in_flight.has_room() {
            let Some(item) = state.incoming.pop() else {
                break;
            };
            let seq = state.next_seq;
            state.next_seq += 1;
            state.finished.started(seq);
            let f = &*self.f;
            let future = match guard(|| f(item)) {
                Ok(future) => future,
                Err(error) => return self.fail(state, error),
            };
            let polled = state
                .in_flight
                .start(future, seq, |index| self.slot_waker(index));
            if let Err(error) = Self::settle(state, polled) {
                return self.fail(state, error);
            }
        }
        let upstream_request = match self.emit(state) {
            Ok(n) => n,
            Err(stop) => return stop,
        };
        if upstream_done
            && state.incoming.is_empty()
            && state.in_flight.is_empty()
            && state.finished.is_empty()
        {
            return self.terminate(state, Ending::Complete);
        }
        // Asked while holding the drain: a synchronous upstream's items only
        // queue up and signal, and the next round starts their futures.
        // §2.3: never once upstream has ended (race 5).
        if upstream_request > 0 && !self.is_upstream_done() {
            // Ordering: Relaxed; grown before the request that announces it.
            self.requested
                .fetch_add(upstream_request, Ordering::Relaxed);
            self.upstream.request(upstream_request);
        }
        Stop::Idle
    }

    /// A finished future's result goes to the results; a failed or
    /// panicking one is the stream's error.
    #[inline]
    fn settle(
        state: &mut State<S, T, Fut, O::Item>,
        polled: Polled<Fut::Output>,
    ) -> Result<(), Error> {
        match polled {
            Polled::Pending => Ok(()),
            Polled::Ready { seq, output } => {
                state.finished.finished(seq, O::into_item(output)?);
                Ok(())
            }
            Polled::Panicked(error) => Err(error),
        }
    }

    /// Emits the finished results within the downstream's demand. Returns
    /// how much to ask of upstream for the results that left.
    fn emit(&self, state: &mut State<S, T, Fut, O::Item>) -> Result<u64, Stop> {
        let mut upstream_request = 0u64;
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            while emitted != requested {
                // §3.12: a cancel (or a request(0)) is seen before every item.
                if self.demand.is_cancelled() {
                    return Err(self.terminate(state, Ending::Cancel));
                }
                let Some(item) = state.finished.pop() else {
                    break;
                };
                // Every result that leaves frees room in the window, whether
                // the downstream keeps it or not.
                if let Some(n) = state.emitted.consumed_one() {
                    upstream_request += n;
                }
                let Some(downstream) = state.downstream.as_mut() else {
                    break;
                };
                // A result the downstream rejects costs no demand.
                if downstream.try_on_next(item) {
                    emitted += 1;
                }
            }
            if emitted == 0 || requested == UNBOUNDED {
                return Ok(upstream_request);
            }
            // Account, and go on if more demand arrived meanwhile.
            requested = self.demand.produced(emitted);
            emitted = 0;
            if requested == 0 {
                return Ok(upstream_request);
            }
        }
    }

    /// Records `error` and terminates with it.
    #[cold]
    fn fail(&self, state: &mut State<S, T, Fut, O::Item>, error: Error) -> Stop {
        self.errors.set(error);
        self.terminate(state, Ending::Fail)
    }

    /// Ends the stream: cancels upstream unless it ended (race 5), drops
    /// every future (with the slots' wakers), result and queued item, then
    /// signals downstream and drops it (§3.13).
    #[cold]
    fn terminate(&self, state: &mut State<S, T, Fut, O::Item>, ending: Ending) -> Stop {
        // Ordering: Release; only a hint. Pairs with: `is_terminated`.
        self.terminated.store(true, Ordering::Release);
        if ending.cancels_upstream() && !self.is_upstream_done() {
            self.upstream.cancel();
        }
        state.in_flight.clear();
        state.finished.clear();
        state.incoming.clear();
        ending.signal(state.downstream.take(), &self.demand, &self.errors);
        Stop::Terminated
    }
}

impl<S, F, T, Fut, O> WakeTarget for MapAsyncInner<S, F, T, Fut, O>
where
    S: Subscriber<O::Item> + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    T: Send + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    fn ready(&self) -> &ReadySet {
        &self.ready
    }

    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }
}

impl<S, F, T, Fut, O> Subscription for MapAsyncInner<S, F, T, Fut, O>
where
    S: Subscriber<O::Item> + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    T: Send + 'static,
    Fut: Future + Send + 'static,
    O: Outcome<Fut::Output>,
{
    fn request(&self, n: u64) {
        self.demand.request(n);
        self.signal();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.signal();
        }
    }
}
