//! JetStreamSink against a real nats-server: bounded in-flight publishes,
//! demand from acks, message ids, retries and the error after them.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::{source, Error, Publisher, PublisherExt};
use reactive_streams_nats::{JetStreamSink, Outgoing, RetryPolicy};

use support::*;

#[test]
fn publishes_everything_with_demand_bounded_by_the_window() {
    let server = NatsServer::start();
    let rt = runtime();
    let js = rt.block_on(async {
        let js = jetstream(&server).await;
        create_stream(&js, "OUT").await;
        js
    });
    let (sink, handle) = JetStreamSink::builder(&js, "OUT.x")
        .max_in_flight(16)
        .runtime(rt.handle().clone())
        .build_with(|n: u64| Outgoing::new(n.to_string()))
        .unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    source::range(0..1000u64)
        .do_on_request(move |n| seen.lock().unwrap().push(n))
        .subscribe(sink);
    let report = handle.wait().unwrap();
    assert_eq!(
        (report.published, report.duplicates, report.retries),
        (1000, 0, 0)
    );
    let requests = requests.lock().unwrap().clone();
    // 16 at first, then 12 (three quarters of the window) per 12 acks.
    assert_eq!(requests[0], 16);
    assert!(requests[1..].iter().all(|&n| n == 12), "{requests:?}");
    rt.block_on(async {
        let mut stream = js.get_stream("OUT").await.unwrap();
        let info = stream.info().await.unwrap();
        assert_eq!(info.state.messages, 1000);
        // In order: no retry happened.
        let last = stream.get_raw_message(1000).await.unwrap();
        assert_eq!(last.payload.as_ref(), b"999");
    });
}

#[test]
fn message_ids_deduplicate_at_the_server() {
    let server = NatsServer::start();
    let rt = runtime();
    let js = rt.block_on(async {
        let js = jetstream(&server).await;
        create_stream(&js, "IDS").await;
        js
    });
    let (sink, handle) = JetStreamSink::builder(&js, "IDS.x")
        .runtime(rt.handle().clone())
        .build_with(|n: u64| Outgoing::new(n.to_string()).message_id(format!("id-{}", n % 50)))
        .unwrap();
    source::range(0..100u64).subscribe(sink);
    let report = handle.wait().unwrap();
    assert_eq!((report.published, report.duplicates), (100, 50));
    rt.block_on(async {
        let mut stream = js.get_stream("IDS").await.unwrap();
        assert_eq!(stream.info().await.unwrap().state.messages, 50);
    });
}

#[test]
fn gives_up_after_the_retry_policy_with_an_error_naming_it() {
    let server = NatsServer::start();
    let rt = runtime();
    // No stream captures this subject: every publish fails (no responders).
    let js = rt.block_on(jetstream(&server));
    let (sink, handle) = JetStreamSink::builder(&js, "NOWHERE.x")
        .max_in_flight(4)
        .retry(RetryPolicy::new(3, Duration::from_millis(10)))
        .runtime(rt.handle().clone())
        .build::<String>()
        .unwrap();
    let cancelled = Arc::new(Mutex::new(false));
    let flag = cancelled.clone();
    source::range(0..100u64)
        .map(|n| n.to_string())
        .do_on_cancel(move || *flag.lock().unwrap() = true)
        .subscribe(sink);
    let error = handle.wait().unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("publish to `NOWHERE.x` failed after 3 attempt(s)"),
        "{text}"
    );
    assert!(text.contains("not published; 0 published"), "{text}");
    assert!(*cancelled.lock().unwrap(), "upstream was cancelled");
}

#[test]
fn upstream_error_and_panicking_encoder_end_the_sink_with_it() {
    let server = NatsServer::start();
    let rt = runtime();
    let js = rt.block_on(async {
        let js = jetstream(&server).await;
        create_stream(&js, "ERR").await;
        js
    });
    let (sink, handle) = JetStreamSink::builder(&js, "ERR.x")
        .runtime(rt.handle().clone())
        .build::<String>()
        .unwrap();
    source::error::<String>(Error::new("upstream broke")).subscribe(sink);
    let error = handle.wait().unwrap_err();
    assert_eq!(error.to_string(), "upstream broke");

    let (sink, handle) = JetStreamSink::builder(&js, "ERR.x")
        .runtime(rt.handle().clone())
        .build_with(|n: u64| {
            assert!(n < 3, "cannot encode {n}");
            Outgoing::new(n.to_string())
        })
        .unwrap();
    let cancelled = Arc::new(Mutex::new(false));
    let flag = cancelled.clone();
    source::range(0..10u64)
        .do_on_cancel(move || *flag.lock().unwrap() = true)
        .subscribe(sink);
    let error = handle.wait().unwrap_err();
    assert!(error.to_string().contains("cannot encode 3"), "{error}");
    assert!(*cancelled.lock().unwrap(), "upstream was cancelled");
}
