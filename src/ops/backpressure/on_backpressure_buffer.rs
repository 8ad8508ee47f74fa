//! `on_backpressure_buffer`: requests without bound upstream and keeps up to
//! `capacity` items for a slower downstream; a [`BufferOverflow`] strategy
//! says what happens to an item that finds the buffer full.
//!
//! `capacity` bounds the items received and not yet delivered, whether they
//! wait for demand or for the downstream to return from its current
//! `on_next` (a drain on another thread may be delivering meanwhile).
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream, once the downstream has
//! its subscription; buffered items are delivered in order within the
//! downstream's demand. Completion waits for the buffer to empty; an error is
//! delivered at once, and the buffered items are dropped. Threads: items are
//! buffered on the upstream's thread and delivered by whichever thread
//! drains: the upstream's, or the requester's.
//!
//! # Implementation notes
//!
//! The drain loop, the terminal rule and the races live in `buffered.rs`
//! (State, Field access rules and Races considered there); this file holds
//! the [`BufferOverflow`] policy. The buffer is a `VecDeque` under the
//! engine's lock rather than the SPSC ring of `queue/`: `DropOldest` makes
//! the producer evict the oldest item, which only the consumer may do in an
//! SPSC queue, and the same lock also orders the end of the stream after the
//! last item. The lock is held for one push or pop, never around user code.

use core::fmt;
use std::collections::VecDeque;

use crate::error::Error;
use crate::ops::support::buffered::Buffered;
use crate::ops::support::buffered::{dropped, BufferedSubscriber, OnDropped, Policy, Store};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// What [`on_backpressure_buffer`](crate::PublisherExt::on_backpressure_buffer)
/// does with an item that arrives when its buffer is full.
///
/// Each dropped item goes to the callback given with
/// [`on_dropped`](OnBackpressureBuffer::on_dropped), if any. The names are
/// Reactor's `BufferOverflowStrategy`.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::BufferOverflow;
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// // Nothing is requested at first, so 0..5 meet a buffer of 2.
/// let keep_newest = TestSubscriber::new(0);
/// source::range(0..5u32)
///     .on_backpressure_buffer(2, BufferOverflow::DropOldest)
///     .subscribe(keep_newest.clone());
/// keep_newest.request(10);
/// keep_newest.assert_values(&[3, 4]).assert_complete();
///
/// let keep_oldest = TestSubscriber::new(0);
/// source::range(0..5u32)
///     .on_backpressure_buffer(2, BufferOverflow::DropLatest)
///     .subscribe(keep_oldest.clone());
/// keep_oldest.request(10);
/// keep_oldest.assert_values(&[0, 1]).assert_complete();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BufferOverflow {
    /// Cancel upstream and signal an [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
    /// error at once (the buffered items are dropped with the stream). The
    /// item that did not fit is handed to the drop callback.
    Error,
    /// Drop the item that just arrived; keep the buffer as it is.
    DropLatest,
    /// Drop the oldest buffered item to make room for the one that arrived.
    DropOldest,
}

/// Publisher for the [`on_backpressure_buffer`](crate::PublisherExt::on_backpressure_buffer)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnBackpressureBuffer<P: Publisher> {
    upstream: P,
    capacity: usize,
    overflow: BufferOverflow,
    on_dropped: Option<OnDropped<P::Item>>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for OnBackpressureBuffer<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBackpressureBuffer")
            .field("upstream", &self.upstream)
            .field("capacity", &self.capacity)
            .field("overflow", &self.overflow)
            .field("on_dropped", &self.on_dropped.is_some())
            .finish()
    }
}

impl<P: Publisher + Clone> Clone for OnBackpressureBuffer<P> {
    fn clone(&self) -> Self {
        OnBackpressureBuffer {
            upstream: self.upstream.clone(),
            capacity: self.capacity,
            overflow: self.overflow,
            on_dropped: self.on_dropped.clone(),
        }
    }
}

