//! JetStreamSource against a real nats-server: demand becomes pulls, ack
//! modes, max_ack_pending, nak with delay, dead letters, shared consumers.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use async_nats::jetstream::consumer::AckPolicy;
use reactive_streams::{Publisher, PublisherExt, TestSubscriber};
use reactive_streams_nats::{AckMode, DeadLetter, JetStreamSource};

use support::collector::Collector;
use support::*;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn demand_becomes_pulls_of_no_more_than_requested() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("DEMAND")
        .fill(100)
        .durable("d", AckPolicy::Explicit, 1000, Duration::from_secs(30))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer.clone(), &rt)
        .ack_mode(AckMode::OnNext)
        .build()
        .unwrap();
    let ts = TestSubscriber::new(10);
    source.clone().map(|d| d.value).subscribe(ts.clone());
    ts.await_count(10, WAIT);
    ts.assert_values(&(0..10).collect::<Vec<_>>());
    // The server delivered exactly what was asked for: one pull of 10.
    let stats = source.stats();
    assert_eq!((stats.pulls, stats.pulled, stats.emitted), (1, 10, 10));
    let info = rt.block_on(async { consumer.clone().info().await.unwrap().clone() });
    assert_eq!(info.delivered.consumer_sequence, 10);

    ts.request(25);
    ts.await_count(35, WAIT);
    ts.assert_values(&(0..35).collect::<Vec<_>>())
        .assert_not_terminated();
    assert_eq!(source.stats().pulled, 35);
    let info = rt.block_on(async { consumer.clone().info().await.unwrap().clone() });
    assert_eq!(info.delivered.consumer_sequence, 35);
}

#[test]
fn batches_replenish_at_three_quarters() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("BATCH")
        .fill(400)
        .durable("b", AckPolicy::None, -1, Duration::from_secs(30))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer, &rt)
        .ack_mode(AckMode::None)
        .batch(40)
        .complete_when_drained()
        .build()
        .unwrap();
    let ts = TestSubscriber::unbounded();
    source.clone().map(|d| d.value).subscribe(ts.clone());
    ts.await_terminal(WAIT);
    ts.assert_values(&(0..400).collect::<Vec<_>>())
        .assert_complete();
    let stats = source.stats();
    // Never more than a batch in flight, and pulls of at most a batch.
    assert!(stats.max_in_flight <= 40, "{stats:?}");
    assert!(stats.pulls >= 400 / 40, "{stats:?}");
}

#[test]
fn manual_acks_never_pass_max_ack_pending() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("MAP")
        .fill(100)
        .durable("m", AckPolicy::Explicit, 20, Duration::from_secs(30))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer.clone(), &rt).build().unwrap();
    let collector = Collector::subscribed(&source, u64::MAX);
    collector.wait_len(20);
    // Nothing acked: the source pulled no more than max_ack_pending.
    assert_eq!(source.stats().pulled, 20);
    collector.with(|ds| {
        for d in &ds[..5] {
            assert!(d.ack());
            assert!(!d.ack(), "a second ack is a no-op");
        }
    });
    collector.wait_len(25);
    assert_eq!(source.stats().pulled, 25);
    let info = rt.block_on(async { consumer.clone().info().await.unwrap().clone() });
    assert_eq!(info.delivered.consumer_sequence, 25);
    let values: Vec<u64> = collector.with(|ds| ds.iter().map(|d| d.value).collect());
    assert_eq!(values, (0..25).collect::<Vec<_>>());
}

#[test]
fn nak_with_delay_redelivers_the_same_message() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("NAK")
        .fill(1)
        .durable("n", AckPolicy::Explicit, 100, Duration::from_secs(30))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer, &rt).build().unwrap();
    let collector = Collector::subscribed(&source, u64::MAX);
    collector.wait_len(1);
    collector.with(|ds| assert!(ds[0].nak_with_delay(Duration::from_millis(200))));
    collector.wait_len(2);
    collector.with(|ds| {
        assert_eq!(ds[0].meta.stream_sequence, ds[1].meta.stream_sequence);
        assert_eq!((ds[0].meta.delivered, ds[1].meta.delivered), (1, 2));
        assert_eq!(ds[1].value, 0);
        assert!(ds[1].ack());
    });
    assert_eq!(source.stats().redelivered, 1);
}

