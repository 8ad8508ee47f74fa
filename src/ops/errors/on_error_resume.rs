//! `on_error_resume`: when the source fails, continues with the fallback
//! publisher that a closure makes from the error.
//!
//! Items of the source pass through; on its `on_error`, the closure is
//! called with the error and the publisher it returns is subscribed in the
//! source's place. The subscriber sees one `on_subscribe` and one stream. An
//! error of the fallback is passed on as it is (there is one fallback, not a
//! chain).
//!
//! Demand: requests go to the current upstream. Demand the source did not
//! serve carries over to the fallback, which is asked for it as soon as it
//! is subscribed (see `arbiter.rs`). Threads: the fallback is subscribed on
//! the thread that delivered the source's error.
//!
//! # Implementation notes
//!
//! The downstream subscriber moves from the source's subscriber to the
//! fallback's subscriber inside the source's `on_error`, which is the source's
//! last signal, so signals to it stay serial (§1.3). Demand and cancellation
//! go through the [`Arbiter`], whose state machine (and races) `arbiter.rs`
//! documents; this file holds no atomics of its own.

use core::fmt;

use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::guard::guard;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`on_error_resume`](crate::PublisherExt::on_error_resume)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnErrorResume<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for OnErrorResume<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnErrorResume")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for OnErrorResume<P, F> {
    fn clone(&self) -> Self {
        OnErrorResume {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> OnErrorResume<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        OnErrorResume {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, R> Publisher for OnErrorResume<P, F>
where
    P: Publisher,
    F: Fn(Error) -> R + Send + Sync + 'static,
    R: Publisher<Item = P::Item>,
{
    type Item = P::Item;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let arbiter = Arc::new(Arbiter::new());
        subscriber.on_subscribe(Arc::clone(&arbiter) as Arc<dyn Subscription>);
        if arbiter.is_cancelled() {
            return; // cancelled inside on_subscribe: nothing to start (§3.13)
        }
        self.upstream.subscribe(ResumeSubscriber {
            arbiter,
            f: Arc::clone(&self.f),
            downstream: Some(subscriber),
            emitted: 0,
            subscribed: false,
        });
    }
}

/// `on_error_resume`'s subscriber to the source.
struct ResumeSubscriber<S, F> {
    arbiter: Arc<Arbiter>,
    f: Arc<F>,
    /// `None` once the source has ended.
    downstream: Option<S>,
    /// Items the downstream accepted from the source.
    emitted: u64,
    subscribed: bool,
}

impl<S, F, R, T> Subscriber<T> for ResumeSubscriber<S, F>
where
    S: Subscriber<T> + 'static,
    F: Fn(Error) -> R + Send + Sync,
    R: Publisher<Item = T>,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.arbiter.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if let Some(downstream) = &mut self.downstream {
            self.emitted += 1;
            downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
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
        if self.arbiter.is_cancelled() {
            return; // §3.13: dropped; the error raced the cancel
        }
        if self.arbiter.is_zero_requested() {
            self.arbiter.clear(); // §2.4: the upstream is finished
            downstream.on_error(error); // the §3.9 answer to a request(0)
            return;
        }
        let f = &self.f;
        match guard(|| f(error)) {
            Ok(fallback) => {
                if let Err(overflow) = self.arbiter.switch_off(self.emitted) {
                    // The source broke §1.1: fail rather than resume.
                    return downstream.on_error(overflow);
                }
                fallback.subscribe(FallbackSubscriber {
                    arbiter: Arc::clone(&self.arbiter),
                    downstream: Some(downstream),
                    subscribed: false,
                });
            }
            // The source has ended already: nothing to cancel upstream.
            Err(panic) => {
                self.arbiter.clear();
                downstream.on_error(panic);
            }
        }
    }

    fn on_complete(&mut self) {
        if let Some(mut downstream) = self.downstream.take() {
            self.arbiter.clear(); // §2.4: the source is finished
            downstream.on_complete();
        }
    }
}

/// `on_error_resume`'s subscriber to the fallback: passes everything through,
/// and hands the fallback's subscription to the arbiter.
struct FallbackSubscriber<S> {
    arbiter: Arc<Arbiter>,
    downstream: Option<S>,
    subscribed: bool,
}

impl<S, T> Subscriber<T> for FallbackSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.arbiter.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if let Some(downstream) = &mut self.downstream {
            downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        match &mut self.downstream {
            Some(downstream) => downstream.try_on_next(item),
            None => true,
        }
    }

    fn on_error(&mut self, error: Error) {
        if let Some(mut downstream) = self.downstream.take() {
            self.arbiter.clear(); // §2.4: the fallback is finished
            downstream.on_error(error);
        }
    }

    fn on_complete(&mut self) {
        if let Some(mut downstream) = self.downstream.take() {
            self.arbiter.clear();
            downstream.on_complete();
        }
    }
}
