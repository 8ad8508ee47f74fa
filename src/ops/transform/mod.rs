//! The transform family: operators that change, filter, or watch each item
//! as it passes (`map`, `filter`, `filter_map`, `scan`, `flat_map_iter`,
//! `buffer`, `distinct`, `distinct_until_changed`, `inspect`, the `do_on_*`
//! taps, `map_err`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod buffer;
mod distinct;
mod distinct_until_changed;
mod do_on_cancel;
mod do_on_complete;
mod do_on_error;
mod do_on_next;
mod do_on_request;
mod do_on_subscribe;
mod filter;
mod filter_map;
mod flat_map_iter;
mod inspect;
mod map;
mod map_err;
mod scan;

pub use self::buffer::Buffer;
pub use self::distinct::Distinct;
pub use self::distinct_until_changed::DistinctUntilChanged;
pub use self::do_on_cancel::DoOnCancel;
pub use self::do_on_complete::DoOnComplete;
pub use self::do_on_error::DoOnError;
pub use self::do_on_next::DoOnNext;
pub use self::do_on_request::DoOnRequest;
pub use self::do_on_subscribe::DoOnSubscribe;
pub use self::filter::Filter;
pub use self::filter_map::FilterMap;
pub use self::flat_map_iter::FlatMapIter;
pub use self::inspect::Inspect;
pub use self::map::Map;
pub use self::map_err::MapErr;
pub use self::scan::Scan;

