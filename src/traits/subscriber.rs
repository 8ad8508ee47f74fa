//! The `Subscriber` trait: the receiving end of a stream.

use crate::error::Error;
use crate::sync::Arc;
use crate::traits::fused::Fused;
use crate::traits::Subscription;

/// The receiving end of a stream: it gets one `on_subscribe`, then up to the
/// requested number of `on_next`, then at most one of `on_error` or
/// `on_complete`.
///
/// `Subscriber` is to `Publisher` what a `for` loop body is to an `Iterator`,
/// except that it is called back, and decides through its
/// [`Subscription`] how much may arrive.
///
/// Signals take `&mut self`: a publisher owns the subscriber it was given, and
/// only the one party that currently emits touches it, so the serial-signals
/// rule (§1.3) is what ownership already says. `on_next` is monomorphized
/// through operator chains; the subscription arrives as an
/// `Arc<dyn Subscription>`, one indirect call per batch of demand.
///
/// # Reactive Streams rules
///
/// - §1.9: `on_subscribe` comes first, exactly once.
/// - §1.1, §2.1: `on_next` is signalled only within the demand the subscriber
///   requested. This crate's subscribers treat an excess item as an overflow
///   error rather than buffer it without bound.
/// - §1.7: nothing follows `on_error` or `on_complete`.
/// - §2.3: `on_error` and `on_complete` must not call the subscription.
/// - §2.5: a second `on_subscribe` must be answered by cancelling the new
///   subscription.
/// - §2.8: items may still arrive after `cancel`, up to the demand that was
///   outstanding; a subscriber must accept them.
/// - §2.9, §2.10: `on_complete` and `on_error` may arrive without any prior
///   `request`.
/// - §2.13: the methods return normally. A null argument, which §2.13 also
///   covers, cannot be expressed in Rust.
///
/// # Misuse
///
/// A subscriber that panics inside a signal breaks §2.13. The panic unwinds
/// into whoever was emitting (the caller of `request` or `subscribe`); it is
/// never undefined behaviour, but the stream may stop without a terminal signal.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::{source, Error, Publisher, Subscriber, Subscription};
///
/// struct Sum {
///     total: u64,
///     report: std::sync::mpsc::Sender<u64>,
/// }
///
/// impl Subscriber<u64> for Sum {
///     fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
///         subscription.request(reactive_streams::UNBOUNDED);
///     }
///     fn on_next(&mut self, item: u64) {
///         self.total += item;
///     }
///     fn on_error(&mut self, _error: Error) {}
///     fn on_complete(&mut self) {
///         self.report.send(self.total).unwrap();
///     }
/// }
///
/// let (tx, rx) = std::sync::mpsc::channel();
/// source::range(1..11u64).subscribe(Sum { total: 0, report: tx });
/// assert_eq!(rx.recv().unwrap(), 55);
/// ```
pub trait Subscriber<T>: Send {
    /// The first signal: the subscription through which to request items
    /// (§1.9). A subscriber that already has one must cancel the new one (§2.5).
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>);

    /// The next item, sent only within requested demand (§1.1).
    fn on_next(&mut self, item: T);

    /// Delivers `item` like [`on_next`](Subscriber::on_next), and says whether
    /// it counts against the demand: `false` means the subscriber dropped it
    /// (a filter that rejected it) and wants another in its place.
    ///
    /// A synchronous publisher that calls `try_on_next` instead of `on_next`
    /// does not count a rejected item as emitted and pulls the next one at
    /// once, so a dropping stage costs no `request(1)` round trip per dropped
    /// item (Reactor's "conditional subscriber"). Publishers that call
    /// `on_next` stay correct: a dropping stage then requests a replacement
    /// itself. The default delivers through `on_next` and returns `true`;
    /// only stages that drop items override it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams::{source, Error, Publisher, Subscriber, Subscription};
    ///
    /// /// Keeps even numbers; rejected odd ones cost the source no request.
    /// struct Evens(Vec<u32>, std::sync::mpsc::Sender<Vec<u32>>);
    ///
    /// impl Subscriber<u32> for Evens {
    ///     fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
    ///         s.request(3); // three *even* numbers
    ///     }
    ///     fn on_next(&mut self, item: u32) {
    ///         self.try_on_next(item);
    ///     }
    ///     fn try_on_next(&mut self, item: u32) -> bool {
    ///         let keep = item % 2 == 0;
    ///         if keep {
    ///             self.0.push(item);
    ///             if self.0.len() == 3 {
    ///                 self.1.send(self.0.clone()).unwrap();
    ///             }
    ///         }
    ///         keep
    ///     }
    ///     fn on_error(&mut self, _: Error) {}
    ///     fn on_complete(&mut self) {}
    /// }
    ///
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// source::range(1..100u32).subscribe(Evens(Vec::new(), tx));
    /// assert_eq!(rx.recv().unwrap(), [2, 4, 6]);
    /// ```
    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.on_next(item);
        true
    }

    /// Delivers `item` like [`try_on_next`](Subscriber::try_on_next), from a
    /// caller that stops at once: this crate's synchronous source engine.
    ///
    /// Only this crate can call or override it: [`Fused`] cannot be named or
    /// built outside the crate. The engine checks for `cancel` before every
    /// item and sends nothing after a terminal signal, so an operator reached
    /// through this method may skip its own "already terminated" check,
    /// provided it only ever terminates inside a signal, on the emitting
    /// thread, and cancels its upstream before it returns. `map`, `filter` and
    /// `filter_map` do; everything else keeps the
    /// default, which is `try_on_next` with all its checks. In a chain of such
    /// operators the source's one cancel check then guards the whole chain
    /// (Reactor calls this fusion).
    ///
    /// # Examples
    ///
    /// Nothing to call from outside the crate; a subscriber gets it by
    /// default:
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// // range's engine calls `try_on_next_fused`; map and filter pass it
    /// // on; TestSubscriber's default turns it into `try_on_next`.
    /// source::range(0..6u32).map(|x| x * 3).filter(|x| x % 2 == 0).subscribe(ts.clone());
    /// ts.assert_values(&[0, 6, 12]).assert_complete();
    /// ```
    #[doc(hidden)]
    #[inline]
    fn try_on_next_fused(&mut self, item: T, _: Fused) -> bool {
        self.try_on_next(item)
    }

    /// The stream failed; nothing follows (§1.7). May arrive without a prior
    /// request (§2.10). Must not call the subscription (§2.3).
    fn on_error(&mut self, error: Error);

    /// The stream ended; nothing follows (§1.7). May arrive without a prior
    /// request (§2.9). Must not call the subscription (§2.3).
    fn on_complete(&mut self);
}

