//! The store of `debounce`, `sample` and `throttle_last`: upstream is asked
//! for everything, the latest item waits in `pending`, and a timer makes it
//! due; the three differ only in when the timer runs ([`Trigger`]). The
//! engine (`timed.rs`) delivers the due item within demand, or applies the
//! [`NoDemand`] choice (`due.rs`).
//!
//! `latest_operator!` writes the publisher type each of the three operator
//! files exports, so that they share one body.

use std::time::{Duration, Instant};

use crate::author::UNBOUNDED;
use crate::ops::support::due::DueSlot;
use crate::ops::support::timed::{Effects, TimedStore, TimerCmd};
use crate::ops::NoDemand;

/// When the timer of a [`LatestStore`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// The latest goes out once a quiet window has passed since it came.
    /// The timer is not re-armed per item: armed by the first item, it
    /// checks when it fires whether a newer item came meanwhile, and if so
    /// re-arms for the rest of that item's window (one timer per quiet
    /// spell, not one per item; the same instants in virtual time).
    Debounce,
    /// Armed by the first item of a window, not re-armed by later ones: the
    /// latest goes out at the window's end (`throttle_last`).
    Window,
    /// Periodic from subscription, whatever arrives (`sample`).
    Periodic,
}

/// The latest item, and the one due.
#[derive(Debug)]
pub(crate) struct LatestStore<T> {
    trigger: Trigger,
    window: Duration,
    pending: Option<T>,
    /// When `pending` came (`Debounce`).
    pending_at: Option<Instant>,
    armed: bool,
    due: DueSlot<T>,
    requested: bool,
}

impl<T> LatestStore<T> {
    pub(crate) fn new(
        trigger: Trigger,
        window: Duration,
        policy: NoDemand,
        operator: &'static str,
    ) -> Self {
        LatestStore {
            trigger,
            window,
            pending: None,
            pending_at: None,
            armed: false,
            due: DueSlot::new(policy, operator),
            requested: false,
        }
    }
}

impl<T: Send + 'static> TimedStore for LatestStore<T> {
    type In = T;
    type Out = T;
    type Junk = T;

    fn start(&mut self, _now: Instant, fx: &mut Effects<T>) {
        if self.trigger == Trigger::Periodic {
            fx.timer(TimerCmd::Periodic {
                initial: self.window,
                period: self.window,
            });
        }
    }

    fn on_next(&mut self, item: T, now: Instant, fx: &mut Effects<T>) {
        if let Some(replaced) = self.pending.replace(item) {
            fx.drop_later(replaced);
        }
        self.pending_at = Some(now);
        match self.trigger {
            Trigger::Debounce | Trigger::Window if !self.armed => {
                self.armed = true;
                fx.timer(TimerCmd::Arm(self.window));
            }
            Trigger::Debounce | Trigger::Window | Trigger::Periodic => {}
        }
    }

    fn on_timer(&mut self, now: Instant, fx: &mut Effects<T>) {
        if let (Trigger::Debounce, Some(at)) = (self.trigger, self.pending_at) {
            // A newer item came since the timer was armed: its window ends
            // later. Read under the same lock as `on_next` writes it.
            let quiet_at = at.checked_add(self.window).unwrap_or(at);
            if now < quiet_at {
                fx.timer(TimerCmd::Arm(quiet_at - now));
                return;
            }
        }
        self.armed = false;
        self.pending_at = None;
        if let Some(item) = self.pending.take() {
            self.due.put(item, fx);
        }
    }

    /// The latest item goes out before `on_complete`, with no wait.
    fn on_complete(&mut self, fx: &mut Effects<T>) {
        if let Some(item) = self.pending.take() {
            self.due.put(item, fx);
        }
        fx.timer(TimerCmd::Disarm);
    }

    fn poll(&mut self, has_demand: bool, fx: &mut Effects<T>) -> Option<T> {
        self.due.poll(has_demand, fx)
    }

    fn is_empty(&self) -> bool {
        self.pending.is_none() && self.due.is_empty()
    }

    fn upstream_request(&mut self, _demand: u64) -> u64 {
        if self.requested {
            0
        } else {
            self.requested = true;
            UNBOUNDED
        }
    }
}

/// The publisher type of one of the three operators: `$name` with the
/// method `$method`, its timer run by `$trigger`.
macro_rules! latest_operator {
    ($(#[$doc:meta])* $name:ident, $method:literal, $trigger:expr) => {
        $(#[$doc])*
        #[must_use = "publishers do nothing until subscribed"]
        pub struct $name<P> {
            upstream: P,
            window: std::time::Duration,
            scheduler: $crate::sync::Arc<dyn $crate::scheduler::Scheduler>,
            no_demand: $crate::ops::NoDemand,
        }

        impl<P: core::fmt::Debug> core::fmt::Debug for $name<P> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("upstream", &self.upstream)
                    .field("window", &self.window)
                    .field("scheduler", &self.scheduler)
                    .field("no_demand", &self.no_demand)
                    .finish()
            }
        }

        impl<P: Clone> Clone for $name<P> {
            fn clone(&self) -> Self {
                $name {
                    upstream: self.upstream.clone(),
                    window: self.window,
                    scheduler: $crate::sync::Arc::clone(&self.scheduler),
                    no_demand: self.no_demand,
                }
            }
        }

        impl<P> $name<P> {
            pub(crate) fn new(
                upstream: P,
                window: std::time::Duration,
                scheduler: $crate::sync::Arc<dyn $crate::scheduler::Scheduler>,
            ) -> Self {
                $name {
                    upstream,
                    window,
                    scheduler,
                    no_demand: $crate::ops::NoDemand::default(),
                }
            }

            /// What to do with an item that falls due when downstream has no
            /// demand for it (default [`NoDemand::Error`](crate::ops::NoDemand::Error)).
            ///
            /// # Examples
            ///
            /// See [`NoDemand`](crate::ops::NoDemand).
            pub fn on_no_demand(mut self, choice: $crate::ops::NoDemand) -> Self {
                self.no_demand = choice;
                self
            }
        }

        impl<P: $crate::traits::Publisher> $crate::traits::Publisher for $name<P> {
            type Item = P::Item;

            fn subscribe<S>(&self, subscriber: S)
            where
                S: $crate::traits::Subscriber<P::Item> + 'static,
            {
                let store = $crate::ops::support::latest::LatestStore::new(
                    $trigger,
                    self.window,
                    self.no_demand,
                    $method,
                );
                self.upstream
                    .subscribe($crate::ops::support::timed::TimedSubscriber::new(
                        store,
                        self.scheduler.worker(),
                        subscriber,
                    ));
            }
        }
    };
}
pub(crate) use latest_operator;
