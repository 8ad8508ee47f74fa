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
//! [`create`](source::create).
//!
//! **Processors** ([`processor`]): [`MulticastProcessor`](processor::MulticastProcessor),
//! [`UnicastProcessor`](processor::UnicastProcessor).
//!
//! **Subscribers** ([`subscriber`]): closures through
//! [`PublisherExt::subscribe_with`] and [`LambdaSubscriber`], blocking
//! iteration through [`PublisherExt::blocking_iter`].
//!
//! **Testing**: [`TestSubscriber`] for your own tests, and the crate
//! `reactive-streams-tck` to verify your own publishers and subscribers
//! against the specification.

mod demand;
mod drain;
mod error;
pub mod ops;
pub mod processor;
mod queue;
pub mod source;
pub mod subscriber;
mod sync;
mod traits;

#[cfg(test)]
mod tests;

pub use crate::demand::UNBOUNDED;
pub use crate::error::{Error, ErrorKind, Rule};
pub use crate::ops::PublisherExt;
#[cfg(not(reactive_streams_loom))]
pub use crate::subscriber::{BlockingIter, TestSubscriber};
pub use crate::subscriber::{CancelHandle, LambdaSubscriber};
pub use crate::traits::{
    BoxPublisher, BoxSubscriber, DynPublisher, Processor, Publisher, Subscriber, Subscription,
};
