//! The prefetch arithmetic of a subscriber that keeps a window of items in
//! flight: ask for `prefetch` first, then for `limit` more each time `limit`
//! have been consumed, with `limit = prefetch - prefetch / 4` (the 75% rule)
//! or a low tide of the caller's choosing (`limit_rate(high, low)`).
//!
//! Every prefetching stage of this crate (`flat_map`'s inners, `merge`,
//! `zip`, `into_stream`, the processors, `limit_rate`) counts through these.

use crate::author::demand::UNBOUNDED;

/// How many items a subscriber that prefetches `prefetch` consumes between
/// two replenishing requests: `prefetch - prefetch / 4`, so that it asks again
/// when 75% of a batch is used and upstream has the rest of the batch to work
/// on meanwhile (Reactor's and RxJava's rule).
///
/// An unbounded prefetch ([`UNBOUNDED`] or more) never replenishes and gives
/// `UNBOUNDED`; a prefetch of 1 gives 1; 0 is taken as 1.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::replenish_limit;
/// use reactive_streams::UNBOUNDED;
///
/// assert_eq!(replenish_limit(256), 192);
/// assert_eq!(replenish_limit(32), 24);
/// assert_eq!(replenish_limit(1), 1);
/// assert_eq!(replenish_limit(u64::MAX), UNBOUNDED);
/// ```
#[inline]
#[must_use]
pub const fn replenish_limit(prefetch: u64) -> u64 {
    if prefetch >= UNBOUNDED {
        UNBOUNDED
    } else if prefetch == 0 {
        1
    } else {
        prefetch - prefetch / 4
    }
}

/// `limit_rate(high, low)`'s arithmetic (Reactor's
/// `Queues.unboundedOrLimit(highTide, lowTide)`): how many items are consumed
/// between two replenishing requests of a subscriber that asks for `high` at
/// first.
///
/// `low == 0` waits for the whole batch (`high`); `low >= high` gives the
/// 75% rule ([`replenish_limit`]); anything between is `low` itself.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::low_tide_limit;
///
/// assert_eq!(low_tide_limit(100, 0), 100); // ask again when all arrived
/// assert_eq!(low_tide_limit(100, 10), 10); // ask for 10 more after 10
/// assert_eq!(low_tide_limit(100, 100), 75); // the 75% rule
/// ```
#[inline]
#[must_use]
pub const fn low_tide_limit(high: u64, low: u64) -> u64 {
    if low == 0 {
        if high == 0 {
            1
        } else {
            high
        }
    } else if low >= high {
        replenish_limit(high)
    } else {
        low
    }
}

/// Tracks a prefetching subscriber's consumption and says when to request
/// more: the one place that owns the 75% rule.
///
/// Request [`prefetch`](Replenish::prefetch) in `on_subscribe`, then call
/// [`consumed_one`](Replenish::consumed_one) for each item you have finished
/// with (not when it arrives, if you queue it) and request what it returns.
/// The subscriber then never has more than `prefetch` items outstanding, and
/// upstream is never left without demand while items are still wanted.
///
/// It is a plain counter (`&mut self`): it lives with the one party that
/// consumes, as §2.7 wants requests from one place at a time.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::author::Replenish;
/// use reactive_streams::{source, Error, Publisher, Subscriber, Subscription};
///
/// /// Sums what it gets, keeping at most 8 items requested.
/// struct Sum {
///     upstream: Option<Arc<dyn Subscription>>,
///     replenish: Replenish,
///     total: u64,
/// }
///
/// impl Subscriber<u64> for Sum {
///     fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
///         subscription.request(self.replenish.prefetch());
///         self.upstream = Some(subscription);
///     }
///     fn on_next(&mut self, item: u64) {
///         self.total += item;
///         if let Some(n) = self.replenish.consumed_one() {
///             if let Some(upstream) = &self.upstream {
///                 upstream.request(n); // 6 more after every 6 (75% of 8)
///             }
///         }
///     }
///     fn on_error(&mut self, _: Error) {}
///     fn on_complete(&mut self) {
///         assert_eq!(self.total, (0..100).sum::<u64>());
///     }
/// }
///
/// source::range(0..100u64).subscribe(Sum {
///     upstream: None,
///     replenish: Replenish::new(8),
///     total: 0,
/// });
/// ```
#[derive(Debug, Clone)]
pub struct Replenish {
    prefetch: u64,
    limit: u64,
    consumed: u64,
}

impl Replenish {
    /// A tracker for `prefetch` items in flight, replenishing at 75%
    /// ([`replenish_limit`]). A prefetch of 0 is taken as 1; [`UNBOUNDED`]
    /// (or `u64::MAX`) asks once for everything and never again.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Replenish;
    ///
    /// let mut r = Replenish::new(4);
    /// assert_eq!(r.prefetch(), 4);
    /// assert_eq!(r.limit(), 3);
    /// assert_eq!(r.consumed_one(), None);
    /// assert_eq!(r.consumed_one(), None);
    /// assert_eq!(r.consumed_one(), Some(3));
    /// ```
    #[must_use]
    pub const fn new(prefetch: u64) -> Self {
        let prefetch = if prefetch == 0 { 1 } else { prefetch };
        Self {
            prefetch,
            limit: replenish_limit(prefetch),
            consumed: 0,
        }
    }

    /// A tracker that asks for `high` at first and for `limit` more after
    /// each `limit` consumed, with `limit` from [`low_tide_limit`]: the
    /// arithmetic of [`limit_rate`](crate::PublisherExt::limit_rate).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Replenish;
    ///
    /// let mut r = Replenish::with_low_tide(10, 2);
    /// assert_eq!(r.prefetch(), 10);
    /// assert_eq!(r.consumed_one(), None);
    /// assert_eq!(r.consumed_one(), Some(2));
    /// ```
    #[must_use]
    pub const fn with_low_tide(high: u64, low: u64) -> Self {
        let prefetch = if high == 0 { 1 } else { high };
        Self {
            prefetch,
            limit: low_tide_limit(prefetch, low),
            consumed: 0,
        }
    }

    /// The first request to make, in `on_subscribe`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(reactive_streams::author::Replenish::new(0).prefetch(), 1);
    /// ```
    #[must_use]
    pub const fn prefetch(&self) -> u64 {
        self.prefetch
    }

    /// How many items are consumed between two replenishing requests, and
    /// how many each of them asks for.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(reactive_streams::author::Replenish::new(256).limit(), 192);
    /// ```
    #[must_use]
    pub const fn limit(&self) -> u64 {
        self.limit
    }

    /// Records one consumed item; returns the amount to request now, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::Replenish;
    /// use reactive_streams::UNBOUNDED;
    ///
    /// let mut r = Replenish::new(UNBOUNDED);
    /// assert_eq!(r.consumed_one(), None); // unbounded: never asks again
    /// ```
    #[inline]
    pub fn consumed_one(&mut self) -> Option<u64> {
        if self.limit == UNBOUNDED {
            return None;
        }
        self.consumed += 1;
        if self.consumed == self.limit {
            self.consumed = 0;
            Some(self.limit)
        } else {
            None
        }
    }
}
