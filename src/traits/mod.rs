//! The four interfaces of the Reactive Streams specification.
//!
//! This module depends on nothing else in the crate but [`Error`](crate::Error),
//! so that it can be split into a small core crate later without a redesign.

mod processor;
mod publisher;
mod subscriber;
mod subscription;

pub use self::processor::Processor;
pub use self::publisher::{BoxPublisher, DynPublisher, Publisher};
pub(crate) use self::subscriber::Fused;
pub use self::subscriber::{BoxSubscriber, Subscriber};
pub use self::subscription::Subscription;
