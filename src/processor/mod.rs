//! Processors: stages that are both a [`Subscriber`](crate::Subscriber) and
//! a [`Publisher`](crate::Publisher) (§4), for feeding one stream to
//! subscribers that come and go.
//!
//! | processor | subscribers | pace | buffer |
//! |---|---|---|---|
//! | [`MulticastProcessor`] | any number; late ones see later items | the slowest subscriber's (coordinated emission) | `capacity` items (default 256) |
//! | [`UnicastProcessor`] | one; it may arrive late | its own | `capacity` items (default 256), kept until it arrives |
//!
//! Both are cheap handles (clone them to subscribe one upstream and many
//! downstreams), ask their upstream for `capacity` items and replenish at 75%
//! as items leave, so memory stays bounded and backpressure reaches upstream.
//! Both pass the TCK's identity processor verification (`tests/tck/multicast.rs`).
//!
//! For a multicast of an existing publisher, see also
//! [`publish`](crate::PublisherExt::publish), [`share`](crate::PublisherExt::share)
//! and [`replay`](crate::PublisherExt::replay), which are built on the same
//! engine.
//!
//! # Examples
//!
//! ```
//! use reactive_streams::processor::MulticastProcessor;
//! use reactive_streams::{source, Publisher, TestSubscriber};
//!
//! let processor = MulticastProcessor::new();
//! let (a, b) = (TestSubscriber::unbounded(), TestSubscriber::unbounded());
//! processor.subscribe(a.clone());
//! processor.subscribe(b.clone());
//! source::range(1..4u8).subscribe(processor);
//! a.assert_values(&[1, 2, 3]).assert_complete();
//! b.assert_values(&[1, 2, 3]).assert_complete();
//! ```

pub(crate) mod multicast;
pub(crate) mod shared;
mod unicast;

pub use self::multicast::MulticastProcessor;
pub use self::unicast::UnicastProcessor;
