//! Self-tests of the publisher verification ("quis custodiet ipsos
//! custodes?"): every executable TCK test must fail at least one deliberately
//! broken publisher, with a message that says why; correct publishers must
//! pass. After the JVM TCK's `PublisherVerificationTest`, plus broken
//! publishers it does not have (delayed emission without demand, double
//! completion, signals after a cancel from another thread, demand overflow
//! near 2^63, occasional concurrent `on_next`, a lock re-entered from
//! `on_next`).

mod fixtures;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reactive_streams::UNBOUNDED;
use reactive_streams_tck::publisher::{self, SKIPPING_NO_ERROR_PUBLISHER_AVAILABLE};
use reactive_streams_tck::{
    run_publisher_verification, Kind, Outcome, PublisherVerification, TestEnvironment,
};

use fixtures::async_range::{async_range, async_range_ignoring_cancel};
use fixtures::broken::{self, First};
use fixtures::scripted::range;
use fixtures::strict::{self, Bug};
use fixtures::{require_failure, require_not_applicable, require_pass, require_skip, Fixture};

/// Declares, for each executable TCK test, the broken publishers it must
/// catch: `name: tck_test, fixture => require_failure("fragment")` expands to
/// a `#[test] fn name`, and every `tck_test` named goes into [`CAUGHT`], which
/// `every_executable_test_catches_a_broken_publisher` checks.
macro_rules! broken_publishers {
    ($( $name:ident: $test:ident, $fixture:expr => $expect:ident($fragment:expr); )*) => {
        $(
            #[test]
            fn $name() {
                $expect($fixture.run(stringify!($test)), $fragment);
            }
        )*

        /// The TCK tests some broken publisher above makes fail (or, for an
        /// optional test, skip with the reason).
        const CAUGHT: &[&str] = &[$(stringify!($test)),*];
    };
}

