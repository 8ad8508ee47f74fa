//! `aimd`: a window of upstream demand that grows by a step while
//! downstream keeps up and shrinks by a factor when it does not, as TCP's
//! congestion window does (additive increase, multiplicative decrease).
//!
//! The window bounds the items requested upstream and not yet delivered
//! downstream (in flight plus waiting here), so it is also the most this
//! stage holds. After each drain round:
//!
//! * items left waiting for lack of demand (downstream is backpressured),
//!   or a latency above the limit reported through [`AimdHandle`]: the
//!   window is multiplied by `factor` (floored at `min`), at most once per
//!   window's worth of delivered items, as TCP cuts once per round trip;
//! * otherwise, each window's worth of items delivered adds `step` (capped
//!   at `max`).
//!
//! Demand: `initial` at first, then what the window has room for, in
//! batches of at least a quarter of it. Items and the end pass through in
//! order; completion waits for the items held. Threads: as
//! `on_backpressure_buffer` (the engine is `support/buffered.rs`'s).

use core::fmt;
use core::marker::PhantomData;
use std::collections::VecDeque;
use std::time::Duration;

use crate::error::Error;
use crate::ops::support::buffered::{Buffered, BufferedSubscriber, Policy, Store};
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// The largest window: larger bounds are clamped to it (it bounds what the
/// stage holds).
pub const MAX_WINDOW: u64 = 1 << 16;

/// The bounds and steps of an [`aimd`](crate::PublisherExt::aimd) window.
///
/// `min` is clamped to `1..=MAX_WINDOW`, `max` to `min..=MAX_WINDOW`, the
/// initial window to `min..=max`, `step` to at least 1, and `factor` to
/// `0.0..=1.0` (NaN is taken as the default, 0.5).
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::AimdConfig;
/// use std::time::Duration;
///
/// let config = AimdConfig::new(4, 256)
///     .initial(32)
///     .step(4)
///     .factor(0.5)
///     .latency_limit(Duration::from_millis(50));
/// assert_eq!((config.min(), config.max(), config.initial_window()), (4, 256, 32));
/// assert_eq!(AimdConfig::new(0, u64::MAX).max(), 65_536); // clamped
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AimdConfig {
    min: u64,
    max: u64,
    initial: u64,
    step: u64,
    factor: f64,
    latency_limit: Option<Duration>,
}

impl AimdConfig {
    /// A window between `min` and `max`, starting at `min`, growing by 1,
    /// halving, with no latency limit.
    pub fn new(min: u64, max: u64) -> AimdConfig {
        let min = min.clamp(1, MAX_WINDOW);
        AimdConfig {
            min,
            max: max.clamp(min, MAX_WINDOW),
            initial: min,
            step: 1,
            factor: 0.5,
            latency_limit: None,
        }
    }

    /// The window at subscription (clamped to `min..=max`).
    pub fn initial(mut self, window: u64) -> AimdConfig {
        self.initial = window.clamp(self.min, self.max);
        self
    }

    /// What each window's worth of delivered items adds (at least 1).
    pub fn step(mut self, step: u64) -> AimdConfig {
        self.step = step.max(1);
        self
    }

    /// What a decrease multiplies the window by (`0.0..=1.0`).
    pub fn factor(mut self, factor: f64) -> AimdConfig {
        self.factor = if factor.is_nan() {
            0.5
        } else {
            factor.clamp(0.0, 1.0)
        };
        self
    }

    /// A latency reported through [`AimdHandle::report_latency`] above
    /// `limit` counts as congestion, as a backpressured round does.
    pub fn latency_limit(mut self, limit: Duration) -> AimdConfig {
        self.latency_limit = Some(limit);
        self
    }

    /// The smallest window.
    pub fn min(&self) -> u64 {
        self.min
    }

    /// The largest window.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The window at subscription.
    pub fn initial_window(&self) -> u64 {
        self.initial
    }
}

