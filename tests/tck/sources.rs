//! The TCK over every source of `reactive_streams::source`.
//!
//! Each source's verification sits in its own module. Every module expands the full
//! publisher verification (38 tests); what a source cannot do is said by its
//! `max_elements_from_publisher` and `create_failed_publisher`, which make
//! the tests that need more skip.

use reactive_streams::{source, BoxPublisher, Error};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// `range(0..n)`: any length; no failed state.
mod range {
    use super::*;

    struct Range;

    impl PublisherVerification for Range {
        type Publisher = source::Range<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
        }

        /// The range, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(Range);
}

/// `from_iter(0..n)`: any length; no failed state.
mod from_iter {
    use super::*;

    struct FromIter;

    impl PublisherVerification for FromIter {
        type Publisher = source::FromIter<core::ops::Range<u64>>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::from_iter(0..elements)
        }

        /// The iterator, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(FromIter);
}

/// `just(x)`: one item. The TCK also asks for an empty stream
/// (`create_publisher(0)`), which `just` cannot make: that one is `empty()`.
mod just {
    use super::*;

    struct Just;

    impl PublisherVerification for Just {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            match elements {
                0 => BoxPublisher::new(source::empty()),
                _ => BoxPublisher::new(source::just(42)),
            }
        }

        /// The one item.
        fn expected_element(&self, _elements: u64, _index: u64) -> Option<u64> {
            Some(42)
        }

        fn max_elements_from_publisher(&self) -> u64 {
            1
        }
    }

    publisher_verification_tests!(Just);
}

/// `empty()`: no item, then completion.
mod empty {
    use super::*;

    struct Empty;

    impl PublisherVerification for Empty {
        type Publisher = source::Empty<u64>;

        fn create_publisher(&self, _elements: u64) -> Self::Publisher {
            source::empty()
        }

        fn max_elements_from_publisher(&self) -> u64 {
            0
        }
    }

    publisher_verification_tests!(Empty);
}

/// `error(e)`, as the failed publisher (§1.4, §1.9). The TCK's other tests
/// need a stream that completes, which `error` is not: they run on `empty()`.
mod error {
    use super::*;

    struct Fail;

    impl PublisherVerification for Fail {
        type Publisher = source::Empty<u64>;

        fn create_publisher(&self, _elements: u64) -> Self::Publisher {
            source::empty()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::error(Error::new(
                "failed on purpose",
            ))))
        }

        fn max_elements_from_publisher(&self) -> u64 {
            0
        }
    }

    publisher_verification_tests!(Fail);
}

/// `never()`: `on_subscribe`, then nothing. It makes no items (hence a
/// maximum of 0) and never completes: the tests that need neither run, and
/// the optional empty-stream test reports that it does not complete.
mod never {
    use super::*;

    struct Never;

    impl PublisherVerification for Never {
        type Publisher = source::Never<u64>;

        fn create_publisher(&self, _elements: u64) -> Self::Publisher {
            source::never()
        }

        fn max_elements_from_publisher(&self) -> u64 {
            0
        }
    }

    publisher_verification_tests!(Never);
}

/// `defer(|| range(0..n))`; the failed publisher is a factory that panics
/// (which `defer` turns into `on_subscribe` + `on_error`).
mod defer {
    use super::*;

    struct Defer;

    impl PublisherVerification for Defer {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            BoxPublisher::new(source::defer(move || source::range(0..elements)))
        }

        /// The deferred range, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::defer(
                || -> source::Range<u64> { panic!("the factory failed on purpose") },
            )))
        }
    }

    publisher_verification_tests!(Defer);
}

/// `generate` counting up to n; the failed publisher's `init` panics (which
/// `generate` turns into `on_subscribe` + `on_error`).
mod generate {
    use super::*;

    struct Generate;

    impl PublisherVerification for Generate {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            BoxPublisher::new(source::generate(
                || 0u64,
                move |next, sink| {
                    if *next == elements {
                        sink.complete();
                    } else {
                        sink.next(*next);
                        *next += 1;
                        if *next == elements {
                            sink.complete();
                        }
                    }
                },
            ))
        }

        /// The counter, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::generate(
                || -> u64 { panic!("init failed on purpose") },
                |_, sink| sink.next(0u64),
            )))
        }
    }

    publisher_verification_tests!(Generate);
}

/// `create` with an unbounded buffer: a producer thread emits all n items at
/// once, whatever the demand; the buffer holds them until requested. Limited
/// to 1024 items so that the buffer stays small (the TCK skips the 2^31 test).
mod create_unbounded {
    use super::*;
    use reactive_streams::source::Overflow;

    struct CreateUnbounded;

    impl PublisherVerification for CreateUnbounded {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            BoxPublisher::new(source::create(Overflow::Unbounded, move |emitter| {
                std::thread::spawn(move || {
                    for i in 0..elements {
                        if emitter.next(i).is_err() {
                            return;
                        }
                    }
                    emitter.complete();
                });
            }))
        }

        /// What the producer emits, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::create(
                Overflow::Unbounded,
                |emitter: source::Emitter<u64>| emitter.error(Error::new("failed on purpose")),
            )))
        }

        fn max_elements_from_publisher(&self) -> u64 {
            1024
        }
    }

    publisher_verification_tests!(CreateUnbounded);
}

/// `create` with a bounded buffer of 4: the producer thread retries an item
/// the full buffer hands back, so it runs at the pace of demand (and stops
/// when the stream is cancelled).
mod create_buffer {
    use super::*;
    use reactive_streams::source::{EmitError, Overflow};

    struct CreateBuffer;

    impl PublisherVerification for CreateBuffer {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            BoxPublisher::new(source::create(Overflow::Buffer(4), move |emitter| {
                std::thread::spawn(move || {
                    for i in 0..elements {
                        let mut item = i;
                        loop {
                            match emitter.next(item) {
                                Ok(()) => break,
                                Err(EmitError::Full(back)) => {
                                    // Wait for demand without burning a core:
                                    // a test may leave the stream open.
                                    item = back;
                                    std::thread::sleep(std::time::Duration::from_millis(1));
                                }
                                Err(_) => return,
                            }
                        }
                    }
                    emitter.complete();
                });
            }))
        }

        /// What the producer emits, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::create(
                Overflow::Buffer(4),
                |emitter: source::Emitter<u64>| emitter.error(Error::new("failed on purpose")),
            )))
        }
    }

    publisher_verification_tests!(CreateBuffer);
}

/// `create` with the `Error` strategy and a cooperative producer thread that
/// emits only while [`Emitter::requested`](source::Emitter::requested) says
/// there is demand, so it never overflows.
mod create_cooperative {
    use super::*;
    use reactive_streams::source::Overflow;

    struct CreateCooperative;

    impl PublisherVerification for CreateCooperative {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            BoxPublisher::new(source::create(Overflow::Error, move |emitter| {
                std::thread::spawn(move || {
                    let mut i = 0;
                    while i < elements {
                        if emitter.is_closed() {
                            return;
                        }
                        if emitter.requested() == 0 {
                            // Wait for demand without burning a core: a test
                            // may leave the stream open.
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            continue;
                        }
                        if emitter.next(i).is_err() {
                            return;
                        }
                        i += 1;
                    }
                    emitter.complete();
                });
            }))
        }

        /// What the producer emits, in order.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(BoxPublisher::new(source::create(
                Overflow::Error,
                |emitter: source::Emitter<u64>| emitter.error(Error::new("failed on purpose")),
            )))
        }
    }

    publisher_verification_tests!(CreateCooperative);
}
