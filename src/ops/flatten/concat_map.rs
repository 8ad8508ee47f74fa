//! `concat_map`: maps each item to a publisher (an "inner") and emits the
//! inners' items one inner after the other, in upstream order.
//!
//! Upstream items wait in a queue; the next one is mapped and its inner
//! subscribed only when the previous inner has completed and its items were
//! delivered.
//!
//! # Demand
//!
//! Upstream is asked for `prefetch` items at first, then for 75% of
//! `prefetch` more each time that many were taken from the queue, so at most
//! `prefetch` upstream items wait. The current inner is asked for what the
//! downstream still wants, but never for more than `prefetch` items in flight
//! (in batches at 75% of `prefetch` once the downstream wants more): demand
//! the downstream made and an inner did not use carries over to the next
//! inner, and an inner is never asked for items nobody wants. An item the
//! downstream rejects through [`try_on_next`](crate::Subscriber::try_on_next)
//! costs no demand.
//!
//! An inner that is one of this crate's synchronous sources (`range`,
//! `from_iter`, `just`, `empty`, `error`, `generate`) is not subscribed: it
//! is *fused*, pulled inside the drain one item at a time within the
//! downstream's demand, with no subscription, no queue and nothing requested
//! of it (`benches/ops_flatten.rs`).
//!
//! Threads: runs on whichever thread signals. The next inner is mapped and
//! subscribed by the thread that holds the drain when the previous one is
//! done (for a synchronous chain, the caller of `subscribe` or `request`). An
//! inner's item is delivered on the inner's thread when nothing else is being
//! delivered and the downstream has demand; otherwise the drain's holder
//! delivers it. Never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! In [`ConcatMapMain`], shared by the downstream's subscription, the upstream
//! subscriber and the current inner's subscriber:
//! - `demand: Demand`: the downstream's outstanding requests and the
//!   cancelled bit (`demand.rs`).
//! - `upstream_done: AtomicBool`: upstream completed; set once.
//! - `errors: ErrorSlot`: the first error (`inner.rs`).
//! - `terminated: AtomicBool`: set once by the drainer that ended the stream;
//!   a hint that lets late upstream items be dropped early.
//! - `drain: Drain<State>`: the downstream, the consumer of the upstream
//!   items' queue with its replenishing counter, and the current inner:
//!   subscribed (`Active` in `inner.rs`: its link, queue, and the arbiter's
//!   counts) or fused (its source).
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only (`drain.rs`); the upstream
//!    subscriber's `on_subscribe` enters it first (§1.9).
//! 2. The upstream items' queue: pushed only by the upstream subscriber (§1.3
//!    makes it one producer), popped only by the drainer.
//! 3. Inner publishers are mapped and subscribed only by the drainer, and
//!    only when there is no current inner, so one inner at a time is live.
//! 4. The current inner's queue: as in `inner.rs` (rules 2 and 4).
//!
//! ## Races considered
//! 1. `request` against inner emission: as in `flat_map` (race 1): an item
//!    that finds the drain busy is queued, then the inner signals again; the
//!    holder delivers it before leaving.
//! 2. Recursion: the next inner is subscribed *inside* the drain. A
//!    synchronous inner then finds the drain busy, queues what it was asked
//!    for (at most `prefetch`), and its completion only bumps the drain's
//!    counter, so the drain loop moves from inner to inner iteratively, never
//!    recursing per inner (§3.3). A fused inner is never subscribed at all:
//!    the drain loop pulls it.
//! 3. `cancel` during drain: the drainer checks the bit before every item;
//!    whoever sees it cancels upstream and the current inner, drops both
//!    queues and the downstream (§3.13), and closes the drain.
//! 4. Completion against the last item: the current inner is finished only
//!    when its `done` was seen before its queue was found empty (`inner.rs`,
//!    race 1); the stream completes only when upstream's `done`, loaded
//!    before the upstream queue is polled (B7), is set, the queue is empty and
//!    no inner is current.
//! 5. An error against emission: recorded in `errors`, checked before every
//!    item and every round: delivered at once, after cancelling everything.

use core::fmt;

use crate::author::pull::{Pull, Step as PullStep};
use crate::author::{Demand, Replenish};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::inner::{
    Active, Ending, ErrorSlot, InnerLink, InnerQueue, InnerSubscriber, Parent, Phase, Step,
};
use crate::queue::clamp_capacity;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Weak};
use crate::traits::{Fused, FusedSource, Publisher, Subscriber, Subscription};

/// The default number of upstream items queued (Reactor's
/// `Queues.XS_BUFFER_SIZE`).
#[cfg(not(reactive_streams_loom))]
pub(crate) const DEFAULT_PREFETCH: usize = 32;
/// Shrunk under loom: changes no logic, lets a model fill the queue.
#[cfg(reactive_streams_loom)]
pub(crate) const DEFAULT_PREFETCH: usize = 2;