broken_publishers! {
    // Set-up and configuration.
    create_publisher1_noop: required_create_publisher1_must_produce_a_stream_of_exactly1_element,
        Fixture::of(broken::noop()) => require_failure("Timeout while waiting for next element from Publisher");
    create_publisher1_empty: required_create_publisher1_must_produce_a_stream_of_exactly1_element,
        Fixture::of(range(0)) => require_failure("Publisher produced no elements");
    create_publisher3_too_short: required_create_publisher3_must_produce_a_stream_of_exactly3_elements,
        Fixture::of(range(1)) => require_failure("Publisher produced only 1 element");
    validate_max_elements: required_validate_max_elements_from_publisher,
        Fixture::new(range).max(UNBOUNDED + 1) => require_failure("max_elements_from_publisher MUST return a number <= UNBOUNDED");
    validate_recursion_depth: required_validate_bounded_depth_of_on_next_and_request_recursion,
        Fixture::new(range).depth(0) => require_failure("must return a number >= 1");

    // §1.1
    spec101_noop: required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements,
        Fixture::of(broken::noop()) => require_failure("produced no element after first");
    spec101_emits_without_demand_after_a_delay: required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements,
        Fixture::of(broken::emits_without_demand_after_a_delay()).patient() => require_failure("which is more than the signalled demand: 0");

    // §1.2
    spec102_noop: required_spec102_may_signal_less_than_requested_and_terminate_subscription,
        Fixture::of(broken::noop()) => require_failure("Did not receive expected element");
    spec102_too_many: required_spec102_may_signal_less_than_requested_and_terminate_subscription,
        Fixture::of(broken::demand_ignoring()) => require_failure("Expected end-of-stream but got element [3]");
    spec102_completes_twice: required_spec102_may_signal_less_than_requested_and_terminate_subscription,
        Fixture::new(broken::completes_twice) => require_failure("Unexpected additional complete signal received!");

    // §1.3
    spec103_racing_on_next_now_and_then: stochastic_spec103_must_signal_on_methods_sequentially,
        Racing::default() => require_failure("Illegal concurrent access detected");

    // §1.4
    spec104_panicking_subscribe: optional_spec104_must_signal_on_error_when_fails,
        Fixture::new(range).failed(broken::panicking_subscribe)
        => require_failure("Publisher threw exception (It is not valid to throw here!) instead of signalling error via onError!");
    spec104_item_before_error: optional_spec104_must_signal_on_error_when_fails,
        Fixture::new(range).failed(broken::failed_with_item_first) => require_failure("Unexpected Subscriber::onNext(0)");

    // §1.5
    spec105_forgot_completion: required_spec105_must_signal_on_complete_when_finite_stream_terminates,
        Fixture::of(broken::forgot_completion()) => require_failure("Expected end-of-stream but got element [3]");
    spec105_empty_eager_on_complete: optional_spec105_empty_stream_must_terminate_by_signalling_on_complete,
        Fixture::of(broken::eager_complete()).max(0) => require_failure("Subscriber::onComplete() called before Subscriber::onSubscribe");
    // G5: the JVM TCK lets this one pass.
    spec105_empty_never_completes: optional_spec105_empty_stream_must_terminate_by_signalling_on_complete,
        Fixture::of(broken::noop()).max(0) => require_skip("Did not receive expected stream completion");

    // §1.7
    spec107_not_completing: required_spec107_must_not_emit_further_signals_once_on_complete_has_been_signalled,
        Fixture::of(broken::demand_ignoring()) => require_failure("Expected end-of-stream but got element [");
    spec107_completes_but_keeps_serving: required_spec107_must_not_emit_further_signals_once_on_complete_has_been_signalled,
        Fixture::of(broken::completes_but_keeps_serving()) => require_failure("Unexpected element 0 received after stream completed");

    // §1.9
    spec109_on_complete_first: required_spec109_must_issue_on_subscribe_for_non_null_subscriber,
        Fixture::of(broken::signal_before_on_subscribe(First::Complete)) => require_failure("onSubscribe should be called prior to onComplete always");
    spec109_on_next_first: required_spec109_must_issue_on_subscribe_for_non_null_subscriber,
        Fixture::of(broken::signal_before_on_subscribe(First::Next)) => require_failure("onSubscribe should be called prior to onNext always");
    spec109_on_error_first: required_spec109_must_issue_on_subscribe_for_non_null_subscriber,
        Fixture::of(broken::signal_before_on_subscribe(First::Error)) => require_failure("onSubscribe should be called prior to onError always");
    spec109_reject_without_on_error: required_spec109_may_reject_calls_to_subscribe_if_publisher_is_unable_or_unwilling_to_serve_them_rejection_must_trigger_on_error_after_on_subscribe,
        Fixture::new(range).failed(broken::noop) => require_failure("Should have received onError");

    // §1.11 (optional: a publisher without the feature is skipped, with the reason)
    spec111_may_support_multi_subscribe: optional_spec111_may_support_multi_subscribe,
        Fixture::of(broken::single_subscriber_only()) => require_skip("Unexpected additional subscriber");
    spec111_registered_subscribers: optional_spec111_registered_subscribers_must_receive_on_next_or_on_complete_signals,
        Fixture::of(broken::single_subscriber_only()) => require_skip("Unexpected additional subscriber");
    spec111_registered_subscribers_signal_before_on_subscribe: optional_spec111_registered_subscribers_must_receive_on_next_or_on_complete_signals,
        Fixture::of(broken::signal_before_on_subscribe(First::Next)) => require_failure("called before Subscriber::onSubscribe");
    spec111_one_by_one: optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_one_by_one,
        Fixture::new(broken::different_items_per_subscriber) => require_skip("Expected elements to be signaled in the same sequence to 1st and 2nd subscribers");
    spec111_many_upfront: optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront,
        Fixture::new(broken::different_items_per_subscriber) => require_skip("Expected elements to be signaled in the same sequence to 1st and 2nd subscribers");
    spec111_many_upfront_complete: optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront_and_complete_as_expected,
        Fixture::new(broken::different_items_per_subscriber) => require_skip("Expected elements to be signaled in the same sequence to 1st and 2nd subscribers");

    // §3.2
    spec302_error_on_request: required_spec302_must_allow_synchronous_request_calls_from_on_next_and_on_subscribe,
        Fixture::of(broken::error_on_request()) => require_failure("Async error during test execution: Test Exception: Boom!");

    // §3.3
    spec303_lock_held_while_signalling: required_spec303_must_not_allow_unbounded_recursion,
        Fixture::of(broken::naive_recursion()) => require_failure("the test did not finish within");

    // §3.6
    spec306_demand_ignoring: required_spec306_after_subscription_is_cancelled_request_must_be_nops,
        Fixture::of(broken::demand_ignoring()) => require_failure("Did not expect an element but got element [0]");
    spec306_serves_requests_after_cancel_from_another_thread: required_spec306_after_subscription_is_cancelled_request_must_be_nops,
        Fixture::new(async_range_ignoring_cancel).patient() => require_failure("Did not expect an element but got element [0]");

    // §3.7
    spec307_error_on_cancel: required_spec307_after_subscription_is_cancelled_additional_cancelations_must_be_nops,
        Fixture::of(broken::error_on_cancel()) => require_failure("Async error during test execution: Test Exception: Boom!");

    // §3.9
    spec309_noop: required_spec309_request_zero_must_signal_illegal_argument_exception,
        Fixture::of(broken::noop()) => require_failure("Expected onError");
    spec309_wrong_error: required_spec309_request_zero_must_signal_illegal_argument_exception,
        Fixture::of(broken::wrong_error_on_zero()) => require_failure("but expected an Error whose rule() is Some(§3.9)");
    spec309_panics: required_spec309_request_zero_must_signal_illegal_argument_exception,
        Fixture::of(broken::panics_on_zero()) => require_failure("panicked: request(0)");
    spec309_message_noop: optional_spec309_request_negative_number_may_signal_illegal_argument_exception_with_specific_message,
        Fixture::of(broken::noop()) => require_skip("Expected onError");

    // §3.12
    spec312_demand_ignoring_async: required_spec312_cancel_must_make_the_publisher_to_eventually_stop_signaling,
        Fixture::of(broken::demand_ignoring_async()) => require_failure(", which is more than the signalled demand: ");

    // §3.13
    spec313_keeps_subscriber_after_cancel: required_spec313_cancel_must_make_the_publisher_eventually_drop_all_references_to_the_subscriber,
        Fixture::of(broken::keeps_subscriber_after_cancel()) => require_failure("did not drop reference to test subscriber after subscription cancellation");
    spec313_hoarding: required_spec313_cancel_must_make_the_publisher_eventually_drop_all_references_to_the_subscriber,
        Fixture::of(broken::hoarding()) => require_failure("did not drop reference to test subscriber after subscription cancellation");

    // §3.17
    spec317_pending_async_demand_ignoring: required_spec317_must_support_a_pending_element_count_up_to_long_max_value,
        Fixture::of(broken::demand_ignoring_async()) => require_failure("Expected end-of-stream but got");
    spec317_pending_sync_demand_ignoring: required_spec317_must_support_a_pending_element_count_up_to_long_max_value,
        Fixture::of(broken::demand_ignoring())
        => require_failure("Received more than bufferSize (32) onNext signals. The Publisher probably emited more signals than expected!");
    spec317_cumulative_errors_at_max: required_spec317_must_support_a_cumulative_pending_element_count_up_to_long_max_value,
        Fixture::of(broken::errors_at_max_demand()) => require_failure("Async error during test execution: Illegally signalling onError too soon!");
    spec317_above_max_overflowing: required_spec317_must_not_signal_on_error_when_pending_above_long_max_value,
        Fixture::of(broken::overflowing_demand())
        => require_failure("Async error during test execution: Illegally signalling onError (violates rule 3.17)");

    // Beyond the JVM TCK (every one of these publishers passes the JVM TCK's
    // tests). The declared sequence:
    strict_sequence_repeated_item: required_strict_create_publisher_must_emit_the_declared_sequence,
        Fixture::new(strict::repeats_an_item_per_request).counting()
        => require_failure("onNext #2 was 0, but the declared sequence has 1 there");
    // After the end:
    strict_spec107_serves_after_the_request_zero_error: required_strict_spec107_must_not_signal_after_on_error_for_request_zero,
        Fixture::new(|n| strict::drain(Some(n), Bug::ServesAfterError)) => require_failure("received after onError (§1.7)");
    strict_spec107_failed_publisher_serves_after_its_error: required_strict_spec107_failed_publisher_must_not_signal_after_on_error,
        Fixture::new(range).failed(|| strict::failed_drain(Bug::ServesAfterError)) => require_failure("received after onError (§1.7)");
    strict_spec306_errors_on_zero_after_cancel: required_strict_spec306_request_zero_after_cancel_must_be_a_nop,
        Fixture::new(|n| strict::drain(Some(n), Bug::ZeroErrorsAfterCancel)) => require_failure("for a request(0) made after cancel");
    // Demand under re-entrancy:
    strict_spec308_resets_demand_after_a_batch: required_strict_spec308_reentrant_requests_must_add_to_the_demand,
        Fixture::new(|n| strict::drain(Some(n), Bug::ResetsDemandAfterBatch)) => require_failure("a request made from inside onNext was lost");
    strict_spec308_overwrites_demand: required_strict_spec308_reentrant_requests_must_add_to_the_demand,
        Fixture::new(|n| strict::drain(Some(n), Bug::OverwritesDemand)) => require_failure("a request made from inside onNext was lost");
    strict_spec309_ignores_zero_while_emitting: required_strict_spec309_reentrant_request_zero_must_signal_illegal_argument_exception,
        Fixture::new(|n| strict::drain(Some(n), Bug::ZeroIgnoredWhileEmitting)) => require_failure("request(0) made from inside onNext");
    strict_spec317_wrapping_demand: required_strict_spec317_must_keep_signalling_when_pending_demand_exceeds_long_max_value,
        Fixture::new(|n| strict::drain(Some(n), Bug::WrappingDemand)) => require_failure("the demand must saturate");
    // Across threads (stochastic; each of these breaks in every round or
    // nearly, so a few rounds find it):
    strict_spec101_loses_a_request_from_another_thread: stochastic_strict_spec101_requests_from_other_threads_during_emission_must_add_up,
        Fixture::new(|n| strict::emitter(Some(n), Bug::LostUpdate)) => require_failure("a request was lost");
    strict_spec107_errors_on_zero_after_completion: stochastic_strict_spec107_requests_and_cancels_racing_the_end_must_not_be_followed_by_signals,
        Fixture::new(|n| strict::drain(Some(n), Bug::ZeroErrorsAfterCompletion)) => require_failure("on_error signalled after on_complete");
    strict_spec309_ignores_zero_once_serving: stochastic_strict_spec309_request_zero_from_another_thread_must_signal_illegal_argument_exception,
        Fixture::new(|n| strict::emitter(Some(n), Bug::ZeroIgnoredOnceServing)) => require_failure("did not lead to the §3.9 error");
    strict_spec312_thread_local_cancel_flag: stochastic_strict_spec312_cancel_from_other_threads_during_emission_must_stop_the_publisher,
        Fixture::of(strict::thread_local_cancel()) => require_failure("the publisher ignored cancel");
    strict_spec312_cancel_not_thread_safe: stochastic_strict_spec312_cancel_from_other_threads_during_emission_must_stop_the_publisher,
        Fixture::of(strict::drain(None, Bug::CancelNotThreadSafe)) => require_failure("cancel must be thread-safe");
}

