//! `BlockingIter`: a publisher consumed as a blocking [`Iterator`].
//!
//! Demand: `prefetch` at first, then `limit = prefetch - prefetch / 4` each
//! time `limit` items have been taken by `next()` (the 75% rule), so the
//! buffer never holds more than `prefetch` items. Threads: `next()` blocks the
//! calling thread until an item or a terminal signal arrives, from any thread.
//!
//! # Implementation notes
//!
//! The iterator and the subscriber it subscribed share one mutex-protected
//! state and a condition variable, notified by every signal.
//!
//! * `outstanding` counts demand requested and not yet received. It is raised
//!   under the lock *before* the `request` call that announces it, so an item
//!   emitted from inside that call is within demand. An item that finds it at
//!   zero is an overflow (§1.1): the iteration ends with an error and upstream
//!   is cancelled. With `queue.len() + outstanding <= prefetch` (true at the
//!   start and kept by every step), the buffer is bounded by `prefetch`.
//! * The subscription is never called while the lock is held: a synchronous
//!   publisher emits from inside `request`, on the caller's thread, and its
//!   `on_next` needs the lock.

use core::fmt;
use std::collections::VecDeque;
use std::iter::FusedIterator;

use crate::author::{Replenish, UNBOUNDED};
use crate::error::{Error, Rule};
use crate::sync::blocking::{Condvar, Mutex, MutexGuard};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// A blocking iterator over a publisher's items: `Ok(item)` for each item, then
/// `Err(error)` once if the stream failed, then `None`.
///
/// Made by [`PublisherExt::blocking_iter`](crate::PublisherExt::blocking_iter),
/// [`PublisherExt::blocking_iter_with_prefetch`](crate::PublisherExt::blocking_iter_with_prefetch)
/// or [`BlockingIter::subscribe`].
///
/// `next()` blocks the calling thread until an item, an error or the
/// completion arrives; the publisher may emit from any thread (but a
/// publisher that needs the iterating thread to make progress will wait
/// forever). Dropping the iterator cancels the subscription (§3.12) and drops
/// any buffered items.
///
/// # Demand
///
/// Requests `prefetch` at first, then `limit = prefetch - prefetch / 4` each
/// time `limit` items have been taken (the 75% rule), so at most `prefetch`
/// items wait in its buffer. A publisher that sends more than was requested
/// (§1.1) ends the iteration with an [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
/// error, after the items received within demand, and is cancelled.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Error, PublisherExt};
///
/// let items: Vec<Result<u8, Error>> = source::range(0..3u8).blocking_iter().collect();
/// assert_eq!(items.len(), 3);
///
/// let mut failed = source::error::<u8>(Error::new("boom")).blocking_iter();
/// assert_eq!(failed.next().unwrap().unwrap_err().to_string(), "boom");
/// assert!(failed.next().is_none());
/// ```
pub struct BlockingIter<T> {
    shared: Arc<Shared<T>>,
    /// When to request more: the 75% rule, counted as `next()` takes items.
    replenish: Replenish,
    /// Items taken from the shared queue in one batch (one lock for all that
    /// had arrived), yielded without locking.
    ready: VecDeque<T>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Notified by every signal.
    signalled: Condvar,
    prefetch: u64,
}

struct State<T> {
    queue: VecDeque<T>,
    /// Requested and not yet received; [`UNBOUNDED`] when unbounded.
    outstanding: u64,
    /// Totals, for the overflow message.
    requested: u64,
    received: u64,
    /// A terminal signal arrived (or an overflow was detected).
    done: bool,
    /// The error to yield once the queue is drained; taken when yielded.
    error: Option<Error>,
    /// The subscription, from `on_subscribe` until the end.
    upstream: Option<Arc<dyn Subscription>>,
    subscribed: bool,
    /// The iterator was dropped.
    cancelled: bool,
    /// The iterating thread waits on `signalled`: only then does an item
    /// notify it (a producer on the iterating thread itself never does).
    waiting: bool,
}

impl<T: Send + 'static> BlockingIter<T> {
    /// The prefetch of [`PublisherExt::blocking_iter`](crate::PublisherExt::blocking_iter):
    /// 256, the usual default for a hop between threads.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::BlockingIter;
    ///
    /// assert_eq!(BlockingIter::<u8>::DEFAULT_PREFETCH, 256);
    /// ```
    pub const DEFAULT_PREFETCH: usize = 256;

    /// Subscribes to `publisher` and returns the iterator over its items,
    /// with at most `prefetch` of them buffered.
    ///
    /// A synchronous publisher runs inside this call until it has emitted
    /// `prefetch` items (or ended); the rest is requested as `next()` takes
    /// them.
    ///
    /// # Panics
    ///
    /// If `prefetch` is 0: the iterator would never request anything.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, BlockingIter};
    ///
    /// let it = BlockingIter::subscribe(&source::range(0..10u32), 4);
    /// let items: Vec<u32> = it.map(Result::unwrap).collect();
    /// assert_eq!(items, (0..10).collect::<Vec<_>>());
    /// ```
    #[track_caller]
    pub fn subscribe<P>(publisher: &P, prefetch: usize) -> BlockingIter<T>
    where
        P: Publisher<Item = T> + ?Sized,
    {
        assert!(prefetch > 0, "BlockingIter: prefetch must be at least 1");
        let prefetch = u64::try_from(prefetch).map_or(UNBOUNDED, |p| p.min(UNBOUNDED));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                // Capped: a huge prefetch need not allocate up front.
                queue: VecDeque::with_capacity(prefetch.min(1024) as usize),
                outstanding: 0,
                requested: 0,
                received: 0,
                done: false,
                error: None,
                upstream: None,
                subscribed: false,
                cancelled: false,
                waiting: false,
            }),
            signalled: Condvar::new(),
            prefetch,
        });
        publisher.subscribe(IterSubscriber {
            shared: Arc::clone(&shared),
        });
        BlockingIter {
            shared,
            replenish: Replenish::new(prefetch),
            ready: VecDeque::new(),
        }
    }
}

