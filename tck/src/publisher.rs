//! The publisher verification: 38 tests, one per method of the JVM TCK's
//! `PublisherVerification`, named after it in snake_case.
//!
//! Implement [`PublisherVerification`] for a type that makes your publisher,
//! then either expand [`publisher_verification_tests!`](crate::publisher_verification_tests)
//! (one `#[test]` per TCK test) or call [`run_publisher_verification`] (a
//! [`Report`]).

#[doc(hidden)]
pub mod strict;
#[doc(hidden)]
pub mod tests;

use std::fmt;
use std::sync::Arc;

use reactive_streams::{BoxPublisher, Publisher, UNBOUNDED};

use crate::case::TestCase;
use crate::common::short_type_name;
use crate::env::TestEnvironment;
use crate::outcome::{Outcome, Stop, TckResult};
use crate::report::Report;

/// What [`PublisherVerification::max_elements_from_publisher`] returns for a
/// publisher that cannot signal `on_complete` (an infinite one): the tests
/// that need completion are skipped. The JVM TCK's
/// `publisherUnableToSignalOnComplete()`, `Long.MAX_VALUE`.
pub const PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE: u64 = UNBOUNDED;

/// The reason the failed-publisher tests give when
/// [`create_failed_publisher`](PublisherVerification::create_failed_publisher)
/// returns `None`.
pub const SKIPPING_NO_ERROR_PUBLISHER_AVAILABLE: &str =
    "Skipping because no error state Publisher provided, and the test requires it. \
     Please implement PublisherVerification::create_failed_publisher to run this test.";

/// The item type of the publisher a verification tests.
pub type ItemOf<V> = <<V as PublisherVerification>::Publisher as Publisher>::Item;

/// How to make the publisher under test: implement this, then run the
/// verification with
/// [`publisher_verification_tests!`](crate::publisher_verification_tests) or
/// [`run_publisher_verification`].
///
/// Items must be `Debug` (failure messages show them) and `PartialEq` (the
/// multicast tests compare sequences).
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, BoxPublisher, Error};
/// use reactive_streams_tck::{run_publisher_verification, PublisherVerification};
///
/// struct RangeVerification;
///
/// impl PublisherVerification for RangeVerification {
///     type Publisher = source::Range<u64>;
///
///     fn create_publisher(&self, elements: u64) -> Self::Publisher {
///         source::range(0..elements)
///     }
///
///     fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
///         Some(BoxPublisher::new(source::error(Error::new("failed"))))
///     }
/// }
///
/// let report = run_publisher_verification(RangeVerification);
/// assert!(report.is_success(), "{report}");
/// ```
pub trait PublisherVerification {
    /// The publisher under test.
    type Publisher: Publisher<Item: fmt::Debug + PartialEq>;

    /// A publisher of exactly `elements` items, then `on_complete`.
    /// [`PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE`] (`UNBOUNDED`) means an
    /// infinite stream. The TCK asks for 0, 1, 3, 5, 6, 10, 20,
    /// `bounded_depth_of_on_next_and_request_recursion() + 1` and 2^31 - 1,
    /// never more than [`max_elements_from_publisher`](PublisherVerification::max_elements_from_publisher).
    fn create_publisher(&self, elements: u64) -> Self::Publisher;

    /// A publisher that signals `on_subscribe` and then `on_error` (§1.4,
    /// §1.9). `None` (the default) skips the two tests that need one.
    fn create_failed_publisher(&self) -> Option<BoxPublisher<ItemOf<Self>>> {
        None
    }

    /// The longest stream [`create_publisher`](PublisherVerification::create_publisher)
    /// can make; tests that need more are skipped. Default `UNBOUNDED - 1`
    /// (no limit); [`PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE`] for a publisher
    /// that never completes.
    fn max_elements_from_publisher(&self) -> u64 {
        UNBOUNDED - 1
    }

    /// How deep `request` → `on_next` → `request` may recurse on one thread
    /// (§3.3). Default 1: a `request` from inside `on_next` only records the
    /// demand.
    fn bounded_depth_of_on_next_and_request_recursion(&self) -> u64 {
        1
    }

    /// Skips the stochastic tests (the §1.3 one runs a hundred
    /// subscriptions; the others race requests and cancels from other
    /// threads against the emission). Default false.
    fn skip_stochastic_tests(&self) -> bool {
        false
    }

