//! `scan`: emits the seed, then each running accumulation. For items
//! `x1, x2, ...` it emits `seed, f(seed, x1), f(f(seed, x1), x2), ...`.
//!
//! The seed comes first, as in Reactor's and RxJava's `scan(initial, f)` and
//! in the functional tradition they follow (Haskell's `scanl`, Scala's
//! `scanLeft`, Kotlin's `runningFold`). Of the two documented semantics this
//! is the more useful one for a push stream: the accumulated state is
//! observable before the first item arrives (a counter shows 0, a reducer its
//! initial state), an empty upstream still yields the seed, and the output is
//! exactly the sequence of states. When the seed is not wanted,
//! [`skip(1)`](crate::PublisherExt::skip) drops it; the other way round
//! would need an operator that prepends an item with its own demand
//! bookkeeping. (`Iterator::scan` in std is a different operation: a
//! stateful `filter_map` whose state is never emitted.)
//!
//! # Demand
//!
//! The seed takes one unit of the first request; all other demand goes
//! upstream 1:1 (an unbounded request stays unbounded). Upstream is
//! subscribed only once the seed has been delivered, as Reactor does: so a
//! downstream that cancels before requesting never subscribes upstream, and
//! an upstream that fails at once shows its error after the seed. After the
//! seed, items pass with no cost beyond the closure and a clone of the
//! accumulator; each `request` takes one uncontended lock to find the
//! upstream subscription.
//!
//! Threads: the seed is delivered on the thread that makes the first request
//! (inside `subscribe` when the downstream requests from `on_subscribe`);
//! everything after it on upstream's threads.
//!
//! # Implementation notes
//!
//! ## State
//! `Deferred::link: Mutex<Link>`: the demand not yet passed upstream
//! (`pending`), a `request(0)` not yet answered (`invalid`), `cancelled`,
//! `seeded` (the seed phase is over) and, once upstream's `on_subscribe` has
//! arrived, the upstream subscription.
//!
//! `drain: Drain<Option<SeedPhase>>`: the downstream, the seed, the upstream
//! publisher and the closure, until the seed is delivered. Then they move
//! into the [`ScanSubscriber`] subscribed upstream, and the drain is closed
//! for good.
//!
//! ## Field access rules
//! 1. `SeedPhase`: only the drainer (`drain.rs`). `subscribe` enters the
//!    drain before calling `on_subscribe`, so a `request` from inside it only
//!    records demand, and the drain loop serves it when `on_subscribe`
//!    returns (§3.3).
//! 2. `link`: under its lock. Nobody calls a subscription or a subscriber
//!    while holding it: a synchronous upstream emits from inside `request`,
//!    and the downstream may request from inside `on_next`.
//! 3. Requesters try to enter the drain only while `seeded` is false; after
//!    the seed, the downstream belongs to the `ScanSubscriber`, which only
//!    upstream's (serial, §1.3) signals touch.
//!
//! ## Races considered
//! 1. `request` vs the seed: a requester records its demand under the lock,
//!    then tries to enter; the drainer reads the demand under the lock on
//!    every round, and a requester that did not enter made the drainer go
//!    round again (`drain.rs`, race 1). The drainer sets `seeded` under the
//!    lock after delivering the seed, so every request either is in
//!    `pending` by then or comes after, and sees `seeded`.
//! 2. `request` vs upstream's `on_subscribe` (`attach`): both under the lock.
//!    A request either finds the upstream subscription (and calls it after
//!    unlocking), or adds to `pending`, which `attach` takes and passes on.
//! 3. `cancel` vs `attach`: `cancel` sets `cancelled` and takes the
//!    subscription under the lock; an `attach` that locks later sees
//!    `cancelled` and cancels the new subscription itself. Upstream is
//!    cancelled exactly once either way.
//! 4. `cancel` (or `request(0)`) from inside the seed's `on_next`: recorded
//!    under the lock; the drainer reads it when `on_next` returns, and then
//!    drops the downstream (or fails it, §3.9) without subscribing upstream.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`scan`](crate::PublisherExt::scan) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Scan<P, A, F> {
    upstream: Arc<P>,
    seed: A,
    f: Arc<F>,
}