#[test]
fn malformed_payloads_go_to_the_dead_letter_subject() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("DL")
        .fill_with(100, |i| {
            if i % 10 == 3 {
                bytes::Bytes::from_static(b"not a number")
            } else {
                bytes::Bytes::from(i.to_string())
            }
        })
        .durable("dl", AckPolicy::Explicit, 1000, Duration::from_secs(1))
        .open(&rt, &server);
    let dead = rt.block_on(create_stream(&js, "DEAD"));
    let source = decimal_source(&js, consumer.clone(), &rt)
        .ack_mode(AckMode::OnNext)
        .dead_letter(DeadLetter::to_subject("DEAD.orders"))
        .complete_when_drained()
        .build()
        .unwrap();
    let ts = TestSubscriber::unbounded();
    source.clone().map(|d| d.value).subscribe(ts.clone());
    ts.await_terminal(WAIT);
    let expected: Vec<u64> = (0..100).filter(|i| i % 10 != 3).collect();
    ts.assert_values(&expected).assert_complete();
    let stats = source.stats();
    assert_eq!((stats.decode_failures, stats.dead_lettered), (10, 10));
    rt.block_on(async {
        let mut dead = dead;
        assert_eq!(dead.info().await.unwrap().state.messages, 10);
        let first = dead.get_raw_message(1).await.unwrap();
        let headers = first.headers;
        assert!(headers
            .get("Nats-RS-Dead-Letter-Reason")
            .unwrap()
            .as_str()
            .starts_with("decode failed"));
        assert_eq!(
            headers.get("Nats-RS-Stream-Sequence").unwrap().as_str(),
            "4"
        );
        // Terminated, not left to redelivery.
        let mut consumer = consumer;
        let info = consumer.info().await.unwrap();
        assert_eq!(info.num_ack_pending, 0);
        assert_eq!(info.num_redelivered, 0);
    });
}

