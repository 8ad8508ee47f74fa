//! `range(0..N) -> map -> filter -> sink` beside a plain loop doing the same,
//! in the same run; and the cost that the conditional subscriber
//! (`Subscriber::try_on_next`) keeps away from dropping stages.
//!
//! Every case computes `sum of 3i for i in 0..N where 3i is even`, with
//! `black_box` on each item at the source, so that LLVM can turn none of them
//! into a closed form:
//!
//! - `plain loop`: `for i in 0..n { let x = black_box(i) * 3; if x % 2 == 0 { sum += x } }`.
//! - `chain, unbounded`: `range(0..n).map(|i| black_box(i) * 3).filter(even)`
//!   into a summing subscriber that requests [`UNBOUNDED`].
//! - `chain, batched 256/75%`: the same into a subscriber that requests 256,
//!   then 192 each time it has consumed 192 (the 75% rule), as a prefetching
//!   stage does.
//! - `plain on_next, ...`: the same chains with `range` seen through a
//!   subscriber that forwards only plain `on_next` (as a third-party
//!   publisher would call it): `filter` can no longer reject through
//!   `try_on_next`, so every odd number costs a `request(1)` back up to
//!   `range` (an atomic round trip on its demand and drain).
//!
//! Run with `cargo bench --bench ops_transform`; add
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

/// Items per iteration.
const N: u64 = 1_000_000;

/// The batch of the bounded case, and its replenishing threshold (75%).
const PREFETCH: u64 = 256;
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// Sums what it receives under unbounded demand, and reports the total on
/// completion.
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
        self.total += item;
    }

    fn on_error(&mut self, error: Error) {
        panic!("the chain failed: {error}");
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
        self.total += item;
        self.consumed += 1;
        if self.consumed == LIMIT {
            self.consumed = 0;
            if let Some(subscription) = &self.subscription {
                subscription.request(LIMIT);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        panic!("the chain failed: {error}");
    }

    fn on_complete(&mut self) {
        // §2.3: no call on the subscription from here; dropping it is fine.
        self.subscription = None;
        self.result.store(self.total, Ordering::Relaxed);
    }
}

/// How the summing subscriber requests.
#[derive(Clone, Copy)]
enum Demand {
    Unbounded,
    Batched,
}

/// A publisher seen through [`PlainSubscriber`]: what a publisher that knows
/// nothing of `try_on_next` looks like to the operators after it.
struct Plain<P>(P);

impl<P: Publisher> Publisher for Plain<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.0.subscribe(PlainSubscriber(subscriber));
    }
}

/// Forwards every item with plain `on_next`; its `try_on_next` is the
/// trait's default (`on_next`, and the item counts against demand).
struct PlainSubscriber<S>(S);

impl<T, S: Subscriber<T>> Subscriber<T> for PlainSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.0.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.0.on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        self.0.on_error(error);
    }

    fn on_complete(&mut self) {
        self.0.on_complete();
    }
}

/// `map(|i| black_box(i) * 3).filter(even)` over `upstream`, summed.
fn chain<P>(upstream: P, demand: Demand, result: &Arc<AtomicU64>) -> u64
where
    P: Publisher<Item = u64>,
{
    let chain = upstream.map(|i| black_box(i) * 3).filter(|x| x % 2 == 0);
    match demand {
        Demand::Unbounded => chain.subscribe(Unbounded {
            total: 0,
            result: Arc::clone(result),
        }),
        Demand::Batched => chain.subscribe(Batched {
            subscription: None,
            consumed: 0,
            total: 0,
            result: Arc::clone(result),
        }),
    }
    result.load(Ordering::Relaxed)
}

fn plain_loop(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        let x = black_box(i) * 3;
        if x % 2 == 0 {
            sum += x;
        }
    }
    sum
}

fn map_filter(c: &mut Criterion) {
    let n = black_box(N);
    // 3 * (0 + 2 + 4 + ... + (n - 2)) for even n.
    let expected = 3 * (n / 2) * (n / 2 - 1);
    let result = Arc::new(AtomicU64::new(0));
    // Check each case once before timing it.
    assert_eq!(plain_loop(n), expected);
    for demand in [Demand::Unbounded, Demand::Batched] {
        assert_eq!(chain(source::range(0..n), demand, &result), expected);
        assert_eq!(chain(Plain(source::range(0..n)), demand, &result), expected);
    }

    let mut group = c.benchmark_group("range-map-filter");
    group.throughput(Throughput::Elements(N));
    group.bench_function("plain loop", |b| b.iter(|| plain_loop(n)));
    group.bench_function("chain, unbounded", |b| {
        b.iter(|| chain(source::range(0..n), Demand::Unbounded, &result))
    });
    group.bench_function("chain, batched 256/75%", |b| {
        b.iter(|| chain(source::range(0..n), Demand::Batched, &result))
    });
    group.bench_function("plain on_next, unbounded", |b| {
        b.iter(|| chain(Plain(source::range(0..n)), Demand::Unbounded, &result))
    });
    group.bench_function("plain on_next, batched 256/75%", |b| {
        b.iter(|| chain(Plain(source::range(0..n)), Demand::Batched, &result))
    });
    group.finish();
}

criterion_group!(benches, map_filter);
criterion_main!(benches);
