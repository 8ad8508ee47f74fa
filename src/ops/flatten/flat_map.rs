//! `flat_map`: maps each item to a publisher (an "inner") and merges the
//! items of up to `max_concurrency` inners as they come.
//!
//! Each upstream item is mapped and its inner subscribed at once, on the
//! thread that delivered the item. Items of different inners interleave in
//! the order they arrive; the items of one inner keep their order.
//!
//! # Demand
//!
//! Upstream is asked for `max_concurrency` items at first, then, as inners
//! finish, for more in batches of 75% of `max_concurrency` (at least one), so
//! that at most `max_concurrency` inners are live at once. Each inner is asked
//! for `prefetch` items at first and for 75% of `prefetch` more each time that
//! many of its items were taken, so at most `prefetch` of its items are ever
//! requested and not yet delivered; they wait in the inner's own queue (made
//! on first use) until the downstream asks. Items are delivered only within
//! the downstream's demand (§1.1). An item the downstream rejects through
//! [`try_on_next`](crate::Subscriber::try_on_next) costs no demand.
//!
//! An inner that is one of this crate's synchronous sources (`range`,
//! `from_iter`, `just`, `empty`, `error`, `generate`) is not subscribed: it
//! is *fused*, run inside the drain, its items pulled one at a time within
//! the downstream's demand, so nothing is requested of it and nothing is
//! queued. That saves a subscription, a queue and some twenty atomic
//! operations per inner (`benches/ops_flatten.rs`: 5 to 8 times faster).
//! It counts against `max_concurrency` like any other inner.
//!
//! Threads: runs on whichever thread signals. An inner's item is delivered on
//! the inner's own thread when nothing else is being delivered and the
//! downstream has demand (Reactor's `tryEmit`); otherwise the thread that
//! holds the drain delivers it. Never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! In [`FlatMapMain`], shared by the downstream's subscription, the upstream
//! subscriber and every inner subscriber:
//! - `demand: Demand`: the downstream's outstanding requests and the
//!   cancelled bit (`demand.rs`).
//! - `upstream_done: AtomicBool`: upstream completed; set once.
//! - `errors: ErrorSlot`: the first error (upstream, inner, a panic in `f`,
//!   an overflow) and its flag (`inner.rs`).
//! - `terminated: AtomicBool`: set once by the drainer that delivered the
//!   terminal signal or handled the cancel; a hint that lets late items be
//!   dropped early.
//! - `incoming: Mutex<Incoming>` and `has_incoming: AtomicBool`: inners
//!   registered while another party held the drain, waiting to be adopted,
//!   and a flag that saves the drainer the lock when there are none. Once
//!   `closed`, nothing is registered any more.
//! - `drain: Drain<State>`: the downstream subscriber, the live inners
//!   (`entries`: for a subscribed inner its link, the consumer of its queue
//!   and its replenishing counter; for a fused one its source), the
//!   round-robin position, and the upstream's replenishing counter.
//!
//! Per inner, an `InnerLink` (`inner.rs`): `done`, `cancelled`, its
//! subscription, a handed-off queue, and its index in `entries`.
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only (`drain.rs`). The upstream
//!    subscriber's `on_subscribe` enters it first, so the downstream's
//!    `on_subscribe` is the first signal and a request made inside it only
//!    records demand.
//! 2. An inner's `index` equals its position in `entries`; both change only
//!    in the drain (`insert`, `remove_finished`).
//! 3. An inner's items are pushed only by its subscriber (one producer, §1.3)
//!    and popped only by the drainer; a queue made while the drain was busy
//!    reaches the drainer through the link (`inner.rs`, rule 2).
//! 4. `incoming.inners` is pushed only under the lock and only while not
//!    `closed`; the drainer takes it all under the lock. `has_incoming` is
//!    stored `true` under the lock after a push and `false` under the lock by
//!    the taker.
//!
//! ## Races considered
//! 1. `request` against inner emission: `request` adds demand, then tries to
//!    enter. An inner's `on_next` that finds the drain busy queues its item,
//!    *then* tries to enter again, so either it becomes the drainer, or the
//!    holder sees the extra signal when it leaves and goes round again
//!    (`drain.rs`, race 1). No item waits while there is demand and nobody
//!    drains.
//! 2. The fast path against queued items: an inner delivers directly only when
//!    its own queue is empty, checked while holding the drain, where nobody
//!    else pops and the inner itself is the only one to push. So the items of
//!    one inner keep their order.
//! 3. `cancel` during drain: `cancel` sets the bit and tries to enter; the
//!    drainer checks the bit before every item, so whoever holds the drain
//!    when the bit is seen cancels upstream and every inner, drops the queues
//!    and the downstream (§3.13) and closes the drain. Inners registered in
//!    `incoming` are cancelled too, and `closed` refuses later ones, whose
//!    upstream item is then dropped without subscribing its inner.
//! 4. Completion against the last item: the drainer loads `upstream_done`
//!    before it adopts `incoming` (every inner registered before upstream
//!    completed is then adopted), and an inner's `done` before its queue
//!    (`inner.rs`, race 1). It completes only when upstream was done and no
//!    entry is left, so the last item of the last inner goes first.
//! 5. An error against emission: errors are recorded in `errors` and checked
//!    before every item and at the top of every round, so an error is
//!    delivered at once (not after the queued items), cancels upstream and
//!    every inner, and nothing follows it.
//! 6. Registration against a busy drain: the upstream subscriber adopts the
//!    new inner itself when the drain is free; otherwise it registers it in
//!    `incoming` (under the lock, then `has_incoming`) and signals after
//!    that, so the holder sees the signal when it leaves and adopts the inner
//!    in its next round. Either way the inner is adopted before the drain is
//!    free again, and it is subscribed only after registering, so its first
//!    item (delivered in the drain) finds its entry.
//!    A fused inner registers the same way; having no thread of its own, it
//!    is drained by whoever adopts it (the upstream's thread at once, or the
//!    holder in its next round). The loom model
//!    `fused_inner_registration_races_a_request` checks that no registration
//!    is left undrained.

