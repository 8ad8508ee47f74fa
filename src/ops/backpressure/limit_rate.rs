//! `limit_rate`: splits the downstream's demand into batches upstream,
//! Reactor's `limitRate(highTide, lowTide)`.
//!
//! Requests `high` items upstream at first, keeps what arrives in a queue of
//! `high` slots, delivers from it within the downstream's demand, and each
//! time `limit` items have been taken from the queue requests `limit` more:
//!
//! * `low == 0`: `limit = high`, strict batches: the next batch is requested
//!   only when the whole previous one has been delivered;
//! * `0 < low < high`: `limit = low`;
//! * `low >= high` (so `limit_rate(n, n)`): the 75% rule,
//!   `limit = high - high / 4`.
//!
//! However much the downstream requests (`UNBOUNDED` included), upstream never
//! has more than `high` items requested and not yet delivered; and however
//! little, upstream is kept `high` items ahead. The items and the terminal
//! signal pass through unchanged, in order: an error is delivered after the
//! items that came before it, as Reactor's `limitRate` (a `publishOn` on the
//! immediate scheduler) does.
//!
//! Threads: items are queued on the upstream's thread and delivered by
//! whichever thread drains: the upstream's (an item arrived) or the
//! requester's (demand arrived); replenishing requests are made by the
//! drainer.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding requests and the cancelled bit,
//! which `request(0)` sets too (`demand.rs`).
//! `queue`: an SPSC queue of `high` slots (`queue/spsc.rs`); the upstream's
//! subscriber pushes, the drainer pops.
//! `done: AtomicBool`: upstream has signalled its end; `error` holds the
//! error if it failed.
//! `drain: Drain<Option<Active<T, S>>>`: the subscriber, the queue's
//! consumer and `consumed` (items taken since the last replenishing
//! request); `None` once terminated or cancelled (§3.13).
//!
//! ## Field access rules
//! 1. The drain state: the drainer only (`drain.rs`). The upstream's
//!    subscriber enters the drain to hand out the subscription, so
//!    `on_subscribe` runs as the first drainer and a `request` made inside
//!    it only records demand (§3.3).
//! 2. `error` is written before `done` is set with Release, and read only
//!    after `done` was seen with Acquire.
//! 3. The drainer reads `done` *before* polling the queue, and ends the
//!    stream only if the queue was empty after that read (B7): every item
//!    pushed before the end is in the queue by then.
//! 4. `demand` is decreased (`produced`) only by the drainer.
//!
//! ## Races considered
//! 1. `request` vs an arriving item: each records its work (demand, a pushed
//!    item) and tries to enter; whoever enters last sees both (`drain.rs`,
//!    race 1). Loom: `request_races_an_item`.
//! 2. `cancel` during a drain: `cancel` sets the bit, cancels upstream and
//!    tries to enter; the drainer checks the bit before each item, and
//!    whoever holds the drain when it is seen clears the queue and drops the
//!    subscriber. Loom: `cancel_races_the_drain`.
//! 3. Completion vs the last item: rule 3. A drainer that finds the queue
//!    empty after seeing `done` knows no item is left; one that read `done`
//!    after polling could miss an item pushed between its poll and the end.
//!    Loom: `completion_races_the_last_item`,
//!    `an_item_and_the_completion_race_a_draining_request` (which fails if
//!    the two reads are swapped).
//! 4. A replenishing request from inside the drain: a synchronous upstream
//!    emits from inside it; its items are pushed and find the drain taken, so
//!    the drainer delivers them on its next turn round the loop. The queue
//!    cannot overflow: upstream's outstanding requests, the queued items and
//!    the items taken since the last replenish always sum to `high`.
//! 5. An upstream that ignores demand and overflows the queue: the item is
//!    dropped, upstream cancelled, and an overflow error follows the queued
//!    items.

use core::fmt;

use crate::author::Demand;
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::queue::clamp_capacity;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`limit_rate`](crate::PublisherExt::limit_rate) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct LimitRate<P> {
    upstream: P,
    high: usize,
    limit: usize,
}

impl<P: fmt::Debug> fmt::Debug for LimitRate<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LimitRate")
            .field("upstream", &self.upstream)
            .field("high", &self.high)
            .field("limit", &self.limit)
            .finish()
    }
}

impl<P> LimitRate<P> {
    pub(crate) fn new(upstream: P, high: usize, low: usize) -> Self {
        assert!(high > 0, "limit_rate: `high` must be at least 1");
        // The queue is allocated at subscription: a size from the user is
        // clamped (`crate::MAX_CAPACITY`).
        let high = clamp_capacity(high);
        LimitRate {
            upstream,
            high,
            limit: replenish_limit(high, low),
        }
    }
}

/// Reactor's `Queues.unboundedOrLimit(highTide, lowTide)`: how many items
/// are taken between two replenishing requests.
pub(crate) const fn replenish_limit(high: usize, low: usize) -> usize {
    crate::author::low_tide_limit(high as u64, low as u64) as usize
}

impl<P: Publisher> Publisher for LimitRate<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(LimitRateSubscriber {
            pending: Some((subscriber, self.high, self.limit)),
            producer: None,
            inner: None,
            done: false,
        });
    }
}

/// `limit_rate`'s subscriber to upstream: pushes items into the queue.
struct LimitRateSubscriber<T, S> {
    /// The downstream, `high` and `limit`, until `on_subscribe`.
    pending: Option<(S, usize, usize)>,
    producer: Option<Producer<T>>,
    inner: Option<Arc<LimitRateInner<T, S>>>,
    /// An end was recorded: later signals are ignored.
    done: bool,
}

