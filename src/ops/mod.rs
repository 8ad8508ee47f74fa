//! Operators and terminal methods, all reached through [`PublisherExt`].
//!
//! One operator per file; each file is listed here as a `mod x;` line and its
//! types re-exported, in alphabetical order. The shared pieces of operator
//! subscribers live in `guard.rs` (user closures that panic), `relay.rs`
//! (terminal signals, §1.7, §2.5) and `upstream.rs` (the upstream
//! subscription).

mod arbiter;
mod buffered;
mod filter;
mod guard;
mod limit_rate;
mod map;
mod on_backpressure_buffer;
mod on_backpressure_drop;
mod on_backpressure_error;
mod on_backpressure_latest;
mod on_backpressure_reduce;
mod on_error_resume;
mod on_error_return;
mod relay;
mod retry;
mod upstream;

pub use self::filter::Filter;
pub use self::limit_rate::LimitRate;
pub use self::map::Map;
pub use self::on_backpressure_buffer::{BufferOverflow, OnBackpressureBuffer};
pub use self::on_backpressure_drop::OnBackpressureDrop;
pub use self::on_backpressure_error::OnBackpressureError;
pub use self::on_backpressure_latest::OnBackpressureLatest;
pub use self::on_backpressure_reduce::OnBackpressureReduce;
pub use self::on_error_resume::OnErrorResume;
pub use self::on_error_return::OnErrorReturn;
pub use self::retry::Retry;

use crate::error::Error;
#[cfg(not(reactive_streams_loom))]
use crate::subscriber::BlockingIter;
use crate::subscriber::{CancelHandle, LambdaSubscriber};
use crate::traits::{BoxPublisher, Publisher};

impl<P: Publisher + ?Sized> PublisherExt for P {}

/// The methods every [`Publisher`] gets: operators, and the ways to consume a
/// stream.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let squares: Vec<u64> = source::range(1..5u64)
///     .blocking_iter()
///     .map(|item| item.unwrap() * 2)
///     .collect();
/// assert_eq!(squares, [2, 4, 6, 8]);
/// ```
pub trait PublisherExt: Publisher {
    // ----- transform -----------------------------------------------------