use core::fmt;

use crate::author::pull::{Pull, Step};
use crate::author::{Demand, Replenish, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::inner::{
    Ending, ErrorSlot, InnerLink, InnerQueue, InnerSubscriber, Parent, Phase,
};
use crate::queue::clamp_capacity;
use crate::queue::spsc::Consumer;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Fused, FusedSource, Publisher, Subscriber, Subscription};

/// The default number of inners live at once (Reactor's `Queues.SMALL_BUFFER_SIZE`).
#[cfg(not(reactive_streams_loom))]
pub(crate) const DEFAULT_MAX_CONCURRENCY: usize = 256;
/// Shrunk under loom: changes no logic, lets a model reach the limits.
#[cfg(reactive_streams_loom)]
pub(crate) const DEFAULT_MAX_CONCURRENCY: usize = 2;

/// The default number of items requested of each inner (Reactor's
/// `Queues.XS_BUFFER_SIZE`).
#[cfg(not(reactive_streams_loom))]
pub(crate) const DEFAULT_PREFETCH: usize = 32;
/// Shrunk under loom: changes no logic, lets a model fill a queue.
#[cfg(reactive_streams_loom)]
pub(crate) const DEFAULT_PREFETCH: usize = 2;

/// Publisher for the [`flat_map`](crate::PublisherExt::flat_map) and
/// [`flat_map_with`](crate::PublisherExt::flat_map_with) methods.
#[must_use = "publishers do nothing until subscribed"]
pub struct FlatMap<P, F> {
    upstream: P,
    f: Arc<F>,
    max_concurrency: usize,
    prefetch: usize,
}

impl<P: fmt::Debug, F> fmt::Debug for FlatMap<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlatMap")
            .field("upstream", &self.upstream)
            .field("max_concurrency", &self.max_concurrency)
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for FlatMap<P, F> {
    fn clone(&self) -> Self {
        FlatMap {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
            max_concurrency: self.max_concurrency,
            prefetch: self.prefetch,
        }
    }
}

