//! Two consumers in two processes sharing one durable consumer, one of
//! them slow: the work divides by what each asks for, and the slow one
//! never holds more than it requested.
//!
//! ```text
//! cargo run --release --example shared_durable            # starts its own nats-server
//! NATS_URL=nats://host:4222 cargo run --example shared_durable
//! ```
//!
//! The parent fills stream `WORK` with 3000 messages and starts itself twice
//! as workers on durable `workers`: `fast` asks for 64 at a time (and 48 more
//! each time it has used 48, the 75% rule), `slow` asks for one at a time
//! and works 5 ms on each. Both ack each message after their work. When the
//! consumer has nothing pending or unacknowledged, the parent tells them to
//! stop and each prints what it did.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::AckPolicy;
use bytes::Bytes;
use reactive_streams::{Error, Publisher, Subscriber, Subscription};
use reactive_streams_nats::{Delivery, JetStreamSource};

const MESSAGES: u64 = 3000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 && args[1] == "worker" {
        return worker(&args[2], &args[3]);
    }
    // Our own server unless NATS_URL names one.
    let (_server, url) = match std::env::var("NATS_URL") {
        Ok(url) => (None, url),
        Err(_) => {
            let server = support::NatsServer::start();
            let url = server.url();
            (Some(server), url)
        }
    };
    let rt = support::runtime();
    let mut consumer = rt.block_on(async {
        let js = async_nats::jetstream::new(async_nats::connect(&url).await.expect("connect"));
        let _ = js.delete_stream("WORK").await;
        let stream = support::create_stream(&js, "WORK").await;
        support::fill(&js, "WORK.jobs", MESSAGES).await;
        support::durable(
            &stream,
            "workers",
            AckPolicy::Explicit,
            1000,
            Duration::from_secs(30),
        )
        .await
    });
    println!("{MESSAGES} messages in WORK; starting two workers on durable `workers`");
    let exe = std::env::current_exe().expect("own path");
    let mut workers: Vec<_> = ["fast", "slow"]
        .iter()
        .map(|kind| {
            Command::new(&exe)
                .args(["worker", kind, &url])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a worker")
        })
        .collect();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let info = rt.block_on(async { consumer.info().await.expect("consumer info").clone() });
        if info.num_pending == 0 && info.num_ack_pending == 0 {
            break;
        }
    }
    for worker in &mut workers {
        // Closing stdin tells the worker to stop.
        drop(worker.stdin.take());
    }
    for worker in workers {
        let output = worker.wait_with_output().expect("worker output");
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
}

/// Asks for `prefetch` at first, then `limit` more each time it has used
/// `limit`; acks each message after `work`.
struct Worker {
    prefetch: u64,
    limit: u64,
    work: Duration,
    subscription: Option<Arc<dyn Subscription>>,
    since_request: u64,
    requested: Arc<AtomicU64>,
    processed: Arc<AtomicU64>,
    most_held: Arc<AtomicU64>,
}

impl Subscriber<Delivery<Bytes>> for Worker {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.requested.fetch_add(self.prefetch, Ordering::Relaxed);
        subscription.request(self.prefetch);
        self.subscription = Some(subscription);
    }

    fn on_next(&mut self, delivery: Delivery<Bytes>) {
        // Received but not yet processed, this one included.
        let held = self.requested.load(Ordering::Relaxed) - self.processed.load(Ordering::Relaxed);
        self.most_held.fetch_max(held, Ordering::Relaxed);
        std::thread::sleep(self.work);
        delivery.ack();
        self.processed.fetch_add(1, Ordering::Relaxed);
        self.since_request += 1;
        if self.since_request == self.limit {
            self.since_request = 0;
            self.requested.fetch_add(self.limit, Ordering::Relaxed);
            if let Some(subscription) = &self.subscription {
                subscription.request(self.limit);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        eprintln!("worker failed: {error}");
    }

    fn on_complete(&mut self) {}
}

fn worker(kind: &str, url: &str) {
    let (prefetch, work) = match kind {
        "slow" => (1, Duration::from_millis(5)),
        _ => (64, Duration::from_micros(50)),
    };
    let rt = support::runtime();
    let (js, consumer) = rt.block_on(async {
        let js = async_nats::jetstream::new(async_nats::connect(url).await.expect("connect"));
        let consumer = js
            .get_stream("WORK")
            .await
            .expect("stream")
            .get_consumer("workers")
            .await
            .expect("durable");
        (js, consumer)
    });
    let source = JetStreamSource::builder(&js, consumer)
        .runtime(rt.handle().clone())
        .build()
        .expect("source");
    let processed = Arc::new(AtomicU64::new(0));
    let most_held = Arc::new(AtomicU64::new(0));
    source.subscribe(Worker {
        prefetch,
        limit: (prefetch - prefetch / 4).max(1),
        work,
        subscription: None,
        since_request: 0,
        requested: Arc::new(AtomicU64::new(0)),
        processed: processed.clone(),
        most_held: most_held.clone(),
    });
    // Run until the parent closes our stdin.
    let mut line = String::new();
    let _ = BufReader::new(std::io::stdin()).read_line(&mut line);
    let stats = source.stats();
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{kind:>4} (pid {}): processed {:>4} of {MESSAGES}; asked for {prefetch} at a time; \
         held at most {} unprocessed; pulled {} in {} pulls, never more than {} in flight",
        std::process::id(),
        processed.load(Ordering::Relaxed),
        most_held.load(Ordering::Relaxed),
        stats.pulled,
        stats.pulls,
        stats.max_in_flight,
    );
}
