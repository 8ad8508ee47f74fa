//! `into_stream`: a publisher consumed as a [`futures_core::Stream`].
//!
//! The stream owns the consuming end of a bounded queue; its subscriber
//! ([`StreamSubscriber`]) owns the producing end. Demand: `prefetch` at first,
//! then `limit = prefetch - prefetch / 4` each time `limit` items were taken
//! by `poll_next` (the 75% rule), so at most `prefetch` items ever wait.
//! Threads: the publisher emits on whatever thread it likes; the stream is
//! polled by whatever executor polls it (or `block_on`), and is woken through
//! the `Waker` of its last `Pending`. No thread, no runtime.
//!
//! # Implementation notes
//!
//! ## State
//! In [`Shared`], shared by the stream and its subscriber:
//! - `parked: AtomicBool`: the stream registered a waker and then found the
//!   queue empty; the next signal must wake it.
//! - `waker: Mutex<Option<Waker>>`: the waker of the last `Pending`.
//! - `done: AtomicBool`: a terminal signal arrived (or an overflow was
//!   detected); `error: Mutex<Option<Error>>` holds the error, written before
//!   `done`.
//! - `requested: AtomicU64`: the total asked of upstream, for the §1.1 check.
//! - `link: Mutex<Link>`: the upstream subscription, and whether the stream
//!   was dropped (so a subscription arriving later is cancelled at once).
//!
//! ## Field access rules
//! 1. The queue's producer: the subscriber only (serial, §1.3); its consumer:
//!    the stream only (`poll_next` takes `&mut self`).
//! 2. `requested` grows only before the `request` call that announces the
//!    amount, so an item emitted within that demand happens after the growth
//!    (through the publisher's own request/emit synchronization) and the
//!    subscriber's `Relaxed` load sees it; an item beyond every request is an
//!    overflow, whatever value that load sees.
//! 3. `error` is written before the `Release` store of `done`, and read after
//!    an `Acquire` load of `done` returned true.
//! 4. The waker is never woken under its lock: waking may run a drain that
//!    polls this very stream (`from_stream(p.into_stream())`), which takes
//!    the lock to register.
//!
//! ## Races considered
//! 1. **The lost wake-up**, the classic bug of such bridges: the stream finds
//!    the queue empty while the subscriber pushes. The stream registers its
//!    waker first, then sets `parked` with a read-modify-write, then looks at
//!    the queue (and `done`) once more before it returns `Pending`. The
//!    subscriber pushes, then clears `parked` with a read-modify-write, and
//!    wakes if it was set. Both RMWs are on one word, so one comes first: if
//!    the stream's does, the subscriber reads `parked` and wakes the waker
//!    registered before it; if the subscriber's does, the stream's `Acquire`
//!    reads from it and its second look sees the pushed item. Loom:
//!    `loom_into_stream::an_item_racing_the_park_is_seen_or_wakes`.
//! 2. The last item against completion: the subscriber pushes its last item
//!    before it stores `done` with `Release`; the stream loads `done` with
//!    `Acquire` *before* it pops (B7), so when it sees `done` and then an
//!    empty queue, every item was taken.
//! 3. Dropping the stream against `on_subscribe` on another thread: both take
//!    the `link` lock; whichever comes second sees the other, so the
//!    subscription is cancelled either way (§3.12). The drop empties the
//!    queue; items still in flight (§2.8, at most `prefetch`) wait in the
//!    ring until the publisher lets go of the subscriber (§3.13).

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use futures_core::stream::{FusedStream, Stream};

use crate::author::Replenish;
use crate::error::{Error, Rule};
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// The default prefetch of [`into_stream`](crate::PublisherExt::into_stream):
/// 256, the usual default for a hop between threads.
#[cfg(not(reactive_streams_loom))]
pub(crate) const DEFAULT_PREFETCH: usize = 256;
/// Shrunk under loom: changes no logic, lets a model fill the queue.
#[cfg(reactive_streams_loom)]
pub(crate) const DEFAULT_PREFETCH: usize = 2;

