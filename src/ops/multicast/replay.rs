//! `replay(history)`: like `publish`, but keeps the last `history` items and
//! replays them to every new subscriber, each at its own demand.
//!
//! Every subscriber has its own cursor into one buffer. A new subscriber
//! starts `history` items back from the newest item received (or at the
//! oldest one kept, if fewer), then follows the live stream. Subscribers do
//! not wait for each other: each gets items as fast as it requests them.
//! The end of the stream is part of the recording: a subscriber gets it after
//! the items before it, and a subscriber that arrives after the end gets the
//! last `history` items and then the end. `history == usize::MAX` keeps
//! everything.
//!
//! # Demand
//!
//! On `connect`, upstream is asked for `prefetch` (256) items; more is asked
//! for, in steps of at least `limit = prefetch - prefetch / 4`, so that the
//! slowest subscriber is never more than `prefetch` items behind what was
//! requested (pacing by the slowest for upstream requests). With no subscriber
//! at all, the connection keeps requesting as items arrive and keeps the last
//! `history` (Reactor's choice: a connected replay is a hot cache). So an
//! endless synchronous upstream connected before anyone subscribed would run
//! inside `connect` for ever: subscribe first, or connect it through
//! [`ref_count`](crate::ops::ConnectablePublisher::ref_count). The buffer
//! holds at most `history + prefetch` items.
//!
//! Threads: runs on whichever thread signals; `connect` subscribes upstream
//! on the calling thread.
//!
//! # Implementation notes
//!
//! ## State
//! `ReplayHub`: `link` and `arrivals` as in `processor/shared.rs`; an SPSC
//! queue from upstream's `on_next` (its producer claimed by the accepted
//! upstream subscriber) to the drainer; `aborted`, set when a disconnect's
//! error became the stream's end (delivered at once, not after the
//! recording).
//!
//! `drain: Drain<ReplayState>`: the queue's consumer; `buffer`, the items kept,
//! and `base`, the absolute index of `buffer[0]` (so `tail = base +
//! buffer.len()` counts every item ever received); `requested`, the absolute
//! count asked of upstream; the cursors (a subscriber and the absolute index
//! of its next item); the recorded end once seen.
//!
//! ## Field access rules
//! * Every signal to a subscriber is sent by the drainer (`drain.rs`);
//!   `subscribe` calls `on_subscribe` before handing the subscriber over.
//! * Items move from the queue into `buffer` only in the drainer; the buffer
//!   is trimmed to `min(slowest cursor, tail - history)`, so every cursor
//!   points into it.
//! * `requested - slowest cursor <= prefetch`, so the queue (capacity
//!   `prefetch`) never overflows for an upstream that keeps to demand.
//!
//! ## Races considered
//! 1. `request` vs emission: each cursor's demand is read before each item;
//!    a request the drainer missed makes it go round again (`drain.rs`).
//! 2. A subscriber cancels during the drain: seen before its next item; it
//!    is dropped (§3.13), and the buffer trimmed and upstream replenished
//!    past it.
//! 3. Completion races the last item: `done` is read before the queue is
//!    moved into the buffer (B7), so the end recorded follows every item.
//! 4. A subscriber arrives during emission: it is adopted at the start of the
//!    next round, at `tail - history` of that round; the items it gets are
//!    the recording, whatever the other cursors were doing.

use core::fmt;
use std::collections::VecDeque;

use super::publish::{sealed, ConnectablePublisher, Connection, Control};
use crate::author::replenish_limit;
use crate::drain::{After, Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::clear_despite_panics;
use crate::processor::multicast::{disconnected_error, DEFAULT_CAPACITY};
use crate::processor::shared::{Arrivals, Drainable, Fed, Feed, Link, Member, Slot};
use crate::queue::clamp_capacity;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`replay`](crate::PublisherExt::replay) method: a
/// [`ConnectablePublisher`].
///
/// Cheap to clone: clones share one connection.
#[must_use = "publishers do nothing until subscribed and connected"]
pub struct Replay<P: Publisher> {
    shared: Arc<ReplayShared<P>>,
}

