//! `throttle_rate`: a token bucket in front of upstream's demand. Downstream
//! requests are passed upstream only as tokens allow; a timer on the
//! scheduler grants the rest as tokens come back. Items are never held or
//! dropped: they pass straight through, on the upstream's thread.
//!
//! Demand: upstream is asked for at most what downstream asked for, at most
//! `burst` at once, and at most `burst + rate × t` in any span `t`; and at
//! most `burst` requested and not yet arrived, so an upstream that was slow
//! cannot bank its grants and flood later. Timer ticks are at least
//! [`MIN_TICK`] apart. Threads: items on the upstream's thread; grants on
//! the requester's thread or the worker's.
//!
//! # Implementation notes
//!
//! ## State
//! `pump: Mutex<Pump>`: the bucket, `wanted` (downstream's demand not yet
//! passed upstream, saturating at `UNBOUNDED`), `granted` (the total passed
//! upstream), `armed` (a timer is scheduled), `ended`.
//! `received: AtomicU64`: items that arrived, written by the upstream's
//! subscriber alone (§1.3), read by a pump to know what is in flight.
//! `failure: Mutex<Option<Error>>`: a refused timer's error, until upstream
//! answers the `request(0)` that reports it.
//! The downstream subscriber is the upstream-facing subscriber's own: every
//! signal to it comes from upstream (§1.3 holds by upstream's), so items
//! pass with no serializer.
//!
//! ## Field access rules
//! * `pump`: under its lock; the request upstream and the timer are made
//!   after unlocking (a synchronous upstream emits inside `request`).
//! * `received`: one writer. A pump that reads an old value sees more in
//!   flight than there is and grants less, never more; the next tick
//!   corrects it.
//!
//! ## Races considered
//! 1. A `request` vs the timer firing: both pump under the lock; the timer
//!    clears `armed` under it before pumping, and a pump arms a timer only
//!    if none is armed and demand is left, under the same lock. So demand
//!    left behind always has a timer, and at most one timer is armed.
//!    Loom: `loom_throttle_rate::a_request_races_the_timer`.
//! 2. Two grants made at once from two threads reach upstream in either
//!    order: demand adds up, so the order does not matter.
//! 3. The end (cancel, error, completion) vs a pump: `ended` is set under
//!    the lock before the worker is disposed; a pump that comes later grants
//!    nothing and arms nothing; a timer armed just before is dropped by the
//!    disposal, and its guard finds the stream ended.
//! 4. Our own failure (a refused timer, on any thread) must reach downstream
//!    in order with the items upstream is sending: it is kept in `failure`
//!    and reported to upstream as a `request(0)`, which upstream must answer
//!    with `on_error` (§3.9), in order with its items; the subscriber then
//!    hands downstream the kept error instead. A downstream `request(0)`
//!    goes upstream the same way, as `map`'s does. (An upstream that broke
//!    §3.9 would leave the stream hanging; the TCK checks every publisher
//!    of this crate for it.)

use core::fmt;
use std::time::Duration;

use crate::author::demand::UNBOUNDED;
use crate::error::Error;
use crate::ops::Rate;
use crate::scheduler::{Scheduler, Worker};
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex, Weak};
use crate::traits::{Publisher, Subscriber, Subscription};

use super::token_bucket::TokenBucket;

/// Grants are never closer than this: a faster rate is reached only with a
/// `burst` of at least `rate × MIN_TICK`.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::MIN_TICK;
/// use std::time::Duration;
///
/// assert_eq!(MIN_TICK, Duration::from_millis(1));
/// ```
pub const MIN_TICK: Duration = Duration::from_millis(1);

/// Publisher for the [`throttle_rate`](crate::PublisherExt::throttle_rate)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct ThrottleRate<P> {
    upstream: P,
    rate: Rate,
    burst: u64,
    scheduler: Arc<dyn Scheduler>,
}

