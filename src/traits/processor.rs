//! The `Processor` trait: a stage that is both a subscriber and a publisher.

use crate::traits::{Publisher, Subscriber};

/// A stage that receives `T` from upstream as a [`Subscriber`] and publishes
/// `R` downstream as a [`Publisher`] (§4.1).
///
/// Implemented automatically for every type that is both. A processor is
/// usually a cheap handle to shared state: one clone is subscribed upstream
/// (it is moved into the publisher), another is kept to subscribe downstream.
///
/// # Reactive Streams rules
///
/// - §4.1: a processor obeys the rules of both sides.
/// - §4.2: it may recover from an `on_error` (then it treats the upstream
///   subscription as cancelled); otherwise it passes the error downstream at
///   once, without waiting for demand.
///
/// # Examples
///
/// ```
/// use reactive_streams::{Processor, Publisher};
///
/// // Subscribes a processor handle to an upstream publisher.
/// fn wire<P>(upstream: &impl Publisher<Item = u32>, processor: &P)
/// where
///     P: Processor<u32, u32> + Clone + 'static,
/// {
///     upstream.subscribe(processor.clone());
/// }
/// ```
pub trait Processor<T, R>: Subscriber<T> + Publisher<Item = R> {}

impl<T, R, P> Processor<T, R> for P where P: Subscriber<T> + Publisher<Item = R> + ?Sized {}