/// The largest prefetch: larger ones are clamped to it, because the queue's
/// slots are allocated up front. 65 536 items in flight is far past the point
/// where a bigger batch buys any throughput.
pub(crate) const MAX_PREFETCH: usize = 1 << 16;

/// A publisher's items as a [`Stream`] of `Result<T, Error>`: `Ok(item)` for
/// each item, then `Err(error)` once if the publisher failed, then `None`.
///
/// Made by [`PublisherExt::into_stream`](crate::PublisherExt::into_stream),
/// [`PublisherExt::into_stream_with`](crate::PublisherExt::into_stream_with)
/// or [`stream_subscriber`](crate::interop::stream_subscriber).
///
/// The items are `Result`s, so the stream is a `TryStream`: `try_next`,
/// `try_collect` and `?` work on it, and an error is an item like any other
/// rather than a panic or a silent end. It is lazy: nothing is subscribed
/// until the first poll. It is [`Unpin`], so its [`next`](IntoStream::next)
/// needs no pinning, and a [`FusedStream`]. It needs no runtime: any executor,
/// or `futures::executor::block_on`, can poll it, and the publisher may emit
/// from any thread.
///
/// # Demand
///
/// Requests `prefetch` at the first poll, then `limit = prefetch - prefetch / 4`
/// each time `limit` items have been taken (the 75% rule), so at most
/// `prefetch` items wait in its buffer. A publisher that sends more than was
/// requested (§1.1) ends the stream with an
/// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) error after the items
/// received within demand, and is cancelled.
///
/// # Cancellation
///
/// Dropping the stream cancels the subscription (§3.12) and drops the
/// buffered items.
///
/// # Examples
///
/// ```
/// use futures::executor::block_on;
/// use futures::TryStreamExt;
/// use reactive_streams::{source, PublisherExt};
///
/// let items: Vec<u32> = block_on(source::range(0..5u32).into_stream().try_collect()).unwrap();
/// assert_eq!(items, [0, 1, 2, 3, 4]);
/// ```
pub struct IntoStream<T> {
    /// Subscribes, at the first poll.
    start: Option<Box<dyn FnOnce() + Send + Sync>>,
    shared: Arc<Shared>,
    queue: Consumer<T>,
    /// When to request more: the 75% rule, counted as items are taken.
    replenish: Replenish,
    /// The upstream subscription, fetched from `shared` at the first
    /// replenishing request (it arrived before any item, §1.9).
    upstream: Option<Arc<dyn Subscription>>,
    /// `None` was returned (or is next, after an error was returned).
    terminated: bool,
}

/// What the stream and its subscriber share. See the module docs.
struct Shared {
    parked: AtomicBool,
    waker: Mutex<Option<Waker>>,
    done: AtomicBool,
    error: Mutex<Option<Error>>,
    requested: AtomicU64,
    link: Mutex<Link>,
}

/// The upstream side, under `Shared::link`.
struct Link {
    subscription: Option<Arc<dyn Subscription>>,
    /// The stream was dropped: a subscription is cancelled on arrival.
    cancelled: bool,
}

/// The subscriber that feeds an [`IntoStream`]: subscribe it to a publisher
/// (or hand it to any code that wants a [`Subscriber`]) and poll the stream.
///
/// Made, with its stream, by [`stream_subscriber`](crate::interop::stream_subscriber).
/// It requests `prefetch` in `on_subscribe` and answers a second subscription
/// with a cancel (§2.5).
///
/// # Examples
///
/// ```
/// use futures::executor::block_on;
/// use reactive_streams::{interop, source, Publisher};
///
/// let (subscriber, mut stream) = interop::stream_subscriber::<u8>(16);
/// source::just(7u8).subscribe(subscriber);
/// assert_eq!(block_on(stream.next()).unwrap().unwrap(), 7);
/// assert!(block_on(stream.next()).is_none());
/// ```
pub struct StreamSubscriber<T> {
    shared: Arc<Shared>,
    queue: Producer<T>,
    prefetch: u64,
    /// Items received, for the §1.1 check.
    received: u64,
    phase: Phase,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    /// Waiting for `on_subscribe`.
    Fresh,
    Active,
    /// After a terminal signal, an overflow, or a refused subscription.
    Done,
}