/// The verification of [`broken::RacingOnNextNowAndThen`], whose type must
/// reach the TCK unerased.
#[derive(Default)]
struct Racing {
    subscriptions: Arc<AtomicU64>,
}

impl Racing {
    fn run(self, test: &str) -> Outcome {
        publisher::run_test(self, test)
    }
}

impl PublisherVerification for Racing {
    type Publisher = broken::RacingOnNextNowAndThen;

    fn create_publisher(&self, _elements: u64) -> Self::Publisher {
        broken::RacingOnNextNowAndThen {
            subscriptions: Arc::clone(&self.subscriptions),
        }
    }

    fn env(&self) -> TestEnvironment {
        fixtures::fast_env()
    }
}

/// The coverage promise: every test that runs (not `untested_`, not "not
/// applicable") fails some broken publisher above.
#[test]
fn every_executable_test_catches_a_broken_publisher() {
    let caught: BTreeSet<&str> = CAUGHT.iter().copied().collect();
    let probe = Fixture::new(range);
    let missing: Vec<&str> = publisher::test_cases::<Fixture>()
        .iter()
        .filter(|case| case.kind() != Kind::Untested)
        .map(|case| case.name())
        .filter(|name| !matches!(probe.clone().run(name), Outcome::NotApplicable(_)))
        .filter(|name| !caught.contains(name))
        .collect();
    assert!(missing.is_empty(), "no broken publisher for: {missing:#?}");
}

