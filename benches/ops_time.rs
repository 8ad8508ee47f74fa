//! What the time operators cost per item on their synchronous path, beside
//! the same `range(0..N) -> sum` without them, in the same run.
//!
//! - `baseline`: `range(0..N)` into a summing subscriber (unbounded demand).
//! - `map to (Instant::now(), x)`: the clock read by hand, the peer of:
//! - `timestamp`: one clock read per item (`single()`'s clock).
//! - `throttle_first (1 h)`: one clock read per item, all but the first
//!   dropped through `try_on_next`.
//! - `timeout (1 h)`: every item cancels the timer armed for it and arms
//!   the next one on `single()`'s timer heap (the lazy sweep keeps the heap
//!   at about twice the live timers).
//! - `debounce (1 h)`: every item replaces the waiting one and re-arms the
//!   timer; the last goes out with the completion.
//! - `buffer_timeout (256, 1 h)`: one timer per buffer of 256, one request
//!   upstream per buffer.
//! - `delay (0)`: every item hops to `single()`'s thread (a zero delay), in
//!   batches of the head items due: the one asynchronous case.
//!
//! Run with `cargo bench --bench ops_time`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::scheduler;
use reactive_streams::{
    source, BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

/// Items per iteration.
const N: u64 = 100_000;

const HOUR: Duration = Duration::from_secs(3600);

/// What an item adds to the sum.
trait Weigh {
    fn weigh(&self) -> u64;
}

impl Weigh for u64 {
    fn weigh(&self) -> u64 {
        *self
    }
}

impl Weigh for (Instant, u64) {
    fn weigh(&self) -> u64 {
        self.1
    }
}

impl Weigh for Vec<u64> {
    fn weigh(&self) -> u64 {
        self.iter().sum()
    }
}

/// Sums under unbounded demand; sends the total on completion.
struct Sum {
    total: u64,
    done: mpsc::Sender<u64>,
}

impl<T: Weigh> Subscriber<T> for Sum {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.total += item.weigh();
    }

    fn on_error(&mut self, error: Error) {
        panic!("the chain failed: {error}");
    }

    fn on_complete(&mut self) {
        let _ = self.done.send(self.total);
    }
}

fn run<T: Weigh + Send + 'static>(publisher: &BoxPublisher<T>) -> u64 {
    let (done, result) = mpsc::channel();
    publisher.subscribe(Sum { total: 0, done });
    result.recv().expect("the chain completed")
}

fn items() -> BoxPublisher<u64> {
    source::from_iter((0..N).map(black_box)).boxed()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("time");
    group.throughput(Throughput::Elements(N));
    let single = || -> Arc<dyn scheduler::Scheduler> { scheduler::single().into() };

    let baseline = items();
    group.bench_function("baseline", |b| b.iter(|| run(&baseline)));
    let by_hand = items().map(|x| (Instant::now(), x)).boxed();
    group.bench_function("map to (Instant::now(), x)", |b| b.iter(|| run(&by_hand)));
    let timestamp = items().timestamp_on(single()).boxed();
    group.bench_function("timestamp", |b| b.iter(|| run(&timestamp)));
    let throttle = items().throttle_first_on(HOUR, single()).boxed();
    group.bench_function("throttle_first (1 h)", |b| b.iter(|| run(&throttle)));
    let timeout = items().timeout_on(HOUR, single()).boxed();
    group.bench_function("timeout (1 h)", |b| b.iter(|| run(&timeout)));
    let debounce = items().debounce_on(HOUR, single()).boxed();
    group.bench_function("debounce (1 h)", |b| b.iter(|| run(&debounce)));
    let buffers = items().buffer_timeout_on(256, HOUR, single()).boxed();
    group.bench_function("buffer_timeout (256, 1 h)", |b| b.iter(|| run(&buffers)));
    let delay = items().delay_on(Duration::ZERO, single()).boxed();
    group.bench_function("delay (0)", |b| b.iter(|| run(&delay)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