/// A [`StreamSubscriber`] and the [`IntoStream`] it feeds, with at most
/// `prefetch` items buffered (clamped to 1..=65 536).
///
/// For when the subscribing is not yours to do: a publisher that takes a
/// [`Subscriber`] later, or a [`BoxSubscriber`](crate::BoxSubscriber) slot.
/// Use [`into_stream`](crate::PublisherExt::into_stream) when you hold the
/// publisher. If the subscriber is dropped before a terminal signal (a
/// publisher that panicked, or lost it), the stream ends with an error
/// instead of waiting forever.
///
/// # Examples
///
/// ```
/// use futures::executor::block_on;
/// use futures::TryStreamExt;
/// use reactive_streams::{interop, source, Publisher};
///
/// let (subscriber, stream) = interop::stream_subscriber::<u32>(4);
/// source::range(0..10u32).subscribe(subscriber);
/// let items: Vec<u32> = block_on(stream.try_collect()).unwrap();
/// assert_eq!(items.len(), 10);
/// ```
pub fn stream_subscriber<T: Send + 'static>(
    prefetch: usize,
) -> (StreamSubscriber<T>, IntoStream<T>) {
    let prefetch = prefetch.clamp(1, MAX_PREFETCH);
    let (producer, consumer) = spsc(prefetch);
    let shared = Arc::new(Shared {
        parked: AtomicBool::new(false),
        waker: Mutex::new(None),
        done: AtomicBool::new(false),
        error: Mutex::new(None),
        requested: AtomicU64::new(0),
        link: Mutex::new(Link {
            subscription: None,
            cancelled: false,
        }),
    });
    let subscriber = StreamSubscriber {
        shared: Arc::clone(&shared),
        queue: producer,
        prefetch: prefetch as u64,
        received: 0,
        phase: Phase::Fresh,
    };
    let stream = IntoStream {
        start: None,
        shared,
        queue: consumer,
        replenish: Replenish::new(prefetch as u64),
        upstream: None,
        terminated: false,
    };
    (subscriber, stream)
}

impl<T: Send + 'static> IntoStream<T> {
    /// The stream of `publisher`, subscribed at the first poll.
    pub(crate) fn new<P>(publisher: P, prefetch: usize) -> Self
    where
        P: Publisher<Item = T> + 'static,
    {
        let (subscriber, mut stream) = stream_subscriber(prefetch);
        stream.start = Some(Box::new(move || publisher.subscribe(subscriber)));
        stream
    }

    /// The next item: `Some(Ok(item))`, `Some(Err(error))` once if the
    /// publisher failed, then `None`. The same as `StreamExt::next`, without
    /// the import.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::executor::block_on;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let mut stream = source::range(1..3u8).into_stream();
    /// block_on(async {
    ///     assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    ///     assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    ///     assert!(stream.next().await.is_none());
    /// });
    /// ```
    #[allow(clippy::should_implement_trait)] // `StreamExt::next`'s async form, not `Iterator::next`
    pub fn next(&mut self) -> crate::interop::Next<'_, T> {
        crate::interop::Next::new(self)
    }

    /// Records one taken item and asks upstream for more at 75%.
    #[inline]
    fn consumed_one(&mut self) {
        let Some(n) = self.replenish.consumed_one() else {
            return;
        };
        if self.upstream.is_none() {
            self.upstream = self.shared.link.lock().subscription.clone();
        }
        if let Some(upstream) = &self.upstream {
            // Ordering: Relaxed; grown before the `request` that announces it
            // (field access rule 2).
            self.shared.requested.fetch_add(n, Ordering::Relaxed);
            upstream.request(n);
        }
    }

    /// The end, after `done` was seen and the queue found empty: the error
    /// once, then `None` for good.
    #[cold]
    fn end(&mut self) -> Poll<Option<Result<T, Error>>> {
        self.terminated = true;
        self.upstream = None;
        // Rule 3: `done` was loaded with Acquire before this.
        Poll::Ready(self.shared.error.lock().take().map(Err))
    }
}