// ---------------------------------------------------------------------------
// Skips, "not applicable", and what must pass
// ---------------------------------------------------------------------------

#[test]
fn failed_publisher_tests_skip_without_a_failed_publisher() {
    for test in [
        "optional_spec104_must_signal_on_error_when_fails",
        "required_spec109_may_reject_calls_to_subscribe_if_publisher_is_unable_or_unwilling_to_serve_them_rejection_must_trigger_on_error_after_on_subscribe",
    ] {
        require_skip(Fixture::of(broken::noop()).run(test), SKIPPING_NO_ERROR_PUBLISHER_AVAILABLE);
    }
}

#[test]
fn untested_tests_skip() {
    require_skip(
        Fixture::of(broken::noop()).run("untested_spec110_reject_a_subscription_request_if_the_same_subscriber_subscribes_twice"),
        "Not verified by this TCK.",
    );
    // The one the strict tests verify says which.
    require_skip(
        Fixture::of(broken::noop()).run(
            "untested_spec107_must_not_emit_further_signals_once_on_error_has_been_signalled",
        ),
        "Not verified by the JVM TCK; verified here by required_strict_spec107_must_not_signal_after_on_error_for_request_zero",
    );
}

// ---------------------------------------------------------------------------
// The harness: the watchdog's message, runaways
// ---------------------------------------------------------------------------

