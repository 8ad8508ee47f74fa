//! `default_if_empty`: passes every item; if upstream completes without any,
//! emits a default value (a clone of it per subscriber), then completes.
//!
//! # Demand
//!
//! One for one: each request goes upstream. The default value, when needed,
//! goes out once downstream has requested (any `n >= 1`; a request made
//! before the empty completion counts), so it may leave on the thread that
//! requests, after upstream has completed (`scalar.rs`).
//!
//! Threads: runs on the thread that signals; `request` and `cancel` may come
//! from any thread.

use core::fmt;

use crate::error::Error;
use crate::ops::support::scalar::{Outcome, ScalarSubscription};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`default_if_empty`](crate::PublisherExt::default_if_empty)
/// method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct DefaultIfEmpty<P, T> {
    upstream: P,
    value: T,
}

impl<P: fmt::Debug, T: fmt::Debug> fmt::Debug for DefaultIfEmpty<P, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultIfEmpty")
            .field("upstream", &self.upstream)
            .field("value", &self.value)
            .finish()
    }
}

impl<P, T> DefaultIfEmpty<P, T> {
    pub(crate) fn new(upstream: P, value: T) -> Self {
        DefaultIfEmpty { upstream, value }
    }
}

impl<P> Publisher for DefaultIfEmpty<P, P::Item>
where
    P: Publisher,
    P::Item: Clone + Sync,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(DefaultIfEmptySubscriber {
            downstream: Some(subscriber),
            scalar: None,
            value: Some(self.value.clone()),
            empty: true,
        });
    }
}

/// `default_if_empty`'s subscriber to upstream.
pub(crate) struct DefaultIfEmptySubscriber<S, T> {
    /// Signalled directly while items flow; handed to `scalar` at the end.
    downstream: Option<S>,
    scalar: Option<Arc<ScalarSubscription<S, T>>>,
    value: Option<T>,
    /// No item has arrived yet.
    empty: bool,
}

impl<S, T> DefaultIfEmptySubscriber<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    /// Hands the subscriber to the scalar subscription with the end.
    fn end(&mut self, outcome: Outcome<T>) {
        if let (Some(downstream), Some(scalar)) = (self.downstream.take(), &self.scalar) {
            scalar.settle_with(downstream, outcome);
        }
    }
}

impl<S, T> Subscriber<T> for DefaultIfEmptySubscriber<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.scalar.is_some() {
            subscription.cancel(); // §2.5
            return;
        }
        let scalar = Arc::new(ScalarSubscription::new(subscription, true));
        self.scalar = Some(Arc::clone(&scalar));
        if let Some(downstream) = &mut self.downstream {
            downstream.on_subscribe(scalar);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.empty = false;
        if let Some(downstream) = &mut self.downstream {
            downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.empty = false;
        match &mut self.downstream {
            Some(downstream) => downstream.try_on_next(item),
            None => true, // §2.8: after the end
        }
    }

    fn on_error(&mut self, error: Error) {
        self.end(Outcome::Failed(error));
    }

    fn on_complete(&mut self) {
        let outcome = match self.value.take() {
            Some(value) if self.empty => Outcome::Value(value),
            _ => Outcome::Empty,
        };
        self.end(outcome);
    }
}