impl<P: fmt::Debug> fmt::Debug for ThrottleRate<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrottleRate")
            .field("upstream", &self.upstream)
            .field("rate", &self.rate)
            .field("burst", &self.burst)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P: Clone> Clone for ThrottleRate<P> {
    fn clone(&self) -> Self {
        ThrottleRate {
            upstream: self.upstream.clone(),
            rate: self.rate,
            burst: self.burst,
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P> ThrottleRate<P> {
    pub(crate) fn new(upstream: P, rate: Rate, burst: u64, scheduler: Arc<dyn Scheduler>) -> Self {
        ThrottleRate {
            upstream,
            rate,
            burst: burst.max(1),
            scheduler,
        }
    }
}

impl<P: Publisher> Publisher for ThrottleRate<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(ThrottleSubscriber {
            downstream: subscriber,
            start: Some((
                TokenBucket::new(self.rate, self.burst),
                self.scheduler.worker(),
            )),
            inner: None,
            received: 0,
        });
    }
}

/// What the pumps share; field access rules in the module docs.
struct Pump {
    bucket: TokenBucket,
    wanted: u64,
    granted: u64,
    armed: bool,
    ended: bool,
}

/// The shared state of one subscription; also the subscription handed
/// downstream.
struct ThrottleInner {
    upstream: Arc<dyn Subscription>,
    worker: Worker,
    burst: u64,
    pump: Mutex<Pump>,
    received: AtomicU64,
    /// Our own failure (a refused timer), waiting for upstream's answer to
    /// the `request(0)` that reports it (race 4).
    failure: Mutex<Option<Error>>,
    /// The `Arc` this lives in: a timer armed from `request` needs one.
    me: Weak<Self>,
}

impl ThrottleInner {
    /// Passes upstream what the bucket and the in-flight cap allow of the
    /// wanted demand; arms a timer for the rest (race 1).
    fn pump(self: &Arc<Self>, more: u64) {
        let now = self.worker.now();
        let (grant, arm) = {
            let mut pump = self.pump.lock();
            if pump.ended {
                return;
            }
            pump.wanted = pump.wanted.saturating_add(more).min(UNBOUNDED);
            // Ordering: Relaxed; one writer, and a stale value only grants
            // less (field access rules).
            let received = self.received.load(Ordering::Relaxed);
            let in_flight = pump.granted.saturating_sub(received);
            let room = self.burst.saturating_sub(in_flight);
            let tokens = pump.bucket.available(now);
            let grant = pump.wanted.min(tokens).min(room);
            if grant > 0 {
                pump.bucket.take(grant, now);
                pump.granted = pump.granted.saturating_add(grant);
                if pump.wanted != UNBOUNDED {
                    pump.wanted -= grant;
                }
            }
            let arm = if pump.wanted > 0 && !pump.armed {
                pump.armed = true;
                // Out of tokens: until the next one. Out of room (tokens
                // left): a token's time, to look again.
                let wait = if tokens > grant {
                    pump.bucket.interval()
                } else {
                    pump.bucket.wait(now)
                };
                Some(wait.max(MIN_TICK))
            } else {
                None
            };
            (grant, arm)
        };
        if grant > 0 {
            self.upstream.request(grant);
        }
        if let Some(delay) = arm {
            let tick = Tick {
                inner: Arc::clone(self),
                fired: false,
            };
            if let Err(rejected) = self.worker.schedule_after(delay, move || tick.fire()) {
                // The immediate scheduler, a disposed one: a clear error.
                self.fail(Error::from(rejected));
            }
        }
    }

    /// The timer fired: it is no longer armed; pump.
    fn fire(self: &Arc<Self>) {
        self.pump.lock().armed = false;
        self.pump(0);
    }

    /// Stops granting and drops the timer: the stream ended (upstream's
    /// end, a cancel, our failure).
    fn stop(&self) -> bool {
        let first = !core::mem::replace(&mut self.pump.lock().ended, true);
        if first {
            self.worker.dispose();
        }
        first
    }

    /// Fails the stream with `error` through upstream (race 4): upstream
    /// answers the `request(0)` with its §3.9 error, in order with its
    /// items, and the subscriber hands downstream `error` instead.
    fn fail(&self, error: Error) {
        if self.stop() {
            *self.failure.lock() = Some(error);
            self.upstream.request(0);
        }
    }
}

impl Subscription for ThrottleInner {
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: upstream answers it with the error, as for any operator
            // that passes requests on.
            self.stop();
            self.upstream.request(0);
            return;
        }
        if let Some(this) = self.me.upgrade() {
            this.pump(n);
        }
    }

    fn cancel(&self) {
        self.stop();
        self.upstream.cancel();
    }
}

