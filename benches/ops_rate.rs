//! What `throttle_rate` costs per item when its bucket never runs dry (a
//! very high rate), beside the same chain without it, in the same run.
//!
//! - `bare, unbounded`: `range(0..N)` into a summing subscriber that
//!   requests without bound.
//! - `throttle_rate, unbounded`: the same with `throttle_rate(u64::MAX per
//!   second, burst N)` between: one grant of N, then every item passes
//!   through its half-serializer and bumps its arrival counter.
//! - `bare, batches of 256` and `throttle_rate, batches of 256`: the
//!   subscriber requests 256 at a time (as a prefetching consumer does), so
//!   the bucket is also pumped once per batch (a lock, a clock read, a
//!   request upstream).
//!
//! Run with `cargo bench --bench ops_rate -- --warm-up-time 1 --measurement-time 3`.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::mpsc;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::ops::Rate;
use reactive_streams::scheduler;
use reactive_streams::{
    source, BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

/// Items per iteration.
const N: u64 = 100_000;

/// Sums, requesting `batch` at a time (`UNBOUNDED`: once); sends the total
/// on completion.
struct Sum {
    batch: u64,
    left: u64,
    total: u64,
    subscription: Option<Arc<dyn Subscription>>,
    done: mpsc::Sender<u64>,
}

impl Subscriber<u64> for Sum {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(self.batch);
        self.left = self.batch;
        self.subscription = Some(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total += item;
        if self.batch != UNBOUNDED {
            self.left -= 1;
            if self.left == 0 {
                self.left = self.batch;
                if let Some(subscription) = &self.subscription {
                    subscription.request(self.batch);
                }
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        panic!("unexpected error: {error}");
    }

    fn on_complete(&mut self) {
        let _ = self.done.send(self.total);
    }
}

fn run(publisher: &BoxPublisher<u64>, batch: u64) -> u64 {
    let (done, total) = mpsc::channel();
    publisher.subscribe(Sum {
        batch,
        left: 0,
        total: 0,
        subscription: None,
        done,
    });
    total.recv().expect("the stream completes")
}

fn throttle(c: &mut Criterion) {
    let expected = N * (N - 1) / 2;
    let bare = source::range(0..N).boxed();
    let throttled = source::range(0..N)
        .throttle_rate_on(Rate::per_second(u64::MAX), N, scheduler::single())
        .boxed();
    let mut group = c.benchmark_group("throttle_rate");
    group.throughput(Throughput::Elements(N));
    for (name, batch) in [("unbounded", UNBOUNDED), ("batches of 256", 256)] {
        group.bench_function(format!("bare, {name}"), |b| {
            b.iter(|| assert_eq!(black_box(run(&bare, batch)), expected))
        });
        group.bench_function(format!("throttle_rate, {name}"), |b| {
            b.iter(|| assert_eq!(black_box(run(&throttled, batch)), expected))
        });
    }
    group.finish();
}

criterion_group!(benches, throttle);
criterion_main!(benches);
