//! The inner side of the flattening operators (`flat_map`, `concat_map`,
//! `switch_map`): the subscriber each inner publisher is given, the link it
//! shares with the operator's drainer, and the drainer's view of one inner.
//!
//! An inner's items reach the downstream in one of two ways:
//!
//! - **Directly** (Reactor's `tryEmit`): the inner's `on_next` enters the
//!   operator's drain; if the downstream has demand and the inner has nothing
//!   queued, it delivers the item itself, with no queue in between.
//! - **Through its queue**: when the drain is busy, or there is no demand,
//!   the item goes into the inner's own SPSC queue (bounded by what was
//!   requested of the inner), and whoever holds the drain delivers it.
//!
//! The queue is made on first use, so an inner whose items all go directly
//! (a synchronous inner under unbounded demand) never allocates one. The
//! producing end stays with the [`InnerSubscriber`]; the consuming end goes to
//! the drainer, directly when the inner holds the drain, otherwise through the
//! [`InnerLink`].
//!
//! # Implementation notes
//!
//! ## State
//! [`InnerLink`], shared by one inner subscriber and the operator:
//! `done: AtomicBool`, set once by the inner's `on_complete`;
//! `cancelled: AtomicBool`, set once by [`InnerLink::cancel`];
//! `handed_off: AtomicBool`, set once a consumer waits in `slots.queue`;
//! `index: AtomicUsize`, the operator's position for the inner (`flat_map`'s
//! slot), read and written only by the drainer;
//! `slots: Mutex<Slots>`, the inner's subscription and the handed-off consumer.
//!
//! ## Field access rules
//! 1. `slots.subscription` is set once, by `on_subscribe`, unless the link is
//!    cancelled; `cancel` takes it out. Both happen under the lock, so a
//!    subscription that arrives after a cancel is cancelled at once.
//! 2. `slots.queue` is set once, by the inner's thread, before it sets
//!    `handed_off`; the drainer takes it after seeing `handed_off`.
//! 3. `index` is touched only while holding the operator's drain, whose
//!    work-in-progress counter orders one holder's writes before the next
//!    holder's reads (`drain.rs`), so its accesses are `Relaxed`.
//! 4. The queue's producer lives in the [`InnerQueue`] of the inner subscriber
//!    (serial, §1.3); its consumer is held by the drainer only.
//!
//! ## Races considered
//! 1. The last item against `on_complete`: the inner queues its last item (and
//!    maybe hands the new queue off) before it sets `done` with `Release`.
//!    The drainer loads `done` with `Acquire` *before* it looks at the queue
//!    (B7), so when it sees `done` it also sees the queue and the item, and an
//!    inner is finished only when `done` was seen and the queue was empty
//!    after that.
//! 2. `on_subscribe` against `cancel`: both take the lock (rule 1); whichever
//!    comes second sees the other's work, so no subscription is left running.
//! 3. A hand-off against `cancel`: the hand-off takes the lock and gives up if
//!    the link is cancelled; `cancel` takes whatever was handed off. Queued
//!    items are dropped outside the lock (their `Drop` is user code).

use crate::author::{replenish_limit, Demand, UNBOUNDED};
use crate::error::Error;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// The operator side of an inner subscriber: how an inner's signals reach the
/// operator. Associated functions rather than methods, because the operator
/// needs its `Arc` (to hand to the inners it subscribes).
pub(crate) trait Parent<U>: Send + Sync + Sized + 'static {
    /// The inner's subscription arrived and was kept in `link`.
    fn inner_subscribed(
        this: &Arc<Self>,
        link: &Arc<InnerLink<U>>,
        subscription: &Arc<dyn Subscription>,
    );

    /// An item from the inner of `link`, whose queue's producing end is `queue`.
    fn inner_next(this: &Arc<Self>, link: &Arc<InnerLink<U>>, queue: &mut InnerQueue<U>, item: U);

    /// The inner of `link` failed (and was not cancelled).
    fn inner_error(this: &Arc<Self>, link: &Arc<InnerLink<U>>, error: Error);

    /// The inner of `link` completed; `link` is already marked done.
    fn inner_complete(this: &Arc<Self>, link: &Arc<InnerLink<U>>);
}

