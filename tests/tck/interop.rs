//! The TCK over the async bridges: `from_stream`, `from_future`,
//! `map_async`, `map_async_unordered`, and the round trip
//! `from_stream(p.into_stream())`; each with ready streams or futures, and
//! with ones finished on another thread (the waker path).

use futures::stream::{self, StreamExt};
use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

use crate::async_work::{channel_stream, later};

/// A failed upstream, whatever the operator.
fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// A `from_stream` whose stream was taken by a first subscriber: the next
/// one gets `on_subscribe`, then `on_error` (a stream is consumed once).
fn consumed() -> BoxPublisher<u64> {
    let publisher = source::from_stream(stream::iter(0..1u64));
    publisher.subscribe_with(|_| {});
    publisher.boxed()
}

/// `from_stream(stream::iter(0..n))`: every poll is ready.
mod from_stream_ready {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::from_stream(stream::iter(0..elements)).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(consumed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `from_stream` of a channel fed by a thread of its own: the stream is
/// pending until the thread sends, and its waker (the subscription) drains.
mod from_stream_channel {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::from_stream(channel_stream(0..elements, 4)).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(consumed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `from_future`: one item (0 items is `empty()`, which `from_future`
/// cannot make).
mod from_future {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            match elements {
                0 => source::empty().boxed(),
                _ => source::from_future(later(42u64)).boxed(),
            }
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let publisher = source::from_future(async { 1u64 });
            publisher.subscribe_with(|_| {});
            Some(publisher.boxed())
        }

        fn max_elements_from_publisher(&self) -> u64 {
            1
        }
    }

    publisher_verification_tests!(Verification);
}

/// `range(0..n).map_async(4, ready)`: futures that finish at their first poll.
mod map_async_ready {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async(4, |x| async move { x })
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().map_async(4, |x| async move { x }).boxed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `range(0..n).map_async(4, later)`: futures finished on another thread.
mod map_async_later {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).map_async(4, later).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().map_async(4, later).boxed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `range(0..n).map_async_unordered(4, later)`.
mod map_async_unordered_later {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async_unordered(4, later)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().map_async_unordered(4, later).boxed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `range(0..n).map_async_unordered(1, ready)` with no buffer: the smallest
/// window, one item at a time.
mod map_async_unordered_one {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async_unordered(1, |x| async move { x })
                .buffer(0)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .map_async_unordered(1, |x| async move { x })
                    .buffer(0)
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Verification);
}

/// `from_stream(range(0..n).into_stream())`: a publisher to a stream and
/// back (the stream's items are `Result`s; `Ok` is unwrapped on the way).
mod round_trip {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let stream = source::range(0..elements).into_stream().map(Result::unwrap);
            source::from_stream(stream).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(consumed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// The round trip through an asynchronous stage: `from_stream` of the
/// stream of `map_async(later)`, so both bridges wake each other.
mod round_trip_async {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let stream = source::range(0..elements)
                .map_async(3, later)
                .into_stream_with(8)
                .map(Result::unwrap);
            source::from_stream(stream).boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(consumed())
        }
    }

    publisher_verification_tests!(Verification);
}

/// `map_async` with a per-item timeout on `single()`: futures in time, and
/// a failed publisher whose future never completes and times out.
mod map_async_timeout {
    use super::*;
    use reactive_streams::scheduler;
    use std::time::Duration;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async(3, later)
                .timeout_on(Duration::from_secs(3600), scheduler::single())
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::just(0u64)
                    .map_async(1, |_| std::future::pending::<u64>())
                    .timeout_on(Duration::from_millis(1), scheduler::single())
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Verification);
}

/// `map_async_unordered(..).pass_timeouts()` where every future times out:
/// each item is a timer's doing (the timeout's `Err`, mapped to 0).
mod map_async_unordered_pass_timeouts {
    use super::*;
    use reactive_streams::scheduler;
    use std::time::Duration;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async_unordered(4, |_| std::future::pending::<u64>())
                .timeout_on(Duration::from_micros(200), scheduler::single())
                .pass_timeouts()
                .map(|timed_out| timed_out.unwrap_or(0))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed()
                    .map_async_unordered(4, |_| std::future::pending::<u64>())
                    .timeout_on(Duration::from_micros(200), scheduler::single())
                    .pass_timeouts()
                    .map(|timed_out| timed_out.unwrap_or(0))
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Verification);
}
