//! The part every synchronous operator's subscriber shares: the downstream,
//! the upstream subscription, and the rule that nothing follows a terminal
//! signal.

use crate::error::Error;
use crate::ops::support::upstream::Upstream;
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

    /// Keeps the subscription without handing it downstream (§2.5: a second
    /// one is cancelled instead). For operators that give downstream a
    /// subscription of their own, because they change the demand (`take`,
    /// `element_at`). Returns true when it was kept.
    #[must_use = "a duplicate subscription must not be passed downstream"]
    pub(crate) fn keep_upstream(&mut self, subscription: &Arc<dyn Subscription>) -> bool {
        self.upstream.set(subscription)
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

    /// The operator has all it needs before upstream ended (`take`,
    /// `take_while`, `first`): cancel upstream, then complete downstream.
    /// Nothing follows.
    pub(crate) fn complete_early<T>(&mut self)
    where
        S: Subscriber<T>,
    {
        if !self.done {
            self.done = true;
            self.upstream.cancel();
            self.downstream.on_complete();
        }
    }

    /// Ends the stream silently: cancel upstream and signal nothing
    /// downstream, for a downstream that cancelled from inside its last
    /// `on_next` (§3.12: once its `cancel` returned, nothing more arrives).
    pub(crate) fn stop(&mut self) {
        if !self.done {
            self.done = true;
            self.upstream.cancel();
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
