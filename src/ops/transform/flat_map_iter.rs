//! `flat_map_iter`: maps each item to an iterable and emits the iterable's
//! items, in order, one iterable after the other (Reactor's
//! `flatMapIterable`, `Iterator::flat_map`).
//!
//! # Demand
//!
//! Counted in output items. `flat_map_iter` holds the current iterator
//! between requests and emits from it as demand arrives; it asks upstream for
//! one item at a time, and only when the current iterator is exhausted and
//! the downstream still wants more. So it never asks upstream for anything
//! the downstream has not asked for, and an iterable of any length costs no
//! buffering. Each iterator is advanced one item ahead of emission, so that
//! its end is known as soon as its last item has gone out: when upstream has
//! completed, completion follows the last item without waiting for more
//! demand. An error from upstream is delivered at once, dropping the rest of
//! the current iterator (as Reactor does).
//!
//! Threads: items are emitted on whichever thread holds the drain: the one
//! that delivers an upstream item, or the one that calls `request`.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: the downstream's outstanding demand and the cancelled
//! bit, which `request(0)` sets too (`demand.rs`).
//!
//! `drain: Drain<Option<Flattening>>`: the downstream, the consumer end of a
//! one-slot queue of upstream items, the closure, the current iterator with
//! its next item, and `outstanding` (one item requested upstream and not yet
//! taken). `None` once the stream has ended, so that all of it is dropped
//! (§3.13).
//!
//! `done: AtomicUsize` ([`RUNNING`], [`COMPLETED`] or [`FAILED`]) and
//! `error: Mutex<Option<Error>>`: upstream's terminal signal.
//!
//! The upstream-facing [`FlatMapIterSubscriber`] owns the producer end of
//! the queue.
//!
//! ## Field access rules
//! 1. `Flattening`: only the drainer (`drain.rs`). The subscriber's
//!    `on_subscribe` enters the drain before handing out the subscription, so
//!    a `request` from inside the downstream's `on_subscribe` only records
//!    demand.
//! 2. The queue: pushed only by upstream's signals (serial, §1.3), popped
//!    only by the drainer. At most one item is ever in flight, because the
//!    drainer requests 1 only when `outstanding` is false and the queue is
//!    empty; a push that finds the queue full is an upstream that ignored
//!    demand (§1.1): an overflow error.
//! 3. `error` is written before `done` is set to `FAILED` (Release), and
//!    read only after that was seen (Acquire).
//!
//! ## Races considered
//! 1. `request` vs an upstream item: the requester adds demand, the upstream
//!    signal pushes; each then tries to enter, and the drainer sees both
//!    (`drain.rs`, race 1).
//! 2. A synchronous upstream delivers from inside the drainer's own
//!    `request(1)`: the push succeeds, the `try_enter` fails (we hold the
//!    drain), and the drainer pops the item right after `request` returns.
//!    The recursion depth is 1 (§3.3).
//! 3. Completion vs the last item: upstream pushes its last item, then sets
//!    `done`. The drainer reads `done` *before* polling the queue and
//!    completes only if the queue was empty after that read, so an item
//!    pushed before `done` is never lost.
//! 4. `cancel` during drain: `cancel` sets the bit, cancels upstream, then
//!    tries to enter; the drainer checks the bit before every item, and
//!    whoever holds the drain when it is seen drops the iterator, the queue
//!    and the downstream (§3.13).

use core::fmt;

