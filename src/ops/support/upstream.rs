//! The upstream side of an operator's subscriber: the subscription it was
//! handed, §2.5, and cancellation.

use crate::sync::Arc;
use crate::traits::Subscription;

/// The subscription an operator's subscriber received from upstream.
///
/// Operators that do not change demand pass the very same subscription on
/// downstream (no wrapping, no cost per request) and keep a clone here, so
/// that they can cancel upstream themselves: when a user closure panics, or
/// when the operator is done early (`take`).
#[derive(Debug, Default)]
pub(crate) struct Upstream {
    subscription: Option<Arc<dyn Subscription>>,
}

impl Upstream {
    /// No subscription yet.
    pub(crate) const fn new() -> Self {
        Upstream { subscription: None }
    }

    /// Keeps `subscription`, or cancels it if one was kept already (§2.5).
    /// Returns true when it was kept.
    #[must_use = "a duplicate subscription must not be passed downstream"]
    pub(crate) fn set(&mut self, subscription: &Arc<dyn Subscription>) -> bool {
        if self.subscription.is_some() {
            subscription.cancel(); // §2.5
            false
        } else {
            self.subscription = Some(Arc::clone(subscription));
            true
        }
    }

    /// Requests `n` more from upstream, if subscribed and not cancelled.
    #[inline]
    pub(crate) fn request(&self, n: u64) {
        if let Some(subscription) = &self.subscription {
            subscription.request(n);
        }
    }

    /// Cancels upstream and forgets the subscription (§3.13 on our side:
    /// nothing keeps the upstream alive after this).
    pub(crate) fn cancel(&mut self) {
        if let Some(subscription) = self.subscription.take() {
            subscription.cancel();
        }
    }

    /// Forgets the subscription without cancelling it: after a terminal
    /// signal from upstream, which counts as cancelled already (§2.4).
    pub(crate) fn clear(&mut self) {
        self.subscription = None;
    }
}
