//! The engine shared by `on_backpressure_buffer`, `on_backpressure_latest`
//! and `on_backpressure_reduce`: upstream is requested without bound, its
//! items are kept in a [`Store`] by a [`Policy`] (a bounded queue, the latest
//! item, a running reduction), and a drain loop delivers them within the
//! downstream's demand.
//!
//! One drain, one terminal rule, one set of races for the three operators;
//! each operator file only says what happens to an item that arrives (its
//! `Policy`) and how items leave (its `Store`).
//!
//! Demand: requests [`UNBOUNDED`] upstream once the downstream has its
//! subscription; delivers what the store holds, within the downstream's
//! demand. Threads: items are stored on the upstream's thread; they are
//! delivered by whichever thread drains: the upstream's (an item arrived), or
//! the requester's (demand arrived).
//!
//! Terminal signals: `on_complete` waits until the store is empty (the
//! downstream gets every kept item first); an error (the upstream's, an
//! overflow, a panic in a user closure) is delivered at once and the store is
//! dropped, as in Reactor and RxJava.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding requests and the cancelled bit,
//! which `request(0)` sets too (`demand.rs`).
//! `held: Mutex<Held<St>>`: the kept items (`store`), the terminal signal
//! waiting to be delivered (`end`), and `closed`, set when the drainer
//! delivered a terminal signal or handled a cancel, after which items are
//! refused.
//! `drain: Drain<Option<S>>`: the downstream subscriber; `None` once
//! terminated or cancelled (§3.13).
//!
//! ## Field access rules
//! 1. The subscriber: the drainer only (`drain.rs`). The upstream's
//!    subscriber enters the drain to hand out the subscription, so
//!    `on_subscribe` runs as the first drainer and a `request` made inside it
//!    only records demand (§3.3).
//! 2. `held`: under its lock, by the upstream's subscriber (to offer an item,
//!    to record the end) and by the drainer (to take an item, to see the end).
//!    Items and `end` are written and read in one critical section, so the
//!    B7 rule "done, then empty" holds by the lock: an `end` the drainer finds
//!    with an empty store comes after every item stored before it.
//! 3. No user code runs under the lock: items taken out (delivered, evicted,
//!    dropped on cancel) and user closures (the drop callback, the reducer)
//!    are handled after unlocking, because an item's `Drop` or a callback may
//!    do anything, including signalling this stream.
//! 4. `demand` is decreased (`produced`) only by the drainer.
//!
//! ## Races considered
//! 1. `request` vs an arriving item: the requester adds demand and tries to
//!    enter; the upstream stores the item and tries to enter. Whoever enters
//!    last sees both (`drain.rs`, race 1); the item is delivered if there is
//!    demand, kept otherwise. Loom: `request_races_an_item`.
//! 2. `cancel` during a drain: `cancel` sets the bit, cancels upstream and
//!    tries to enter; the drainer checks the bit before each item and
//!    whoever holds the drain when it is seen closes the store, drops its
//!    items and the subscriber. An item offered later is refused and dropped
//!    by the upstream's subscriber. Loom: `cancel_races_the_drain`.
//! 3. Completion vs the last item: `on_complete` records `end` behind the
//!    items already stored; the drainer delivers `on_complete` only when it
//!    finds the store empty in the same critical section, so the last item
//!    is never overtaken, and is delivered with demand even after the end is
//!    recorded. Loom: `completion_races_the_last_item`.
//! 4. `request(0)`: recorded in `demand` with the cancelled bit; the drainer
//!    that sees it cancels upstream, drops the store and signals the §3.9
//!    error.

use core::fmt;

