#![doc = include_str!("../README.md")]
#![doc(test(
    no_crate_inject,
    attr(deny(warnings, rust_2018_idioms), allow(dead_code, unused_variables))
))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(reactive_streams_loom, allow(dead_code, unreachable_pub))]

//! # Map of the crate
//!
//! **Traits**: [`Publisher`], [`Subscriber`], [`Subscription`], [`Processor`];
//! the dynamic forms [`DynPublisher`], [`BoxPublisher`], [`BoxSubscriber`].
//!
//! **Errors**: [`Error`], [`ErrorKind`], [`Rule`]; demand: [`UNBOUNDED`].
//!
//! **Sources** ([`source`]): [`range`](source::range),
//! [`from_iter`](source::from_iter), [`just`](source::just),
//! [`empty`](source::empty), [`error`](source::error), [`never`](source::never),
//! [`defer`](source::defer), [`generate`](source::generate),
//! [`create`](source::create); on a scheduler's clock,
//! [`interval`](source::interval) and [`timer`](source::timer()); and from
//! async Rust [`from_stream`](source::from_stream),
//! [`from_future`](source::from_future).
//!
//! **Async Rust** ([`interop`], no runtime needed): a publisher as a
//! `futures_core::Stream` ([`PublisherExt::into_stream`]), the async
//! terminals (`first().await`, `last().await`, `collect().await`), and an
//! async function per item at bounded concurrency
//! ([`PublisherExt::map_async`], [`PublisherExt::map_async_unordered`]).
//!
//! **Operators** ([`ops`], all methods of [`PublisherExt`]), by family:
//! transform (`map`, `filter`, `filter_map`, `scan`, `flat_map_iter`,
//! `buffer`, `distinct`, `distinct_until_changed`, `inspect`, the `do_on_*`
//! taps, `map_err`), limit (`take`, `take_while`, `take_until`, `skip`,
//! `skip_while`, `skip_until`, `element_at`, `first`, `last`,
//! `ignore_elements`, `default_if_empty`, `limit_request`), aggregate
//! (`reduce`, `collect`, `count`, `all`, `any`), combine (`concat`,
//! `concat_with`, `start_with`, `merge`, `merge_with`, `zip`, `zip_with`,
//! `combine_latest`, `with_latest_from`), flatten (`flat_map`, `concat_map`,
//! `switch_map`), errors (`on_error_return`, `on_error_resume`, `retry`),
//! backpressure (`on_backpressure_buffer`, `on_backpressure_drop`,
//! `on_backpressure_latest`, `on_backpressure_error`,
//! `on_backpressure_reduce`, `limit_rate`), time (`delay`,
//! `delay_subscription`, `timeout`, `debounce`, `sample`, `throttle_first`,
//! `throttle_last`, `buffer_timeout`, `take_for`, `elapsed`, `timestamp`,
//! each with an `_on` form taking a scheduler), schedule (the thread hops
//! `publish_on`, `publish_on_with`, `subscribe_on`), multicast (`publish`, `share`,
//! `replay`), parallel rails (`parallel`, then per rail `run_on`, `map`,
//! `filter`, `flat_map`, `reduce`, merged back by `sequential` or
//! `ordered`: [`ParallelPublisher`](ops::ParallelPublisher)), and the
//! blocking terminals (`for_each`, `blocking_first`,
//! `blocking_last`, `blocking_collect`).
//!
//! **Processors** ([`processor`]): [`MulticastProcessor`](processor::MulticastProcessor),
//! [`UnicastProcessor`](processor::UnicastProcessor).
//!
//! **Subscribers** ([`subscriber`]): closures through
//! [`PublisherExt::subscribe_with`] and [`LambdaSubscriber`], blocking
//! iteration through [`PublisherExt::blocking_iter`].
//!
//! **Schedulers** ([`scheduler`]): the [`Scheduler`](scheduler::Scheduler)
//! and [`Worker`](scheduler::Worker) a thread hop or a timer runs on;
//! [`immediate`](scheduler::immediate), [`single`](scheduler::single),
//! [`parallel`](scheduler::parallel) (an event loop per core) for CPU-bound
//! work, [`blocking`](scheduler::blocking) (a bounded elastic pool) for
//! blocking I/O, [`VirtualTimeScheduler`](scheduler::VirtualTimeScheduler)
//! for timed tests, and [`ExecutorScheduler`](scheduler::ExecutorScheduler)
//! over any runtime's [`Executor`](scheduler::Executor).
//!
//! **Authors of publishers and subscribers** ([`author`]): the serialized
//! emitter [`subscribe_pull`](author::subscribe_pull) over a
//! [`Pull`](author::Pull), the [`Demand`](author::Demand) counter, the
//! [`Replenish`](author::Replenish) prefetch helper, and the guides.
//!
//! **Testing**: [`TestSubscriber`] for your own tests, and the crate
//! `reactive-streams-tck` to verify your own publishers and subscribers
//! against the specification.
//!
//! # Panics in user code, and sizes from the user
//!
//! * A panic in a closure given to an operator, or in an item's `Clone`,
//!   `PartialEq`, `Hash` where an operator runs them, becomes `on_error` of
//!   kind [`ErrorKind::Panic`] downstream, and upstream is cancelled; nothing
//!   follows the error. In a multicast stage (`publish`, `share`, `replay`,
//!   [`MulticastProcessor`](processor::MulticastProcessor)) every subscriber
//!   gets the error.
//! * A [`Subscriber`] must not panic (§2.13). If one does in `on_next`, the
//!   stage that called it catches the panic once per drain run (no cost per
//!   item): every source (the pull engine behind `range`, `from_iter`,
//!   `generate`, ... and [`create`](source::create)) then stops, signals
//!   `on_error` of kind `Panic` down the chain, and drops the subscriber;
//!   a multicast stage drops that one subscriber and serves the others. The
//!   panic does not reach the caller of `subscribe` or `request` (the panic
//!   hook has reported it). Not yet covered: a panic from the subscriber that
//!   crosses the drain of an asynchronous combining operator (`merge`, `zip`,
//!   `flat_map`, ...) ends that operator's stream without a terminal signal
//!   (its sources are stopped).
//! * A buffer size given by the user is clamped to [`MAX_CAPACITY`] where it
//!   would be allocated at once, so it never becomes an unbounded allocation.
//! * A connected `publish()` or `replay()` holds its upstream and is held by
//!   it: [`Connection::disconnect_on_drop`](ops::Connection::disconnect_on_drop)
//!   gives a guard that ends the connection when dropped.

pub mod author;
mod drain;
mod error;
pub mod interop;
pub mod ops;
pub mod processor;
mod queue;
pub mod scheduler;
pub mod source;
pub mod subscriber;
mod sync;
mod traits;

#[cfg(test)]
mod tests;

pub use crate::author::UNBOUNDED;
pub use crate::error::{Error, ErrorKind, Rule};
pub use crate::ops::PublisherExt;
pub use crate::queue::MAX_CAPACITY;
#[cfg(not(reactive_streams_loom))]
pub use crate::subscriber::{BlockingIter, TestSubscriber};
pub use crate::subscriber::{CancelHandle, LambdaSubscriber};
pub use crate::traits::{
    BoxPublisher, BoxSubscriber, DynPublisher, Processor, Publisher, Subscriber, Subscription,
};
