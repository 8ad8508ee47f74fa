//! The TCK over on_backpressure_buffer/drop/latest/error/reduce, limit_rate.
//!
//! `on_backpressure_buffer` and `limit_rate` run over a plain `range`: the
//! buffer holds the whole stream while the TCK requests it bit by bit (so its
//! longest stream is its capacity), and `limit_rate` requests from the range
//! in batches. The operators that drop, keep the latest, fail or reduce
//! would, behind a cold source that emits everything at once, legitimately
//! deliver less than the TCK asks for; they run behind a [`paced`] hot source
//! that emits only as fast as the TCK's subscriber requests, which checks
//! their signalling, demand accounting, cancellation and §3.9 handling when
//! nothing has to be dropped.

use reactive_streams::ops::BufferOverflow;
use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

use crate::paced::paced;

/// The buffer's capacity, and so the longest stream the TCK may ask for.
const CAPACITY: usize = 32;

fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// `range(0..n)` into a buffer that holds it all, one module per strategy.
macro_rules! buffer_verification {
    ($name:ident, $overflow:expr) => {
        mod $name {
            use super::*;

            struct Buffer;

            impl PublisherVerification for Buffer {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, elements: u64) -> Self::Publisher {
                    source::range(0..elements)
                        .on_backpressure_buffer(CAPACITY, $overflow)
                        .boxed()
                }

                /// The range, whole: the buffer holds it all.
                fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
                    Some(index)
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    Some(failed().on_backpressure_buffer(CAPACITY, $overflow).boxed())
                }

                fn max_elements_from_publisher(&self) -> u64 {
                    CAPACITY as u64
                }
            }

            publisher_verification_tests!(Buffer);
        }
    };
}

buffer_verification!(on_backpressure_buffer_error, BufferOverflow::Error);
buffer_verification!(
    on_backpressure_buffer_drop_latest,
    BufferOverflow::DropLatest
);
buffer_verification!(
    on_backpressure_buffer_drop_oldest,
    BufferOverflow::DropOldest
);

/// A paced hot source of `0..n` behind the operator.
macro_rules! paced_verification {
    ($name:ident, |$up:ident| $apply:expr) => {
        mod $name {
            use super::*;

            struct Paced;

            impl PublisherVerification for Paced {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, elements: u64) -> Self::Publisher {
                    paced(elements, |$up| $apply)
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    let $up = failed();
                    Some($apply.boxed())
                }
            }

            publisher_verification_tests!(Paced);
        }
    };
}

paced_verification!(on_backpressure_drop, |up| up.on_backpressure_drop());
paced_verification!(on_backpressure_latest, |up| up.on_backpressure_latest());
paced_verification!(on_backpressure_error, |up| up.on_backpressure_error());
paced_verification!(on_backpressure_reduce, |up| up
    .on_backpressure_reduce(|a, b| a + b));

/// `range(0..n)` in batches, one module per replenishing mode.
macro_rules! limit_rate_verification {
    ($name:ident, $high:expr, $low:expr) => {
        mod $name {
            use super::*;

            struct LimitRate;

            impl PublisherVerification for LimitRate {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, elements: u64) -> Self::Publisher {
                    source::range(0..elements).limit_rate($high, $low).boxed()
                }

                /// The range, in order.
                fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
                    Some(index)
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    Some(failed().limit_rate($high, $low).boxed())
                }
            }

            publisher_verification_tests!(LimitRate);
        }
    };
}

limit_rate_verification!(limit_rate_strict, 4, 0);
limit_rate_verification!(limit_rate_low_tide, 4, 1);
limit_rate_verification!(limit_rate_75_percent, 8, 8);
