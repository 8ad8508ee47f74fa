//! The engine of the timed emitters: `interval`, `timer`, `delay`,
//! `debounce`, `sample`, `throttle_last` and `buffer_timeout`. Each keeps
//! what it holds in a [`TimedStore`] (the one due item, a delay queue, the
//! buffer being filled), and says through [`Effects`] which timer it wants;
//! this file owns the timer, the drain that delivers within demand, the end
//! of the stream, and the requests upstream.
//!
//! Demand: what a store asks upstream for ([`TimedStore::upstream_request`],
//! asked after each drain round: `UNBOUNDED` once for the lossy operators,
//! a bounded window for `delay` and `buffer_timeout`); items go downstream
//! only within the downstream's demand. Threads: a store is fed on the
//! upstream's thread (items) and on the worker's (timers); items are
//! delivered by whichever thread drains: the upstream's, the worker's, or
//! the requester's.
//!
//! The end: `on_complete` waits until the store is empty (a store makes
//! what it holds due when told of the completion); an error (the
//! upstream's, a rejected timer, a store's own, a panic) is delivered at
//! once and the store is dropped. Either way the worker is disposed, which
//! cancels the armed timer: nothing is left scheduled.
//!
//! # Implementation notes
//!
//! No atomic protocol of its own: the drain is `drain.rs`'s, the demand
//! `demand.rs`'s, and everything else sits under two mutexes.
//!
//! ## State
//! `demand: Demand`: downstream's outstanding requests and the cancelled bit
//! (`request(0)` sets it too).
//! `held: Mutex<Held<St>>`: the store; `end`, the terminal signal waiting to
//! be delivered; `closed`, set by the drainer that delivered the end or
//! handled a cancel; `generation`, the number of the timer in force.
//! `timer: Mutex<Option<(u64, TaskHandle)>>`: the handle of the newest timer
//! armed, with its generation, so that re-arming and the end cancel it.
//! `drain: Drain<Option<S>>`: the downstream subscriber; `None` once
//! terminated or cancelled (§3.13).
//!
//! ## Field access rules
//! 1. The subscriber: the drainer only (`drain.rs`). `start` enters the
//!    drain to hand out the subscription, so `on_subscribe` runs as the
//!    first drainer and a `request` made inside it only records demand.
//! 2. `held`: under its lock. The store is fed (item, timer, completion) and
//!    polled under it, and `end` and the store's emptiness are read in one
//!    critical section, so completion never overtakes a held item.
//! 3. No user code and no scheduler call under either lock: what a store
//!    drops (an item replaced, a tick skipped) leaves through [`Effects`]
//!    and is dropped after unlocking; timers are armed and cancelled after
//!    unlocking, because a cancelled timer drops its closure, whose guard
//!    takes `held`, and a zero-delay task on the immediate scheduler runs
//!    inside `schedule`.
//! 4. `demand` is decreased (`produced`) by the drainer only.
//!
//! ## Races considered
//! 1. A timer firing vs an item (or a re-arm): a store call that asks for a
//!    timer bumps `generation` in the same critical section of `held` as its
//!    change to the store, and a firing timer acts only if its generation is
//!    still the one in force, checked in the same critical section as its
//!    effect on the store. So a timer replaced (a `buffer_timeout` buffer
//!    emitted when full, a completion that disarms) does nothing, even if
//!    it was already running. A store that keeps its timer across items
//!    (`debounce`) decides under the same lock whether the newest item's
//!    window is over: loom `loom_timed::a_stale_timer_races_a_new_item`.
//! 2. A timer firing vs a `request`: the firing changes the store and tries
//!    to drain; the requester adds demand and tries to drain; whoever drains
//!    last sees both (`drain.rs`, race 1), and the due item is delivered if
//!    there is demand, or handled by the no-demand choice if the drainer
//!    found none. Loom: `loom_timed::a_tick_races_a_request`.
//! 3. `cancel` vs a firing timer: `cancel` sets the bit and tries to drain;
//!    whoever drains sees it, closes the store and disposes the worker. A
//!    timer that fires after that finds the store closed and does nothing;
//!    one dropped by the disposal finds it closed too, and does not report
//!    a rejection. Loom: `loom_timed::cancel_races_a_tick`.
//! 4. A timer dropped unrun while the stream is live (its scheduler was
//!    disposed after accepting it): its guard finds its generation still in
//!    force and the store open, and fails the stream with the worker's
//!    rejection (kind `Rejected`), instead of leaving it waiting forever.
//! 5. Two arms at once (an item re-arms on the upstream's thread while a
//!    firing re-arms on the worker's): each got its generation under
//!    `held`; the handle
//!    of the older one is cancelled when the newer is installed, or on
//!    arrival if the newer got there first, so at most one timer stays
//!    armed.

