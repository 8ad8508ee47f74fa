//! `switch_map`: maps each item to a publisher (an "inner") and emits the
//! items of the latest inner only: each upstream item cancels the current
//! inner and subscribes the new one.
//!
//! # Demand
//!
//! Upstream is asked for everything ([`UNBOUNDED`](crate::UNBOUNDED)) at
//! once: an upstream item never waits, it replaces the current inner, so
//! nothing accumulates. The current inner is asked for what the downstream
//! still wants, never for more than 32 items in flight (in batches at 75% of
//! that once the downstream wants more). When an item switches to a new
//! inner, the new inner is asked for the demand the old one left unused; the
//! old one's undelivered items are dropped and cost no demand. An item the
//! downstream rejects through [`try_on_next`](crate::Subscriber::try_on_next)
//! costs no demand.
//!
//! Threads: runs on whichever thread signals. A new inner is subscribed on
//! the thread that delivered its upstream item. An inner's item is delivered
//! on the inner's thread when nothing else is being delivered and the
//! downstream has demand; otherwise the drain's holder delivers it. Never
//! spawns.
//!
//! # Implementation notes
//!
//! ## State
//! In [`SwitchMapMain`], shared by the downstream's subscription, the
//! upstream subscriber and the inner subscribers:
//! - `demand: Demand`: the downstream's outstanding requests and the
//!   cancelled bit (`demand.rs`).
//! - `upstream_done: AtomicBool`: upstream completed; set once.
//! - `errors: ErrorSlot`: the first error (`inner.rs`).
//! - `terminated: AtomicBool`: set once by the drainer that ended the stream;
//!   a hint.
//! - `latest: Mutex<Latest>`: the link of the latest inner, and `closed` once
//!   the stream ended; `switched: AtomicBool` says `latest` changed since the
//!   drainer last looked, so that it takes the lock only then.
//! - `drain: Drain<State>`: the downstream and the current inner (`Active`
//!   in `inner.rs`): the latest inner as the drainer last saw it.
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only (`drain.rs`); the upstream
//!    subscriber's `on_subscribe` enters it first (§1.9).
//! 2. `latest.link` is replaced only by the upstream subscriber (serial,
//!    §1.3), under the lock and only while not `closed`; `switched` is stored
//!    `true` under the lock after it, and `false` under the lock by the
//!    drainer that reads it.
//! 3. The drainer delivers only the items of its `current` inner, and makes
//!    `current` the latest inner whenever `switched` is set, before it
//!    delivers anything.
//!
//! ## Races considered
//! 1. A switch against an inner emission (the generation check): the
//!    upstream subscriber replaces `latest`, *then* cancels the old inner,
//!    *then* signals. An old inner's item that arrives after its cancel is
//!    dropped by its subscriber. One that arrives before, and finds the drain
//!    free, is delivered only if the drainer (the inner's own thread) still
//!    finds the old inner current after catching up with `latest` (rule 3);
//!    otherwise it is dropped. One that was queued is dropped with the old
//!    inner's queue when the drainer switches `current`. So once the switch
//!    is seen, no item of an older inner reaches the downstream.
//! 2. `request` against inner emission: as in `flat_map` (race 1).
//! 3. `cancel` during drain: the drainer checks the bit before every item;
//!    whoever sees it cancels upstream and the latest inner, closes `latest`
//!    (a later upstream item then cancels its own new inner), drops the queue
//!    and the downstream (§3.13), and closes the drain.
//! 4. Completion against the last item: the stream completes only when
//!    upstream's `done`, loaded before catching up with `latest` (B7), is
//!    set and the current inner finished (its `done` seen before its queue
//!    was found empty, `inner.rs` race 1), or there never was one.
//! 5. An error against emission: recorded in `errors`, checked before every
//!    item and every round; delivered at once after cancelling everything.
//!    An error from an inner that was already replaced is dropped.

use core::fmt;

