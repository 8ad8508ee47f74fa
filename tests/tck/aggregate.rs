//! The TCK over reduce, collect, count, all, any; the terminal for_each and blocking first/last/collect.
//!
//! Aggregates publish one item, so each verification declares a maximum of
//! 1 element: `create_publisher(1)` is the aggregate, `create_publisher(0)`
//! the aggregate of an empty stream where that gives no item (`reduce`),
//! and otherwise the aggregate followed by `skip(1)`. The terminal methods
//! block and are not publishers; they are tested in `tests/ops/aggregate`.

use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// A one-item verification whose publisher is a `BoxPublisher<$item>`.
macro_rules! verification {
    (
        $(#[$doc:meta])*
        $module:ident: $name:ident<$item:ty>,
        one: $one:expr,
        none: $none:expr,
        failed: $failed:expr,
        item: $expected:expr $(,)?
    ) => {
        $(#[$doc])*
        mod $module {
            use super::*;

            struct $name;

            impl PublisherVerification for $name {
                type Publisher = BoxPublisher<$item>;

                fn create_publisher(&self, elements: u64) -> Self::Publisher {
                    match elements {
                        0 => $none,
                        _ => $one,
                    }
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<$item>> {
                    Some($failed)
                }

                fn max_elements_from_publisher(&self) -> u64 {
                    1
                }

                fn expected_element(&self, _elements: u64, _index: u64) -> Option<$item> {
                    Some($expected)
                }
            }

            publisher_verification_tests!($name);
        }
    };
}

fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

verification! {
    /// `range(1..10).reduce(+)`; `empty().reduce(+)` for no item.
    reduce: Reduce<u64>,
    one: source::range(1..10u64).reduce(|a, b| a + b).boxed(),
    none: source::empty::<u64>().reduce(|a, b| a + b).boxed(),
    failed: failed().reduce(|a, b| a + b).boxed(),
    item: 45,
}

verification! {
    /// `range(0..5).collect::<Vec<_>>()`.
    collect: Collect<Vec<u64>>,
    one: source::range(0..5u64).collect::<Vec<_>>().boxed(),
    none: source::range(0..5u64).collect::<Vec<_>>().skip(1).boxed(),
    failed: failed().collect::<Vec<_>>().boxed(),
    item: (0..5).collect(),
}

verification! {
    /// `range(0..5).count()`.
    count: Count<u64>,
    one: source::range(0..5u64).count().boxed(),
    none: source::range(0..5u64).count().skip(1).boxed(),
    failed: failed().count().boxed(),
    item: 5,
}

verification! {
    /// `range(0..).all(x < 5)`: decided by a short-circuit.
    all: All<bool>,
    one: source::range(0..u64::MAX).all(|x| *x < 5).boxed(),
    none: source::range(0..5u64).all(|x| *x < 5).skip(1).boxed(),
    failed: failed().all(|_| true).boxed(),
    item: false,
}

verification! {
    /// `range(0..).any(x == 5)`: decided by a short-circuit.
    any: Any<bool>,
    one: source::range(0..u64::MAX).any(|x| *x == 5).boxed(),
    none: source::range(0..5u64).any(|x| *x == 5).skip(1).boxed(),
    failed: failed().any(|_| false).boxed(),
    item: true,
}
