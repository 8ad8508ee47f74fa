//! The TCK over the merges of parallel rails: `sequential()` and
//! `ordered()` after `parallel(n)`, on real workers (`run_on` with the
//! process-wide `parallel()` and `single()` schedulers) and on the caller's
//! thread. `ordered` declares its sequence (the source order); `sequential`
//! only its count.

use reactive_streams::ops::ParallelPublisher;
use reactive_streams::scheduler;
use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// A failed upstream.
fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// `range(0..n).parallel(2).run_on(parallel()).map(x + 1).sequential()`.
mod sequential_on_parallel {
    use super::*;

    struct SequentialOnParallel;

    impl PublisherVerification for SequentialOnParallel {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .parallel(2)
                .run_on(scheduler::parallel())
                .map(|x| x + 1)
                .sequential()
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .parallel(2)
                    .run_on(scheduler::parallel())
                    .map(|x| x + 1)
                    .sequential()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(SequentialOnParallel);
}

/// `range(0..n).parallel(3).run_on(parallel()).map(x * 2).ordered()`: the
/// source order, declared.
mod ordered_on_parallel {
    use super::*;

    struct OrderedOnParallel;

    impl PublisherVerification for OrderedOnParallel {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .parallel(3)
                .run_on(scheduler::parallel())
                .map(|x| x * 2)
                .ordered()
                .boxed()
        }

        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index * 2)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .parallel(3)
                    .run_on(scheduler::parallel())
                    .map(|x| x * 2)
                    .ordered()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(OrderedOnParallel);
}

/// Every rail on the one `single()` thread, the smallest buffers, and a
/// filter that drops nothing (it still goes through the drop path's code).
mod ordered_on_single_smallest_buffers {
    use super::*;

    struct OrderedOnSingle;

    impl PublisherVerification for OrderedOnSingle {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .parallel_with(2, 1)
                .run_on_with(scheduler::single(), 1)
                .filter(|_| true)
                .ordered_with(1)
                .boxed()
        }

        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .parallel_with(2, 1)
                    .run_on_with(scheduler::single(), 1)
                    .ordered_with(1)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(OrderedOnSingle);
}

/// `flat_map` on the rails, on workers: each source item `x` becomes
/// `just(x)` (subscribed: boxed).
mod flat_map_sequential_on_parallel {
    use super::*;

    struct FlatMapSequential;

    impl PublisherVerification for FlatMapSequential {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .parallel(2)
                .run_on(scheduler::parallel())
                .flat_map(|x| source::just(x).boxed())
                .sequential()
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .parallel(2)
                    .run_on(scheduler::parallel())
                    .flat_map(source::just)
                    .sequential()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(FlatMapSequential);
}

/// No `run_on`: the rails on the caller's thread, in source order.
mod ordered_on_the_caller {
    use super::*;

    struct OrderedOnCaller;

    impl PublisherVerification for OrderedOnCaller {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).parallel(4).ordered().boxed()
        }

        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().parallel(4).ordered().boxed())
        }
    }

    publisher_verification_tests!(OrderedOnCaller);
}
