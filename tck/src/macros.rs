//! The macros that turn a verification into one `#[test]` per TCK test.
//!
//! Each verification has a public macro that takes an expression making the
//! implementation under test:
//!
//! - [`publisher_verification_tests!`](crate::publisher_verification_tests)
//!   for a [`PublisherVerification`](crate::PublisherVerification);
//! - in the same style, `subscriber_whitebox_verification_tests!`,
//!   `subscriber_blackbox_verification_tests!` and
//!   `identity_processor_verification_tests!` for the other three.
//!
//! How they are built, so that a new verification follows suit: the
//! verification's module exports a hidden list macro
//! (`__publisher_verification_list!`) naming every test once, as
//! `Policy name (section, number);`. The list macro hands the list to a
//! callback macro: `__publisher_test_cases!` builds the
//! [`TestCase`](crate::TestCase) table the report runner uses, and
//! `__publisher_verification_tests!` emits the `#[test]` functions, each of
//! which calls the verification's `run_test(&implementation, name)` and
//! [`report`](crate::Outcome::report)s the outcome. Since both come from one
//! list, the `#[test]`s and the report cannot disagree, and the processor
//! verification can re-declare every publisher test by calling the same list.

/// Expands to one `#[test]` per publisher TCK test (the JVM TCK's 38, each
/// named after its JVM method in snake_case, and the
/// [strict](crate::publisher::STRICT_TEST_NAMES) ones that go beyond it),
/// running on the implementation `$make` (an expression, evaluated anew in
/// each test).
///
/// Put it in a module of its own, so that `cargo test my_module` runs one
/// verification and `cargo test spec309` one rule across all of them.
/// Failures panic with the message; skipped and not-applicable tests pass
/// and print their reason (`cargo test -- --show-output`); `untested_` tests
/// are `#[ignore]`d with the reason "untested: not verified by this TCK".
///
/// # Examples
///
/// ```
/// mod range {
///     use reactive_streams::source;
///     use reactive_streams_tck::PublisherVerification;
///
///     pub struct RangeVerification;
///
///     impl PublisherVerification for RangeVerification {
///         type Publisher = source::Range<u64>;
///
///         fn create_publisher(&self, elements: u64) -> Self::Publisher {
///             source::range(0..elements)
///         }
///     }
///
///     reactive_streams_tck::publisher_verification_tests!(RangeVerification);
/// }
/// # fn main() {} // The `#[test]`s exist under `cargo test` only.
/// ```
#[macro_export]
macro_rules! publisher_verification_tests {
    ($make:expr $(,)?) => {
        $crate::__publisher_verification_list!(__publisher_verification_tests { $make });
        $crate::__publisher_strict_list!(__publisher_verification_tests { $make });
    };
}

/// Emits the `#[test]`s from [`__publisher_verification_list`].
#[doc(hidden)]
#[macro_export]
macro_rules! __publisher_verification_tests {
    ({ $make:expr } $($policy:ident $name:ident $rule:tt;)*) => {
        $(
            $crate::__tck_test! { $policy $name $crate::publisher::run_test, $make }
        )*
    };
}

/// One generated `#[test]`: `untested_` ones are ignored.
#[doc(hidden)]
#[macro_export]
macro_rules! __tck_test {
    (Untested $name:ident $run:path, $make:expr) => {
        #[test]
        #[ignore = "untested: not verified by this TCK"]
        #[allow(non_snake_case)]
        fn $name() {
            let start = ::std::time::Instant::now();
            let outcome = $run($make, stringify!($name));
            outcome.report_timed(stringify!($name), start.elapsed());
        }
    };
    (Covered $name:ident $run:path, $make:expr) => {
        #[test]
        #[ignore = "untested in the JVM TCK; verified here by a strict test (cargo test strict)"]
        #[allow(non_snake_case)]
        fn $name() {
            let start = ::std::time::Instant::now();
            let outcome = $run($make, stringify!($name));
            outcome.report_timed(stringify!($name), start.elapsed());
        }
    };
    ($policy:ident $name:ident $run:path, $make:expr) => {
        #[test]
        #[allow(non_snake_case)]
        fn $name() {
            let start = ::std::time::Instant::now();
            let outcome = $run($make, stringify!($name));
            outcome.report_timed(stringify!($name), start.elapsed());
        }
    };
}