use crate::author::{Demand, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// The callback an operator hands each item it drops under its dropping
/// strategy.
pub(crate) type OnDropped<T> = Arc<dyn Fn(T) + Send + Sync>;

/// Hands `item` to the drop callback, if there is one; otherwise drops it.
/// A panic in the callback is returned as an error.
pub(crate) fn dropped<T>(on_dropped: Option<&OnDropped<T>>, item: T) -> Result<(), Error> {
    match on_dropped {
        Some(callback) => guard(|| callback(item)),
        None => {
            drop(item);
            Ok(())
        }
    }
}

/// Where kept items wait for demand.
pub(crate) trait Store: Default + Send + 'static {
    /// The items kept.
    type Item: Send + 'static;

    /// Takes the next item to deliver.
    fn poll(&mut self) -> Option<Self::Item>;

    /// True when no item is kept.
    fn is_empty(&self) -> bool;

    /// False (the default): upstream is asked for [`UNBOUNDED`] once. True:
    /// the store bounds what upstream is asked for, through
    /// [`first_request`](Store::first_request) and
    /// [`replenish`](Store::replenish) (`rate/shed_by_priority.rs`,
    /// `rate/aimd.rs`). A constant, so that the unbounded stores pay for
    /// none of it.
    const WINDOWED: bool = false;

    /// A windowed store's first request upstream (under the lock).
    fn first_request(&mut self) -> u64 {
        UNBOUNDED
    }

    /// A windowed store's next request upstream, asked under the lock after
    /// each drain round (`emitted`: items delivered in it; `waiting`: items
    /// are left for lack of demand) and after [`Buffered::top_up`]; 0 asks
    /// for nothing.
    fn replenish(&mut self, _emitted: u64, _waiting: bool) -> u64 {
        0
    }
}

/// What an operator does with an item that arrives from upstream.
pub(crate) trait Policy: Send + 'static {
    /// Where the kept items wait.
    type Store: Store;

    /// Takes `item` into the store (through [`Buffered::offer`]) or drops it.
    /// An `Err` fails the stream at once: upstream is cancelled and the error
    /// is delivered without waiting for the kept items.
    fn on_next<S>(
        &mut self,
        buffered: &Buffered<Self::Store, S>,
        item: <Self::Store as Store>::Item,
    ) -> Result<(), Error>
    where
        S: Subscriber<<Self::Store as Store>::Item> + 'static;

    /// The store of a new subscription (an empty default one unless the
    /// policy configures it).
    fn store(&mut self) -> Self::Store {
        Self::Store::default()
    }
}

/// The shared state of one subscription; also the subscription handed
/// downstream. See the module docs for the protocol.
pub(crate) struct Buffered<St, S> {
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    held: Mutex<Held<St>>,
    drain: Drain<Option<S>>,
}

/// Field access rule 2.
struct Held<St> {
    store: St,
    /// `Ok`: complete once the store is empty. `Err`: fail at once.
    end: Option<Result<(), Error>>,
    closed: bool,
}

/// How a drain round ended.
enum Stop {
    /// Nothing deliverable; leave the drain.
    Idle,
    /// The subscriber was signalled (or cancelled) and dropped.
    Terminated,
}

/// What the drainer found under the lock.
enum Next<T> {
    Item(T),
    Idle,
    End(Result<(), Error>),
}

