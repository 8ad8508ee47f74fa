//! The TCK over concat, concat_with, start_with, merge, merge_with, zip, zip_with, combine_latest, with_latest_from.
//!
//! Each publisher is built so that it emits exactly the `elements` the TCK
//! asks for, from synchronous sources (the scenario tests in
//! `tests/ops/combine` cover sources on other threads).

use reactive_streams::{ops, source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// A failed source: the combining operators pass its error on at once.
fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// `concat([range(0..k), range(k..n)])`: the second half after the first.
mod concat {
    use super::*;

    struct Concat;

    impl PublisherVerification for Concat {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            ops::concat([
                source::range(0..half),
                source::range(half..half),
                source::range(half..elements),
            ])
            .boxed()
        }

        /// The two halves, one after the other.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(ops::concat([failed(), source::range(0..3u64).boxed()]).boxed())
        }
    }

    publisher_verification_tests!(Concat);
}

/// `range(0..k).concat_with(range(k..n))`.
mod concat_with {
    use super::*;

    struct ConcatWith;

    impl PublisherVerification for ConcatWith {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            source::range(0..half)
                .concat_with(source::range(half..elements))
                .boxed()
        }

        /// The two halves, one after the other.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().concat_with(source::range(0..3u64)).boxed())
        }
    }

    publisher_verification_tests!(ConcatWith);
}

/// `range(k..n).start_with(0..k)`, up to 3 items first.
mod start_with {
    use super::*;

    struct StartWith;

    impl PublisherVerification for StartWith {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let first = elements.min(3);
            source::range(first..elements).start_with(0..first).boxed()
        }

        /// The prefix, then the rest.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().start_with(Vec::<u64>::new()).boxed())
        }
    }

    publisher_verification_tests!(StartWith);
}

/// `merge([range(0..k), range(k..n)])`.
mod merge {
    use super::*;

    struct Merge;

    impl PublisherVerification for Merge {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            ops::merge([source::range(0..half), source::range(half..elements)]).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(ops::merge([source::never().boxed(), failed()]).boxed())
        }
    }

    publisher_verification_tests!(Merge);
}

/// The same behind `boxed()`, which hides that the `range`s could be fused
/// into one pull: each is subscribed, with its own queue. The failed one is
/// fused: `range(0..3).merge_with(error)`.
mod merge_subscribed {
    use super::*;

    struct MergeSubscribed;

    impl PublisherVerification for MergeSubscribed {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            ops::merge([
                source::range(0..half).boxed(),
                source::range(half..elements).boxed(),
            ])
            .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let failure = source::error::<u64>(Error::new("failed on purpose"));
            Some(source::range(0..3u64).merge_with(failure).boxed())
        }
    }

    publisher_verification_tests!(MergeSubscribed);
}

/// `range(0..k).merge_with(range(k..n))`.
mod merge_with {
    use super::*;

    struct MergeWith;

    impl PublisherVerification for MergeWith {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            source::range(0..half)
                .merge_with(source::range(half..elements))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(source::range(0..3u64).merge_with(failed()).boxed())
        }
    }

    publisher_verification_tests!(MergeWith);
}

/// `range(0..n).zip(range(0..n + 5))`: pairs, ending with the shorter.
mod zip {
    use super::*;

    struct Zip;

    impl PublisherVerification for Zip {
        type Publisher = BoxPublisher<(u64, u64)>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .zip(source::range(0..elements.saturating_add(5)))
                .boxed()
        }

        /// Pairs of equal items.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<(u64, u64)> {
            Some((index, index))
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<(u64, u64)>> {
            Some(source::range(0..3u64).zip(failed()).boxed())
        }
    }

    publisher_verification_tests!(Zip);
}

/// The same behind `boxed()`, which hides that the `range`s could be fused
/// into one pull: both are subscribed, each with its queue.
mod zip_subscribed {
    use super::*;

    struct ZipSubscribed;

    impl PublisherVerification for ZipSubscribed {
        type Publisher = BoxPublisher<(u64, u64)>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .boxed()
                .zip(source::range(0..elements.saturating_add(5)).boxed())
                .boxed()
        }

        /// Pairs of equal items.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<(u64, u64)> {
            Some((index, index))
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<(u64, u64)>> {
            let failure = source::error::<u64>(Error::new("failed on purpose"));
            Some(source::range(0..3u64).zip(failure).boxed())
        }
    }

    publisher_verification_tests!(ZipSubscribed);
}

/// `range(0..n + 5).zip_with(range(0..n), +)`: the second is the shorter.
mod zip_with {
    use super::*;

    struct ZipWith;

    impl PublisherVerification for ZipWith {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements.saturating_add(5))
                .zip_with(source::range(0..elements), |a, b| a + b)
                .boxed()
        }

        /// Sums of equal items.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(2 * index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .zip_with(source::never::<u64>(), |a, b| a + b)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(ZipWith);
}

/// `just(1000).combine_latest(range(0..n), +)`: one combination per range
/// item.
mod combine_latest {
    use super::*;

    struct CombineLatest;

    impl PublisherVerification for CombineLatest {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::just(1000u64)
                .combine_latest(source::range(0..elements), |a, b| a + b)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::just(1u64)
                    .combine_latest(failed(), |a, b| a + b)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(CombineLatest);
}

/// `range(0..n).with_latest_from(just(1000), +)`.
mod with_latest_from {
    use super::*;

    struct WithLatestFrom;

    impl PublisherVerification for WithLatestFrom {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .with_latest_from(source::just(1000u64), |x, latest| x + latest)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::range(0..3u64)
                    .with_latest_from(failed(), |x, latest| x + latest)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(WithLatestFrom);
}