impl fmt::Debug for ThrottleInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrottleInner")
            .field("worker", &self.worker)
            .field("burst", &self.burst)
            .finish_non_exhaustive()
    }
}

/// Carried by the timer's closure: pumps when it fires, and fails the
/// stream if the scheduler drops it unrun while the stream is live (a
/// scheduler disposed under it), instead of leaving demand waiting forever.
struct Tick {
    inner: Arc<ThrottleInner>,
    fired: bool,
}

impl Tick {
    fn fire(mut self) {
        self.fired = true;
        self.inner.fire();
    }
}

impl Drop for Tick {
    fn drop(&mut self) {
        if self.fired || self.inner.pump.lock().ended {
            return;
        }
        if let Some(rejected) = self.inner.worker.rejection() {
            self.inner.fail(Error::from(rejected));
        }
    }
}

/// One more item arrived and counts as delivered.
#[inline(always)]
fn count(received: &mut u64, shared: &AtomicU64) {
    *received += 1;
    // Ordering: Relaxed; a single writer, and a pump that reads an old value
    // grants less, never more (field access rules).
    shared.store(*received, Ordering::Relaxed);
}

/// The upstream-facing subscriber: counts and passes items, relays the end.
struct ThrottleSubscriber<S> {
    downstream: S,
    /// Until `on_subscribe`.
    start: Option<(TokenBucket, Worker)>,
    inner: Option<Arc<ThrottleInner>>,
    /// Items that arrived and counted; published to `received`.
    received: u64,
}

impl<S, T> Subscriber<T> for ThrottleSubscriber<S>
where
    S: Subscriber<T>,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some((bucket, worker)) = self.start.take() else {
            subscription.cancel(); // §2.5
            return;
        };
        let burst = bucket.burst();
        let inner = Arc::new_cyclic(|me| ThrottleInner {
            upstream: subscription,
            worker,
            burst,
            pump: Mutex::new(Pump {
                bucket,
                wanted: 0,
                granted: 0,
                armed: false,
                ended: false,
            }),
            received: AtomicU64::new(0),
            failure: Mutex::new(None),
            me: Weak::clone(me),
        });
        self.inner = Some(Arc::clone(&inner));
        self.downstream.on_subscribe(inner);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        let accepted = self.downstream.try_on_next(item);
        if let Some(inner) = &self.inner {
            count(&mut self.received, &inner.received);
            if !accepted {
                // Downstream did not count it: one more is wanted.
                inner.pump(1);
            }
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        let accepted = self.downstream.try_on_next(item);
        if accepted {
            if let Some(inner) = &self.inner {
                count(&mut self.received, &inner.received);
            }
        }
        // Not accepted: upstream sends another within the same demand.
        accepted
    }

    fn on_error(&mut self, error: Error) {
        let error = match &self.inner {
            Some(inner) => {
                inner.stop();
                inner.failure.lock().take().unwrap_or(error)
            }
            None => error,
        };
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        if let Some(inner) = &self.inner {
            inner.stop();
        }
        self.downstream.on_complete();
    }
}

impl<S> fmt::Debug for ThrottleSubscriber<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrottleSubscriber")
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}
