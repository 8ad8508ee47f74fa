//! `on_backpressure_latest`: requests without bound upstream and keeps only
//! the latest item the downstream has not received yet; an item that arrives
//! while another waits replaces it.
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream, once the downstream has
//! its subscription; the waiting item, if any, is delivered at the
//! downstream's next demand. Completion is delivered after the waiting item;
//! an error at once, dropping it. Threads: items are kept on the upstream's
//! thread and delivered by whichever thread drains: the upstream's, or the
//! requester's.
//!
//! # Implementation notes
//!
//! The drain loop, the terminal rule and the races live in `buffered.rs`
//! (State, Field access rules and Races considered there); this file holds
//! the policy: the store is an `Option`, and an arriving item swaps itself in
//! under the engine's lock, handing back the item it replaced, which goes to
//! the drop callback after unlocking.

use core::fmt;

use crate::error::Error;
use crate::ops::support::buffered::{
    dropped, Buffered, BufferedSubscriber, OnDropped, Policy, Store,
};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`on_backpressure_latest`](crate::PublisherExt::on_backpressure_latest)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnBackpressureLatest<P: Publisher> {
    upstream: P,
    on_dropped: Option<OnDropped<P::Item>>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for OnBackpressureLatest<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBackpressureLatest")
            .field("upstream", &self.upstream)
            .field("on_dropped", &self.on_dropped.is_some())
            .finish()
    }
}

impl<P: Publisher + Clone> Clone for OnBackpressureLatest<P> {
    fn clone(&self) -> Self {
        OnBackpressureLatest {
            upstream: self.upstream.clone(),
            on_dropped: self.on_dropped.clone(),
        }
    }
}

impl<P: Publisher> OnBackpressureLatest<P> {
    pub(crate) fn new(upstream: P) -> Self {
        OnBackpressureLatest {
            upstream,
            on_dropped: None,
        }
    }

    /// Hands every item that is replaced before delivery to `callback`, on
    /// the upstream's thread, in the order they arrived. Replaces an earlier
    /// callback.
    ///
    /// The item waiting when the stream ends by a cancel or an error is not
    /// replaced, and does not go to the callback. A panic in `callback`
    /// cancels upstream and fails the stream with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let skipped = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&skipped);
    /// let ts = TestSubscriber::new(0);
    /// source::range(0..4u32)
    ///     .on_backpressure_latest()
    ///     .on_dropped(move |x| sink.lock().unwrap().push(x))
    ///     .subscribe(ts.clone());
    /// ts.request(1);
    /// ts.assert_values(&[3]).assert_complete();
    /// assert_eq!(*skipped.lock().unwrap(), [0, 1, 2]);
    /// ```
    pub fn on_dropped<F>(mut self, callback: F) -> Self
    where
        F: Fn(P::Item) + Send + Sync + 'static,
    {
        self.on_dropped = Some(Arc::new(callback));
        self
    }
}

impl<P: Publisher> Publisher for OnBackpressureLatest<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let policy = LatestPolicy {
            on_dropped: self.on_dropped.clone(),
        };
        self.upstream
            .subscribe(BufferedSubscriber::new(policy, subscriber));
    }
}

/// The one waiting item of `on_backpressure_latest` and
/// `on_backpressure_reduce`.
#[derive(Debug)]
pub(crate) struct Slot<T>(pub(crate) Option<T>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(None)
    }
}

impl<T: Send + 'static> Store for Slot<T> {
    type Item = T;

    #[inline]
    fn poll(&mut self) -> Option<T> {
        self.0.take()
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

/// Replace the waiting item.
struct LatestPolicy<T> {
    on_dropped: Option<OnDropped<T>>,
}

impl<T: Send + 'static> Policy for LatestPolicy<T> {
    type Store = Slot<T>;

    fn on_next<S>(&mut self, buffered: &Buffered<Slot<T>, S>, item: T) -> Result<(), Error>
    where
        S: Subscriber<T> + 'static,
    {
        match buffered.offer(move |slot| slot.0.replace(item)) {
            // Field access rule 3 (`buffered.rs`): the callback runs unlocked.
            Some(Some(replaced)) => dropped(self.on_dropped.as_ref(), replaced),
            _ => Ok(()),
        }
    }
}
