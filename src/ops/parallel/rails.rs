//! The [`ParallelPublisher`] trait: a stream split into rails, and the
//! operators that work per rail.

use crate::ops::parallel::{
    Ordered, ParallelFilter, ParallelFlatMap, ParallelMap, ParallelReduce, RunOn, Sequential,
};
use crate::scheduler::Scheduler;
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber};

/// The most rails a split makes: larger counts are clamped to it, because
/// each rail owns buffers that are allocated whole.
pub const MAX_RAILS: usize = 1024;

/// The default number of items a rail stage buffers (and asks for ahead):
/// the splitter's queue, each `run_on` rail's queue, and each rail's queue in
/// `sequential` and `ordered`.
pub const RAIL_PREFETCH: usize = 256;

/// The largest prefetch a rail stage takes: larger ones are clamped to it,
/// because each queue is allocated whole up front.
pub const MAX_RAIL_PREFETCH: usize = 1 << 16;

/// A rail count, clamped to `1..=MAX_RAILS`.
pub(crate) fn clamp_rails(rails: usize) -> usize {
    rails.clamp(1, MAX_RAILS)
}

/// A prefetch, clamped to `1..=MAX_RAIL_PREFETCH`.
pub(crate) fn clamp_prefetch(prefetch: usize) -> usize {
    prefetch.clamp(1, MAX_RAIL_PREFETCH)
}

/// A stream split into a fixed number of *rails*, each a stream of its own
/// with its own demand, that run side by side (on workers of their own after
/// [`run_on`](ParallelPublisher::run_on)) and are merged back into one
/// [`Publisher`] by [`sequential`](ParallelPublisher::sequential) (as items
/// come) or [`ordered`](ParallelPublisher::ordered) (in source order).
///
/// Made by [`PublisherExt::parallel`](crate::PublisherExt::parallel). The
/// per-rail operators ([`map`](ParallelPublisher::map),
/// [`filter`](ParallelPublisher::filter),
/// [`flat_map`](ParallelPublisher::flat_map),
/// [`reduce`](ParallelPublisher::reduce)) run their closure on each rail, on
/// that rail's thread. Every item carries its position in the source, given
/// at the split, so that `ordered` can restore the source order.
///
/// Only this crate implements it: its one required method takes a token
/// that code outside the crate cannot make.
///
/// # Errors and cancellation
///
/// An error on one rail (upstream's error, a panic in a rail's closure)
/// reaches the merged stream's subscriber once, at once; every rail and the
/// upstream are then cancelled. Cancelling the merged stream cancels every
/// rail, and the upstream with the last one.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::ParallelPublisher;
/// use reactive_streams::{scheduler, source, PublisherExt};
///
/// let squares: Vec<u64> = source::range(0..1000u64)
///     .parallel(2)
///     .run_on(scheduler::parallel())
///     .map(|x| x * x)
///     .ordered()
///     .blocking_collect()
///     .unwrap();
/// assert_eq!(squares, (0..1000u64).map(|x| x * x).collect::<Vec<_>>());
/// ```
pub trait ParallelPublisher: Send + Sync {
    /// The type of the items on each rail.
    type Item: Send + 'static;

    /// The number of rails.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// assert_eq!(source::range(0..10u32).parallel(3).rails(), 3);
    /// assert_eq!(source::range(0..10u32).parallel(0).rails(), 1); // clamped
    /// ```
    fn rails(&self) -> usize;

    /// Subscribes one subscriber per rail (`rails.len() == self.rails()`),
    /// each receiving its items tagged with their source position.
    #[doc(hidden)]
    fn subscribe_rails<S>(&self, rails: Vec<S>, _: Fused)
    where
        S: Subscriber<(u64, Self::Item)> + 'static;

    /// Gives each rail a worker of `scheduler`: everything after it on a rail
    /// (its operators, and the hand-over to the merge) runs on that worker.
    /// Each rail buffers at most [`RAIL_PREFETCH`] items.
    ///
    /// With [`scheduler::parallel()`](crate::scheduler::parallel) the
    /// workers are spread round-robin over one event loop per core, so `n`
    /// rails on `n` cores run on `n` threads. A scheduler that rejects the
    /// drain (disposed) fails the stream with
    /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{scheduler, source, PublisherExt};
    ///
    /// let mut out = source::range(0..100u32)
    ///     .parallel(4)
    ///     .run_on(scheduler::parallel())
    ///     .map(|x| x + 1)
    ///     .sequential()
    ///     .blocking_collect()
    ///     .unwrap();
    /// out.sort_unstable();
    /// assert_eq!(out, (1..101).collect::<Vec<_>>());
    /// ```
    fn run_on<Sch>(self, scheduler: Sch) -> RunOn<Self>
    where
        Self: Sized,
        Sch: Into<Arc<dyn Scheduler>>,
    {
        RunOn::new(self, scheduler.into(), RAIL_PREFETCH)
    }

    /// [`run_on`](ParallelPublisher::run_on) with each rail buffering at
    /// most `prefetch` items (clamped to `1..=`[`MAX_RAIL_PREFETCH`]),
    /// asking for more at 75%.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{scheduler, source, PublisherExt};
    ///
    /// let total: u64 = source::range(0..100u64)
    ///     .parallel(2)
    ///     .run_on_with(scheduler::parallel(), 8)
    ///     .sequential()
    ///     .blocking_collect()
    ///     .unwrap()
    ///     .into_iter()
    ///     .sum();
    /// assert_eq!(total, 4950);
    /// ```
    fn run_on_with<Sch>(self, scheduler: Sch, prefetch: usize) -> RunOn<Self>
    where
        Self: Sized,
        Sch: Into<Arc<dyn Scheduler>>,
    {
        RunOn::new(self, scheduler.into(), prefetch)
    }