impl<P, F> FlatMap<P, F> {
    /// # Panics
    ///
    /// If `max_concurrency` or `prefetch` is 0. A `prefetch` above
    /// [`MAX_CAPACITY`](crate::MAX_CAPACITY) is clamped to it.
    pub(crate) fn new(upstream: P, f: F, max_concurrency: usize, prefetch: usize) -> Self {
        assert!(
            max_concurrency > 0,
            "flat_map: max_concurrency must be at least 1"
        );
        assert!(prefetch > 0, "flat_map: prefetch must be at least 1");
        FlatMap {
            upstream,
            f: Arc::new(f),
            max_concurrency,
            prefetch: clamp_capacity(prefetch),
        }
    }
}

impl<P, F, Q> Publisher for FlatMap<P, F>
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
        self.upstream.subscribe(FlatMapSubscriber {
            phase: Phase::Pending(subscriber),
            f: Arc::clone(&self.f),
            max_concurrency: self.max_concurrency,
            prefetch: self.prefetch,
        });
    }
}

/// `flat_map`'s subscriber to upstream: maps each item and subscribes the
/// inner.
pub(crate) struct FlatMapSubscriber<S, F, U> {
    phase: Phase<S, Arc<FlatMapMain<U, S>>>,
    f: Arc<F>,
    max_concurrency: usize,
    prefetch: usize,
}

impl<S, F, T, Q, U> Subscriber<T> for FlatMapSubscriber<S, F, U>
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
        let main = Arc::new(FlatMapMain::new(
            downstream,
            Arc::clone(&subscription),
            self.max_concurrency,
            self.prefetch,
        ));
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
            subscription.request(clamp(self.max_concurrency));
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
                // The drainer cancels upstream and every inner (race 5).
                main.errors.set(error);
                main.signal();
                self.phase = Phase::Done;
                return;
            }
        };
        // A synchronous source runs inside the drain, unsubscribed.
        if let Some(source) = inner.fused_source(Fused(())) {
            return FlatMapMain::register_fused(main, source);
        }
        let link = Arc::new(InnerLink::new());
        if FlatMapMain::register(main, &link) && !link.is_cancelled() {
            inner.subscribe(InnerSubscriber::new(Arc::clone(main), link, self.prefetch));
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
            // Ordering: Release publishes every registration made before it.
            // Pairs with: the Acquire load in `round` (race 4).
            main.upstream_done.store(true, Ordering::Release);
            main.signal();
        }
    }
}

/// A `usize` count as a request: `usize::MAX` and anything past
/// [`UNBOUNDED`] mean unbounded.
fn clamp(n: usize) -> u64 {
    u64::try_from(n).map_or(UNBOUNDED, |n| n.min(UNBOUNDED))
}

/// One subscription's shared state. See the module docs.
pub(crate) struct FlatMapMain<U, S> {
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    upstream_done: AtomicBool,
    errors: ErrorSlot,
    terminated: AtomicBool,
    incoming: Mutex<Incoming<U>>,
    has_incoming: AtomicBool,
    max_concurrency: usize,
    prefetch: usize,
    drain: Drain<State<U, S>>,
}

/// Inners registered while the drain was busy (rule 4).
struct Incoming<U> {
    inners: Vec<NewInner<U>>,
    closed: bool,
}

struct State<U, S> {
    /// `None` once terminated or cancelled, so it is dropped (§3.13).
    downstream: Option<S>,
    entries: Vec<Live<U>>,
    /// Where the next scan starts: the inner that ran out of demand last.
    next: usize,
    /// Counts finished inners; says when to ask upstream for more.
    upstream_consumed: Replenish,
}

/// An inner registered while the drain was busy, waiting to be adopted.
enum NewInner<U> {
    Subscribed(Arc<InnerLink<U>>),
    Fused(FusedSource<U>),
}

