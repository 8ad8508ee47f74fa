//! `MulticastProcessor`: one upstream, any number of subscribers, emission
//! paced by the slowest of them; and [`Hub`], the engine it shares with
//! `publish` and `share`.
//!
//! Items from upstream wait in a bounded queue. An item leaves the queue only
//! when every current subscriber has demand for it, and then goes to all of
//! them at once (coordinated emission, Reactor's `EmitterProcessor` and
//! `FluxPublish`): a fast subscriber gets only as far as the slowest one
//! allows. A subscriber that arrives sees only the items that had not yet
//! been emitted when it joined. While nobody is subscribed, items wait in the
//! queue (up to its capacity; upstream then waits too).
//!
//! # Demand
//!
//! Upstream is asked for `capacity` items when it subscribes, then, each time
//! `limit = capacity - capacity / 4` of them have been emitted, for `limit`
//! more (the 75% rule): so at most `capacity` items are ever queued. Each
//! subscriber's own demand only decides when items leave the queue.
//!
//! # Errors and termination
//!
//! Completion reaches every subscriber once the queue is empty; an error from
//! upstream reaches them at once, dropping queued items (§4.2). A subscriber
//! that arrives after the end gets the terminal signal at once. An upstream
//! that sends more than was requested is cancelled, and the subscribers get
//! an overflow error.
//!
//! Threads: runs on whichever thread signals (upstream's `on_next`, a
//! subscriber's `request`); never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! `producer`/`queue`: an SPSC queue of `capacity` items (`queue/spsc.rs`):
//! the producing end is claimed by the one accepted upstream subscriber (the
//! processor handle whose `on_subscribe` was accepted, §2.5; upstream signals
//! it serially, §1.3), the consuming end is drain state.
//!
//! `link` (`shared.rs`): the upstream subscription, our cancel, the recorded
//! end (`done` + `end`).
//!
//! `arrivals` (`shared.rs`): subscribers that have had `on_subscribe` and wait
//! to be adopted by the drainer.
//!
//! `drain: Drain<HubState>`: the queue's consuming end, the subscribers
//! (`slots`), the replenish counter, and the terminal signal once delivered.
//!
//! `connected`, `disconnected`: `publish`'s connection state (a hub is
//! connected once, disconnected once).
//!
//! ## Field access rules
//! * Every signal to a subscriber is sent by the drainer (`drain.rs`), from
//!   `slots`: adding (`arrivals`), removing (cancel) and emitting all happen
//!   there, so the list never changes under an emission.
//! * `subscribe` calls `on_subscribe` before the subscriber is pushed to
//!   `arrivals`: until then no other thread can reach it. A `request` made
//!   inside `on_subscribe` only records demand and enters the drain.
//! * Each subscriber's demand is read (`Member::remaining`) before every item,
//!   for every subscriber; the drainer's own count of delivered items is
//!   folded into the demand (`produced`) before it leaves the drain.
//!
//! ## Races considered
//! 1. `request` vs emission: the requester adds demand, then enters the drain;
//!    the drainer reads every subscriber's demand before each item, and if
//!    it missed the new demand it goes round again (`drain.rs`, race 1).
//! 2. A subscriber cancels during the drain (from inside its `on_next`, or
//!    from another thread): its cancelled bit is seen before the next item,
//!    it is removed and dropped then (§3.12, §3.13), and the others, no
//!    longer held back by it, go on.
//! 3. Completion races the last item: `on_complete` records the end after
//!    pushing every item (upstream signals serially); the drainer reads
//!    `done` before looking at the queue (B7), so it completes only once the
//!    queue it looked at after seeing `done` was empty.
//! 4. A subscriber arrives during emission: the drainer checks `arrivals`
//!    before every item and adopts the new subscriber there, so it gets every
//!    item emitted after it joined, and (having no demand yet) holds the
//!    others back from then on.

use core::fmt;