/// A publisher stuck on a lock: the watchdog says nothing came for a while.
#[test]
fn the_watchdog_says_when_nothing_arrives() {
    require_failure(
        Fixture::of(broken::naive_recursion())
            .run("required_spec303_must_not_allow_unbounded_recursion"),
        "had received nothing for",
    );
}

/// An endless synchronous publisher whose emission the test's own
/// re-entrant requests keep going: the watchdog says it was still
/// signalling, and that the test's thread was left behind; once the test is
/// over the TCK's subscriber cancels, which stops it.
#[test]
fn the_watchdog_says_when_the_implementation_still_signals() {
    let outcome = Fixture::new(|_| strict::drain(None, Bug::None))
        .run("required_spec302_must_allow_synchronous_request_calls_from_on_next_and_on_subscribe");
    require_failure(
        outcome.clone(),
        "the implementation was still signalling when the time ran out",
    );
    require_failure(
        outcome,
        "left behind: the test's thread is stuck in the implementation",
    );
}

/// A publisher that emits for ever on its own thread, whatever the demand
/// and the cancel: after its test failed, the TCK's subscriber panics out
/// of its `on_next`, which stops it, and the message says so.
#[test]
fn a_runaway_publisher_is_stopped_and_reported() {
    let outcome = Fixture::of(broken::runaway(false)).run(
        "required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements",
    );
    require_failure(
        outcome.clone(),
        "which is more than the signalled demand: 0",
    );
    require_failure(
        outcome,
        "left behind: the implementation still signalled after the test ended",
    );
}

