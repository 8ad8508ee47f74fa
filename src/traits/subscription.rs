//! The `Subscription` trait: the channel for demand and cancellation.

use crate::sync::Arc;

/// The link between one [`Subscriber`](crate::Subscriber) and the
/// [`Publisher`](crate::Publisher) it subscribed to: the subscriber signals
/// demand through [`request`](Subscription::request) and ends the stream early
/// through [`cancel`](Subscription::cancel).
///
/// `Subscription` is to a push stream what `Iterator::next` is to a pull one:
/// nothing flows until it is asked for, and `request(n)` asks for `n` items at
/// once, so that a slow consumer slows its producer.
///
/// Both methods take `&self` and the trait is `Send + Sync`: a subscription is
/// handed out as an `Arc<dyn Subscription>` and may be called from any thread,
/// and from inside the subscriber's own signals (§3.2).
///
/// # Reactive Streams rules
///
/// An implementation must hold these:
///
/// - §3.2, §3.3: `request` may be called from inside `on_next` and
///   `on_subscribe`; the recursion between them must be bounded (this crate's
///   sources only record the demand when called re-entrantly, so the depth is 1).
/// - §3.6, §3.7: after `cancel`, further `request` and `cancel` calls do nothing.
/// - §3.8: `request(n)` adds `n` to the outstanding demand.
/// - §3.9: `request(0)` is a violation by the subscriber; the publisher answers
///   it with `on_error` carrying an [`Error`](crate::Error) whose
///   [`rule`](crate::Error::rule) is [`Rule::NON_POSITIVE_REQUEST`](crate::Rule::NON_POSITIVE_REQUEST).
///   Zero is representable on purpose (demand is a plain `u64`, not a
///   `NonZeroU64`), so that the rule stays testable; it is never a panic.
/// - §3.12, §3.13: after `cancel` the publisher eventually stops signalling and
///   drops every reference to the subscriber.
/// - §3.17: demand up to 2^63 - 1 in total must be supported; demand that adds
///   up to [`UNBOUNDED`](crate::UNBOUNDED) (2^63 - 1) or more means "no limit".
///   Sums saturate; they never overflow into an error.
/// - §3.4, §3.5, §3.15, §3.16: both methods return quickly and never panic.
///
/// # Misuse
///
/// Calling `request` after `cancel` is harmless. An implementation that panics
/// inside `request` breaks §3.16; the caller's thread then unwinds, which is
/// never undefined behaviour but may leave the stream stalled.
///
/// # Examples
///
/// A subscription that only counts what it is asked for:
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use reactive_streams::Subscription;
///
/// #[derive(Default)]
/// struct Counting(AtomicU64);
///
/// impl Subscription for Counting {
///     fn request(&self, n: u64) {
///         self.0.fetch_add(n, Ordering::Relaxed);
///     }
///     fn cancel(&self) {}
/// }
///
/// let s = Counting::default();
/// s.request(3);
/// s.request(4);
/// assert_eq!(s.0.load(Ordering::Relaxed), 7);
/// ```
pub trait Subscription: Send + Sync {
    /// Asks for `n` more items (§3.8).
    ///
    /// `n == 0` is answered with `on_error` naming §3.9. Demand saturates at
    /// [`UNBOUNDED`](crate::UNBOUNDED) (§3.17).
    fn request(&self, n: u64);

    /// Asks the publisher to stop signalling and to drop its references to the
    /// subscriber (§3.12, §3.13). Idempotent (§3.7) and callable from any
    /// thread (§3.5).
    fn cancel(&self);
}

impl<S: Subscription + ?Sized> Subscription for Arc<S> {
    fn request(&self, n: u64) {
        (**self).request(n)
    }

    fn cancel(&self) {
        (**self).cancel()
    }
}

impl<S: Subscription + ?Sized> Subscription for Box<S> {
    fn request(&self, n: u64) {
        (**self).request(n)
    }

    fn cancel(&self) {
        (**self).cancel()
    }
}

/// Lets types that hold an `Arc<dyn Subscription>` derive `Debug`.
impl core::fmt::Debug for dyn Subscription {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("dyn Subscription")
    }
}