/// A subscriber behind a box: the dynamic form, for collections of
/// subscribers of different types and for [`DynPublisher`](crate::DynPublisher).
///
/// # Examples
///
/// ```
/// use reactive_streams::{BoxSubscriber, TestSubscriber};
///
/// let ts = TestSubscriber::<u32>::unbounded();
/// let boxed: BoxSubscriber<u32> = Box::new(ts.clone());
/// # drop(boxed);
/// ```
pub type BoxSubscriber<T> = Box<dyn Subscriber<T>>;

impl<T, S: Subscriber<T> + ?Sized> Subscriber<T> for Box<S> {
    #[inline]
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        (**self).on_subscribe(subscription)
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        (**self).on_next(item)
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        (**self).try_on_next(item)
    }

    #[inline]
    fn try_on_next_fused(&mut self, item: T, fused: Fused) -> bool {
        (**self).try_on_next_fused(item, fused)
    }

    #[inline]
    fn on_error(&mut self, error: Error) {
        (**self).on_error(error)
    }

    #[inline]
    fn on_complete(&mut self) {
        (**self).on_complete()
    }
}

/// Lets types that hold a `BoxSubscriber<T>` derive `Debug`.
impl<T> core::fmt::Debug for dyn Subscriber<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("dyn Subscriber")
    }
}