/// The same, catching the TCK's panic: it cannot be stopped, and the
/// message says its threads are left running (this one stops by itself
/// after a second).
#[test]
fn a_runaway_publisher_that_cannot_be_stopped_is_reported() {
    let outcome = Fixture::of(broken::runaway(true)).run(
        "required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements",
    );
    require_failure(outcome, "its threads are left running");
}

#[test]
fn null_and_negative_tests_are_not_applicable() {
    for test in [
        "required_spec109_subscribe_throw_npe_on_null_subscriber",
        "required_spec309_request_negative_number_must_signal_illegal_argument_exception",
    ] {
        require_not_applicable(Fixture::of(broken::noop()).run(test));
    }
}

#[test]
fn tests_needing_more_elements_than_the_maximum_skip() {
    require_skip(
        Fixture::of(range(1))
            .max(1)
            .run("required_spec102_may_signal_less_than_requested_and_terminate_subscription"),
        "required elements nr: 3 is higher than supported by given producer: 1",
    );
}

#[test]
fn tests_needing_completion_skip_for_a_publisher_unable_to_complete() {
    require_skip(
        Fixture::new(range)
            .max(publisher::PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE)
            .run("required_spec105_must_signal_on_complete_when_finite_stream_terminates"),
        "requires an onComplete signal",
    );
}

#[test]
fn spec103_passes_a_synchronous_publisher() {
    require_pass(
        Fixture::new(range)
            .default_env()
            .run("stochastic_spec103_must_signal_on_methods_sequentially"),
    );
}

#[test]
fn spec105_empty_passes_on_complete_right_after_on_subscribe() {
    require_pass(
        Fixture::of(broken::synchronous_empty())
            .max(0)
            .default_env()
            .run("optional_spec105_empty_stream_must_terminate_by_signalling_on_complete"),
    );
}

#[test]
fn spec109_reject_passes_a_correct_failed_publisher() {
    require_pass(Fixture::new(range).failed(broken::failed_correctly).default_env().run(
        "required_spec109_may_reject_calls_to_subscribe_if_publisher_is_unable_or_unwilling_to_serve_them_rejection_must_trigger_on_error_after_on_subscribe",
    ));
}

#[test]
fn spec111_may_support_multi_subscribe_passes_a_noop_publisher() {
    require_pass(Fixture::of(broken::noop()).run("optional_spec111_may_support_multi_subscribe"));
}

#[test]
fn spec307_passes_a_demand_ignoring_publisher() {
    require_pass(Fixture::of(broken::demand_ignoring()).run(
        "required_spec307_after_subscription_is_cancelled_additional_cancelations_must_be_nops",
    ));
}

/// G3: the JVM TCK 1.0.4 gives up on an awaited `on_error` after one poll
/// interval; this one waits the whole timeout.
#[test]
fn spec309_waits_the_whole_timeout_for_a_late_error() {
    let env = TestEnvironment::new()
        .with_default_timeout(Duration::from_millis(1000))
        .with_no_signals_timeout(Duration::from_millis(50))
        .with_poll_timeout(Duration::from_millis(10));
    require_pass(
        Fixture::of(broken::late_error_on_zero())
            .env(env)
            .run("required_spec309_request_zero_must_signal_illegal_argument_exception"),
    );
}

#[test]
fn spec317_sends_exactly_11_to_a_publisher_that_emits_until_cancelled() {
    let sent = Arc::new(AtomicU64::new(0));
    require_pass(
        Fixture::of(broken::emits_until_cancelled(Arc::clone(&sent)))
            .default_env()
            .run("required_spec317_must_not_signal_on_error_when_pending_above_long_max_value"),
    );
    assert_eq!(sent.load(Ordering::SeqCst), 11);
}

/// (passed, skipped, not applicable) among the JVM TCK's 38 tests and among
/// the strict ones.
fn counts(report: &reactive_streams_tck::Report) -> [(usize, usize, usize); 2] {
    let (jvm, strict) = report.rows().split_at(38);
    let count = |rows: &[reactive_streams_tck::ReportRow]| {
        let n = |label: &str| rows.iter().filter(|r| r.outcome.label() == label).count();
        (n("PASS"), n("SKIP"), n("N/A"))
    };
    assert!(strict.iter().all(|r| r.name.contains("_strict_")));
    [count(jvm), count(strict)]
}

