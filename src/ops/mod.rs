//! Operators and terminal methods, all reached through [`PublisherExt`].
//!
//! One operator per file; each file is listed here as a `mod x;` line and its
//! types re-exported, in alphabetical order. What several operators share
//! (running user closures, relaying terminal signals, arbiters, inner
//! subscribers, drain engines) lives in `support/`, one piece per file, so
//! that this folder holds operators only. The blocking terminal methods are
//! in `terminal.rs`.
//!
//! A new operator is a file here (the pattern: `map.rs`), a method in its
//! family's section of [`PublisherExt`], scenario and property tests in
//! `tests/ops/<family>/`, a TCK run in `tests/tck/<family>.rs`, and auto-trait
//! lines in `tests/auto_traits/<family>.rs`; with its own atomics, a loom
//! model in `src/tests/loom_<op>.rs` too.

mod all;
mod any;
mod buffer;
mod collect;
mod combine_latest;
mod concat;
mod concat_map;
mod count;
mod default_if_empty;
mod distinct;
mod distinct_until_changed;
mod do_on_cancel;
mod do_on_complete;
mod do_on_error;
mod do_on_next;
mod do_on_request;
mod do_on_subscribe;
mod element_at;
mod filter;
mod filter_map;
mod first;
mod flat_map;
mod flat_map_iter;
mod ignore_elements;
mod inspect;
mod last;
mod limit_rate;
mod map;
mod map_err;
mod merge;
mod on_backpressure_buffer;
mod on_backpressure_drop;
mod on_backpressure_error;
mod on_backpressure_latest;
mod on_backpressure_reduce;
mod on_error_resume;
mod on_error_return;
mod publish;
mod reduce;
mod replay;
mod retry;
mod scan;
mod share;
mod skip;
mod skip_until;
mod skip_while;
pub(crate) mod support;
mod switch_map;
mod take;
mod take_until;
mod take_while;
#[cfg(not(reactive_streams_loom))]
mod terminal;
mod with_latest_from;
mod zip;

pub use self::all::All;
pub use self::any::Any;
pub use self::buffer::Buffer;
pub use self::collect::Collect;
pub use self::combine_latest::{combine_latest, CombineLatest};
pub use self::concat::{concat, Concat, ConcatWith};
pub use self::concat_map::ConcatMap;
pub use self::count::Count;
pub use self::default_if_empty::DefaultIfEmpty;
pub use self::distinct::Distinct;
pub use self::distinct_until_changed::DistinctUntilChanged;
pub use self::do_on_cancel::DoOnCancel;
pub use self::do_on_complete::DoOnComplete;
pub use self::do_on_error::DoOnError;
pub use self::do_on_next::DoOnNext;
pub use self::do_on_request::DoOnRequest;
pub use self::do_on_subscribe::DoOnSubscribe;
pub use self::element_at::{ElementAt, IndexOutOfBounds};
pub use self::filter::Filter;
pub use self::filter_map::FilterMap;
pub use self::first::First;
pub use self::flat_map::FlatMap;
pub use self::flat_map_iter::FlatMapIter;
pub use self::ignore_elements::IgnoreElements;
pub use self::inspect::Inspect;
pub use self::last::Last;
pub use self::limit_rate::LimitRate;
pub use self::map::Map;
pub use self::map_err::MapErr;
pub use self::merge::{merge, Merge, MergeWith};
pub use self::on_backpressure_buffer::{BufferOverflow, OnBackpressureBuffer};
pub use self::on_backpressure_drop::OnBackpressureDrop;
pub use self::on_backpressure_error::OnBackpressureError;
pub use self::on_backpressure_latest::OnBackpressureLatest;
pub use self::on_backpressure_reduce::OnBackpressureReduce;
pub use self::on_error_resume::OnErrorResume;
pub use self::on_error_return::OnErrorReturn;
pub use self::publish::{ConnectablePublisher, Connection, Publish};
pub use self::reduce::Reduce;
pub use self::replay::Replay;
pub use self::retry::Retry;
pub use self::scan::Scan;
pub use self::share::{RefCount, Share};
pub use self::skip::Skip;
pub use self::skip_until::SkipUntil;
pub use self::skip_while::SkipWhile;
pub use self::switch_map::SwitchMap;
pub use self::take::Take;
pub use self::take_until::TakeUntil;
pub use self::take_while::TakeWhile;
pub use self::with_latest_from::WithLatestFrom;
pub use self::zip::{zip, Zip, ZipWith};

