//! The combining operators per item, each beside a baseline that produces
//! the same items in the same run.
//!
//! - `merge` of 4 `range` sources of N/4 items each, into a summing
//!   subscriber, beside a plain loop over the same four ranges: with
//!   unbounded demand, and with a subscriber that requests 256 then 192 at a
//!   time. The `range`s are the crate's synchronous sources, so the merge is
//!   fused into one pull; a third case puts them behind `boxed()`, so that
//!   each is subscribed with its queue and every item passes the drain.
//! - `zip` of 2 `range` sources of N items, beside `Iterator::zip` over the
//!   same two ranges, unbounded: fused, and subscribed behind `boxed()`.
//! - `concat` of the same 4 ranges, beside the same plain loop, for
//!   comparison.
//!
//! Every item goes through `black_box`, in the baselines too, so that LLVM
//! turns none of them into a closed form. Throughput is per item
//! downstream (a pair counts as one).
//!
//! Run with `cargo bench --bench ops_combine`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::{ops, source, Error, Publisher, PublisherExt, Subscriber, Subscription};

/// Items per iteration (downstream).
const N: u64 = 1_000_000;

/// The batch of the bounded case, and its replenishing threshold (75%).
const PREFETCH: u64 = 256;
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// Sums what it receives (through `value`), `black_box` on each, and reports
/// the total on completion. Requests `UNBOUNDED`, or 256 then 192 at a time.
struct Sum<F> {
    value: F,
    batched: bool,
    subscription: Option<Arc<dyn Subscription>>,
    consumed: u64,
    total: u64,
    result: Arc<AtomicU64>,
}

impl<F> Sum<F> {
    fn new(value: F, batched: bool, result: &Arc<AtomicU64>) -> Self {
        Sum {
            value,
            batched,
            subscription: None,
            consumed: 0,
            total: 0,
            result: Arc::clone(result),
        }
    }
}

impl<T, F: FnMut(T) -> u64 + Send> Subscriber<T> for Sum<F> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.batched {
            subscription.request(PREFETCH);
            self.subscription = Some(subscription);
        } else {
            subscription.request(reactive_streams::UNBOUNDED);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.total += black_box((self.value)(item));
        if self.batched {
            self.consumed += 1;
            if self.consumed == LIMIT {
                self.consumed = 0;
                if let Some(subscription) = &self.subscription {
                    subscription.request(LIMIT);
                }
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        panic!("failed: {error}");
    }

    fn on_complete(&mut self) {
        self.subscription = None;
        self.result.store(self.total, Ordering::Relaxed);
    }
}

/// The four ranges that make `0..N`.
fn quarters() -> [core::ops::Range<u64>; 4] {
    let q = N / 4;
    [0..q, q..2 * q, 2 * q..3 * q, 3 * q..N]
}

fn plain_four_ranges() -> u64 {
    let mut sum = 0u64;
    for range in quarters() {
        for i in range {
            sum += black_box(i);
        }
    }
    sum
}

fn merge_four(batched: bool, result: &Arc<AtomicU64>) -> u64 {
    ops::merge(quarters().map(source::range)).subscribe(Sum::new(|x| x, batched, result));
    result.load(Ordering::Relaxed)
}

/// The same four behind `boxed()`, which hides that they are synchronous
/// sources: each is subscribed, with its queue, and every item passes the
/// merge's drain.
fn merge_four_subscribed(result: &Arc<AtomicU64>) -> u64 {
    ops::merge(quarters().map(|q| source::range(q).boxed())).subscribe(Sum::new(
        |x| x,
        false,
        result,
    ));
    result.load(Ordering::Relaxed)
}

fn concat_four(result: &Arc<AtomicU64>) -> u64 {
    ops::concat(quarters().map(source::range)).subscribe(Sum::new(|x| x, false, result));
    result.load(Ordering::Relaxed)
}

fn iterator_zip() -> u64 {
    let mut sum = 0u64;
    for (a, b) in (0..N).zip(0..N) {
        sum += black_box(a ^ b.rotate_left(1));
    }
    sum
}

fn zip_two(result: &Arc<AtomicU64>) -> u64 {
    source::range(0..N)
        .zip(source::range(0..N))
        .subscribe(Sum::new(
            |(a, b): (u64, u64)| a ^ b.rotate_left(1),
            false,
            result,
        ));
    result.load(Ordering::Relaxed)
}

/// The same two behind `boxed()`: both subscribed, each with its queue.
fn zip_two_subscribed(result: &Arc<AtomicU64>) -> u64 {
    source::range(0..N)
        .boxed()
        .zip(source::range(0..N).boxed())
        .subscribe(Sum::new(
            |(a, b): (u64, u64)| a ^ b.rotate_left(1),
            false,
            result,
        ));
    result.load(Ordering::Relaxed)
}

fn merge(c: &mut Criterion) {
    let result = Arc::new(AtomicU64::new(0));
    // Check each case once before timing it.
    let expected = N * (N - 1) / 2;
    assert_eq!(plain_four_ranges(), expected);
    assert_eq!(merge_four(false, &result), expected);
    assert_eq!(merge_four(true, &result), expected);
    assert_eq!(merge_four_subscribed(&result), expected);
    assert_eq!(concat_four(&result), expected);

    let mut group = c.benchmark_group("merge of 4 ranges");
    group.throughput(Throughput::Elements(N));
    group.bench_function("plain loop", |b| b.iter(plain_four_ranges));
    group.bench_function("merge unbounded", |b| b.iter(|| merge_four(false, &result)));
    group.bench_function("merge batched 256/75%", |b| {
        b.iter(|| merge_four(true, &result))
    });
    group.bench_function("merge, subscribed sources, unbounded", |b| {
        b.iter(|| merge_four_subscribed(&result))
    });
    group.bench_function("concat unbounded", |b| b.iter(|| concat_four(&result)));
    group.finish();
}

fn zip(c: &mut Criterion) {
    let result = Arc::new(AtomicU64::new(0));
    assert_eq!(zip_two(&result), iterator_zip());
    assert_eq!(zip_two_subscribed(&result), iterator_zip());

    let mut group = c.benchmark_group("zip of 2 ranges");
    group.throughput(Throughput::Elements(N));
    group.bench_function("Iterator::zip", |b| b.iter(iterator_zip));
    group.bench_function("zip unbounded", |b| b.iter(|| zip_two(&result)));
    group.bench_function("zip, subscribed sources, unbounded", |b| {
        b.iter(|| zip_two_subscribed(&result))
    });
    group.finish();
}

criterion_group!(benches, merge, zip);
criterion_main!(benches);