    /// The item number `index` (from 0) of `create_publisher(elements)`, if
    /// you want the TCK to check the sequence: then the tests that go beyond
    /// the JVM TCK check every item they receive from a new subscription
    /// against it, and find items lost, repeated or out of order, which
    /// counting cannot see. Default `None`: no sequence declared, only counts
    /// are checked (and `required_strict_create_publisher_must_emit_the_declared_sequence`
    /// skips).
    ///
    /// Declare what the *first* subscriber of a new publisher receives (a hot
    /// publisher may give later subscribers a suffix). Return `None` for an
    /// index whose item you cannot say; it is not checked.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::PublisherVerification;
    ///
    /// struct Squares;
    ///
    /// impl PublisherVerification for Squares {
    ///     type Publisher = source::FromIter<std::iter::Map<std::ops::Range<u64>, fn(u64) -> u64>>;
    ///
    ///     fn create_publisher(&self, elements: u64) -> Self::Publisher {
    ///         source::from_iter((0..elements).map((|i| i * i) as fn(u64) -> u64))
    ///     }
    ///
    ///     fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
    ///         Some(index * index)
    ///     }
    /// }
    /// # let report = reactive_streams_tck::run_publisher_verification(Squares);
    /// # assert!(report.is_success(), "{report}");
    /// ```
    fn expected_element(&self, elements: u64, index: u64) -> Option<ItemOf<Self>> {
        let _ = (elements, index);
        None
    }

    /// The name reports and messages give the implementation. Default: the
    /// verification's type name without its module path.
    fn implementation_name(&self) -> String {
        short_type_name::<Self>()
    }

    /// The environment the tests run in: timeouts (and the §3.13 grace
    /// period, [`TestEnvironment::publisher_reference_timeout`]). Every test
    /// runs on a [fresh](TestEnvironment::fresh) copy. Default
    /// [`TestEnvironment::new`]: the environment variables, else the defaults.
    fn env(&self) -> TestEnvironment {
        TestEnvironment::new()
    }
}

/// The 38 publisher tests, in the JVM TCK's order: the one list that the
/// `#[test]` macro, the report runner and the processor verification share.
/// Each entry: policy, name, rule (`(section, number)` or `()`).
#[doc(hidden)]
#[macro_export]
macro_rules! __publisher_verification_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Required required_create_publisher1_must_produce_a_stream_of_exactly1_element ();
            Required required_create_publisher3_must_produce_a_stream_of_exactly3_elements ();
            Required required_validate_max_elements_from_publisher ();
            Required required_validate_bounded_depth_of_on_next_and_request_recursion ();
            Required required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements (1, 1);
            Required required_spec102_may_signal_less_than_requested_and_terminate_subscription (1, 2);
            Stochastic stochastic_spec103_must_signal_on_methods_sequentially (1, 3);
            OptionalHardFail optional_spec104_must_signal_on_error_when_fails (1, 4);
            Required required_spec105_must_signal_on_complete_when_finite_stream_terminates (1, 5);
            Optional optional_spec105_empty_stream_must_terminate_by_signalling_on_complete (1, 5);
            Untested untested_spec106_must_consider_subscription_cancelled_after_on_error_or_on_complete_has_been_called (1, 6);
            Required required_spec107_must_not_emit_further_signals_once_on_complete_has_been_signalled (1, 7);
            Covered untested_spec107_must_not_emit_further_signals_once_on_error_has_been_signalled (1, 7);
            Untested untested_spec108_possibly_canceled_subscription_should_not_receive_on_error_or_on_complete_signals (1, 8);
            Untested untested_spec109_subscribe_should_not_throw_non_fatal_throwable (1, 9);
            Required required_spec109_subscribe_throw_npe_on_null_subscriber (1, 9);
            Required required_spec109_must_issue_on_subscribe_for_non_null_subscriber (1, 9);
            Required required_spec109_may_reject_calls_to_subscribe_if_publisher_is_unable_or_unwilling_to_serve_them_rejection_must_trigger_on_error_after_on_subscribe (1, 9);
            Untested untested_spec110_reject_a_subscription_request_if_the_same_subscriber_subscribes_twice (1, 10);
            Optional optional_spec111_may_support_multi_subscribe (1, 11);
            Optional optional_spec111_registered_subscribers_must_receive_on_next_or_on_complete_signals (1, 11);
            Optional optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_one_by_one (1, 11);
            Optional optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront (1, 11);
            Optional optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront_and_complete_as_expected (1, 11);
            Required required_spec302_must_allow_synchronous_request_calls_from_on_next_and_on_subscribe (3, 2);
            Required required_spec303_must_not_allow_unbounded_recursion (3, 3);
            Untested untested_spec304_request_should_not_perform_heavy_computations (3, 4);
            Untested untested_spec305_cancel_must_not_synchronously_perform_heavy_computation (3, 5);
            Required required_spec306_after_subscription_is_cancelled_request_must_be_nops (3, 6);
            Required required_spec307_after_subscription_is_cancelled_additional_cancelations_must_be_nops (3, 7);
            Required required_spec309_request_zero_must_signal_illegal_argument_exception (3, 9);
            Required required_spec309_request_negative_number_must_signal_illegal_argument_exception (3, 9);
            Optional optional_spec309_request_negative_number_may_signal_illegal_argument_exception_with_specific_message (3, 9);
            Required required_spec312_cancel_must_make_the_publisher_to_eventually_stop_signaling (3, 12);
            Required required_spec313_cancel_must_make_the_publisher_eventually_drop_all_references_to_the_subscriber (3, 13);
            Required required_spec317_must_support_a_pending_element_count_up_to_long_max_value (3, 17);
            Required required_spec317_must_support_a_cumulative_pending_element_count_up_to_long_max_value (3, 17);
            Required required_spec317_must_not_signal_on_error_when_pending_above_long_max_value (3, 17);
        }
    };
}

