//! Faults against a real nats-server: killed and restarted mid-stream, a
//! consumer that dies holding messages, a server that is not there, a slow
//! consumer with many messages waiting.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use async_nats::jetstream::consumer::AckPolicy;
use async_nats::jetstream::context::ContextBuilder;
use reactive_streams::{Publisher, PublisherExt, TestSubscriber};
use reactive_streams_nats::{
    connect, AckMode, JetStreamSink, JetStreamSource, Outgoing, RetryPolicy,
};

use support::collector::Collector;
use support::*;

const WAIT: Duration = Duration::from_secs(60);

/// Acks every delivery as it comes, until `distinct` stream sequences were
/// seen; returns (deliveries, distinct sequences).
fn ack_until(
    collector: &Collector<u64>,
    distinct: usize,
    mut at: impl FnMut(usize),
) -> (usize, BTreeSet<u64>) {
    let mut seen = BTreeSet::new();
    let mut deliveries = 0;
    let deadline = Instant::now() + WAIT;
    while seen.len() < distinct {
        assert!(
            Instant::now() < deadline,
            "only {} of {distinct} after {deliveries} deliveries",
            seen.len()
        );
        assert!(
            collector.error().is_none(),
            "source failed: {:?}",
            collector.error()
        );
        for delivery in collector.take() {
            delivery.ack();
            deliveries += 1;
            seen.insert(delivery.meta.stream_sequence);
            at(deliveries);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (deliveries, seen)
}

#[test]
fn server_killed_and_restarted_mid_stream_loses_nothing_with_manual_acks() {
    let mut server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("CRASH")
        .fill(3000)
        .durable("c", AckPolicy::Explicit, 500, Duration::from_secs(2))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer, &rt)
        .batch(50)
        .pull_expires(Duration::from_secs(1))
        .build()
        .unwrap();
    let collector = Collector::subscribed(&source, u64::MAX);
    let mut restarted = false;
    let (deliveries, seen) = ack_until(&collector, 3000, |n| {
        if n == 1000 && !restarted {
            server.kill();
            std::thread::sleep(Duration::from_millis(300));
            server.restart();
            restarted = true;
        }
    });
    assert!(restarted);
    assert_eq!(
        seen,
        (1..=3000).collect::<BTreeSet<u64>>(),
        "every message arrived"
    );
    let duplicates = deliveries - seen.len();
    // Duplicates are the at-least-once price, counted here by stream
    // sequence: a SIGKILLed server may lose its consumer's last state and
    // replay messages as first deliveries (`delivered == 1`), so the
    // source's `redelivered` (delivered > 1) undercounts them.
    let redelivered = source.stats().redelivered;
    eprintln!("server restart: {deliveries} deliveries, {duplicates} duplicates, {redelivered} redelivered");
}

#[test]
fn server_restart_in_a_pipeline_is_deduplicated_by_message_ids() {
    let mut server = NatsServer::start();
    let rt = runtime();
    let js = rt.block_on(async {
        let client = async_nats::connect(server.url()).await.unwrap();
        // Publish acks time out quickly during the outage, then are retried.
        let js = ContextBuilder::new()
            .timeout(Duration::from_secs(1))
            .build(client);
        create_stream(&js, "IN").await;
        create_stream(&js, "OUT").await;
        fill(&js, "IN.x", 2000).await;
        js
    });
    let consumer = rt.block_on(async {
        let stream = js.get_stream("IN").await.unwrap();
        durable(
            &stream,
            "pipe",
            AckPolicy::Explicit,
            256,
            Duration::from_secs(2),
        )
        .await
    });
    let source = JetStreamSource::builder(&js, consumer)
        .ack_mode(AckMode::OnNext)
        .batch(64)
        .pull_expires(Duration::from_secs(1))
        .runtime(rt.handle().clone())
        .build()
        .unwrap();
    let (sink, _handle) = JetStreamSink::builder(&js, "OUT.x")
        .max_in_flight(64)
        .retry(RetryPolicy::new(30, Duration::from_millis(100)))
        .runtime(rt.handle().clone())
        .build_with(|d: reactive_streams_nats::Delivery<bytes::Bytes>| {
            Outgoing::new(d.value.clone()).message_id(format!("in-{}", d.meta.stream_sequence))
        })
        .unwrap();
    source.clone().subscribe(sink);
    let out_messages = |js: &async_nats::jetstream::Context| {
        rt.block_on(async {
            match js.get_stream("OUT").await {
                Ok(mut stream) => stream.info().await.map(|i| i.state.messages).unwrap_or(0),
                Err(_) => 0,
            }
        })
    };
    let deadline = Instant::now() + WAIT;
    while out_messages(&js) < 700 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    std::thread::sleep(Duration::from_millis(300));
    server.restart();
    while out_messages(&js) < 2000 {
        assert!(Instant::now() < deadline, "OUT has {}", out_messages(&js));
        std::thread::sleep(Duration::from_millis(20));
    }
    // Every input exactly once in OUT: duplicates were dropped by id.
    let out = rt.block_on(async {
        let stream = js.get_stream("OUT").await.unwrap();
        durable(
            &stream,
            "check",
            AckPolicy::None,
            -1,
            Duration::from_secs(30),
        )
        .await
    });
    let check = decimal_source(&js, out, &rt)
        .ack_mode(AckMode::None)
        .complete_when_drained()
        .build()
        .unwrap();
    let ts = TestSubscriber::unbounded();
    check.map(|d| d.value).subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_complete();
    let values: BTreeSet<u64> = ts.values().into_iter().collect();
    assert_eq!(ts.values().len(), 2000);
    assert_eq!(values, (0..2000).collect::<BTreeSet<u64>>());
}

/// Set in the environment of the worker process a test starts from its own
/// binary: the server's URL.
const WORKER_URL: &str = "RS_NATS_TEST_WORKER_URL";

/// Not a test on its own: the body of the worker process that
/// `a_killed_consumer_process_leaves_its_unacked_messages_to_another` starts
/// (and kills). It takes 10 messages, prints their sequences, never acks.
#[test]
#[ignore = "run as a child process by a_killed_consumer_process_leaves_its_unacked_messages_to_another"]
fn worker_process_that_holds_ten() {
    let Ok(url) = std::env::var(WORKER_URL) else {
        return;
    };
    let rt = runtime();
    let (js, consumer) = rt.block_on(async {
        let js = async_nats::jetstream::new(async_nats::connect(url).await.unwrap());
        let consumer = js
            .get_stream("DIE")
            .await
            .unwrap()
            .get_consumer("die")
            .await
            .unwrap();
        (js, consumer)
    });
    let source = decimal_source(&js, consumer, &rt).build().unwrap();
    let collector = Collector::subscribed(&source, 10);
    collector.wait_len(10);
    let held: Vec<String> = collector.with(|ds| {
        ds.iter()
            .map(|d| d.meta.stream_sequence.to_string())
            .collect()
    });
    println!("HELD {}", held.join(","));
    // Until killed; or, if the test died first, until our stdin closes.
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[test]
fn a_killed_consumer_process_leaves_its_unacked_messages_to_another() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("DIE")
        .fill(50)
        .durable("die", AckPolicy::Explicit, 100, Duration::from_secs(1))
        .open(&rt, &server);
    // The doomed consumer: this test binary again, running the worker above.
    let mut worker = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "worker_process_that_holds_ten",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WORKER_URL, server.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut held = Vec::new();
    for line in BufReader::new(worker.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        // libtest may print "test <name> ... " on the same line first.
        if let Some((_, list)) = line.split_once("HELD ") {
            held = list.split(',').map(|s| s.parse::<u64>().unwrap()).collect();
            break;
        }
    }
    assert_eq!(held.len(), 10, "the worker took 10 messages");
    // SIGKILL: nothing acked or nacked, the connection just drops.
    worker.kill().unwrap();
    worker.wait().unwrap();

    let source = decimal_source(&js, consumer, &rt).build().unwrap();
    let collector = Collector::subscribed(&source, u64::MAX);
    let mut redelivered = Vec::new();
    let deadline = Instant::now() + WAIT;
    let mut seen = BTreeSet::new();
    while seen.len() < 50 {
        assert!(Instant::now() < deadline, "only {}", seen.len());
        for d in collector.take() {
            if d.meta.delivered > 1 {
                redelivered.push(d.meta.stream_sequence);
            }
            seen.insert(d.meta.stream_sequence);
            d.ack();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    redelivered.sort_unstable();
    assert_eq!(
        redelivered, held,
        "the dead consumer's messages came again, to the survivor"
    );
}

#[test]
fn unreachable_server_at_start_is_a_clear_error_after_the_retries() {
    let rt = runtime();
    let url = format!("nats://127.0.0.1:{}", free_port());
    let error = rt
        .block_on(connect(
            &url,
            RetryPolicy::new(3, Duration::from_millis(20)),
        ))
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains(&format!(
            "could not connect to the NATS server at {url} after 3 attempt(s)"
        )),
        "{text}"
    );
}

#[test]
fn a_slow_consumer_holds_only_what_it_asked_for_while_the_rest_waits_at_the_server() {
    const WAITING: u64 = 20_000;
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("SLOW")
        .fill_with(WAITING, |_| bytes::Bytes::from(vec![b'x'; 1024]))
        .durable("slow", AckPolicy::Explicit, 1000, Duration::from_secs(30))
        .open(&rt, &server);
    let source = JetStreamSource::builder(&js, consumer.clone())
        .runtime(rt.handle().clone())
        .build()
        .unwrap();
    let collector = Collector::subscribed(&source, 1);
    for n in 1..=200u64 {
        collector.wait_len(1);
        for d in collector.take() {
            std::thread::sleep(Duration::from_millis(1)); // slow work
            d.ack();
        }
        assert_eq!(source.stats().pulled, n, "one pull of one per request(1)");
        collector.request(1);
    }
    let stats = source.stats();
    assert!(stats.max_in_flight <= 1, "{stats:?}");
    let info = rt.block_on(async { consumer.clone().info().await.unwrap().clone() });
    // 200 taken, plus the one just requested; the rest waits at the server.
    assert!(info.num_pending >= WAITING - 201, "{}", info.num_pending);
    assert!(info.num_ack_pending <= 1, "{}", info.num_ack_pending);
}
