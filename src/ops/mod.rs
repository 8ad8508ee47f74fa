//! Operators and terminal methods, all reached through [`PublisherExt`].
//!
//! Operators are grouped by family, one folder each (`transform/`, `limit/`,
//! `aggregate/`, `combine/`, `flatten/`, `errors/`, `backpressure/`,
//! `time/`, `rate/`, `schedule/`, `multicast/`, `parallel/`, `consume/`), one operator per file. A trait is a single item
//! in Rust, so each family writes its part of [`PublisherExt`] in a `methods!`
//! macro in its `mod.rs`, and the trait below expands them in order: one
//! import gives every method, and each family's methods sit beside its
//! operators. What several operators share (running user closures, relaying
//! terminal signals, arbiters, inner subscribers, drain engines) lives in
//! `support/`, one piece per file.
//!
//! A new operator is a file in its family's folder (the pattern:
//! `transform/map.rs`), a method in that family's `methods!`, scenario and
//! property tests in `tests/ops/<family>/`, a TCK run in
//! `tests/tck/<family>.rs`, and auto-trait lines in
//! `tests/auto_traits/<family>.rs`; with its own atomics, a loom model in
//! `src/tests/loom_<op>.rs` too. A new family is a new folder with its own
//! `methods!`, and one line in the trait.

mod aggregate;
mod backpressure;
mod combine;
mod consume;
mod errors;
mod flatten;
mod limit;
mod multicast;
mod parallel;
mod rate;
pub(crate) mod schedule;
pub(crate) mod support;
mod time;
mod transform;

pub use self::aggregate::{All, Any, Collect, Count, Reduce};
pub use self::backpressure::{
    BufferOverflow, LimitRate, OnBackpressureBuffer, OnBackpressureDrop, OnBackpressureError,
    OnBackpressureLatest, OnBackpressureReduce,
};
pub use self::combine::{
    combine_latest, concat, merge, zip, CombineLatest, Concat, ConcatWith, Merge, MergeWith,
    WithLatestFrom, Zip, ZipWith,
};
pub use self::errors::{OnErrorResume, OnErrorReturn, Retry};
pub use self::flatten::{ConcatMap, FlatMap, SwitchMap};
pub use self::limit::{
    DefaultIfEmpty, ElementAt, First, IgnoreElements, IndexOutOfBounds, Last, Skip, SkipUntil,
    SkipWhile, Take, TakeUntil, TakeWhile,
};
pub use self::multicast::{
    ConnectablePublisher, Connection, DisconnectGuard, Publish, RefCount, Replay, Share,
};
pub use self::parallel::{
    Ordered, Parallel, ParallelFilter, ParallelFlatMap, ParallelMap, ParallelPublisher,
    ParallelReduce, RunOn, Sequential, MAX_RAILS, MAX_RAIL_PREFETCH, RAIL_PREFETCH,
};
pub use self::rate::{
    Aimd, AimdConfig, AimdHandle, Rate, ShedByPriority, ShedCounts, ThrottleRate,
    MAX_SHED_CAPACITY, MAX_WINDOW, MIN_TICK,
};
pub use self::schedule::{PublishOn, SubscribeOn, HOP_PREFETCH, MAX_HOP_PREFETCH};
pub use self::time::{
    BufferTimeout, Debounce, Delay, DelaySubscription, Elapsed, NoDemand, Sample, TakeFor,
    ThrottleFirst, ThrottleLast, Timeout, Timestamp, DELAY_PREFETCH,
};
pub use self::transform::{
    Buffer, Distinct, DistinctUntilChanged, DoOnCancel, DoOnComplete, DoOnError, DoOnNext,
    DoOnRequest, DoOnSubscribe, Filter, FilterMap, FlatMapIter, Inspect, Map, MapErr, Scan,
};

use core::hash::Hash;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::scheduler::{default_time_scheduler, Scheduler};
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
    transform::methods!();
    limit::methods!();
    aggregate::methods!();
    combine::methods!();
    flatten::methods!();
    errors::methods!();
    backpressure::methods!();
    time::methods!();
    rate::methods!();
    schedule::methods!();
    multicast::methods!();
    parallel::methods!();
    consume::methods!();
    crate::interop::methods!();
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