/// What one inner shares with the operator. See the module docs.
pub(crate) struct InnerLink<U> {
    done: AtomicBool,
    cancelled: AtomicBool,
    handed_off: AtomicBool,
    index: AtomicUsize,
    slots: Mutex<Slots<U>>,
}

struct Slots<U> {
    subscription: Option<Arc<dyn Subscription>>,
    queue: Option<Consumer<U>>,
}

impl<U> InnerLink<U> {
    /// A link for an inner that is about to be subscribed.
    pub(crate) fn new() -> Self {
        InnerLink {
            done: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
            handed_off: AtomicBool::new(false),
            index: AtomicUsize::new(0),
            slots: Mutex::new(Slots {
                subscription: None,
                queue: None,
            }),
        }
    }

    /// Keeps the inner's subscription (rule 1). Returns false, having
    /// cancelled it, when the link is cancelled already.
    fn set_subscription(&self, subscription: &Arc<dyn Subscription>) -> bool {
        let mut slots = self.slots.lock();
        // Relaxed: `cancelled` is only set under this lock, which orders it.
        if self.cancelled.load(Ordering::Relaxed) {
            drop(slots);
            subscription.cancel();
            return false;
        }
        slots.subscription = Some(Arc::clone(subscription));
        true
    }

    /// The inner's subscription, once it has arrived (and until cancelled).
    pub(crate) fn subscription(&self) -> Option<Arc<dyn Subscription>> {
        self.slots.lock().subscription.clone()
    }

    /// Cancels the inner (once): its subscription now, or as soon as it
    /// arrives; drops its handed-off queue.
    pub(crate) fn cancel(&self) {
        let (subscription, queue) = {
            let mut slots = self.slots.lock();
            // Ordering: Release publishes the cancel to the inner subscriber's
            // lock-free check in `is_cancelled` (Acquire). Under the lock for
            // rule 1. Pairs with: `is_cancelled`.
            if self.cancelled.swap(true, Ordering::Release) {
                return;
            }
            (slots.subscription.take(), slots.queue.take())
        };
        // Outside the lock: both may run user code (race 3).
        if let Some(subscription) = subscription {
            subscription.cancel();
        }
        drop(queue);
    }

    /// Forgets the inner's subscription without cancelling it, after the inner
    /// finished: breaks the cycle link → subscription → inner subscriber → link
    /// for publishers that keep their subscriber after completing.
    pub(crate) fn release(&self) {
        let subscription = self.slots.lock().subscription.take();
        drop(subscription);
    }

    /// True once [`cancel`](InnerLink::cancel) was called.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        // Ordering: Acquire pairs with the Release swap in `cancel`.
        self.cancelled.load(Ordering::Acquire)
    }

    /// Marks the inner completed: everything it queued before is visible to a
    /// drainer that sees it (race 1).
    fn complete(&self) {
        // Ordering: Release publishes the inner's queued items and hand-off.
        // Pairs with: the Acquire load in `is_done`.
        self.done.store(true, Ordering::Release);
    }

    /// True once the inner completed. Load it before looking at the queue.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `complete`.
        self.done.load(Ordering::Acquire)
    }

    /// The operator's position for the inner (rule 3).
    #[inline]
    pub(crate) fn index(&self) -> usize {
        // Relaxed: only drain holders touch it; the drain orders them (rule 3).
        self.index.load(Ordering::Relaxed)
    }

    /// Sets the operator's position for the inner (rule 3).
    #[inline]
    pub(crate) fn set_index(&self, index: usize) {
        // Relaxed: only drain holders touch it; the drain orders them (rule 3).
        self.index.store(index, Ordering::Relaxed);
    }

    /// Hands a new queue's consumer to the drainer (rule 2); gives up (and
    /// drops it, with its item) when the link is cancelled.
    fn hand_off(&self, queue: Consumer<U>) {
        let mut slots = self.slots.lock();
        // Relaxed: `cancelled` is only set under this lock.
        if self.cancelled.load(Ordering::Relaxed) {
            drop(slots);
            drop(queue); // outside the lock: the item's `Drop` is user code
            return;
        }
        slots.queue = Some(queue);
        // Ordering: Release publishes the consumer (and the lock's contents).
        // Pairs with: the Acquire load in `take_queue`.
        self.handed_off.store(true, Ordering::Release);
    }

    /// The consumer the inner handed off, if any (rule 2).
    #[inline]
    pub(crate) fn take_queue(&self) -> Option<Consumer<U>> {
        // Ordering: Acquire pairs with the Release store in `hand_off`.
        if self.handed_off.load(Ordering::Acquire) {
            self.slots.lock().queue.take()
        } else {
            None
        }
    }
}