use core::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::author::{Demand, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::scheduler::{TaskHandle, Worker};
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// The timer a store wants, applied by the engine after unlocking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimerCmd {
    /// Cancel the timer in force and arm a one-shot one `Duration` from now.
    Arm(Duration),
    /// Cancel the timer in force and arm a periodic one.
    Periodic { initial: Duration, period: Duration },
    /// Cancel the timer in force.
    Disarm,
}

/// What a store asks of the engine during one call: applied after the lock
/// is released (field access rule 3).
pub(crate) struct Effects<J> {
    /// The timer asked for, with the generation it was given under the lock.
    timer: Option<(TimerCmd, u64)>,
    junk: Vec<J>,
    fail: Option<Error>,
    complete: bool,
}

impl<J> Effects<J> {
    fn new() -> Self {
        Effects {
            timer: None,
            junk: Vec::new(),
            fail: None,
            complete: false,
        }
    }

    /// Gives the timer asked for its generation: called under `held`, in
    /// the critical section of the store call that asked for it (race 1).
    fn stamp(&mut self, generation: &mut u64) {
        if let Some((_, stamped)) = &mut self.timer {
            *generation += 1;
            *stamped = *generation;
        }
    }

    /// Sets the timer (the last call of a store's method wins).
    pub(crate) fn timer(&mut self, cmd: TimerCmd) {
        self.timer = Some((cmd, 0));
    }

    /// Drops `junk` (an item replaced or skipped) after unlocking.
    pub(crate) fn drop_later(&mut self, junk: J) {
        self.junk.push(junk);
    }

    /// Fails the stream: upstream is cancelled, `error` delivered at once.
    pub(crate) fn fail(&mut self, error: Error) {
        if self.fail.is_none() {
            self.fail = Some(error);
        }
    }

    /// A source is done: complete once the store is empty.
    pub(crate) fn complete(&mut self) {
        self.complete = true;
    }
}

/// What a timed emitter holds, and how it answers items, timers, the
/// completion and the drainer. Every method runs under the engine's lock:
/// no user code here (drop through [`Effects::drop_later`]).
pub(crate) trait TimedStore: Send + 'static {
    /// What upstream sends (sources: `()`, never sent).
    type In: Send + 'static;
    /// What goes downstream.
    type Out: Send + 'static;
    /// What the store drops.
    type Junk: Send + 'static;

    /// The stream starts (after downstream's `on_subscribe`): arm a timer.
    fn start(&mut self, _now: Instant, _fx: &mut Effects<Self::Junk>) {}

    /// An item from upstream, at `now` on the scheduler's clock.
    fn on_next(&mut self, item: Self::In, now: Instant, fx: &mut Effects<Self::Junk>);

    /// The timer in force fired, at `now`.
    fn on_timer(&mut self, now: Instant, fx: &mut Effects<Self::Junk>);

    /// Upstream completed: make due what must go out before `on_complete`.
    fn on_complete(&mut self, _fx: &mut Effects<Self::Junk>) {}

    /// The next item to deliver. `has_demand`: downstream can take one more
    /// now. Without demand the store keeps, drops or fails (its no-demand
    /// choice) and returns `None`.
    fn poll(&mut self, has_demand: bool, fx: &mut Effects<Self::Junk>) -> Option<Self::Out>;

    /// True when nothing is held: completion may go.
    fn is_empty(&self) -> bool;

    /// How many more items to ask upstream for now, with `demand` items of
    /// downstream demand outstanding (`UNBOUNDED` for unbounded). Called by
    /// the drainer after each round.
    fn upstream_request(&mut self, _demand: u64) -> u64 {
        0
    }
}