    /// Transforms each item with `f`.
    ///
    /// `f` is shared by every subscription of the resulting publisher, so it
    /// is `Fn + Send + Sync`; keep per-subscription state in `scan`.
    ///
    /// # Demand
    ///
    /// One for one: each request goes straight upstream.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through. A panic in `f` cancels upstream and becomes
    /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic); nothing
    /// follows it.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..4u32).map(|x| x * 10).subscribe(ts.clone());
    /// ts.assert_values(&[10, 20, 30]).assert_complete();
    /// ```
    fn map<U, F>(self, f: F) -> Map<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> U + Send + Sync + 'static,
        U: Send + 'static,
    {
        assert_publisher::<U, _>(Map::new(self, f))
    }

    /// Keeps the items for which `predicate` returns true.
    ///
    /// # Demand
    ///
    /// One for one for kept items. A rejected item costs no request when
    /// upstream emits through
    /// [`try_on_next`](crate::Subscriber::try_on_next), as every synchronous
    /// source and operator of this crate does; other publishers get a
    /// `request(1)` for each rejected item.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through. A panic in `predicate` cancels upstream and
    /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::range(1..100u32).filter(|x| x % 2 == 0).subscribe(ts.clone());
    /// ts.assert_values(&[2, 4, 6]).assert_not_terminated();
    /// assert_eq!(ts.requests(), [3]); // no request(1) per odd number
    /// ```
    fn filter<F>(self, predicate: F) -> Filter<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(Filter::new(self, predicate))
    }

    // (end of transform)

    // ----- limit ---------------------------------------------------------

    // (end of limit)

    // ----- aggregate -----------------------------------------------------

    // (end of aggregate)

    // ----- combine -------------------------------------------------------

    // (end of combine)

    // ----- flatten -------------------------------------------------------

    // (end of flatten)

    // ----- errors --------------------------------------------------------

    /// Replaces an error from upstream with one last item, made from the
    /// error by `f`, and completes.
    ///
    /// Items pass through unchanged. When upstream fails, `f` maps the error
    /// to the fallback item, which is emitted once the subscriber has demand
    /// for it (at once if it has, otherwise at its next `request`), followed
    /// by `on_complete`. A stream that completes never calls `f`.
    ///
    /// # Demand
    ///
    /// One for one: requests go straight upstream. The fallback item is never
    /// emitted beyond the subscriber's demand.
    ///
    /// # Errors and cancellation
    ///
    /// The error `f` receives is not passed on. A panic in `f` becomes
    /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic) (upstream
    /// has ended already). The §3.9 error that answers the subscriber's own
    /// `request(0)` is passed on, not mapped. A cancel while the fallback
    /// item waits for demand drops it.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // 1, 2, then an error.
    /// let failing = source::generate(
    ///     || 1u32,
    ///     |n, sink| if *n < 3 { sink.next(*n); *n += 1 } else { sink.error(Error::new("disk full")) },
    /// );
    /// let ts = TestSubscriber::new(2);
    /// failing.on_error_return(|_| 0).subscribe(ts.clone());
    /// ts.assert_values(&[1, 2]).assert_not_terminated(); // the fallback waits for demand
    /// ts.request(1);
    /// ts.assert_values(&[1, 2, 0]).assert_complete();
    /// ```
    fn on_error_return<F>(self, f: F) -> OnErrorReturn<Self, F>
    where
        Self: Sized,
        F: Fn(Error) -> Self::Item + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(OnErrorReturn::new(self, f))
    }

    /// Continues with a fallback publisher, made from the error by `f`, when
    /// upstream fails.
    ///
    /// Items pass through unchanged. When upstream fails, `f` makes the
    /// fallback from the error and the fallback is subscribed in upstream's
    /// place: the subscriber sees one subscription and one stream, the items
    /// of upstream and then those of the fallback, and the fallback's end.
    ///
    /// # Demand
    ///
    /// Requests go to upstream, then to the fallback. The demand upstream did
    /// not serve carries over: the fallback is asked for it as soon as it is
    /// subscribed, so the subscriber gets exactly what it requested.
    ///
    /// # Errors and cancellation
    ///
    /// An error of the fallback is passed on. A panic in `f` becomes
    /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic). The
    /// §3.9 error that answers the subscriber's own `request(0)` is passed on,
    /// not resumed from. A cancel reaches whichever publisher is current.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let cache = source::from_iter(vec!["cached-1", "cached-2"]);
    /// let ts = TestSubscriber::new(1);
    /// source::error::<&str>(Error::new("offline"))
    ///     .on_error_resume(move |_| cache.clone())
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&["cached-1"]).assert_not_terminated(); // demand carried over
    /// ts.request(5);
    /// ts.assert_values(&["cached-1", "cached-2"]).assert_complete();
    /// ```
    fn on_error_resume<P, F>(self, f: F) -> OnErrorResume<Self, F>
    where
        Self: Sized,
        F: Fn(Error) -> P + Send + Sync + 'static,
        P: Publisher<Item = Self::Item>,
    {
        assert_publisher::<Self::Item, _>(OnErrorResume::new(self, f))
    }

    /// Subscribes to upstream again when it fails, at most `times` times.
    ///
    /// Each attempt is a new subscription to the same publisher (a cold one
    /// starts over, so items may repeat). The subscriber sees one subscription
    /// and one stream: the items of every attempt, then the end of the first
    /// attempt that completes, or the error of attempt `times + 1`.
    ///
    /// # Demand
    ///
    /// Requests go to the current attempt. Demand a failed attempt did not
    /// serve carries over: the next attempt is asked for it as soon as it is
    /// subscribed. A source that fails synchronously is resubscribed from a
    /// loop, not recursively, so the stack does not grow with the attempts.
    ///
    /// # Errors and cancellation
    ///
    /// The error of the last allowed attempt is passed on. The §3.9 error
    /// that answers the subscriber's own `request(0)` is passed on at once. A
    /// cancel reaches the current attempt, and no attempt is made after it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use std::sync::Arc;
    /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // Fails twice, then succeeds.
    /// let attempts = Arc::new(AtomicU32::new(0));
    /// let counter = Arc::clone(&attempts);
    /// let flaky = source::defer(move || match counter.fetch_add(1, Ordering::SeqCst) {
    ///     0 | 1 => source::error(Error::new("try again")).boxed(),
    ///     _ => source::just("ok").boxed(),
    /// });
    /// let ts = TestSubscriber::unbounded();
    /// flaky.retry(3).subscribe(ts.clone());
    /// ts.assert_values(&["ok"]).assert_complete();
    /// assert_eq!(attempts.load(Ordering::SeqCst), 3);
    /// ```
    fn retry(self, times: u64) -> Retry<Self>
    where
        Self: Sized + 'static,
    {
        assert_publisher::<Self::Item, _>(Retry::new(self, times))
    }

    // (end of errors)

    // ----- backpressure --------------------------------------------------

    /// Buffers up to `capacity` items for a subscriber slower than upstream;
    /// `overflow` says what happens to an item that finds the buffer full.
    ///
    /// Upstream is requested without bound. Items the subscriber has demand
    /// for go straight through; the others wait in the buffer, in order, and
    /// are delivered as demand arrives. When the buffer is full,
    /// [`BufferOverflow::DropLatest`] drops the arriving item,
    /// [`BufferOverflow::DropOldest`] evicts the oldest buffered one, and
    /// [`BufferOverflow::Error`] fails the stream. Dropped items can be
    /// observed with [`on_dropped`](OnBackpressureBuffer::on_dropped).
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) upstream once the subscriber
    /// has its subscription (a request made inside `on_subscribe` is in place
    /// before the first item). Never delivers beyond the subscriber's demand.
    ///
    /// # Errors and cancellation
    ///
    /// `on_complete` is delivered after the buffered items; an error from
    /// upstream is delivered at once and the buffered items are dropped. An
    /// overflow under [`BufferOverflow::Error`] cancels upstream and becomes
    /// `on_error` with [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) at
    /// once. A panic in the drop callback cancels upstream and becomes
    /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic). A cancel
    /// drops the buffer (§3.13).
    ///
    /// # Panics
    ///
    /// If `capacity` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::BufferOverflow;
    /// use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(0..5u32)
    ///     .on_backpressure_buffer(8, BufferOverflow::Error)
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0]).assert_not_terminated(); // 1..5 wait in the buffer
    /// ts.request(10);
    /// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    ///
    /// let small = TestSubscriber::<u32>::new(0);
    /// source::range(0..5u32)
    ///     .on_backpressure_buffer(2, BufferOverflow::Error)
    ///     .subscribe(small.clone());
    /// small.assert_error_kind(ErrorKind::Overflow); // the third item found it full
    /// ```
    fn on_backpressure_buffer(
        self,
        capacity: usize,
        overflow: BufferOverflow,
    ) -> OnBackpressureBuffer<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(OnBackpressureBuffer::new(self, capacity, overflow))
    }

    /// Drops the items that arrive while the subscriber has no demand.
    ///
    /// Upstream is requested without bound; an item is delivered if the
    /// subscriber has requested more than it has received, and dropped
    /// otherwise. Dropped items can be observed with
    /// [`on_dropped`](OnBackpressureDrop::on_dropped).
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) upstream once the subscriber
    /// has its subscription (a request made inside `on_subscribe` is in place
    /// before the first item). Never delivers beyond the subscriber's demand.
    ///
    /// # Errors and cancellation
    ///
    /// Terminal signals pass through at once. A panic in the drop callback
    /// cancels upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::range(0..100u32).on_backpressure_drop().subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_complete(); // 3..100 had no demand
    /// ```
    fn on_backpressure_drop(self) -> OnBackpressureDrop<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(OnBackpressureDrop::new(self))
    }

    /// Keeps only the latest item the subscriber has not received yet.
    ///
    /// Upstream is requested without bound. An item the subscriber has
    /// demand for goes straight through; otherwise it waits, and an item
    /// arriving meanwhile replaces it (replaced items can be observed with
    /// [`on_dropped`](OnBackpressureLatest::on_dropped)). The waiting item is
    /// delivered at the subscriber's next demand.
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) upstream once the subscriber
    /// has its subscription. Never delivers beyond the subscriber's demand.
    ///
    /// # Errors and cancellation
    ///
    /// `on_complete` is delivered after the waiting item; an error from
    /// upstream at once, dropping it. A panic in the drop callback cancels
    /// upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(0..100u32).on_backpressure_latest().subscribe(ts.clone());
    /// ts.assert_values(&[0]).assert_not_terminated(); // 99 waits; 1..99 were replaced
    /// ts.request(1);
    /// ts.assert_values(&[0, 99]).assert_complete();
    /// ```
    fn on_backpressure_latest(self) -> OnBackpressureLatest<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(OnBackpressureLatest::new(self))
    }

    /// Fails the stream with an overflow error at the first item that
    /// arrives while the subscriber has no demand.
    ///
    /// Upstream is requested without bound; items within the subscriber's
    /// demand pass through.
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) upstream once the subscriber
    /// has its subscription (a request made inside `on_subscribe` is in place
    /// before the first item).
    ///
    /// # Errors and cancellation
    ///
    /// The first item beyond demand is dropped, upstream is cancelled, and the
    /// subscriber gets `on_error` with
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow). Upstream's own
    /// terminal signals pass through.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(2);
    /// source::range(0..5u32).on_backpressure_error().subscribe(ts.clone());
    /// ts.assert_error_kind(ErrorKind::Overflow);
    /// assert_eq!(ts.values(), [0, 1]);
    /// ```
    fn on_backpressure_error(self) -> OnBackpressureError<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(OnBackpressureError::new(self))
    }

    /// Merges the items that wait for a slow subscriber into one with `f`:
    /// `pending = f(pending, new)`.
    ///
    /// Upstream is requested without bound. An item the subscriber has
    /// demand for goes straight through; otherwise it waits, and each item
    /// arriving meanwhile is folded into it. Nothing is dropped: every item
    /// reaches the subscriber, alone or inside a reduction (a sum of counts,
    /// the union of changes, the last of a series of states).
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) upstream once the subscriber
    /// has its subscription. Never delivers beyond the subscriber's demand.
    ///
    /// # Errors and cancellation
    ///
    /// `on_complete` is delivered after the pending reduction; an error from
    /// upstream at once, dropping it. A panic in `f` cancels upstream and
    /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(1..6u32).on_backpressure_reduce(|a, b| a + b).subscribe(ts.clone());
    /// ts.assert_values(&[1]).assert_not_terminated(); // 2 + 3 + 4 + 5 pending
    /// ts.request(1);
    /// ts.assert_values(&[1, 14]).assert_complete();
    /// ```
    fn on_backpressure_reduce<F>(self, f: F) -> OnBackpressureReduce<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item, Self::Item) -> Self::Item + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(OnBackpressureReduce::new(self, f))
    }

    /// Splits the subscriber's demand into batches upstream: Reactor's
    /// `limitRate(highTide, lowTide)`.
    ///
    /// Requests `high` items upstream at first, queues what arrives, delivers
    /// within the subscriber's demand, and each time `limit` items have been
    /// delivered requests `limit` more, where
    ///
    /// * `low == 0` gives `limit = high`: strict batches, the next one
    ///   requested only when the whole previous one was delivered;
    /// * `0 < low < high` gives `limit = low`;
    /// * `low >= high` gives the 75% rule, `limit = high - high / 4`.
    ///   `limit_rate(n, n)` is Reactor's one-argument `limitRate(n)` (Rust has
    ///   no overloading).
    ///
    /// Items and the terminal signal pass through unchanged and in order.
    ///
    /// # Demand
    ///
    /// However much the subscriber requests ([`UNBOUNDED`](crate::UNBOUNDED)
    /// included), upstream never has more than `high` items requested and not
    /// yet delivered; however little, upstream is kept `high` items ahead
    /// (they wait in the queue). For a source that serves demand in pages or
    /// round trips, that is the page size.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream is delivered after the items queued before it.
    /// A cancel drops the queue (§3.13). An upstream that sends more than
    /// requested is cancelled, and an overflow error follows the queued items.
    ///
    /// # Panics
    ///
    /// If `high` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::source::{self, Emitter, Overflow};
    /// use reactive_streams::{Publisher, PublisherExt, TestSubscriber};
    ///
    /// // A source that serves each request at once, and records its size.
    /// let requests = Arc::new(Mutex::new(Vec::new()));
    /// let log = Arc::clone(&requests);
    /// let rows = source::create(Overflow::Error, move |emitter: Emitter<u64>| {
    ///     let (log, rows) = (Arc::clone(&log), emitter.clone());
    ///     emitter.on_request(move |n| {
    ///         log.lock().unwrap().push(n);
    ///         (0..n).for_each(|row| rows.next(row).unwrap());
    ///     });
    /// });
    /// let ts = TestSubscriber::new(20);
    /// rows.limit_rate(8, 0).subscribe(ts.clone());
    /// assert_eq!(ts.item_count(), 20);
    /// assert_eq!(*requests.lock().unwrap(), [8, 8, 8]); // 24 asked for, 20 delivered
    /// ```
    fn limit_rate(self, high: usize, low: usize) -> LimitRate<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(LimitRate::new(self, high, low))
    }

    // (end of backpressure)

    // ----- multicast -----------------------------------------------------

    // (end of multicast)

    // ----- subscribing and consuming ----------------------------------------

    /// Subscribes a closure that is called for every item, with unbounded
    /// demand. Returns a handle that cancels the subscription.
    ///
    /// For error and completion callbacks, or a bounded prefetch, build a
    /// [`LambdaSubscriber`] instead.
    ///
    /// # Demand
    ///
    /// Requests [`UNBOUNDED`](crate::UNBOUNDED) at once.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream is ignored (build a [`LambdaSubscriber`] with
    /// [`with_error`](LambdaSubscriber::with_error) to see it). A panic in
    /// `on_next` cancels upstream; nothing is delivered after it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&seen);
    /// let handle = source::range(0..4u8).subscribe_with(move |x| sink.lock().unwrap().push(x));
    /// assert_eq!(*seen.lock().unwrap(), [0, 1, 2, 3]);
    /// assert!(handle.is_terminated());
    /// ```
    fn subscribe_with<F>(&self, on_next: F) -> CancelHandle
    where
        F: FnMut(Self::Item) + Send + 'static,
    {
        let subscriber = LambdaSubscriber::new(on_next);
        let handle = subscriber.handle();
        self.subscribe(subscriber);
        handle
    }

    /// A blocking iterator over the items, with the default prefetch of 256.
    ///
    /// See [`blocking_iter_with_prefetch`](PublisherExt::blocking_iter_with_prefetch).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let v: Result<Vec<u32>, _> = source::range(0..3u32).blocking_iter().collect();
    /// assert_eq!(v.unwrap(), [0, 1, 2]);
    /// ```
    #[cfg(not(reactive_streams_loom))]
    fn blocking_iter(&self) -> BlockingIter<Self::Item> {
        self.blocking_iter_with_prefetch(BlockingIter::<Self::Item>::DEFAULT_PREFETCH)
    }

    /// A blocking iterator over the items, yielding `Ok(item)` for each item
    /// and `Err(error)` once if the stream fails.
    ///
    /// # Demand
    ///
    /// Requests `prefetch` at first, then `limit = prefetch - prefetch / 4`
    /// each time `limit` items have been taken (the 75% rule), so at most
    /// `prefetch` items wait in its buffer.
    ///
    /// # Errors and cancellation
    ///
    /// Dropping the iterator cancels the subscription. A publisher that sends
    /// more than was requested ends the iteration with an overflow error
    /// instead of growing the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let mut it = source::range(0..1_000u32).blocking_iter_with_prefetch(8);
    /// assert_eq!(it.next().unwrap().unwrap(), 0);
    /// drop(it); // cancels upstream
    /// ```
    #[cfg(not(reactive_streams_loom))]
    fn blocking_iter_with_prefetch(&self, prefetch: usize) -> BlockingIter<Self::Item> {
        BlockingIter::subscribe(self, prefetch)
    }

    /// Erases the publisher's type.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, BoxPublisher, PublisherExt};
    ///
    /// let sources: Vec<BoxPublisher<u8>> = vec![source::just(1).boxed(), source::empty().boxed()];
    /// assert_eq!(sources.len(), 2);
    /// ```
    fn boxed(self) -> BoxPublisher<Self::Item>
    where
        Self: Sized + 'static,
    {
        BoxPublisher::new(self)
    }
}

/// Identity function that pins down an operator's item type, so that a
/// mismatch shows up at the operator, not at the far end of a chain.
#[inline(always)]
pub(crate) fn assert_publisher<T, P>(publisher: P) -> P
where
    P: Publisher<Item = T>,
{
    publisher
}
