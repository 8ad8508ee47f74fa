//! `flat_map` into a summing subscriber, beside `Iterator::flat_map` over the
//! same ranges in the same run: the cost of flattening per output item.
//!
//! Two shapes, each reported per output item (`Throughput::Elements`):
//!
//! - `1M x 2`: `range(0..1_000_000).flat_map(|_| range(0..2))`: two million
//!   items, one inner per two items, so the cost of starting and retiring an
//!   inner dominates.
//! - `1000 x 1000`: `range(0..1000).flat_map(|_| range(0..1000))`: one
//!   million items, so the cost per item dominates.
//!
//! For each shape:
//!
//! - `Iterator::flat_map`: the baseline, `sum += black_box(item)` per item.
//! - `flat_map, unbounded`: the subscriber requests [`UNBOUNDED`]. The inner
//!   `range`s are the crate's synchronous sources, so `flat_map` runs them
//!   fused, inside its drain, with no subscription (`Publisher::fused_source`).
//! - `flat_map, 256/75%`: the same, with the subscriber requesting 256, then
//!   192 more each time it has consumed 192, as a prefetching stage does.
//! - `flat_map, subscribed inners, unbounded`: every inner behind `boxed()`,
//!   which hides what it is, so each one is subscribed: a subscription, a
//!   queue when demand runs out, and the inner's items asked for 32, then
//!   24 at a time. What any inner that is not the crate's costs.
//!
//! And, for the second shape, `concat_map, unbounded`, with fused inners.
//!
//! Every case passes each item through `black_box`, so that LLVM can turn
//! none of them into a closed form.
//!
//! Run with `cargo bench --bench ops_flatten`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::{
    source, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

/// The batch of the bounded subscriber, and its replenishing threshold.
const PREFETCH: u64 = 256;
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// Sums the items with `black_box` on each, requesting either everything at
/// once or `PREFETCH` with 75% replenishment; reports the sum on completion.
struct Sum {
    bounded: bool,
    subscription: Option<Arc<dyn Subscription>>,
    consumed: u64,
    total: u64,
    result: Arc<AtomicU64>,
}

impl Sum {
    fn new(bounded: bool, result: &Arc<AtomicU64>) -> Self {
        Sum {
            bounded,
            subscription: None,
            consumed: 0,
            total: 0,
            result: Arc::clone(result),
        }
    }
}

impl Subscriber<u64> for Sum {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(if self.bounded { PREFETCH } else { UNBOUNDED });
        if self.bounded {
            self.subscription = Some(subscription);
        }
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total += black_box(item);
        if self.bounded {
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
        panic!("the stream failed: {error}");
    }

    fn on_complete(&mut self) {
        self.subscription = None;
        self.result.store(self.total, Ordering::Relaxed);
    }
}

/// `outer` items, each flattened into `0..inner`, through `flat_map`.
fn flat_map(outer: u64, inner: u64, bounded: bool, result: &Arc<AtomicU64>) -> u64 {
    result.store(u64::MAX, Ordering::Relaxed);
    source::range(0..outer)
        .flat_map(move |_| source::range(0..inner))
        .subscribe(Sum::new(bounded, result));
    result.load(Ordering::Relaxed)
}

/// The same with every inner behind `boxed()`, which hides that it is a
/// synchronous source: each inner is subscribed, not run inside the drain.
fn flat_map_subscribed(outer: u64, inner: u64, result: &Arc<AtomicU64>) -> u64 {
    result.store(u64::MAX, Ordering::Relaxed);
    source::range(0..outer)
        .flat_map(move |_| source::range(0..inner).boxed())
        .subscribe(Sum::new(false, result));
    result.load(Ordering::Relaxed)
}

/// The same through `concat_map`.
fn concat_map(outer: u64, inner: u64, result: &Arc<AtomicU64>) -> u64 {
    result.store(u64::MAX, Ordering::Relaxed);
    source::range(0..outer)
        .concat_map(move |_| source::range(0..inner))
        .subscribe(Sum::new(false, result));
    result.load(Ordering::Relaxed)
}

/// The baseline: `Iterator::flat_map` over the same ranges.
fn iterator(outer: u64, inner: u64) -> u64 {
    let mut sum = 0u64;
    for item in (0..outer).flat_map(|_| 0..inner) {
        sum += black_box(item);
    }
    sum
}

fn shape(c: &mut Criterion, name: &str, outer: u64, inner: u64, with_concat: bool) {
    let (outer, inner) = (black_box(outer), black_box(inner));
    let expected = outer * (inner * (inner - 1) / 2);
    let result = Arc::new(AtomicU64::new(0));
    // Check each case once before timing it.
    assert_eq!(iterator(outer, inner), expected);
    assert_eq!(flat_map(outer, inner, false, &result), expected);
    assert_eq!(flat_map(outer, inner, true, &result), expected);
    assert_eq!(flat_map_subscribed(outer, inner, &result), expected);
    if with_concat {
        assert_eq!(concat_map(outer, inner, &result), expected);
    }

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(outer * inner));
    group.bench_function("Iterator::flat_map", |b| b.iter(|| iterator(outer, inner)));
    group.bench_function("flat_map, unbounded", |b| {
        b.iter(|| flat_map(outer, inner, false, &result))
    });
    group.bench_function("flat_map, 256/75%", |b| {
        b.iter(|| flat_map(outer, inner, true, &result))
    });
    group.bench_function("flat_map, subscribed inners, unbounded", |b| {
        b.iter(|| flat_map_subscribed(outer, inner, &result))
    });
    if with_concat {
        group.bench_function("concat_map, unbounded", |b| {
            b.iter(|| concat_map(outer, inner, &result))
        });
    }
    group.finish();
}

fn flatten(c: &mut Criterion) {
    shape(c, "flat_map 1M x 2", 1_000_000, 2, false);
    shape(c, "flat_map 1000 x 1000", 1000, 1000, true);
}

criterion_group!(benches, flatten);
criterion_main!(benches);
