//! The TCK's publisher verification over JetStreamSource: each publisher
//! is a fresh durable consumer on a fresh stream pre-filled with the
//! requested number of messages, completing when drained. And the
//! blackbox subscriber verification over JetStreamSink.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use async_nats::jetstream::consumer::AckPolicy;
use async_nats::jetstream::Context;
use reactive_streams::{BoxPublisher, PublisherExt};
use reactive_streams_nats::JetStreamSink;
use reactive_streams_nats::{AckMode, Delivery, JetStreamSource};
use reactive_streams_tck::{
    publisher_verification_tests, subscriber_blackbox_verification_tests, PublisherVerification,
    SubscriberBlackboxVerification,
};

use support::*;

/// One server and runtime for the whole binary.
struct World {
    _server: NatsServer,
    rt: tokio::runtime::Runtime,
    js: Context,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let server = NatsServer::start();
        let rt = runtime();
        let js = rt.block_on(async {
            let js = jetstream(&server).await;
            create_stream(&js, "SINK").await;
            js
        });
        World {
            _server: server,
            rt,
            js,
        }
    })
}

/// A source over a new stream holding `elements` messages `0..elements`.
fn prefilled(elements: u64, ack_mode: AckMode) -> JetStreamSource<u64> {
    prefilled_named(elements, ack_mode).0
}

/// The same, with the stream's name.
fn prefilled_named(elements: u64, ack_mode: AckMode) -> (JetStreamSource<u64>, String) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let world = world();
    let name = format!("TCK{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let policy = match ack_mode {
        AckMode::None => AckPolicy::None,
        _ => AckPolicy::Explicit,
    };
    let consumer = world.rt.block_on(async {
        let stream = create_stream(&world.js, &name).await;
        fill(&world.js, &format!("{name}.x"), elements).await;
        durable(&stream, "tck", policy, 10_000, Duration::from_secs(30)).await
    });
    let source = decimal_source(&world.js, consumer, &world.rt)
        .ack_mode(ack_mode)
        .batch(32)
        .complete_when_drained()
        .build()
        .expect("source");
    (source, name)
}

/// A source whose stream was deleted after it was built: it fails with
/// on_error after on_subscribe.
fn failed() -> BoxPublisher<Delivery<u64>> {
    let world = world();
    let (source, stream) = prefilled_named(1, AckMode::OnNext);
    world.rt.block_on(async {
        world
            .js
            .delete_stream(&stream)
            .await
            .expect("delete stream");
    });
    source.boxed()
}

mod ack_on_next {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = JetStreamSource<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            prefilled(elements, AckMode::OnNext)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<Delivery<u64>>> {
            Some(failed())
        }

        fn max_elements_from_publisher(&self) -> u64 {
            // Each publisher is a real stream filled over the network.
            2_000
        }
    }

    publisher_verification_tests!(Verification);
}

mod ack_none {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = JetStreamSource<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            prefilled(elements, AckMode::None)
        }

        fn max_elements_from_publisher(&self) -> u64 {
            2_000
        }
    }

    publisher_verification_tests!(Verification);
}

mod sink {
    use super::*;

    struct Verification;

    impl SubscriberBlackboxVerification for Verification {
        type Item = String;
        type Subscriber = JetStreamSink<String>;

        fn create_subscriber(&self) -> Self::Subscriber {
            let world = world();
            JetStreamSink::builder(&world.js, "SINK.tck")
                .max_in_flight(16)
                .runtime(world.rt.handle().clone())
                .build::<String>()
                .expect("sink")
                .0
        }

        fn create_element(&self, id: u64) -> String {
            id.to_string()
        }
    }

    subscriber_blackbox_verification_tests!(Verification);
}
