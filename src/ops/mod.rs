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
mod publish;
mod relay;
mod replay;
mod share;
mod upstream;

pub use self::filter::Filter;
pub use self::map::Map;
pub use self::publish::{ConnectablePublisher, Connection, Publish};
pub use self::replay::Replay;
pub use self::share::{RefCount, Share};

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

    /// Shares one subscription to this publisher among many subscribers,
    /// from the moment [`connect`](ConnectablePublisher::connect) is called.
    ///
    /// Subscribers attach with their own demand. On `connect`, upstream is
    /// subscribed into a queue of 256 items; an item is emitted only when
    /// every current subscriber has requested it, and then to all of them:
    /// emission is paced by the slowest subscriber. A subscriber that cancels
    /// is removed; a late one sees only the items not yet emitted. Items are
    /// cloned for each subscriber.
    ///
    /// # Demand
    ///
    /// Requests 256 upstream on `connect`, then 192 more each time 192 items
    /// have been emitted (the 75% rule); nothing more while the slowest
    /// subscriber requests nothing. See
    /// [`publish_with_prefetch`](PublisherExt::publish_with_prefetch).
    ///
    /// # Errors and cancellation
    ///
    /// Completion reaches every subscriber once the queue is empty, an error
    /// reaches them at once (queued items are dropped); subscribers that
    /// arrive later get the end at once. Cancelling a subscriber does not
    /// disconnect: [`Connection::disconnect`] does, and the subscribers then
    /// get an error. [`share`](PublisherExt::share) disconnects when the last
    /// subscriber cancels.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let published = source::range(0..5u32).publish();
    /// let fast = TestSubscriber::new(5);
    /// let slow = TestSubscriber::new(2);
    /// published.subscribe(fast.clone());
    /// published.subscribe(slow.clone());
    /// published.connect();
    /// fast.assert_values(&[0, 1]); // held back by the slow one
    /// slow.request(3);
    /// fast.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    /// slow.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    /// ```
    fn publish(self) -> Publish<Self>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        assert_publisher::<Self::Item, _>(Publish::with_default_prefetch(self))
    }

    /// [`publish`](PublisherExt::publish) with a queue of `prefetch` items
    /// (at least 1, at most 2^20) instead of 256.
    ///
    /// # Demand
    ///
    /// Requests `prefetch` upstream on `connect`, then `prefetch - prefetch /
    /// 4` each time that many items have been emitted.
    ///
    /// # Errors and cancellation
    ///
    /// As [`publish`](PublisherExt::publish).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let published = source::range(0..100u32).publish_with_prefetch(4);
    /// let ts = TestSubscriber::new(6);
    /// published.subscribe(ts.clone());
    /// published.connect(); // 4 requested, then 3 more after 3 emitted, ...
    /// ts.assert_values(&[0, 1, 2, 3, 4, 5]);
    /// ```
    fn publish_with_prefetch(self, prefetch: usize) -> Publish<Self>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        assert_publisher::<Self::Item, _>(Publish::new(self, prefetch))
    }

    /// Shares one subscription to this publisher among its current
    /// subscribers: [`publish`](PublisherExt::publish) that connects when the
    /// first subscriber arrives and disconnects when the last one cancels.
    ///
    /// A subscriber that arrives while others are subscribed joins them and
    /// sees only later items; once all have cancelled (or all have received
    /// the end of the stream), the next subscriber starts a new subscription
    /// upstream (Reactor's `publish().refCount()`).
    ///
    /// # Demand
    ///
    /// As [`publish`](PublisherExt::publish): 256 up front, replenished at
    /// 75%, emission paced by the slowest subscriber.
    ///
    /// # Errors and cancellation
    ///
    /// As [`publish`](PublisherExt::publish); when the last subscriber
    /// cancels, upstream is cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let shared = source::range(0..3u32).share();
    /// let first = TestSubscriber::unbounded();
    /// shared.subscribe(first.clone()); // connects; the range runs at once
    /// first.assert_values(&[0, 1, 2]).assert_complete();
    ///
    /// let again = TestSubscriber::unbounded();
    /// shared.subscribe(again.clone()); // the stream had ended: reconnects
    /// again.assert_values(&[0, 1, 2]).assert_complete();
    /// ```
    fn share(self) -> Share<Self>
    where
        Self: Sized + 'static,
        Self::Item: Clone,
    {
        assert_publisher::<Self::Item, _>(self.publish().ref_count())
    }

    /// Like [`publish`](PublisherExt::publish), but keeps the last `history`
    /// items and replays them to every new subscriber; each subscriber is
    /// served at its own demand.
    ///
    /// A new subscriber starts `history` items back from the newest item
    /// received, then follows the live stream; the end of the stream is
    /// replayed too (after the items). `usize::MAX` keeps everything.
    ///
    /// # Demand
    ///
    /// Requests 256 upstream on `connect`, then more in steps of at least 192
    /// so that the slowest subscriber is never more than 256 items behind;
    /// with no subscriber, keeps requesting as items arrive (keeping the
    /// last `history`). At most `history + 256` items are held.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream is replayed after the items before it, to each
    /// subscriber at its own pace. [`Connection::disconnect`] cancels
    /// upstream and fails the subscribers at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let replayed = source::range(0..5u32).replay(2);
    /// replayed.connect(); // runs the range; the last 2 items are kept
    /// let late = TestSubscriber::new(1);
    /// replayed.subscribe(late.clone());
    /// late.assert_values(&[3]);
    /// late.request(5);
    /// late.assert_values(&[3, 4]).assert_complete();
    /// ```
    fn replay(self, history: usize) -> Replay<Self>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        assert_publisher::<Self::Item, _>(Replay::new(self, history))
    }

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
