//! The ways to consume a stream, beside a plain loop and a hand-written
//! subscriber in the same run (issue 10), and the flattening and zipping
//! operators beside futures-util's.
//!
//! `consume/*`: `range(0..N).map(|x| x + 1).filter(|x| x % 2 == 0)`, summed
//! (each item through `black_box`) by:
//!
//! - `plain loop`: the same chain as an `Iterator`, the floor;
//! - `hand-written subscriber`: a `Subscriber` struct requesting
//!   `UNBOUNDED` and summing in `on_next`, the baseline every other consumer
//!   is compared with;
//! - `subscribe_with`, `LambdaSubscriber prefetch 256`, `for_each`,
//!   `blocking_iter`, `blocking_collect`, `blocking_last`.
//!
//! `flatten/*`: `range(0..M).flat_map(|x| range(x..x + 2))` (and
//! `concat_map`), against `futures::stream::iter(0..M).flat_map(|x|
//! stream::iter(x..x + 2))` under `block_on`. `zip/*`: two ranges zipped,
//! against `stream::iter(..).zip(stream::iter(..))`.
//!
//! Every case reports per item (`Throughput::Elements`). Run with
//! `cargo bench --bench consume -- --warm-up-time 1 --measurement-time 3`.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::executor::block_on;
use futures::stream::{self, StreamExt};
use reactive_streams::{
    source, Error, LambdaSubscriber, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

const N: u64 = 1_000_000;
const M: u64 = 500_000;

/// The chain every consumer sums.
fn chain() -> impl Publisher<Item = u64> {
    source::range(0..N).map(|x| x + 1).filter(|x| x % 2 == 0)
}

/// The hand-written subscriber: sums in `on_next`, reports on completion.
struct Sum {
    total: u64,
    result: Arc<AtomicU64>,
}

impl Subscriber<u64> for Sum {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total += black_box(item);
    }

    fn on_error(&mut self, error: Error) {
        panic!("the stream failed: {error}");
    }

    fn on_complete(&mut self) {
        self.result.store(self.total, Ordering::Relaxed);
    }
}

fn hand_written(publisher: &impl Publisher<Item = u64>) -> u64 {
    let result = Arc::new(AtomicU64::new(u64::MAX));
    publisher.subscribe(Sum {
        total: 0,
        result: Arc::clone(&result),
    });
    result.load(Ordering::Relaxed)
}

fn consume(c: &mut Criterion) {
    let mut group = c.benchmark_group("consume");
    group.throughput(Throughput::Elements(N));
    let expected: u64 = (0..N).map(|x| x + 1).filter(|x| x % 2 == 0).sum();

    group.bench_function("plain loop", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for x in (0..black_box(N)).map(|x| x + 1).filter(|x| x % 2 == 0) {
                sum += black_box(x);
            }
            assert_eq!(sum, expected);
        });
    });
    group.bench_function("hand-written subscriber", |b| {
        b.iter(|| assert_eq!(hand_written(&chain()), expected));
    });
    group.bench_function("subscribe_with", |b| {
        b.iter(|| {
            let sum = Arc::new(AtomicU64::new(0));
            let shared = Arc::clone(&sum);
            let mut total = 0u64;
            let _ = chain().subscribe_with(move |x| {
                total += black_box(x);
                shared.store(total, Ordering::Relaxed);
            });
            assert_eq!(sum.load(Ordering::Relaxed), expected);
        });
    });
    group.bench_function("LambdaSubscriber prefetch 256", |b| {
        b.iter(|| {
            let sum = Arc::new(AtomicU64::new(0));
            let shared = Arc::clone(&sum);
            let mut total = 0u64;
            chain().subscribe(
                LambdaSubscriber::new(move |x: u64| {
                    total += black_box(x);
                    shared.store(total, Ordering::Relaxed);
                })
                .prefetch(256),
            );
            assert_eq!(sum.load(Ordering::Relaxed), expected);
        });
    });
    group.bench_function("for_each", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            chain().for_each(|x| sum += black_box(x)).unwrap();
            assert_eq!(sum, expected);
        });
    });
    group.bench_function("blocking_iter", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for x in chain().blocking_iter() {
                sum += black_box(x.unwrap());
            }
            assert_eq!(sum, expected);
        });
    });
    group.bench_function("blocking_collect", |b| {
        b.iter(|| {
            let items = chain().blocking_collect().unwrap();
            assert_eq!(items.len() as u64, N / 2);
        });
    });
    group.bench_function("blocking_last", |b| {
        b.iter(|| assert_eq!(chain().blocking_last().unwrap(), Some(N)));
    });
    group.finish();
}

fn flatten(c: &mut Criterion) {
    let mut group = c.benchmark_group("flatten");
    group.throughput(Throughput::Elements(2 * M));
    let expected: u64 = (0..M).flat_map(|x| x..x + 2).sum();
    group.bench_function("futures-util flat_map", |b| {
        b.iter(|| {
            let sum = block_on(
                stream::iter(0..M)
                    .flat_map(|x| stream::iter(x..x + 2))
                    .fold(0u64, |a, x| async move { a + black_box(x) }),
            );
            assert_eq!(sum, expected);
        });
    });
    group.bench_function("flat_map", |b| {
        b.iter(|| {
            let p = source::range(0..M).flat_map(|x| source::range(x..x + 2));
            assert_eq!(hand_written(&p), expected);
        });
    });
    group.bench_function("concat_map", |b| {
        b.iter(|| {
            let p = source::range(0..M).concat_map(|x| source::range(x..x + 2));
            assert_eq!(hand_written(&p), expected);
        });
    });
    group.finish();
}

fn zip(c: &mut Criterion) {
    let mut group = c.benchmark_group("zip");
    group.throughput(Throughput::Elements(N));
    let expected: u64 = (0..N).map(|x| 2 * x).sum();
    group.bench_function("futures-util zip", |b| {
        b.iter(|| {
            let sum = block_on(
                stream::iter(0..N)
                    .zip(stream::iter(0..N))
                    .fold(0u64, |a, (x, y)| async move { a + black_box(x + y) }),
            );
            assert_eq!(sum, expected);
        });
    });
    group.bench_function("zip_with", |b| {
        b.iter(|| {
            let p = source::range(0..N).zip_with(source::range(0..N), |x, y| x + y);
            assert_eq!(hand_written(&p), expected);
        });
    });
    group.finish();
}

criterion_group!(benches, consume, flatten, zip);
criterion_main!(benches);