/// The producing end of an inner's queue, made on first use.
pub(crate) struct InnerQueue<U> {
    producer: Option<Producer<U>>,
    capacity: usize,
}

impl<U> InnerQueue<U> {
    /// No queue yet; it will hold at most `capacity` items.
    pub(crate) fn new(capacity: usize) -> Self {
        InnerQueue {
            producer: None,
            capacity,
        }
    }

    /// True once the queue was made (its consumer is then either with the
    /// drainer or waiting in the link).
    #[inline]
    pub(crate) fn exists(&self) -> bool {
        self.producer.is_some()
    }

    /// Queues `item` while holding the drain: a new queue's consumer goes
    /// straight into `consumer`, the drainer's slot for it. Hands `item` back
    /// when the queue is full (the inner ignored demand).
    pub(crate) fn push_direct(
        &mut self,
        item: U,
        consumer: &mut Option<Consumer<U>>,
    ) -> Result<(), U> {
        if let Some(producer) = &mut self.producer {
            return producer.push(item);
        }
        let (mut producer, queue) = spsc(self.capacity);
        let pushed = producer.push(item);
        *consumer = Some(queue);
        self.producer = Some(producer);
        pushed
    }

    /// Queues `item` without holding the drain: a new queue's consumer is
    /// handed off through `link`. Hands `item` back when the queue is full.
    pub(crate) fn push_handoff(&mut self, item: U, link: &InnerLink<U>) -> Result<(), U> {
        if let Some(producer) = &mut self.producer {
            return producer.push(item);
        }
        let (mut producer, queue) = spsc(self.capacity);
        let pushed = producer.push(item);
        self.producer = Some(producer);
        link.hand_off(queue);
        pushed
    }
}

/// The subscriber each inner publisher is given.
pub(crate) struct InnerSubscriber<U, P> {
    parent: Arc<P>,
    link: Arc<InnerLink<U>>,
    queue: InnerQueue<U>,
    subscribed: bool,
    done: bool,
}

impl<U, P> InnerSubscriber<U, P> {
    /// A subscriber for the inner of `link`, queueing at most `capacity`.
    pub(crate) fn new(parent: Arc<P>, link: Arc<InnerLink<U>>, capacity: usize) -> Self {
        InnerSubscriber {
            parent,
            link,
            queue: InnerQueue::new(capacity),
            subscribed: false,
            done: false,
        }
    }
}

impl<U, P> Subscriber<U> for InnerSubscriber<U, P>
where
    U: Send + 'static,
    P: Parent<U>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        if self.link.set_subscription(&subscription) {
            P::inner_subscribed(&self.parent, &self.link, &subscription);
        }
    }

    #[inline]
    fn on_next(&mut self, item: U) {
        // §2.8: items may still come after our cancel; they are dropped.
        if self.done || self.link.is_cancelled() {
            return;
        }
        P::inner_next(&self.parent, &self.link, &mut self.queue, item);
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            if !self.link.is_cancelled() {
                P::inner_error(&self.parent, &self.link, error);
            }
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.link.complete();
            P::inner_complete(&self.parent, &self.link);
        }
    }
}

/// Where a flattening operator's upstream subscriber is: waiting for
/// `on_subscribe` with the downstream, active with `A` (its shared state),
/// or done after a terminal signal or a failure of its own.
pub(crate) enum Phase<S, A> {
    /// Before `on_subscribe`: the downstream waits here.
    Pending(S),
    Active(A),
    /// After a terminal signal or a panic in `f`: late items are dropped.
    Done,
}

impl<S, A> Phase<S, A> {
    /// The downstream, at the first `on_subscribe`; at a second one, `None`,
    /// with that subscription cancelled (§2.5).
    pub(crate) fn take_pending(&mut self, subscription: &Arc<dyn Subscription>) -> Option<S> {
        match core::mem::replace(self, Phase::Done) {
            Phase::Pending(downstream) => Some(downstream),
            other => {
                *self = other;
                subscription.cancel();
                None
            }
        }
    }

