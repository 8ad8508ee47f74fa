//! The consume family: the ways to subscribe to a stream and use its items
//! (`subscribe_with`, `blocking_iter`, `for_each`, the blocking terminals,
//! `boxed`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

#[cfg(not(reactive_streams_loom))]
pub(crate) mod terminal;

/// The consume family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
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

        /// Calls `f` with every item, on the calling thread, and blocks until
        /// the stream ends: `Ok(())` when it completed, `Err` with its error when
        /// it failed.
        ///
        /// The blocking counterpart of `Iterator::for_each`, and so of
        /// Reactor's `blockLast` with a callback. For the non-blocking form,
        /// which runs `f` on the emitting thread and returns a
        /// [`CancelHandle`], use [`subscribe_with`](PublisherExt::subscribe_with).
        /// Because `f` runs here, it need not be `Send` or `'static`: it may
        /// borrow locals.
        ///
        /// # Demand
        ///
        /// As [`blocking_iter`](PublisherExt::blocking_iter): 256 at first, then
        /// batches at 75%, so at most 256 items wait for `f`.
        ///
        /// # Errors and cancellation
        ///
        /// A panic in `f` unwinds on the calling thread (as in
        /// `Iterator::for_each`) and cancels the subscription on the way out.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Error, PublisherExt};
        ///
        /// let mut sum = 0;
        /// source::range(1..5u32).for_each(|x| sum += x).unwrap();
        /// assert_eq!(sum, 10);
        ///
        /// let failed = source::error::<u32>(Error::new("boom")).for_each(|_| {});
        /// assert_eq!(failed.unwrap_err().to_string(), "boom");
        /// ```
        #[cfg(not(reactive_streams_loom))]
        fn for_each<F>(&self, f: F) -> Result<(), Error>
        where
            F: FnMut(Self::Item),
        {
            $crate::ops::consume::terminal::for_each(self, f)
        }

        /// Blocks until the first item (`Ok(Some(item))`), the completion of an
        /// empty stream (`Ok(None)`), or the error (`Err`); then cancels the
        /// subscription. Reactor's `blockFirst`.
        ///
        /// # Demand
        ///
        /// 1 ([`first`](PublisherExt::first)).
        ///
        /// # Errors and cancellation
        ///
        /// An error before the first item is returned. The subscription is
        /// cancelled once the item has arrived.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// assert_eq!(source::range(3..1_000_000u64).blocking_first().unwrap(), Some(3));
        /// assert_eq!(source::empty::<u8>().blocking_first().unwrap(), None);
        /// ```
        #[cfg(not(reactive_streams_loom))]
        fn blocking_first(&self) -> Result<Option<Self::Item>, Error> {
            $crate::ops::consume::terminal::single(&First::new(self))
        }

        /// Blocks until the stream ends; returns its last item (`Ok(Some)`),
        /// `Ok(None)` if it completed empty, or its error. Reactor's `blockLast`.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) ([`last`](PublisherExt::last)): the
        /// items are kept on the emitting thread, one at a time; only the last
        /// one crosses to the calling thread.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream is returned.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// assert_eq!(source::range(0..10u8).blocking_last().unwrap(), Some(9));
        /// ```
        #[cfg(not(reactive_streams_loom))]
        fn blocking_last(&self) -> Result<Option<Self::Item>, Error> {
            $crate::ops::consume::terminal::single(&Last::new(self))
        }

        /// Blocks until the stream ends; returns every item in a `Vec`, or the
        /// error.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) ([`collect`](PublisherExt::collect)):
        /// the items are gathered on the emitting thread, and the `Vec` crosses
        /// to the calling thread once.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream is returned; the items before it are dropped
        /// (use [`blocking_iter`](PublisherExt::blocking_iter) to keep them).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let evens = source::range(0..10u32).filter(|x| x % 2 == 0).blocking_collect();
        /// assert_eq!(evens.unwrap(), [0, 2, 4, 6, 8]);
        /// ```
        #[cfg(not(reactive_streams_loom))]
        fn blocking_collect(&self) -> Result<Vec<Self::Item>, Error> {
            $crate::ops::consume::terminal::single(&Collect::<_, Vec<Self::Item>>::new(self))
                .map(Option::unwrap_or_default)
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
    };
}
pub(crate) use methods;