/// The shared state of one subscription; also the subscription handed
/// downstream. See the module docs for the protocol.
struct LimitRateInner<T, S> {
    demand: Demand,
    upstream: Arc<dyn Subscription>,
    limit: u64,
    done: AtomicBool,
    error: Mutex<Option<Error>>,
    drain: Drain<Option<Active<T, S>>>,
}

/// The drainer's state.
struct Active<T, S> {
    downstream: S,
    queue: Consumer<T>,
    /// Items taken from the queue since the last replenishing request.
    consumed: u64,
}

/// How a drain round ended.
enum Stop {
    Idle,
    Terminated,
}

impl<T, S> Subscriber<T> for LimitRateSubscriber<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some((downstream, high, limit)) = self.pending.take() else {
            subscription.cancel(); // §2.5
            return;
        };
        let (producer, consumer) = spsc(high);
        let inner = Arc::new(LimitRateInner {
            demand: Demand::new(),
            upstream: subscription,
            limit: limit as u64,
            done: AtomicBool::new(false),
            error: Mutex::new(None),
            drain: Drain::new(Some(Active {
                downstream,
                queue: consumer,
                consumed: 0,
            })),
        });
        self.producer = Some(producer);
        self.inner = Some(Arc::clone(&inner));
        let Some(mut entered) = inner.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(active) = entered.state() {
            // §1.9: on_subscribe first; a request inside only records demand.
            active
                .downstream
                .on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        }
        inner.run(entered);
        // The first batch, after the drain is left: a synchronous upstream
        // emits from inside this call, and each item can then be delivered
        // as it comes.
        if !inner.demand.is_cancelled() {
            inner.upstream.request(high as u64);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return;
        }
        let (Some(producer), Some(inner)) = (&mut self.producer, &self.inner) else {
            return;
        };
        match producer.push(item) {
            Ok(()) => inner.drain(),
            Err(item) => {
                // Race 5: more than requested (§1.1 broken upstream).
                drop(item);
                self.done = true;
                inner.upstream.cancel();
                inner.end(Some(Error::overflow(
                    "limit_rate: upstream sent more items than were requested",
                )));
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            if let Some(inner) = &self.inner {
                inner.end(Some(error));
            }
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            if let Some(inner) = &self.inner {
                inner.end(None);
            }
        }
    }
}

impl<T, S> LimitRateInner<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    /// Records upstream's end (`None`: completion) and drains.
    fn end(&self, error: Option<Error>) {
        if error.is_some() {
            *self.error.lock() = error;
        }
        // Ordering: Release publishes the items pushed before the end and
        // `error` (rule 2) to the drainer. Pairs with: the Acquire load in
        // `round`.
        self.done.store(true, Ordering::Release);
        self.drain();
    }

    /// Enters the drain if nobody is in it, and drains.
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, Option<Active<T, S>>>) {
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

    /// Delivers queued items within demand, replenishing upstream every
    /// `limit` items; then the end, once the queue is empty.
    fn round(&self, slot: &mut Option<Active<T, S>>) -> Stop {
        // Demand seen at the start of the round; a request arriving during it
        // bumps the drain counter, so the next round sees it (race 1).
        let requested = self.demand.get();
        let mut emitted = 0u64;
        let stop = loop {
            let Some(active) = slot.as_mut() else {
                return Stop::Terminated;
            };
            // §3.12: a cancel (or a request(0)) is seen before every item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot);
            }
            // Rule 3: `done` before the queue.
            // Ordering: Acquire pairs with the Release in `end`: the items
            // pushed before the end, and `error`, are visible below.
            let done = self.done.load(Ordering::Acquire);
            if emitted == requested {
                if done && active.queue.is_empty() {
                    return self.terminate(slot);
                }
                break Stop::Idle;
            }
            let Some(item) = active.queue.pop() else {
                if done {
                    return self.terminate(slot);
                }
                break Stop::Idle;
            };
            emitted += u64::from(active.downstream.try_on_next(item));
            // An item taken counts towards replenishing whether or not the
            // downstream kept it: it was one of upstream's `high`.
            active.consumed += 1;
            if active.consumed == self.limit {
                active.consumed = 0;
                // Race 4: a synchronous upstream emits from inside this.
                self.upstream.request(self.limit);
            }
        };
        if emitted > 0 {
            self.demand.produced(emitted);
        }
        stop
    }

    /// The stream ended and the queue is empty: §1.4 or §1.5, then the
    /// subscriber is dropped (§3.13).
    #[cold]
    fn terminate(&self, slot: &mut Option<Active<T, S>>) -> Stop {
        if let Some(mut active) = slot.take() {
            // Rule 2: `done` was seen with Acquire.
            let error = self.error.lock().take();
            match error {
                Some(error) => active.downstream.on_error(error),
                None => active.downstream.on_complete(),
            }
        }
        Stop::Terminated
    }

    /// The cancelled bit is set: a cancel, or a `request(0)`. Drops the
    /// queued items and the subscriber (§3.13), after the §3.9 error if it
    /// is owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<Active<T, S>>) -> Stop {
        // A cancel has cancelled upstream already; a request(0) has not.
        self.upstream.cancel();
        if let Some(mut active) = slot.take() {
            active.queue.clear();
            if let Some(error) = self.demand.take_invalid() {
                active.downstream.on_error(error); // §3.9
            }
        }
        Stop::Terminated
    }
}

impl<T, S> Subscription for LimitRateInner<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n); // n == 0: §3.9, handled by the drainer
        self.drain();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.upstream.cancel();
            self.drain(); // race 2: whoever drains clears the queue
        }
    }
}