/// The transform family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
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

        /// Maps each item to an `Option`, and keeps the values of the `Some`s.
        ///
        /// `filter` and `map` in one step, as [`Iterator::filter_map`].
        ///
        /// # Demand
        ///
        /// One for one for kept items. A dropped item costs no request when
        /// upstream emits through
        /// [`try_on_next`](crate::Subscriber::try_on_next), as every synchronous
        /// source and operator of this crate does; other publishers get a
        /// `request(1)` for each dropped item.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` cancels upstream and becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter(["1", "two", "3"])
        ///     .filter_map(|s| s.parse::<u32>().ok())
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[1, 3]).assert_complete();
        /// ```
        fn filter_map<U, F>(self, f: F) -> FilterMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Option<U> + Send + Sync + 'static,
            U: Send + 'static,
        {
            assert_publisher::<U, _>(FilterMap::new(self, f))
        }

        /// Emits `seed`, then the running accumulation `f(acc, item)` after each
        /// item.
        ///
        /// For items `x1, x2, ...` it emits `seed, f(seed, x1),
        /// f(f(seed, x1), x2), ...`: the seed first, as Reactor's and RxJava's
        /// `scan(initial, f)` do (and Haskell's `scanl`), so the state is
        /// visible before the first item and an empty stream still yields it.
        /// Use [`skip(1)`](PublisherExt::skip) to drop the seed. Each subscription starts from its own
        /// clone of `seed`; `f` takes the accumulator by value, so it can update
        /// it in place, and its result is cloned for emission.
        ///
        /// # Demand
        ///
        /// The seed takes one unit of the first request; all other demand goes
        /// upstream one for one. Upstream is subscribed only once the seed has
        /// been delivered (Reactor does the same), so nothing is requested
        /// upstream before the downstream requests.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through, after the seed. A panic in `f` cancels upstream
        /// and becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        /// A cancel before the first request means upstream is never subscribed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..5u32).scan(0, |sum, x| sum + x).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 3, 6, 10]).assert_complete();
        ///
        /// // The seed is an item: it needs demand, and an empty stream has it too.
        /// let ts = TestSubscriber::new(0);
        /// source::empty::<u32>().scan(7, |acc, x| acc + x).subscribe(ts.clone());
        /// ts.assert_no_values().assert_not_terminated();
        /// ts.request(1);
        /// ts.assert_values(&[7]).assert_complete();
        /// ```
        fn scan<A, F>(self, seed: A, f: F) -> Scan<Self, A, F>
        where
            Self: Sized + 'static,
            A: Clone + Send + Sync + 'static,
            F: Fn(A, Self::Item) -> A + Send + Sync + 'static,
        {
            assert_publisher::<A, _>(Scan::new(self, seed, f))
        }

        /// Maps each item to an iterable and emits its items, one iterable after
        /// the other, as [`Iterator::flat_map`] (Reactor's `flatMapIterable`).
        ///
        /// The iterables are produced and consumed synchronously, one at a time;
        /// for inner *publishers* use [`flat_map`](PublisherExt::flat_map) or
        /// [`concat_map`](PublisherExt::concat_map).
        ///
        /// # Demand
        ///
        /// Downstream demand counts output items. `flat_map_iter` keeps the
        /// current iterator between requests and emits from it as demand
        /// arrives; it requests one item from upstream only when that iterator is
        /// exhausted and the downstream still wants more, so it never asks
        /// upstream for more than the downstream needs, and never buffers. Each
        /// iterator is advanced one item ahead of emission, so that completion
        /// follows the last item at once.
        ///
        /// # Errors and cancellation
        ///
        /// An upstream error is delivered at once; the rest of the current
        /// iterator is dropped. A panic in `f` or in the iterator cancels
        /// upstream and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). Cancelling drops the
        /// current iterator.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(3);
        /// source::range(1..4u32)
        ///     .flat_map_iter(|n| vec![n; n as usize])
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[1, 2, 2]).assert_not_terminated();
        /// ts.request(10);
        /// ts.assert_values(&[1, 2, 2, 3, 3, 3]).assert_complete();
        /// ```
        fn flat_map_iter<I, F>(self, f: F) -> FlatMapIter<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> I + Send + Sync + 'static,
            I: IntoIterator + 'static,
            I::IntoIter: Send + 'static,
            I::Item: Send + 'static,
        {
            assert_publisher::<I::Item, _>(FlatMapIter::new(self, f))
        }

        /// Collects the items into chunks of `size`, emitted as `Vec`s; on
        /// completion, the items left over make a last, shorter chunk.
        ///
        /// As [`slice::chunks`] over the whole stream.
        ///
        /// # Demand
        ///
        /// Downstream asks for chunks: `request(k)` becomes `request(k * size)`
        /// upstream (saturating at [`UNBOUNDED`](crate::UNBOUNDED), §3.17).
        ///
        /// # Errors and cancellation
        ///
        /// An upstream error drops the partial chunk and passes at once.
        ///
        /// # Panics
        ///
        /// If `size` is 0.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(1);
        /// source::range(0..5u8).buffer(2).subscribe(ts.clone());
        /// ts.assert_values(&[vec![0, 1]]);
        /// ts.request(5);
        /// ts.assert_values(&[vec![0, 1], vec![2, 3], vec![4]]).assert_complete();
        /// ```
        fn buffer(self, size: usize) -> Buffer<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Vec<Self::Item>, _>(Buffer::new(self, size))
        }

        /// Passes each item the first time it is seen, and drops any item equal
        /// to one seen before.
        ///
        /// Each subscription keeps a set of the items seen (a clone of each), so
        /// memory grows with the number of distinct items; for consecutive
        /// repeats only, use
        /// [`distinct_until_changed`](PublisherExt::distinct_until_changed).
        ///
        /// # Demand
        ///
        /// One for one for passed items. A dropped repeat costs no request when
        /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next);
        /// other publishers get a `request(1)` for each dropped item.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. The set is dropped when the stream ends.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter([3, 1, 3, 2, 1]).distinct().subscribe(ts.clone());
        /// ts.assert_values(&[3, 1, 2]).assert_complete();
        /// ```
        fn distinct(self) -> Distinct<Self>
        where
            Self: Sized,
            Self::Item: Eq + Hash + Clone,
        {
            assert_publisher::<Self::Item, _>(Distinct::new(self))
        }

        /// Drops each item equal to the one just before it, as [`Vec::dedup`].
        ///
        /// Each subscription keeps a clone of the last passed item.
        ///
        /// # Demand
        ///
        /// One for one for passed items. A dropped repeat costs no request when
        /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next);
        /// other publishers get a `request(1)` for each dropped item.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter([1, 1, 2, 2, 2, 1]).distinct_until_changed().subscribe(ts.clone());
        /// ts.assert_values(&[1, 2, 1]).assert_complete();
        /// ```
        fn distinct_until_changed(self) -> DistinctUntilChanged<Self>
        where
            Self: Sized,
            Self::Item: PartialEq + Clone,
        {
            assert_publisher::<Self::Item, _>(DistinctUntilChanged::new(self))
        }

        /// Calls `f` with a reference to each item, then passes the item on.
        ///
        /// For logging, metrics, debugging. The same tap as
        /// [`do_on_next`](PublisherExt::do_on_next), under the name of
        /// [`Iterator::inspect`].
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` cancels upstream and becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic); the
        /// item it saw is not delivered.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::atomic::{AtomicU32, Ordering};
        /// use std::sync::Arc;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let seen = Arc::new(AtomicU32::new(0));
        /// let counter = Arc::clone(&seen);
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..4u32)
        ///     .inspect(move |_| {
        ///         counter.fetch_add(1, Ordering::Relaxed);
        ///     })
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2, 3]).assert_complete();
        /// assert_eq!(seen.load(Ordering::Relaxed), 4);
        /// ```
        fn inspect<F>(self, f: F) -> Inspect<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(Inspect::new(self, f))
        }

        /// Calls `f` with a reference to each item, then passes the item on
        /// (Reactor's `doOnNext`; the same tap as
        /// [`inspect`](PublisherExt::inspect)).
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` cancels upstream and becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic); the
        /// item it saw is not delivered.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::{Arc, Mutex};
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let log = Arc::new(Mutex::new(Vec::new()));
        /// let sink = Arc::clone(&log);
        /// let ts = TestSubscriber::new(2);
        /// source::range(0..10u32)
        ///     .do_on_next(move |x| sink.lock().unwrap().push(*x))
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 1]);
        /// assert_eq!(*log.lock().unwrap(), [0, 1]); // only what was delivered
        /// ```
        fn do_on_next<F>(self, f: F) -> DoOnNext<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnNext::new(self, f))
        }

        /// Calls `f` with a reference to the error that ends a failed stream,
        /// then passes the error on.
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// A panic in `f` replaces the error: the downstream gets `on_error`
        /// with [`ErrorKind::Panic`](crate::ErrorKind::Panic) instead (upstream
        /// has failed already, so there is nothing to cancel). `f` is not called
        /// on cancel.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::{Arc, Mutex};
        /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let seen = Arc::new(Mutex::new(None));
        /// let slot = Arc::clone(&seen);
        /// let ts = TestSubscriber::<u8>::unbounded();
        /// source::error(Error::new("disk full"))
        ///     .do_on_error(move |e| *slot.lock().unwrap() = Some(e.to_string()))
        ///     .subscribe(ts.clone());
        /// ts.assert_error_message("disk full");
        /// assert_eq!(seen.lock().unwrap().as_deref(), Some("disk full"));
        /// ```
        fn do_on_error<F>(self, f: F) -> DoOnError<Self, F>
        where
            Self: Sized,
            F: Fn(&Error) + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnError::new(self, f))
        }

        /// Calls `f` when the stream completes, before the completion goes
        /// downstream.
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through (and `f` is not called). A panic in `f` replaces
        /// the completion with `on_error` carrying
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). `f` is not called on
        /// cancel.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::atomic::{AtomicBool, Ordering};
        /// use std::sync::Arc;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let done = Arc::new(AtomicBool::new(false));
        /// let flag = Arc::clone(&done);
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..2u8)
        ///     .do_on_complete(move || flag.store(true, Ordering::Relaxed))
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 1]).assert_complete();
        /// assert!(done.load(Ordering::Relaxed));
        /// ```
        fn do_on_complete<F>(self, f: F) -> DoOnComplete<Self, F>
        where
            Self: Sized,
            F: Fn() + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnComplete::new(self, f))
        }

        /// Calls `f` with each `request(n)` the downstream makes, before it goes
        /// upstream.
        ///
        /// Shows how demand travels: useful to debug a stalled stream. `f` runs
        /// on the requesting thread. Requests after a cancel are not shown (they
        /// do nothing, §3.6).
        ///
        /// # Demand
        ///
        /// One for one: each request goes upstream unchanged, after `f`. Every
        /// signal to the downstream passes through a small drain (one
        /// uncontended enter/leave per signal), so that a panic in `f` can reach
        /// the downstream safely from the requesting thread.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` cancels upstream and becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic); that
        /// request does not go upstream.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::{Arc, Mutex};
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let requests = Arc::new(Mutex::new(Vec::new()));
        /// let log = Arc::clone(&requests);
        /// let ts = TestSubscriber::new(2);
        /// source::range(0..10u32)
        ///     .do_on_request(move |n| log.lock().unwrap().push(n))
        ///     .subscribe(ts.clone());
        /// ts.request(3);
        /// ts.assert_value_count(5);
        /// assert_eq!(*requests.lock().unwrap(), [2, 3]);
        /// ```
        fn do_on_request<F>(self, f: F) -> DoOnRequest<Self, F>
        where
            Self: Sized,
            F: Fn(u64) + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnRequest::new(self, f))
        }

        /// Calls `f` when the downstream cancels, before the cancel goes
        /// upstream. Only the first `cancel` counts (§3.7).
        ///
        /// For releasing resources tied to a subscription. `f` runs on the
        /// cancelling thread; it is not called when the stream ends by itself.
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream. Every signal to the
        /// downstream passes through a small drain (one uncontended enter/leave
        /// per signal), so that the downstream is dropped as soon as it cancels
        /// (§3.13), and a panic in `f` can reach it safely.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` still cancels upstream, and
        /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic)
        /// to the downstream that cancelled (as Reactor does).
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::atomic::{AtomicU32, Ordering};
        /// use std::sync::Arc;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let cancels = Arc::new(AtomicU32::new(0));
        /// let count = Arc::clone(&cancels);
        /// let ts = TestSubscriber::new(1);
        /// source::range(0..10u32)
        ///     .do_on_cancel(move || {
        ///         count.fetch_add(1, Ordering::Relaxed);
        ///     })
        ///     .subscribe(ts.clone());
        /// ts.cancel();
        /// ts.cancel(); // §3.7: no effect
        /// assert_eq!(cancels.load(Ordering::Relaxed), 1);
        /// ```
        fn do_on_cancel<F>(self, f: F) -> DoOnCancel<Self, F>
        where
            Self: Sized,
            F: Fn() + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnCancel::new(self, f))
        }

        /// Calls `f` with the upstream subscription when it arrives, before the
        /// downstream's `on_subscribe`.
        ///
        /// `f` may keep a clone of the subscription, request through it or
        /// cancel it.
        ///
        /// # Demand
        ///
        /// One for one: the downstream receives the upstream subscription
        /// itself.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `f` cancels upstream; the downstream
        /// still gets `on_subscribe` first (§1.9), then `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::atomic::{AtomicBool, Ordering};
        /// use std::sync::Arc;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let subscribed = Arc::new(AtomicBool::new(false));
        /// let flag = Arc::clone(&subscribed);
        /// let ts = TestSubscriber::unbounded();
        /// source::just(1u8)
        ///     .do_on_subscribe(move |_subscription| flag.store(true, Ordering::Relaxed))
        ///     .subscribe(ts.clone());
        /// assert!(subscribed.load(Ordering::Relaxed));
        /// ts.assert_values(&[1]).assert_complete();
        /// ```
        fn do_on_subscribe<F>(self, f: F) -> DoOnSubscribe<Self, F>
        where
            Self: Sized,
            F: Fn(&Arc<dyn Subscription>) + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(DoOnSubscribe::new(self, f))
        }

        /// Transforms the error of a failed stream with `f`.
        ///
        /// Items and completion pass through untouched.
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// A panic in `f` replaces the error with one of kind
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic) (upstream has failed
        /// already, so there is nothing to cancel).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::<u8>::unbounded();
        /// source::error(Error::new("timeout"))
        ///     .map_err(|e| Error::new(format!("fetching prices: {e}")))
        ///     .subscribe(ts.clone());
        /// ts.assert_error_message("fetching prices: timeout");
        /// ```
        fn map_err<F>(self, f: F) -> MapErr<Self, F>
        where
            Self: Sized,
            F: Fn(Error) -> Error + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(MapErr::new(self, f))
        }
    };
}
pub(crate) use methods;