/// Watches and steers the windows of an [`Aimd`]'s subscriptions: reads
/// the window of the latest one, counts the changes, and takes latency
/// reports. A cheap clone.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::AimdConfig;
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// let aimd = source::range(0..100u32).aimd(AimdConfig::new(2, 8));
/// let handle = aimd.handle();
/// let ts = TestSubscriber::unbounded();
/// aimd.subscribe(ts.clone());
/// ts.assert_complete();
/// assert_eq!(handle.window(), 8); // it kept up: grown to the max
/// assert_eq!(handle.decreases(), 0);
/// ```
#[derive(Clone, Default)]
pub struct AimdHandle {
    shared: Arc<AimdShared>,
}

#[derive(Default)]
struct AimdShared {
    window: AtomicU64,
    increases: AtomicU64,
    decreases: AtomicU64,
    congested: AtomicBool,
    limit: AtomicU64,
}

impl AimdHandle {
    /// Reports the latency of an item (measured by the caller, for example
    /// from its timestamp to its sink). Above the configured
    /// [`latency_limit`](AimdConfig::latency_limit) it counts as congestion
    /// at the next round; without a limit it does nothing.
    pub fn report_latency(&self, latency: Duration) {
        // Ordering: Relaxed: plain counters and flags, read by the drainer
        // with no other data depending on them.
        let limit = self.shared.limit.load(Ordering::Relaxed);
        if limit != 0 && latency.as_nanos() > u128::from(limit) {
            self.shared.congested.store(true, Ordering::Relaxed);
        }
    }

    /// The window of the latest subscription (0 before the first).
    pub fn window(&self) -> u64 {
        self.shared.window.load(Ordering::Relaxed)
    }

    /// How many times a window grew.
    pub fn increases(&self) -> u64 {
        self.shared.increases.load(Ordering::Relaxed)
    }

    /// How many times a window shrank.
    pub fn decreases(&self) -> u64 {
        self.shared.decreases.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for AimdHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AimdHandle")
            .field("window", &self.window())
            .field("increases", &self.increases())
            .field("decreases", &self.decreases())
            .finish()
    }
}

/// Publisher for the [`aimd`](crate::PublisherExt::aimd) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Aimd<P> {
    upstream: P,
    config: AimdConfig,
    handle: AimdHandle,
}

impl<P: fmt::Debug> fmt::Debug for Aimd<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aimd")
            .field("upstream", &self.upstream)
            .field("config", &self.config)
            .field("handle", &self.handle)
            .finish()
    }
}

impl<P: Clone> Clone for Aimd<P> {
    fn clone(&self) -> Self {
        Aimd {
            upstream: self.upstream.clone(),
            config: self.config,
            handle: self.handle.clone(),
        }
    }
}

impl<P> Aimd<P> {
    pub(crate) fn new(upstream: P, config: AimdConfig) -> Self {
        let handle = AimdHandle::default();
        let limit = config.latency_limit.map_or(0, |limit| {
            u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX).max(1)
        });
        handle.shared.limit.store(limit, Ordering::Relaxed);
        Aimd {
            upstream,
            config,
            handle,
        }
    }

    /// The handle that reads the window and takes latency reports.
    ///
    /// # Examples
    ///
    /// See [`AimdHandle`].
    pub fn handle(&self) -> AimdHandle {
        self.handle.clone()
    }
}

impl<P: Publisher> Publisher for Aimd<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let policy = AimdPolicy {
            config: self.config,
            shared: Arc::clone(&self.handle.shared),
            _item: PhantomData,
        };
        self.upstream
            .subscribe(BufferedSubscriber::new(policy, subscriber));
    }
}

/// The window and the items waiting, under the engine's lock.
pub(crate) struct AimdStore<T> {
    queue: VecDeque<T>,
    config: AimdConfig,
    window: u64,
    /// Requested upstream, not yet arrived.
    outstanding: u64,
    /// Delivered since the last change of the window.
    acked: u64,
    /// Delivered since the last decrease (a decrease needs a window's worth).
    since_decrease: u64,
    shared: Option<Arc<AimdShared>>,
}

impl<T> Default for AimdStore<T> {
    fn default() -> Self {
        AimdStore {
            queue: VecDeque::new(),
            config: AimdConfig::new(1, 1),
            window: 1,
            outstanding: 0,
            acked: 0,
            since_decrease: 0,
            shared: None,
        }
    }
}

