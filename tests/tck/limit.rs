//! The TCK over take, take_while, take_until, skip, skip_while, skip_until, element_at, first, last, ignore_elements, default_if_empty, limit_request.
//!
//! One module per operator, each a full publisher verification. The
//! one-item operators (`element_at`, `first`, `last`) declare a maximum of 1
//! element, and `ignore_elements` of 0, so the tests that need longer
//! streams skip.

use reactive_streams::{source, BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

/// A verification whose publisher is a `BoxPublisher<u64>`.
macro_rules! verification {
    (
        $(#[$doc:meta])*
        $module:ident: $name:ident,
        create: |$elements:ident| $create:expr,
        failed: $failed:expr,
        max: $max:expr,
        sequence: |$n:pat_param, $index:ident| $sequence:expr $(,)?
    ) => {
        $(#[$doc])*
        mod $module {
            use super::*;

            struct $name;

            impl PublisherVerification for $name {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, $elements: u64) -> Self::Publisher {
                    $create
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    Some($failed)
                }

                fn max_elements_from_publisher(&self) -> u64 {
                    $max
                }

                fn expected_element(&self, $n: u64, $index: u64) -> Option<u64> {
                    $sequence
                }
            }

            publisher_verification_tests!($name);
        }
    };
}

/// Any length: the TCK's default maximum (`UNBOUNDED` itself would mean
/// "never completes").
const ANY_LENGTH: u64 = reactive_streams::UNBOUNDED - 1;

fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

verification! {
    /// `range(0..).take(n)`: the cap on demand, and completion after n.
    take: Take,
    create: |elements| source::range(0..u64::MAX).take(elements).boxed(),
    failed: failed().take(5).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i),
}

verification! {
    /// `range(0..).limit_request(n)`.
    limit_request: LimitRequest,
    create: |elements| source::range(0..u64::MAX).limit_request(elements).boxed(),
    failed: failed().limit_request(5).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i),
}

verification! {
    /// `range(0..).take_while(x < n)`.
    take_while: TakeWhile,
    create: |elements| source::range(0..u64::MAX).take_while(move |x| *x < elements).boxed(),
    failed: failed().take_while(|_| true).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i),
}

verification! {
    /// `range(0..n).take_until(never)`: the half-serializer on every item.
    take_until: TakeUntil,
    create: |elements| source::range(0..elements).take_until(source::never::<()>()).boxed(),
    failed: failed().take_until(source::never::<()>()).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i),
}

verification! {
    /// `range(0..n + 3).skip(3)`.
    skip: Skip,
    create: |elements| source::range(0..elements.saturating_add(3)).skip(3).boxed(),
    failed: failed().skip(3).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i + 3),
}

verification! {
    /// `range(0..n + 3).skip_while(x < 3)`.
    skip_while: SkipWhile,
    create: |elements| {
        source::range(0..elements.saturating_add(3))
            .skip_while(|x| *x < 3)
            .boxed()
    },
    failed: failed().skip_while(|_| true).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i + 3),
}

verification! {
    /// `range(0..n).skip_until(empty)`: the gate opens at once.
    skip_until: SkipUntil,
    create: |elements| source::range(0..elements).skip_until(source::empty::<()>()).boxed(),
    failed: failed().skip_until(source::empty::<()>()).boxed(),
    max: ANY_LENGTH,
    sequence: |_, i| Some(i),
}

verification! {
    /// `range(0..10).element_at(3)`: one item. For no item, the same
    /// followed by `skip(1)` (an `element_at` without its item fails).
    element_at: ElementAt,
    create: |elements| match elements {
        0 => source::range(0..10u64).element_at(3).skip(1).boxed(),
        _ => source::range(0..10u64).element_at(3).boxed(),
    },
    failed: failed().element_at(0).boxed(),
    max: 1,
    sequence: |_, _i| Some(3),
}

verification! {
    /// `range(0..10).first()`, and `empty().first()` for no item.
    first: First,
    create: |elements| match elements {
        0 => source::empty::<u64>().first().boxed(),
        _ => source::range(0..10u64).first().boxed(),
    },
    failed: failed().first().boxed(),
    max: 1,
    sequence: |_, _i| Some(0),
}

verification! {
    /// `range(0..10).last()`, and `empty().last()` for no item.
    last: Last,
    create: |elements| match elements {
        0 => source::empty::<u64>().last().boxed(),
        _ => source::range(0..10u64).last().boxed(),
    },
    failed: failed().last().boxed(),
    max: 1,
    sequence: |_, _i| Some(9),
}

verification! {
    /// `range(0..10).ignore_elements()`: never an item.
    ignore_elements: IgnoreElements,
    create: |_elements| source::range(0..10u64).ignore_elements().boxed(),
    failed: failed().ignore_elements().boxed(),
    max: 0,
    sequence: |_, _i| None,
}

verification! {
    /// `range(0..n).default_if_empty(7)` for n >= 2; `empty()` with the
    /// default for n = 1 (the default's own path); for n = 0 the same
    /// followed by `skip(1)` (the operator never makes an empty stream).
    default_if_empty: DefaultIfEmpty,
    create: |elements| match elements {
        0 => source::empty().default_if_empty(7u64).skip(1).boxed(),
        1 => source::empty().default_if_empty(7u64).boxed(),
        n => source::range(0..n).default_if_empty(7).boxed(),
    },
    failed: failed().default_if_empty(7).boxed(),
    max: ANY_LENGTH,
    sequence: |n, i| Some(if n == 1 { 7 } else { i }),
}
