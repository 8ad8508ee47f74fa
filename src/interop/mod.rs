//! Async Rust, both ways, with no runtime: a publisher as a
//! [`futures_core::Stream`], a `Stream` or a `Future` as a publisher, and an
//! async function per item at bounded concurrency.
//!
//! | bridge | what | file |
//! |---|---|---|
//! | [`into_stream`](crate::PublisherExt::into_stream) | a publisher's items as a `Stream` of `Result<T, Error>`, prefetched at 75% | `into_stream.rs` |
//! | [`stream_subscriber`] | the same, as a subscriber you subscribe yourself and its stream | `into_stream.rs` |
//! | `first().await`, `last().await`, `collect().await`, [`IntoStream::next`] | the async terminals | `terminal.rs` |
//! | [`source::from_stream`](crate::source::from_stream) | a `Stream` as a publisher, polled only on demand | `from_stream.rs` |
//! | [`source::from_future`](crate::source::from_future) | a `Future` as a publisher of one item | `from_future.rs` |
//! | [`map_async`](crate::PublisherExt::map_async), [`map_async_unordered`](crate::PublisherExt::map_async_unordered) | an async function per item, at most `concurrency` at once | `map_async.rs` (with `in_flight.rs`, `reorder.rs`, and `launch.rs`: the per-item timeout, `spawn_on`) |
//!
//! Everything here goes through wakers, never threads: a stream made by
//! `into_stream` is polled by whatever polls it (any executor, or
//! `futures::executor::block_on`); the streams and futures this crate polls
//! (`from_stream`, `from_future`, `map_async`) are polled inside a drain, by
//! the thread that requests or the thread that wakes them. A future that
//! needs a runtime's context when polled (a tokio timer or socket) therefore
//! works when the pipeline is driven from inside that runtime.
//!
//! Layering: this module uses the traits, the source engine and the
//! operators' shared pieces; nothing below it uses it, except the one line
//! of [`PublisherExt`](crate::PublisherExt) that expands this family's
//! `methods!` and the re-exports in [`source`](crate::source).

mod from_future;
pub(crate) mod from_stream;
pub(crate) mod in_flight;
pub(crate) mod into_stream;
pub(crate) mod launch;
mod map_async;
pub(crate) mod reorder;
mod terminal;

pub use self::from_future::{from_future, FromFuture};
pub use self::from_stream::{from_stream, FromStream};
pub use self::into_stream::{stream_subscriber, IntoStream, StreamSubscriber};
pub use self::map_async::{FailOnError, MapAsync, Outcome, PassOn, PassTimeouts};
pub use self::terminal::{CollectFuture, ItemFuture, Next};

