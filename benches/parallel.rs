//! `parallel(2).run_on(parallel()).map(cpu_heavy).sequential()` against the
//! same map on one thread, in the same run: the speed-up of the rails on a
//! 2-core machine.
//!
//! `cpu_heavy` is about a microsecond of integer mixing per item, with
//! `black_box` so that it is neither hoisted nor vectorized. Every case sums
//! the mapped items (`reduce`) and waits for the sum on the bench thread
//! (`blocking_last`), so every case includes the time to the last item:
//!
//! - `plain loop`: `(0..N).map(cpu_heavy).sum()`, the work alone.
//! - `one thread`: `range(0..N).map(cpu_heavy).reduce(+)` on the caller.
//! - `rails: sequential`: `range(0..N).parallel(2).run_on(parallel())
//!   .map(cpu_heavy).sequential().reduce(+)`.
//! - `rails: ordered`: the same, merged back in source order.
//! - `rails: reduce per rail`: `...map(cpu_heavy).reduce(+)` on each rail,
//!   then `sequential().reduce(+)`: two items cross back instead of N.
//!
//! The ratio to read is `one thread / rails`: 2 at best on two idle cores.
//! The machine is shared: note its load (`uptime`) beside the figures.
//!
//! Run with `cargo bench --bench parallel -- --warm-up-time 1 --measurement-time 3`.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reactive_streams::ops::ParallelPublisher;
use reactive_streams::{scheduler, source, PublisherExt};

/// Items per iteration.
const N: u64 = 20_000;

/// Rounds of mixing per item: about a microsecond.
const ROUNDS: u64 = 400;

/// CPU-bound work on one item.
fn cpu_heavy(x: u64) -> u64 {
    let mut h = black_box(x) | 1;
    for _ in 0..ROUNDS {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        h = h.wrapping_mul(0x2545_f491_4f6c_dd1d);
    }
    h >> 40
}

fn expected() -> u64 {
    (0..N).map(cpu_heavy).sum()
}

fn rails(c: &mut Criterion) {
    let sum = expected();
    let mut group = c.benchmark_group("parallel: map(cpu_heavy) over 20k items");
    group.throughput(Throughput::Elements(N));
    group.sample_size(20);

    group.bench_function("plain loop", |b| {
        b.iter(|| assert_eq!(black_box((0..N).map(cpu_heavy).sum::<u64>()), sum));
    });

    group.bench_function("one thread", |b| {
        b.iter(|| {
            let total = source::range(0..N)
                .map(cpu_heavy)
                .reduce(|a, b| a + b)
                .blocking_last()
                .unwrap();
            assert_eq!(total, Some(sum));
        });
    });

    group.bench_function("rails: parallel(2).run_on(parallel()), sequential", |b| {
        b.iter(|| {
            let total = source::range(0..N)
                .parallel(2)
                .run_on(scheduler::parallel())
                .map(cpu_heavy)
                .sequential()
                .reduce(|a, b| a + b)
                .blocking_last()
                .unwrap();
            assert_eq!(total, Some(sum));
        });
    });

    group.bench_function("rails: parallel(2).run_on(parallel()), ordered", |b| {
        b.iter(|| {
            let total = source::range(0..N)
                .parallel(2)
                .run_on(scheduler::parallel())
                .map(cpu_heavy)
                .ordered()
                .reduce(|a, b| a + b)
                .blocking_last()
                .unwrap();
            assert_eq!(total, Some(sum));
        });
    });

    group.bench_function(
        "rails: parallel(2).run_on(parallel()), reduce per rail",
        |b| {
            b.iter(|| {
                let total = source::range(0..N)
                    .parallel(2)
                    .run_on(scheduler::parallel())
                    .map(cpu_heavy)
                    .reduce(|a, b| a + b)
                    .sequential()
                    .reduce(|a, b| a + b)
                    .blocking_last()
                    .unwrap();
                assert_eq!(total, Some(sum));
            });
        },
    );

    group.finish();
}

criterion_group!(benches, rails);
criterion_main!(benches);