/// Counts as in the JVM TCK's run of `RangePublisher` with no failed
/// publisher: 29 run and pass in Rust terms (27 + the 2 config checks), 9
/// are not verified or need a failed publisher, and the two tests Rust's
/// types rule out are "not applicable". Of the strict tests, the two that
/// need a failed publisher or a declared sequence skip.
#[test]
fn a_correct_synchronous_publisher_passes_everything() {
    let report = run_publisher_verification(Fixture::new(range).default_env());
    assert!(report.is_success(), "{report}");
    assert_eq!(report.rows().len(), 38 + publisher::STRICT_TEST_NAMES.len());
    assert_eq!(counts(&report), [(27, 9, 2), (9, 2, 0)], "{report}");
}

#[test]
fn a_correct_asynchronous_publisher_passes_everything() {
    let report = run_publisher_verification(
        Fixture::new(async_range)
            .failed(broken::failed_correctly)
            .counting()
            .default_env(),
    );
    assert!(report.is_success(), "{report}");
    assert_eq!(counts(&report), [(29, 7, 2), (11, 0, 0)], "{report}");
}

/// The strict tests' correct fixtures, with everything declared: a
/// synchronous range, a work-in-progress drain, an emitter thread.
#[test]
fn correct_publishers_pass_every_strict_test() {
    let fixtures = [
        Fixture::new(range).failed(broken::failed_correctly),
        Fixture::new(|n| strict::drain(Some(n), Bug::None))
            .failed(|| strict::failed_drain(Bug::None)),
        Fixture::new(|n| strict::emitter(Some(n), Bug::None))
            .failed(|| strict::failed_drain(Bug::None)),
    ];
    for fixture in fixtures {
        let report = run_publisher_verification(fixture.counting().default_env());
        assert!(report.is_success(), "{report}");
        assert_eq!(counts(&report)[1], (11, 0, 0), "{report}");
    }
}

/// An endless publisher (it cannot complete) passes what it can.
#[test]
fn an_endless_publisher_passes_the_strict_tests_it_can_run() {
    let report = run_publisher_verification(
        Fixture::new(|_| strict::emitter(None, Bug::None))
            .max(publisher::PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE)
            .counting()
            .default_env(),
    );
    assert!(report.is_success(), "{report}");
    let skipped: Vec<&str> = report
        .rows()
        .iter()
        .filter(|r| r.name.contains("_strict_") && r.outcome.label() == "SKIP")
        .map(|r| r.name)
        .collect();
    assert_eq!(
        skipped,
        [
            "required_strict_spec107_failed_publisher_must_not_signal_after_on_error",
            "required_strict_spec317_must_keep_signalling_when_pending_demand_exceeds_long_max_value",
            "stochastic_strict_spec107_requests_and_cancels_racing_the_end_must_not_be_followed_by_signals"
        ],
        "{report}"
    );
}

/// A correct publisher verifies in about 2 seconds, most of it in the
/// no-signals waits (a budget, not a speed measurement: the figure is in
/// the README).
#[test]
fn a_report_is_timed_and_titled_by_the_implementation() {
    let report = run_publisher_verification(Fixture::new(range).default_env());
    assert_eq!(report.title(), "PublisherVerification of Fixture");
    assert!(report.total_duration().is_some());
    assert!(report.left_behind().is_empty());
}

#[test]
fn the_report_prints_a_line_per_test() {
    let report = run_publisher_verification(Fixture::of(broken::noop()).max(0));
    let table = report.to_string();
    assert_eq!(
        table.lines().count(),
        2 + 38 + publisher::STRICT_TEST_NAMES.len(),
        "{table}"
    );
    assert!(
        table.contains(
            "N/A   required    §1.9  required_spec109_subscribe_throw_npe_on_null_subscriber"
        ),
        "{table}"
    );
    assert!(
        table.contains("SKIP  optional    §1.5  optional_spec105_empty_stream"),
        "{table}"
    );
}
