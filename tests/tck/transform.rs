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

        /// Each item doubled.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index * 2)
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

        /// The even numbers.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index * 2)
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

/// `range(0..2n).filter_map(even → half)`: n items, half of upstream dropped.
mod filter_map {
    use super::*;
    use reactive_streams::PublisherExt;

    struct FilterMap;

    impl PublisherVerification for FilterMap {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_mul(2))
                .filter_map(|x| (x % 2 == 0).then_some(x / 2))
                .boxed()
        }

        /// The halves of the even numbers.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .filter_map(Some)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(FilterMap);
}

/// `range(1..n).scan(0, +)`: the seed and n - 1 sums. `scan` always emits
/// its seed, so the empty stream the TCK asks for (`n == 0`) is `empty()`.
/// No failed publisher: `scan` subscribes upstream only once the seed is
/// requested (as Reactor does), so an upstream failure cannot show before a
/// request, which the two failed-publisher tests require.
mod scan {
    use super::*;
    use reactive_streams::PublisherExt;

    struct Scan;

    impl PublisherVerification for Scan {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            match elements {
                0 => source::empty().boxed(),
                n => source::range(1..n)
                    .scan(0u64, |acc, x| acc.wrapping_add(x))
                    .boxed(),
            }
        }

        /// The running sums: the seed 0, then 1, 3, 6, ...
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index * (index + 1) / 2)
        }
    }

    publisher_verification_tests!(Scan);
}

/// `range(0..ceil(n/2)).flat_map_iter(x → [2x, 2x+1] cut at n)`: n items,
/// two per upstream item (the last one may give one).
mod flat_map_iter {
    use super::*;
    use reactive_streams::PublisherExt;

    struct FlatMapIter;

    impl PublisherVerification for FlatMapIter {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.div_ceil(2))
                .flat_map_iter(move |x| 2 * x..(2 * x + 2).min(elements))
                .boxed()
        }

        /// The pairs, flattened, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .flat_map_iter(|x| [x, x])
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(FlatMapIter);
}

/// `range(0..3n - 1).buffer(3)`: n chunks, the last one of two items.
mod buffer {
    use super::*;
    use reactive_streams::PublisherExt;

    struct Buffer;

    impl PublisherVerification for Buffer {
        type Publisher = BoxPublisher<Vec<u64>>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_mul(3).saturating_sub(1))
                .buffer(3)
                .boxed()
        }

        /// Chunks of three; the last one has two.
        fn expected_element(&self, elements: u64, index: u64) -> Option<Vec<u64>> {
            let end = (3 * elements).saturating_sub(1);
            Some((3 * index..(3 * index + 3).min(end)).collect())
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<Vec<u64>>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .buffer(3)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Buffer);
}

/// `range(0..2n).map(x / 2).distinct()`: n items, every other one a repeat.
mod distinct {
    use super::*;
    use reactive_streams::PublisherExt;

    struct Distinct;

    impl PublisherVerification for Distinct {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_mul(2))
                .map(|x| x / 2)
                .distinct()
                .boxed()
        }

        /// Each number once.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .distinct()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Distinct);
}

/// `range(0..2n).map(x / 2).distinct_until_changed()`: n items.
mod distinct_until_changed {
    use super::*;
    use reactive_streams::PublisherExt;

    struct DistinctUntilChanged;

    impl PublisherVerification for DistinctUntilChanged {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_mul(2))
                .map(|x| x / 2)
                .distinct_until_changed()
                .boxed()
        }

        /// Each number once.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .distinct_until_changed()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(DistinctUntilChanged);
}

/// `range(0..n).map_err(..)`: items untouched; the failed one's error mapped.
/// The mapping keeps spec violations as they are, so that the §3.9 test still
/// sees the rule it checks (`map_err` maps *every* error, that one included).
mod map_err {
    use super::*;
    use reactive_streams::PublisherExt;

    struct MapErr;

    fn wrap(e: Error) -> Error {
        if e.rule().is_some() {
            e
        } else {
            Error::new(format!("mapped: {e}"))
        }
    }

    impl PublisherVerification for MapErr {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).map_err(wrap).boxed()
        }

        /// The range, untouched.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(Error::new("failed on purpose"))
                    .map_err(wrap)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(MapErr);
}

/// The taps, each over `range(0..n)` with a closure that does nothing: one
/// module per tap, so that `cargo test --test tck do_on_request` selects one.
macro_rules! tap_verification {
    ($module:ident, $verification:ident, $tap:ident, $noop:expr) => {
        #[doc = concat!("`range(0..n).", stringify!($tap), "(..)`: a tap passes every signal on.")]
        mod $module {
            use super::*;
            use reactive_streams::PublisherExt;

            struct $verification;

            impl PublisherVerification for $verification {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, elements: u64) -> Self::Publisher {
                    source::range(0..elements).$tap($noop).boxed()
                }

                /// The range, untouched.
                fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
                    Some(index)
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    Some(
                        source::error::<u64>(Error::new("failed on purpose"))
                            .$tap($noop)
                            .boxed(),
                    )
                }
            }

            publisher_verification_tests!($verification);
        }
    };
}

tap_verification!(inspect, Inspect, inspect, |_: &u64| {});
tap_verification!(do_on_next, DoOnNext, do_on_next, |_: &u64| {});
tap_verification!(do_on_error, DoOnError, do_on_error, |_: &Error| {});
tap_verification!(do_on_complete, DoOnComplete, do_on_complete, || {});
tap_verification!(do_on_request, DoOnRequest, do_on_request, |_: u64| {});
tap_verification!(do_on_cancel, DoOnCancel, do_on_cancel, || {});
tap_verification!(
    do_on_subscribe,
    DoOnSubscribe,
    do_on_subscribe,
    |_: &std::sync::Arc<dyn reactive_streams::Subscription>| {}
);