struct ReplayShared<P: Publisher> {
    upstream: P,
    history: usize,
    prefetch: usize,
    current: Mutex<Arc<ReplayHub<P::Item>>>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for Replay<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Replay")
            .field("upstream", &self.shared.upstream)
            .field("history", &self.shared.history)
            .field("prefetch", &self.shared.prefetch)
            .finish_non_exhaustive()
    }
}

impl<P: Publisher> Clone for Replay<P> {
    fn clone(&self) -> Self {
        Replay {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<P> Replay<P>
where
    P: Publisher,
    P::Item: Clone,
{
    pub(crate) fn new(upstream: P, history: usize) -> Self {
        let prefetch = DEFAULT_CAPACITY;
        Replay {
            shared: Arc::new(ReplayShared {
                upstream,
                history,
                prefetch,
                current: Mutex::new(ReplayHub::new(history, prefetch)),
            }),
        }
    }

    /// The current connection, replaced first if `finished` says so.
    fn current_unless(
        &self,
        finished: impl Fn(&ReplayHub<P::Item>) -> bool,
    ) -> Arc<ReplayHub<P::Item>> {
        let (hub, replaced) = {
            let mut current = self.shared.current.lock();
            let replaced = if finished(&current) {
                let fresh = ReplayHub::new(self.shared.history, self.shared.prefetch);
                Some(core::mem::replace(&mut *current, fresh))
            } else {
                None
            };
            (Arc::clone(&current), replaced)
        };
        drop(replaced); // unlocked: the last reference drops the recording
        hub
    }
}

impl<P> Publisher for Replay<P>
where
    P: Publisher,
    P::Item: Clone,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.current_unless(|hub| hub.is_disconnected())
            .subscribe(Box::new(subscriber));
    }
}

impl<P> ConnectablePublisher for Replay<P>
where
    P: Publisher,
    P::Item: Clone,
{
    fn connect(&self) -> Connection {
        let hub = sealed::Connectable::fresh(self);
        sealed::Connectable::connect_to(self, &hub);
        Connection::new(hub)
    }
}

impl<P> sealed::Connectable for Replay<P>
where
    P: Publisher,
    P::Item: Clone,
{
    type Conn = Arc<ReplayHub<P::Item>>;

    fn fresh(&self) -> Self::Conn {
        self.current_unless(|hub| hub.is_disconnected() || hub.link.is_done())
    }

    fn subscribe_to(&self, conn: &Self::Conn, subscriber: Box<dyn Subscriber<P::Item>>) {
        conn.subscribe(subscriber);
    }

    fn connect_to(&self, conn: &Self::Conn) {
        if conn.try_connect() {
            self.shared.upstream.subscribe(ReplayFeed {
                hub: Arc::clone(conn),
                feed: Feed::new(),
            });
        }
    }

    fn control(conn: &Self::Conn) -> Connection {
        Connection::new(conn.clone())
    }
}

/// One connection of a [`Replay`]: the recording and its subscribers.
///
/// `pub` only because the sealed `Connectable` trait names it; it is not
/// reachable from outside the crate.
#[allow(unreachable_pub)]
pub struct ReplayHub<T> {
    history: u64,
    prefetch: u64,
    limit: u64,
    producer: Mutex<Option<Producer<T>>>,
    link: Link,
    arrivals: Arrivals<Slot<T, ReplayHub<T>>>,
    connected: AtomicBool,
    disconnected: AtomicBool,
    /// A disconnect's error is the end: deliver it at once.
    aborted: AtomicBool,
    drain: Drain<ReplayState<T>>,
}

/// What only the drainer touches.
struct ReplayState<T> {
    queue: Consumer<T>,
    buffer: VecDeque<T>,
    /// Absolute index of `buffer[0]`.
    base: u64,
    /// Items asked of upstream so far (absolute).
    requested: u64,
    cursors: Vec<Cursor<T>>,
    /// The end, once every item before it is in `buffer`.
    end: Option<Result<(), Error>>,
    /// The abort error, once delivered: later subscribers get it at once.
    aborted: Option<Error>,
}

/// A subscriber and the absolute index of its next item.
struct Cursor<T> {
    slot: Slot<T, ReplayHub<T>>,
    index: u64,
}

/// How serving one cursor ended.
enum Served {
    /// Out of demand or of items: keep it.
    Keep,
    /// It cancelled (or requested 0).
    Left,
    /// It reached the end of the recording: signal the end.
    Ended,
}

impl<T: Clone + Send + 'static> ReplayHub<T> {
    fn new(history: usize, prefetch: usize) -> Arc<Self> {
        let prefetch = clamp_capacity(prefetch);
        let (producer, consumer) = spsc(prefetch);
        Arc::new(ReplayHub {
            history: u64::try_from(history).unwrap_or(u64::MAX),
            prefetch: prefetch as u64,
            limit: replenish_limit(prefetch as u64),
            producer: Mutex::new(Some(producer)),
            link: Link::new(),
            arrivals: Arrivals::new(),
            connected: AtomicBool::new(false),
            disconnected: AtomicBool::new(false),
            aborted: AtomicBool::new(false),
            drain: Drain::new(ReplayState {
                queue: consumer,
                buffer: VecDeque::new(),
                base: 0,
                // The upstream subscriber requests `prefetch` on subscribe.
                requested: prefetch as u64,
                cursors: Vec::new(),
                end: None,
                aborted: None,
            }),
        })
    }

