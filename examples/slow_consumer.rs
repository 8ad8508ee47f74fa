//! A slow consumer, and the demand it sends upstream.
//!
//! ```text
//! cargo run --release --example slow_consumer
//! ```
//!
//! A [`source::generate`] source produces 20 sensor readings. A hand-written
//! [`Subscriber`] handles each one slowly (it sleeps 60 ms) and asks for more
//! the way every prefetching stage of this crate does: 8 at first, then 6 more
//! each time it has handled 6 (the 75% rule: `limit = 8 - 8 / 4`).
//!
//! Every line shows who acted, and the running totals: `requested` (the sum of
//! the `request(n)` calls so far), `emitted` (the readings the source has
//! produced), and `in flight` (requested but not yet emitted). Things to see:
//!
//! - The source never gets ahead of demand: `emitted <= requested` on every
//!   line. Its step runs only when there is demand; without a request it is
//!   simply not called, so it waits without a thread or a buffer.
//! - Demand travels upstream in batches: one `request(6)` per six readings,
//!   not one call per item.
//! - Asking again at 75% keeps demand from ever reaching 0, so the source never
//!   stalls, while never more than 8 readings are in flight.
//!
//! Everything runs on the main thread: `generate` emits inside `subscribe`
//! and inside the `request` calls the consumer makes from `on_next` (those
//! only record demand; the running emission loop picks it up, §3.3).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use reactive_streams::{source, Error, Publisher, Subscriber, Subscription};

/// Readings the source produces.
const READINGS: u32 = 20;
/// How long the consumer takes per reading.
const WORK: Duration = Duration::from_millis(60);
/// Readings the consumer asks for at first.
const PREFETCH: u64 = 8;
/// Readings it asks for each time it has handled as many (75% of `PREFETCH`).
const LIMIT: u64 = PREFETCH - PREFETCH / 4;

/// The totals both sides update, for printing.
#[derive(Default)]
struct Totals {
    requested: AtomicU64,
    emitted: AtomicU64,
    max_in_flight: AtomicU64,
}

impl Totals {
    /// Prints one line: who did what, then the running totals.
    fn report(&self, who: &str, what: &str) {
        let requested = self.requested.load(Ordering::SeqCst);
        let emitted = self.emitted.load(Ordering::SeqCst);
        let in_flight = requested - emitted;
        self.max_in_flight.fetch_max(in_flight, Ordering::SeqCst);
        println!(
            "{who:<10}{what:<14}requested {requested:>3}   emitted {emitted:>3}   in flight {in_flight}"
        );
    }
}

/// The slow consumer: handles one reading per `WORK`, and requests in
/// batches of `LIMIT` after an initial `PREFETCH`.
struct SlowConsumer {
    subscription: Option<Arc<dyn Subscription>>,
    handled: u32,
    sum: f64,
    totals: Arc<Totals>,
}

impl SlowConsumer {
    fn request(&self, n: u64) {
        if let Some(subscription) = &self.subscription {
            self.totals.requested.fetch_add(n, Ordering::SeqCst);
            self.totals.report("consumer", &format!("request({n})"));
            subscription.request(n);
        }
    }
}

impl Subscriber<f64> for SlowConsumer {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.subscription = Some(subscription);
        self.request(PREFETCH);
    }

    fn on_next(&mut self, reading: f64) {
        thread::sleep(WORK); // the slow part
        self.sum += reading;
        self.handled += 1;
        if u64::from(self.handled) % LIMIT == 0 {
            self.request(LIMIT);
        }
    }

    fn on_error(&mut self, error: Error) {
        println!("consumer  failed: {error}");
    }

    fn on_complete(&mut self) {
        // §2.3: no calls on the subscription from here; dropping it is fine.
        self.subscription = None;
        let mean = self.sum / f64::from(self.handled);
        println!(
            "consumer  complete: {} readings, mean {mean:.2}",
            self.handled
        );
    }
}

fn main() {
    let totals = Arc::new(Totals::default());

    // A sensor with 20 readings. The step is called once per requested item;
    // it signals the reading, and the end together with the last one.
    let source_totals = Arc::clone(&totals);
    let sensor = source::generate(
        || 0u32,
        move |n, sink| {
            let reading = 20.0 + f64::from(*n % 7) * 0.25;
            source_totals.emitted.fetch_add(1, Ordering::SeqCst);
            source_totals.report("source", &format!("emit #{n}"));
            sink.next(reading);
            *n += 1;
            if *n == READINGS {
                sink.complete();
            }
        },
    );

    println!(
        "{READINGS} readings, {} ms of work each; the consumer asks for {PREFETCH}, \
         then {LIMIT} per {LIMIT} handled",
        WORK.as_millis()
    );
    let started = Instant::now();
    sensor.subscribe(SlowConsumer {
        subscription: None,
        handled: 0,
        sum: 0.0,
        totals: Arc::clone(&totals),
    });

    println!(
        "total requested {}, total emitted {}, max in flight {} (prefetch {PREFETCH}), {:.1} s",
        totals.requested.load(Ordering::SeqCst),
        totals.emitted.load(Ordering::SeqCst),
        totals.max_in_flight.load(Ordering::SeqCst),
        started.elapsed().as_secs_f64(),
    );
}