impl Shared {
    /// True once a terminal signal (or an overflow) was recorded. Load it
    /// before looking at the queue (race 2).
    #[inline]
    fn is_done(&self) -> bool {
        // Ordering: Acquire pairs with the Release store in `finish`, so the
        // items pushed and the error written before it are visible.
        self.done.load(Ordering::Acquire)
    }

    /// Registers `waker` and marks the stream parked; the caller then looks
    /// at the queue once more before returning `Pending` (race 1).
    fn park(&self, waker: &Waker) {
        {
            let mut slot = self.waker.lock();
            match &*slot {
                Some(current) if current.will_wake(waker) => {}
                _ => *slot = Some(waker.clone()),
            }
        }
        // Ordering: AcqRel, a read-modify-write on the word the subscriber
        // also swaps. Release publishes the registered waker to a subscriber
        // that reads `true`; Acquire, when it reads the subscriber's `false`,
        // makes the item pushed before that swap visible to our second look.
        // Pairs with: the swap in `notify` (race 1).
        self.parked.swap(true, Ordering::AcqRel);
    }

    /// Wakes the stream if it is parked: called after every push and after
    /// a terminal signal (race 1).
    #[inline]
    fn notify(&self) {
        // Ordering: AcqRel. Release publishes the item pushed (or `done`
        // stored) before this to a stream whose `park` reads our `false`;
        // Acquire, when we read its `true`, makes its registered waker
        // visible. Pairs with: the swap in `park`.
        if self.parked.swap(false, Ordering::AcqRel) {
            // Taken out, then woken outside the lock (rule 4).
            let waker = self.waker.lock().take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    /// Records the end (with `error`, if any) and wakes the stream.
    fn finish(&self, error: Option<Error>) {
        if let Some(error) = error {
            *self.error.lock() = Some(error);
        }
        // Ordering: Release publishes the pushed items and the error (rule 3).
        // Pairs with: the Acquire load in `is_done`.
        self.done.store(true, Ordering::Release);
        self.notify();
    }

    /// The stream was dropped: no more subscription (race 3).
    fn cancel(&self) {
        let subscription = {
            let mut link = self.link.lock();
            link.cancelled = true;
            link.subscription.take()
        };
        // Outside the lock: a synchronous publisher may signal from `cancel`.
        if let Some(subscription) = subscription {
            subscription.cancel(); // §3.12
        }
    }

    /// True once the stream was dropped.
    fn is_cancelled(&self) -> bool {
        self.link.lock().cancelled
    }
}

impl<T> Stream for IntoStream<T>
where
    T: Send + 'static,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.terminated {
            return Poll::Ready(None);
        }
        if let Some(start) = this.start.take() {
            start(); // a synchronous publisher fills the queue in here
        }
        let mut parked = false;
        loop {
            // B7: `done` before the queue (race 2).
            let done = this.shared.is_done();
            if let Some(item) = this.queue.pop() {
                this.consumed_one();
                return Poll::Ready(Some(Ok(item)));
            }
            if done {
                return this.end();
            }
            if parked {
                return Poll::Pending;
            }
            // Register, then look again (race 1): never the other way round.
            this.shared.park(cx.waker());
            parked = true;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.terminated {
            (0, Some(0))
        } else {
            (self.queue.len(), None)
        }
    }
}