impl<St, S> Buffered<St, S>
where
    St: Store,
    S: Subscriber<St::Item> + 'static,
{
    /// Hands `downstream` its subscription (as the first drainer, rule 1),
    /// then requests [`UNBOUNDED`] from `upstream` (a
    /// [windowed](Store::WINDOWED) store's
    /// [`first_request`](Store::first_request) instead) unless the
    /// downstream cancelled meanwhile.
    ///
    /// The request comes after the drain is left, so that a synchronous
    /// upstream, which emits from inside it, finds the drain free and each
    /// item is delivered as it comes if there is demand for it.
    pub(crate) fn start_with(
        upstream: Arc<dyn Subscription>,
        downstream: S,
        store: St,
    ) -> Arc<Self> {
        let buffered = Arc::new(Buffered {
            demand: Demand::new(),
            upstream,
            held: Mutex::new(Held {
                store,
                end: None,
                closed: false,
            }),
            drain: Drain::new(Some(downstream)),
        });
        let Some(mut entered) = buffered.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state() {
            // §1.9: on_subscribe first; a request inside only records demand.
            downstream.on_subscribe(Arc::clone(&buffered) as Arc<dyn Subscription>);
        }
        // Counted before the first round, which asks a windowed store for
        // more: it must find this request in flight.
        let first = if St::WINDOWED {
            buffered.held.lock().store.first_request()
        } else {
            UNBOUNDED
        };
        buffered.run(entered);
        if !buffered.demand.is_cancelled() && first > 0 {
            buffered.upstream.request(first);
        }
        buffered
    }

    /// Asks a [windowed](Store::WINDOWED) store what to request now (it
    /// freed room outside a drain round: an item dropped), and requests it.
    pub(crate) fn top_up(&self) {
        let more = {
            let mut held = self.held.lock();
            if held.closed || held.end.is_some() {
                return;
            }
            held.store.replenish(0, false)
        };
        if more > 0 {
            self.upstream.request(more);
        }
    }

    /// Runs `f` on the store, unless the stream is closed or has an end
    /// recorded (then `f` is not run, and dropped after unlocking, with the
    /// item it captured: rule 3). Then drains.
    pub(crate) fn offer<R>(&self, f: impl FnOnce(&mut St) -> R) -> Option<R> {
        let mut held = self.held.lock();
        if held.closed || held.end.is_some() {
            drop(held);
            drop(f); // §2.8: an item after our own cancel or failure
            return None;
        }
        let result = f(&mut held.store);
        drop(held);
        self.drain();
        Some(result)
    }

    /// Upstream completed: deliver `on_complete` after the kept items.
    pub(crate) fn complete(&self) {
        self.end(Ok(()));
    }

    /// Upstream failed: deliver the error at once.
    pub(crate) fn error(&self, error: Error) {
        self.end(Err(error));
    }

    /// The operator failed by itself (an overflow, a panic in a closure):
    /// cancel upstream, deliver the error at once.
    pub(crate) fn fail(&self, error: Error) {
        self.upstream.cancel();
        self.end(Err(error));
    }

    fn end(&self, end: Result<(), Error>) {
        let mut held = self.held.lock();
        if held.closed || held.end.is_some() {
            drop(held);
            return; // `end` is dropped unlocked (rule 3)
        }
        held.end = Some(end);
        drop(held);
        self.drain();
    }

    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, Option<S>>) {
        loop {
            match self.round(entered.state()) {
                Stop::Terminated => return entered.close(),
                Stop::Idle => match entered.leave() {
                    Some(again) => entered = again,
                    None => return,
                },
            }
        }
    }

    /// Delivers kept items within demand; then the end, if it is due.
    fn round(&self, slot: &mut Option<S>) -> Stop {
        if slot.is_none() {
            return Stop::Terminated;
        }
        // Demand seen at the start of the round; a request arriving during it
        // bumps the drain counter, so the next round sees it (race 1).
        let requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12: a cancel (or a request(0)) is seen before every item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot);
            }
            let next = {
                let mut held = self.held.lock();
                if matches!(held.end, Some(Err(_))) {
                    // Errors go first: the kept items are dropped (unlocked).
                    held.closed = true;
                    let end = held.end.take();
                    let store = core::mem::take(&mut held.store);
                    drop(held);
                    drop(store);
                    Next::End(end.unwrap_or(Ok(())))
                } else if held.store.is_empty() {
                    // Race 3: `end` and the store are read together.
                    match held.end.take() {
                        Some(end) => {
                            held.closed = true;
                            Next::End(end)
                        }
                        None => Next::Idle,
                    }
                } else if emitted == requested {
                    Next::Idle
                } else {
                    held.store.poll().map_or(Next::Idle, Next::Item)
                }
            };
            match next {
                Next::Item(item) => {
                    if let Some(downstream) = slot.as_mut() {
                        emitted += u64::from(downstream.try_on_next(item));
                    }
                }
                Next::Idle => break,
                Next::End(end) => {
                    if let Some(mut downstream) = slot.take() {
                        match end {
                            Ok(()) => downstream.on_complete(),
                            Err(error) => downstream.on_error(error),
                        }
                    }
                    return Stop::Terminated;
                }
            }
        }
        if emitted > 0 {
            self.demand.produced(emitted);
        }
        if St::WINDOWED {
            // Asked from inside the drain (as `limit_rate` does): a
            // synchronous upstream's items find the drain taken and are
            // delivered on the next turn of `run`.
            let more = {
                let mut held = self.held.lock();
                if held.closed || held.end.is_some() {
                    0
                } else {
                    let waiting = !held.store.is_empty();
                    held.store.replenish(emitted, waiting)
                }
            };
            if more > 0 {
                self.upstream.request(more);
            }
        }
        Stop::Idle
    }

    /// The cancelled bit is set: a cancel, or a `request(0)`. Closes the
    /// store and drops its items and the subscriber (§3.13), after the §3.9
    /// error if it is owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<S>) -> Stop {
        let (store, end) = {
            let mut held = self.held.lock();
            held.closed = true;
            (core::mem::take(&mut held.store), held.end.take())
        };
        drop(store);
        drop(end);
        // A cancel has cancelled upstream already; a request(0) has not.
        self.upstream.cancel();
        let downstream = slot.take();
        if let (Some(error), Some(mut downstream)) = (self.demand.take_invalid(), downstream) {
            downstream.on_error(error); // §3.9
        }
        Stop::Terminated
    }
}