use crate::author::{Demand, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::inner::{
    Active, Ending, ErrorSlot, InnerLink, InnerQueue, InnerSubscriber, Parent, Phase, Step,
};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The most items requested of an inner and not yet delivered.
#[cfg(not(reactive_streams_loom))]
pub(crate) const INNER_PREFETCH: usize = 32;
/// Shrunk under loom: changes no logic, lets a model fill a queue.
#[cfg(reactive_streams_loom)]
pub(crate) const INNER_PREFETCH: usize = 2;

/// Publisher for the [`switch_map`](crate::PublisherExt::switch_map) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct SwitchMap<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for SwitchMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SwitchMap")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for SwitchMap<P, F> {
    fn clone(&self) -> Self {
        SwitchMap {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> SwitchMap<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        SwitchMap {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, Q> Publisher for SwitchMap<P, F>
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
        self.upstream.subscribe(SwitchMapSubscriber {
            phase: Phase::Pending(subscriber),
            f: Arc::clone(&self.f),
        });
    }
}

/// `switch_map`'s subscriber to upstream: maps each item and switches to its
/// inner.
pub(crate) struct SwitchMapSubscriber<S, F, U> {
    phase: Phase<S, Arc<SwitchMapMain<U, S>>>,
    f: Arc<F>,
}

impl<S, F, T, Q, U> Subscriber<T> for SwitchMapSubscriber<S, F, U>
where
    S: Subscriber<U> + 'static,
    F: Fn(T) -> Q + Send + Sync,
    Q: Publisher<Item = U>,
    U: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some(downstream) = self.phase.take_pending(&subscription) else {
            return; // a second subscription, cancelled (§2.5)
        };
        let main = Arc::new(SwitchMapMain {
            demand: Demand::new(),
            upstream: Arc::clone(&subscription),
            upstream_done: AtomicBool::new(false),
            errors: ErrorSlot::new(),
            terminated: AtomicBool::new(false),
            latest: Mutex::new(Latest {
                link: None,
                closed: false,
            }),
            switched: AtomicBool::new(false),
            drain: Drain::new(State {
                downstream: Some(downstream),
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
        self.phase = Phase::Active(main);
        if !terminated {
            subscription.request(UNBOUNDED);
        }
    }

    fn on_next(&mut self, item: T) {
        let Phase::Active(main) = &self.phase else {
            return; // §2.8: late items after a terminal signal are dropped
        };
        if main.is_terminated() {
            return;
        }
        let f = &self.f;
        let inner = match guard(|| f(item)) {
            Ok(inner) => inner,
            Err(error) => {
                main.errors.set(error);
                main.signal();
                self.phase = Phase::Done;
                return;
            }
        };
        let link = Arc::new(InnerLink::new());
        if main.switch_to(&link) && !link.is_cancelled() {
            inner.subscribe(InnerSubscriber::new(Arc::clone(main), link, INNER_PREFETCH));
        }
    }

    fn on_error(&mut self, error: Error) {
        if let Some(main) = self.phase.finish() {
            main.errors.set(error);
            main.signal();
        }
    }

    fn on_complete(&mut self) {
        if let Some(main) = self.phase.finish() {
            // Ordering: Release publishes every switch made before it. Pairs
            // with: the Acquire load in `round` (race 4).
            main.upstream_done.store(true, Ordering::Release);
            main.signal();
        }
    }
}

/// One subscription's shared state. See the module docs.
pub(crate) struct SwitchMapMain<U, S> {
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    upstream_done: AtomicBool,
    errors: ErrorSlot,
    terminated: AtomicBool,
    latest: Mutex<Latest<U>>,
    switched: AtomicBool,
    drain: Drain<State<U, S>>,
}

/// The latest inner (rule 2).
struct Latest<U> {
    link: Option<Arc<InnerLink<U>>>,
    closed: bool,
}

struct State<U, S> {
    /// `None` once terminated or cancelled, so it is dropped (§3.13).
    downstream: Option<S>,
    /// The latest inner as last seen, until it finished (rule 3).
    current: Option<Active<U>>,
}

/// How a drain round ended.
enum Stop {
    Idle,
    Terminated,
}

impl<U, S> SwitchMapMain<U, S>
where
    U: Send + 'static,
    S: Subscriber<U> + 'static,
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

    fn run(&self, mut entered: Entered<'_, State<U, S>>) {
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

    /// Makes `link` the latest inner and cancels the previous one (race 1).
    /// Returns false when the stream is over: then the inner must not be
    /// subscribed.
    fn switch_to(&self, link: &Arc<InnerLink<U>>) -> bool {
        let previous = {
            let mut latest = self.latest.lock();
            if latest.closed {
                return false;
            }
            let previous = latest.link.replace(Arc::clone(link));
            // Ordering: Release publishes the new link. Pairs with: the
            // Acquire load in `catch_up`.
            self.switched.store(true, Ordering::Release);
            previous
        };
        // After the replacement, outside the lock (cancel is user code).
        if let Some(previous) = previous {
            previous.cancel();
        }
        // After the replacement, so the drainer sees it (rule 3).
        self.signal();
        true
    }

    /// Makes `current` the latest inner, if it changed (rule 3). The old
    /// one's queued items are dropped with it.
    fn catch_up(&self, state: &mut State<U, S>) {
        // Ordering: Acquire pairs with the Release store in `switch_to`.
        if !self.switched.load(Ordering::Acquire) {
            return;
        }
        let latest = {
            let latest = self.latest.lock();
            // Relaxed: under the lock (rule 2).
            self.switched.store(false, Ordering::Relaxed);
            latest.link.clone()
        };
        let Some(latest) = latest else { return };
        let same = matches!(&state.current, Some(current) if Arc::ptr_eq(&current.link, &latest));
        if !same {
            if let Some(replaced) = state.current.replace(Active::new(latest)) {
                // `switch_to` cancels it too; whichever comes first does it.
                replaced.link.cancel();
            }
        }
    }

    fn round(&self, state: &mut State<U, S>) -> Stop {
        loop {
            if self.demand.is_cancelled() {
                return self.end(state, Ending::Cancel);
            }
            if self.errors.is_set() {
                return self.end(state, Ending::Fail);
            }
            // B7, race 4: upstream's `done` before catching up with `latest`.
            let upstream_done = self.upstream_done.load(Ordering::Acquire);
            self.catch_up(state);
            let Some(downstream) = state.downstream.as_mut() else {
                return Stop::Terminated;
            };
            if let Some(active) = state.current.as_mut() {
                match active.drain(
                    downstream,
                    &self.demand,
                    &self.errors,
                    INNER_PREFETCH as u64,
                ) {
                    Step::Idle => return Stop::Idle,
                    Step::Stopped => continue,
                    Step::Overflow => {
                        self.inner_overflow();
                        continue;
                    }
                    Step::Finished => {
                        if let Some(finished) = state.current.take() {
                            finished.finish();
                        }
                    }
                }
            }
            if upstream_done {
                return self.end(state, Ending::Complete);
            }
            return Stop::Idle;
        }
    }

    /// Ends the stream: cancels the latest inner, refuses new ones, drops
    /// the queue (§3.13).
    fn shutdown(&self, state: &mut State<U, S>, cancel_upstream: bool) {
        // Ordering: Release; a hint for `is_terminated`. Pairs with: its
        // Acquire load.
        self.terminated.store(true, Ordering::Release);
        if cancel_upstream {
            self.upstream.cancel();
        }
        let latest = {
            let mut latest = self.latest.lock();
            latest.closed = true;
            latest.link.take()
        };
        if let Some(latest) = latest {
            latest.cancel();
        }
        state.current = None;
    }

    /// Ends the stream: shuts everything down (cancelling upstream unless it
    /// completed), then signals `ending` downstream.
    #[cold]
    fn end(&self, state: &mut State<U, S>, ending: Ending) -> Stop {
        self.shutdown(state, ending.cancels_upstream());
        ending.signal(state.downstream.take(), &self.demand, &self.errors);
        Stop::Terminated
    }
}

impl<U, S> Parent<U> for SwitchMapMain<U, S>
where
    U: Send + 'static,
    S: Subscriber<U> + 'static,
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
            // Race 2: queue it for the holder, then signal after the push.
            if queue.push_handoff(item, link).is_err() {
                this.inner_overflow();
            }
            return this.signal();
        };
        let state = entered.state();
        // Race 1: deliver only if this inner is still the latest.
        this.catch_up(state);
        let offered = match (state.current.as_mut(), state.downstream.as_mut()) {
            (Some(active), Some(downstream)) if Arc::ptr_eq(&active.link, link) => active.offer(
                item,
                queue,
                downstream,
                &this.demand,
                &this.errors,
                INNER_PREFETCH as u64,
            ),
            _ => true, // an older inner: its item is dropped
        };
        if !offered {
            this.inner_overflow();
            return this.run(entered);
        }
        if let Some(again) = entered.leave() {
            this.run(again);
        }
    }

    fn inner_error(this: &Arc<Self>, link: &Arc<InnerLink<U>>, error: Error) {
        // Race 5: an inner that was replaced is not heard any more.
        let latest = {
            let latest = this.latest.lock();
            latest
                .link
                .as_ref()
                .is_some_and(|latest| Arc::ptr_eq(latest, link))
        };
        if latest {
            this.errors.set(error);
            this.signal();
        }
    }

    fn inner_complete(this: &Arc<Self>, _link: &Arc<InnerLink<U>>) {
        this.signal();
    }
}

impl<U, S> SwitchMapMain<U, S> {
    #[cold]
    fn inner_overflow(&self) {
        self.errors.set(Error::overflow(
            "switch_map: an inner publisher sent more items than requested (§1.1)",
        ));
    }
}

impl<U, S> Subscription for SwitchMapMain<U, S>
where
    U: Send + 'static,
    S: Subscriber<U> + 'static,
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
