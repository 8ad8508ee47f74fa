//! The engine of the two merges, [`sequential`](super::Sequential) and
//! [`ordered`](super::Ordered): the rails' subscribers, their bounded
//! queues, and one drain that delivers within the downstream's demand. The
//! two differ only in which rail's item goes next ([`Pick`]).
//!
//! # Demand
//!
//! Each rail is asked for `prefetch` items when it subscribes and for 75% of
//! `prefetch` more each time that many of its items were taken, so at most
//! `prefetch` of a rail's items wait in its queue. The downstream receives
//! items only within its own demand (§1.1).
//!
//! Threads: each rail queues its items on its own thread (its worker after
//! `run_on`); whichever thread holds the drain (a rail's, or the
//! downstream's on `request`) delivers them.
//!
//! # Implementation notes
//!
//! ## State
//! In [`MergeMain`], shared by the downstream's subscription and every rail's
//! subscriber:
//! - `demand: Demand`: the downstream's outstanding requests and cancelled
//!   bit (`demand.rs`).
//! - `errors: ErrorSlot`: the first error of any rail, or an overflow
//!   (`inner.rs`).
//! - `links`: per rail an `InnerLink` (`inner.rs`): its `done` flag, its
//!   subscription, the consumer of its queue handed off on first use.
//! - `drain: Drain<State>`: the downstream subscriber, per rail the consumer
//!   of its queue, its replenishing counter and whether it finished, and
//!   `sequential`'s rotation position.
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only (`drain.rs`). `subscribe` enters it
//!    first, to hand the downstream its subscription, before any rail is
//!    subscribed.
//! 2. A rail's queue is pushed only by its subscriber (serial, §1.3) and
//!    popped only by the drainer; its consumer reaches the drainer through
//!    the link (`inner.rs`, rule 2).
//!
//! ## Races considered
//! 1. A rail's last item against its completion: the rail queues its item
//!    before it sets `done` (Release); the drainer loads `done` (Acquire)
//!    *before* it looks at the queue a last time, so a rail counts as
//!    finished only when its queue was empty after it completed
//!    (`inner.rs`, race 1). `ordered` waits for a rail that is empty and
//!    not finished: its next item may be the smallest.
//! 2. `request` against a rail's item: each records its work, then signals
//!    the drain; the holder sees the signal when it leaves and goes round
//!    again (`drain.rs`, race 1).
//! 3. An error or a cancel: checked at the top of every round and before
//!    every item; the holder cancels every rail (a link cancelled before
//!    its rail subscribed cancels the subscription when it arrives), drops
//!    the queues, and signals the error downstream, once.

use crate::author::{Demand, Replenish};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::parallel::rails::{clamp_prefetch, ParallelPublisher};
use crate::ops::support::inner::{
    Ending, ErrorSlot, InnerLink, InnerQueue, InnerSubscriber, Parent,
};
use crate::queue::spsc::Consumer;
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber, Subscription};

/// One rail's link: its items carry their source position.
pub(crate) type RailLink<T> = Arc<InnerLink<(u64, T)>>;

/// Which rail's item goes downstream next.
pub(crate) trait Pick: Send + Sync + 'static {
    /// The rail whose head item goes next (its queue is not empty), or
    /// `None` to wait (for more items, or for every rail to finish).
    fn pick<T>(
        rails: &mut [RailQueue<T>],
        next: &mut usize,
        links: &[RailLink<T>],
    ) -> Option<usize>;
}

/// The drainer's view of one rail.
pub(crate) struct RailQueue<T> {
    queue: Option<Consumer<(u64, T)>>,
    subscription: Option<Arc<dyn Subscription>>,
    replenish: Replenish,
    /// The rail completed and everything it sent was taken.
    finished: bool,
}

impl<T> RailQueue<T> {
    /// True once the rail completed and its queue is empty.
    #[inline]
    pub(crate) fn is_finished(&self) -> bool {
        self.finished
    }

