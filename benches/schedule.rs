//! The thread hop: `range(0..N) -> publish_on(single()) -> sum on the
//! worker`, ns per item, beside a crossbeam `bounded(256)` channel doing the
//! same hop, in the same run.
//!
//! - `crossbeam bounded(256)`: a thread sends `0..N` into the channel; the
//!   bench thread receives and sums. Two threads busy, one hop per item.
//! - `publish_on (fused range)`: `range` is one of the crate's sources that
//!   run no user code, so the worker pulls it itself (the fused path): no
//!   queue at all, the stream simply runs on the worker.
//! - `subscribe_on -> publish_on (queued)`: the real two-thread hop. `range`
//!   emits on one scheduler's thread (`subscribe_on`, which also runs the
//!   replenishing requests there), items cross the SPSC queue (prefetch
//!   256, replenished at 75%) to `single()`'s thread, which sums. Two
//!   threads busy, as with the channel.
//! - `map -> publish_on (queued, same thread)`: a `map` is never fused
//!   across the hop, so the items are queued; the replenishing requests are
//!   made on the worker, so after the first batch the source runs there
//!   too: the queue's own cost, without a thread crossing per item.
//!
//! Run with `cargo bench --bench schedule`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::scheduler::{self, SingleScheduler};
use reactive_streams::{
    source, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

/// Items per iteration.
const N: u64 = 1_000_000;

/// Sums on whatever thread delivers; reports the sum at the end.
struct Sum {
    total: u64,
    done: mpsc::Sender<u64>,
}

impl Subscriber<u64> for Sum {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
    }

    #[inline]
    fn on_next(&mut self, item: u64) {
        self.total = self.total.wrapping_add(black_box(item));
    }

    fn on_error(&mut self, error: Error) {
        panic!("the bench stream failed: {error}");
    }

    fn on_complete(&mut self) {
        let _ = self.done.send(self.total);
    }
}

fn sum_of(publisher: impl Publisher<Item = u64>) -> u64 {
    let (done, result) = mpsc::channel();
    publisher.subscribe(Sum { total: 0, done });
    result.recv().expect("the stream completed")
}

fn hop(c: &mut Criterion) {
    let expected = N * (N - 1) / 2;
    let producer = SingleScheduler::new("bench-producer");
    let mut group = c.benchmark_group("hop");
    group.throughput(Throughput::Elements(N));

    group.bench_function("crossbeam bounded(256)", |b| {
        b.iter(|| {
            let (tx, rx) = crossbeam_channel::bounded::<u64>(256);
            let sender = thread::spawn(move || {
                for i in 0..N {
                    tx.send(i).unwrap();
                }
            });
            let mut total = 0u64;
            for item in rx.iter() {
                total = total.wrapping_add(black_box(item));
            }
            sender.join().unwrap();
            assert_eq!(total, expected);
        })
    });

    group.bench_function("publish_on (fused range)", |b| {
        b.iter(|| {
            let total = sum_of(source::range(0..N).publish_on(scheduler::single()));
            assert_eq!(total, expected);
        })
    });

    group.bench_function("subscribe_on -> publish_on (queued)", |b| {
        b.iter(|| {
            let total = sum_of(
                source::range(0..N)
                    .subscribe_on(&producer)
                    .publish_on(scheduler::single()),
            );
            assert_eq!(total, expected);
        })
    });

    group.bench_function("map -> publish_on (queued, same thread)", |b| {
        b.iter(|| {
            let total = sum_of(
                source::range(0..N)
                    .map(|x| x)
                    .publish_on(scheduler::single()),
            );
            assert_eq!(total, expected);
        })
    });

    group.finish();
}

criterion_group!(benches, hop);
criterion_main!(benches);
