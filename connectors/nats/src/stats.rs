//! Counters a source or a sink keeps, readable while it runs.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a [`JetStreamSource`](crate::JetStreamSource)'s counters,
/// summed over its subscriptions.
///
/// ```
/// let stats = reactive_streams_nats::SourceStats::default();
/// assert_eq!(stats.emitted, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceStats {
    /// Messages handed to `on_next`.
    pub emitted: u64,
    /// Of those, messages the server had delivered before (`delivered > 1`):
    /// the duplicates of at-least-once delivery.
    pub redelivered: u64,
    /// Pull requests sent to the server.
    pub pulls: u64,
    /// Messages asked for in those pulls.
    pub pulled: u64,
    /// Payloads the decoder rejected.
    pub decode_failures: u64,
    /// Messages past the delivery limit.
    pub over_delivered: u64,
    /// Messages handed to the dead-letter subject (or terminated without one).
    pub dead_lettered: u64,
    /// The most messages ever pulled and not yet emitted, at once.
    pub max_in_flight: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) emitted: AtomicU64,
    pub(crate) redelivered: AtomicU64,
    pub(crate) pulls: AtomicU64,
    pub(crate) pulled: AtomicU64,
    pub(crate) decode_failures: AtomicU64,
    pub(crate) over_delivered: AtomicU64,
    pub(crate) dead_lettered: AtomicU64,
    pub(crate) max_in_flight: AtomicU64,
}

impl Counters {
    // Ordering: Relaxed throughout; these are statistics, read as a snapshot.
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> SourceStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        SourceStats {
            emitted: get(&self.emitted),
            redelivered: get(&self.redelivered),
            pulls: get(&self.pulls),
            pulled: get(&self.pulled),
            decode_failures: get(&self.decode_failures),
            over_delivered: get(&self.over_delivered),
            dead_lettered: get(&self.dead_lettered),
            max_in_flight: get(&self.max_in_flight),
        }
    }

    pub(crate) fn saw_in_flight(&self, n: u64) {
        self.max_in_flight.fetch_max(n, Ordering::Relaxed);
    }
}
