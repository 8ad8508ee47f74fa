//! The TCK over flat_map, concat_map, switch_map.

use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// A failed upstream, whatever the operator.
fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// `range(0..n).flat_map(just)`: n inners of one item each.
mod flat_map {
    use super::*;

    struct FlatMap;

    impl PublisherVerification for FlatMap {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).flat_map(source::just).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().flat_map(source::just).boxed())
        }
    }

    publisher_verification_tests!(FlatMap);
}

/// `range(0..n).flat_map(|x| just(x).boxed())`: the same, with every inner
/// subscribed (`boxed()` hides that `just` could run inside the drain).
mod flat_map_subscribed {
    use super::*;

    struct FlatMapSubscribed;

    impl PublisherVerification for FlatMapSubscribed {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .flat_map(|x| source::just(x).boxed())
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().flat_map(|x| source::just(x).boxed()).boxed())
        }
    }

    publisher_verification_tests!(FlatMapSubscribed);
}

/// `just(0).flat_map(|_| range(0..n))`: one long inner, replenished at 75%.
mod flat_map_one_inner {
    use super::*;

    struct FlatMapOneInner;

    impl PublisherVerification for FlatMapOneInner {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::just(0u64)
                .flat_map(move |_| source::range(0..elements))
                .boxed()
        }

        /// The one inner, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::just(0u64)
                    .flat_map(|_| source::error::<u64>(Error::new("the inner failed on purpose")))
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(FlatMapOneInner);
}

/// `range(0..n).flat_map_with(just, 2, 1)`: the smallest limits.
mod flat_map_bounded {
    use super::*;

    struct FlatMapBounded;

    impl PublisherVerification for FlatMapBounded {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .flat_map_with(source::just, 2, 1)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().flat_map_with(source::just, 2, 1).boxed())
        }
    }

    publisher_verification_tests!(FlatMapBounded);
}

/// `range(0..n).concat_map(just)`: n inners of one item each, in order.
mod concat_map {
    use super::*;

    struct ConcatMap;

    impl PublisherVerification for ConcatMap {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).concat_map(source::just).boxed()
        }

        /// One inner after the other, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().concat_map(source::just).boxed())
        }
    }

    publisher_verification_tests!(ConcatMap);
}

/// `range(0..n).concat_map(|x| just(x).boxed())`: every inner subscribed.
mod concat_map_subscribed {
    use super::*;

    struct ConcatMapSubscribed;

    impl PublisherVerification for ConcatMapSubscribed {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .concat_map(|x| source::just(x).boxed())
                .boxed()
        }

        /// One inner after the other, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().concat_map(|x| source::just(x).boxed()).boxed())
        }
    }

    publisher_verification_tests!(ConcatMapSubscribed);
}

/// `just(0).concat_map_with(|_| range(0..n), 2)`: one long inner, asked for
/// what the downstream wants, at most 2 at a time.
mod concat_map_one_inner {
    use super::*;

    struct ConcatMapOneInner;

    impl PublisherVerification for ConcatMapOneInner {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::just(0u64)
                .concat_map_with(move |_| source::range(0..elements), 2)
                .boxed()
        }

        /// The one inner, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::just(0u64)
                    .concat_map(|_| source::error::<u64>(Error::new("the inner failed on purpose")))
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(ConcatMapOneInner);
}

/// `just(0).switch_map(|_| range(0..n))`: one switch, then a long inner. (A
/// stream of many switches drops items by design, so it cannot promise the
/// TCK `n` items under bounded demand.)
mod switch_map {
    use super::*;

    struct SwitchMap;

    impl PublisherVerification for SwitchMap {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::just(0u64)
                .switch_map(move |_| source::range(0..elements))
                .boxed()
        }

        /// The one inner, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().switch_map(source::just).boxed())
        }
    }

    publisher_verification_tests!(SwitchMap);
}
