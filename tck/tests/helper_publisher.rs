//! The helper publisher is itself a correct publisher: it passes the
//! publisher verification (the JVM TCK trusts its `AsyncIterablePublisher`
//! because the examples module tests it the same way).

use reactive_streams_tck::helper::AsyncIterablePublisher;
use reactive_streams_tck::{run_publisher_verification, PublisherVerification};

struct Helper;

impl PublisherVerification for Helper {
    type Publisher = AsyncIterablePublisher<u64>;

    fn create_publisher(&self, elements: u64) -> Self::Publisher {
        AsyncIterablePublisher::new(elements, |i| i * 10)
    }
}

#[test]
fn the_helper_publisher_passes_the_publisher_verification() {
    let report = run_publisher_verification(Helper);
    println!("{report}");
    assert!(report.is_success(), "{report}");
    // Everything runs but the 7 untested tests, the 2 that need a failed
    // publisher and the 2 that Rust's types rule out. The multicast tests
    // pass too: each subscriber gets the same cold sequence.
    assert_eq!(
        (report.passed(), report.skipped(), report.not_applicable()),
        (27, 9, 2),
        "{report}"
    );
}