/// Publisher for the [`concat_map`](crate::PublisherExt::concat_map) and
/// [`concat_map_with`](crate::PublisherExt::concat_map_with) methods.
#[must_use = "publishers do nothing until subscribed"]
pub struct ConcatMap<P, F> {
    upstream: P,
    f: Arc<F>,
    prefetch: usize,
}

impl<P: fmt::Debug, F> fmt::Debug for ConcatMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcatMap")
            .field("upstream", &self.upstream)
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for ConcatMap<P, F> {
    fn clone(&self) -> Self {
        ConcatMap {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
            prefetch: self.prefetch,
        }
    }
}

impl<P, F> ConcatMap<P, F> {
    /// # Panics
    ///
    /// If `prefetch` is 0. A `prefetch` above
    /// [`MAX_CAPACITY`](crate::MAX_CAPACITY) is clamped to it.
    pub(crate) fn new(upstream: P, f: F, prefetch: usize) -> Self {
        assert!(prefetch > 0, "concat_map: prefetch must be at least 1");
        ConcatMap {
            upstream,
            f: Arc::new(f),
            prefetch: clamp_capacity(prefetch),
        }
    }
}

impl<P, F, Q> Publisher for ConcatMap<P, F>
where
    P: Publisher,
    F: Fn(P::Item) -> Q + Send + Sync + 'static,
    Q: Publisher,
{
    type Item = Q::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Q::Item> + 'static,
    {
        self.upstream.subscribe(ConcatMapSubscriber {
            phase: Phase::Pending(subscriber),
            f: Arc::clone(&self.f),
            prefetch: self.prefetch,
        });
    }
}

/// `concat_map`'s subscriber to upstream: queues the upstream items.
pub(crate) struct ConcatMapSubscriber<S, F, T, U> {
    phase: Phase<S, Running<T, U, S, F>>,
    f: Arc<F>,
    prefetch: usize,
}

/// The active phase: the shared state, and the producing end of the queue of
/// upstream items.
type Running<T, U, S, F> = (Arc<ConcatMapMain<T, U, S, F>>, Producer<T>);

impl<S, F, T, Q, U> Subscriber<T> for ConcatMapSubscriber<S, F, T, U>
where
    S: Subscriber<U> + 'static,
    F: Fn(T) -> Q + Send + Sync + 'static,
    Q: Publisher<Item = U>,
    T: Send + 'static,
    U: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some(downstream) = self.phase.take_pending(&subscription) else {
            return; // a second subscription, cancelled (§2.5)
        };
        let (producer, consumer) = spsc(self.prefetch);
        let main = Arc::new_cyclic(|me| ConcatMapMain {
            me: Weak::clone(me),
            demand: Demand::new(),
            upstream: Arc::clone(&subscription),
            upstream_done: AtomicBool::new(false),
            errors: ErrorSlot::new(),
            terminated: AtomicBool::new(false),
            f: Arc::clone(&self.f),
            prefetch: self.prefetch,
            drain: Drain::new(State {
                downstream: Some(downstream),
                queue: consumer,
                consumed: Replenish::new(self.prefetch as u64),
                current: None,
            }),
        });
        // Nobody else holds `main` yet, so this always enters (rule 1).
        let Some(mut entered) = main.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state().downstream.as_mut() {
            // §1.9: on_subscribe first; a request inside it only records demand.
            downstream.on_subscribe(Arc::clone(&main) as Arc<dyn Subscription>);
        }
        main.run(entered);
        let terminated = main.is_terminated();
        self.phase = Phase::Active((main, producer));
        if !terminated {
            subscription.request(self.prefetch as u64);
        }
    }

    fn on_next(&mut self, item: T) {
        let Phase::Active((main, producer)) = &mut self.phase else {
            return; // §2.8: late items after a terminal signal are dropped
        };
        if main.is_terminated() {
            return;
        }
        if producer.push(item).is_err() {
            main.errors.set(Error::overflow(
                "concat_map: upstream sent more items than requested (§1.1)",
            ));
        }
        // After the push, so the drainer sees it (race 1).
        main.signal();
    }

    fn on_error(&mut self, error: Error) {
        if let Some((main, _)) = self.phase.finish() {
            main.errors.set(error);
            main.signal();
        }
    }

    fn on_complete(&mut self) {
        if let Some((main, _)) = self.phase.finish() {
            // Ordering: Release publishes the items pushed before it. Pairs
            // with: the Acquire load in `round` (race 4).
            main.upstream_done.store(true, Ordering::Release);
            main.signal();
        }
    }
}

