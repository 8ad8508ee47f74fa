//! `range(0..N)` into a summing subscriber, beside a plain loop over the same
//! `N` in the same run: the cost of the pull engine per item.
//!
//! Three cases, each reported per element (`Throughput::Elements`):
//!
//! - `plain loop`: `for i in 0..n { sum += black_box(i) }`, the floor.
//! - `unbounded`: the subscriber requests [`UNBOUNDED`] in `on_subscribe`.
//! - `batched 256/75%`: the subscriber requests 256, then 192 more each time
//!   it has consumed 192 (the 75% rule), as a prefetching stage does.
//!
//! Every case passes each item through `black_box`, so that LLVM can turn
//! none of them into a closed form and the comparison stays fair.
//!
//! Run with `cargo bench --bench range`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::{source, Error, Publisher, Subscriber, Subscription, UNBOUNDED};

/// Items per iteration.
const N: u64 = 1_000_000;

/// The batch of the bounded case, and its replenishing threshold (75%).
const PREFETCH: u64 = 256;
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// Sums the items it receives, with `black_box` on each, under unbounded
/// demand, and reports the total on completion.
struct Unbounded {
    total: u64,
    result: Arc<AtomicU64>,
}

impl Subscriber<u64> for Unbounded {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total += black_box(item);
    }

    fn on_error(&mut self, error: Error) {
        panic!("range failed: {error}");
    }

    fn on_complete(&mut self) {
        self.result.store(self.total, Ordering::Relaxed);
    }
}

/// The same sum, requesting `PREFETCH` at first and then `LIMIT` more each
/// time it has consumed `LIMIT` items (from inside `on_next`).
struct Batched {
    subscription: Option<Arc<dyn Subscription>>,
    consumed: u64,
    total: u64,
    result: Arc<AtomicU64>,
}

impl Subscriber<u64> for Batched {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(PREFETCH);
        self.subscription = Some(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total += black_box(item);
        self.consumed += 1;
        if self.consumed == LIMIT {
            self.consumed = 0;
            if let Some(subscription) = &self.subscription {
                subscription.request(LIMIT);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        panic!("range failed: {error}");
    }

    fn on_complete(&mut self) {
        // §2.3: no call on the subscription from here; dropping it is fine.
        self.subscription = None;
        self.result.store(self.total, Ordering::Relaxed);
    }
}

/// Sums `0..n` through `range` under unbounded demand. Synchronous: the
/// range runs inside `subscribe`.
fn range_unbounded(n: u64, result: &Arc<AtomicU64>) -> u64 {
    let sum = Unbounded {
        total: 0,
        result: Arc::clone(result),
    };
    source::range(0..n).subscribe(sum);
    result.load(Ordering::Relaxed)
}

/// Sums `0..n` through `range`, 256 at a time with 75% replenishment.
fn range_batched(n: u64, result: &Arc<AtomicU64>) -> u64 {
    let sum = Batched {
        subscription: None,
        consumed: 0,
        total: 0,
        result: Arc::clone(result),
    };
    source::range(0..n).subscribe(sum);
    result.load(Ordering::Relaxed)
}

fn plain_sum(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum += black_box(i);
    }
    sum
}

fn range(c: &mut Criterion) {
    let n = black_box(N);
    let expected = n * (n - 1) / 2;
    let result = Arc::new(AtomicU64::new(0));
    // Check each case once before timing it.
    assert_eq!(plain_sum(n), expected);
    assert_eq!(range_unbounded(n, &result), expected);
    assert_eq!(range_batched(n, &result), expected);

    let mut group = c.benchmark_group("range");
    group.throughput(Throughput::Elements(N));
    group.bench_function("plain loop", |b| b.iter(|| plain_sum(n)));
    group.bench_function("unbounded", |b| b.iter(|| range_unbounded(n, &result)));
    group.bench_function("batched 256/75%", |b| b.iter(|| range_batched(n, &result)));
    group.finish();
}

criterion_group!(benches, range);
criterion_main!(benches);
