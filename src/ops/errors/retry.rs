//! `retry`: subscribes to the source again when it fails, at most `n` times.
//!
//! Each attempt is a new subscription to the same publisher (a cold source
//! starts over, so items of a failed attempt may come again). The subscriber
//! sees one `on_subscribe` and one stream: the items of every attempt, then
//! the end of the first attempt that completes, or the error of the last one
//! allowed.
//!
//! Demand: requests go to the current attempt. Demand that a failed attempt
//! did not serve carries over to the next one, which is asked for it as soon
//! as it is subscribed (see `arbiter.rs`). Threads: a new attempt is
//! subscribed on the thread that delivered the failure.
//!
//! # Implementation notes
//!
//! ## State
//! `arbiter: Arbiter`: the downstream's subscription; demand carried over,
//! the current attempt's subscription, `cancelled` (`arbiter.rs`).
//! `parked: Mutex<Option<Parked<S>>>`: the downstream subscriber and the
//! retries left, between a failure and the next subscription.
//! `trampoline: Drain<()>`: a work-in-progress counter for resubscribing.
//!
//! ## Field access rules
//! 1. The downstream subscriber is owned by the subscriber of the current
//!    attempt, which moves it into `parked` when its upstream fails; the
//!    trampoline's drainer moves it out into the next attempt's subscriber.
//!    It is never in two places, so signals to it are serial (§1.3): each
//!    attempt's signals end with the `on_error` that parks it, and the next
//!    attempt is subscribed after that.
//! 2. Only the trampoline's drainer calls `source.subscribe`.
//!
//! ## Races considered
//! 1. A source that fails synchronously, inside `subscribe`: the failure
//!    parks the subscriber and tries to enter the trampoline, which the
//!    outer `resubscribe` still holds; it only bumps the counter, and the
//!    outer loop subscribes again when `subscribe` has returned. The stack
//!    stays one `subscribe` deep however many attempts fail (Reactor's
//!    `FluxRetry.resubscribe`), which `fails_synchronously_many_times_
//!    without_growing_the_stack` checks with a million attempts.
//! 2. `cancel` while the subscriber is parked: the trampoline checks
//!    `cancelled` before subscribing and drops the subscriber instead
//!    (§3.13); an attempt subscribed after the cancel is cancelled by the
//!    arbiter when it arrives.
//! 3. `request` vs a new attempt: see `arbiter.rs`, race 1.

use core::fmt;

use crate::drain::Drain;
use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`retry`](crate::PublisherExt::retry) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Retry<P> {
    source: Arc<P>,
    times: u64,
}

impl<P: fmt::Debug> fmt::Debug for Retry<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retry")
            .field("source", &self.source)
            .field("times", &self.times)
            .finish()
    }
}

impl<P> Clone for Retry<P> {
    fn clone(&self) -> Self {
        Retry {
            source: Arc::clone(&self.source),
            times: self.times,
        }
    }
}

impl<P> Retry<P> {
    pub(crate) fn new(source: P, times: u64) -> Self {
        Retry {
            source: Arc::new(source),
            times,
        }
    }
}

impl<P> Publisher for Retry<P>
where
    P: Publisher + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let inner = Arc::new(RetryInner {
            arbiter: Arc::new(Arbiter::new()),
            source: Arc::clone(&self.source),
            parked: Mutex::new(None),
            trampoline: Drain::new(()),
        });
        // The downstream gets the arbiter once, before the first attempt; a
        // request made inside waits there for the first upstream.
        subscriber.on_subscribe(Arc::clone(&inner.arbiter) as Arc<dyn Subscription>);
        inner.park(Parked {
            downstream: subscriber,
            remaining: self.times,
        });
        inner.resubscribe();
    }
}

/// The state of one downstream subscription, shared by its attempts.
struct RetryInner<P, S> {
    arbiter: Arc<Arbiter>,
    source: Arc<P>,
    parked: Mutex<Option<Parked<S>>>,
    trampoline: Drain<()>,
}

/// The downstream subscriber between two attempts.
struct Parked<S> {
    downstream: S,
    remaining: u64,
}

impl<P, S> RetryInner<P, S>
where
    P: Publisher + 'static,
    S: Subscriber<P::Item> + 'static,
{
    fn park(&self, parked: Parked<S>) {
        let previous = self.parked.lock().replace(parked);
        debug_assert!(previous.is_none(), "one attempt at a time");
    }

    /// Subscribes the parked subscriber to the source, on a trampoline: a
    /// failure inside `subscribe` parks it again and leaves the next attempt
    /// to this loop (race 1).
    fn resubscribe(self: &Arc<Self>) {
        let Some(mut entered) = self.trampoline.try_enter() else {
            return; // the drainer up the stack subscribes when we return
        };
        loop {
            let parked = self.parked.lock().take();
            if let Some(parked) = parked {
                if self.arbiter.is_cancelled() {
                    drop(parked); // race 2, §3.13
                } else {
                    self.source.subscribe(RetrySubscriber {
                        inner: Arc::clone(self),
                        downstream: Some(parked.downstream),
                        remaining: parked.remaining,
                        emitted: 0,
                        subscribed: false,
                    });
                }
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }
}

/// `retry`'s subscriber to one attempt.
struct RetrySubscriber<P, S> {
    inner: Arc<RetryInner<P, S>>,
    /// `None` once this attempt has ended.
    downstream: Option<S>,
    remaining: u64,
    /// Items the downstream accepted from this attempt.
    emitted: u64,
    subscribed: bool,
}

impl<P, S> Subscriber<P::Item> for RetrySubscriber<P, S>
where
    P: Publisher + 'static,
    S: Subscriber<P::Item> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.inner.arbiter.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: P::Item) {
        if let Some(downstream) = &mut self.downstream {
            self.emitted += 1;
            downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: P::Item) -> bool {
        match &mut self.downstream {
            Some(downstream) => {
                let accepted = downstream.try_on_next(item);
                self.emitted += u64::from(accepted);
                accepted
            }
            None => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        let Some(mut downstream) = self.downstream.take() else {
            return;
        };
        let arbiter = &self.inner.arbiter;
        if arbiter.is_cancelled() {
            return; // §3.13: dropped; the error raced the cancel
        }
        if self.remaining == 0 || arbiter.is_zero_requested() {
            // Out of retries, or the §3.9 answer to a request(0).
            arbiter.clear(); // §2.4: the upstream is finished
            downstream.on_error(error);
            return;
        }
        if let Err(overflow) = arbiter.switch_off(self.emitted) {
            // The source broke §1.1: fail rather than retry.
            return downstream.on_error(overflow);
        }
        self.inner.park(Parked {
            downstream,
            remaining: self.remaining - 1,
        });
        self.inner.resubscribe();
    }

    fn on_complete(&mut self) {
        if let Some(mut downstream) = self.downstream.take() {
            self.inner.arbiter.clear(); // §2.4: the upstream is finished
            downstream.on_complete();
        }
    }
}
