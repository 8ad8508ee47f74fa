//! `UnicastProcessor`: a bounded buffer between one upstream and one
//! subscriber, which may arrive late.
//!
//! Items from upstream wait in a queue of `capacity` items until the
//! subscriber arrives and requests them. Only one subscriber is served; any
//! other is refused with `on_subscribe` followed by `on_error` (§1.9). Unlike
//! the multicast processor it needs no `Clone` items.
//!
//! The buffer is bounded on purpose (Reactor's `UnicastProcessor` defaults to
//! an unbounded one): the processor asks upstream for `capacity` items, and
//! for more only as its subscriber takes them, so memory stays bounded and a
//! slow (or absent) subscriber slows its upstream.
//!
//! # Demand
//!
//! Requests `capacity` (default 256) when upstream subscribes, then `limit =
//! capacity - capacity / 4` each time `limit` items have been delivered (the
//! 75% rule). Downstream demand decides only when queued items are delivered.
//!
//! # Errors and termination
//!
//! Completion is delivered after the queued items; an error at once, dropping
//! them (§4.2), even without demand. If the subscriber cancels (or requests
//! 0, §3.9), upstream is cancelled and the queue dropped (§3.13).
//!
//! Threads: runs on whichever thread signals; never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! `queue`: an SPSC queue (`queue/spsc.rs`); the producer is claimed by the
//! accepted upstream handle (`shared.rs`, `Feed`), the consumer is drain
//! state.
//!
//! `link` (`shared.rs`): upstream subscription, our cancel, the end.
//!
//! `taken: AtomicBool`: the one subscriber place is taken.
//!
//! `arrivals` (`shared.rs`): the subscriber, after `on_subscribe`, until the
//! drainer adopts it.
//!
//! `drain: Drain<UnicastState>`: the consumer, the subscriber (its `Slot`),
//! the replenish counter, `finished`.
//!
//! ## Field access rules
//! * Only the drainer signals the subscriber (`drain.rs`); `subscribe` calls
//!   `on_subscribe` before handing it over, when no one else can reach it.
//! * `taken` is set once, by compare-and-swap, so exactly one subscriber is
//!   handed over.
//!
//! ## Races considered
//! 1. `request` vs `on_next`: both record (demand, a queued item) and then
//!    enter the drain; the drainer looks at both before leaving
//!    (`drain.rs`, race 1).
//! 2. `cancel` during the drain: the cancelled bit is read before every item;
//!    the drainer then drops the queue and the subscriber and cancels
//!    upstream.
//! 3. Completion races the last item: `done` is read before the queue (B7).
//! 4. The subscriber arrives while items are being queued: it is adopted at
//!    the start of a round, and takes the queue from its head.

use core::fmt;

use crate::author::Replenish;
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::processor::multicast::DEFAULT_CAPACITY;
use crate::processor::shared::{refuse, Arrivals, Drainable, Fed, Feed, Link, Member, Slot};
use crate::queue::clamp_capacity;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// A [`Processor`](crate::Processor) with a bounded buffer and a single
/// subscriber: items from upstream wait until the subscriber arrives and
/// asks for them.
///
/// The processor is a handle: clones share one stream. Subscribe one clone
/// upstream and the subscriber to any clone. A second subscriber gets
/// `on_subscribe` then `on_error` (§1.9); a second upstream is cancelled
/// (§2.5).
///
/// # Demand
///
/// Asks upstream for `capacity` items (default 256) and for more only as the
/// subscriber takes them (the 75% rule), so at most `capacity` items wait.
///
/// # Errors and cancellation
///
/// Completion comes after the queued items; an error from upstream comes at
/// once and drops them (§4.2). When the subscriber cancels, upstream is
/// cancelled. An upstream that sends more than requested is cancelled and
/// the subscriber gets an [overflow](crate::ErrorKind::Overflow) error.
///
/// # Examples
///
/// ```
/// use reactive_streams::processor::UnicastProcessor;
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let processor = UnicastProcessor::new();
/// source::range(0..3u32).subscribe(processor.clone()); // buffered meanwhile
///
/// let ts = TestSubscriber::unbounded();
/// processor.subscribe(ts.clone());
/// ts.assert_values(&[0, 1, 2]).assert_complete();
///
/// let second = TestSubscriber::<u32>::unbounded();
/// processor.subscribe(second.clone());
/// second.assert_error_message("one subscriber");
/// ```
pub struct UnicastProcessor<T> {
    inner: Arc<UnicastInner<T>>,
    feed: Feed<T>,
}

impl<T: Send + 'static> UnicastProcessor<T> {
    /// A processor with a buffer of 256 items.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::processor::UnicastProcessor;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let processor = UnicastProcessor::new();
    /// let ts = TestSubscriber::unbounded();
    /// processor.subscribe(ts.clone());
    /// source::just(String::from("not Clone-d")).subscribe(processor);
    /// ts.assert_value_count(1).assert_complete();
    /// ```
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A processor whose buffer holds `capacity` items (at least 1, at most
    /// 2^20): what it asks upstream for up front, and the most it ever holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::processor::UnicastProcessor;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let processor = UnicastProcessor::with_capacity(8);
    /// // Nobody has subscribed yet: the processor takes 8 items and waits.
    /// source::range(0..1_000u32).subscribe(processor.clone());
    /// let ts = TestSubscriber::new(3);
    /// processor.subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]);
    /// ts.request(7);
    /// ts.assert_value_count(10); // more was asked for as the buffer drained
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = clamp_capacity(capacity);
        let (producer, consumer) = spsc(capacity);
        UnicastProcessor {
            inner: Arc::new(UnicastInner {
                capacity,
                producer: Mutex::new(Some(producer)),
                link: Link::new(),
                taken: AtomicBool::new(false),
                arrivals: Arrivals::new(),
                drain: Drain::new(UnicastState {
                    queue: consumer,
                    slot: None,
                    replenish: Replenish::new(capacity as u64),
                    finished: false,
                }),
            }),
            feed: Feed::new(),
        }
    }
}