#[test]
fn a_message_delivered_too_often_is_dead_lettered() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("POISON")
        .fill(2)
        .durable("p", AckPolicy::Explicit, 100, Duration::from_secs(30))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer, &rt)
        .dead_letter(DeadLetter::default().max_deliveries(3))
        .build()
        .unwrap();
    // Nak message 0 each time; ack message 1.
    let collector = Collector::subscribed(&source, u64::MAX);
    let mut seen = 0;
    while source.stats().over_delivered == 0 {
        collector.wait_len(seen + 1);
        collector.with(|ds| {
            for d in &ds[seen..] {
                if d.value == 0 {
                    d.nak();
                } else {
                    d.ack();
                }
            }
            seen = ds.len();
        });
        if seen >= 4 {
            // 3 deliveries of message 0 and one of message 1 were emitted;
            // the 4th delivery of message 0 goes to the dead letters.
            let deadline = std::time::Instant::now() + WAIT;
            while source.stats().over_delivered == 0 {
                assert!(std::time::Instant::now() < deadline, "never dead-lettered");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
    let zeros: Vec<u64> = collector.with(|ds| {
        ds.iter()
            .filter(|d| d.value == 0)
            .map(|d| d.meta.delivered)
            .collect()
    });
    assert_eq!(zeros, [1, 2, 3]);
    assert_eq!(source.stats().dead_lettered, 1);
}

#[test]
fn sources_on_one_durable_share_its_messages() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("SHARE")
        .durable("s", AckPolicy::Explicit, 1000, Duration::from_secs(30))
        .open(&rt, &server);
    let build = || {
        decimal_source(&js, consumer.clone(), &rt)
            .ack_mode(AckMode::OnNext)
            .batch(16)
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    let (ta, tb) = (TestSubscriber::unbounded(), TestSubscriber::unbounded());
    a.clone()
        .map(|d| d.meta.stream_sequence)
        .subscribe(ta.clone());
    b.clone()
        .map(|d| d.meta.stream_sequence)
        .subscribe(tb.clone());
    // Both have pulls waiting before the first message arrives.
    rt.block_on(fill(&js, "SHARE.x", 1000));
    let deadline = std::time::Instant::now() + WAIT;
    while ta.item_count() + tb.item_count() < 1000 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} + {}",
            ta.item_count(),
            tb.item_count()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (va, vb) = (ta.values(), tb.values());
    assert!(
        !va.is_empty() && !vb.is_empty(),
        "{} / {}",
        va.len(),
        vb.len()
    );
    let all: BTreeSet<u64> = va.iter().chain(&vb).copied().collect();
    assert_eq!(all.len(), 1000, "each message went to exactly one source");
    assert_eq!(va.len() + vb.len(), 1000);
}

#[test]
fn request_zero_signals_rule_3_9_and_takes_nothing() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("BAD")
        .fill(10)
        .durable("bad", AckPolicy::Explicit, 1000, Duration::from_secs(60))
        .open(&rt, &server);
    let source = decimal_source(&js, consumer.clone(), &rt).build().unwrap();
    let collector = Collector::subscribed(&source, 0);
    collector.request(0);
    collector.wait_terminal();
    let error = collector.error().expect("on_error");
    assert_eq!(
        error.rule(),
        Some(reactive_streams::Rule::NON_POSITIVE_REQUEST)
    );

    assert_eq!(source.stats().pulled, 0);
    // It held nothing: a second subscription gets every message at once,
    // not after the 60 s ack_wait.
    let second = Collector::subscribed(&source, u64::MAX);
    second.wait_len(10);
    let values: Vec<u64> = second.with(|ds| ds.iter().map(|d| d.value).collect());
    assert_eq!(values, (0..10).collect::<Vec<_>>());
}

#[test]
fn misconfiguration_is_a_clear_error() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("CFG")
        .durable("cfg", AckPolicy::None, -1, Duration::from_secs(30))
        .open(&rt, &server);
    let error = JetStreamSource::builder(&js, consumer.clone())
        .ack_mode(AckMode::Manual)
        .runtime(rt.handle().clone())
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("does not fit consumer `cfg`"),
        "{error}"
    );
    // Outside a runtime, without .runtime(..):
    let error = JetStreamSource::builder(&js, consumer)
        .ack_mode(AckMode::None)
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("needs a tokio runtime"),
        "{error}"
    );
}

#[test]
fn a_dead_letter_that_cannot_be_stored_is_kept_and_tried_again() {
    let server = NatsServer::start();
    let rt = runtime();
    let (js, consumer) = Fixture::stream("KEEP")
        .fill_with(1, |_| bytes::Bytes::from_static(b"bad"))
        .durable("k", AckPolicy::Explicit, 100, Duration::from_secs(30))
        .open(&rt, &server);
    // No stream captures the dead-letter subject: the republish fails.
    let source = decimal_source(&js, consumer.clone(), &rt)
        .dead_letter(DeadLetter::to_subject("NOWHERE.dead"))
        .build()
        .unwrap();
    let collector = Collector::subscribed(&source, u64::MAX);
    let deadline = std::time::Instant::now() + WAIT;
    while source.stats().decode_failures < 2 {
        assert!(std::time::Instant::now() < deadline, "{:?}", source.stats());
        std::thread::sleep(Duration::from_millis(20));
    }
    // Nacked, not terminated: the server delivered it again.
    let stats = source.stats();
    assert_eq!((stats.dead_lettered, stats.emitted), (0, 0));
    assert_eq!(collector.len(), 0);
}
