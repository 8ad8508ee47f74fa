//! The token bucket behind [`throttle_rate`](crate::PublisherExt::throttle_rate),
//! kept as GCRA (the generic cell rate algorithm, as the `governor` crate
//! and ATM networks do): one instant, the theoretical arrival time `tat`
//! of the next token after those already taken, instead of a token count
//! and a refill clock. A bucket holding `burst` tokens at most, refilled
//! one token every `interval`, has `burst - ceil((tat - now) / interval)`
//! tokens at `now`. Integer nanoseconds throughout, so virtual time gives
//! exact answers.

use core::fmt;
use std::time::{Duration, Instant};

use crate::scheduler::MAX_DELAY;

/// A rate: `count` items every `per`.
///
/// A `count` of 0 is taken as 1 and a zero `per` as one nanosecond (the
/// fastest rate there is); `per` above
/// [`MAX_DELAY`](crate::scheduler::MAX_DELAY) is clamped to it.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::Rate;
/// use std::time::Duration;
///
/// assert_eq!(Rate::per_second(4).interval(), Duration::from_millis(250));
/// assert_eq!(Rate::new(3, Duration::from_secs(6)).interval(), Duration::from_secs(2));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    count: u64,
    per: Duration,
}

impl Rate {
    /// `count` items every `per`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::Rate;
    /// use std::time::Duration;
    ///
    /// let one_a_minute = Rate::new(1, Duration::from_secs(60));
    /// assert_eq!(one_a_minute.interval(), Duration::from_secs(60));
    /// ```
    pub fn new(count: u64, per: Duration) -> Rate {
        Rate {
            count: count.max(1),
            per: per.clamp(Duration::from_nanos(1), MAX_DELAY),
        }
    }

    /// `count` items a second.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::Rate;
    /// use std::time::Duration;
    ///
    /// assert_eq!(Rate::per_second(1000).interval(), Duration::from_millis(1));
    /// ```
    pub fn per_second(count: u64) -> Rate {
        Rate::new(count, Duration::from_secs(1))
    }

    /// The time one token takes to come back (`per / count`, at least one
    /// nanosecond).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::Rate;
    /// use std::time::Duration;
    ///
    /// assert_eq!(Rate::per_second(u64::MAX).interval(), Duration::from_nanos(1));
    /// ```
    pub fn interval(&self) -> Duration {
        nanos((self.per.as_nanos() / u128::from(self.count)).max(1))
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:?}", self.count, self.per)
    }
}

/// A `Duration` of `ns` nanoseconds, saturating.
fn nanos(ns: u128) -> Duration {
    let secs = u64::try_from(ns / 1_000_000_000).unwrap_or(u64::MAX);
    // The remainder is below 10^9: it fits.
    Duration::new(secs, (ns % 1_000_000_000) as u32)
}

/// A token bucket on a caller-given clock; see the module docs.
#[derive(Debug, Clone)]
pub(crate) struct TokenBucket {
    /// One token's worth of time, in nanoseconds (at least 1).
    interval: u128,
    burst: u64,
    /// When the bucket is full again (`None`: full since the start).
    tat: Option<Instant>,
}

impl TokenBucket {
    /// A full bucket of `burst` tokens (at least 1), refilled at `rate`.
    pub(crate) fn new(rate: Rate, burst: u64) -> Self {
        TokenBucket {
            interval: rate.interval().as_nanos(),
            burst: burst.max(1),
            tat: None,
        }
    }

    /// The most tokens the bucket holds.
    pub(crate) fn burst(&self) -> u64 {
        self.burst
    }

    /// The time a token takes to come back.
    pub(crate) fn interval(&self) -> Duration {
        nanos(self.interval)
    }

    /// Time owed at `now`: how far `tat` is ahead of it.
    fn debt(&self, now: Instant) -> u128 {
        self.tat
            .map_or(0, |tat| tat.saturating_duration_since(now).as_nanos())
    }

    /// The tokens in the bucket at `now`.
    pub(crate) fn available(&self, now: Instant) -> u64 {
        let capacity = u128::from(self.burst) * self.interval;
        let debt = self.debt(now);
        if debt >= capacity {
            0
        } else {
            // At most `burst`: fits.
            ((capacity - debt) / self.interval) as u64
        }
    }

    /// Takes `n` tokens at `now` (the caller checked
    /// [`available`](Self::available)).
    pub(crate) fn take(&mut self, n: u64, now: Instant) {
        debug_assert!(n <= self.available(now));
        let base = match self.tat {
            Some(tat) if tat > now => tat,
            _ => now,
        };
        let ahead = nanos(u128::from(n) * self.interval);
        self.tat = Some(base.checked_add(ahead).unwrap_or(base + MAX_DELAY));
    }

    /// How long until the bucket holds a token again (zero if it holds
    /// one now).
    pub(crate) fn wait(&self, now: Instant) -> Duration {
        let room = u128::from(self.burst - 1) * self.interval;
        nanos(self.debt(now).saturating_sub(room))
    }
}

#[cfg(all(test, not(reactive_streams_loom)))]
mod tests {
    use super::*;

    #[test]
    fn starts_full_and_refills_one_token_per_interval() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut bucket = TokenBucket::new(Rate::per_second(10), 3);
        assert_eq!(bucket.available(t0), 3);
        bucket.take(3, t0);
        assert_eq!(bucket.available(t0), 0);
        assert_eq!(bucket.wait(t0), ms(100));
        assert_eq!(bucket.available(t0 + ms(99)), 0);
        assert_eq!(bucket.available(t0 + ms(100)), 1);
        assert_eq!(bucket.available(t0 + ms(250)), 2);
        assert_eq!(bucket.available(t0 + ms(10_000)), 3, "never above burst");
        bucket.take(1, t0 + ms(100));
        assert_eq!(bucket.available(t0 + ms(100)), 0);
        assert_eq!(bucket.wait(t0 + ms(150)), ms(50));
    }

    #[test]
    fn extreme_rates_neither_overflow_nor_divide_by_zero() {
        let t0 = Instant::now();
        let mut fast = TokenBucket::new(Rate::per_second(u64::MAX), u64::MAX);
        assert_eq!(fast.available(t0), u64::MAX);
        fast.take(u64::MAX, t0);
        let mut slow = TokenBucket::new(Rate::new(0, Duration::MAX), 0);
        assert_eq!(slow.available(t0), 1);
        slow.take(1, t0);
        assert_eq!(slow.wait(t0), MAX_DELAY);
    }
}