use crate::author::Demand;
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`flat_map_iter`](crate::PublisherExt::flat_map_iter)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct FlatMapIter<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for FlatMapIter<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlatMapIter")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for FlatMapIter<P, F> {
    fn clone(&self) -> Self {
        FlatMapIter {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> FlatMapIter<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        FlatMapIter {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, I> Publisher for FlatMapIter<P, F>
where
    P: Publisher,
    F: Fn(P::Item) -> I + Send + Sync + 'static,
    I: IntoIterator + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    type Item = I::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<I::Item> + 'static,
    {
        self.upstream.subscribe(FlatMapIterSubscriber {
            start: Some((subscriber, Arc::clone(&self.f))),
            inner: None,
            producer: None,
            done: false,
        });
    }
}

/// The drainer's state. See the module docs.
struct Flattening<S, F, T, I: IntoIterator> {
    downstream: S,
    queue: Consumer<T>,
    f: Arc<F>,
    /// The iterator being emitted, with its next item already pulled.
    current: Option<(I::IntoIter, I::Item)>,
    /// One item requested upstream and not yet taken from the queue.
    outstanding: bool,
}

/// `FlatMapIterInner::done`: upstream has not terminated.
const RUNNING: usize = 0;
/// `FlatMapIterInner::done`: upstream completed.
const COMPLETED: usize = 1;
/// `FlatMapIterInner::done`: upstream failed (or overflowed); the error is in
/// `FlatMapIterInner::error`.
const FAILED: usize = 2;

/// The subscription `flat_map_iter` hands downstream, shared with its
/// upstream-facing subscriber.
struct FlatMapIterInner<S, F, T, I: IntoIterator> {
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    done: AtomicUsize,
    error: Mutex<Option<Error>>,
    drain: Drain<Option<Flattening<S, F, T, I>>>,
}

/// How a drain round ended.
enum Stop {
    /// Demand is used up, or an upstream item is awaited: leave the drain.
    Idle,
    /// Cancelled, or `request(0)` (the cancelled bit is set).
    Cancelled,
    /// Upstream completed, or failed.
    End(Result<(), Error>),
    /// The closure or the iterator panicked: cancel upstream, then fail.
    Fail(Error),
}

impl<S, F, T, I> FlatMapIterInner<S, F, T, I>
where
    S: Subscriber<I::Item>,
    F: Fn(T) -> I,
    I: IntoIterator,
{
    /// Enters the drain if it is free and runs it.
    #[inline]
    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// The drain loop: rounds until nothing is left to do, then leaves.
    fn run(&self, mut entered: Entered<'_, Option<Flattening<S, F, T, I>>>) {
        loop {
            let stop = match entered.state() {
                Some(state) => self.round(state),
                None => return entered.close(),
            };
            let end = match stop {
                Stop::Idle => match entered.leave() {
                    Some(again) => {
                        entered = again;
                        continue;
                    }
                    None => return,
                },
                Stop::Cancelled => {
                    // §3.9: a request(0) set the bit too; then upstream has
                    // not been cancelled yet.
                    self.upstream.cancel();
                    match self.demand.take_invalid() {
                        Some(error) => Err(error),
                        None => {
                            // §3.13: drop the iterator, queue and downstream.
                            drop(entered.state().take());
                            return entered.close();
                        }
                    }
                }
                Stop::Fail(error) => {
                    self.demand.cancel();
                    self.upstream.cancel();
                    Err(error)
                }
                Stop::End(end) => end,
            };
            let state = entered.state().take();
            entered.close();
            if let Some(Flattening {
                mut downstream,
                queue,
                current,
                ..
            }) = state
            {
                drop((queue, current));
                match end {
                    Ok(()) => downstream.on_complete(),
                    Err(error) => downstream.on_error(error),
                }
            }
            return;
        }
    }

    /// Emits within the current demand, pulling iterators and upstream items
    /// as needed.
    fn round(&self, state: &mut Flattening<S, F, T, I>) -> Stop {
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            let waiting = loop {
                // §3.12: a cancel (or a request(0)) is seen before every item.
                if self.demand.is_cancelled() {
                    return Stop::Cancelled;
                }
                // Ordering: Acquire pairs with the Release store in
                // `FlatMapIterSubscriber::end`: `error` is visible, and so is
                // every item pushed before it (race 3).
                let done = self.done.load(Ordering::Acquire);
                if done == FAILED {
                    // Errors are delivered at once, dropping what is left.
                    if let Some(error) = self.error.lock().take() {
                        return Stop::End(Err(error));
                    }
                }
                if let Some((mut iter, item)) = state.current.take() {
                    if emitted == requested {
                        state.current = Some((iter, item));
                        break false;
                    }
                    // A rejected item (a filter said no) does not count
                    // against demand.
                    emitted += u64::from(state.downstream.try_on_next(item));
                    match guard(|| iter.next()) {
                        Ok(Some(next)) => state.current = Some((iter, next)),
                        Ok(None) => {}
                        Err(error) => return Stop::Fail(error),
                    }
                    continue;
                }
                // `done` was read before this poll (race 3).
                if let Some(item) = state.queue.pop() {
                    state.outstanding = false;
                    let f = &state.f;
                    match guard(|| {
                        let mut iter = f(item).into_iter();
                        let first = iter.next();
                        first.map(|first| (iter, first))
                    }) {
                        Ok(current) => state.current = current,
                        Err(error) => return Stop::Fail(error),
                    }
                    continue;
                }
                if done == COMPLETED {
                    return Stop::End(Ok(()));
                }
                if emitted == requested || state.outstanding {
                    break true;
                }
                // The iterator is exhausted and the downstream wants more:
                // one item from upstream. A synchronous upstream delivers it
                // from inside this call, into the queue (race 2).
                state.outstanding = true;
                self.upstream.request(1);
            };
            // Account for what was delivered, and carry on if more demand
            // arrived meanwhile (from inside on_next, or from elsewhere).
            requested = self.demand.produced(emitted);
            emitted = 0;
            if requested == 0 || waiting {
                return Stop::Idle;
            }
        }
    }
}

impl<S, F, T, I> Subscription for FlatMapIterInner<S, F, T, I>
where
    S: Subscriber<I::Item> + 'static,
    F: Fn(T) -> I + Send + Sync + 'static,
    T: Send + 'static,
    I: IntoIterator + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n);
        self.signal();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.upstream.cancel();
            self.signal();
        }
    }
}