/// The drainer's view of one live inner.
enum Live<U> {
    /// Subscribed: its items come through its subscriber and its queue.
    Subscribed(Entry<U>),
    /// A synchronous source run inside the drain (`Publisher::fused_source`):
    /// no subscription, no queue, no thread of its own. Its items are pulled
    /// within the downstream's demand, so nothing is requested or buffered.
    Fused {
        source: FusedSource<U>,
        finished: bool,
    },
}

impl<U> Live<U> {
    fn is_finished(&self) -> bool {
        match self {
            Live::Subscribed(entry) => entry.finished,
            Live::Fused { finished, .. } => *finished,
        }
    }
}

/// The drainer's view of one subscribed inner.
struct Entry<U> {
    link: Arc<InnerLink<U>>,
    queue: Option<Consumer<U>>,
    subscription: Option<Arc<dyn Subscription>>,
    consumed: Replenish,
    /// Asked of the inner and not yet taken; an item beyond it is an
    /// overflow (§1.1). Unbounded for an unbounded `prefetch`.
    outstanding: u64,
    finished: bool,
}

impl<U> Entry<U> {
    fn new(link: Arc<InnerLink<U>>, prefetch: usize) -> Self {
        Entry {
            link,
            queue: None,
            subscription: None,
            consumed: Replenish::new(clamp(prefetch)),
            // What `inner_subscribed` asks for.
            outstanding: clamp(prefetch),
            finished: false,
        }
    }

    fn attach(&mut self) {
        if self.queue.is_none() {
            self.queue = self.link.take_queue();
        }
    }

    fn is_empty(&self) -> bool {
        self.queue.as_ref().map_or(true, Consumer::is_empty)
    }

    /// Records one item taken from this inner, and asks it for more at 75%.
    /// Returns false if the item was never asked for (§1.1).
    fn consumed_one(&mut self, done: bool) -> bool {
        match self.outstanding {
            0 => return false,
            UNBOUNDED => {}
            _ => self.outstanding -= 1,
        }
        if let Some(n) = self.consumed.consumed_one() {
            if done {
                return true;
            }
            if self.subscription.is_none() {
                self.subscription = self.link.subscription();
            }
            if let Some(subscription) = &self.subscription {
                self.outstanding += n;
                subscription.request(n);
            }
        }
        true
    }
}

/// How a fused inner's turn in `emit` ended.
enum FusedTurn {
    /// No demand left (or it has nothing for now); `delivered` says whether
    /// it gave any item, `ran_out` whether the demand ran out during its turn
    /// (the next scan then starts with it).
    Open { delivered: bool, ran_out: bool },
    /// It completed.
    Ended,
    /// A cancel or an error (maybe its own, now recorded) stopped delivery.
    Stopped,
}

/// How a drain round ended.
enum Stop {
    /// Nothing more to do for now; leave the drain.
    Idle,
    /// The downstream was signalled (or cancelled) and dropped; close.
    Terminated,
}