use crate::author::{Replenish, UNBOUNDED};
use crate::drain::{After, Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::clear_despite_panics;
use crate::processor::shared::{Arrivals, Drainable, Fed, Feed, Link, Member, Slot};
use crate::queue::clamp_capacity;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The default capacity of the multicast stages' queues: 256 items
/// (Reactor's `Queues.SMALL_BUFFER_SIZE`).
#[cfg(not(reactive_streams_loom))]
pub(crate) const DEFAULT_CAPACITY: usize = 256;
/// Under loom, a tiny queue: the same logic, but loom reaches the full-queue
/// and replenish paths.
#[cfg(reactive_streams_loom)]
pub(crate) const DEFAULT_CAPACITY: usize = 2;

/// A [`Processor`](crate::Processor) that multicasts: subscribe it to one
/// upstream and any number of subscribers to it; every subscriber gets the
/// same items in the same order, as fast as the slowest of them asks.
///
/// The processor is a handle: clones share one stream. Subscribe one clone
/// upstream (`upstream.subscribe(processor.clone())`) and subscribers to any
/// clone. Only the first upstream is accepted; any later subscription is
/// cancelled (§2.5).
///
/// Items wait in a bounded queue. An item leaves it only when every current
/// subscriber has requested it, and then goes to all of them at once
/// (coordinated emission, as Reactor's `EmitterProcessor`): a fast subscriber
/// gets only as far as the slowest one allows. A subscriber that arrives sees
/// the items not yet emitted when it joined; while nobody is subscribed,
/// items wait in the queue. When the last subscriber cancels, the processor
/// cancels its upstream (Reactor's `autoCancel`), and later subscribers get
/// `on_complete` at once.
///
/// # Demand
///
/// Asks upstream for `capacity` items (default 256) when it subscribes, then
/// for `capacity - capacity / 4` more each time that many have been emitted
/// (the 75% rule), so at most `capacity` items wait in the queue. Each
/// subscriber's demand only decides when items leave the queue.
///
/// # Errors and cancellation
///
/// An error from upstream goes to every subscriber at once, without waiting
/// for demand (§4.2); queued items are dropped. Completion waits until the
/// queue is empty. Subscribers that arrive after the end get it at once. An
/// upstream that sends more than requested is cancelled and the subscribers
/// get an [overflow](crate::ErrorKind::Overflow) error. A subscriber that
/// panics in `on_next` (§2.13) is dropped as if it had cancelled.
///
/// # Examples
///
/// ```
/// use reactive_streams::processor::MulticastProcessor;
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let processor = MulticastProcessor::<u32>::new();
/// let fast = TestSubscriber::new(10);
/// let slow = TestSubscriber::new(2);
/// processor.subscribe(fast.clone());
/// processor.subscribe(slow.clone());
/// source::range(0..5u32).subscribe(processor.clone());
///
/// // The slow subscriber sets the pace for both.
/// fast.assert_values(&[0, 1]);
/// slow.assert_values(&[0, 1]);
/// slow.request(10);
/// fast.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
/// slow.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
/// ```
pub struct MulticastProcessor<T> {
    hub: Arc<Hub<T>>,
    feed: Feed<T>,
}

impl<T: Clone + Send + 'static> MulticastProcessor<T> {
    /// A processor with a queue of 256 items.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::processor::MulticastProcessor;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let processor = MulticastProcessor::new();
    /// let ts = TestSubscriber::unbounded();
    /// processor.subscribe(ts.clone());
    /// source::just("hello").subscribe(processor);
    /// ts.assert_values(&["hello"]).assert_complete();
    /// ```
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A processor whose queue holds `capacity` items (at least 1, at most
    /// 2^20): what it asks upstream for up front, and the most it ever holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::processor::MulticastProcessor;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let processor = MulticastProcessor::with_capacity(4);
    /// let ts = TestSubscriber::new(0);
    /// processor.subscribe(ts.clone());
    /// source::range(0..100u32).subscribe(processor.clone());
    /// ts.request(6);
    /// ts.assert_values(&[0, 1, 2, 3, 4, 5]);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        MulticastProcessor::from_hub(Hub::new(capacity, true))
    }

    /// A handle to `hub`, as used by `publish` to subscribe it upstream.
    pub(crate) fn from_hub(hub: Arc<Hub<T>>) -> Self {
        MulticastProcessor {
            hub,
            feed: Feed::new(),
        }
    }
}

impl<T: Clone + Send + 'static> Default for MulticastProcessor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for MulticastProcessor<T> {
    /// Another handle to the same stream. The clone does not inherit the
    /// upstream subscription: it is a fresh handle that can subscribe
    /// downstream, or be offered to an upstream (and refused, §2.5, if one
    /// was accepted already).
    fn clone(&self) -> Self {
        MulticastProcessor {
            hub: Arc::clone(&self.hub),
            feed: Feed::new(),
        }
    }
}

impl<T> fmt::Debug for MulticastProcessor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MulticastProcessor")
            .field("capacity", &self.hub.capacity)
            .field("role", &self.feed.role())
            .finish_non_exhaustive()
    }
}

impl<T: Clone + Send + 'static> Publisher for MulticastProcessor<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        self.hub.subscribe(Box::new(subscriber));
    }
}