    /// The active state, for a terminal signal from upstream: nothing
    /// follows it, so the phase is done.
    pub(crate) fn finish(&mut self) -> Option<A> {
        match core::mem::replace(self, Phase::Done) {
            Phase::Active(active) => Some(active),
            _ => None,
        }
    }
}

/// How a flattening operator's stream ends, once the drainer has decided it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ending {
    /// Upstream and every inner completed and were drained (§1.5).
    Complete,
    /// The cancelled bit is set: a cancel, or a `request(0)` (§3.9).
    Cancel,
    /// An error was recorded: it goes downstream at once, after everything
    /// else was cancelled, and nothing follows it.
    Fail,
}

impl Ending {
    /// Whether upstream is to be cancelled: always, unless it completed.
    pub(crate) fn cancels_upstream(self) -> bool {
        !matches!(self, Ending::Complete)
    }

    /// The terminal signal, to `downstream`, which is then dropped (§3.13):
    /// `on_complete` (unless cancelled meanwhile), the §3.9 error of a `request(0)` (nothing after a plain
    /// cancel), or the recorded error.
    #[cold]
    pub(crate) fn signal<U, S>(self, downstream: Option<S>, demand: &Demand, errors: &ErrorSlot)
    where
        S: Subscriber<U>,
    {
        let Some(mut downstream) = downstream else {
            return;
        };
        let error = match self {
            // A cancel from inside the last `on_next` comes first: nothing
            // follows it (§3.6), not even the completion that was due.
            Ending::Complete if !demand.is_cancelled() => return downstream.on_complete(),
            Ending::Complete | Ending::Cancel => demand.take_invalid(),
            Ending::Fail => errors.take(),
        };
        if let Some(error) = error {
            downstream.on_error(error);
        }
    }
}

/// The first error of a stream with many sources: set once, then seen by the
/// drainer, which terminates.
pub(crate) struct ErrorSlot {
    set: AtomicBool,
    error: Mutex<Option<Error>>,
}

impl ErrorSlot {
    pub(crate) fn new() -> Self {
        ErrorSlot {
            set: AtomicBool::new(false),
            error: Mutex::new(None),
        }
    }

    /// Records `error` unless one was recorded before (the first one wins; a
    /// later one is dropped, as the stream is failing already).
    pub(crate) fn set(&self, error: Error) {
        let mut slot = self.error.lock();
        // Relaxed: `set` is only stored under this lock.
        if !self.set.load(Ordering::Relaxed) {
            *slot = Some(error);
            // Ordering: Release publishes the error in the slot to a drainer
            // that sees the flag. Pairs with: the Acquire load in `is_set`.
            self.set.store(true, Ordering::Release);
        }
    }

    /// True once an error was recorded.
    #[inline]
    pub(crate) fn is_set(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `set`.
        self.set.load(Ordering::Acquire)
    }

    /// Takes the recorded error (once).
    pub(crate) fn take(&self) -> Option<Error> {
        self.error.lock().take()
    }
}

/// How a drainer's turn with the current inner ended.
pub(crate) enum Step {
    /// Nothing more to do for now (no demand, or nothing queued).
    Idle,
    /// The inner completed and everything it sent was taken.
    Finished,
    /// A cancel or an error was seen before an item: the caller terminates.
    Stopped,
    /// The inner sent more items than it was asked for (§1.1): the caller
    /// records an overflow error and terminates.
    Overflow,
}

/// The drainer's view of the one current inner of `concat_map` and
/// `switch_map`, with the arbiter that carries downstream demand across
/// inners.
///
/// Each inner is asked for what the downstream still wants, but never for
/// more than `cap` items in flight (requested of it and not yet taken), and,
/// once the downstream wants more than `cap`, in batches at 75% of `cap`.
/// So its queue never holds more than `cap` items, and an inner that starts
/// after another one gets the demand the previous one left unused.
pub(crate) struct Active<U> {
    pub(crate) link: Arc<InnerLink<U>>,
    queue: Option<Consumer<U>>,
    subscription: Option<Arc<dyn Subscription>>,
    /// Asked of this inner so far.
    requested: u64,
    /// Taken from this inner so far (delivered, or rejected by `try_on_next`).
    taken: u64,
}