/// The publisher tests that go beyond the JVM TCK (`cargo test strict`
/// picks them): demand accounting under re-entrancy, signals after
/// `on_error`, demand above 2^63 - 1, the declared sequence, and requests,
/// `request(0)` and cancels from other threads during the emission. The
/// README lists each and why. Each entry: policy, name, rule.
#[doc(hidden)]
#[macro_export]
macro_rules! __publisher_strict_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Required required_strict_create_publisher_must_emit_the_declared_sequence ();
            Required required_strict_spec107_must_not_signal_after_on_error_for_request_zero (1, 7);
            Required required_strict_spec107_failed_publisher_must_not_signal_after_on_error (1, 7);
            Required required_strict_spec306_request_zero_after_cancel_must_be_a_nop (3, 6);
            Required required_strict_spec308_reentrant_requests_must_add_to_the_demand (3, 8);
            Required required_strict_spec309_reentrant_request_zero_must_signal_illegal_argument_exception (3, 9);
            Required required_strict_spec317_must_keep_signalling_when_pending_demand_exceeds_long_max_value (3, 17);
            Stochastic stochastic_strict_spec101_requests_from_other_threads_during_emission_must_add_up (1, 1);
            Stochastic stochastic_strict_spec107_requests_and_cancels_racing_the_end_must_not_be_followed_by_signals (1, 7);
            Stochastic stochastic_strict_spec309_request_zero_from_another_thread_must_signal_illegal_argument_exception (3, 9);
            Stochastic stochastic_strict_spec312_cancel_from_other_threads_during_emission_must_stop_the_publisher (3, 12);
        }
    };
}

/// Builds the list of [`TestCase`]s from [`__publisher_verification_list`]
/// (`tests`) or [`__publisher_strict_list`] (`strict`).
#[doc(hidden)]
#[macro_export]
macro_rules! __publisher_test_cases {
    ({ $v:ty, $module:ident } $($policy:ident $name:ident $rule:tt;)*) => {
        vec![$(
            $crate::TestCase::<$v>::new(
                stringify!($name),
                $crate::__rule!($rule),
                $crate::__private::Policy::$policy,
                $crate::publisher::$module::$name::<$v>,
            ),
        )*]
    };
}

/// The names of the publisher tests that go beyond the JVM TCK.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::publisher::STRICT_TEST_NAMES;
///
/// assert!(STRICT_TEST_NAMES.iter().all(|name| name.contains("_strict_")));
/// ```
pub const STRICT_TEST_NAMES: [&str; 11] = crate::__publisher_strict_list!(__tck_test_names {});

/// `(section, number)` → `Some(Rule)`, `()` → `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __rule {
    (()) => {
        None
    };
    (($section:literal, $number:literal)) => {
        Some($crate::__private::Rule::new($section, $number))
    };
}

/// Every publisher test, for implementation type `V`: the JVM TCK's 38 in
/// its order, then the [strict](STRICT_TEST_NAMES) ones.
///
/// # Examples
///
/// ```
/// use reactive_streams::source;
/// use reactive_streams_tck::{publisher, Kind, PublisherVerification};
///
/// struct Just;
/// impl PublisherVerification for Just {
///     type Publisher = source::Just<u8>;
///     fn create_publisher(&self, _: u64) -> Self::Publisher {
///         source::just(1)
///     }
///     fn max_elements_from_publisher(&self) -> u64 {
///         1
///     }
/// }
///
/// let cases = publisher::test_cases::<Just>();
/// assert_eq!(cases.len(), 38 + publisher::STRICT_TEST_NAMES.len());
/// assert_eq!(cases.iter().filter(|c| c.kind() == Kind::Untested).count(), 7);
/// ```
pub fn test_cases<V: PublisherVerification>() -> Vec<TestCase<V>> {
    let mut cases = crate::__publisher_verification_list!(__publisher_test_cases { V, tests });
    cases.extend(crate::__publisher_strict_list!(__publisher_test_cases {
        V,
        strict
    }));
    cases
}