/// One subscription's shared state. See the module docs.
pub(crate) struct ConcatMapMain<T, U, S, F> {
    /// Itself, for the inner subscribers it makes (they hold an `Arc`).
    me: Weak<Self>,
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    upstream_done: AtomicBool,
    errors: ErrorSlot,
    terminated: AtomicBool,
    f: Arc<F>,
    prefetch: usize,
    drain: Drain<State<T, U, S>>,
}

struct State<T, U, S> {
    /// `None` once terminated or cancelled, so it is dropped (§3.13).
    downstream: Option<S>,
    /// Upstream items waiting for their turn.
    queue: Consumer<T>,
    /// Counts upstream items taken; says when to ask upstream for more.
    consumed: Replenish,
    /// The inner being drained, if any (rule 3).
    current: Option<Current<U>>,
}

/// The inner being drained.
enum Current<U> {
    /// Subscribed: its items come through its subscriber and its queue.
    Subscribed(Active<U>),
    /// One of the crate's synchronous sources, run inside the drain
    /// (`Publisher::fused_source`): pulled within the downstream's demand,
    /// with no subscription and no queue.
    Fused(FusedSource<U>),
}

/// How a fused inner's turn ended.
enum FusedTurn {
    /// The downstream's demand is used up; wait for a request.
    Idle,
    /// It completed; its unused demand carries over to the next inner.
    Ended,
    /// A cancel or an error (maybe its own, now recorded) stopped it.
    Stopped,
}

/// How a drain round ended.
enum Stop {
    Idle,
    Terminated,
}

impl<T, U, S, F, Q> ConcatMapMain<T, U, S, F>
where
    T: Send + 'static,
    U: Send + 'static,
    S: Subscriber<U> + 'static,
    F: Fn(T) -> Q + Send + Sync + 'static,
    Q: Publisher<Item = U>,
{
    fn is_terminated(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `shutdown`; only a
        // hint.
        self.terminated.load(Ordering::Acquire)
    }

    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, State<T, U, S>>) {
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

    fn round(&self, state: &mut State<T, U, S>) -> Stop {
        let cap = self.prefetch as u64;
        loop {
            if self.demand.is_cancelled() {
                return self.end(state, Ending::Cancel);
            }
            if self.errors.is_set() {
                return self.end(state, Ending::Fail);
            }
            let Some(downstream) = state.downstream.as_mut() else {
                return Stop::Terminated;
            };
            match state.current.as_mut() {
                Some(Current::Subscribed(active)) => {
                    match active.drain(downstream, &self.demand, &self.errors, cap) {
                        Step::Idle => return Stop::Idle,
                        Step::Stopped => continue,
                        Step::Overflow => {
                            self.inner_overflow();
                            continue;
                        }
                        Step::Finished => {
                            if let Some(Current::Subscribed(finished)) = state.current.take() {
                                finished.finish();
                            }
                        }
                    }
                }
                Some(Current::Fused(source)) => match self.emit_fused(downstream, source) {
                    FusedTurn::Idle => return Stop::Idle,
                    FusedTurn::Stopped => continue,
                    FusedTurn::Ended => state.current = None,
                },
                None => {}
            }
            // No current inner: start the next one. B7, race 4: upstream's
            // `done` before polling its queue.
            let upstream_done = self.upstream_done.load(Ordering::Acquire);
            let Some(item) = state.queue.pop() else {
                if upstream_done {
                    return self.end(state, Ending::Complete);
                }
                return Stop::Idle;
            };
            if let Some(n) = state.consumed.consumed_one() {
                if !upstream_done {
                    self.upstream.request(n);
                }
            }
            let f = &self.f;
            match (guard(|| f(item)), self.me.upgrade()) {
                (Ok(inner), Some(me)) => {
                    // A synchronous source runs inside the drain, unsubscribed.
                    if let Some(source) = inner.fused_source(Fused(())) {
                        state.current = Some(Current::Fused(source));
                        continue;
                    }
                    let link = Arc::new(InnerLink::new());
                    state.current = Some(Current::Subscribed(Active::new(Arc::clone(&link))));
                    // Inside the drain (race 2): whatever the inner signals
                    // while subscribing is queued or recorded, and handled
                    // when this loop goes round.
                    inner.subscribe(InnerSubscriber::new(me, link, self.prefetch));
                }
                (Err(error), _) => self.errors.set(error),
                // Unreachable: whoever called into `self` holds an `Arc`.
                (Ok(_), None) => return Stop::Idle,
            }
        }
    }

    /// Pulls the fused current inner's items within the downstream's demand.
    fn emit_fused(&self, downstream: &mut S, source: &mut FusedSource<U>) -> FusedTurn {
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            if emitted == requested {
                // Account, and carry on if more demand arrived meanwhile.
                if emitted > 0 {
                    requested = self.demand.produced(emitted);
                    emitted = 0;
                    if requested > 0 {
                        continue;
                    }
                }
                // No demand: finish an inner with nothing left, so that the
                // next one starts (and an empty stream completes) without
                // waiting for demand (§1.5).
                return match source.finished() {
                    None => FusedTurn::Idle,
                    Some(Ok(())) => FusedTurn::Ended,
                    Some(Err(error)) => {
                        self.errors.set(error);
                        FusedTurn::Stopped
                    }
                };
            }
            // §3.12, race 5: a cancel or an error is seen before every item.
            if self.demand.is_cancelled() || self.errors.is_set() {
                return FusedTurn::Stopped;
            }
            match source.next() {
                PullStep::Next(item) => {
                    if downstream.try_on_next(item) {
                        emitted += 1;
                    }
                }
                // Not from a fused source (`FusedSource`); handled as the
                // pull engine does: nothing for now.
                PullStep::Pending => {
                    if emitted > 0 {
                        self.demand.produced(emitted);
                    }
                    return FusedTurn::Idle;
                }
                PullStep::End(Ok(())) => {
                    if emitted > 0 {
                        self.demand.produced(emitted);
                    }
                    return FusedTurn::Ended;
                }
                PullStep::End(Err(error)) => {
                    self.errors.set(error);
                    return FusedTurn::Stopped;
                }
            }
        }
    }

    /// Ends the stream: cancels the current inner and drops both queues
    /// (§3.13).
    fn shutdown(&self, state: &mut State<T, U, S>, cancel_upstream: bool) {
        // Ordering: Release; a hint for `is_terminated`. Pairs with: its
        // Acquire load.
        self.terminated.store(true, Ordering::Release);
        if cancel_upstream {
            self.upstream.cancel();
        }
        // A fused inner is simply dropped: it has no subscription.
        if let Some(Current::Subscribed(active)) = state.current.take() {
            active.link.cancel();
        }
        state.queue.clear();
    }

    /// Ends the stream: shuts everything down (cancelling upstream unless it
    /// completed), then signals `ending` downstream.
    #[cold]
    fn end(&self, state: &mut State<T, U, S>, ending: Ending) -> Stop {
        self.shutdown(state, ending.cancels_upstream());
        ending.signal(state.downstream.take(), &self.demand, &self.errors);
        Stop::Terminated
    }
}

