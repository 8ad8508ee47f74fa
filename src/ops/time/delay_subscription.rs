//! `delay_subscription`: downstream gets its subscription at once; upstream
//! is subscribed `delay` later, on the worker.
//!
//! Demand: requested meanwhile is added up and passed on when upstream
//! arrives (an [`Arbiter`], which also passes on a `request(0)` for
//! upstream to answer, §3.9); then one for one. The timer emits
//! nothing, so it never needs demand. Threads: upstream is subscribed on the
//! worker's thread, and signals from wherever it signals.
//!
//! # Implementation notes
//!
//! No atomics: the downstream subscriber moves into the timer's closure,
//! and from there into the subscriber handed upstream, so it is in one
//! place at a time. `state` (a mutex) holds the timer's handle and whether
//! downstream cancelled.
//!
//! ## Races considered
//! 1. A cancel vs the timer firing: whoever locks `state` first wins. A
//!    cancel first: the timer's closure finds `cancelled` and drops the
//!    subscriber unsignalled (§3.13); the handle is cancelled, which drops
//!    it at once if it has not started. The timer first: the cancel goes
//!    upstream through the arbiter (cancelled on arrival if upstream is
//!    not there yet).
//! 2. The scheduler disposed while the timer waits: the closure is dropped
//!    unrun, and its guard, which owns the subscriber, signals the
//!    rejection (kind `Rejected`) unless downstream had cancelled: never a
//!    hang.

use core::fmt;
use core::marker::PhantomData;
use std::time::Duration;

use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::scheduler::{Scheduler, TaskHandle, Worker};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`delay_subscription`](crate::PublisherExt::delay_subscription)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct DelaySubscription<P> {
    upstream: Arc<P>,
    delay: Duration,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: fmt::Debug> fmt::Debug for DelaySubscription<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DelaySubscription")
            .field("upstream", &self.upstream)
            .field("delay", &self.delay)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P> Clone for DelaySubscription<P> {
    fn clone(&self) -> Self {
        DelaySubscription {
            upstream: Arc::clone(&self.upstream),
            delay: self.delay,
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P> DelaySubscription<P> {
    pub(crate) fn new(upstream: P, delay: Duration, scheduler: Arc<dyn Scheduler>) -> Self {
        DelaySubscription {
            upstream: Arc::new(upstream),
            delay,
            scheduler,
        }
    }
}

impl<P: Publisher + 'static> Publisher for DelaySubscription<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let shared = Arc::new(Delayed {
            upstream: Arbiter::new(),
            state: Mutex::new(State {
                handle: None,
                cancelled: false,
            }),
            worker: self.scheduler.worker(),
        });
        subscriber.on_subscribe(Arc::clone(&shared) as Arc<dyn Subscription>);
        if shared.state.lock().cancelled {
            return; // cancelled inside on_subscribe (§3.13)
        }
        let guard = Pending {
            subscriber: Some(subscriber),
            shared: Arc::clone(&shared),
            _item: PhantomData,
        };
        let upstream = Arc::clone(&self.upstream);
        // On a refusal the guard, dropped unrun, has signalled it.
        if let Ok(handle) = shared
            .worker
            .schedule_after(self.delay, move || guard.fire(&*upstream))
        {
            let mut state = shared.state.lock();
            if state.cancelled {
                drop(state);
                handle.cancel(); // race 1: cancelled meanwhile
            } else {
                state.handle = Some(handle);
            }
        }
    }
}

/// What the subscription, the timer and upstream's subscriber share.
struct Delayed {
    /// Demand (and a `request(0)`, §3.9) waits here for upstream.
    upstream: Arbiter,
    state: Mutex<State>,
    worker: Worker,
}

struct State {
    handle: Option<TaskHandle>,
    cancelled: bool,
}

impl Subscription for Delayed {
    fn request(&self, n: u64) {
        self.upstream.request(n);
    }

    fn cancel(&self) {
        let handle = {
            let mut state = self.state.lock();
            state.cancelled = true;
            state.handle.take()
        };
        if let Some(handle) = handle {
            handle.cancel(); // drops the subscriber, if not started (§3.13)
        }
        self.worker.dispose();
        self.upstream.cancel();
    }
}

impl fmt::Debug for Delayed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delayed")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

/// The timer's closure: owns the subscriber until upstream is subscribed.
struct Pending<S: Subscriber<T>, T> {
    subscriber: Option<S>,
    shared: Arc<Delayed>,
    _item: PhantomData<fn(T)>,
}

impl<S: Subscriber<T> + 'static, T: Send + 'static> Pending<S, T> {
    fn fire<P: Publisher<Item = T>>(mut self, upstream: &P) {
        let go = {
            let mut state = self.shared.state.lock();
            state.handle = None;
            !state.cancelled
        };
        // Nothing else will run on it (race 1 decided).
        self.shared.worker.dispose();
        if !go {
            return; // Drop drops the subscriber unsignalled
        }
        if let Some(subscriber) = self.subscriber.take() {
            upstream.subscribe(DelayedSubscriber {
                downstream: subscriber,
                shared: Arc::clone(&self.shared),
            });
        }
    }
}

impl<S: Subscriber<T>, T> Drop for Pending<S, T> {
    fn drop(&mut self) {
        let Some(mut subscriber) = self.subscriber.take() else {
            return;
        };
        if self.shared.state.lock().cancelled {
            return; // §3.13: dropped unsignalled
        }
        // Race 2: the scheduler dropped the timer, or refused it.
        if let Some(rejected) = self.shared.worker.rejection() {
            subscriber.on_error(Error::from(rejected));
        }
    }
}

/// The subscriber handed upstream: sets the deferred slot, passes the rest.
struct DelayedSubscriber<S> {
    downstream: S,
    shared: Arc<Delayed>,
}

impl<T, S: Subscriber<T>> Subscriber<T> for DelayedSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.shared.upstream.set(&subscription);
    }

    fn on_next(&mut self, item: T) {
        self.downstream.on_next(item);
    }

    fn try_on_next(&mut self, item: T) -> bool {
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.shared.upstream.clear();
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.shared.upstream.clear();
        self.downstream.on_complete();
    }
}