impl<T: Clone + Send + 'static> Subscriber<T> for MulticastProcessor<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let hub = &*self.hub;
        self.feed
            .on_subscribe(&hub.link, &hub.producer, subscription, hub.capacity as u64);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        match self.feed.on_next(&self.hub.link, item) {
            Fed::Queued | Fed::Overflow => self.hub.drain(),
            Fed::Ignored => {}
        }
    }

    fn on_error(&mut self, error: Error) {
        if self.feed.on_end(&self.hub.link, Err(error)) {
            self.hub.drain();
        }
    }

    fn on_complete(&mut self) {
        if self.feed.on_end(&self.hub.link, Ok(())) {
            self.hub.drain();
        }
    }
}

/// The shared state of a multicast stream; see the module docs.
///
/// `pub` only because the sealed `Connectable` trait names it; it is not
/// reachable from outside the crate.
#[allow(unreachable_pub)]
pub struct Hub<T> {
    capacity: usize,
    /// Cancel upstream when the last subscriber leaves (the processor); a
    /// `publish` connection keeps going until disconnected.
    auto_cancel: bool,
    /// The queue's producing end, until the accepted upstream handle claims it.
    producer: Mutex<Option<Producer<T>>>,
    pub(crate) link: Link,
    arrivals: Arrivals<Slot<T, Hub<T>>>,
    connected: AtomicBool,
    disconnected: AtomicBool,
    drain: Drain<HubState<T>>,
}

/// What only the drainer touches (`drain.rs`).
struct HubState<T> {
    queue: Consumer<T>,
    slots: Vec<Slot<T, Hub<T>>>,
    replenish: Replenish,
    /// The terminal signal, once delivered: later subscribers get it at once.
    terminal: Option<Result<(), Error>>,
}

/// What the subscribers' demand allows, before the next item.
enum Ready {
    /// Every subscriber has demand: emit one item.
    Emit,
    /// Some subscriber has none, or nobody is subscribed: wait.
    Idle,
    /// Subscribers left and the last one took the stream with it
    /// (auto-cancel): the terminal state was set.
    Abandoned,
}

