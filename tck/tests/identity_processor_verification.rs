//! Self-tests of the identity processor verification ("quis custodiet"): the
//! processor's own tests fail deliberately broken processors with the
//! expected message, the delegated publisher and whitebox tests run on the
//! processor (and catch its flaws too), correct processors pass the whole
//! verification, and the verification declares every publisher and
//! whitebox test (the JVM TCK's `IdentityProcessorVerificationTest` and
//! `IdentityProcessorVerificationDelegationTest`).
//!
//! **Every processor with a [`Flaw`] is wrong on purpose.**

mod processor_fixture;

use std::collections::HashSet;
use std::time::Duration;

use reactive_streams::{BoxPublisher, Error};
use reactive_streams_tck::processor::{run_test, OWN_TEST_NAMES, STRICT_TEST_NAMES, TEST_NAMES};
use reactive_streams_tck::{
    publisher, run_identity_processor_verification, subscriber_whitebox,
    IdentityProcessorVerification, Outcome, PublisherVerification, TestEnvironment,
};

use crate::processor_fixture::{Flaw, IdentityProcessor, Mode};

/// The verification of an [`IdentityProcessor`].
struct Verification {
    mode: Mode,
    /// How many subscribers the processor takes (`None`: any number).
    max_subscribers: Option<usize>,
    /// How many the verification is told it takes.
    declared_max_subscribers: u64,
    /// What the verification is told, which may be wrong on purpose.
    declares_coordinated: bool,
    flaw: Flaw,
}

impl Verification {
    /// The JVM TCK's `LockstepProcessorTest`: coordinated, declared to take
    /// 2 subscribers.
    fn lockstep() -> Verification {
        Verification {
            mode: Mode::Lockstep,
            max_subscribers: None,
            declared_max_subscribers: 2,
            declares_coordinated: true,
            flaw: Flaw::None,
        }
    }

    /// Serves each subscriber on its own demand.
    fn independent() -> Verification {
        Verification {
            mode: Mode::Independent,
            max_subscribers: None,
            declared_max_subscribers: u64::MAX,
            declares_coordinated: false,
            flaw: Flaw::None,
        }
    }

    /// A simple buffering processor for one subscriber.
    fn unicast() -> Verification {
        Verification {
            mode: Mode::Independent,
            max_subscribers: Some(1),
            declared_max_subscribers: 1,
            declares_coordinated: false,
            flaw: Flaw::None,
        }
    }

    fn with(self, flaw: Flaw) -> Verification {
        Verification { flaw, ..self }
    }
}

/// Timeouts for correct processors: long enough that a busy machine does
/// not fail them.
fn env() -> TestEnvironment {
    TestEnvironment::new()
        .with_default_timeout(Duration::from_millis(1000))
        .with_no_signals_timeout(Duration::from_millis(50))
        .with_publisher_reference_timeout(Duration::from_millis(1000))
}

/// Timeouts for broken processors, which make the TCK wait for signals that
/// never come: short.
fn fast_env() -> TestEnvironment {
    env().with_default_timeout(Duration::from_millis(300))
}

impl IdentityProcessorVerification for Verification {
    type Item = u64;
    type Processor = IdentityProcessor<u64>;

    fn create_identity_processor(&self, buffer_size: usize) -> IdentityProcessor<u64> {
        IdentityProcessor::new(self.mode, self.max_subscribers, buffer_size, self.flaw)
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    /// A processor that was told upstream failed.
    fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
        let mut processor = self.create_identity_processor(16);
        reactive_streams::Subscriber::on_error(&mut processor, Error::new("failed"));
        Some(BoxPublisher::new(processor))
    }

    fn max_supported_subscribers(&self) -> u64 {
        self.declared_max_subscribers
    }

    fn does_coordinated_emission(&self) -> bool {
        self.declares_coordinated
    }

    /// The default helper publisher, passed on unchanged.
    fn expected_element(&self, index: u64) -> Option<u64> {
        Some(index)
    }

    fn env(&self) -> TestEnvironment {
        // Undeclared coordination is a broken configuration too.
        let broken =
            self.flaw != Flaw::None || (self.mode == Mode::Lockstep && !self.declares_coordinated);
        if broken {
            fast_env()
        } else {
            env()
        }
    }
}

#[track_caller]
fn assert_fails(outcome: Outcome, fragment: &str) {
    match outcome {
        Outcome::Fail(message) => assert!(
            message.contains(fragment),
            "expected a failure containing {fragment:?}, got: {message}"
        ),
        other => panic!("expected a failure containing {fragment:?}, got {other}"),
    }
}

