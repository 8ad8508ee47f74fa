//! `shed_by_priority`: a buffer of `capacity` items that, as it fills,
//! drops the arriving items of the lowest priorities first, at the fill
//! levels the user sets; the top priority is never dropped.
//!
//! Each item gets a level from the user's closure: `0` is the lowest, and
//! level `i < thresholds.len()` is dropped when it arrives at a buffer
//! filled to `thresholds[i]` or more (`len >= ceil(thresholds[i] ×
//! capacity)`); levels from `thresholds.len()` up are the top, kept always.
//!
//! Demand: upstream is asked for `capacity` at first, then for what the
//! buffer has room for (items delivered or dropped free it), in batches of
//! at least a quarter of it: what is held plus what is requested never
//! exceeds `capacity`. So an item always finds room, the top priority is
//! never lost, and once the buffer is full of items nobody may drop,
//! upstream waits: shedding under overload, backpressure as the last
//! resort. Items are delivered in order within downstream's demand; the end
//! waits for them. Threads: as `on_backpressure_buffer` (the engine is
//! `support/buffered.rs`'s); the priority closure and the drop callback run
//! on the upstream's thread, outside any lock.

use core::fmt;
use std::collections::VecDeque;

use crate::error::Error;
use crate::ops::support::buffered::{
    dropped, Buffered, BufferedSubscriber, OnDropped, Policy, Store,
};
use crate::ops::support::guard::guard;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// The largest buffer: larger capacities are clamped to it.
pub const MAX_SHED_CAPACITY: usize = 1 << 16;

/// The drops of a [`ShedByPriority`], counted per level over all its
/// subscriptions. A cheap clone.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// // Even items are level 0 (shed at 50%), odd ones the top (level 1).
/// let shed = source::range(0..20u32).shed_by_priority(4, &[0.5], |x| (*x % 2) as usize);
/// let counts = shed.counts();
/// let ts = TestSubscriber::new(0); // no demand: the buffer fills
/// shed.subscribe(ts.clone());
/// ts.request(100);
/// assert_eq!(counts.dropped(1), 0, "the top is never dropped");
/// assert_eq!(counts.dropped(0) + ts.item_count() as u64, 20);
/// ```
#[derive(Clone)]
pub struct ShedCounts {
    levels: Arc<[AtomicU64]>,
}

impl ShedCounts {
    fn new(levels: usize) -> ShedCounts {
        ShedCounts {
            levels: (0..levels).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Items of `level` dropped so far (0 for the top levels and beyond).
    pub fn dropped(&self, level: usize) -> u64 {
        // Ordering: Relaxed: counters, nothing depends on them.
        self.levels
            .get(level)
            .map_or(0, |count| count.load(Ordering::Relaxed))
    }

    /// Items dropped so far, all levels.
    pub fn total(&self) -> u64 {
        (0..self.levels.len())
            .map(|level| self.dropped(level))
            .sum()
    }

    /// The counts of the sheddable levels, lowest first.
    pub fn snapshot(&self) -> Vec<u64> {
        (0..self.levels.len())
            .map(|level| self.dropped(level))
            .collect()
    }

    fn count(&self, level: usize) {
        if let Some(count) = self.levels.get(level) {
            count.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl fmt::Debug for ShedCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ShedCounts").field(&self.snapshot()).finish()
    }
}

/// Publisher for the [`shed_by_priority`](crate::PublisherExt::shed_by_priority)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct ShedByPriority<P: Publisher, F> {
    upstream: P,
    capacity: usize,
    thresholds: Arc<[f64]>,
    priority: Arc<F>,
    on_dropped: Option<OnDropped<P::Item>>,
    counts: ShedCounts,
}

impl<P: Publisher + fmt::Debug, F> fmt::Debug for ShedByPriority<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShedByPriority")
            .field("upstream", &self.upstream)
            .field("capacity", &self.capacity)
            .field("thresholds", &self.thresholds)
            .field("on_dropped", &self.on_dropped.is_some())
            .field("counts", &self.counts)
            .finish()
    }
}

impl<P: Publisher + Clone, F> Clone for ShedByPriority<P, F> {
    fn clone(&self) -> Self {
        ShedByPriority {
            upstream: self.upstream.clone(),
            capacity: self.capacity,
            thresholds: Arc::clone(&self.thresholds),
            priority: Arc::clone(&self.priority),
            on_dropped: self.on_dropped.clone(),
            counts: self.counts.clone(),
        }
    }
}

impl<P: Publisher, F> ShedByPriority<P, F> {
    pub(crate) fn new(upstream: P, capacity: usize, thresholds: &[f64], priority: F) -> Self {
        let mut previous = 0.0;
        for (level, &threshold) in thresholds.iter().enumerate() {
            assert!(
                (0.0..=1.0).contains(&threshold) && threshold >= previous,
                "shed_by_priority: threshold {level} is {threshold}; thresholds are fill \
                 levels from 0.0 to 1.0, lowest priority first, none below the one before"
            );
            previous = threshold;
        }
        ShedByPriority {
            upstream,
            capacity: capacity.clamp(1, MAX_SHED_CAPACITY),
            thresholds: thresholds.into(),
            priority: Arc::new(priority),
            on_dropped: None,
            counts: ShedCounts::new(thresholds.len()),
        }
    }

    /// The drop counts, per level, of every subscription of this publisher.
    ///
    /// # Examples
    ///
    /// See [`ShedCounts`].
    pub fn counts(&self) -> ShedCounts {
        self.counts.clone()
    }