/// The interop family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`.
macro_rules! methods {
    () => {
        /// The items as a [`Stream`](futures_core::Stream) of
        /// `Result<Self::Item, Error>`, with the default prefetch of 256.
        ///
        /// See [`into_stream_with`](PublisherExt::into_stream_with).
        ///
        /// # Examples
        ///
        /// ```
        /// use futures::executor::block_on;
        /// use futures::StreamExt;
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let sum = block_on(source::range(1..5u64).into_stream().map(Result::unwrap).fold(0, |a, x| async move { a + x }));
        /// assert_eq!(sum, 10);
        /// ```
        fn into_stream(self) -> $crate::interop::IntoStream<Self::Item>
        where
            Self: Sized + 'static,
        {
            self.into_stream_with($crate::interop::into_stream::DEFAULT_PREFETCH)
        }

        /// The items as a [`Stream`](futures_core::Stream) of
        /// `Result<Self::Item, Error>`: `Ok(item)` for each item, `Err(error)`
        /// once if the publisher failed, then `None`.
        ///
        /// Lazy, like every stream: the publisher is subscribed at the first
        /// poll. Any executor can poll it, or `futures::executor::block_on`;
        /// the publisher may emit from any thread, and wakes the stream through
        /// its waker. The stream is [`Unpin`], so
        /// [`next`](crate::interop::IntoStream::next) needs no pinning.
        ///
        /// # Demand
        ///
        /// Requests `prefetch` (clamped to 1..=65 536) at the first poll, then
        /// `limit = prefetch - prefetch / 4` each time `limit` items have been
        /// taken (the 75% rule), so at most `prefetch` items wait in its
        /// buffer.
        ///
        /// # Errors and cancellation
        ///
        /// The publisher's error is the last item (`Some(Err(error))`), then
        /// `None`. A publisher that sends more than was requested ends the
        /// stream with an overflow error, after the items received within
        /// demand. Dropping the stream cancels the subscription and drops the
        /// buffered items.
        ///
        /// # Examples
        ///
        /// ```
        /// use futures::executor::block_on;
        /// use futures::TryStreamExt;
        /// use reactive_streams::{source, Error, PublisherExt};
        ///
        /// let items: Vec<u32> = block_on(source::range(0..100u32).into_stream_with(8).try_collect()).unwrap();
        /// assert_eq!(items.len(), 100);
        ///
        /// let mut failed = source::error::<u32>(Error::new("boom")).into_stream_with(8);
        /// block_on(async {
        ///     assert_eq!(failed.next().await.unwrap().unwrap_err().to_string(), "boom");
        ///     assert!(failed.next().await.is_none());
        /// });
        /// ```
        fn into_stream_with(self, prefetch: usize) -> $crate::interop::IntoStream<Self::Item>
        where
            Self: Sized + 'static,
        {
            $crate::interop::IntoStream::new(self, prefetch)
        }

        /// Calls the async function `f` with each item and emits the futures'
        /// outputs in item order, with at most `concurrency` futures running at
        /// once.
        ///
        /// The futures are polled by the operator itself, on whichever thread
        /// wakes them: no executor is needed. They keep running while the
        /// downstream has no demand, and their outputs wait (in item order)
        /// until it asks. A finished output does not hold one of the
        /// `concurrency` slots, so a slow item at the head does not stop the
        /// others: later items keep starting until the window (below) is full.
        /// `f` is called when a slot is free, on the draining thread. For the
        /// options (the window, failing on `Err`, a per-item timeout, running
        /// the futures on a tokio runtime), see [`MapAsync`](crate::interop::MapAsync).
        ///
        /// # Demand
        ///
        /// Upstream is asked for `concurrency + buffer` items at first (the
        /// *window*; `buffer` defaults to `concurrency`, see
        /// [`MapAsync::buffer`](crate::interop::MapAsync::buffer); clamped to
        /// 65 536), then for 75% of the window each time that many outputs
        /// have left downstream. So at most `concurrency` futures run, and at
        /// most a window of items (waiting, running or finished) is held,
        /// whatever the downstream's demand.
        ///
        /// # Errors and cancellation
        ///
        /// A panic in `f` or in a future, or an error from upstream, cancels
        /// upstream, drops every running future and waiting output, and goes
        /// downstream at once. A future's output is passed on as it is (a
        /// `Result` stays a `Result`), unless
        /// [`fail_on_error`](crate::interop::MapAsync::fail_on_error) makes an
        /// `Err` fail the stream. Cancelling drops every running future (a
        /// future that never completes is freed that way, or by
        /// [`timeout_on`](crate::interop::MapAsync::timeout_on)).
        ///
        /// # Panics
        ///
        /// If `concurrency` is 0.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let lengths = source::from_iter(["a", "bb", "ccc"])
        ///     .map_async(2, |s| async move { s.len() })
        ///     .blocking_collect();
        /// assert_eq!(lengths.unwrap(), [1, 2, 3]);
        /// ```
        #[track_caller]
        fn map_async<F, Fut>(self, concurrency: usize, f: F) -> $crate::interop::MapAsync<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Fut + Send + Sync + 'static,
            Fut: core::future::Future + Send + 'static,
            Fut::Output: Send + 'static,
        {
            $crate::interop::MapAsync::new(self, f, concurrency, true)
        }

        /// Calls the async function `f` with each item and emits the futures'
        /// outputs as they finish, with at most `concurrency` futures running
        /// at once.
        ///
        /// As [`map_async`](PublisherExt::map_async), except that an output
        /// goes downstream as soon as its future finishes, whatever the order
        /// of the items.
        ///
        /// # Demand
        ///
        /// As [`map_async`](PublisherExt::map_async): a window of
        /// `concurrency + buffer` items, replenished at 75%.
        ///
        /// # Errors and cancellation
        ///
        /// As [`map_async`](PublisherExt::map_async).
        ///
        /// # Panics
        ///
        /// If `concurrency` is 0.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let mut squares = source::range(0..5u32)
        ///     .map_async_unordered(3, |x| async move { x * x })
        ///     .blocking_collect()
        ///     .unwrap();
        /// squares.sort();
        /// assert_eq!(squares, [0, 1, 4, 9, 16]);
        /// ```
        #[track_caller]
        fn map_async_unordered<F, Fut>(
            self,
            concurrency: usize,
            f: F,
        ) -> $crate::interop::MapAsync<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Fut + Send + Sync + 'static,
            Fut: core::future::Future + Send + 'static,
            Fut::Output: Send + 'static,
        {
            $crate::interop::MapAsync::new(self, f, concurrency, false)
        }
    };
}
pub(crate) use methods;