const SPEC104_MULTI: &str = "required_spec104_must_call_on_error_on_all_its_subscribers_if_it_encounters_a_non_recoverable_error";
const PASS_ON_ERROR: &str =
    "must_immediately_pass_on_on_error_events_received_from_its_upstream_to_its_downstream";
const REQUESTED_LONG_AGO: &str =
    "required_must_request_from_upstream_for_elements_that_have_been_requested_long_ago";

// ---------------------------------------------------------------------------
// The processor's own tests
// ---------------------------------------------------------------------------

#[test]
fn multi_subscriber_tests_skip_for_a_single_subscriber_processor() {
    for test in [SPEC104_MULTI, REQUESTED_LONG_AGO] {
        assert_eq!(
            run_test(Verification::unicast(), test),
            Outcome::Skip(
                "The Publisher under test only supports 1 subscribers, while this test \
                 requires at least 2 to run."
                    .into()
            )
        );
    }
}

#[test]
fn own_tests_pass_coordinated_and_independent_processors() {
    for test in OWN_TEST_NAMES {
        assert_eq!(
            run_test(Verification::lockstep(), test),
            Outcome::Pass,
            "{test}"
        );
        assert_eq!(
            run_test(Verification::independent(), test),
            Outcome::Pass,
            "{test}"
        );
    }
}

#[test]
fn spec104_fails_when_the_error_reaches_one_subscriber_only() {
    for verification in [Verification::lockstep(), Verification::independent()] {
        assert_fails(
            run_test(
                verification.with(Flaw::ErrorToFirstSubscriberOnly),
                SPEC104_MULTI,
            ),
            "Did not receive expected error on downstream within 300 ms",
        );
    }
}

/// G10: a coordinating processor whose verification does not say so fails
/// with a hint.
#[test]
fn multi_subscriber_tests_hint_at_undeclared_coordination() {
    let undeclared = || Verification {
        declares_coordinated: false,
        ..Verification::lockstep()
    };
    assert_fails(
        run_test(undeclared(), SPEC104_MULTI),
        "please override does_coordinated_emission() to return true",
    );
    assert_fails(
        run_test(undeclared(), REQUESTED_LONG_AGO),
        "please override does_coordinated_emission() to return true",
    );
}

#[test]
fn pass_on_error_fails_when_the_error_waits_for_demand() {
    assert_fails(
        run_test(
            Verification::unicast().with(Flaw::DelaysErrorUntilDemand),
            PASS_ON_ERROR,
        ),
        "Did not receive expected error on downstream within",
    );
}

#[test]
fn requested_long_ago_fails_when_a_late_subscriber_misses_items() {
    assert_fails(
        run_test(
            Verification::independent().with(Flaw::DropsItemsWithoutDemand),
            REQUESTED_LONG_AGO,
        ),
        "timeout while awaiting",
    );
}

// ---------------------------------------------------------------------------
// Delegated tests run on the processor, and catch its flaws
// ---------------------------------------------------------------------------

#[test]
fn the_whitebox_happy_path_needs_cancel_to_reach_upstream() {
    assert_fails(
        run_test(
            Verification::unicast().with(Flaw::KeepsUpstreamAfterCancel),
            "required_exercise_whitebox_happy_path",
        ),
        "Did not receive expected cancelling of upstream subscription within",
    );
}

#[test]
fn the_whitebox_tests_see_the_processor_as_a_subscriber() {
    assert_fails(
        run_test(
            Verification::unicast().with(Flaw::KeepsSecondUpstream),
            "required_spec205_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal",
        ),
        "Expected 2nd Subscription given to subscriber to be cancelled",
    );
    assert_fails(
        run_test(
            Verification::unicast().with(Flaw::CancelsUpstreamOnComplete),
            "required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_complete",
        ),
        "Subscription::cancel MUST NOT be called from Subscriber::on_complete (Rule 2.3)!",
    );
}

#[test]
fn the_publisher_tests_see_the_processor_as_a_publisher() {
    assert_fails(
        run_test(
            Verification::unicast().with(Flaw::IgnoresRequestZero),
            "required_spec309_request_zero_must_signal_illegal_argument_exception",
        ),
        "§3.9",
    );
}

// ---------------------------------------------------------------------------
// Correct processors pass the whole verification
// ---------------------------------------------------------------------------