    /// The position of the rail's head item, if it has one.
    #[inline]
    pub(crate) fn head(&mut self, link: &InnerLink<(u64, T)>) -> Option<u64> {
        if self.queue.is_none() {
            self.queue = link.take_queue();
        }
        self.queue.as_mut()?.peek().map(|(position, _)| *position)
    }

    /// Marks the rail finished when it completed and its queue is empty
    /// after that (race 1: `done` first). True when it is finished.
    pub(crate) fn settle(&mut self, link: &InnerLink<(u64, T)>) -> bool {
        if !self.finished && link.is_done() && self.head(link).is_none() {
            self.finished = true;
            link.release();
        }
        self.finished
    }

    /// Takes the head item, and asks the rail for more at 75%.
    fn take(&mut self, link: &InnerLink<(u64, T)>) -> Option<(u64, T)> {
        let item = self.queue.as_mut()?.pop()?;
        if let Some(more) = self.replenish.consumed_one() {
            if self.subscription.is_none() {
                self.subscription = link.subscription();
            }
            if let Some(subscription) = &self.subscription {
                subscription.request(more);
            }
        }
        Some(item)
    }
}

/// The state only the drainer touches (field access rule 1).
struct State<T, S> {
    downstream: Option<S>,
    rails: Vec<RailQueue<T>>,
    /// `sequential`'s rotation position.
    next: usize,
}

/// What the downstream's subscription and the rails' subscribers share.
pub(crate) struct MergeMain<T, S, K> {
    demand: Demand,
    errors: ErrorSlot,
    links: Box<[RailLink<T>]>,
    prefetch: usize,
    drain: Drain<State<T, S>>,
    pick: core::marker::PhantomData<fn() -> K>,
}

/// Subscribes `downstream` to the merge of `upstream`'s rails, whose next
/// item `K` picks.
pub(crate) fn subscribe<P, S, K>(upstream: &P, downstream: S, prefetch: usize)
where
    P: ParallelPublisher,
    S: Subscriber<P::Item> + 'static,
    K: Pick,
{
    let prefetch = clamp_prefetch(prefetch);
    let rails = upstream.rails();
    let links: Box<[_]> = (0..rails).map(|_| Arc::new(InnerLink::new())).collect();
    let main = Arc::new(MergeMain::<P::Item, S, K> {
        demand: Demand::new(),
        errors: ErrorSlot::new(),
        links,
        prefetch,
        drain: Drain::new(State {
            downstream: None,
            rails: (0..rails)
                .map(|_| RailQueue {
                    queue: None,
                    subscription: None,
                    replenish: Replenish::new(prefetch as u64),
                    finished: false,
                })
                .collect(),
            next: 0,
        }),
        pick: core::marker::PhantomData,
    });
    // Rule 1: nobody else can signal yet, so this is the first entry.
    let Some(mut entered) = main.drain.try_enter() else {
        return;
    };
    let mut downstream = downstream;
    downstream.on_subscribe(Arc::clone(&main) as Arc<dyn Subscription>);
    entered.state().downstream = Some(downstream);
    main.run(entered);
    let subscribers = main
        .links
        .iter()
        .map(|link| InnerSubscriber::new(Arc::clone(&main), Arc::clone(link), prefetch))
        .collect();
    upstream.subscribe_rails(subscribers, Fused(()));
}

