//! The part every synchronous operator's subscriber shares: the downstream,
//! the upstream subscription, and the rule that nothing follows a terminal
//! signal.

use crate::error::Error;
use crate::ops::upstream::Upstream;
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// The downstream subscriber of an operator, with the upstream subscription
/// and a `done` flag.
///
/// An operator's subscriber holds a `Relay` and its own closure or state; the
/// `Relay` passes the subscription and terminal signals through (at most
/// once, §1.7), and turns a failure of the operator's own code into `cancel`
/// upstream plus `on_error` downstream.
#[derive(Debug)]
pub(crate) struct Relay<S> {
    pub(crate) downstream: S,
    upstream: Upstream,
    done: bool,
}

impl<S> Relay<S> {
    /// A relay to `downstream`, before `on_subscribe`.
    pub(crate) const fn new(downstream: S) -> Self {
        Relay {
            downstream,
            upstream: Upstream::new(),
            done: false,
        }
    }

    /// True once a terminal signal went downstream: later items are ignored
    /// (§2.8 from our side: they may still arrive after our own cancel).
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// Keeps the subscription and hands it downstream; a second one is
    /// cancelled instead (§2.5).
    pub(crate) fn on_subscribe<T>(&mut self, subscription: Arc<dyn Subscription>)
    where
        S: Subscriber<T>,
    {
        if self.upstream.set(&subscription) {
            self.downstream.on_subscribe(subscription);
        }
    }

    /// Keeps the subscription, like [`on_subscribe`](Relay::on_subscribe),
    /// but hands downstream the subscription `wrap` makes of it instead: for
    /// operators that change demand on its way upstream (`buffer`) or watch
    /// it (`do_on_request`). A second subscription is cancelled (§2.5).
    pub(crate) fn on_subscribe_wrapped<T>(
        &mut self,
        subscription: Arc<dyn Subscription>,
        wrap: impl FnOnce(Arc<dyn Subscription>) -> Arc<dyn Subscription>,
    ) where
        S: Subscriber<T>,
    {
        if self.upstream.set(&subscription) {
            self.downstream.on_subscribe(wrap(subscription));
        }
    }

    /// Requests `n` more from upstream.
    #[inline]
    pub(crate) fn request(&self, n: u64) {
        self.upstream.request(n);
    }

    /// Upstream failed: pass it on, once.
    pub(crate) fn on_error<T>(&mut self, error: Error)
    where
        S: Subscriber<T>,
    {
        if !self.done {
            self.done = true;
            self.upstream.clear();
            self.downstream.on_error(error);
        }
    }

    /// Upstream completed: pass it on, once.
    pub(crate) fn on_complete<T>(&mut self)
    where
        S: Subscriber<T>,
    {
        if !self.done {
            self.done = true;
            self.upstream.clear();
            self.downstream.on_complete();
        }
    }

    /// The operator itself failed (a user closure panicked): cancel upstream,
    /// then signal the error downstream. Nothing follows.
    #[cold]
    pub(crate) fn fail<T>(&mut self, error: Error)
    where
        S: Subscriber<T>,
    {
        if !self.done {
            self.done = true;
            self.upstream.cancel();
            self.downstream.on_error(error);
        }
    }
}
