//! Subscribers: closures, blocking iteration, and a subscriber for tests.
//!
//! | subscriber | for | demand |
//! |---|---|---|
//! | [`LambdaSubscriber`] (and [`PublisherExt::subscribe_with`](crate::PublisherExt::subscribe_with)) | reacting to items with closures | unbounded, or a prefetch replenished at 75% |
//! | [`CancelHandle`] | cancelling a [`LambdaSubscriber`] from anywhere | - |
//! | [`BlockingIter`] (through [`PublisherExt::blocking_iter`](crate::PublisherExt::blocking_iter)) | pulling items on a thread that may block | a prefetch replenished at 75% |
//! | [`TestSubscriber`] | tests: driving demand, waiting, asserting, catching publishers that break the rules | whatever the test asks for |
//!
//! None of them buffers without bound: the two that buffer ([`BlockingIter`],
//! [`TestSubscriber`]) meet a publisher that sends more than was requested
//! (§1.1) with an overflow error and a cancel, and [`LambdaSubscriber`]
//! consumes each item as it arrives. All of them cancel any second
//! subscription they are handed (§2.5).
//!
//! [`BlockingIter`] and [`TestSubscriber`] block on a condition variable with
//! a timeout, so they are left out of loom builds.
//!
//! # Examples
//!
//! ```
//! use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
//!
//! let ts = TestSubscriber::unbounded();
//! source::range(0..3u8).subscribe(ts.clone());
//! ts.assert_values(&[0, 1, 2]).assert_complete();
//!
//! let total: u32 = source::range(1..4u32).blocking_iter().map(Result::unwrap).sum();
//! assert_eq!(total, 6);
//! ```

#[cfg(not(reactive_streams_loom))]
mod blocking_iter;
mod cancel_handle;
mod lambda;
#[cfg(not(reactive_streams_loom))]
mod test_subscriber;

#[cfg(not(reactive_streams_loom))]
pub use self::blocking_iter::BlockingIter;
pub use self::cancel_handle::CancelHandle;
pub use self::lambda::LambdaSubscriber;
#[cfg(not(reactive_streams_loom))]
pub use self::test_subscriber::TestSubscriber;
