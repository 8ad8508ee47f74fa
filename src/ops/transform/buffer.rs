//! `buffer`: collects items into chunks of `size`, emitted as `Vec`s.
//!
//! Each chunk is emitted when it is full; on completion, a last, shorter
//! chunk is emitted if items are left over. An error drops the partial chunk
//! and passes at once.
//!
//! # Demand
//!
//! Downstream asks for chunks, so `request(k)` becomes `request(k * size)`
//! upstream (saturating: any product past [`UNBOUNDED`](crate::UNBOUNDED) is
//! unbounded, §3.17). The partial chunk on completion is always within
//! demand: it comes from fewer than `k * size` items.
//!
//! Threads: runs on the thread that signals.

use core::fmt;
use core::mem;

use crate::error::Error;
use crate::ops::support::relay::Relay;
use crate::queue::clamp_capacity;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`buffer`](crate::PublisherExt::buffer) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Buffer<P> {
    upstream: P,
    size: usize,
}

impl<P: fmt::Debug> fmt::Debug for Buffer<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffer")
            .field("upstream", &self.upstream)
            .field("size", &self.size)
            .finish()
    }
}

impl<P: Clone> Clone for Buffer<P> {
    fn clone(&self) -> Self {
        Buffer {
            upstream: self.upstream.clone(),
            size: self.size,
        }
    }
}

impl<P> Buffer<P> {
    /// # Panics
    ///
    /// If `size` is 0.
    pub(crate) fn new(upstream: P, size: usize) -> Self {
        assert!(size > 0, "buffer: the chunk size must be at least 1");
        Buffer { upstream, size }
    }
}

impl<P> Publisher for Buffer<P>
where
    P: Publisher,
{
    type Item = Vec<P::Item>;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<Vec<P::Item>> + 'static,
    {
        self.upstream.subscribe(BufferSubscriber {
            relay: Relay::new(subscriber),
            chunk: Vec::new(),
            size: self.size,
        });
    }
}

/// `buffer`'s subscriber to upstream: the chunk being filled.
pub(crate) struct BufferSubscriber<S, T> {
    relay: Relay<S>,
    chunk: Vec<T>,
    size: usize,
}

impl<S, T> BufferSubscriber<S, T> {
    /// Adds `item`; returns the chunk when it is full.
    #[inline]
    fn push(&mut self, item: T) -> Option<Vec<T>> {
        if self.chunk.capacity() == 0 {
            // A huge chunk size reserves no more than `MAX_CAPACITY` up
            // front; the chunk grows past it as items arrive.
            self.chunk.reserve_exact(clamp_capacity(self.size));
        }
        self.chunk.push(item);
        if self.chunk.len() == self.size {
            Some(mem::take(&mut self.chunk))
        } else {
            None
        }
    }
}

impl<S, T> Subscriber<T> for BufferSubscriber<S, T>
where
    S: Subscriber<Vec<T>>,
    T: Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.relay.keep_upstream(&subscription) {
            let size = self.size as u64;
            let chunks = BufferSubscription {
                upstream: subscription,
                size,
            };
            self.relay.downstream.on_subscribe(Arc::new(chunks));
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.relay.is_done() {
            return;
        }
        if let Some(chunk) = self.push(item) {
            // A dropping stage downstream asks for its replacement chunk
            // through our subscription.
            self.relay.downstream.on_next(chunk);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true;
        }
        if let Some(chunk) = self.push(item) {
            if !self.relay.downstream.try_on_next(chunk) {
                // Rejected downstream: it wants another chunk in its place.
                self.relay.request(self.size as u64);
            }
        }
        // Every item goes into a chunk: each one counts against demand.
        true
    }

    fn on_error(&mut self, error: Error) {
        self.chunk = Vec::new(); // the partial chunk is dropped
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        if !self.relay.is_done() && !self.chunk.is_empty() {
            // Within demand: fewer than `k * size` items made these chunks.
            let last = mem::take(&mut self.chunk);
            self.relay.downstream.on_next(last);
        }
        self.relay.on_complete();
    }
}

/// The subscription `buffer` hands downstream: demand for chunks becomes
/// demand for items.
struct BufferSubscription {
    upstream: Arc<dyn Subscription>,
    size: u64,
}

impl Subscription for BufferSubscription {
    fn request(&self, n: u64) {
        // `0 * size` stays 0, so upstream answers §3.9 itself; a product past
        // `UNBOUNDED` saturates there upstream (§3.17).
        self.upstream.request(n.saturating_mul(self.size));
    }

    fn cancel(&self) {
        self.upstream.cancel();
    }
}
