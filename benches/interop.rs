//! The async bridges against their peers in futures-rs, in the same run.
//!
//! - `into_stream`: `range(0..N).into_stream()` (prefetch 256, 75%) summed
//!   under `futures::executor::block_on`, beside `futures::stream::iter(0..N)`
//!   summed the same way: the cost of the hop from push to pull per item.
//! - `from_stream`: `from_stream(futures::stream::iter(0..N))` into a summing
//!   subscriber (unbounded, and 256/75%), beside a plain `for` loop over
//!   `0..N` and the crate's own `range`: the cost of polling a stream on
//!   demand per item.
//! - `map_async`: 10 000 items, each through a future that completes after a
//!   fixed delay (1 ms) from a timer thread (no thread sleeps in the futures),
//!   at concurrency 64, so the ideal throughput is `64 / 1 ms` = 64 000 items
//!   per second (156 ms per run). `map_async` and `map_async_unordered`
//!   (consumed through `into_stream`) beside futures' `buffered(64)` and
//!   `buffer_unordered(64)`, all under `block_on`, with a fast consumer (sums)
//!   and a slow one (10 µs of work per item, below the ideal's 15.6 µs per
//!   item, so a pipeline that keeps its futures running while the consumer
//!   works loses nothing).
//!
//! - `map_async_timeout`: 100 000 items through ready futures at
//!   concurrency 64, without and with a per-item timeout on `single()`
//!   (each future arms a timer when it starts and cancels it when it
//!   ends): the cost of the timeout per item, and the same over the delayed
//!   futures of `map_async` above.
//!
//! Every case passes each item through `black_box`.
//!
//! Run with `cargo bench --bench interop`; add
//! `-- --warm-up-time 1 --measurement-time 3` for a quicker run.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::executor::block_on;
use futures::stream::{self, Stream, StreamExt};
use reactive_streams::{
    scheduler, source, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

const N: u64 = 1_000_000;

/// The batch of the bounded subscriber, and its replenishing threshold.
const PREFETCH: u64 = 256;
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// Sums a stream of `u64` (or of `Result<u64, _>`) under `block_on`.
async fn sum<S, T>(mut items: S, value: impl Fn(T) -> u64) -> u64
where
    S: Stream<Item = T> + Unpin,
{
    let mut total = 0u64;
    while let Some(item) = items.next().await {
        total = total.wrapping_add(black_box(value(item)));
    }
    total
}

fn into_stream(c: &mut Criterion) {
    let mut group = c.benchmark_group("into_stream");
    group.throughput(Throughput::Elements(N));
    group.bench_function("futures::stream::iter", |b| {
        b.iter(|| block_on(sum(stream::iter(0..N), |x| x)))
    });
    group.bench_function("range.into_stream (256/75%)", |b| {
        b.iter(|| {
            block_on(sum(
                source::range(0..N).into_stream(),
                |x: Result<u64, Error>| x.unwrap(),
            ))
        })
    });
    group.finish();
}

/// Sums the items with `black_box` on each, requesting everything at once or
/// `PREFETCH` with 75% replenishment; reports the sum on completion.
struct Sum {
    bounded: bool,
    subscription: Option<Arc<dyn Subscription>>,
    consumed: u64,
    total: u64,
    result: Arc<AtomicU64>,
}

impl Sum {
    fn run<P: Publisher<Item = u64>>(publisher: &P, bounded: bool) -> u64 {
        let result = Arc::new(AtomicU64::new(u64::MAX));
        publisher.subscribe(Sum {
            bounded,
            subscription: None,
            consumed: 0,
            total: 0,
            result: Arc::clone(&result),
        });
        result.load(Ordering::Relaxed)
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
        self.total = self.total.wrapping_add(black_box(item));
        if self.bounded {
            self.consumed += 1;
            if self.consumed == LIMIT {
                self.consumed = 0;
                if let Some(s) = &self.subscription {
                    s.request(LIMIT);
                }
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        panic!("unexpected error {error}");
    }

    fn on_complete(&mut self) {
        self.result.store(self.total, Ordering::Relaxed);
    }
}

fn from_stream(c: &mut Criterion) {
    let mut group = c.benchmark_group("from_stream");
    group.throughput(Throughput::Elements(N));
    group.bench_function("plain loop", |b| {
        b.iter(|| {
            let mut total = 0u64;
            for x in 0..N {
                total = total.wrapping_add(black_box(x));
            }
            total
        })
    });
    group.bench_function("range, unbounded", |b| {
        b.iter(|| Sum::run(&source::range(0..N), false))
    });
    group.bench_function("from_stream(iter), unbounded", |b| {
        b.iter(|| Sum::run(&source::from_stream(stream::iter(0..N)), false))
    });
    group.bench_function("from_stream(iter), 256/75%", |b| {
        b.iter(|| Sum::run(&source::from_stream(stream::iter(0..N)), true))
    });
    group.finish();
}

/// A timer thread: futures register a deadline and a waker; the thread wakes
/// them when it passes (outside its lock, so that a waker may register new
/// timers from inside `wake`).
struct Timer {
    heap: Mutex<BinaryHeap<Reverse<(Instant, u64)>>>,
    entries: Mutex<std::collections::HashMap<u64, Arc<Entry>>>,
    changed: Condvar,
    next_id: AtomicU64,
}

struct Entry {
    fired: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

fn timer() -> &'static Arc<Timer> {
    static TIMER: OnceLock<Arc<Timer>> = OnceLock::new();
    TIMER.get_or_init(|| {
        let timer = Arc::new(Timer {
            heap: Mutex::new(BinaryHeap::new()),
            entries: Mutex::new(std::collections::HashMap::new()),
            changed: Condvar::new(),
            next_id: AtomicU64::new(0),
        });
        let t = Arc::clone(&timer);
        thread::Builder::new()
            .name("bench-timer".into())
            .spawn(move || t.run())
            .unwrap();
        timer
    })
}

impl Timer {
    fn register(&self, deadline: Instant, entry: Arc<Entry>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.entries.lock().unwrap().insert(id, entry);
        let mut heap = self.heap.lock().unwrap();
        let earliest = heap.peek().map_or(true, |Reverse((d, _))| deadline < *d);
        heap.push(Reverse((deadline, id)));
        drop(heap);
        if earliest {
            self.changed.notify_one();
        }
    }

    fn run(&self) {
        let mut due = Vec::new();
        loop {
            let mut heap = self.heap.lock().unwrap();
            let now = Instant::now();
            while let Some(Reverse((deadline, id))) = heap.peek().copied() {
                if deadline > now {
                    break;
                }
                heap.pop();
                due.push(id);
            }
            if due.is_empty() {
                let wait = heap
                    .peek()
                    .map_or(Duration::from_millis(100), |Reverse((d, _))| {
                        d.saturating_duration_since(now)
                    });
                drop(self.changed.wait_timeout(heap, wait).unwrap());
                continue;
            }
            drop(heap);
            let entries: Vec<Arc<Entry>> = {
                let mut map = self.entries.lock().unwrap();
                due.drain(..).filter_map(|id| map.remove(&id)).collect()
            };
            for entry in entries {
                entry.fired.store(true, Ordering::Release);
                let waker = entry.waker.lock().unwrap().take();
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        }
    }
}

/// Ready with `value` `DELAY` after its first poll.
struct Delay {
    value: u64,
    entry: Option<Arc<Entry>>,
}

const DELAY: Duration = Duration::from_millis(1);

fn delay(value: u64) -> Delay {
    Delay { value, entry: None }
}

impl Future for Delay {
    type Output = u64;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        match &self.entry {
            None => {
                let entry = Arc::new(Entry {
                    fired: AtomicBool::new(false),
                    waker: Mutex::new(Some(cx.waker().clone())),
                });
                timer().register(Instant::now() + DELAY, Arc::clone(&entry));
                self.entry = Some(entry);
                Poll::Pending
            }
            Some(entry) => {
                if entry.fired.load(Ordering::Acquire) {
                    return Poll::Ready(self.value);
                }
                *entry.waker.lock().unwrap() = Some(cx.waker().clone());
                // Fired between the check and the registration: ready now.
                if entry.fired.load(Ordering::Acquire) {
                    return Poll::Ready(self.value);
                }
                Poll::Pending
            }
        }
    }
}

const ITEMS: u64 = 10_000;
const CONCURRENCY: usize = 64;
const SLOW: Duration = Duration::from_micros(10);

/// The consumer's work per item: nothing, or 10 µs of spinning.
fn consume(total: &mut u64, item: u64, slow: bool) {
    if slow {
        let start = Instant::now();
        while start.elapsed() < SLOW {
            std::hint::spin_loop();
        }
    }
    *total = total.wrapping_add(black_box(item));
}

async fn drain<S, T>(mut items: S, value: impl Fn(T) -> u64, slow: bool) -> u64
where
    S: Stream<Item = T> + Unpin,
{
    let mut total = 0u64;
    while let Some(item) = items.next().await {
        consume(&mut total, value(item), slow);
    }
    total
}

fn map_async(c: &mut Criterion) {
    let mut group = c.benchmark_group("map_async");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ITEMS));
    for (name, slow) in [("fast consumer", false), ("slow consumer", true)] {
        group.bench_function(format!("futures buffered(64), {name}"), |b| {
            b.iter(|| {
                let items = stream::iter(0..ITEMS).map(delay).buffered(CONCURRENCY);
                block_on(drain(items, |x| x, slow))
            })
        });
        group.bench_function(format!("futures buffer_unordered(64), {name}"), |b| {
            b.iter(|| {
                let items = stream::iter(0..ITEMS)
                    .map(delay)
                    .buffer_unordered(CONCURRENCY);
                block_on(drain(items, |x| x, slow))
            })
        });
        group.bench_function(format!("map_async(64), {name}"), |b| {
            b.iter(|| {
                let items = source::range(0..ITEMS)
                    .map_async(CONCURRENCY, delay)
                    .into_stream();
                block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), slow))
            })
        });
        group.bench_function(format!("map_async_unordered(64), {name}"), |b| {
            b.iter(|| {
                let items = source::range(0..ITEMS)
                    .map_async_unordered(CONCURRENCY, delay)
                    .into_stream();
                block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), slow))
            })
        });
    }
    group.finish();
}

