//! Operators and terminal methods, all reached through [`PublisherExt`].
//!
//! One operator per file; each file is listed here as a `mod x;` line and its
//! types re-exported, in alphabetical order. The shared pieces of operator
//! subscribers live in `guard.rs` (user closures that panic), `relay.rs`
//! (terminal signals, §1.7, §2.5) and `upstream.rs` (the upstream
//! subscription).

mod filter;
mod guard;
mod map;
mod relay;
mod upstream;

pub use self::filter::Filter;
pub use self::map::Map;

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

    // (end of errors)

    // ----- backpressure --------------------------------------------------

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