impl<T: Send + 'static> FusedStream for IntoStream<T> {
    fn is_terminated(&self) -> bool {
        self.terminated
    }
}

impl<T> Drop for IntoStream<T> {
    fn drop(&mut self) {
        if self.start.is_some() {
            return; // never polled, never subscribed
        }
        if !self.terminated {
            self.shared.cancel();
        }
        // Free the buffer now rather than when the publisher lets go of the
        // subscriber (§3.13 on our side).
        self.queue.clear();
    }
}

impl<T> fmt::Debug for IntoStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoStream")
            .field("subscribed", &self.start.is_none())
            .field("buffered", &self.queue.len())
            .field("capacity", &self.queue.capacity())
            .field("terminated", &self.terminated)
            .finish()
    }
}

impl<T> StreamSubscriber<T> {
    /// Ends the stream with `error` after the buffered items, cancelling
    /// upstream.
    #[cold]
    fn fail(&mut self, error: Error) {
        self.phase = Phase::Done;
        let subscription = self.shared.link.lock().subscription.take();
        self.shared.finish(Some(error));
        if let Some(subscription) = subscription {
            subscription.cancel();
        }
    }

    /// A terminal signal from upstream: recorded, and the subscription is
    /// forgotten, never called (§2.3).
    fn terminate(&mut self, error: Option<Error>) {
        if self.phase == Phase::Done {
            return; // §1.7
        }
        self.phase = Phase::Done;
        let subscription = self.shared.link.lock().subscription.take();
        self.shared.finish(error);
        drop(subscription);
    }
}

impl<T: Send> Subscriber<T> for StreamSubscriber<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.phase != Phase::Fresh {
            subscription.cancel(); // §2.5
            return;
        }
        {
            let mut link = self.shared.link.lock();
            if link.cancelled {
                // The stream is gone (race 3).
                drop(link);
                self.phase = Phase::Done;
                subscription.cancel();
                return;
            }
            link.subscription = Some(Arc::clone(&subscription));
        }
        self.phase = Phase::Active;
        // Ordering: Relaxed; before the request (field access rule 2).
        self.shared
            .requested
            .fetch_add(self.prefetch, Ordering::Relaxed);
        subscription.request(self.prefetch);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        match self.phase {
            Phase::Active => {}
            Phase::Done => return, // §2.8: in flight after a cancel or the end
            Phase::Fresh => {
                let error = Error::spec_violation(Rule::new(1, 9), "on_next before on_subscribe");
                return self.fail(error);
            }
        }
        self.received += 1;
        // Ordering: Relaxed; see field access rule 2.
        let requested = self.shared.requested.load(Ordering::Relaxed);
        if self.received > requested {
            let message = format!(
                "received {} items, more than the {requested} requested",
                self.received
            );
            return self.fail(Error::overflow(message));
        }
        if self.queue.push(item).is_err() {
            // Unreachable within demand: the queue holds `prefetch`, and no
            // more than `prefetch` are ever outstanding. Checked anyway.
            return self.fail(Error::overflow("the stream's buffer is full"));
        }
        self.shared.notify();
    }

    fn on_error(&mut self, error: Error) {
        self.terminate(Some(error));
    }

    fn on_complete(&mut self) {
        self.terminate(None);
    }
}

impl<T> Drop for StreamSubscriber<T> {
    fn drop(&mut self) {
        if self.phase != Phase::Done {
            // Dropped without a terminal signal: end the stream rather than
            // leave it pending forever.
            self.phase = Phase::Done;
            self.shared.finish(Some(Error::new(
                "the publisher dropped the stream's subscriber without a terminal signal",
            )));
        }
    }
}

impl<T> fmt::Debug for StreamSubscriber<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSubscriber")
            .field("prefetch", &self.prefetch)
            .field("received", &self.received)
            .field("phase", &self.phase)
            .field("stream_dropped", &self.shared.is_cancelled())
            .finish()
    }
}
