//! The TCK over map, filter, filter_map, scan, flat_map_iter, buffer, distinct, distinct_until_changed, inspect and the do_on_* taps, map_err.

use reactive_streams::{source, BoxPublisher, Error};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// `range(0..n).map(..)`: the operator passes demand and signals through.
mod map {
    use super::*;
    use reactive_streams::PublisherExt;

    struct Map;

    impl PublisherVerification for Map {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).map(|x| x * 2).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .map(|x| x + 1)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Map);
}

/// `range(0..2n).filter(even)`: n items, half of the upstream dropped.
mod filter {
    use super::*;
    use reactive_streams::PublisherExt;

    struct Filter;

    impl PublisherVerification for Filter {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_mul(2))
                .filter(|x| x % 2 == 0)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .filter(|_| true)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Filter);
}