impl<St, S> Subscription for Buffered<St, S>
where
    St: Store,
    S: Subscriber<St::Item> + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n); // n == 0: §3.9, handled by the drainer
        self.drain();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.upstream.cancel();
            self.drain(); // race 2: whoever drains drops the store
        }
    }
}

/// The upstream-facing subscriber of the three operators: hands items to the
/// policy, and terminal signals to the engine.
pub(crate) struct BufferedSubscriber<Pol: Policy, S> {
    policy: Pol,
    /// Until `on_subscribe`.
    downstream: Option<S>,
    buffered: Option<Arc<Buffered<Pol::Store, S>>>,
    /// A terminal signal was recorded (or the operator failed): later signals
    /// are ignored (§2.8 from our side).
    done: bool,
}

impl<Pol: Policy, S> BufferedSubscriber<Pol, S> {
    pub(crate) fn new(policy: Pol, downstream: S) -> Self {
        BufferedSubscriber {
            policy,
            downstream: Some(downstream),
            buffered: None,
            done: false,
        }
    }
}

impl<Pol, S> Subscriber<<Pol::Store as Store>::Item> for BufferedSubscriber<Pol, S>
where
    Pol: Policy,
    S: Subscriber<<Pol::Store as Store>::Item> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        match self.downstream.take() {
            Some(downstream) => {
                let store = self.policy.store();
                self.buffered = Some(Buffered::start_with(subscription, downstream, store));
            }
            None => subscription.cancel(), // §2.5
        }
    }

    fn on_next(&mut self, item: <Pol::Store as Store>::Item) {
        if self.done {
            return;
        }
        let Some(buffered) = &self.buffered else {
            return;
        };
        if let Err(error) = self.policy.on_next(buffered, item) {
            self.done = true;
            buffered.fail(error);
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            if let Some(buffered) = &self.buffered {
                buffered.error(error);
            }
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            if let Some(buffered) = &self.buffered {
                buffered.complete();
            }
        }
    }
}

impl<St, S> fmt::Debug for Buffered<St, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffered")
            .field("demand", &self.demand)
            .finish_non_exhaustive()
    }
}