impl<T: Clone + Send + 'static> Hub<T> {
    /// A hub with a queue of `capacity` items (at least 1).
    pub(crate) fn new(capacity: usize, auto_cancel: bool) -> Arc<Self> {
        let capacity = clamp_capacity(capacity);
        let (producer, consumer) = spsc(capacity);
        Arc::new(Hub {
            capacity,
            auto_cancel,
            producer: Mutex::new(Some(producer)),
            link: Link::new(),
            arrivals: Arrivals::new(),
            connected: AtomicBool::new(false),
            disconnected: AtomicBool::new(false),
            drain: Drain::new(HubState {
                queue: consumer,
                slots: Vec::new(),
                replenish: Replenish::new(capacity as u64),
                terminal: None,
            }),
        })
    }

    /// Adds a subscriber: `on_subscribe` on this thread (§1.9), then the
    /// drainer adopts it (or, after the end, signals the end to it).
    pub(crate) fn subscribe(self: &Arc<Self>, mut subscriber: Box<dyn Subscriber<T>>) {
        let member = Member::new(Arc::clone(self));
        subscriber.on_subscribe(Arc::clone(&member) as Arc<dyn Subscription>);
        self.arrivals.push(Slot::new(subscriber, member));
        self.drain();
    }

    /// Marks the hub connected; true for the first call only. A disconnected
    /// hub is never connected (`publish`'s connect then does nothing).
    pub(crate) fn try_connect(&self) -> bool {
        // Ordering: Acquire. Pairs with: the swap in `mark_disconnected`; a
        // hub disconnected before it was connected stays unconnected (and if
        // the disconnect comes later, `Link::cancel` cancels the upstream
        // when it arrives).
        if self.disconnected.load(Ordering::Acquire) {
            return false;
        }
        // Ordering: AcqRel; a once-only flag (no data is published by it).
        !self.connected.swap(true, Ordering::AcqRel)
    }

    /// Marks the hub disconnected; true for the first call. No user code runs.
    pub(crate) fn mark_disconnected(&self) -> bool {
        // Ordering: AcqRel. Release publishes the mark to `try_connect` and to
        // `is_disconnected` (a `publish` replacing its current hub). Pairs
        // with: their Acquire loads.
        !self.disconnected.swap(true, Ordering::AcqRel)
    }

    /// Disconnects: cancels upstream and fails the subscribers at once
    /// (unless upstream ended first, when they get that end as usual).
    pub(crate) fn disconnect(&self) {
        self.mark_disconnected();
        self.link.cancel();
        self.link.end(Err(disconnected_error()));
        self.drain();
    }

    /// True once disconnected.
    pub(crate) fn is_disconnected(&self) -> bool {
        // Ordering: Acquire. Pairs with: the swap in `mark_disconnected`.
        self.disconnected.load(Ordering::Acquire)
    }

    /// True once the stream's end is known (upstream ended, or failed on
    /// overflow or disconnect).
    pub(crate) fn is_terminated(&self) -> bool {
        self.link.is_done()
    }

    /// The drain loop: rounds until nothing more can be done and no signal
    /// was missed.
    fn run(&self, entered: Entered<'_, HubState<T>>) {
        entered.run_guarded(
            |state| {
                self.round(state);
                for slot in &mut state.slots {
                    slot.fold();
                }
                After::Leave
            },
            |state, error| {
                self.fail(state, error);
                After::Leave // late subscribers get the end
            },
        );
    }

    /// A panic escaped a round (an item's `Clone` or `Drop`): cancel
    /// upstream, record the end so `connect` starts afresh, and fail every
    /// subscriber with it.
    #[cold]
    fn fail(&self, state: &mut HubState<T>, error: Error) {
        self.link.cancel();
        self.link.end(Err(error.clone()));
        self.terminate(state, Err(error));
    }

    /// Emits while every subscriber has demand, then returns.
    fn round(&self, state: &mut HubState<T>) {
        loop {
            self.adopt(state);
            if state.terminal.is_some() {
                return;
            }
            // B7: read `done` before looking at the queue; an end seen here
            // follows every item upstream pushed before it.
            if self.link.is_done() {
                match self.link.outcome() {
                    Some(Err(error)) => return self.terminate(state, Err(error)),
                    _ if state.queue.is_empty() => return self.terminate(state, Ok(())),
                    _ => {}
                }
            }
            match self.ready(state) {
                Ready::Emit => {}
                Ready::Idle | Ready::Abandoned => return,
            }
            let Some(item) = state.queue.pop() else {
                return;
            };
            emit(&mut state.slots, item);
            if let Some(n) = state.replenish.consumed_one() {
                self.link.request(n);
            }
        }
    }

    /// Adopts the subscribers that arrived (module docs, race 4).
    #[inline]
    fn adopt(&self, state: &mut HubState<T>) {
        let Some(arrived) = self.arrivals.take() else {
            return;
        };
        match &state.terminal {
            // After the end, a new subscriber gets it at once.
            Some(end) => arrived.into_iter().for_each(|slot| slot.terminate(end)),
            None => state.slots.extend(arrived),
        }
    }

    /// Drops the subscribers that left, and says whether every remaining one
    /// has demand for one more item.
    #[inline]
    fn ready(&self, state: &mut HubState<T>) -> Ready {
        let mut smallest = UNBOUNDED;
        let mut left = false;
        let mut i = 0;
        while i < state.slots.len() {
            match state.slots[i].remaining() {
                Some(remaining) => {
                    smallest = smallest.min(remaining);
                    i += 1;
                }
                None => {
                    // §3.12, §3.13: cancelled (or `request(0)`, §3.9).
                    state.slots.remove(i).release();
                    left = true;
                }
            }
        }
        if state.slots.is_empty() {
            if left && self.auto_cancel {
                return self.abandon(state);
            }
            return Ready::Idle;
        }
        if smallest == 0 {
            Ready::Idle
        } else {
            Ready::Emit
        }
    }

    /// The last subscriber left a processor: cancel upstream, drop the
    /// queue; later subscribers complete at once.
    #[cold]
    fn abandon(&self, state: &mut HubState<T>) -> Ready {
        self.link.cancel();
        state.queue.clear();
        state.terminal = Some(Ok(()));
        Ready::Abandoned
    }

    /// Delivers the end to every subscriber and keeps it for later ones.
    #[cold]
    fn terminate(&self, state: &mut HubState<T>, end: Result<(), Error>) {
        // An error drops what was queued (§4.2), even if an item's `Drop`
        // panics.
        let queue = &mut state.queue;
        clear_despite_panics(|| queue.clear());
        for slot in core::mem::take(&mut state.slots) {
            slot.terminate(&end);
        }
        state.terminal = Some(end);
    }
}

/// Delivers one item to every subscriber: clones for all but the last.
#[inline]
fn emit<T: Clone, H>(slots: &mut [Slot<T, H>], item: T) {
    if let Some((last, others)) = slots.split_last_mut() {
        for slot in others {
            slot.deliver(item.clone());
        }
        last.deliver(item);
    }
}

impl<T: Clone + Send + 'static> Drainable for Hub<T> {
    #[inline]
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }
}

impl<T> fmt::Debug for Hub<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("capacity", &self.capacity)
            .field("auto_cancel", &self.auto_cancel)
            .finish_non_exhaustive()
    }
}

/// The error subscribers of a disconnected connection get.
pub(crate) fn disconnected_error() -> Error {
    Error::new("the connection was disconnected before the stream ended")
}