/// Which way a window moved.
#[derive(Clone, Copy)]
enum Moved {
    Not,
    Up,
    Down,
}

impl<T> AimdStore<T> {
    /// Shows the window (and a move of it) to the handle.
    fn publish(&self, moved: Moved) {
        if let Some(shared) = &self.shared {
            // Ordering: Relaxed: figures for the handle, nothing depends on
            // them.
            shared.window.store(self.window, Ordering::Relaxed);
            match moved {
                Moved::Up => shared.increases.fetch_add(1, Ordering::Relaxed),
                Moved::Down => shared.decreases.fetch_add(1, Ordering::Relaxed),
                Moved::Not => 0,
            };
        }
    }

    /// A latency above the limit was reported since the last decrease.
    fn slow(&self) -> bool {
        // Ordering: Relaxed: a flag, nothing depends on it.
        self.shared
            .as_ref()
            .is_some_and(|shared| shared.congested.load(Ordering::Relaxed))
    }

    /// A decrease answers every report made before it.
    fn clear_slow(&self) {
        if let Some(shared) = &self.shared {
            shared.congested.store(false, Ordering::Relaxed);
        }
    }
}

impl<T: Send + 'static> Store for AimdStore<T> {
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
        self.window = self.config.initial;
        self.since_decrease = self.window; // the first cut may come at once
        self.outstanding = self.window;
        self.publish(Moved::Not);
        self.window
    }

    fn replenish(&mut self, emitted: u64, waiting: bool) -> u64 {
        self.acked = self.acked.saturating_add(emitted);
        self.since_decrease = self.since_decrease.saturating_add(emitted);
        // A congestion signal blocks increases until a decrease answers
        // it (at most one a window, as TCP cuts once a round trip).
        if waiting || self.slow() {
            if self.since_decrease >= self.window {
                self.clear_slow();
                let cut = (self.window as f64 * self.config.factor) as u64;
                let window = cut.clamp(self.config.min, self.config.max);
                let moved = if window < self.window {
                    Moved::Down
                } else {
                    Moved::Not
                };
                self.window = window;
                self.since_decrease = 0;
                self.acked = 0;
                self.publish(moved);
            }
        } else if self.acked >= self.window {
            self.acked -= self.window;
            let window = self
                .window
                .saturating_add(self.config.step)
                .min(self.config.max);
            let moved = if window > self.window {
                Moved::Up
            } else {
                Moved::Not
            };
            self.window = window;
            self.publish(moved);
        }
        let in_flight = self.outstanding + self.queue.len() as u64;
        let room = self.window.saturating_sub(in_flight);
        // In batches of a quarter window, so that a large window is not
        // topped up one item at a time.
        if room > 0 && room >= (self.window / 4).max(1) {
            self.outstanding += room;
            room
        } else {
            0
        }
    }
}

/// Keeps each item for delivery (the window bounds how many come).
struct AimdPolicy<T> {
    config: AimdConfig,
    shared: Arc<AimdShared>,
    _item: PhantomData<fn(T)>,
}

impl<T: Send + 'static> Policy for AimdPolicy<T> {
    type Store = AimdStore<T>;

    fn on_next<S>(&mut self, buffered: &Buffered<AimdStore<T>, S>, item: T) -> Result<(), Error>
    where
        S: Subscriber<T> + 'static,
    {
        let within = buffered.offer(move |store| {
            if store.outstanding == 0 {
                return Err(item);
            }
            store.outstanding -= 1;
            store.queue.push_back(item);
            Ok(())
        });
        match within {
            Some(Err(item)) => {
                drop(item); // unlocked
                Err(Error::overflow(
                    "aimd: upstream sent an item it was not asked for",
                ))
            }
            _ => Ok(()),
        }
    }

    fn store(&mut self) -> AimdStore<T> {
        AimdStore {
            config: self.config,
            shared: Some(Arc::clone(&self.shared)),
            ..AimdStore::default()
        }
    }
}
