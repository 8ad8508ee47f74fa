//! `take` and `limit_request`: the first `n` items, then completion.
//!
//! After the `n`-th item, `take` cancels upstream and completes. `take(0)`
//! subscribes upstream, cancels it straight away and completes, as Reactor's
//! `take(0)` does.
//!
//! # Demand
//!
//! Downstream requests go upstream, capped so that upstream is asked for at
//! most `n` items in total: `take(3)` under `request(UNBOUNDED)` asks for 3.
//! This is Reactor 3.5's `take(n)`; its `limitRequest(n)` was the same
//! operator and is deprecated in its favour, so
//! [`limit_request`](crate::PublisherExt::limit_request) builds this type too.
//!
//! Threads: runs on the thread that signals; `request` and `cancel` may come
//! from any thread.
//!
//! # Implementation notes
//!
//! ## State
//! `TakeLink::requested: AtomicU64`: the total requested upstream so far,
//! never above `limit`. `TakeLink::cancelled: AtomicBool`: set by
//! downstream's `cancel`. `TakeSubscriber::remaining`: items still to pass.
//!
//! ## Field access rules
//! * `requested`: raised only by compare-and-swap, from any thread (downstream's
//!   `request`); never lowered. It is a plain counter: it publishes no data
//!   (the upstream subscription it guards is immutable), so it is `Relaxed`.
//! * `cancelled`: written by `cancel`, read by the subscriber after the last
//!   item.
//! * `remaining`: the upstream-facing subscriber only (`&mut self`, §1.3).
//!
//! ## Races considered
//! 1. Two requests at once: each CAS claims `min(n, limit - requested)` of
//!    what is left of the allowance; what one claims the other cannot, so the
//!    sum forwarded upstream never exceeds `limit`.
//! 2. `cancel` inside the last `on_next`: the subscriber reads `cancelled`
//!    after delivering the item and completes only if it is unset, so once
//!    `cancel` returned on the emitting thread nothing follows (§3.12). A
//!    cancel from another thread at that moment may or may not be seen; both
//!    outcomes are allowed (§3.12 says "eventually").

use core::fmt;

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`take`](crate::PublisherExt::take) and
/// [`limit_request`](crate::PublisherExt::limit_request) methods.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Take<P> {
    upstream: P,
    n: u64,
}

impl<P: fmt::Debug> fmt::Debug for Take<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Take")
            .field("upstream", &self.upstream)
            .field("n", &self.n)
            .finish()
    }
}

impl<P> Take<P> {
    pub(crate) fn new(upstream: P, n: u64) -> Self {
        Take { upstream, n }
    }
}

impl<P: Publisher> Publisher for Take<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(TakeSubscriber {
            relay: Relay::new(subscriber),
            remaining: self.n,
            link: None,
        });
    }
}

/// The subscription `take` hands downstream: it caps the total demand.
struct TakeLink {
    upstream: Arc<dyn Subscription>,
    /// The most upstream is ever asked for: `n`.
    limit: u64,
    /// Requested upstream so far (field access rules in the module docs).
    requested: AtomicU64,
    /// Downstream cancelled.
    cancelled: AtomicBool,
}

impl TakeLink {
    fn is_cancelled(&self) -> bool {
        // Ordering: Relaxed. A flag that publishes no data; the subscriber
        // only needs to see a cancel made on its own thread (from inside
        // `on_next`), which program order already gives.
        self.cancelled.load(Ordering::Relaxed)
    }
}

impl Subscription for TakeLink {
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: upstream answers with the error, which passes through.
            self.upstream.request(0);
            return;
        }
        let mut requested = self.requested.load(Ordering::Relaxed);
        loop {
            let left = self.limit - requested;
            if left == 0 {
                return; // the allowance is used up: upstream has been asked for n
            }
            let grant = n.min(left);
            // Ordering: Relaxed; a counter that publishes nothing (module docs).
            match self.requested.compare_exchange_weak(
                requested,
                requested + grant,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    self.upstream.request(grant);
                    return;
                }
                Err(actual) => {
                    requested = actual;
                    crate::sync::spin_loop();
                }
            }
        }
    }

    fn cancel(&self) {
        // Ordering: Relaxed; see `is_cancelled`.
        self.cancelled.store(true, Ordering::Relaxed);
        self.upstream.cancel();
    }
}

/// `take`'s subscriber to upstream.
pub(crate) struct TakeSubscriber<S> {
    relay: Relay<S>,
    /// Items still to pass downstream.
    remaining: u64,
    /// The subscription handed downstream, from `on_subscribe` on.
    link: Option<Arc<TakeLink>>,
}

impl<S> TakeSubscriber<S> {
    /// Counts one item. `Some(last)` when it may pass (`last`: it is the
    /// n-th); `None` when the stream is already over.
    #[inline]
    fn count(&mut self) -> Option<bool> {
        if self.relay.is_done() {
            return None; // §2.8: late items after our own cancel are ignored
        }
        // Checked: an upstream that breaks §1.9 gets no panic out of us.
        self.remaining = self.remaining.checked_sub(1)?;
        Some(self.remaining == 0)
    }

    /// The n-th item went downstream: cancel upstream and complete, unless
    /// downstream cancelled from inside that item's `on_next` (race 2).
    #[cold]
    fn finish<T>(&mut self)
    where
        S: Subscriber<T>,
    {
        if self.link.as_ref().is_some_and(|link| link.is_cancelled()) {
            self.relay.stop();
        } else {
            self.relay.complete_early();
        }
    }
}

impl<S, T> Subscriber<T> for TakeSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if !self.relay.keep_upstream(&subscription) {
            return;
        }
        let link = Arc::new(TakeLink {
            upstream: subscription,
            limit: self.remaining,
            requested: AtomicU64::new(0),
            cancelled: AtomicBool::new(false),
        });
        self.link = Some(Arc::clone(&link));
        self.relay.downstream.on_subscribe(link);
        if self.remaining == 0 {
            // take(0): nothing to wait for (Reactor cancels and completes too).
            self.relay.complete_early();
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if let Some(last) = self.count() {
            // A downstream that drops the item asks for its replacement itself,
            // through the capped link.
            self.relay.downstream.on_next(item);
            if last {
                self.finish();
            }
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        match self.count() {
            Some(false) => self.relay.downstream.try_on_next(item),
            Some(true) => {
                self.relay.downstream.try_on_next(item);
                self.finish();
                true
            }
            None => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