/// Runs the publisher test `name` on `verification` (in a fresh
/// environment from [`PublisherVerification::env`]); what each generated
/// `#[test]` calls.
///
/// # Panics
///
/// If `name` is not a publisher test.
///
/// # Examples
///
/// ```
/// use reactive_streams::source;
/// use reactive_streams_tck::{publisher, Outcome, PublisherVerification};
///
/// struct Range;
/// impl PublisherVerification for Range {
///     type Publisher = source::Range<u64>;
///     fn create_publisher(&self, n: u64) -> Self::Publisher {
///         source::range(0..n)
///     }
/// }
///
/// let outcome = publisher::run_test(Range, "required_spec309_request_zero_must_signal_illegal_argument_exception");
/// assert_eq!(outcome, Outcome::Pass);
/// ```
pub fn run_test<V>(verification: V, name: &str) -> Outcome
where
    V: PublisherVerification + Send + Sync + 'static,
{
    let case = test_cases::<V>()
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("reactive-streams-tck: no publisher test named {name}"));
    let env = verification.env();
    case.run(&Arc::new(verification), &env)
}

/// Runs every publisher test on `verification`, one after the other, each in
/// a fresh environment from [`PublisherVerification::env`] and on a thread of
/// its own (see [`TestCase::run`]), and reports how each ended.
///
/// The verification is taken by value: it moves into an `Arc` that each
/// test's thread shares.
///
/// # Examples
///
/// ```
/// use reactive_streams::source;
/// use reactive_streams_tck::{run_publisher_verification, PublisherVerification};
///
/// struct Empty;
/// impl PublisherVerification for Empty {
///     type Publisher = source::Empty<u8>;
///     fn create_publisher(&self, _: u64) -> Self::Publisher {
///         source::empty()
///     }
///     fn max_elements_from_publisher(&self) -> u64 {
///         0
///     }
/// }
///
/// let report = run_publisher_verification(Empty);
/// println!("{report}");
/// assert!(report.is_success());
/// assert_eq!(report.title(), "PublisherVerification of Empty");
/// assert_eq!(report.rows().len(), 38 + reactive_streams_tck::publisher::STRICT_TEST_NAMES.len());
/// ```
pub fn run_publisher_verification<V>(verification: V) -> Report
where
    V: PublisherVerification + Send + Sync + 'static,
{
    let env = verification.env();
    let title = format!(
        "PublisherVerification of {}",
        verification.implementation_name()
    );
    let verification = Arc::new(verification);
    let rows = test_cases::<V>()
        .iter()
        .map(|case| case.run_timed_row(&verification, &env))
        .collect();
    Report::timed(title, rows)
}

/// The precondition of the failed-publisher tests (the JVM's
/// `whenHasErrorPublisherTest`): skips when there is none.
pub(crate) fn failed_publisher<V: PublisherVerification + ?Sized>(
    verification: &V,
) -> TckResult<BoxPublisher<ItemOf<V>>> {
    verification
        .create_failed_publisher()
        .ok_or_else(|| Stop::skip(SKIPPING_NO_ERROR_PUBLISHER_AVAILABLE))
}

/// The precondition of most tests (the JVM's `activePublisherTest`): skips
/// when the publisher cannot make `elements` items or, if
/// `completion_required`, cannot complete; otherwise makes the publisher.
pub(crate) fn active_publisher<V: PublisherVerification + ?Sized>(
    verification: &V,
    elements: u64,
    completion_required: bool,
) -> TckResult<V::Publisher> {
    let max = verification.max_elements_from_publisher();
    if elements > max {
        Err(Stop::skip(format!(
            "Unable to run this test, as required elements nr: {elements} is higher than \
             supported by given producer: {max}"
        )))
    } else if completion_required && max >= PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE {
        Err(Stop::skip(
            "Unable to run this test, as it requires an onComplete signal, which this \
             Publisher is unable to provide (as signalled by returning \
             PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE from `max_elements_from_publisher()`)",
        ))
    } else {
        Ok(verification.create_publisher(elements))
    }
}
