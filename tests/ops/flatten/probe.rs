//! A publisher wrapper that watches demand: how many of its subscriptions are
//! live at once, and how many items each was asked for and has not delivered.
//! Wrap an upstream in one to watch what an operator requests of it, or every
//! inner of a flattening operator in one shared `Probe` to count inners.
#![allow(dead_code)] // not every test uses every reading

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use reactive_streams::{Error, Publisher, Subscriber, Subscription};

/// Shared counters of every subscription made through [`Probe::wrap`].
#[derive(Clone, Default)]
pub(crate) struct Probe {
    stats: Arc<Mutex<Stats>>,
}

#[derive(Default, Debug)]
struct Stats {
    live: usize,
    max_live: usize,
    /// Per subscription, in subscription order.
    subs: Vec<SubStats>,
}

#[derive(Default, Debug, Clone)]
pub(crate) struct SubStats {
    /// Every `request(n)`, in order.
    pub(crate) requests: Vec<u64>,
    /// Requested and not yet delivered.
    pub(crate) outstanding: u64,
    pub(crate) max_outstanding: u64,
    pub(crate) delivered: u64,
    pub(crate) cancelled: bool,
    pub(crate) ended: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Probe {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `publisher`, watched by this probe.
    pub(crate) fn wrap<P: Publisher>(&self, publisher: P) -> Probed<P> {
        Probed {
            inner: publisher,
            stats: Arc::clone(&self.stats),
        }
    }

    /// The most subscriptions live (subscribed, not yet terminated or
    /// cancelled) at once.
    pub(crate) fn max_live(&self) -> usize {
        lock(&self.stats).max_live
    }

    /// Subscriptions live now.
    pub(crate) fn live(&self) -> usize {
        lock(&self.stats).live
    }

    /// How many subscriptions were made.
    pub(crate) fn subscriptions(&self) -> usize {
        lock(&self.stats).subs.len()
    }

    /// The counters of every subscription, in subscription order.
    pub(crate) fn subs(&self) -> Vec<SubStats> {
        lock(&self.stats).subs.clone()
    }

    /// The most items any subscription had requested and not delivered.
    pub(crate) fn max_outstanding(&self) -> u64 {
        lock(&self.stats)
            .subs
            .iter()
            .map(|s| s.max_outstanding)
            .max()
            .unwrap_or(0)
    }

    /// How many subscriptions were cancelled.
    pub(crate) fn cancelled(&self) -> usize {
        lock(&self.stats)
            .subs
            .iter()
            .filter(|s| s.cancelled)
            .count()
    }
}

impl Stats {
    fn end(&mut self, id: usize) {
        if !self.subs[id].ended {
            self.subs[id].ended = true;
            self.live -= 1;
        }
    }
}

/// A publisher watched by a [`Probe`].
pub(crate) struct Probed<P> {
    inner: P,
    stats: Arc<Mutex<Stats>>,
}

impl<P: Publisher> Publisher for Probed<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let id = {
            let mut stats = lock(&self.stats);
            stats.subs.push(SubStats::default());
            stats.live += 1;
            stats.max_live = stats.max_live.max(stats.live);
            stats.subs.len() - 1
        };
        self.inner.subscribe(ProbedSubscriber {
            downstream: subscriber,
            stats: Arc::clone(&self.stats),
            id,
        });
    }
}

struct ProbedSubscriber<S> {
    downstream: S,
    stats: Arc<Mutex<Stats>>,
    id: usize,
}

struct ProbedSubscription {
    upstream: Arc<dyn Subscription>,
    stats: Arc<Mutex<Stats>>,
    id: usize,
}

impl Subscription for ProbedSubscription {
    fn request(&self, n: u64) {
        {
            // Counted before the call: an item may come from inside it.
            let mut stats = lock(&self.stats);
            let sub = &mut stats.subs[self.id];
            sub.requests.push(n);
            sub.outstanding = sub.outstanding.saturating_add(n);
            sub.max_outstanding = sub.max_outstanding.max(sub.outstanding);
        }
        self.upstream.request(n);
    }

    fn cancel(&self) {
        {
            let mut stats = lock(&self.stats);
            stats.subs[self.id].cancelled = true;
            stats.end(self.id);
        }
        self.upstream.cancel();
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for ProbedSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(ProbedSubscription {
            upstream: subscription,
            stats: Arc::clone(&self.stats),
            id: self.id,
        }));
    }

    fn on_next(&mut self, item: T) {
        {
            let mut stats = lock(&self.stats);
            let sub = &mut stats.subs[self.id];
            sub.outstanding = sub.outstanding.saturating_sub(1);
            sub.delivered += 1;
        }
        self.downstream.on_next(item);
    }

    fn try_on_next(&mut self, item: T) -> bool {
        {
            let mut stats = lock(&self.stats);
            let sub = &mut stats.subs[self.id];
            sub.outstanding = sub.outstanding.saturating_sub(1);
            sub.delivered += 1;
        }
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        lock(&self.stats).end(self.id);
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        lock(&self.stats).end(self.id);
        self.downstream.on_complete();
    }
}

/// A publisher that ignores demand: `on_subscribe`, then `n` items (0, 1, ...)
/// at once, then `on_complete`. For overflow tests.
#[derive(Clone, Copy)]
pub(crate) struct Firehose(pub(crate) u64);

struct Nothing;

impl Subscription for Nothing {
    fn request(&self, _: u64) {}
    fn cancel(&self) {}
}

impl Publisher for Firehose {
    type Item = u64;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        subscriber.on_subscribe(Arc::new(Nothing));
        for i in 0..self.0 {
            subscriber.on_next(i);
        }
        subscriber.on_complete();
    }
}
