//! How often and how patiently to try again: connecting, publishing.

use std::time::Duration;

/// Attempts with exponential backoff, for [`connect`](crate::connect) and
/// the [`JetStreamSink`](crate::JetStreamSink)'s publishes.
///
/// ```
/// use std::time::Duration;
/// use reactive_streams_nats::RetryPolicy;
///
/// let policy = RetryPolicy::new(4, Duration::from_millis(100));
/// assert_eq!(policy.backoff(1), Duration::from_millis(100));
/// assert_eq!(policy.backoff(3), Duration::from_millis(400));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// `attempts` tries in all (clamped to at least 1), waiting
    /// `initial_backoff`, doubled after each failure, up to 5 s.
    pub fn new(attempts: u32, initial_backoff: Duration) -> RetryPolicy {
        RetryPolicy {
            attempts: attempts.max(1),
            initial_backoff,
            max_backoff: Duration::from_secs(5),
        }
    }

    /// One attempt, no retry.
    pub fn never() -> RetryPolicy {
        RetryPolicy::new(1, Duration::ZERO)
    }

    /// The wait after failed attempt number `failed` (1-based).
    pub fn backoff(&self, failed: u32) -> Duration {
        let doublings = failed.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    /// 5 attempts, from 100 ms.
    fn default() -> RetryPolicy {
        RetryPolicy::new(5, Duration::from_millis(100))
    }
}
