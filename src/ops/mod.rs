//! Operators and terminal methods, all reached through [`PublisherExt`].
//!
//! One operator per file; each file is listed here as a `mod x;` line and its
//! types re-exported, in alphabetical order. The shared pieces of operator
//! subscribers live in `guard.rs` (user closures that panic), `relay.rs`
//! (terminal signals, §1.7, §2.5) and `upstream.rs` (the upstream
//! subscription).

mod concat_map;
mod filter;
mod flat_map;
mod guard;
mod inner;
mod map;
mod relay;
mod switch_map;
mod upstream;

pub use self::concat_map::ConcatMap;
pub use self::filter::Filter;
pub use self::flat_map::FlatMap;
pub use self::map::Map;
pub use self::switch_map::SwitchMap;

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

    /// Maps each item to a publisher and merges their items as they come,
    /// with up to 256 inner publishers live at once, each asked for 32 items
    /// at a time.
    ///
    /// The same as [`flat_map_with(f, 256, 32)`](PublisherExt::flat_map_with),
    /// the defaults of Reactor's `flatMap`. Items of different inners
    /// interleave in the order they arrive; the items of one inner keep their
    /// order. Synchronous inners (such as [`range`](crate::source::range)) are
    /// each drained to the end before the next one, so they come out in the
    /// order of [`Iterator::flat_map`].
    ///
    /// # Demand
    ///
    /// Bounded at every level: upstream is asked for 256 items, then for more
    /// (in batches) as inners complete; each inner for 32, then for 24 more
    /// each time 24 of its items were taken. At most 32 items per inner wait
    /// for the downstream's demand.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream or from any inner, or a panic in `f`, cancels
    /// upstream and every inner, drops the waiting items, and goes downstream
    /// at once ([`ErrorKind::Panic`](crate::ErrorKind::Panic) for a panic).
    /// Cancelling cancels upstream and every inner. The stream completes
    /// when upstream and every inner have completed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..4u32)
    ///     .flat_map(|n| source::range(0..n))
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0, 0, 1, 0, 1, 2]).assert_complete();
    /// ```
    fn flat_map<Q, F>(self, f: F) -> FlatMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher,
    {
        assert_publisher::<Q::Item, _>(FlatMap::new(
            self,
            f,
            flat_map::DEFAULT_MAX_CONCURRENCY,
            flat_map::DEFAULT_PREFETCH,
        ))
    }

    /// Maps each item to a publisher and merges their items as they come,
    /// with at most `max_concurrency` inner publishers live at once, each
    /// asked for `prefetch` items at a time.
    ///
    /// Reactor's `flatMap(f, concurrency, prefetch)`. With `max_concurrency`
    /// 1 the inners run one after the other (as
    /// [`concat_map`](PublisherExt::concat_map), but each inner is prefetched
    /// and upstream is asked for one item at a time); `usize::MAX` means no
    /// limit (upstream is then asked for everything).
    ///
    /// # Demand
    ///
    /// Upstream is asked for `max_concurrency` items at first, then, as
    /// inners complete, for more in batches of 75% of `max_concurrency` (at
    /// least 1): never more than `max_concurrency` inners are live. Each
    /// inner is asked for `prefetch` items at first, then for 75% of
    /// `prefetch` more each time that many of its items were taken, so at
    /// most `prefetch` of its items are in flight. Items reach the
    /// downstream only within its demand.
    ///
    /// # Errors and cancellation
    ///
    /// As [`flat_map`](PublisherExt::flat_map). An upstream that sends more
    /// than `max_concurrency` items ahead of its inners completing, or an
    /// inner that sends more than it was asked for, fails the stream with an
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) error.
    ///
    /// # Panics
    ///
    /// If `max_concurrency` or `prefetch` is 0, or `prefetch` is more than
    /// half of `usize::MAX`. The queue of an inner has room for `prefetch`
    /// items, allocated when it is first needed, so a huge `prefetch` costs as
    /// much memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // One inner at a time, each asked for 2 items at a time.
    /// let ts = TestSubscriber::new(3);
    /// source::range(0..3u32)
    ///     .flat_map_with(|n| source::range(n * 10..n * 10 + 3), 1, 2)
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_not_terminated();
    /// ts.request(10);
    /// ts.assert_values(&[0, 1, 2, 10, 11, 12, 20, 21, 22]).assert_complete();
    /// ```
    fn flat_map_with<Q, F>(self, f: F, max_concurrency: usize, prefetch: usize) -> FlatMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher,
    {
        assert_publisher::<Q::Item, _>(FlatMap::new(self, f, max_concurrency, prefetch))
    }

    /// Maps each item to a publisher and emits their items one publisher
    /// after the other, in upstream order, queueing up to 32 upstream items.
    ///
    /// The same as [`concat_map_with(f, 32)`](PublisherExt::concat_map_with).
    /// The next item is mapped, and its inner subscribed, only when the
    /// previous inner has completed.
    ///
    /// # Demand
    ///
    /// Upstream is asked for 32 items, then for 24 more each time 24 were
    /// taken. The current inner is asked for what the downstream still
    /// wants, at most 32 in flight; demand an inner did not use carries over
    /// to the next one.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream or from the current inner, or a panic in `f`,
    /// cancels upstream and the current inner, drops the queued items, and
    /// goes downstream at once. Cancelling cancels upstream and the current
    /// inner.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..4u32)
    ///     .concat_map(|n| source::from_iter(vec![n; n as usize]))
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[1, 2, 2, 3, 3, 3]).assert_complete();
    /// ```
    fn concat_map<Q, F>(self, f: F) -> ConcatMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher,
    {
        assert_publisher::<Q::Item, _>(ConcatMap::new(self, f, concat_map::DEFAULT_PREFETCH))
    }

    /// Maps each item to a publisher and emits their items one publisher
    /// after the other, in upstream order, queueing up to `prefetch`
    /// upstream items.
    ///
    /// Reactor's `concatMap(f, prefetch)`. Unlike
    /// [`flat_map_with(f, 1, n)`](PublisherExt::flat_map_with), upstream items
    /// are fetched ahead (and mapped only when their turn comes), and an inner
    /// is never asked for more than the downstream wants.
    ///
    /// # Demand
    ///
    /// Upstream is asked for `prefetch` items at first, then for 75% of
    /// `prefetch` more each time that many were taken from the queue. The
    /// current inner is asked for what the downstream still wants, never for
    /// more than `prefetch` items in flight (in batches at 75% of `prefetch`
    /// once the downstream wants more); demand that an inner did not use
    /// carries over to the next one.
    ///
    /// # Errors and cancellation
    ///
    /// As [`concat_map`](PublisherExt::concat_map). An upstream or inner that
    /// sends more than it was asked for fails the stream with an
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) error.
    ///
    /// # Panics
    ///
    /// If `prefetch` is 0, or more than half of `usize::MAX`. The queue of
    /// upstream items has room for `prefetch` items, allocated at subscription.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::range(0..3u32)
    ///     .concat_map_with(|n| source::range(n * 10..n * 10 + 2), 1)
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 10]).assert_not_terminated();
    /// ts.request(3);
    /// ts.assert_values(&[0, 1, 10, 11, 20, 21]).assert_complete();
    /// ```
    fn concat_map_with<Q, F>(self, f: F, prefetch: usize) -> ConcatMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher,
    {
        assert_publisher::<Q::Item, _>(ConcatMap::new(self, f, prefetch))
    }

    /// Maps each item to a publisher and emits the items of the latest one
    /// only: each item cancels the current inner publisher and switches to
    /// its own.
    ///
    /// Items the old inner had sent but the downstream had not received yet
    /// are dropped, as are items it sends after the switch. Use it for
    /// "latest request wins": a search box that starts a new query for every
    /// keystroke.
    ///
    /// # Demand
    ///
    /// Upstream is asked for everything ([`UNBOUNDED`](crate::UNBOUNDED)):
    /// an upstream item never waits, it replaces the current inner. The
    /// current inner is asked for what the downstream still wants, at most
    /// 32 in flight; on a switch, the new inner is asked for the demand the
    /// old one left unused.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream or from the latest inner, or a panic in `f`,
    /// cancels upstream and the latest inner and goes downstream at once; an
    /// error from an inner that was already replaced is dropped. Cancelling
    /// cancels upstream and the latest inner. The stream completes when
    /// upstream and the latest inner have completed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // Every inner completes at once here, so each one's items get through;
    /// // with asynchronous inners, only the latest would.
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..4u32)
    ///     .switch_map(|n| source::range(0..n))
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0, 0, 1, 0, 1, 2]).assert_complete();
    ///
    /// // Without demand, a switch drops what the old inner had sent.
    /// let ts = TestSubscriber::new(0);
    /// source::range(1..4u32)
    ///     .switch_map(|n| source::just(n))
    ///     .subscribe(ts.clone());
    /// ts.request(5);
    /// ts.assert_values(&[3]).assert_complete();
    /// ```
    fn switch_map<Q, F>(self, f: F) -> SwitchMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher,
    {
        assert_publisher::<Q::Item, _>(SwitchMap::new(self, f))
    }

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