use core::hash::Hash;

use crate::error::Error;
use crate::source::{self, FromIter};
#[cfg(not(reactive_streams_loom))]
use crate::subscriber::BlockingIter;
use crate::subscriber::{CancelHandle, LambdaSubscriber};
use crate::sync::Arc;
use crate::traits::{BoxPublisher, Publisher, Subscription};

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

    // (end of transform)

    // ----- limit ---------------------------------------------------------

    /// The first `n` items, then completion.
    ///
    /// After the `n`-th item upstream is cancelled and the stream completes;
    /// a shorter stream passes whole. `take(0)` subscribes upstream, cancels
    /// it at once and completes, as Reactor's does.
    ///
    /// # Demand
    ///
    /// Requests go upstream, capped so that upstream is asked for at most `n`
    /// items in total: `take(3)` under `request(UNBOUNDED)` asks for 3.
    ///
    /// # Errors and cancellation
    ///
    /// Errors before the `n`-th item pass through. A cancel from inside the
    /// `n`-th item's `on_next` wins: no `on_complete` follows it.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..1_000u32).take(3).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    /// assert_eq!(ts.requests(), [UNBOUNDED]); // and upstream was asked for 3
    /// ```
    fn take(self, n: u64) -> Take<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(Take::new(self, n))
    }

    /// Items while `predicate` returns true; at the first false, upstream is
    /// cancelled and the stream completes (that item is dropped).
    ///
    /// # Demand
    ///
    /// One for one: each request goes straight upstream.
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
    /// let ts = TestSubscriber::unbounded();
    /// source::from_iter(vec![1, 2, 10, 3]).take_while(|x| *x < 5).subscribe(ts.clone());
    /// ts.assert_values(&[1, 2]).assert_complete();
    /// ```
    fn take_while<F>(self, predicate: F) -> TakeWhile<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(TakeWhile::new(self, predicate))
    }

    /// Items until `other` signals: its first item, or its completion,
    /// cancels both and completes the stream.
    ///
    /// `other` may be any publisher, of any item type, signalling from any
    /// thread; downstream signals stay serial (§1.3). It is subscribed
    /// first (as in Reactor's `takeUntilOther`), so one that signals at once
    /// ends the stream before any item, and upstream is then not subscribed.
    ///
    /// # Demand
    ///
    /// One for one: each request goes upstream (a request made before
    /// upstream is subscribed waits for it). `other` is asked for
    /// [`UNBOUNDED`](crate::UNBOUNDED): its items are only a signal.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream cancels `other`; an error from `other` cancels
    /// upstream; either fails the stream. Cancelling cancels both.
    /// `request(0)` fails the stream with the §3.9 error and cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // `never` never signals: everything passes.
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u8).take_until(source::never::<()>()).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    ///
    /// // `just` signals at once: nothing passes.
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u8).take_until(source::just("stop")).subscribe(ts.clone());
    /// ts.assert_no_values().assert_complete();
    /// ```
    fn take_until<O>(self, other: O) -> TakeUntil<Self, O>
    where
        Self: Sized,
        O: Publisher,
    {
        assert_publisher::<Self::Item, _>(TakeUntil::new(self, other))
    }

    /// Drops the first `n` items, then passes the rest.
    ///
    /// # Demand
    ///
    /// One for one for passed items. A skipped item costs no request when
    /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next),
    /// as every synchronous source and operator of this crate does; other
    /// publishers get a `request(1)` for each skipped item.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through, also while skipping.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(2);
    /// source::range(0..10u32).skip(7).subscribe(ts.clone());
    /// ts.assert_values(&[7, 8]);
    /// assert_eq!(ts.requests(), [2]); // no request(1) per skipped item
    /// ```
    fn skip(self, n: u64) -> Skip<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(Skip::new(self, n))
    }

    /// Drops items while `predicate` returns true, then passes every item
    /// from the first one for which it returns false (and calls it no more).
    ///
    /// # Demand
    ///
    /// One for one for passed items. A dropped item costs no request when
    /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next);
    /// other publishers get a `request(1)` for each dropped item.
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
    /// let ts = TestSubscriber::unbounded();
    /// source::from_iter(vec![1, 2, 10, 3]).skip_while(|x| *x < 5).subscribe(ts.clone());
    /// ts.assert_values(&[10, 3]).assert_complete();
    /// ```
    fn skip_while<F>(self, predicate: F) -> SkipWhile<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(SkipWhile::new(self, predicate))
    }

    /// Drops items until `other` signals (its first item, or its
    /// completion), then passes the rest.
    ///
    /// `other` may be any publisher, of any item type, signalling from any
    /// thread. It is subscribed first (as in Reactor's `skipUntilOther`), so
    /// one that signals at once lets every item through.
    ///
    /// # Demand
    ///
    /// One for one for passed items; a dropped item costs no request when
    /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next),
    /// and a `request(1)` otherwise. `other` is asked for
    /// [`UNBOUNDED`](crate::UNBOUNDED), and cancelled after its first item.
    ///
    /// # Errors and cancellation
    ///
    /// An error from upstream cancels `other`. An error from `other` before
    /// it opened the gate cancels upstream; either fails the stream.
    /// Cancelling cancels both. `request(0)` fails the stream with the §3.9
    /// error and cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// // `empty` completes at once: the gate is open from the start.
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u8).skip_until(source::empty::<()>()).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    ///
    /// // `never` never opens it.
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u8).skip_until(source::never::<()>()).subscribe(ts.clone());
    /// ts.assert_no_values().assert_complete();
    /// ```
    fn skip_until<O>(self, other: O) -> SkipUntil<Self, O>
    where
        Self: Sized,
        O: Publisher,
    {
        assert_publisher::<Self::Item, _>(SkipUntil::new(self, other))
    }

    /// The item at `index` (counted from 0) alone, then completion; an
    /// [`IndexOutOfBounds`] error when the stream completes before it.
    ///
    /// As Reactor's `elementAt(index)`; upstream is cancelled once the item
    /// has arrived.
    ///
    /// # Demand
    ///
    /// Nothing until downstream requests; at its first request (any
    /// `n >= 1`), `index + 1` upstream, once.
    ///
    /// # Errors and cancellation
    ///
    /// Errors before the item pass through. A stream that is too short fails
    /// with an [`Error`] wrapping [`IndexOutOfBounds`] (reach it with
    /// [`Error::downcast_ref`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::IndexOutOfBounds;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(10..20u32).element_at(3).subscribe(ts.clone());
    /// ts.assert_values(&[13]).assert_complete();
    /// assert_eq!(ts.requests(), [1]); // and upstream was asked for 4
    ///
    /// let ts = TestSubscriber::<u32>::unbounded();
    /// source::range(0..2u32).element_at(3).subscribe(ts.clone());
    /// ts.assert_error(|e| e.downcast_ref::<IndexOutOfBounds>().is_some());
    /// ```
    fn element_at(self, index: u64) -> ElementAt<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(ElementAt::new(self, index))
    }

    /// The first item alone, then completion; an empty stream completes
    /// empty.
    ///
    /// Reactor's `next()`, RxJava's `firstElement()`. Like both (and
    /// `Iterator::next`), no item is not an error: chain
    /// [`default_if_empty`](PublisherExt::default_if_empty) for a fallback,
    /// or use [`element_at(0)`](PublisherExt::element_at) for an error.
    ///
    /// # Demand
    ///
    /// Nothing until downstream requests; then 1 upstream, once. Upstream is
    /// cancelled when the item has arrived.
    ///
    /// # Errors and cancellation
    ///
    /// An error before the first item passes through.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(5..100u32).first().subscribe(ts.clone());
    /// ts.assert_values(&[5]).assert_complete();
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::empty::<u32>().first().subscribe(ts.clone());
    /// ts.assert_no_values().assert_complete();
    /// ```
    fn first(self) -> First<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(First::new(self))
    }

    /// The last item alone, then completion; an empty stream completes
    /// empty.
    ///
    /// Like `Iterator::last` and RxJava's `lastElement()`; Reactor's
    /// `last()` fails on an empty stream instead (chain
    /// [`default_if_empty`](PublisherExt::default_if_empty) for a fallback).
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
    /// item goes out when upstream has completed and downstream has requested
    /// (any `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through (the last item seen is dropped). Cancelling
    /// cancels upstream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(0);
    /// source::range(0..5u32).last().subscribe(ts.clone());
    /// ts.assert_no_values().assert_not_terminated(); // ready, but not requested
    /// ts.request(1);
    /// ts.assert_values(&[4]).assert_complete();
    /// ```
    fn last(self) -> Last<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(Last::new(self))
    }

    /// Drops every item, passing on only the end: completion or error.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed,
    /// whatever downstream asks for: downstream receives no item, so its
    /// demand bounds nothing, and the end needs no demand (§2.9). A
    /// `request(1)` per dropped item instead would make upstream wait for
    /// requests nobody needs.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through. Downstream's `cancel` and `request(0)` reach
    /// upstream unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(0);
    /// source::range(0..1_000u32).ignore_elements().subscribe(ts.clone());
    /// ts.assert_no_values().assert_complete();
    /// ```
    fn ignore_elements(self) -> IgnoreElements<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(IgnoreElements::new(self))
    }

    /// Passes every item; if upstream completes without any, emits `value`
    /// (a clone for each subscriber), then completes.
    ///
    /// # Demand
    ///
    /// One for one: each request goes upstream. The default value goes out
    /// only once downstream has requested (any `n >= 1`, before or after the
    /// empty completion).
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through, with no default value.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::empty().default_if_empty(7u32).subscribe(ts.clone());
    /// ts.assert_values(&[7]).assert_complete();
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..3u32).default_if_empty(7).subscribe(ts.clone());
    /// ts.assert_values(&[1, 2]).assert_complete();
    /// ```
    fn default_if_empty(self, value: Self::Item) -> DefaultIfEmpty<Self, Self::Item>
    where
        Self: Sized,
        Self::Item: Clone + Sync,
    {
        assert_publisher::<Self::Item, _>(DefaultIfEmpty::new(self, value))
    }

    /// Caps the total demand sent upstream at `n`, and completes once `n`
    /// items have arrived: Reactor's `limitRequest(n)`.
    ///
    /// Reactor 3.5 made `take(n)` cap demand the same way and deprecated
    /// `limitRequest` in its favour; here both names build the same
    /// operator, [`Take`].
    ///
    /// # Demand
    ///
    /// Requests go upstream until their sum reaches `n`; the rest is not
    /// passed on.
    ///
    /// # Errors and cancellation
    ///
    /// As [`take`](PublisherExt::take).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(2);
    /// source::range(0..100u32).limit_request(3).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1]).assert_not_terminated();
    /// ts.request(10); // only 1 more goes upstream
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    /// ```
    fn limit_request(self, n: u64) -> Take<Self>
    where
        Self: Sized,
    {
        assert_publisher::<Self::Item, _>(Take::new(self, n))
    }

    // (end of limit)

    // ----- aggregate -----------------------------------------------------

    /// Folds the items pairwise with `f` into one item, emitted when
    /// upstream completes; an empty stream completes empty.
    ///
    /// As `Iterator::reduce`: the first item starts the accumulator, each
    /// later one is combined into it with `f(accumulator, item)`.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed (as
    /// Reactor's `reduce`); the result goes out when upstream has completed
    /// and downstream has requested (any `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through, and the accumulator is dropped. A panic in `f`
    /// cancels upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). Cancelling cancels
    /// upstream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..5u32).reduce(|a, b| a * b).subscribe(ts.clone());
    /// ts.assert_values(&[24]).assert_complete();
    /// ```
    fn reduce<F>(self, f: F) -> Reduce<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item, Self::Item) -> Self::Item + Send + Sync + 'static,
    {
        assert_publisher::<Self::Item, _>(Reduce::new(self, f))
    }

    /// Gathers every item into a collection `C`, emitted as one item when
    /// upstream completes.
    ///
    /// `C` is any `Default + Extend` collection (`Vec`, `VecDeque`,
    /// `HashSet`, `String` from chars, a map from pairs), made fresh for each
    /// subscriber; name it as with `Iterator::collect`:
    /// `.collect::<Vec<_>>()`. An empty stream gives an empty collection.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
    /// collection goes out when upstream has completed and downstream has
    /// requested (any `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through, and the collection is dropped. A panic in `C`'s
    /// `extend` cancels upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::from_iter(vec![3, 1, 3, 2]).collect::<BTreeSet<_>>().subscribe(ts.clone());
    /// ts.assert_values(&[BTreeSet::from([1, 2, 3])]).assert_complete();
    /// ```
    fn collect<C>(self) -> Collect<Self, C>
    where
        Self: Sized,
        C: Default + Extend<Self::Item> + Send + 'static,
    {
        assert_publisher::<C, _>(Collect::new(self))
    }

    /// The number of items, emitted as one `u64` when upstream completes.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
    /// count goes out when upstream has completed and downstream has
    /// requested (any `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors pass through. Cancelling cancels upstream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..1_000u32).filter(|x| x % 3 == 0).count().subscribe(ts.clone());
    /// ts.assert_values(&[334]).assert_complete();
    /// ```
    fn count(self) -> Count<Self>
    where
        Self: Sized,
    {
        assert_publisher::<u64, _>(Count::new(self))
    }

    /// Whether every item satisfies `predicate`, emitted as one `bool`; true
    /// for an empty stream.
    ///
    /// Short-circuits like `Iterator::all`: the first item that fails the
    /// predicate decides the result `false`, and upstream is cancelled.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
    /// result goes out when it is known and downstream has requested (any
    /// `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors before the result is known pass through. A panic in
    /// `predicate` cancels upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// // Decided at 7, without waiting for the endless rest.
    /// source::range(0..u64::MAX).all(|x| *x < 7).subscribe(ts.clone());
    /// ts.assert_values(&[false]).assert_complete();
    /// ```
    fn all<F>(self, predicate: F) -> All<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        assert_publisher::<bool, _>(All::new(self, predicate))
    }

    /// Whether some item satisfies `predicate`, emitted as one `bool`; false
    /// for an empty stream.
    ///
    /// Short-circuits like `Iterator::any`: the first item that satisfies the
    /// predicate decides the result `true`, and upstream is cancelled.
    ///
    /// # Demand
    ///
    /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
    /// result goes out when it is known and downstream has requested (any
    /// `n >= 1`), whichever comes second.
    ///
    /// # Errors and cancellation
    ///
    /// Errors before the result is known pass through. A panic in
    /// `predicate` cancels upstream and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..u64::MAX).any(|x| x * x > 50).subscribe(ts.clone());
    /// ts.assert_values(&[true]).assert_complete();
    /// ```
    fn any<F>(self, predicate: F) -> Any<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        assert_publisher::<bool, _>(Any::new(self, predicate))
    }

    // (end of aggregate)

    // ----- combine -------------------------------------------------------

    /// The items of `self`, then those of `other`: `other` is subscribed when
    /// `self` completes.
    ///
    /// For a list of publishers of one type, see
    /// [`ops::concat`](crate::ops::concat()).
    ///
    /// # Demand
    ///
    /// Requests go to the publisher in force; what downstream requested and
    /// `self` did not deliver is requested from `other` when it is subscribed.
    /// Nothing is prefetched.
    ///
    /// # Errors and cancellation
    ///
    /// An error from `self` is passed on at once and `other` is never
    /// subscribed. `cancel` cancels the publisher in force; a later one is
    /// never subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::range(0..2u32).concat_with(source::range(7..9)).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 7]).assert_not_terminated(); // demand carried over
    /// ts.request(5);
    /// ts.assert_values(&[0, 1, 7, 8]).assert_complete();
    /// ```
    fn concat_with<P>(self, other: P) -> ConcatWith<Self, P>
    where
        Self: Sized + 'static,
        P: Publisher<Item = Self::Item> + 'static,
    {
        assert_publisher::<Self::Item, _>(ConcatWith::new(self, other))
    }

    /// The items of `items` first, then those of `self`.
    ///
    /// `items` is iterated anew for each subscriber, like
    /// [`source::from_iter`]. To start with the
    /// items of another publisher, see
    /// [`start_with_publisher`](PublisherExt::start_with_publisher).
    ///
    /// # Demand
    ///
    /// As [`concat_with`](PublisherExt::concat_with): the items are delivered
    /// within demand, and what is left is requested from `self`.
    ///
    /// # Errors and cancellation
    ///
    /// As [`concat_with`](PublisherExt::concat_with). A panic in the
    /// iterator becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic), and `self` is never
    /// subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(3..5u32).start_with([0, 1, 2]).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    /// ```
    fn start_with<I>(self, items: I) -> ConcatWith<FromIter<I>, Self>
    where
        Self: Sized + 'static,
        I: IntoIterator<Item = Self::Item> + Clone + Send + Sync + 'static,
        I::IntoIter: Send + 'static,
    {
        assert_publisher::<Self::Item, _>(ConcatWith::new(source::from_iter(items), self))
    }

    /// The items of `first`, then those of `self`: `self` is subscribed when
    /// `first` completes. The same as `first.concat_with(self)`.
    ///
    /// # Demand
    ///
    /// As [`concat_with`](PublisherExt::concat_with).
    ///
    /// # Errors and cancellation
    ///
    /// As [`concat_with`](PublisherExt::concat_with): an error from `first`
    /// ends the stream before `self` is subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::just(9u32).start_with_publisher(source::range(0..2)).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 9]).assert_complete();
    /// ```
    fn start_with_publisher<P>(self, first: P) -> ConcatWith<P, Self>
    where
        Self: Sized + 'static,
        P: Publisher<Item = Self::Item> + 'static,
    {
        assert_publisher::<Self::Item, _>(ConcatWith::new(first, self))
    }

    /// The items of `self` and `other`, as they come: both are subscribed at
    /// once.
    ///
    /// Items of one publisher keep their order; items of the two interleave
    /// in the order they arrive. A synchronous publisher runs as far as
    /// demand and its prefetch let it before the other gets a turn. For a
    /// list of publishers of one type, see
    /// [`ops::merge`](crate::ops::merge()).
    ///
    /// # Demand
    ///
    /// Each publisher is asked for 32 items up front, then 24 more each time
    /// 24 of its items went downstream (the 75% rule). Downstream gets no more
    /// than it requested; at most 32 items per publisher wait in between.
    ///
    /// # Errors and cancellation
    ///
    /// The first error is passed on at once; the other publisher is cancelled
    /// and queued items are dropped. Completes when both completed and every
    /// item was delivered. `cancel` cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u32).merge_with(source::range(10..12)).subscribe(ts.clone());
    /// let mut items = ts.values();
    /// items.sort_unstable();
    /// assert_eq!(items, [0, 1, 2, 10, 11]);
    /// ts.assert_complete();
    /// ```
    fn merge_with<P>(self, other: P) -> MergeWith<Self, P>
    where
        Self: Sized,
        P: Publisher<Item = Self::Item>,
    {
        assert_publisher::<Self::Item, _>(MergeWith::new(self, other))
    }

    /// Pairs the n-th item of `self` with the n-th item of `other`, ending
    /// with the shorter: the reactive `Iterator::zip`.
    ///
    /// Both are subscribed at once. As soon as one has completed and all its
    /// items were paired, the zip completes and the other is cancelled.
    ///
    /// # Demand
    ///
    /// Each publisher is asked for 32 items up front, then 24 more each time
    /// 24 of its items were paired (the 75% rule). One item of each makes one
    /// pair; downstream gets no more pairs than it requested.
    ///
    /// # Errors and cancellation
    ///
    /// An error from either is passed on at once; the other is cancelled and
    /// queued items are dropped. `cancel` cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..5u32).zip(source::from_iter(["a", "b", "c"])).subscribe(ts.clone());
    /// ts.assert_values(&[(0, "a"), (1, "b"), (2, "c")]).assert_complete();
    /// ```
    fn zip<P>(self, other: P) -> Zip<Self, P>
    where
        Self: Sized,
        P: Publisher,
    {
        assert_publisher::<(Self::Item, P::Item), _>(Zip::new(self, other))
    }

    /// Combines the n-th item of `self` with the n-th item of `other` by `f`,
    /// ending with the shorter.
    ///
    /// As [`zip`](PublisherExt::zip), with `f` in place of the tuple.
    ///
    /// # Demand
    ///
    /// As [`zip`](PublisherExt::zip): 32 items prefetched from each, 24 more
    /// each time 24 were combined; one item downstream per pair.
    ///
    /// # Errors and cancellation
    ///
    /// As [`zip`](PublisherExt::zip). A panic in `f` cancels both publishers
    /// and becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(1..4u32).zip_with(source::range(10..20), |a, b| a * b).subscribe(ts.clone());
    /// ts.assert_values(&[10, 22, 36]).assert_complete();
    /// ```
    fn zip_with<P, F, R>(self, other: P, f: F) -> ZipWith<Self, P, F>
    where
        Self: Sized,
        P: Publisher,
        F: Fn(Self::Item, P::Item) -> R + Send + Sync + 'static,
        R: Send + 'static,
    {
        assert_publisher::<R, _>(ZipWith::new(self, other, f))
    }

    /// Whenever `self` or `other` emits, `f` of the latest item of each, once
    /// both have emitted.
    ///
    /// Items before the other publisher's first one only become the latest.
    /// `f` gets both items by reference, so they need not be `Clone`; they are
    /// shared behind an `Arc`, so they must be `Sync`. Completes when both
    /// completed and every combination was delivered, or at once when either
    /// completes without having emitted anything.
    ///
    /// # Demand
    ///
    /// Each publisher is asked for 32 items up front, then 24 more each time
    /// 24 of its items were used (combined and delivered, or only stored as
    /// the latest). Downstream gets no more than it requested; at most 32
    /// combinations per publisher wait in between.
    ///
    /// # Errors and cancellation
    ///
    /// An error from either is passed on at once; the other is cancelled and
    /// waiting combinations are dropped. A panic in `f` cancels both and
    /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    /// `cancel` cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// // `just` has emitted and completed before `range` starts.
    /// source::just(100u32)
    ///     .combine_latest(source::range(0..3u32), |a, b| a + b)
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[100, 101, 102]).assert_complete();
    /// ```
    fn combine_latest<P, F, R>(self, other: P, f: F) -> CombineLatest<Self, P, F>
    where
        Self: Sized,
        Self::Item: Sync,
        P: Publisher,
        P::Item: Sync,
        F: Fn(&Self::Item, &P::Item) -> R + Send + Sync + 'static,
        R: Send + 'static,
    {
        assert_publisher::<R, _>(CombineLatest::new(self, other, f))
    }

    /// Combines each item of `self` with the latest item of `other` by `f`.
    ///
    /// `other` is subscribed first, with unbounded demand; its items only
    /// replace the latest value, which `f` gets by reference (so it need not
    /// be `Clone`; it is shared behind an `Arc`, so it must be `Sync`). An
    /// item of `self` that arrives before `other` has emitted anything is
    /// dropped. The stream ends with `self`, or when `other` fails or
    /// completes without having emitted anything.
    ///
    /// # Demand
    ///
    /// Requests go to `self` one for one; a dropped item is replaced (without
    /// a request round trip when `self` emits through
    /// [`try_on_next`](crate::Subscriber::try_on_next), as this crate's
    /// synchronous sources do). `other` is asked for
    /// [`UNBOUNDED`](crate::UNBOUNDED) at once.
    ///
    /// # Errors and cancellation
    ///
    /// An error from either is passed on at once and both are cancelled. A
    /// panic in `f` cancels both and becomes `on_error` with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). `cancel` cancels both.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u32)
    ///     .with_latest_from(source::just(10u32), |x, latest| x + latest)
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[10, 11, 12]).assert_complete();
    /// ```
    fn with_latest_from<P, F, R>(self, other: P, f: F) -> WithLatestFrom<Self, P, F>
    where
        Self: Sized,
        P: Publisher,
        P::Item: Sync,
        F: Fn(Self::Item, &P::Item) -> R + Send + Sync + 'static,
        R: Send + 'static,
    {
        assert_publisher::<R, _>(WithLatestFrom::new(self, other, f))
    }

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
        terminal::for_each(self, f)
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
        terminal::single(&First::new(self))
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
        terminal::single(&Last::new(self))
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
        terminal::single(&Collect::<_, Vec<Self::Item>>::new(self)).map(Option::unwrap_or_default)
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
