//! The TCK over the combining and flattening operators fed by asynchronous
//! sources: the TCK's own helper publisher, which emits on a pool of
//! threads. These take the operators' concurrent paths (an inner signalling
//! from one thread while downstream requests from another), which the
//! synchronous sources of `combine.rs` and `flatten.rs` never do; the strict
//! stochastic tests race them, longer in stress mode (`TCK_STRESS_MILLIS`).

use reactive_streams::{ops, source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::helper::AsyncIterablePublisher;
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// `from..to` on the helper's threads.
fn on_threads(from: u64, to: u64) -> BoxPublisher<u64> {
    AsyncIterablePublisher::new(to.saturating_sub(from), move |i| from + i).boxed()
}

fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// `merge` of two halves on other threads: interleaved, so no sequence.
mod merge_async {
    use super::*;

    struct MergeAsync;

    impl PublisherVerification for MergeAsync {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            ops::merge([on_threads(0, half), on_threads(half, elements)]).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(ops::merge([on_threads(0, 3), failed()]).boxed())
        }
    }

    publisher_verification_tests!(MergeAsync);
}

/// `concat` of two halves on other threads.
mod concat_async {
    use super::*;

    struct ConcatAsync;

    impl PublisherVerification for ConcatAsync {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let half = elements / 2;
            ops::concat([on_threads(0, half), on_threads(half, elements)]).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(ops::concat([failed(), on_threads(0, 3)]).boxed())
        }

        /// The two halves, one after the other.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(ConcatAsync);
}

/// `zip` of two ranges on other threads.
mod zip_async {
    use super::*;

    struct ZipAsync;

    impl PublisherVerification for ZipAsync {
        type Publisher = BoxPublisher<(u64, u64)>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            on_threads(0, elements)
                .zip(on_threads(0, elements.saturating_add(5)))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<(u64, u64)>> {
            Some(on_threads(0, 3).zip(failed()).boxed())
        }

        /// Pairs of equal items.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<(u64, u64)> {
            Some((index, index))
        }
    }

    publisher_verification_tests!(ZipAsync);
}

/// `flat_map` with an inner of one item on another thread per item:
/// interleaved, so no sequence.
mod flat_map_async {
    use super::*;

    struct FlatMapAsync;

    impl PublisherVerification for FlatMapAsync {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .flat_map(|x| on_threads(x, x + 1))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().flat_map(|x| on_threads(x, x + 1)).boxed())
        }
    }

    publisher_verification_tests!(FlatMapAsync);
}

/// `concat_map` with an inner of one item on another thread per item.
mod concat_map_async {
    use super::*;

    struct ConcatMapAsync;

    impl PublisherVerification for ConcatMapAsync {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .concat_map(|x| on_threads(x, x + 1))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().concat_map(|x| on_threads(x, x + 1)).boxed())
        }

        /// One inner after the other, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(ConcatMapAsync);
}

/// `switch_map` to one inner range on other threads.
mod switch_map_async {
    use super::*;

    struct SwitchMapAsync;

    impl PublisherVerification for SwitchMapAsync {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::just(0u64)
                .switch_map(move |_| on_threads(0, elements))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().switch_map(|x| on_threads(x, x + 1)).boxed())
        }

        /// The one inner, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(SwitchMapAsync);
}
