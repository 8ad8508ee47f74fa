//! The backpressure family: what to do when upstream is faster than
//! downstream's demand (`on_backpressure_buffer`, `_drop`, `_latest`,
//! `_error`, `_reduce`) and how to shape the demand sent upstream
//! (`limit_rate`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod limit_rate;
mod on_backpressure_buffer;
mod on_backpressure_drop;
mod on_backpressure_error;
mod on_backpressure_latest;
mod on_backpressure_reduce;

pub use self::limit_rate::LimitRate;
pub use self::on_backpressure_buffer::{BufferOverflow, OnBackpressureBuffer};
pub use self::on_backpressure_drop::OnBackpressureDrop;
pub use self::on_backpressure_error::OnBackpressureError;
pub use self::on_backpressure_latest::OnBackpressureLatest;
pub use self::on_backpressure_reduce::OnBackpressureReduce;

/// The backpressure family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
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
        /// round trips, that is the page size. The queue is allocated at
        /// subscription, so a `high` above [`MAX_CAPACITY`](crate::MAX_CAPACITY)
        /// is clamped to it (and `low` with it).
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
    };
}
pub(crate) use methods;