    /// Transforms each item with `f`, on its rail.
    ///
    /// # Errors
    ///
    /// A panic in `f` fails the merged stream with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic), once, and cancels
    /// every rail and the upstream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let out = source::range(0..5u32).parallel(2).map(|x| x * 10).ordered();
    /// assert_eq!(out.blocking_collect().unwrap(), [0, 10, 20, 30, 40]);
    /// ```
    fn map<U, F>(self, f: F) -> ParallelMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> U + Send + Sync + 'static,
        U: Send + 'static,
    {
        ParallelMap::new(self, f)
    }

    /// Keeps the items for which `predicate` returns true, on each rail. A
    /// rejected item costs its rail no demand.
    ///
    /// # Errors
    ///
    /// A panic in `predicate` fails the merged stream, as in
    /// [`map`](ParallelPublisher::map).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let evens = source::range(0..10u32).parallel(3).filter(|x| x % 2 == 0).ordered();
    /// assert_eq!(evens.blocking_collect().unwrap(), [0, 2, 4, 6, 8]);
    /// ```
    fn filter<F>(self, predicate: F) -> ParallelFilter<Self, F>
    where
        Self: Sized,
        F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
    {
        ParallelFilter::new(self, predicate)
    }

    /// Maps each item to a publisher (an *inner*) and emits its items, on
    /// the item's rail. Each rail runs its inners one after another (as
    /// [`concat_map`](crate::PublisherExt::concat_map) does), so a rail's
    /// items stay in source order, and
    /// [`ordered`](ParallelPublisher::ordered) puts every inner's items at
    /// its source item's place; the rails run their inners side by side.
    ///
    /// # Errors
    ///
    /// A panic in `f`, or an inner's error, fails the merged stream, as in
    /// [`map`](ParallelPublisher::map).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let out = source::range(1..4u32)
    ///     .parallel(2)
    ///     .flat_map(|x| source::range(0..x))
    ///     .ordered();
    /// assert_eq!(out.blocking_collect().unwrap(), [0, 0, 1, 0, 1, 2]);
    /// ```
    fn flat_map<Q, F>(self, f: F) -> ParallelFlatMap<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item) -> Q + Send + Sync + 'static,
        Q: Publisher + 'static,
    {
        ParallelFlatMap::new(self, f)
    }

    /// Folds each rail's items with `f` into one value per rail, emitted
    /// when the rail completes (a rail that received nothing emits
    /// nothing). Merge the per-rail results with
    /// [`sequential`](ParallelPublisher::sequential) and fold them once more
    /// for a total.
    ///
    /// # Errors
    ///
    /// A panic in `f` fails the merged stream, as in
    /// [`map`](ParallelPublisher::map).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let sums = source::range(1..101u64)
    ///     .parallel(4)
    ///     .reduce(|a, b| a + b)
    ///     .sequential()
    ///     .blocking_collect()
    ///     .unwrap();
    /// assert_eq!(sums.len(), 4);
    /// assert_eq!(sums.iter().sum::<u64>(), 5050);
    /// ```
    fn reduce<F>(self, f: F) -> ParallelReduce<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Item, Self::Item) -> Self::Item + Send + Sync + 'static,
    {
        ParallelReduce::new(self, f)
    }

    /// Merges the rails back into one stream, items in the order they come
    /// off the rails. Each rail is asked for [`RAIL_PREFETCH`] items ahead
    /// and buffers at most that many.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let mut out = source::range(0..6u32).parallel(2).sequential().blocking_collect().unwrap();
    /// out.sort_unstable();
    /// assert_eq!(out, [0, 1, 2, 3, 4, 5]);
    /// ```
    fn sequential(self) -> Sequential<Self>
    where
        Self: Sized,
    {
        Sequential::new(self, RAIL_PREFETCH)
    }

    /// [`sequential`](ParallelPublisher::sequential) with each rail
    /// buffering at most `prefetch` items (clamped to
    /// `1..=`[`MAX_RAIL_PREFETCH`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let out = source::range(0..6u32).parallel(2).sequential_with(1);
    /// assert_eq!(out.blocking_collect().unwrap().len(), 6);
    /// ```
    fn sequential_with(self, prefetch: usize) -> Sequential<Self>
    where
        Self: Sized,
    {
        Sequential::new(self, prefetch)
    }

    /// Merges the rails back into one stream in source order: the item with
    /// the smallest source position goes first. An item waits until every
    /// rail that might still send an earlier one has sent its next item (or
    /// completed); each rail buffers at most [`RAIL_PREFETCH`] items, and the
    /// rails keep producing meanwhile.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{scheduler, source, PublisherExt};
    ///
    /// let out = source::range(0..100u32)
    ///     .parallel(3)
    ///     .run_on(scheduler::parallel())
    ///     .map(|x| x * 2)
    ///     .ordered();
    /// assert_eq!(out.blocking_collect().unwrap(), (0..100).map(|x| x * 2).collect::<Vec<_>>());
    /// ```
    fn ordered(self) -> Ordered<Self>
    where
        Self: Sized,
    {
        Ordered::new(self, RAIL_PREFETCH)
    }

    /// [`ordered`](ParallelPublisher::ordered) with each rail buffering at
    /// most `prefetch` items (clamped to `1..=`[`MAX_RAIL_PREFETCH`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ParallelPublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let out = source::range(0..6u32).parallel(2).ordered_with(1);
    /// assert_eq!(out.blocking_collect().unwrap(), [0, 1, 2, 3, 4, 5]);
    /// ```
    fn ordered_with(self, prefetch: usize) -> Ordered<Self>
    where
        Self: Sized,
    {
        Ordered::new(self, prefetch)
    }
}
