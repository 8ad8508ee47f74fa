//! The `Publisher` trait and its dynamic companions.

use core::fmt;

use crate::sync::Arc;
use crate::traits::{BoxSubscriber, Fused, FusedSource, Subscriber};

/// A source of a possibly unbounded number of items, pushed to each
/// [`Subscriber`] only as fast as that subscriber asks for them.
///
/// `Publisher` is to a push stream what `IntoIterator` is to a pull one: a
/// description that produces a new flow of items each time it is subscribed.
/// [`subscribe`](Publisher::subscribe) takes `&self` because a publisher may be
/// subscribed many times (§1.11); a cold publisher (a range, an iterator)
/// starts over for each subscriber.
///
/// `subscribe` is generic over the subscriber, so that `on_next` is
/// monomorphized through a chain of operators and inlines to a loop. For
/// heterogeneous collections use [`BoxPublisher`], or the dyn-compatible
/// [`DynPublisher`].
///
/// # Reactive Streams rules
///
/// - §1.9: `subscribe` calls `on_subscribe` before any other signal, and
///   returns normally. A publisher that cannot serve a subscriber signals
///   `on_subscribe` and then `on_error`.
/// - §1.1: never more `on_next` than requested; §1.2: fewer is fine, followed
///   by `on_complete` or `on_error`.
/// - §1.3: signals to one subscriber never overlap, and each happens-before the
///   next.
/// - §1.4, §1.5: a failed stream ends with `on_error`, a finished one with
///   `on_complete`; §1.7: nothing follows either.
/// - §1.10: each `subscribe` call is a new subscription, even for a subscriber
///   value that looks the same.
/// - §1.11: whether many subscribers share one flow (multicast) or each gets
///   its own (unicast) is the publisher's choice, and documented by it.
/// - §3.9, §3.13, §3.17: see [`Subscription`](crate::Subscription).
///
/// # Misuse
///
/// A null subscriber (§1.9) cannot be expressed in Rust. A publisher that
/// ignores demand is met by this crate's subscribers with an overflow error
/// and a cancel, never with unbounded buffering.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let numbers = source::range(0..3u32);
/// let ts = TestSubscriber::unbounded();
/// numbers.subscribe(ts.clone());
/// ts.assert_values(&[0, 1, 2]).assert_complete();
/// ```
pub trait Publisher: Send + Sync {
    /// The type of the items published.
    type Item: Send + 'static;

    /// Starts a new subscription for `subscriber` (§1.9).
    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static;

    /// This publisher's items as a synchronous source that an operator of
    /// this crate runs inside its own drain, instead of subscribing: what
    /// `flat_map` and `concat_map` do with an inner `range` or `just`, and
    /// `merge` and `zip` with such sources, at a fraction of the cost of a
    /// subscription. Each call starts the items anew, as
    /// `subscribe` does.
    ///
    /// Only this crate can call or override it ([`Fused`] cannot be named or
    /// built outside it). The default, `None`, means "subscribe to me".
    ///
    /// # Examples
    ///
    /// Nothing to call from outside the crate; `flat_map` uses it:
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// // Each inner `range` is run inside flat_map's drain, not subscribed.
    /// source::range(0..3u32).flat_map(|x| source::range(0..x)).subscribe(ts.clone());
    /// ts.assert_values(&[0, 0, 1]).assert_complete();
    /// ```
    #[doc(hidden)]
    #[inline]
    fn fused_source(&self, _: Fused) -> Option<FusedSource<Self::Item>> {
        None
    }
}

impl<P: Publisher + ?Sized> Publisher for &P {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static,
    {
        (**self).subscribe(subscriber)
    }

    #[inline]
    fn fused_source(&self, fused: Fused) -> Option<FusedSource<Self::Item>> {
        (**self).fused_source(fused)
    }
}

impl<P: Publisher + ?Sized> Publisher for Arc<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static,
    {
        (**self).subscribe(subscriber)
    }

    #[inline]
    fn fused_source(&self, fused: Fused) -> Option<FusedSource<Self::Item>> {
        (**self).fused_source(fused)
    }
}

impl<P: Publisher + ?Sized> Publisher for Box<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static,
    {
        (**self).subscribe(subscriber)
    }

    #[inline]
    fn fused_source(&self, fused: Fused) -> Option<FusedSource<Self::Item>> {
        (**self).fused_source(fused)
    }
}

/// The dyn-compatible form of [`Publisher`]: it takes a boxed subscriber.
///
/// Every `Publisher` is a `DynPublisher` of its item type, so
/// `&dyn DynPublisher<T>` and `Arc<dyn DynPublisher<T>>` work for any
/// publisher; [`BoxPublisher`] wraps the latter back into a `Publisher`.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, DynPublisher, TestSubscriber};
///
/// let publishers: Vec<Box<dyn DynPublisher<u8>>> =
///     vec![Box::new(source::just(1u8)), Box::new(source::range(2..4u8))];
/// let ts = TestSubscriber::unbounded();
/// publishers[1].subscribe_dyn(Box::new(ts.clone()));
/// ts.assert_values(&[2, 3]);
/// ```
pub trait DynPublisher<T>: Send + Sync {
    /// Subscribes a boxed subscriber; see [`Publisher::subscribe`].
    fn subscribe_dyn(&self, subscriber: BoxSubscriber<T>);
}

impl<P: Publisher + ?Sized> DynPublisher<P::Item> for P {
    fn subscribe_dyn(&self, subscriber: BoxSubscriber<P::Item>) {
        self.subscribe(subscriber)
    }
}

/// A type-erased, cheaply cloneable [`Publisher`] of `T`.
///
/// Costs one indirect call per `subscribe` and one per signal, so keep it at
/// the edges of a pipeline (factories, collections), not inside hot chains.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, BoxPublisher, Publisher, TestSubscriber};
///
/// let choice = |empty: bool| -> BoxPublisher<u32> {
///     if empty { BoxPublisher::new(source::empty()) } else { BoxPublisher::new(source::just(7)) }
/// };
/// let ts = TestSubscriber::unbounded();
/// choice(false).subscribe(ts.clone());
/// ts.assert_values(&[7]).assert_complete();
/// ```
pub struct BoxPublisher<T> {
    inner: Arc<dyn DynPublisher<T>>,
}

impl<T: Send + 'static> BoxPublisher<T> {
    /// Erases the type of `publisher`.
    pub fn new<P>(publisher: P) -> BoxPublisher<T>
    where
        P: Publisher<Item = T> + 'static,
    {
        BoxPublisher {
            inner: Arc::new(publisher),
        }
    }
}

impl<T> Clone for BoxPublisher<T> {
    fn clone(&self) -> Self {
        BoxPublisher {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for BoxPublisher<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoxPublisher").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Publisher for BoxPublisher<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        self.inner.subscribe_dyn(Box::new(subscriber))
    }
}
