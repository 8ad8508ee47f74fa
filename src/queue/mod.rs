//! Bounded queues for the buffers of asynchronous operators.
//!
//! Kept in-house, behind the loom shim, so that loom sees the interaction of
//! a queue with the drain loop that empties it (a queue from another crate
//! would be invisible to loom).

#[allow(dead_code)] // `capacity` and `peek` are used by tests only
pub(crate) mod spsc;

/// The largest buffer a stage allocates for a size its user gave: 2^20
/// items.
///
/// A queue is allocated whole when a stage is subscribed, so a size from the
/// user (`limit_rate`'s `high`, the `prefetch` of `flat_map_with` and
/// `concat_map_with`, `publish_with_prefetch`, a processor's capacity, a
/// `buffer` chunk's reservation) is clamped to `1..=MAX_CAPACITY` instead of
/// becoming an allocation as large as asked (or a failed one, which aborts
/// the process). A larger size only means that upstream is asked in smaller
/// batches; no item is lost or dropped because of it. Buffers that grow one
/// item at a time (`on_backpressure_buffer`, `replay`'s history) keep the
/// size as given: they only take memory for items that actually arrive.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, MAX_CAPACITY};
///
/// assert_eq!(MAX_CAPACITY, 1 << 20);
/// // Asks upstream for MAX_CAPACITY items, not for usize::MAX.
/// let ts = TestSubscriber::unbounded();
/// source::range(0..3u64).limit_rate(usize::MAX, usize::MAX).subscribe(ts.clone());
/// ts.assert_values(&[0, 1, 2]).assert_complete();
/// ```
pub const MAX_CAPACITY: usize = 1 << 20;

/// A buffer size from the user, clamped to `1..=MAX_CAPACITY`.
#[inline]
pub(crate) const fn clamp_capacity(capacity: usize) -> usize {
    if capacity == 0 {
        1
    } else if capacity > MAX_CAPACITY {
        MAX_CAPACITY
    } else {
        capacity
    }
}
