//! The helper publisher is itself a correct publisher: it passes the
//! publisher verification (the JVM TCK trusts its `AsyncIterablePublisher`
//! because the examples module tests it the same way).

use std::sync::Arc;

use reactive_streams::{Error, ErrorKind, Publisher, Subscriber, Subscription};
use reactive_streams_tck::helper::{AsyncIterablePublisher, POOL_THREADS};
use reactive_streams_tck::{
    publisher, run_publisher_verification, PublisherVerification, TestEnvironment,
};

struct Helper;

impl PublisherVerification for Helper {
    type Publisher = AsyncIterablePublisher<u64>;

    fn create_publisher(&self, elements: u64) -> Self::Publisher {
        AsyncIterablePublisher::new(elements, |i| i * 10)
    }

    fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
        Some(index * 10)
    }
}

#[test]
fn the_helper_publisher_passes_the_publisher_verification() {
    let report = run_publisher_verification(Helper);
    println!("{report}");
    assert!(report.is_success(), "{report}");
    // Everything runs but the 7 untested tests, the 3 that need a failed
    // publisher and the 2 that Rust's types rule out. The multicast tests
    // pass too: each subscriber gets the same cold sequence.
    assert_eq!(
        (report.passed(), report.skipped(), report.not_applicable()),
        (27 + publisher::STRICT_TEST_NAMES.len() - 1, 10, 2),
        "{report}"
    );
}

#[test]
fn a_panicking_element_function_fails_the_stream() {
    let env = TestEnvironment::new();
    let publisher = AsyncIterablePublisher::new(3, |i| {
        assert!(i != 1, "no element 1");
        i
    });
    let sub = env.new_manual_subscriber(&publisher).unwrap();
    sub.request(3);
    assert_eq!(sub.next_element().unwrap(), 0);
    let error = sub
        .expect_error(|e| e.kind() == ErrorKind::Panic, "the panic")
        .unwrap();
    assert!(error.to_string().contains("no element 1"), "{error}");
}

/// Panics on every item.
struct Panicking;

impl Subscriber<u64> for Panicking {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(1);
    }
    fn on_next(&mut self, _: u64) {
        panic!("a subscriber breaking §2.13");
    }
    fn on_error(&mut self, _: Error) {}
    fn on_complete(&mut self) {}
}

#[test]
fn the_pool_survives_panicking_subscribers() {
    let publisher = AsyncIterablePublisher::infinite(|i| i);
    // More than the pool has threads.
    for _ in 0..2 * POOL_THREADS {
        publisher.subscribe(Panicking);
    }
    let env = TestEnvironment::new();
    let sub = env.new_manual_subscriber(&publisher).unwrap();
    assert_eq!(sub.request_next_elements(3).unwrap(), vec![0, 1, 2]);
    sub.cancel();
}