impl<T: Send + 'static> Default for UnicastProcessor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for UnicastProcessor<T> {
    /// Another handle to the same stream; it does not inherit the upstream
    /// subscription (see [`MulticastProcessor`](crate::processor::MulticastProcessor)'s `clone`).
    fn clone(&self) -> Self {
        UnicastProcessor {
            inner: Arc::clone(&self.inner),
            feed: Feed::new(),
        }
    }
}

impl<T> fmt::Debug for UnicastProcessor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnicastProcessor")
            .field("capacity", &self.inner.capacity)
            .field("role", &self.feed.role())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Publisher for UnicastProcessor<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        // Ordering: AcqRel; a once-only claim (the subscriber itself is
        // handed over through `arrivals`, under its lock).
        if self.inner.taken.swap(true, Ordering::AcqRel) {
            return refuse(
                subscriber,
                Error::new("UnicastProcessor serves one subscriber only, and it has one"),
            );
        }
        let mut subscriber: Box<dyn Subscriber<T>> = Box::new(subscriber);
        let member = Member::new(Arc::clone(&self.inner));
        subscriber.on_subscribe(Arc::clone(&member) as Arc<dyn Subscription>);
        self.inner.arrivals.push(Slot::new(subscriber, member));
        self.inner.drain();
    }
}

impl<T: Send + 'static> Subscriber<T> for UnicastProcessor<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let inner = &*self.inner;
        self.feed.on_subscribe(
            &inner.link,
            &inner.producer,
            subscription,
            inner.capacity as u64,
        );
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        match self.feed.on_next(&self.inner.link, item) {
            Fed::Queued | Fed::Overflow => self.inner.drain(),
            Fed::Ignored => {}
        }
    }

    fn on_error(&mut self, error: Error) {
        if self.feed.on_end(&self.inner.link, Err(error)) {
            self.inner.drain();
        }
    }

    fn on_complete(&mut self) {
        if self.feed.on_end(&self.inner.link, Ok(())) {
            self.inner.drain();
        }
    }
}

/// The shared state; see the module docs.
struct UnicastInner<T> {
    capacity: usize,
    /// The queue's producing end, until the accepted upstream handle claims it.
    producer: Mutex<Option<Producer<T>>>,
    link: Link,
    taken: AtomicBool,
    arrivals: Arrivals<Slot<T, UnicastInner<T>>>,
    drain: Drain<UnicastState<T>>,
}

/// What only the drainer touches.
struct UnicastState<T> {
    queue: Consumer<T>,
    slot: Option<Slot<T, UnicastInner<T>>>,
    replenish: Replenish,
    /// The subscriber was signalled its end (or cancelled): nothing more.
    finished: bool,
}

impl<T: Send + 'static> UnicastInner<T> {
    fn run(&self, mut entered: Entered<'_, UnicastState<T>>) {
        loop {
            let state = entered.state();
            self.round(state);
            if let Some(slot) = &mut state.slot {
                slot.fold();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    fn round(&self, state: &mut UnicastState<T>) {
        loop {
            if state.finished {
                return;
            }
            if state.slot.is_none() {
                if let Some(mut arrived) = self.arrivals.take() {
                    state.slot = arrived.pop(); // at most one (`taken`)
                }
            }
            let Some(slot) = state.slot.as_mut() else {
                return; // no subscriber yet: items wait
            };
            let Some(remaining) = slot.remaining() else {
                return self.cancelled(state);
            };
            // B7: `done` before the queue.
            if self.link.is_done() {
                match self.link.outcome() {
                    Some(Err(error)) => return self.terminate(state, Err(error)),
                    _ if state.queue.is_empty() => return self.terminate(state, Ok(())),
                    _ => {}
                }
            }
            if remaining == 0 {
                return;
            }
            let Some(item) = state.queue.pop() else {
                return;
            };
            slot.deliver(item);
            if let Some(n) = state.replenish.consumed_one() {
                self.link.request(n);
            }
        }
    }

    /// The subscriber cancelled (or sent `request(0)`): cancel upstream, drop
    /// the queue and the subscriber (§3.13), after the §3.9 error if owed.
    #[cold]
    fn cancelled(&self, state: &mut UnicastState<T>) {
        state.finished = true;
        self.link.cancel();
        state.queue.clear();
        if let Some(slot) = state.slot.take() {
            slot.release();
        }
    }

    #[cold]
    fn terminate(&self, state: &mut UnicastState<T>, end: Result<(), Error>) {
        state.finished = true;
        state.queue.clear(); // an error drops what was queued (§4.2)
        if let Some(slot) = state.slot.take() {
            slot.terminate(&end);
        }
    }
}

impl<T: Send + 'static> Drainable for UnicastInner<T> {
    #[inline]
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }
}
