//! The TCK over on_error_return, on_error_resume, retry.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// `k` items (0, 1, ...), then an error: a source that is pulled, so the
/// error comes only with demand.
fn items_then_error(k: u64) -> BoxPublisher<u64> {
    source::generate(
        || 0u64,
        move |i, sink| {
            if *i < k {
                sink.next(*i);
                *i += 1;
            } else {
                sink.error(Error::new("failed on purpose"));
            }
        },
    )
    .boxed()
}

/// `n - 1` items, then an error mapped to the last item.
mod on_error_return {
    use super::*;

    struct OnErrorReturn;

    impl PublisherVerification for OnErrorReturn {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            match elements {
                0 => source::empty::<u64>().on_error_return(|_| 0).boxed(),
                n => items_then_error(n - 1)
                    .on_error_return(move |_| n - 1)
                    .boxed(),
            }
        }

        /// The items, then the fallback, which is the next number.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        /// The error mapping fails (panics): `on_subscribe`, then `on_error`.
        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .on_error_return(|_| panic!("no fallback"))
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(OnErrorReturn);
}

/// Half the items from a failing source, the other half from the fallback.
mod on_error_resume {
    use super::*;

    struct OnErrorResume;

    impl PublisherVerification for OnErrorResume {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            items_then_error(half)
                .on_error_resume(move |_| source::range(half..elements))
                .boxed()
        }

        /// The first half, then the resumed rest.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        /// The fallback fails too.
        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .on_error_resume(|_| source::error(Error::new("the fallback failed")))
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(OnErrorResume);
}

/// Each subscription: a first attempt that fails after half the items, then
/// a second attempt with the other half.
mod retry {
    use super::*;

    struct Retry;

    impl PublisherVerification for Retry {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            let attempts = Arc::new(AtomicU64::new(0));
            source::defer(move || {
                // Even attempts fail, odd ones finish: each subscriber of
                // this publisher sees one failure, then the rest.
                if attempts.fetch_add(1, Ordering::SeqCst) % 2 == 0 {
                    items_then_error(half)
                } else {
                    source::range(half..elements).boxed()
                }
            })
            .retry(1)
            .boxed()
        }

        /// The first half, then (retried) the rest.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        /// Every attempt fails.
        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .retry(3)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Retry);
}