impl<U, S> FlatMapMain<U, S>
where
    U: Send + 'static,
    S: Subscriber<U> + 'static,
{
    fn new(
        downstream: S,
        upstream: Arc<dyn Subscription>,
        max_concurrency: usize,
        prefetch: usize,
    ) -> Self {
        FlatMapMain {
            demand: Demand::new(),
            upstream,
            upstream_done: AtomicBool::new(false),
            errors: ErrorSlot::new(),
            terminated: AtomicBool::new(false),
            incoming: Mutex::new(Incoming {
                inners: Vec::new(),
                closed: false,
            }),
            has_incoming: AtomicBool::new(false),
            max_concurrency,
            prefetch,
            drain: Drain::new(State {
                downstream: Some(downstream),
                entries: Vec::new(),
                next: 0,
                upstream_consumed: Replenish::new(clamp(max_concurrency)),
            }),
        }
    }

    fn is_terminated(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `shutdown`; only
        // a hint (late items are dropped by the closed drain anyway).
        self.terminated.load(Ordering::Acquire)
    }

    /// Enters the drain if nobody is in it, and drains.
    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// Leaves the drain after a quick turn (the fast path, a registration);
    /// runs full rounds only if signals arrived meanwhile or `dirty` says the
    /// turn left work (an error to deliver).
    fn finish(&self, entered: Entered<'_, State<U, S>>, dirty: bool) {
        if dirty {
            return self.run(entered);
        }
        if let Some(again) = entered.leave() {
            self.run(again);
        }
    }

    /// The drain loop: rounds until nothing is left to do and no signal was
    /// missed, or the stream ends. Upstream is asked for more only after
    /// leaving, so that a synchronous upstream's next items (and their inners)
    /// find the drain free.
    fn run(&self, mut entered: Entered<'_, State<U, S>>) {
        let mut upstream_request = 0u64;
        loop {
            if let Stop::Terminated = self.round(entered.state(), &mut upstream_request) {
                return entered.close();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => break,
            }
        }
        if upstream_request > 0 {
            self.upstream.request(upstream_request);
        }
    }

    /// One round: terminal checks, adoption of new inners, delivery, removal
    /// of finished inners, completion.
    fn round(&self, state: &mut State<U, S>, upstream_request: &mut u64) -> Stop {
        loop {
            if self.demand.is_cancelled() {
                return self.end(state, Ending::Cancel);
            }
            if self.errors.is_set() {
                return self.end(state, Ending::Fail);
            }
            // B7, race 4: upstream's `done` before adopting the registered
            // inners; if it is set, every inner is adopted below.
            let upstream_done = self.upstream_done.load(Ordering::Acquire);
            if self.adopt(state) {
                continue; // an overflow was recorded
            }
            let Some((progress, finished)) = self.emit(state) else {
                continue; // a cancel or an error stopped delivery
            };
            if finished > 0 {
                self.remove_finished(state);
                for _ in 0..finished {
                    if let Some(n) = state.upstream_consumed.consumed_one() {
                        *upstream_request += n;
                    }
                }
            }
            if upstream_done && state.entries.is_empty() {
                return self.end(state, Ending::Complete);
            }
            if !progress && finished == 0 {
                return Stop::Idle;
            }
        }
    }

    /// Adopts the inners registered while the drain was busy (rule 4).
    /// Returns true if one overflowed `max_concurrency`.
    fn adopt(&self, state: &mut State<U, S>) -> bool {
        // Ordering: Acquire pairs with the Release store in `register`, so the
        // pushed links are visible (the lock below orders them too).
        if !self.has_incoming.load(Ordering::Acquire) {
            return false;
        }
        let inners = {
            let mut incoming = self.incoming.lock();
            // Relaxed: under the lock (rule 4).
            self.has_incoming.store(false, Ordering::Relaxed);
            core::mem::take(&mut incoming.inners)
        };
        let mut overflow = false;
        for inner in inners {
            let live = match inner {
                NewInner::Subscribed(link) => Live::Subscribed(Entry::new(link, self.prefetch)),
                NewInner::Fused(source) => Live::Fused {
                    source,
                    finished: false,
                },
            };
            overflow |= self.insert(state, live);
        }
        overflow
    }

    /// Adds a live inner. Returns true, having recorded an overflow error,
    /// if upstream sent more items than `max_concurrency` allows (§1.1).
    fn insert(&self, state: &mut State<U, S>, live: Live<U>) -> bool {
        let overflow = state.entries.len() >= self.max_concurrency;
        if overflow {
            self.errors.set(Error::overflow(
                "flat_map: upstream sent more items than requested (§1.1)",
            ));
        }
        if let Live::Subscribed(entry) = &live {
            entry.link.set_index(state.entries.len());
        }
        state.entries.push(live);
        overflow
    }

    /// Registers a new inner before it is subscribed (race 6). Returns false
    /// when the stream is over: then the inner must not be subscribed.
    fn register(this: &Arc<Self>, link: &Arc<InnerLink<U>>) -> bool {
        if let Some(mut entered) = this.drain.try_enter() {
            // Earlier registrations were adopted before the drain was free
            // (race 6), so `entries` keeps upstream order.
            let entry = Entry::new(Arc::clone(link), this.prefetch);
            let dirty = this.insert(entered.state(), Live::Subscribed(entry));
            this.finish(entered, dirty);
            return true;
        }
        this.push_incoming(NewInner::Subscribed(Arc::clone(link)))
            .is_ok()
    }

    /// Registers a new inner while the drain is busy (race 6): pushes it for
    /// the holder to adopt, then signals. Gives it back, untouched, when the
    /// stream is over (so it is dropped outside the lock: its `Drop` may be
    /// user code).
    fn push_incoming(&self, inner: NewInner<U>) -> Result<(), NewInner<U>> {
        {
            let mut incoming = self.incoming.lock();
            if incoming.closed {
                return Err(inner);
            }
            incoming.inners.push(inner);
            // Ordering: Release publishes the push. Pairs with: the Acquire
            // load in `adopt`.
            self.has_incoming.store(true, Ordering::Release);
        }
        // After the push, so the drainer sees it (race 1).
        self.signal();
        Ok(())
    }

    /// Adopts a fused inner (registered as in `register`, race 6) and, when
    /// the drain is free, delivers what demand allows at once: the inner has
    /// no thread of its own to deliver from.
    fn register_fused(this: &Arc<Self>, source: FusedSource<U>) {
        if let Some(mut entered) = this.drain.try_enter() {
            let live = Live::Fused {
                source,
                finished: false,
            };
            // An overflow is recorded in `errors`; the round delivers it.
            this.insert(entered.state(), live);
            return this.run(entered);
        }
        // Refused when the stream is over: the source is dropped here.
        let _ = this.push_incoming(NewInner::Fused(source));
    }

    /// Delivers queued items within demand, scanning every live inner once
    /// from `next`. Returns whether anything was delivered or taken, and how
    /// many inners finished; `None` when a cancel or an error stopped it.
    fn emit(&self, state: &mut State<U, S>) -> Option<(bool, usize)> {
        let State {
            downstream,
            entries,
            next,
            ..
        } = state;
        let downstream = downstream.as_mut()?;
        let n = entries.len();
        if n == 0 {
            return Some((false, 0));
        }
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        let mut progress = false;
        let mut finished = 0;
        let mut index = if *next < n { *next } else { 0 };
        for _ in 0..n {
            let entry = match &mut entries[index] {
                Live::Subscribed(entry) => entry,
                Live::Fused {
                    source,
                    finished: ended,
                } => {
                    let outcome = self.emit_fused(downstream, source, &mut requested, &mut emitted);
                    match outcome {
                        FusedTurn::Open { delivered, ran_out } => {
                            progress |= delivered;
                            if ran_out {
                                *next = index; // resume with this inner
                            }
                        }
                        FusedTurn::Ended => {
                            *ended = true;
                            finished += 1;
                        }
                        FusedTurn::Stopped => return None,
                    }
                    index = if index + 1 == n { 0 } else { index + 1 };
                    continue;
                }
            };
            loop {
                // B7: the inner's `done` before its queue (race 4).
                let done = entry.link.is_done();
                entry.attach();
                if emitted == requested {
                    // No demand left: only see whether this inner finished.
                    if done && entry.is_empty() {
                        entry.finished = true;
                        finished += 1;
                    }
                    break;
                }
                let Some(item) = entry.queue.as_mut().and_then(Consumer::pop) else {
                    if done {
                        entry.finished = true;
                        finished += 1;
                    }
                    break;
                };
                // §3.12, race 5: a cancel or an error is seen before every item.
                if self.demand.is_cancelled() || self.errors.is_set() {
                    return None;
                }
                if !entry.consumed_one(done) {
                    self.inner_overflow();
                    return None;
                }
                progress = true;
                if downstream.try_on_next(item) {
                    emitted += 1;
                }
                if emitted == requested {
                    // Account, and carry on if more demand arrived meanwhile.
                    requested = self.demand.produced(emitted);
                    emitted = 0;
                    if requested == 0 {
                        *next = index; // resume with this inner
                    }
                }
            }
            index = if index + 1 == n { 0 } else { index + 1 };
        }
        if emitted > 0 {
            self.demand.produced(emitted);
        }
        Some((progress, finished))
    }

    /// Pulls a fused inner's items within demand: `emit`'s loop for one
    /// fused inner, with `emit`'s counters.
    #[inline]
    fn emit_fused(
        &self,
        downstream: &mut S,
        source: &mut FusedSource<U>,
        requested: &mut u64,
        emitted: &mut u64,
    ) -> FusedTurn {
        let mut delivered = false;
        let mut ran_out = false;
        loop {
            if *emitted == *requested {
                // No demand: only see whether it ended, so that an inner with
                // nothing left finishes without demand (§1.5).
                return match source.finished() {
                    None => FusedTurn::Open { delivered, ran_out },
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
                Step::Next(item) => {
                    delivered = true;
                    if downstream.try_on_next(item) {
                        *emitted += 1;
                    }
                    if *emitted == *requested {
                        // Account, and carry on if more demand arrived meanwhile.
                        *requested = self.demand.produced(*emitted);
                        *emitted = 0;
                        ran_out = *requested == 0;
                    }
                }
                Step::Pending => return FusedTurn::Open { delivered, ran_out },
                Step::End(Ok(())) => return FusedTurn::Ended,
                Step::End(Err(error)) => {
                    self.errors.set(error);
                    return FusedTurn::Stopped;
                }
            }
        }
    }

    /// Drops the finished inners and renumbers the others (rule 2).
    fn remove_finished(&self, state: &mut State<U, S>) {
        let resume_at = state.next;
        let mut kept_before_resume = 0;
        let mut position = 0;
        state.entries.retain(|live| {
            let keep = !live.is_finished();
            if !keep {
                if let Live::Subscribed(entry) = live {
                    // Breaks the cycle through the subscription
                    // (`InnerLink::release`).
                    entry.link.release();
                }
            } else if position < resume_at {
                kept_before_resume += 1;
            }
            position += 1;
            keep
        });
        state.next = kept_before_resume;
        for (index, live) in state.entries.iter().enumerate() {
            if let Live::Subscribed(entry) = live {
                entry.link.set_index(index);
            }
        }
    }

    /// An inner's item, delivered by the inner's own thread (race 2).
    fn try_emit(
        &self,
        state: &mut State<U, S>,
        link: &Arc<InnerLink<U>>,
        queue: &mut InnerQueue<U>,
        item: U,
    ) -> bool {
        let State {
            downstream,
            entries,
            ..
        } = state;
        let (Some(downstream), Some(Live::Subscribed(entry))) =
            (downstream.as_mut(), entries.get_mut(link.index()))
        else {
            debug_assert!(false, "race 6: a live inner has an entry");
            return false;
        };
        debug_assert!(
            Arc::ptr_eq(&entry.link, link),
            "rule 2: index is the entry's position"
        );
        if queue.exists() {
            entry.attach();
        }
        let requested = self.demand.get(); // 0 once cancelled
        if requested > 0 && entry.is_empty() && !self.errors.is_set() {
            if !entry.consumed_one(false) {
                self.inner_overflow();
                return true;
            }
            if downstream.try_on_next(item) && requested != UNBOUNDED {
                self.demand.produced(1);
            }
            return false;
        }
        if queue.push_direct(item, &mut entry.queue).is_err() {
            self.inner_overflow();
            return true;
        }
        false
    }

    #[cold]
    fn inner_overflow(&self) {
        self.errors.set(Error::overflow(
            "flat_map: an inner publisher sent more items than requested (§1.1)",
        ));
    }

    /// Ends the stream: no more registrations, and every inner (adopted or
    /// not) is cancelled and its queue dropped (§3.13).
    fn shutdown(&self, state: &mut State<U, S>, cancel_upstream: bool) {
        // Ordering: Release; a hint for `is_terminated`. Pairs with: its
        // Acquire load.
        self.terminated.store(true, Ordering::Release);
        if cancel_upstream {
            self.upstream.cancel();
        }
        let pending = {
            let mut incoming = self.incoming.lock();
            incoming.closed = true;
            core::mem::take(&mut incoming.inners)
        };
        // Fused inners are simply dropped: they have no subscription.
        for inner in pending {
            if let NewInner::Subscribed(link) = inner {
                link.cancel();
            }
        }
        for live in state.entries.drain(..) {
            if let Live::Subscribed(entry) = live {
                entry.link.cancel();
            }
        }
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

impl<U, S> Parent<U> for FlatMapMain<U, S>
where
    U: Send + 'static,
    S: Subscriber<U> + 'static,
{
    fn inner_subscribed(
        this: &Arc<Self>,
        _link: &Arc<InnerLink<U>>,
        subscription: &Arc<dyn Subscription>,
    ) {
        subscription.request(clamp(this.prefetch));
    }

    fn inner_next(this: &Arc<Self>, link: &Arc<InnerLink<U>>, queue: &mut InnerQueue<U>, item: U) {
        let Some(mut entered) = this.drain.try_enter() else {
            // The drain is busy: queue the item for its holder, then signal
            // again, after the push (race 1).
            if queue.push_handoff(item, link).is_err() {
                this.inner_overflow();
            }
            return this.signal();
        };
        // No need to adopt `incoming` first: this inner was adopted before
        // the drain was free again (race 6).
        let dirty = this.try_emit(entered.state(), link, queue, item);
        this.finish(entered, dirty);
    }

    fn inner_error(this: &Arc<Self>, _link: &Arc<InnerLink<U>>, error: Error) {
        this.errors.set(error);
        this.signal();
    }

    fn inner_complete(this: &Arc<Self>, _link: &Arc<InnerLink<U>>) {
        this.signal();
    }
}

impl<U, S> Subscription for FlatMapMain<U, S>
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

#[cfg(all(test, not(reactive_streams_loom)))]
mod tests {
    use crate::source::{self, Range};
    use crate::traits::{Fused, FusedSource, Publisher, Subscriber};
    use crate::{PublisherExt, TestSubscriber};

    /// A `range` that offers itself as a fused source or not, so that one
    /// stream mixes inners run inside the drain with subscribed ones.
    struct MaybeFused {
        range: Range<u64>,
        fused: bool,
    }

    impl Publisher for MaybeFused {
        type Item = u64;

        fn subscribe<S: Subscriber<u64> + 'static>(&self, subscriber: S) {
            self.range.subscribe(subscriber);
        }

        fn fused_source(&self, fused: Fused) -> Option<FusedSource<u64>> {
            self.fused.then(|| self.range.fused_source(fused)).flatten()
        }
    }

    /// Fused and subscribed inners in one stream: every item once, each
    /// inner in order, within demand, then completion; unbounded and one
    /// request at a time, with room for every inner and for only two.
    #[test]
    fn fused_and_subscribed_inners_mix() {
        for max_concurrency in [2, 256] {
            for one_at_a_time in [false, true] {
                let ts = TestSubscriber::new(if one_at_a_time { 0 } else { u64::MAX });
                source::range(0..20u64)
                    .flat_map_with(
                        |x| MaybeFused {
                            range: source::range(x * 10..x * 10 + 3),
                            fused: x % 2 == 0,
                        },
                        max_concurrency,
                        2,
                    )
                    .subscribe(ts.clone());
                if one_at_a_time {
                    for _ in 0..=60 {
                        ts.request(1);
                    }
                }
                ts.assert_complete().assert_no_violations();
                let values = ts.values();
                let mut sorted = values.clone();
                sorted.sort_unstable();
                let expected: Vec<u64> = (0..20).flat_map(|x| x * 10..x * 10 + 3).collect();
                assert_eq!(sorted, expected);
                for x in 0..20 {
                    let inner: Vec<u64> = values.iter().copied().filter(|v| v / 10 == x).collect();
                    assert_eq!(
                        inner,
                        [x * 10, x * 10 + 1, x * 10 + 2],
                        "inner {x} out of order"
                    );
                }
            }
        }
    }
}
