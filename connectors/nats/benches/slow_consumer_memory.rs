//! Peak memory of a slow consumer while a million messages wait in the
//! stream: the reactive source (request(1) per message processed) beside
//! async-nats' own `consumer.messages()` stream (its default prefetch),
//! in the same run, each processing 1 ms per message for 3 s.
//!
//! Prints the client process's resident memory before, and the most it
//! grew while consuming (sampled every 5 ms from /proc/self/status), and
//! the consumer state at the server. Run with
//! `cargo bench --bench slow_consumer_memory` (set `WAITING=100000` for a
//! quicker run).

// A figure printer, not a criterion bench.
#![allow(missing_docs)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream::consumer::AckPolicy;
use bytes::Bytes;
use futures_util::StreamExt;
use reactive_streams::{Error, Publisher, Subscriber, Subscription};
use reactive_streams_nats::{Delivery, JetStreamSource};

use support::*;

const PAYLOAD: usize = 1024;
const RUN: Duration = Duration::from_secs(3);

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Samples RSS until `stop`; returns the maximum.
fn sample(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut max = 0;
        while !stop.load(Ordering::Relaxed) {
            max = max.max(rss_kib());
            std::thread::sleep(Duration::from_millis(5));
        }
        max
    })
}

/// Takes one message at a time, 1 ms of work each.
struct Slow {
    subscription: Option<Arc<dyn Subscription>>,
    processed: Arc<AtomicU64>,
}

impl Subscriber<Delivery<Bytes>> for Slow {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(1);
        self.subscription = Some(subscription);
    }
    fn on_next(&mut self, delivery: Delivery<Bytes>) {
        std::thread::sleep(Duration::from_millis(1));
        delivery.ack();
        self.processed.fetch_add(1, Ordering::Relaxed);
        if let Some(s) = &self.subscription {
            s.request(1);
        }
    }
    fn on_error(&mut self, error: Error) {
        eprintln!("error: {error}");
    }
    fn on_complete(&mut self) {}
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let waiting: u64 = std::env::var("WAITING")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1_000_000);
    let server = NatsServer::start();
    let rt = runtime();
    let (js, reactive_consumer, plain_consumer) = rt.block_on(async {
        let js = jetstream(&server).await;
        let stream = create_stream(&js, "WAIT").await;
        let start = Instant::now();
        fill_with(&js, "WAIT.x", waiting, |_| Bytes::from(vec![1u8; PAYLOAD])).await;
        eprintln!("filled {waiting} x {PAYLOAD} B in {:?}", start.elapsed());
        let a = durable(
            &stream,
            "reactive",
            AckPolicy::Explicit,
            1000,
            Duration::from_secs(30),
        )
        .await;
        let b = durable(
            &stream,
            "plain",
            AckPolicy::Explicit,
            1000,
            Duration::from_secs(30),
        )
        .await;
        (js, a, b)
    });

    // The reactive source.
    let before = rss_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample(stop.clone());
    let processed = Arc::new(AtomicU64::new(0));
    let source = JetStreamSource::builder(&js, reactive_consumer.clone())
        .runtime(rt.handle().clone())
        .build()
        .unwrap();
    source.subscribe(Slow {
        subscription: None,
        processed: processed.clone(),
    });
    std::thread::sleep(RUN);
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    let info = rt.block_on(async { reactive_consumer.clone().info().await.unwrap().clone() });
    println!(
        "reactive source:       rss before {before} KiB, peak growth {} KiB; processed {}, \
         pending at server {}, unacked {}, max in flight {}",
        peak.saturating_sub(before),
        processed.load(Ordering::Relaxed),
        info.num_pending,
        info.num_ack_pending,
        source.stats().max_in_flight
    );

    // async-nats' messages() stream, same work per message.
    let before = rss_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample(stop.clone());
    let processed = Arc::new(AtomicU64::new(0));
    let count = processed.clone();
    let task = rt.spawn(async move {
        let mut messages = plain_consumer.messages().await.unwrap();
        while let Some(message) = messages.next().await {
            let message = message.unwrap();
            tokio::time::sleep(Duration::from_millis(1)).await;
            message.ack().await.unwrap();
            count.fetch_add(1, Ordering::Relaxed);
        }
    });
    std::thread::sleep(RUN);
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    task.abort();
    let info = rt.block_on(async {
        let mut consumer = js
            .get_stream("WAIT")
            .await
            .unwrap()
            .get_consumer::<async_nats::jetstream::consumer::pull::Config>("plain")
            .await
            .unwrap();
        consumer.info().await.unwrap().clone()
    });
    println!(
        "async-nats messages(): rss before {before} KiB, peak growth {} KiB; processed {}, \
         pending at server {}, unacked {}",
        peak.saturating_sub(before),
        processed.load(Ordering::Relaxed),
        info.num_pending,
        info.num_ack_pending
    );
}