impl<T, S, K> MergeMain<T, S, K>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
    K: Pick,
{
    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, State<T, S>>) {
        loop {
            if let Some(ending) = self.round(entered.state()) {
                self.end(entered.state(), ending);
                return entered.close();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    /// One round: delivers what demand allows; the ending, once decided.
    fn round(&self, state: &mut State<T, S>) -> Option<Ending> {
        let downstream = state.downstream.as_mut()?;
        let mut requested = self.demand.get();
        let mut emitted = 0u64;
        loop {
            // §3.12: a cancel (or an error) is seen before every item.
            if self.demand.is_cancelled() {
                return Some(Ending::Cancel);
            }
            if self.errors.is_set() {
                return Some(Ending::Fail);
            }
            if emitted == requested {
                if emitted == 0 {
                    break;
                }
                // Account, and go on if more demand arrived meanwhile.
                requested = self.demand.produced(emitted);
                emitted = 0;
                if requested == 0 {
                    break;
                }
            }
            let Some(index) = K::pick(&mut state.rails, &mut state.next, &self.links) else {
                break;
            };
            let Some((_, item)) = state.rails[index].take(&self.links[index]) else {
                break; // `pick` only names a rail with an item
            };
            if downstream.try_on_next(item) {
                emitted += 1;
            }
        }
        if emitted > 0 {
            self.demand.produced(emitted);
        }
        let mut finished = true;
        for (rail, link) in state.rails.iter_mut().zip(self.links.iter()) {
            finished &= rail.settle(link);
        }
        finished.then_some(Ending::Complete)
    }

    /// Cancels (or releases) every rail, drops the queues, and signals the
    /// end downstream.
    #[cold]
    fn end(&self, state: &mut State<T, S>, ending: Ending) {
        for (rail, link) in state.rails.iter_mut().zip(self.links.iter()) {
            if ending.cancels_upstream() {
                link.cancel();
            } else {
                link.release();
            }
            rail.queue = None;
            rail.subscription = None;
        }
        ending.signal(state.downstream.take(), &self.demand, &self.errors);
    }
}

impl<T, S, K> Subscription for MergeMain<T, S, K>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
    K: Pick,
{
    fn request(&self, n: u64) {
        self.demand.request(n);
        self.signal();
    }

    fn cancel(&self) {
        if self.demand.cancel() {
            self.signal();
        }
    }
}

impl<T, S, K> Parent<(u64, T)> for MergeMain<T, S, K>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
    K: Pick,
{
    fn inner_subscribed(
        this: &Arc<Self>,
        _link: &RailLink<T>,
        subscription: &Arc<dyn Subscription>,
    ) {
        subscription.request(this.prefetch as u64);
    }

    fn inner_next(
        this: &Arc<Self>,
        link: &RailLink<T>,
        queue: &mut InnerQueue<(u64, T)>,
        item: (u64, T),
    ) {
        if queue.push_handoff(item, link).is_err() {
            this.errors.set(Error::overflow(format!(
                "a rail sent more than the {} items requested",
                this.prefetch
            )));
        }
        this.signal();
    }

    fn inner_error(this: &Arc<Self>, _link: &RailLink<T>, error: Error) {
        this.errors.set(error);
        this.signal();
    }

    fn inner_complete(this: &Arc<Self>, _link: &RailLink<T>) {
        this.signal();
    }
}

/// `sequential`: the next rail in rotation that has an item.
pub(crate) struct RoundRobin;

impl Pick for RoundRobin {
    #[inline]
    fn pick<T>(
        rails: &mut [RailQueue<T>],
        next: &mut usize,
        links: &[RailLink<T>],
    ) -> Option<usize> {
        let count = rails.len();
        for _ in 0..count {
            let index = *next;
            *next = if index + 1 == count { 0 } else { index + 1 };
            if !rails[index].is_finished() && rails[index].head(&links[index]).is_some() {
                return Some(index);
            }
        }
        None
    }
}

/// `ordered`: the smallest source position among the rails' heads, once
/// every rail that is not finished has a head (any of them may still send
/// a smaller one).
pub(crate) struct SourceOrder;

impl Pick for SourceOrder {
    #[inline]
    fn pick<T>(
        rails: &mut [RailQueue<T>],
        _next: &mut usize,
        links: &[RailLink<T>],
    ) -> Option<usize> {
        let mut best: Option<(u64, usize)> = None;
        for (index, (rail, link)) in rails.iter_mut().zip(links.iter()).enumerate() {
            if rail.is_finished() {
                continue;
            }
            match rail.head(link) {
                Some(position) => {
                    if best.map_or(true, |(smallest, _)| position < smallest) {
                        best = Some((position, index));
                    }
                }
                // Empty: wait for it, unless it completed (race 1).
                None if rail.settle(link) => {}
                None => return None,
            }
        }
        best.map(|(_, index)| index)
    }
}