impl<T> BlockingIter<T> {
    /// Requests `n` more (the 75% rule), unless the stream ended.
    fn request_more(&self, n: u64) {
        let upstream = {
            let mut state = self.shared.state.lock();
            if state.done {
                return;
            }
            // Counted before the request: an item emitted from inside it is
            // within demand.
            state.outstanding += n;
            state.requested = state.requested.saturating_add(n);
            state.upstream.clone()
        };
        // Unlocked: a synchronous publisher emits from inside `request`.
        if let Some(upstream) = upstream {
            upstream.request(n);
        }
    }
}

impl<T> Iterator for BlockingIter<T> {
    type Item = Result<T, Error>;

    /// Blocks until the next item, the error, or the end.
    ///
    /// Items are taken from the shared queue a batch at a time (all that
    /// arrived, under one lock) and then yielded without locking, so a
    /// publisher that emits on this thread (inside `subscribe` or a
    /// replenishing `request`) costs one lock per batch on this side.
    fn next(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                if let Some(n) = self.replenish.consumed_one() {
                    self.request_more(n);
                }
                return Some(Ok(item));
            }
            let mut state = self.shared.state.lock();
            loop {
                if !state.queue.is_empty() {
                    // `ready` is empty: the swap leaves its allocation behind
                    // for the producer.
                    core::mem::swap(&mut state.queue, &mut self.ready);
                    break;
                }
                if state.done {
                    // The error once, after the items received before it;
                    // then None.
                    return state.error.take().map(Err);
                }
                state.waiting = true;
                self.shared.signalled.wait(&mut state);
                state.waiting = false;
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let state = self.shared.state.lock();
        let buffered = state.queue.len() + self.ready.len();
        let upper = if state.done {
            Some(buffered + usize::from(state.error.is_some()))
        } else {
            None
        };
        (buffered, upper)
    }
}

impl<T> FusedIterator for BlockingIter<T> {}

impl<T> Drop for BlockingIter<T> {
    fn drop(&mut self) {
        let mut state = self.shared.state.lock();
        state.cancelled = true;
        let upstream = state.upstream.take();
        let buffered = core::mem::take(&mut state.queue);
        drop(state);
        // Unlocked: items may run arbitrary code when dropped, and a
        // synchronous publisher may signal from inside `cancel`.
        drop(buffered);
        if let Some(upstream) = upstream {
            upstream.cancel(); // §3.12
        }
    }
}

impl<T> fmt::Debug for BlockingIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.lock();
        f.debug_struct("BlockingIter")
            .field("prefetch", &self.shared.prefetch)
            .field("buffered", &(state.queue.len() + self.ready.len()))
            .field("outstanding", &state.outstanding)
            .field("done", &state.done)
            .finish()
    }
}

/// The subscriber behind a [`BlockingIter`]: it fills the shared buffer.
struct IterSubscriber<T> {
    shared: Arc<Shared<T>>,
}

impl<T> IterSubscriber<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.shared.state.lock()
    }

    /// Ends the iteration with `error` after the buffered items, cancelling
    /// upstream (called with the state locked; unlocks).
    fn fail(&self, mut state: MutexGuard<'_, State<T>>, error: Error) {
        state.done = true;
        state.error = Some(error);
        let upstream = state.upstream.take();
        drop(state);
        self.shared.signalled.notify_one();
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
    }
}

impl<T: Send> Subscriber<T> for IterSubscriber<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let mut state = self.lock();
        if state.subscribed || state.done || state.cancelled {
            // §2.5: one subscription only; or the iterator is gone.
            drop(state);
            subscription.cancel();
            return;
        }
        state.subscribed = true;
        let prefetch = self.shared.prefetch;
        state.outstanding = prefetch;
        state.requested = prefetch;
        state.upstream = Some(Arc::clone(&subscription));
        drop(state);
        // Unlocked: a synchronous publisher emits from inside `request`.
        subscription.request(prefetch);
    }

    fn on_next(&mut self, item: T) {
        let mut state = self.lock();
        if state.done || state.cancelled {
            return; // §2.8: in flight after a cancel, or after the end
        }
        state.received = state.received.saturating_add(1);
        if !state.subscribed {
            let error = Error::spec_violation(Rule::new(1, 9), "on_next before on_subscribe");
            return self.fail(state, error);
        }
        if state.outstanding == 0 {
            // §1.1: more than requested; never grow the buffer past prefetch.
            let message = format!(
                "received {} items, more than the {} requested",
                state.received, state.requested
            );
            return self.fail(state, Error::overflow(message));
        }
        if state.outstanding != UNBOUNDED {
            state.outstanding -= 1;
        }
        state.queue.push_back(item);
        let wake = state.waiting;
        drop(state);
        if wake {
            self.shared.signalled.notify_one();
        }
    }

    fn on_error(&mut self, error: Error) {
        let mut state = self.lock();
        if state.done || state.cancelled {
            return; // §1.7
        }
        state.done = true;
        state.error = Some(error);
        state.upstream = None; // §2.3: dropped, never called
        drop(state);
        self.shared.signalled.notify_one();
    }

    fn on_complete(&mut self) {
        let mut state = self.lock();
        if state.done || state.cancelled {
            return; // §1.7
        }
        state.done = true;
        state.upstream = None; // §2.3: dropped, never called
        drop(state);
        self.shared.signalled.notify_one();
    }
}
