//! The parallel family: a stream split into rails that run side by side
//! (`parallel`), per-rail workers (`run_on`), per-rail operators (`map`,
//! `filter`, `flat_map`, `reduce`), and the merges back into one stream
//! (`sequential`, as items come; `ordered`, in source order).
//!
//! [`PublisherExt::parallel`](crate::PublisherExt::parallel) makes a
//! [`ParallelPublisher`]; its methods are the rest. Every buffer is bounded
//! by a prefetch (default [`RAIL_PREFETCH`], clamped to
//! `1..=`[`MAX_RAIL_PREFETCH`]), and every stage delivers to a rail only
//! within that rail's demand, so a slow rail slows the split instead of
//! filling memory: the split's items go to the other rails.
//!
//! One operator per file; the split is `split.rs`, the merges share the
//! engine in `merge.rs`, `map` and `filter` share the rail subscriber in
//! `step.rs`, and `flat_map` and `reduce` run the crate's own `concat_map`
//! and `reduce` on each rail through `handoff.rs`.

mod filter;
mod flat_map;
mod handoff;
mod map;
mod merge;
mod ordered;
mod rails;
mod reduce;
mod run_on;
mod sequential;
mod split;
mod step;

pub use self::filter::ParallelFilter;
pub use self::flat_map::ParallelFlatMap;
pub use self::map::ParallelMap;
pub use self::ordered::Ordered;
pub use self::rails::{ParallelPublisher, MAX_RAILS, MAX_RAIL_PREFETCH, RAIL_PREFETCH};
pub use self::reduce::ParallelReduce;
pub use self::run_on::RunOn;
pub use self::sequential::Sequential;
pub use self::split::Parallel;

/// The parallel family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`.
macro_rules! methods {
    () => {
        /// Splits the stream into `rails` rails, each item going to the next
        /// rail (in rotation) that has demand, as a [`ParallelPublisher`]:
        /// give the rails workers with
        /// [`run_on`](ParallelPublisher::run_on), work on each with
        /// [`map`](ParallelPublisher::map) and the others, and merge them
        /// back with [`sequential`](ParallelPublisher::sequential) or
        /// [`ordered`](ParallelPublisher::ordered).
        ///
        /// `rails` is clamped to `1..=`[`MAX_RAILS`](crate::ops::MAX_RAILS):
        /// zero rails gives one.
        ///
        /// # Demand
        ///
        /// Upstream is asked for [`RAIL_PREFETCH`](crate::ops::RAIL_PREFETCH)
        /// items at first and for 75% of that more as the rails take them; a
        /// rail receives items only within its own demand.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::ParallelPublisher;
        /// use reactive_streams::{scheduler, source, PublisherExt};
        ///
        /// let total: u64 = source::range(0..10_000u64)
        ///     .parallel(2)
        ///     .run_on(scheduler::parallel())
        ///     .map(|x| x % 7)
        ///     .sequential()
        ///     .blocking_collect()
        ///     .unwrap()
        ///     .into_iter()
        ///     .sum();
        /// assert_eq!(total, (0..10_000u64).map(|x| x % 7).sum::<u64>());
        /// ```
        fn parallel(self, rails: usize) -> Parallel<Self>
        where
            Self: Sized,
        {
            Parallel::new(self, rails, $crate::ops::RAIL_PREFETCH)
        }

        /// [`parallel`](PublisherExt::parallel) with the split buffering at
        /// most `prefetch` items (clamped to
        /// `1..=`[`MAX_RAIL_PREFETCH`](crate::ops::MAX_RAIL_PREFETCH)).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::ParallelPublisher;
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let out = source::range(0..10u32).parallel_with(3, 2).ordered();
        /// assert_eq!(out.blocking_collect().unwrap(), (0..10).collect::<Vec<_>>());
        /// ```
        fn parallel_with(self, rails: usize, prefetch: usize) -> Parallel<Self>
        where
            Self: Sized,
        {
            Parallel::new(self, rails, prefetch)
        }
    };
}
pub(crate) use methods;
