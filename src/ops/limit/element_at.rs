//! `element_at`: the item at an index, alone, then completion; an
//! [`IndexOutOfBounds`] error when the stream ends before it.
//!
//! As Reactor's `elementAt(index)`. Once the item has arrived, upstream is
//! cancelled. [`first`](crate::PublisherExt::first) is `element_at(0)`
//! except on a stream that is too short, where it completes empty.
//!
//! # Demand
//!
//! Nothing until downstream requests; at the first request (of any `n >= 1`)
//! `index + 1` upstream, all the items it needs, at once. Later requests are
//! not passed on: one item is all there is. (Reactor asks for everything
//! and cancels; asking for exactly what is needed lets a generator produce
//! no item in vain.)
//!
//! Threads: runs on the thread that signals; `request` and `cancel` may come
//! from any thread.
//!
//! # Implementation notes
//!
//! `ElementAtLink::requested: AtomicBool` makes the first downstream request
//! the only one that goes upstream: a swap, so two racing requests forward
//! `index + 1` once. It publishes nothing (the upstream subscription is
//! immutable), hence `Relaxed`. `ElementAtLink::cancelled` is a flag read by
//! the subscriber after the item, as in `take.rs` (race 2 there).

use core::fmt;

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`element_at`](crate::PublisherExt::element_at) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct ElementAt<P> {
    upstream: P,
    index: u64,
}

impl<P: fmt::Debug> fmt::Debug for ElementAt<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ElementAt")
            .field("upstream", &self.upstream)
            .field("index", &self.index)
            .finish()
    }
}

impl<P> ElementAt<P> {
    pub(crate) fn new(upstream: P, index: u64) -> Self {
        ElementAt { upstream, index }
    }
}

impl<P: Publisher> Publisher for ElementAt<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(ElementAtSubscriber::new(
            subscriber,
            self.index,
            Missing::Fail,
        ));
    }
}

/// The error of [`element_at`](crate::PublisherExt::element_at) when the
/// stream completes before the item at `index`: it had only `len` items.
///
/// Carried inside an [`Error`] of kind [`ErrorKind::Other`](crate::ErrorKind::Other);
/// reach it with [`Error::downcast_ref`].
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::IndexOutOfBounds;
/// use reactive_streams::{source, PublisherExt};
///
/// let error = source::range(0..3u32).element_at(5).blocking_first().unwrap_err();
/// let oob = error.downcast_ref::<IndexOutOfBounds>().unwrap();
/// assert_eq!((oob.index, oob.len), (5, 3));
/// assert_eq!(error.to_string(), "element_at(5): the stream completed after 3 items");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct IndexOutOfBounds {
    /// The index that was asked for.
    pub index: u64,
    /// How many items the stream had.
    pub len: u64,
}

impl fmt::Display for IndexOutOfBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "element_at({}): the stream completed after {} items",
            self.index, self.len
        )
    }
}

impl std::error::Error for IndexOutOfBounds {}

/// What to do when upstream completes before the item.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Missing {
    /// Fail with [`IndexOutOfBounds`] (`element_at`).
    Fail,
    /// Complete empty (`first`).
    Complete,
}

/// The subscription `element_at` hands downstream: the first request
/// becomes one upstream request for everything needed.
struct ElementAtLink {
    upstream: Arc<dyn Subscription>,
    /// `index + 1`, saturating.
    wanted: u64,
    requested: AtomicBool,
    cancelled: AtomicBool,
}

impl Subscription for ElementAtLink {
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: upstream answers with the error, which passes through.
            self.upstream.request(0);
            return;
        }
        // Ordering: Relaxed; a once-flag that publishes nothing (module
        // docs). The swap makes exactly one request the first.
        if !self.requested.swap(true, Ordering::Relaxed) {
            self.upstream.request(self.wanted);
        }
    }

    fn cancel(&self) {
        // Ordering: Relaxed; a flag read by the subscriber after delivering
        // the item, which matters only for a cancel from inside that
        // `on_next`, on the same thread.
        self.cancelled.store(true, Ordering::Relaxed);
        self.upstream.cancel();
    }
}

/// The subscriber to upstream of `element_at` and `first`.
pub(crate) struct ElementAtSubscriber<S> {
    relay: Relay<S>,
    index: u64,
    /// Items seen so far.
    seen: u64,
    missing: Missing,
    link: Option<Arc<ElementAtLink>>,
}

impl<S> ElementAtSubscriber<S> {
    pub(crate) fn new(downstream: S, index: u64, missing: Missing) -> Self {
        ElementAtSubscriber {
            relay: Relay::new(downstream),
            index,
            seen: 0,
            missing,
            link: None,
        }
    }
}

impl<S, T> Subscriber<T> for ElementAtSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if !self.relay.keep_upstream(&subscription) {
            return;
        }
        let link = Arc::new(ElementAtLink {
            upstream: subscription,
            wanted: self.index.saturating_add(1),
            requested: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
        });
        self.link = Some(Arc::clone(&link));
        self.relay.downstream.on_subscribe(link);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.relay.is_done() {
            return; // §2.8: late items after our own cancel are ignored
        }
        let position = self.seen;
        self.seen += 1;
        if position < self.index {
            // Dropped; `index + 1` were requested, so no replacement is needed.
            return;
        }
        self.relay.downstream.on_next(item);
        if self.link.as_ref().is_some_and(|link| {
            // Ordering: Relaxed; see `ElementAtLink::cancel`.
            link.cancelled.load(Ordering::Relaxed)
        }) {
            self.relay.stop(); // cancelled from inside that on_next (§3.12)
        } else {
            self.relay.complete_early();
        }
    }

    // `try_on_next` keeps the default (`on_next`, then true): the dropped
    // items count, because exactly `index + 1` were requested for them.

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        match self.missing {
            Missing::Complete => self.relay.on_complete(),
            Missing::Fail => {
                let error = Error::new(IndexOutOfBounds {
                    index: self.index,
                    len: self.seen,
                });
                self.relay.on_error(error);
            }
        }
    }
}