impl<T, U, S, F, Q> Parent<U> for ConcatMapMain<T, U, S, F>
where
    T: Send + 'static,
    U: Send + 'static,
    S: Subscriber<U> + 'static,
    F: Fn(T) -> Q + Send + Sync + 'static,
    Q: Publisher<Item = U>,
{
    fn inner_subscribed(
        this: &Arc<Self>,
        _link: &Arc<InnerLink<U>>,
        _subscription: &Arc<dyn Subscription>,
    ) {
        // The drainer asks the new inner for what the downstream wants.
        this.signal();
    }

    fn inner_next(this: &Arc<Self>, link: &Arc<InnerLink<U>>, queue: &mut InnerQueue<U>, item: U) {
        let Some(mut entered) = this.drain.try_enter() else {
            // Race 1: queue it for the holder, then signal after the push.
            if queue.push_handoff(item, link).is_err() {
                this.inner_overflow();
            }
            return this.signal();
        };
        let state = entered.state();
        let offered = match (state.current.as_mut(), state.downstream.as_mut()) {
            (Some(Current::Subscribed(active)), Some(downstream))
                if Arc::ptr_eq(&active.link, link) =>
            {
                active.offer(
                    item,
                    queue,
                    downstream,
                    &this.demand,
                    &this.errors,
                    this.prefetch as u64,
                )
            }
            _ => true, // not the current inner (cannot happen while it is live)
        };
        if !offered {
            this.inner_overflow();
            return this.run(entered);
        }
        if let Some(again) = entered.leave() {
            this.run(again);
        }
    }

    fn inner_error(this: &Arc<Self>, _link: &Arc<InnerLink<U>>, error: Error) {
        this.errors.set(error);
        this.signal();
    }

    fn inner_complete(this: &Arc<Self>, _link: &Arc<InnerLink<U>>) {
        this.signal();
    }
}

impl<T, U, S, F> ConcatMapMain<T, U, S, F> {
    #[cold]
    fn inner_overflow(&self) {
        self.errors.set(Error::overflow(
            "concat_map: an inner publisher sent more items than requested (§1.1)",
        ));
    }
}

impl<T, U, S, F, Q> Subscription for ConcatMapMain<T, U, S, F>
where
    T: Send + 'static,
    U: Send + 'static,
    S: Subscriber<U> + 'static,
    F: Fn(T) -> Q + Send + Sync + 'static,
    Q: Publisher<Item = U>,
{
    fn request(&self, n: u64) {
        self.demand.request(n); // §3.9 for n == 0: the drainer signals it
        self.signal();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.signal();
        }
    }
}
