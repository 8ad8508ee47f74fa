//! Messages per second from a JetStream stream through a trivial map into
//! another stream, 1 KiB payloads, on loopback, against a real nats-server:
//!
//! - `reactive`: `JetStreamSource` (ack on `on_next`, batch 256) ->
//!   `map` -> `JetStreamSink` (256 publishes in flight);
//! - `plain_async_nats`: the loop a user would write with async-nats alone:
//!   `consumer.batch()` pulls of 256, each message published with its ack
//!   future kept in a window of 256, then acked.
//!
//! Both in the same run, on the same server, each iteration moving a fresh
//! batch of messages (filled before the clock starts). Run with
//! `cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 3`.

// `criterion_group!` defines an undocumented `pub fn benches`.
#![allow(missing_docs)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream::consumer::{AckPolicy, PullConsumer};
use async_nats::jetstream::{stream, Context};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use reactive_streams::{Publisher, PublisherExt};
use reactive_streams_nats::{AckMode, JetStreamSink, JetStreamSource};

use support::*;

/// Messages per iteration.
const BATCH: u64 = 2_000;
const PAYLOAD: usize = 1024;

struct Bench {
    _server: NatsServer,
    rt: tokio::runtime::Runtime,
    js: Context,
    next: AtomicU64,
}

impl Bench {
    fn new() -> Bench {
        let server = NatsServer::start();
        let rt = runtime();
        let js = rt.block_on(async {
            let js = jetstream(&server).await;
            js.create_stream(stream::Config {
                name: "OUT".into(),
                subjects: vec!["OUT.>".into()],
                max_messages: 200_000,
                ..Default::default()
            })
            .await
            .unwrap();
            js
        });
        Bench {
            _server: server,
            rt,
            js,
            next: AtomicU64::new(0),
        }
    }

    /// A new stream with `n` 1 KiB messages and a durable on it.
    fn filled(&self, n: u64) -> PullConsumer {
        let name = format!("IN{}", self.next.fetch_add(1, Ordering::Relaxed));
        self.rt.block_on(async {
            let stream = create_stream(&self.js, &name).await;
            fill_with(&self.js, &format!("{name}.x"), n, |_| {
                Bytes::from(vec![7u8; PAYLOAD])
            })
            .await;
            durable(
                &stream,
                "bench",
                AckPolicy::Explicit,
                10_000,
                Duration::from_secs(30),
            )
            .await
        })
    }

    fn reactive(&self, consumer: PullConsumer) {
        let source = JetStreamSource::builder(&self.js, consumer)
            .ack_mode(AckMode::OnNext)
            .batch(256)
            .complete_when_drained()
            .runtime(self.rt.handle().clone())
            .build()
            .unwrap();
        let (sink, handle) = JetStreamSink::builder(&self.js, "OUT.r")
            .max_in_flight(256)
            .runtime(self.rt.handle().clone())
            .build::<Bytes>()
            .unwrap();
        source.map(|delivery| delivery.value).subscribe(sink);
        let report = handle.wait().unwrap();
        assert!(report.published >= BATCH);
    }

    fn plain(&self, consumer: PullConsumer, n: u64) {
        let js = self.js.clone();
        self.rt.block_on(async move {
            let mut moved = 0;
            let mut acks = FuturesUnordered::new();
            while moved < n {
                let mut batch = consumer
                    .batch()
                    .max_messages(256.min((n - moved) as usize))
                    .expires(Duration::from_secs(5))
                    .messages()
                    .await
                    .unwrap();
                while let Some(message) = batch.next().await {
                    let message = message.unwrap();
                    let ack = js.publish("OUT.p", message.payload.clone()).await.unwrap();
                    acks.push(async move { ack.await });
                    while acks.len() >= 256 {
                        acks.next().await.unwrap().unwrap();
                    }
                    message.ack().await.unwrap();
                    moved += 1;
                }
            }
            while let Some(ack) = acks.next().await {
                ack.unwrap();
            }
        });
    }
}

fn pipeline(c: &mut Criterion) {
    let bench = Bench::new();
    let mut group = c.benchmark_group("jetstream_1KiB_source_map_sink");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(10);
    group.bench_function("reactive", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let consumer = bench.filled(BATCH);
                let start = Instant::now();
                bench.reactive(consumer);
                total += start.elapsed();
            }
            total
        })
    });
    group.bench_function("plain_async_nats", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let consumer = bench.filled(BATCH);
                let start = Instant::now();
                bench.plain(consumer, BATCH);
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