impl<P: fmt::Debug, A: fmt::Debug, F> fmt::Debug for Scan<P, A, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan")
            .field("upstream", &self.upstream)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl<P, A: Clone, F> Clone for Scan<P, A, F> {
    fn clone(&self) -> Self {
        Scan {
            upstream: Arc::clone(&self.upstream),
            seed: self.seed.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, A, F> Scan<P, A, F> {
    pub(crate) fn new(upstream: P, seed: A, f: F) -> Self {
        Scan {
            upstream: Arc::new(upstream),
            seed,
            f: Arc::new(f),
        }
    }
}

impl<P, A, F> Publisher for Scan<P, A, F>
where
    P: Publisher + 'static,
    A: Clone + Send + Sync + 'static,
    F: Fn(A, P::Item) -> A + Send + Sync + 'static,
{
    type Item = A;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<A> + 'static,
    {
        let coordinator = Arc::new(ScanCoordinator {
            deferred: Arc::new(Deferred {
                link: Mutex::new(Link::default()),
            }),
            drain: Drain::new(Some(SeedPhase {
                downstream: subscriber,
                seed: self.seed.clone(),
                upstream: Arc::clone(&self.upstream),
                f: Arc::clone(&self.f),
            })),
        });
        // Nobody else holds the coordinator yet, so this always enters.
        let Some(mut entered) = coordinator.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(phase) = entered.state() {
            // §1.9: on_subscribe first. A request made inside it only records
            // demand; `run` serves it (§3.3).
            phase
                .downstream
                .on_subscribe(Arc::clone(&coordinator) as Arc<dyn Subscription>);
        }
        coordinator.run(entered);
    }
}

/// What the coordinator knows about demand and the upstream subscription.
/// See the module docs (field access rule 2).
#[derive(Default)]
struct Link {
    upstream: Option<Arc<dyn Subscription>>,
    pending: u64,
    invalid: bool,
    cancelled: bool,
    seeded: bool,
}

/// The upstream side of the coordinator, shared with the [`ScanSubscriber`]:
/// requests made before upstream's `on_subscribe` wait here (Reactor's
/// "deferred subscription").
struct Deferred {
    link: Mutex<Link>,
}

impl Deferred {
    /// Upstream's subscription arrived: keep it and pass on what was
    /// requested meanwhile; cancel it if we were cancelled or have one
    /// already (§2.5).
    fn attach(&self, subscription: Arc<dyn Subscription>) {
        let (pending, invalid) = {
            let mut link = self.link.lock();
            if link.cancelled || link.upstream.is_some() {
                drop(link);
                subscription.cancel();
                return;
            }
            link.upstream = Some(Arc::clone(&subscription));
            (
                core::mem::take(&mut link.pending),
                core::mem::take(&mut link.invalid),
            )
        };
        if invalid {
            subscription.request(0); // upstream answers §3.9
        }
        if pending > 0 {
            subscription.request(pending);
        }
    }

    /// Marks the link cancelled and cancels upstream, once (§3.7). Returns
    /// true when the seed phase was not over, so the drain must drop it.
    fn cancel(&self) -> bool {
        let (upstream, seeding) = {
            let mut link = self.link.lock();
            if link.cancelled {
                return false;
            }
            link.cancelled = true;
            (link.upstream.take(), !link.seeded)
        };
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
        seeding
    }
}

/// The downstream and what the seed phase needs.
struct SeedPhase<P, A, F, S> {
    downstream: S,
    seed: A,
    upstream: Arc<P>,
    f: Arc<F>,
}

/// The subscription `scan` hands downstream: delivers the seed, then passes
/// demand upstream.
struct ScanCoordinator<P, A, F, S> {
    deferred: Arc<Deferred>,
    drain: Drain<Option<SeedPhase<P, A, F, S>>>,
}

/// What the seed-phase drainer does next.
enum Next {
    /// Cancelled: drop the downstream (§3.13).
    Drop,
    /// `request(0)`: signal the §3.9 error.
    Invalid,
    /// There is demand: deliver the seed.
    Seed,
    /// No demand yet: leave the drain.
    Wait,
}

impl<P, A, F, S> ScanCoordinator<P, A, F, S>
where
    P: Publisher + 'static,
    A: Clone + Send + Sync + 'static,
    F: Fn(A, P::Item) -> A + Send + Sync + 'static,
    S: Subscriber<A> + 'static,
{
    /// The seed phase's drain loop (field access rule 1).
    fn run(&self, mut entered: Entered<'_, Option<SeedPhase<P, A, F, S>>>) {
        loop {
            let next = {
                let mut link = self.deferred.link.lock();
                next_step(&mut link)
            };
            match next {
                Next::Wait => match entered.leave() {
                    Some(again) => entered = again,
                    None => return,
                },
                Next::Drop => {
                    drop(entered.state().take());
                    return entered.close();
                }
                Next::Invalid => {
                    let phase = entered.state().take();
                    entered.close();
                    if let Some(mut phase) = phase {
                        phase.downstream.on_error(Error::non_positive_request());
                    }
                    return;
                }
                Next::Seed => {
                    if let Some(phase) = entered.state().take() {
                        self.deliver_seed(entered, phase);
                    }
                    return;
                }
            }
        }
    }

    /// Offers the seed downstream, ends the seed phase (closing the drain),
    /// then subscribes upstream, unless a cancel or `request(0)` came from
    /// inside the seed's `on_next` (race 4).
    fn deliver_seed(
        &self,
        entered: Entered<'_, Option<SeedPhase<P, A, F, S>>>,
        phase: SeedPhase<P, A, F, S>,
    ) {
        let SeedPhase {
            mut downstream,
            seed,
            upstream,
            f,
        } = phase;
        // A dropping stage downstream may reject the seed: then it costs no
        // demand (`Subscriber::try_on_next`).
        let accepted = downstream.try_on_next(seed.clone());
        let next = {
            let mut link = self.deferred.link.lock();
            link.seeded = true;
            if accepted && link.pending != UNBOUNDED {
                link.pending -= 1; // §3.17: unbounded stays unbounded
            }
            next_step(&mut link)
        };
        // The seed phase is over: nobody enters again (field access rule 3).
        entered.close();
        match next {
            Next::Drop => drop(downstream),
            Next::Invalid => downstream.on_error(Error::non_positive_request()),
            Next::Seed | Next::Wait => upstream.subscribe(ScanSubscriber {
                downstream,
                acc: Some(seed),
                f,
                deferred: Arc::clone(&self.deferred),
                subscribed: false,
                done: false,
            }),
        }
    }
}

/// Reads what the seed-phase drainer must do, under the lock. A `request(0)`
/// is taken once, and ends the link as a cancel does.
fn next_step(link: &mut Link) -> Next {
    if link.cancelled {
        Next::Drop
    } else if link.invalid {
        link.invalid = false;
        link.cancelled = true;
        Next::Invalid
    } else if link.pending > 0 {
        Next::Seed
    } else {
        Next::Wait
    }
}

impl<P, A, F, S> Subscription for ScanCoordinator<P, A, F, S>
where
    P: Publisher + 'static,
    A: Clone + Send + Sync + 'static,
    F: Fn(A, P::Item) -> A + Send + Sync + 'static,
    S: Subscriber<A> + 'static,
{
    fn request(&self, n: u64) {
        let seeding = {
            let mut link = self.deferred.link.lock();
            if link.cancelled {
                return; // §3.6
            }
            if let Some(upstream) = link.upstream.clone() {
                drop(link);
                return upstream.request(n);
            }
            if n == 0 {
                link.invalid = true; // §3.9, answered by the drain or by upstream
            } else {
                link.pending = link.pending.saturating_add(n).min(UNBOUNDED);
            }
            !link.seeded
        };
        if seeding {
            if let Some(entered) = self.drain.try_enter() {
                self.run(entered);
            }
        }
    }

    fn cancel(&self) {
        if self.deferred.cancel() {
            if let Some(entered) = self.drain.try_enter() {
                self.run(entered);
            }
        }
    }
}

/// `scan`'s subscriber to upstream, subscribed once the seed is out: owns
/// the downstream and the accumulator.
pub(crate) struct ScanSubscriber<S, A, F> {
    downstream: S,
    /// The accumulator; `None` only while `f` runs, and after a failure.
    acc: Option<A>,
    f: Arc<F>,
    deferred: Arc<Deferred>,
    subscribed: bool,
    done: bool,
}

impl<S, A, F> ScanSubscriber<S, A, F>
where
    S: Subscriber<A>,
    A: Clone,
{
    /// Folds `item` in and returns the new accumulator to emit, or fails the
    /// stream if `f` panics.
    #[inline]
    fn accumulate<T>(&mut self, item: T) -> Option<A>
    where
        F: Fn(A, T) -> A,
    {
        if self.done {
            return None; // §2.8: late items after our own cancel are ignored
        }
        let acc = self.acc.take()?;
        let f = &self.f;
        // The accumulator's `Clone` is user code too.
        match guard(|| {
            let next = f(acc, item);
            (next.clone(), next)
        }) {
            Ok((kept, next)) => {
                self.acc = Some(kept);
                Some(next)
            }
            Err(error) => {
                self.done = true;
                self.deferred.cancel();
                self.downstream.on_error(error);
                None
            }
        }
    }
}

impl<S, A, F, T> Subscriber<T> for ScanSubscriber<S, A, F>
where
    S: Subscriber<A>,
    A: Clone + Send,
    F: Fn(A, T) -> A + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.deferred.attach(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if let Some(acc) = self.accumulate(item) {
            self.downstream.on_next(acc);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        match self.accumulate(item) {
            Some(acc) => self.downstream.try_on_next(acc),
            None => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.acc = None;
            self.downstream.on_error(error);
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.acc = None;
            self.downstream.on_complete();
        }
    }
}