/// The shared state of one subscription; also the subscription handed
/// downstream. See the module docs for the protocol.
pub(crate) struct Timed<St: TimedStore, S> {
    demand: Demand,
    upstream: Option<Arc<dyn Subscription>>,
    worker: Worker,
    held: Mutex<Held<St>>,
    timer: Mutex<Option<(u64, TaskHandle)>>,
    drain: Drain<Option<S>>,
}

/// Field access rule 2.
struct Held<St> {
    store: Option<St>,
    end: Option<Result<(), Error>>,
    closed: bool,
    generation: u64,
}

/// How a drain round ended.
enum Stop {
    Idle,
    Terminated,
}

/// What the drainer found under the lock.
enum Next<T> {
    Item(T),
    Idle,
    Again,
    End(Result<(), Error>),
}

impl<St, S> Timed<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    /// Hands `downstream` its subscription (as the first drainer, rule 1),
    /// starts the store (arming its first timer), then asks upstream for
    /// what the store wants.
    pub(crate) fn start(
        store: St,
        upstream: Option<Arc<dyn Subscription>>,
        worker: Worker,
        downstream: S,
    ) -> Arc<Self> {
        let timed = Arc::new(Timed {
            demand: Demand::new(),
            upstream,
            worker,
            held: Mutex::new(Held {
                store: Some(store),
                end: None,
                closed: false,
                generation: 0,
            }),
            timer: Mutex::new(None),
            drain: Drain::new(Some(downstream)),
        });
        let Some(mut entered) = timed.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state() {
            // §1.9: on_subscribe first; a request inside only records demand.
            downstream.on_subscribe(Arc::clone(&timed) as Arc<dyn Subscription>);
        }
        if !timed.demand.is_cancelled() {
            let now = timed.worker.now();
            timed.with_store(|store, fx| store.start(now, fx));
        }
        timed.run(entered);
        timed
    }

    /// Runs `f` on the store unless the stream is closed or ending, then
    /// applies its effects (unlocked) and drains. Returns false when the
    /// store was closed (`f` not run).
    fn with_store(self: &Arc<Self>, f: impl FnOnce(&mut St, &mut Effects<St::Junk>)) -> bool {
        let mut fx = Effects::new();
        {
            let mut held = self.held.lock();
            if held.closed || held.end.is_some() {
                return false;
            }
            let Some(store) = held.store.as_mut() else {
                return false;
            };
            f(store, &mut fx);
            fx.stamp(&mut held.generation);
        }
        self.apply(fx);
        true
    }

    /// An item from upstream: into the store, then drain. An item after the
    /// end (§2.8, after our own cancel) is dropped unlocked.
    pub(crate) fn offer(self: &Arc<Self>, item: St::In) {
        let now = self.worker.now();
        let mut item = Some(item);
        self.with_store(|store, fx| {
            if let Some(item) = item.take() {
                store.on_next(item, now, fx);
            }
        });
        drop(item);
        self.drain();
    }

    /// Upstream completed: the store makes due what it holds, and
    /// `on_complete` follows once it is delivered.
    pub(crate) fn complete(self: &Arc<Self>) {
        let mut fx = Effects::new();
        {
            let mut held = self.held.lock();
            if held.closed || held.end.is_some() {
                return;
            }
            if let Some(store) = held.store.as_mut() {
                store.on_complete(&mut fx);
            }
            fx.stamp(&mut held.generation);
            held.end = Some(Ok(()));
        }
        self.apply(fx);
        self.drain();
    }

    /// Upstream failed: deliver the error at once.
    pub(crate) fn error(&self, error: Error) {
        self.end(Err(error));
    }

    /// The operator failed by itself: cancel upstream, deliver the error at
    /// once.
    pub(crate) fn fail(&self, error: Error) {
        if let Some(upstream) = &self.upstream {
            upstream.cancel();
        }
        self.end(Err(error));
    }

    fn end(&self, end: Result<(), Error>) {
        {
            let mut held = self.held.lock();
            if held.closed {
                return;
            }
            match (&held.end, &end) {
                // An error overtakes a recorded completion; nothing else
                // replaces a recorded end.
                (None, _) | (Some(Ok(())), Err(_)) => held.end = Some(end),
                _ => return,
            }
        }
        self.drain();
    }

    /// A timer of generation `generation` fired.
    fn fire(self: &Arc<Self>, generation: u64) {
        let now = self.worker.now();
        let mut fx = Effects::new();
        {
            let mut held = self.held.lock();
            // Race 1: a stale timer does nothing.
            if held.closed || held.generation != generation {
                return;
            }
            // An error waits for the drainer; a completion still lets
            // held items fall due.
            if matches!(held.end, Some(Err(_))) {
                return;
            }
            let Some(store) = held.store.as_mut() else {
                return;
            };
            store.on_timer(now, &mut fx);
            fx.stamp(&mut held.generation);
        }
        self.apply(fx);
        self.drain();
    }

    /// A timer of generation `generation` was dropped without running.
    fn dropped_unrun(self: &Arc<Self>, generation: u64) {
        {
            let held = self.held.lock();
            // Ours (replaced, disarmed, or the stream ended): nothing to say.
            if held.closed || held.generation != generation {
                return;
            }
        }
        // Race 4: the scheduler dropped a live timer. A timer refused when
        // it was armed (a zero period, a delay on the immediate scheduler)
        // is dropped before `schedule_*` returns, and the worker does not
        // refuse tasks for it: `arm` reports that refusal itself.
        if let Some(rejected) = self.worker.rejection() {
            self.fail(Error::from(rejected));
        }
    }

    /// Applies what a store asked for, but the timer, which it returns:
    /// drops (unlocked), a failure, the end of a source.
    fn settle(&self, fx: Effects<St::Junk>) -> Option<(TimerCmd, u64)> {
        let Effects {
            timer,
            junk,
            fail,
            complete,
        } = fx;
        drop(junk);
        if let Some(error) = fail {
            self.fail(error);
            return None;
        }
        if complete {
            self.end(Ok(()));
        }
        timer
    }

    /// Applies what a store asked for, the timer included.
    fn apply(self: &Arc<Self>, fx: Effects<St::Junk>) {
        if let Some((cmd, generation)) = self.settle(fx) {
            self.arm(cmd, generation);
        }
    }

    /// Replaces the timer in force by the one of `generation` (race 5).
    fn arm(self: &Arc<Self>, cmd: TimerCmd, generation: u64) {
        if let TimerCmd::Disarm = cmd {
            self.cancel_older(generation);
            return;
        }
        let guard = FireGuard {
            timed: Arc::clone(self),
            generation,
            fired: false,
        };
        let armed = match cmd {
            TimerCmd::Arm(delay) => self.worker.schedule_after(delay, move || guard.fire()),
            TimerCmd::Periodic { initial, period } => {
                let mut guard = guard;
                self.worker
                    .schedule_periodically(initial, period, move || guard.tick())
            }
            TimerCmd::Disarm => unreachable!("handled above"),
        };
        match armed {
            Ok(handle) => {
                let stale = {
                    let mut slot = self.timer.lock();
                    match &*slot {
                        Some((newer, _)) if *newer > generation => Some(handle),
                        _ => slot.replace((generation, handle)).map(|(_, old)| old),
                    }
                };
                if let Some(stale) = stale {
                    stale.cancel();
                }
            }
            // A zero period, a delay on the immediate scheduler, a disposed
            // scheduler: a clear error, never a hang.
            Err(rejected) => self.fail(Error::from(rejected)),
        }
    }

    /// Cancels the timer in force if it is older than `generation`.
    fn cancel_older(&self, generation: u64) {
        let old = {
            let mut slot = self.timer.lock();
            match &*slot {
                Some((older, _)) if *older < generation => slot.take(),
                _ => None,
            }
        };
        if let Some((_, handle)) = old {
            handle.cancel();
        }
    }

    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, Option<S>>) {
        loop {
            // Race 6: a panic in downstream's code ends the stream here.
            let round = catch_unwind(AssertUnwindSafe(|| self.round(entered.state())));
            match round {
                Ok(Stop::Terminated) => return entered.close(),
                Ok(Stop::Idle) => match entered.leave() {
                    Some(again) => entered = again,
                    None => return,
                },
                Err(payload) => {
                    if let Some(upstream) = &self.upstream {
                        upstream.cancel();
                    }
                    drop(self.close(entered.state()));
                    entered.close();
                    resume_unwind(payload);
                }
            }
        }
    }

    /// Delivers due items within demand; then the end, if it is due; then
    /// asks upstream for what the store wants.
    fn round(&self, slot: &mut Option<S>) -> Stop {
        if slot.is_none() {
            return Stop::Terminated;
        }
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12: a cancel (or a request(0)) is seen before every item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot);
            }
            let mut fx = Effects::new();
            let next = {
                let mut guard = self.held.lock();
                let held = &mut *guard;
                if matches!(held.end, Some(Err(_))) {
                    // Errors go first: the store is dropped (unlocked).
                    Next::End(held.end.take().unwrap_or(Ok(())))
                } else if let Some(store) = held.store.as_mut() {
                    if emitted >= requested {
                        // A fresh look before answering "no demand".
                        requested = self.demand.get();
                    }
                    let polled = store.poll(emitted < requested, &mut fx);
                    fx.stamp(&mut held.generation);
                    match polled {
                        Some(item) => Next::Item(item),
                        None if fx.fail.is_some() || fx.complete => Next::Again,
                        None if store.is_empty() && matches!(held.end, Some(Ok(()))) => {
                            Next::End(Ok(()))
                        }
                        None => Next::Idle,
                    }
                } else {
                    Next::Idle
                }
            };
            match next {
                Next::Item(item) => {
                    self.apply_in_drain(fx);
                    if let Some(downstream) = slot.as_mut() {
                        emitted += u64::from(downstream.try_on_next(item));
                    }
                }
                Next::Again => self.apply_in_drain(fx),
                Next::Idle => {
                    self.apply_in_drain(fx);
                    break;
                }
                Next::End(end) => return self.terminate(slot, end),
            }
        }
        let left = if emitted > 0 {
            self.demand.produced(emitted)
        } else {
            self.demand.get()
        };
        let more = {
            let mut held = self.held.lock();
            let open = !held.closed && held.end.is_none();
            match held.store.as_mut() {
                Some(store) if open => store.upstream_request(left),
                _ => 0,
            }
        };
        if more > 0 {
            if let Some(upstream) = &self.upstream {
                upstream.request(more.min(UNBOUNDED));
            }
        }
        Stop::Idle
    }

    /// `apply` from inside the drain, where a store may only disarm (a
    /// failure or an end it records is seen on the next turn of the round's
    /// loop).
    fn apply_in_drain(&self, fx: Effects<St::Junk>) {
        match self.settle(fx) {
            Some((TimerCmd::Disarm, generation)) => self.cancel_older(generation),
            Some(_) => debug_assert!(false, "a poll may only disarm"),
            None => {}
        }
    }

    /// Closes the store, disposes the worker (cancelling the armed timer),
    /// and takes the subscriber out.
    fn close(&self, slot: &mut Option<S>) -> Option<S> {
        let (store, end) = {
            let mut held = self.held.lock();
            held.closed = true;
            (held.store.take(), held.end.take())
        };
        drop(store);
        drop(end);
        let timer = self.timer.lock().take();
        drop(timer);
        self.worker.dispose();
        slot.take()
    }

    fn terminate(&self, slot: &mut Option<S>, end: Result<(), Error>) -> Stop {
        if let Some(mut downstream) = self.close(slot) {
            match end {
                Ok(()) => downstream.on_complete(),
                Err(error) => downstream.on_error(error),
            }
        }
        Stop::Terminated
    }

    /// The cancelled bit is set: a cancel, or a `request(0)`. Closes the
    /// store and drops the subscriber (§3.13), after the §3.9 error if it is
    /// owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<S>) -> Stop {
        // A cancel has cancelled upstream already; a request(0) has not.
        if let Some(upstream) = &self.upstream {
            upstream.cancel();
        }
        let downstream = self.close(slot);
        if let (Some(error), Some(mut downstream)) = (self.demand.take_invalid(), downstream) {
            downstream.on_error(error); // §3.9
        }
        Stop::Terminated
    }
}