/// `flat_map_iter`'s subscriber to upstream: pushes each item into the
/// drainer's one-slot queue.
pub(crate) struct FlatMapIterSubscriber<S, F, T, I: IntoIterator> {
    /// The downstream and the closure, until `on_subscribe`.
    start: Option<(S, Arc<F>)>,
    inner: Option<Arc<FlatMapIterInner<S, F, T, I>>>,
    producer: Option<Producer<T>>,
    done: bool,
}

impl<S, F, T, I> FlatMapIterSubscriber<S, F, T, I>
where
    S: Subscriber<I::Item>,
    F: Fn(T) -> I,
    I: IntoIterator,
{
    /// Records upstream's terminal signal and lets the drainer deliver it.
    fn end(&mut self, error: Option<Error>) {
        if self.done {
            return;
        }
        self.done = true;
        if let Some(inner) = &self.inner {
            let done = match error {
                Some(error) => {
                    *inner.error.lock() = Some(error);
                    FAILED
                }
                None => COMPLETED,
            };
            // Ordering: Release publishes `error` and every item pushed
            // before. Pairs with: the Acquire load in `round`.
            inner.done.store(done, Ordering::Release);
            inner.signal();
        }
    }
}

impl<S, F, T, I> Subscriber<T> for FlatMapIterSubscriber<S, F, T, I>
where
    S: Subscriber<I::Item> + 'static,
    F: Fn(T) -> I + Send + Sync + 'static,
    T: Send + 'static,
    I: IntoIterator + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some((downstream, f)) = self.start.take() else {
            subscription.cancel(); // §2.5
            return;
        };
        let (producer, queue) = spsc(1);
        let inner = Arc::new(FlatMapIterInner {
            demand: Demand::new(),
            upstream: subscription,
            done: AtomicUsize::new(RUNNING),
            error: Mutex::new(None),
            drain: Drain::new(Some(Flattening {
                downstream,
                queue,
                f,
                current: None,
                outstanding: false,
            })),
        });
        self.producer = Some(producer);
        self.inner = Some(Arc::clone(&inner));
        // Nobody else holds `inner` yet, so this always enters.
        let Some(mut entered) = inner.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(state) = entered.state() {
            // §1.9: on_subscribe first; a request inside it only records
            // demand, which `run` serves (§3.3).
            state
                .downstream
                .on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        }
        inner.run(entered);
    }

    fn on_next(&mut self, item: T) {
        if self.done {
            return;
        }
        let (Some(inner), Some(producer)) = (&self.inner, &mut self.producer) else {
            return;
        };
        if producer.push(item).is_err() {
            // We never request more than the one slot holds (access rule 2).
            inner.upstream.cancel();
            return self.end(Some(Error::overflow(
                "flat_map_iter: upstream emitted more items than requested (§1.1)",
            )));
        }
        inner.signal();
    }

    fn on_error(&mut self, error: Error) {
        self.end(Some(error));
    }

    fn on_complete(&mut self) {
        self.end(None);
    }
}
