//! How much to pull: downstream demand, the batch size and the 75% rule,
//! and the consumer's `max_ack_pending`, as plain arithmetic.

/// The pull arithmetic of one source. Pure: the engine feeds it counts and
/// sends the pull it answers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PullCredit {
    /// The largest pull (the prefetch).
    batch: u64,
    /// Pull again once `in_flight` has fallen to this (a quarter of the
    /// batch: 75% of it has been emitted).
    low_water: u64,
    /// The consumer's cap on unacknowledged messages (`u64::MAX` when the
    /// consumer acknowledges nothing).
    max_ack_pending: u64,
}

impl PullCredit {
    /// `batch` is clamped to at least 1 and to `max_ack_pending`.
    pub(crate) fn new(batch: u64, max_ack_pending: u64) -> PullCredit {
        let max_ack_pending = max_ack_pending.max(1);
        let batch = batch.clamp(1, max_ack_pending);
        PullCredit {
            batch,
            low_water: batch / 4,
            max_ack_pending,
        }
    }

    /// The size of the next pull request, if one is due.
    ///
    /// - `unmet`: downstream demand not yet emitted (requested - emitted);
    /// - `in_flight`: pulled and not yet emitted (outstanding at the server
    ///   plus buffered here);
    /// - `unacked`: emitted and not yet settled (acked, nacked, termed or
    ///   dropped).
    ///
    /// A pull never asks for more than the unmet demand, never more than
    /// the batch, never lets `in_flight + unacked` pass `max_ack_pending`,
    /// and waits until `in_flight` is down to a quarter of a batch.
    pub(crate) fn next_pull(&self, unmet: u64, in_flight: u64, unacked: u64) -> Option<u64> {
        if in_flight > self.low_water {
            return None;
        }
        let wanted = unmet.saturating_sub(in_flight);
        let room = self
            .max_ack_pending
            .saturating_sub(in_flight.saturating_add(unacked));
        let size = wanted.min(room).min(self.batch.saturating_sub(in_flight));
        (size > 0).then_some(size)
    }

    /// The largest pull.
    #[cfg(test)]
    pub(crate) fn batch(&self) -> u64 {
        self.batch
    }
}

#[cfg(test)]
mod tests {
    use super::PullCredit;

    #[test]
    fn pulls_no_more_than_demand() {
        let credit = PullCredit::new(256, 1000);
        assert_eq!(credit.next_pull(1, 0, 0), Some(1));
        assert_eq!(credit.next_pull(3, 1, 0), Some(2));
        assert_eq!(credit.next_pull(0, 0, 0), None);
    }

    #[test]
    fn pulls_a_batch_then_replenishes_at_75_percent() {
        let credit = PullCredit::new(256, 100_000);
        assert_eq!(credit.next_pull(10_000, 0, 0), Some(256));
        // 191 of 256 emitted: 65 still in flight, above the low-water mark.
        assert_eq!(credit.next_pull(10_000 - 191, 65, 0), None);
        // 192 emitted: 64 left, the next pull tops the batch up again.
        assert_eq!(credit.next_pull(10_000 - 192, 64, 0), Some(192));
    }

    #[test]
    fn never_passes_max_ack_pending() {
        let credit = PullCredit::new(256, 100);
        assert_eq!(credit.batch(), 100);
        assert_eq!(credit.next_pull(1000, 0, 0), Some(100));
        assert_eq!(credit.next_pull(1000, 0, 100), None);
        assert_eq!(credit.next_pull(1000, 10, 80), Some(10));
    }

    #[test]
    fn degenerate_sizes_are_clamped() {
        let credit = PullCredit::new(0, 0);
        assert_eq!(credit.batch(), 1);
        assert_eq!(credit.next_pull(5, 0, 0), Some(1));
        assert_eq!(credit.next_pull(5, 0, 1), None);
        assert_eq!(credit.next_pull(u64::MAX, u64::MAX, u64::MAX), None);
    }
}