impl<St, S> Subscription for Timed<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n); // n == 0: §3.9, handled by the drainer
        self.drain();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            if let Some(upstream) = &self.upstream {
                upstream.cancel();
            }
            self.drain(); // race 3: whoever drains closes the store
        }
    }
}

impl<St: TimedStore, S> fmt::Debug for Timed<St, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timed")
            .field("demand", &self.demand)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

/// Carried by every timer closure: runs the firing, and tells the engine
/// when the closure is dropped without having run (race 4).
struct FireGuard<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    timed: Arc<Timed<St, S>>,
    generation: u64,
    fired: bool,
}

impl<St, S> FireGuard<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    /// A one-shot timer fires (consumes the guard).
    fn fire(mut self) {
        self.fired = true;
        self.timed.fire(self.generation);
    }

    /// A periodic timer ticks; its guard stays for the next tick.
    fn tick(&mut self) {
        self.timed.fire(self.generation);
    }
}

impl<St, S> Drop for FireGuard<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    fn drop(&mut self) {
        if !self.fired {
            self.timed.dropped_unrun(self.generation);
        }
    }
}

/// The upstream-facing subscriber of the timed operators: hands the
/// subscription, items and terminal signals to the engine.
pub(crate) struct TimedSubscriber<St: TimedStore, S> {
    /// Until `on_subscribe`.
    start: Option<(St, Worker, S)>,
    timed: Option<Arc<Timed<St, S>>>,
}

impl<St: TimedStore, S> TimedSubscriber<St, S> {
    pub(crate) fn new(store: St, worker: Worker, downstream: S) -> Self {
        TimedSubscriber {
            start: Some((store, worker, downstream)),
            timed: None,
        }
    }
}

impl<St, S> Subscriber<St::In> for TimedSubscriber<St, S>
where
    St: TimedStore,
    S: Subscriber<St::Out> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        match self.start.take() {
            Some((store, worker, downstream)) => {
                self.timed = Some(Timed::start(store, Some(subscription), worker, downstream));
            }
            None => subscription.cancel(), // §2.5
        }
    }

    fn on_next(&mut self, item: St::In) {
        if let Some(timed) = &self.timed {
            timed.offer(item);
        }
    }

    fn on_error(&mut self, error: Error) {
        if let Some(timed) = &self.timed {
            timed.error(error);
        }
    }

    fn on_complete(&mut self) {
        if let Some(timed) = &self.timed {
            timed.complete();
        }
    }
}

impl<St: TimedStore, S> fmt::Debug for TimedSubscriber<St, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimedSubscriber")
            .field("subscribed", &self.timed.is_some())
            .finish()
    }
}