    fn subscribe(self: &Arc<Self>, mut subscriber: Box<dyn Subscriber<T>>) {
        let member = Member::new(Arc::clone(self));
        subscriber.on_subscribe(Arc::clone(&member) as Arc<dyn Subscription>);
        self.arrivals.push(Slot::new(subscriber, member));
        self.drain();
    }

    fn try_connect(&self) -> bool {
        // Ordering: Acquire. Pairs with: the swap in `mark_disconnected`
        // (as `Hub::try_connect`).
        if self.disconnected.load(Ordering::Acquire) {
            return false;
        }
        // Ordering: AcqRel; a once-only flag.
        !self.connected.swap(true, Ordering::AcqRel)
    }

    fn is_disconnected(&self) -> bool {
        // Ordering: Acquire. Pairs with: the swap in `mark_disconnected`.
        self.disconnected.load(Ordering::Acquire)
    }

    fn run(&self, entered: Entered<'_, ReplayState<T>>) {
        entered.run_guarded(
            |state| {
                self.round(state);
                for cursor in &mut state.cursors {
                    cursor.slot.fold();
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
    /// upstream, record the end, and fail every subscriber with it, now and
    /// later.
    #[cold]
    fn fail(&self, state: &mut ReplayState<T>, error: Error) {
        self.link.cancel();
        self.link.end(Err(error.clone()));
        state.aborted = Some(error);
        self.abort(state);
    }

    /// One pass: take in new items and subscribers, serve every cursor, trim,
    /// replenish. The drain goes round again if anything was signalled
    /// meanwhile.
    fn round(&self, state: &mut ReplayState<T>) {
        // Ordering: Acquire. Pairs with: the Release store in `disconnect`.
        if state.aborted.is_some() || self.aborted.load(Ordering::Acquire) {
            return self.abort(state);
        }
        // B7: `done` first, then everything queued before it.
        let done = self.link.is_done();
        while let Some(item) = state.queue.pop() {
            state.buffer.push_back(item);
        }
        if done && state.end.is_none() {
            state.end = self.link.outcome();
        }
        let tail = state.base + state.buffer.len() as u64;

        if let Some(arrived) = self.arrivals.take() {
            let start = state.base.max(tail.saturating_sub(self.history));
            state.cursors.extend(
                arrived
                    .into_iter()
                    .map(|slot| Cursor { slot, index: start }),
            );
        }

        let mut i = 0;
        while i < state.cursors.len() {
            let served = serve(
                &mut state.cursors[i],
                &state.buffer,
                state.base,
                tail,
                &state.end,
            );
            match (served, &state.end) {
                (Served::Keep, _) => i += 1,
                (Served::Left, _) => state.cursors.remove(i).slot.release(),
                (Served::Ended, Some(end)) => state.cursors.remove(i).slot.terminate(end),
                (Served::Ended, None) => unreachable!("a cursor ends only at a recorded end"),
            }
        }

        // Keep what the slowest cursor still needs, and the last `history`.
        let slowest = state.cursors.iter().map(|c| c.index).min().unwrap_or(tail);
        let keep_from = slowest.min(tail.saturating_sub(self.history));
        while state.base < keep_from && state.buffer.pop_front().is_some() {
            state.base += 1;
        }

        // Pace upstream by the slowest cursor (module docs, field rule 3).
        if !done && state.requested.saturating_sub(slowest) <= self.prefetch - self.limit {
            let n = slowest + self.prefetch - state.requested;
            state.requested += n;
            self.link.request(n);
        }
    }

    /// A disconnect ended the stream: everyone gets its error at once.
    #[cold]
    fn abort(&self, state: &mut ReplayState<T>) {
        let error = state
            .aborted
            .get_or_insert_with(|| match self.link.outcome() {
                Some(Err(error)) => error,
                _ => disconnected_error(),
            })
            .clone();
        let (queue, buffer) = (&mut state.queue, &mut state.buffer);
        clear_despite_panics(|| queue.clear());
        clear_despite_panics(|| buffer.clear());
        let end = Err(error);
        for cursor in core::mem::take(&mut state.cursors) {
            cursor.slot.terminate(&end);
        }
        if let Some(arrived) = self.arrivals.take() {
            arrived.into_iter().for_each(|slot| slot.terminate(&end));
        }
    }
}

/// Delivers from the recording to one cursor while it has demand.
#[inline]
fn serve<T: Clone>(
    cursor: &mut Cursor<T>,
    buffer: &VecDeque<T>,
    base: u64,
    tail: u64,
    end: &Option<Result<(), Error>>,
) -> Served {
    loop {
        // §3.12: a cancel (or §3.9's request(0)) is seen before every item.
        let Some(remaining) = cursor.slot.remaining() else {
            return Served::Left;
        };
        if cursor.index == tail {
            return if end.is_some() {
                Served::Ended
            } else {
                Served::Keep
            };
        }
        if remaining == 0 {
            return Served::Keep;
        }
        // Field access rule 2: the buffer starts at or before every cursor.
        let item = buffer[(cursor.index - base) as usize].clone();
        cursor.index += 1;
        cursor.slot.deliver(item);
    }
}

impl<T: Clone + Send + 'static> Drainable for ReplayHub<T> {
    #[inline]
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }
}

impl<T: Clone + Send + 'static> Control for ReplayHub<T> {
    fn mark_disconnected(&self) -> bool {
        // Ordering: AcqRel. Release publishes the mark to `try_connect` and
        // `is_disconnected`. Pairs with: their Acquire loads.
        !self.disconnected.swap(true, Ordering::AcqRel)
    }

    fn disconnect(&self) {
        self.mark_disconnected();
        self.link.cancel();
        if self.link.end(Err(disconnected_error())) {
            // Ordering: Release; the drain entered below reads it with
            // Acquire in `round`.
            self.aborted.store(true, Ordering::Release);
        }
        self.drain();
    }

    fn is_disconnected(&self) -> bool {
        ReplayHub::is_disconnected(self)
    }

    fn is_terminated(&self) -> bool {
        self.link.is_done()
    }
}

impl<T> fmt::Debug for ReplayHub<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayHub")
            .field("history", &self.history)
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

/// The replay's subscriber to upstream.
struct ReplayFeed<T> {
    hub: Arc<ReplayHub<T>>,
    feed: Feed<T>,
}

impl<T: Clone + Send + 'static> Subscriber<T> for ReplayFeed<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let hub = &*self.hub;
        self.feed
            .on_subscribe(&hub.link, &hub.producer, subscription, hub.prefetch);
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
