//! The subscriber of `timestamp` and `elapsed`: each item goes out paired
//! with a reading of the scheduler's clock ([`Clock`] says which), one for
//! one, on the thread that signals. No timer, nothing held.
//!
//! `stamp_operator!` writes the publisher type each of the two operator
//! files exports.

use std::time::{Duration, Instant};

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::scheduler::Scheduler;
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// What an item is stamped with.
pub(crate) trait Clock: Send + 'static {
    /// The stamp.
    type Stamp: Send + 'static;

    /// The stream starts, at `now` (upstream's `on_subscribe`).
    fn start(&mut self, now: Instant);

    /// The stamp of an item arriving at `now`.
    fn stamp(&mut self, now: Instant) -> Self::Stamp;
}

/// The instant of arrival.
#[derive(Debug, Default)]
pub(crate) struct Instants;

impl Clock for Instants {
    type Stamp = Instant;

    fn start(&mut self, _now: Instant) {}

    fn stamp(&mut self, now: Instant) -> Instant {
        now
    }
}

/// The time since the item before (the first: since subscription).
#[derive(Debug, Default)]
pub(crate) struct Gaps {
    last: Option<Instant>,
}

impl Clock for Gaps {
    type Stamp = Duration;

    fn start(&mut self, now: Instant) {
        self.last = Some(now);
    }

    fn stamp(&mut self, now: Instant) -> Duration {
        let gap = self
            .last
            .map_or(Duration::ZERO, |last| now.saturating_duration_since(last));
        self.last = Some(now);
        gap
    }
}

/// Pairs each item with its stamp.
pub(crate) struct StampSubscriber<S, C> {
    relay: Relay<S>,
    clock: C,
    scheduler: Arc<dyn Scheduler>,
}

impl<S, C> StampSubscriber<S, C> {
    pub(crate) fn new(downstream: S, clock: C, scheduler: Arc<dyn Scheduler>) -> Self {
        StampSubscriber {
            relay: Relay::new(downstream),
            clock,
            scheduler,
        }
    }
}

impl<T, S, C> Subscriber<T> for StampSubscriber<S, C>
where
    C: Clock,
    S: Subscriber<(C::Stamp, T)>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.clock.start(self.scheduler.now());
        self.relay.on_subscribe(subscription);
    }

    fn on_next(&mut self, item: T) {
        if !self.relay.is_done() {
            let stamp = self.clock.stamp(self.scheduler.now());
            self.relay.downstream.on_next((stamp, item));
        }
    }

    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true;
        }
        let stamp = self.clock.stamp(self.scheduler.now());
        self.relay.downstream.try_on_next((stamp, item))
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}

/// The publisher type `$name`, whose items are `($stamp, T)` stamped by
/// `$clock`.
macro_rules! stamp_operator {
    ($(#[$doc:meta])* $name:ident, $clock:ty, $stamp:ty) => {
        $(#[$doc])*
        #[must_use = "publishers do nothing until subscribed"]
        pub struct $name<P> {
            upstream: P,
            scheduler: $crate::sync::Arc<dyn $crate::scheduler::Scheduler>,
        }

        impl<P: core::fmt::Debug> core::fmt::Debug for $name<P> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("upstream", &self.upstream)
                    .field("scheduler", &self.scheduler)
                    .finish()
            }
        }

        impl<P: Clone> Clone for $name<P> {
            fn clone(&self) -> Self {
                $name {
                    upstream: self.upstream.clone(),
                    scheduler: $crate::sync::Arc::clone(&self.scheduler),
                }
            }
        }

        impl<P> $name<P> {
            pub(crate) fn new(
                upstream: P,
                scheduler: $crate::sync::Arc<dyn $crate::scheduler::Scheduler>,
            ) -> Self {
                $name {
                    upstream,
                    scheduler,
                }
            }
        }

        impl<P: $crate::traits::Publisher> $crate::traits::Publisher for $name<P> {
            type Item = ($stamp, P::Item);

            fn subscribe<S>(&self, subscriber: S)
            where
                S: $crate::traits::Subscriber<($stamp, P::Item)> + 'static,
            {
                self.upstream
                    .subscribe($crate::ops::support::stamp::StampSubscriber::new(
                        subscriber,
                        <$clock>::default(),
                        $crate::sync::Arc::clone(&self.scheduler),
                    ));
            }
        }
    };
}
pub(crate) use stamp_operator;