impl<P: Publisher> OnBackpressureBuffer<P> {
    pub(crate) fn new(upstream: P, capacity: usize, overflow: BufferOverflow) -> Self {
        assert!(
            capacity > 0,
            "on_backpressure_buffer: the capacity must be at least 1"
        );
        OnBackpressureBuffer {
            upstream,
            capacity,
            overflow,
            on_dropped: None,
        }
    }

    /// Hands every item the overflow strategy drops to `callback`, on the
    /// upstream's thread, in the order they are dropped. Replaces an earlier
    /// callback.
    ///
    /// Items dropped because the stream ended (a cancel, an error) are not
    /// overflow drops and do not go to the callback. A panic in `callback`
    /// cancels upstream and fails the stream with
    /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::ops::BufferOverflow;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let evicted = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&evicted);
    /// let ts = TestSubscriber::new(0);
    /// source::range(0..6u32)
    ///     .on_backpressure_buffer(4, BufferOverflow::DropOldest)
    ///     .on_dropped(move |x| sink.lock().unwrap().push(x))
    ///     .subscribe(ts.clone());
    /// ts.request(10);
    /// ts.assert_values(&[2, 3, 4, 5]).assert_complete();
    /// assert_eq!(*evicted.lock().unwrap(), [0, 1]);
    /// ```
    pub fn on_dropped<F>(mut self, callback: F) -> Self
    where
        F: Fn(P::Item) + Send + Sync + 'static,
    {
        self.on_dropped = Some(Arc::new(callback));
        self
    }
}

impl<P: Publisher> Publisher for OnBackpressureBuffer<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let policy = BufferPolicy {
            capacity: self.capacity,
            overflow: self.overflow,
            on_dropped: self.on_dropped.clone(),
        };
        self.upstream
            .subscribe(BufferedSubscriber::new(policy, subscriber));
    }
}

impl<T: Send + 'static> Store for VecDeque<T> {
    type Item = T;

    #[inline]
    fn poll(&mut self) -> Option<T> {
        self.pop_front()
    }

    #[inline]
    fn is_empty(&self) -> bool {
        VecDeque::is_empty(self)
    }
}

/// The overflow strategy, per subscription.
struct BufferPolicy<T> {
    capacity: usize,
    overflow: BufferOverflow,
    on_dropped: Option<OnDropped<T>>,
}

/// What became of an item offered to the buffer.
enum Offered<T> {
    Kept,
    /// This item was dropped by the strategy.
    Dropped(T),
    /// This item did not fit under `BufferOverflow::Error`.
    Overflow(T),
}

impl<T: Send + 'static> Policy for BufferPolicy<T> {
    type Store = VecDeque<T>;

    fn on_next<S>(&mut self, buffered: &Buffered<VecDeque<T>, S>, item: T) -> Result<(), Error>
    where
        S: Subscriber<T> + 'static,
    {
        let (capacity, overflow) = (self.capacity, self.overflow);
        let offered = buffered.offer(move |queue| {
            if queue.len() < capacity {
                queue.push_back(item);
                return Offered::Kept;
            }
            match overflow {
                BufferOverflow::DropLatest => Offered::Dropped(item),
                BufferOverflow::DropOldest => {
                    let oldest = queue.pop_front();
                    queue.push_back(item);
                    oldest.map_or(Offered::Kept, Offered::Dropped)
                }
                BufferOverflow::Error => Offered::Overflow(item),
            }
        });
        // Field access rule 3 (`buffered.rs`): the callback runs unlocked.
        match offered {
            None | Some(Offered::Kept) => Ok(()),
            Some(Offered::Dropped(item)) => dropped(self.on_dropped.as_ref(), item),
            Some(Offered::Overflow(item)) => {
                dropped(self.on_dropped.as_ref(), item)?;
                Err(Error::overflow(format!(
                    "on_backpressure_buffer: an item arrived with {capacity} items \
                     already waiting for demand (BufferOverflow::Error)"
                )))
            }
        }
    }
}
