//! `throttle_first`: an item passes, then the items of the next `window`
//! are dropped; the first item after the window passes and opens the next.
//!
//! A filter whose predicate reads the scheduler's clock: no timer is ever
//! armed, nothing is held, and so nothing can fall due without demand.
//! Demand: one for one for passed items; a dropped item costs no request
//! when upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next) (every synchronous source
//! and operator of this crate does), and a `request(1)` otherwise. Threads:
//! runs on the thread that signals.

use core::fmt;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::scheduler::{Scheduler, MAX_DELAY};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`throttle_first`](crate::PublisherExt::throttle_first)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct ThrottleFirst<P> {
    upstream: P,
    window: Duration,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: fmt::Debug> fmt::Debug for ThrottleFirst<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrottleFirst")
            .field("upstream", &self.upstream)
            .field("window", &self.window)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P: Clone> Clone for ThrottleFirst<P> {
    fn clone(&self) -> Self {
        ThrottleFirst {
            upstream: self.upstream.clone(),
            window: self.window,
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P> ThrottleFirst<P> {
    pub(crate) fn new(upstream: P, window: Duration, scheduler: Arc<dyn Scheduler>) -> Self {
        ThrottleFirst {
            upstream,
            window: window.min(MAX_DELAY),
            scheduler,
        }
    }
}

impl<P: Publisher> Publisher for ThrottleFirst<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(ThrottleFirstSubscriber {
            relay: Relay::new(subscriber),
            window: self.window,
            scheduler: Arc::clone(&self.scheduler),
            open_at: None,
        });
    }
}

/// `throttle_first`'s subscriber.
pub(crate) struct ThrottleFirstSubscriber<S> {
    relay: Relay<S>,
    window: Duration,
    scheduler: Arc<dyn Scheduler>,
    /// When the window in force ends; `None` before the first item.
    open_at: Option<Instant>,
}

impl<S> ThrottleFirstSubscriber<S> {
    /// True when an item arriving now passes (and opens a window).
    fn admit(&mut self) -> bool {
        let now = self.scheduler.now();
        if self.open_at.is_some_and(|open_at| now < open_at) {
            return false;
        }
        self.open_at = Some(now.checked_add(self.window).unwrap_or(now));
        true
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for ThrottleFirstSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    fn on_next(&mut self, item: T) {
        if !self.try_on_next(item) {
            self.relay.request(1); // replace the dropped item
        }
    }

    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true;
        }
        if self.admit() {
            self.relay.downstream.try_on_next(item)
        } else {
            false
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
