//! The four interfaces of the Reactive Streams specification.
//!
//! This module depends on nothing else in the crate but [`Error`](crate::Error)
//! and, for the hidden fusion hooks (`fused.rs`), the source engine's pull,
//! so that it can be split into a small core crate later without a redesign
//! of the public traits.

mod fused;
mod processor;
mod publisher;
mod subscriber;
mod subscription;

pub(crate) use self::fused::{Fused, FusedSource};
pub use self::processor::Processor;
pub use self::publisher::{BoxPublisher, DynPublisher, Publisher};
pub use self::subscriber::{BoxSubscriber, Subscriber};
pub use self::subscription::Subscription;