fn map_async_timeout(c: &mut Criterion) {
    const READY_ITEMS: u64 = 100_000;
    let limit = Duration::from_secs(3600);
    let mut group = c.benchmark_group("map_async_timeout");
    group.throughput(Throughput::Elements(READY_ITEMS));
    group.bench_function("ready futures, no timeout", |b| {
        b.iter(|| {
            let items = source::range(0..READY_ITEMS)
                .map_async(CONCURRENCY, |x| async move { x })
                .into_stream();
            block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), false))
        })
    });
    group.bench_function("ready futures, timeout_on(single)", |b| {
        b.iter(|| {
            let items = source::range(0..READY_ITEMS)
                .map_async(CONCURRENCY, |x| async move { x })
                .timeout_on(limit, scheduler::single())
                .into_stream();
            block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), false))
        })
    });
    group.finish();
    let mut group = c.benchmark_group("map_async_timeout_delayed");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ITEMS));
    group.bench_function("map_async(64), no timeout", |b| {
        b.iter(|| {
            let items = source::range(0..ITEMS)
                .map_async(CONCURRENCY, delay)
                .into_stream();
            block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), false))
        })
    });
    group.bench_function("map_async(64), timeout_on(single)", |b| {
        b.iter(|| {
            let items = source::range(0..ITEMS)
                .map_async(CONCURRENCY, delay)
                .timeout_on(limit, scheduler::single())
                .into_stream();
            block_on(drain(items, |x: Result<u64, Error>| x.unwrap(), false))
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    into_stream,
    from_stream,
    map_async,
    map_async_timeout
);
criterion_main!(benches);