    /// Hands every item shed to `callback`, on the upstream's thread, in the
    /// order they are shed. Replaces an earlier callback. Items dropped
    /// because the stream ended (a cancel, an error) are not shed and do
    /// not go to it. A panic in `callback` cancels upstream and fails the
    /// stream with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    /// use std::sync::{Arc, Mutex};
    ///
    /// let shed = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&shed);
    /// let ts = TestSubscriber::new(0);
    /// source::range(0..6u32)
    ///     .shed_by_priority(2, &[0.5], |x| usize::from(*x == 0)) // 0 is the top
    ///     .on_dropped(move |x| sink.lock().unwrap().push(x))
    ///     .subscribe(ts.clone());
    /// ts.request(10); // the buffer of 2 was half full from the start
    /// ts.assert_values(&[0]).assert_complete();
    /// assert_eq!(*shed.lock().unwrap(), [1, 2, 3, 4, 5]);
    /// ```
    pub fn on_dropped<C>(mut self, callback: C) -> Self
    where
        C: Fn(P::Item) + Send + Sync + 'static,
    {
        self.on_dropped = Some(Arc::new(callback));
        self
    }
}

impl<P, F> Publisher for ShedByPriority<P, F>
where
    P: Publisher,
    F: Fn(&P::Item) -> usize + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let capacity = self.capacity;
        // Level i drops at `len >= ceil(threshold × capacity)`.
        let limits = self
            .thresholds
            .iter()
            .map(|threshold| (threshold * capacity as f64).ceil() as usize)
            .collect();
        let policy = ShedPolicy {
            capacity,
            limits: Some(limits),
            priority: Arc::clone(&self.priority),
            on_dropped: self.on_dropped.clone(),
            counts: self.counts.clone(),
        };
        self.upstream
            .subscribe(BufferedSubscriber::new(policy, subscriber));
    }
}

/// The buffer and its room, under the engine's lock.
pub(crate) struct ShedStore<T> {
    queue: VecDeque<T>,
    capacity: usize,
    /// Per sheddable level, the fill at which it is dropped.
    limits: Vec<usize>,
    /// Requested upstream, not yet arrived.
    outstanding: u64,
}

impl<T> Default for ShedStore<T> {
    fn default() -> Self {
        ShedStore {
            queue: VecDeque::new(),
            capacity: 1,
            limits: Vec::new(),
            outstanding: 0,
        }
    }
}

/// What became of an arriving item.
enum Admitted<T> {
    Kept,
    Shed(T),
    /// Upstream sent more than it was asked for.
    Unasked(T),
}

impl<T> ShedStore<T> {
    fn admit(&mut self, level: usize, item: T) -> Admitted<T> {
        if self.outstanding == 0 {
            return Admitted::Unasked(item);
        }
        self.outstanding -= 1;
        match self.limits.get(level) {
            Some(&limit) if self.queue.len() >= limit => Admitted::Shed(item),
            _ => {
                self.queue.push_back(item);
                Admitted::Kept
            }
        }
    }
}

impl<T: Send + 'static> Store for ShedStore<T> {
    type Item = T;

    #[inline]
    fn poll(&mut self) -> Option<T> {
        self.queue.pop_front()
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    const WINDOWED: bool = true;

    fn first_request(&mut self) -> u64 {
        self.outstanding = self.capacity as u64;
        self.outstanding
    }

    fn replenish(&mut self, _emitted: u64, _waiting: bool) -> u64 {
        let held = self.outstanding + self.queue.len() as u64;
        let room = (self.capacity as u64).saturating_sub(held);
        if room > 0 && room >= (self.capacity as u64 / 4).max(1) {
            self.outstanding += room;
            room
        } else {
            0
        }
    }
}

/// Levels, sheds, counts, per subscription.
struct ShedPolicy<T, F> {
    capacity: usize,
    /// Taken by the first [`Policy::store`].
    limits: Option<Vec<usize>>,
    priority: Arc<F>,
    on_dropped: Option<OnDropped<T>>,
    counts: ShedCounts,
}

impl<T, F> Policy for ShedPolicy<T, F>
where
    T: Send + 'static,
    F: Fn(&T) -> usize + Send + Sync + 'static,
{
    type Store = ShedStore<T>;

    fn on_next<S>(&mut self, buffered: &Buffered<ShedStore<T>, S>, item: T) -> Result<(), Error>
    where
        S: Subscriber<T> + 'static,
    {
        // User code, outside the lock (`buffered.rs`, rule 3).
        let level = match guard(|| (self.priority)(&item)) {
            Ok(level) => level,
            Err(error) => {
                drop(item);
                return Err(error);
            }
        };
        match buffered.offer(move |store| store.admit(level, item)) {
            None | Some(Admitted::Kept) => Ok(()),
            Some(Admitted::Shed(item)) => {
                self.counts.count(level);
                dropped(self.on_dropped.as_ref(), item)?;
                buffered.top_up();
                Ok(())
            }
            Some(Admitted::Unasked(item)) => {
                drop(item);
                Err(Error::overflow(
                    "shed_by_priority: upstream sent an item it was not asked for",
                ))
            }
        }
    }

    fn store(&mut self) -> ShedStore<T> {
        ShedStore {
            capacity: self.capacity,
            limits: self.limits.take().unwrap_or_default(),
            ..ShedStore::default()
        }
    }
}