/// (passed, skipped, not applicable, failed) among the JVM TCK's tests and
/// among the strict ones.
fn counts(report: &reactive_streams_tck::Report) -> [(usize, usize, usize, usize); 2] {
    let count = |strict: bool| {
        let n = |label: &str| {
            report
                .rows()
                .iter()
                .filter(|r| r.name.contains("_strict_") == strict && r.outcome.label() == label)
                .count()
        };
        (n("PASS"), n("SKIP"), n("N/A"), n("FAIL"))
    };
    [count(false), count(true)]
}

/// The JVM TCK's `LockstepProcessorTest`.
#[test]
fn a_lockstep_processor_passes_the_whole_verification() {
    let report = run_identity_processor_verification(Verification::lockstep());
    println!("{report}");
    assert!(report.is_success(), "{report}");
    assert_eq!(report.rows().len(), 68 + STRICT_TEST_NAMES.len());
    // The JVM TCK: 46 pass, 22 skip (20 untested, and 2 optional §1.11
    // tests that a lockstep processor cannot pass when its subscribers
    // request one after the other). The same here, but for the 5 tests that
    // Rust's types rule out (null arguments, negative demand), which do not
    // apply rather than pass. Every strict test passes.
    assert_eq!(
        counts(&report),
        [(41, 22, 5, 0), (STRICT_TEST_NAMES.len(), 0, 0, 0)],
        "{report}"
    );
    assert_eq!(
        report.title(),
        "IdentityProcessorVerification of Verification"
    );
}

#[test]
fn an_independent_processor_passes_the_whole_verification() {
    let report = run_identity_processor_verification(Verification::independent());
    println!("{report}");
    assert!(report.is_success(), "{report}");
}

#[test]
fn a_buffering_unicast_processor_passes_the_whole_verification() {
    let report = run_identity_processor_verification(Verification::unicast());
    println!("{report}");
    assert!(report.is_success(), "{report}");
    for test in [SPEC104_MULTI, REQUESTED_LONG_AGO] {
        assert_eq!(report.row(test).unwrap().outcome.label(), "SKIP");
    }
}

// ---------------------------------------------------------------------------
// Delegation completeness (IdentityProcessorVerificationDelegationTest)
// ---------------------------------------------------------------------------

/// A verification type that is never run, to list test cases.
struct Listing;

impl PublisherVerification for Listing {
    type Publisher = reactive_streams::source::Empty<u64>;

    fn create_publisher(&self, _: u64) -> Self::Publisher {
        reactive_streams::source::empty()
    }
}

#[test]
fn the_processor_verification_declares_every_publisher_test() {
    let processor: HashSet<&str> = TEST_NAMES
        .iter()
        .chain(&STRICT_TEST_NAMES)
        .copied()
        .collect();
    let publisher_tests = publisher::test_cases::<Listing>();
    assert_eq!(
        publisher_tests.len(),
        38 + publisher::STRICT_TEST_NAMES.len()
    );
    for case in publisher_tests {
        assert!(
            processor.contains(case.name()),
            "the processor verification does not rerun the publisher test {}",
            case.name()
        );
    }
}

#[test]
fn the_processor_verification_declares_every_whitebox_test() {
    let processor: HashSet<&str> = TEST_NAMES
        .iter()
        .chain(&STRICT_TEST_NAMES)
        .copied()
        .collect();
    assert_eq!(subscriber_whitebox::TEST_NAMES.len(), 27);
    for name in subscriber_whitebox::TEST_NAMES
        .iter()
        .chain(&subscriber_whitebox::STRICT_TEST_NAMES)
    {
        assert!(
            processor.contains(name),
            "the processor verification does not rerun the whitebox test {name}"
        );
    }
}

#[test]
fn the_processor_verification_has_68_distinct_tests_that_all_run() {
    let distinct: HashSet<&str> = TEST_NAMES.iter().copied().collect();
    assert_eq!(distinct.len(), 68);
    // Every name dispatches to a body (`run_test` panics on an unknown name);
    // the untested ones are the cheapest way to show it for all sides.
    for name in TEST_NAMES.iter().filter(|n| n.starts_with("untested_")) {
        assert_eq!(
            run_test(Verification::unicast(), name).label(),
            "SKIP",
            "{name}"
        );
    }
    assert_eq!(
        TEST_NAMES
            .iter()
            .filter(|n| n.starts_with("untested_"))
            .count(),
        20
    );
}