impl<U> Active<U> {
    pub(crate) fn new(link: Arc<InnerLink<U>>) -> Self {
        Active {
            link,
            queue: None,
            subscription: None,
            requested: 0,
            taken: 0,
        }
    }

    /// The inner finished: forgets it, breaking the cycle through its
    /// subscription (`InnerLink::release`).
    pub(crate) fn finish(self) {
        self.link.release();
    }

    fn attach(&mut self) {
        if self.queue.is_none() {
            self.queue = self.link.take_queue();
        }
    }

    fn is_empty(&self) -> bool {
        self.queue.as_ref().map_or(true, Consumer::is_empty)
    }

    /// Counts one item taken from this inner; false if it was never asked
    /// for (the inner ignored demand, §1.1).
    fn take_one(&mut self) -> bool {
        if self.taken == self.requested {
            return false;
        }
        self.taken += 1;
        true
    }

    /// Asks the inner for more, if the downstream wants more than is in
    /// flight (see the type docs). `remaining` is the downstream's
    /// outstanding demand.
    fn top_up(&mut self, remaining: u64, cap: u64) {
        if self.subscription.is_none() {
            self.subscription = self.link.subscription();
        }
        let Some(subscription) = &self.subscription else {
            return; // not subscribed yet: `inner_subscribed` signals the drain
        };
        let in_flight = self.requested - self.taken;
        let want = remaining.min(cap);
        if want <= in_flight {
            return;
        }
        let shortfall = want - in_flight;
        if in_flight == 0 || shortfall >= replenish_limit(cap) {
            self.requested += shortfall;
            subscription.request(shortfall);
        }
    }

    /// An item from this inner, offered by the inner's own `on_next` while it
    /// holds the drain: delivered at once when the downstream has demand and
    /// nothing of this inner is queued before it, queued otherwise.
    ///
    /// Returns false when the inner sent more than it was asked for (the
    /// item overflowed the queue, or was never requested): the caller records
    /// the error.
    pub(crate) fn offer<S>(
        &mut self,
        item: U,
        queue: &mut InnerQueue<U>,
        downstream: &mut S,
        demand: &Demand,
        errors: &ErrorSlot,
        cap: u64,
    ) -> bool
    where
        S: Subscriber<U>,
    {
        if queue.exists() {
            self.attach();
        }
        let requested = demand.get(); // 0 once cancelled
        if requested > 0 && self.is_empty() && !errors.is_set() {
            if !self.take_one() {
                return false;
            }
            if downstream.try_on_next(item) && requested != UNBOUNDED {
                demand.produced(1);
            }
            self.top_up(demand.get(), cap);
            true
        } else {
            queue.push_direct(item, &mut self.queue).is_ok()
        }
    }

    /// Delivers this inner's queued items within demand, and asks it for more.
    pub(crate) fn drain<S>(
        &mut self,
        downstream: &mut S,
        demand: &Demand,
        errors: &ErrorSlot,
        cap: u64,
    ) -> Step
    where
        S: Subscriber<U>,
    {
        let mut requested = demand.get();
        let mut emitted = 0u64;
        loop {
            // B7: `done` before the queue; when it is set, every item the
            // inner sent is in the queue (race 1 in the module docs).
            let done = self.link.is_done();
            self.attach();
            if emitted == requested {
                if emitted > 0 {
                    // Account, and go on if more demand arrived meanwhile.
                    requested = demand.produced(emitted);
                    emitted = 0;
                    if requested > 0 {
                        continue;
                    }
                }
                if done && self.is_empty() {
                    return Step::Finished;
                }
                return Step::Idle; // no demand: nothing to ask for either
            }
            let Some(item) = self.queue.as_mut().and_then(Consumer::pop) else {
                if emitted > 0 {
                    demand.produced(emitted);
                }
                if done {
                    return Step::Finished;
                }
                self.top_up(demand.get(), cap);
                return Step::Idle;
            };
            // §3.12: a cancel (or an error) is seen before every item.
            if demand.is_cancelled() || errors.is_set() {
                return Step::Stopped;
            }
            if !self.take_one() {
                return Step::Overflow;
            }
            if downstream.try_on_next(item) {
                emitted += 1;
            }
            // Ask again at 75%, while the queue still has items, so that an
            // asynchronous inner keeps producing while these are delivered.
            self.top_up(requested - emitted, cap);
        }
    }
}
