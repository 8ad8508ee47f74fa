//! Self-tests of the blackbox subscriber verification ("quis custodiet"):
//! for every executable test, a deliberately broken subscriber it must fail,
//! with the expected message; and correct subscribers it must pass (the JVM
//! TCK's `SubscriberBlackboxVerificationTest` and
//! `SyncTriggeredDemandSubscriberTest`).
//!
//! **Every subscriber marked with a [`Flaw`] is wrong on purpose.**

mod subscriber_flaws;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use reactive_streams::{BoxSubscriber, Error, Subscriber, Subscription, TestSubscriber, UNBOUNDED};
use reactive_streams_tck::subscriber_blackbox::{
    run_test, RequestTrigger, MAX_SIGNALS_IN_SPEC201, STRICT_TEST_NAMES, TEST_NAMES,
};
use reactive_streams_tck::{
    run_subscriber_blackbox_verification, Outcome, SubscriberBlackboxVerification, TestEnvironment,
    NOT_VERIFIED_USING, VERIFIED_BY_STRICT_TEST,
};
use subscriber_flaws::{requests_a_moment_later, requests_from_two_threads_at_once, BUDGET};

/// What a subscriber gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    /// Nothing: requests `initial` on subscribe, and 1 more per item.
    None,
    /// Never requests anything.
    NeverRequests,
    /// Requests 0 (§3.9).
    RequestsZero,
    /// `on_complete` calls `request(1)` (§2.3).
    RequestsInOnComplete,
    /// `on_complete` calls `cancel()` (§2.3).
    CancelsInOnComplete,
    /// `on_error` calls `request(1)` (§2.3).
    RequestsInOnError,
    /// `on_error` calls `cancel()` (§2.3).
    CancelsInOnError,
    /// Requests from a second subscription before cancelling it (§2.5).
    RequestsFromSecondSubscription,
    /// Keeps a second subscription (§2.5).
    KeepsSecondSubscription,
    /// Panics in `on_next` (§2.13).
    PanicsInOnNext,
    /// Panics in `on_complete` (§2.13).
    PanicsInOnComplete,
    /// Panics in `on_error` (§2.13).
    PanicsInOnError,
    /// `on_complete` and `on_error` leave a thread behind that requests
    /// more a moment later (§2.4).
    RequestsAfterTheEnd,
    /// Every `on_next` makes two threads request at once (§2.7).
    RequestsFromTwoThreadsAtOnce,
    /// `on_next` takes 3 signal budgets to return (§2.2, optional).
    BlocksInOnNext,
    /// Not flaws: calls from an *unrelated* subscriber's `on_complete` /
    /// `on_error`, made inside `on_subscribe`, which §2.3 allows.
    UnrelatedRequestFromOnComplete,
    UnrelatedCancelFromOnError,
}

/// A subscriber that requests `initial` items, then one more per item it
/// receives, with a [`Flaw`]; counts what it received.
struct Requesting {
    subscription: Option<Arc<dyn Subscription>>,
    initial: u64,
    flaw: Flaw,
    received: Arc<AtomicU64>,
}

impl Subscriber<u64> for Requesting {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscription.is_some() {
            match self.flaw {
                Flaw::KeepsSecondSubscription => {}
                Flaw::RequestsFromSecondSubscription => {
                    subscription.request(1);
                    subscription.cancel();
                }
                _ => subscription.cancel(),
            }
            return;
        }
        match self.flaw {
            Flaw::NeverRequests => {}
            Flaw::RequestsZero => subscription.request(0),
            Flaw::UnrelatedRequestFromOnComplete => {
                Unrelated(Arc::clone(&subscription)).on_complete()
            }
            Flaw::UnrelatedCancelFromOnError => {
                Unrelated(Arc::clone(&subscription)).on_error(Error::new("unrelated"))
            }
            _ => subscription.request(self.initial),
        }
        self.subscription = Some(subscription);
    }

    fn on_next(&mut self, _: u64) {
        match self.flaw {
            Flaw::PanicsInOnNext => panic!("I do not like items"),
            Flaw::RequestsFromTwoThreadsAtOnce => {
                requests_from_two_threads_at_once(self.subscription.as_ref().unwrap())
            }
            Flaw::BlocksInOnNext => thread::sleep(BUDGET * 3),
            _ => {}
        }
        self.received.fetch_add(1, Ordering::SeqCst);
        if self.initial < UNBOUNDED {
            if let Some(s) = &self.subscription {
                s.request(1);
            }
        }
    }

    fn on_error(&mut self, _: Error) {
        let subscription = self.subscription.take().unwrap();
        match self.flaw {
            Flaw::RequestsAfterTheEnd => requests_a_moment_later(&subscription),
            Flaw::RequestsInOnError => subscription.request(1),
            Flaw::CancelsInOnError => subscription.cancel(),
            Flaw::PanicsInOnError => panic!("Wrong, don't do this!"),
            _ => {}
        }
    }

    fn on_complete(&mut self) {
        let subscription = self.subscription.take().unwrap();
        match self.flaw {
            Flaw::RequestsAfterTheEnd => requests_a_moment_later(&subscription),
            Flaw::RequestsInOnComplete => subscription.request(1),
            Flaw::CancelsInOnComplete => subscription.cancel(),
            Flaw::PanicsInOnComplete => panic!("I did not expect the end"),
            _ => {}
        }
    }
}

/// Some other subscriber, whose signals the subscriber under test calls;
/// requests from `on_complete`, cancels from `on_error`.
struct Unrelated(Arc<dyn Subscription>);

impl Subscriber<()> for Unrelated {
    fn on_subscribe(&mut self, _: Arc<dyn Subscription>) {}
    fn on_next(&mut self, _: ()) {}
    fn on_error(&mut self, _: Error) {
        self.0.cancel();
    }
    fn on_complete(&mut self) {
        self.0.request(1);
    }
}

/// The verification of a [`Requesting`] subscriber.
struct Blackbox {
    initial: u64,
    flaw: Flaw,
    received: Arc<AtomicU64>,
}

/// Timeouts for correct subscribers: long enough that a busy machine does
/// not fail them.
fn env() -> TestEnvironment {
    TestEnvironment::new()
        .with_default_timeout(Duration::from_millis(1000))
        .with_no_signals_timeout(Duration::from_millis(50))
}

/// Timeouts for broken subscribers, which make the TCK wait for signals
/// that never come: short.
fn fast_env() -> TestEnvironment {
    env().with_default_timeout(Duration::from_millis(300))
}

impl Blackbox {
    fn with(flaw: Flaw) -> Blackbox {
        Blackbox::requesting(1, flaw)
    }

    fn requesting(initial: u64, flaw: Flaw) -> Blackbox {
        Blackbox {
            initial,
            flaw,
            received: Arc::default(),
        }
    }
}

impl SubscriberBlackboxVerification for Blackbox {
    type Item = u64;
    type Subscriber = Requesting;

    fn create_subscriber(&self) -> Requesting {
        Requesting {
            subscription: None,
            initial: self.initial,
            flaw: self.flaw,
            received: Arc::clone(&self.received),
        }
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn env(&self) -> TestEnvironment {
        match self.flaw {
            Flaw::None
            | Flaw::UnrelatedRequestFromOnComplete
            | Flaw::UnrelatedCancelFromOnError => env(),
            // A short budget only where the test is about it: a correct
            // subscriber on a loaded machine must not lose its pass.
            Flaw::BlocksInOnNext => fast_env().with_signal_budget(BUDGET),
            _ => fast_env(),
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

fn run(flaw: Flaw, test: &str) -> Outcome {
    run_test(Blackbox::with(flaw), test)
}

const SPEC201: &str = "required_spec201_blackbox_must_signal_demand_via_subscription_request";
const SPEC203_ON_COMPLETE: &str =
    "required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_complete";
const SPEC203_ON_ERROR: &str =
    "required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_error";
const SPEC205: &str = "required_spec205_blackbox_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal";
const SPEC209_WITH_REQUEST: &str = "required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call";
const SPEC209_WITHOUT_REQUEST: &str = "required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call";
const SPEC210_WITH_REQUEST: &str = "required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call";
const SPEC210_WITHOUT_REQUEST: &str = "required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call";

const STRICT202: &str =
    "optional_strict_spec202_blackbox_signals_should_return_within_the_signal_budget";
const STRICT204_ON_COMPLETE: &str =
    "required_strict_spec204_blackbox_must_not_request_after_on_complete";
const STRICT204_ON_ERROR: &str = "required_strict_spec204_blackbox_must_not_request_after_on_error";
const STRICT207: &str = "stochastic_strict_spec207_blackbox_must_call_request_and_cancel_serially";

const EXECUTABLE: [&str; 8] = [
    SPEC201,
    SPEC203_ON_COMPLETE,
    SPEC203_ON_ERROR,
    SPEC205,
    SPEC209_WITH_REQUEST,
    SPEC209_WITHOUT_REQUEST,
    SPEC210_WITH_REQUEST,
    SPEC210_WITHOUT_REQUEST,
];

// ---------------------------------------------------------------------------
// Broken subscribers: each executable test catches its flaw
// ---------------------------------------------------------------------------

#[test]
fn tests_that_need_demand_fail_without_request() {
    for test in [SPEC201, SPEC209_WITH_REQUEST, SPEC210_WITH_REQUEST] {
        assert_fails(
            run(Flaw::NeverRequests, test),
            "Did not receive expected `request` call within",
        );
    }
}

#[test]
fn spec201_fails_on_request_zero() {
    assert_fails(
        run(Flaw::RequestsZero, SPEC201),
        "Requests cannot be zero or negative but received request(0)",
    );
}

#[test]
fn spec201_fails_when_on_next_panics() {
    assert_fails(
        run(Flaw::PanicsInOnNext, SPEC201),
        "panicked: I do not like items",
    );
}

#[test]
fn spec203_fails_on_calls_from_on_complete() {
    assert_fails(
        run(Flaw::RequestsInOnComplete, SPEC203_ON_COMPLETE),
        "Subscription::request MUST NOT be called from Subscriber::on_complete (Rule 2.3)!",
    );
    assert_fails(
        run(Flaw::CancelsInOnComplete, SPEC203_ON_COMPLETE),
        "Subscription::cancel MUST NOT be called from Subscriber::on_complete (Rule 2.3)!",
    );
}

#[test]
fn spec203_fails_on_calls_from_on_error() {
    assert_fails(
        run(Flaw::RequestsInOnError, SPEC203_ON_ERROR),
        "Subscription::request MUST NOT be called from Subscriber::on_error (Rule 2.3)!",
    );
    assert_fails(
        run(Flaw::CancelsInOnError, SPEC203_ON_ERROR),
        "Subscription::cancel MUST NOT be called from Subscriber::on_error (Rule 2.3)!",
    );
}

#[test]
fn spec203_passes_unrelated_calls_from_another_subscribers_terminal_signals() {
    assert_eq!(
        run(Flaw::UnrelatedRequestFromOnComplete, SPEC203_ON_COMPLETE),
        Outcome::Pass
    );
    assert_eq!(
        run(Flaw::UnrelatedCancelFromOnError, SPEC203_ON_ERROR),
        Outcome::Pass
    );
}

#[test]
fn spec205_fails_on_request_from_the_second_subscription() {
    assert_fails(
        run(Flaw::RequestsFromSecondSubscription, SPEC205),
        "illegally called `subscription.request(1)`",
    );
}

#[test]
fn spec205_fails_when_the_second_subscription_is_kept() {
    assert_fails(
        run(Flaw::KeepsSecondSubscription, SPEC205),
        "Expected 2nd Subscription given to subscriber to be cancelled",
    );
}

#[test]
fn spec209_fails_when_on_complete_panics() {
    for test in [SPEC209_WITH_REQUEST, SPEC209_WITHOUT_REQUEST] {
        assert_fails(
            run(Flaw::PanicsInOnComplete, test),
            "panicked: I did not expect the end",
        );
    }
}

#[test]
fn spec210_fails_when_on_error_panics() {
    for test in [SPEC210_WITH_REQUEST, SPEC210_WITHOUT_REQUEST] {
        assert_fails(
            run(Flaw::PanicsInOnError, test),
            "panicked: Wrong, don't do this!",
        );
    }
}

// Beyond the JVM TCK (every one of these subscribers passes its tests).

#[test]
fn strict_spec204_fails_when_the_subscriber_requests_after_the_end() {
    assert_fails(
        run(Flaw::RequestsAfterTheEnd, STRICT204_ON_COMPLETE),
        "called `request(1)` after it received on_complete",
    );
    assert_fails(
        run(Flaw::RequestsAfterTheEnd, STRICT204_ON_ERROR),
        "called `request(1)` after it received on_error",
    );
}

#[test]
fn strict_spec207_fails_when_two_threads_request_at_once() {
    assert_fails(
        run(Flaw::RequestsFromTwoThreadsAtOnce, STRICT207),
        "(§2.7: a subscriber must call request and cancel serially)",
    );
}

/// §2.2 is RECOMMENDED: a blocking subscriber is skipped, with the reason.
#[test]
fn strict_spec202_skips_a_subscriber_that_blocks_its_publisher() {
    match run(Flaw::BlocksInOnNext, STRICT202) {
        Outcome::Skip(reason) => assert!(
            reason.contains("to return from on_next, more than the signal budget of 20 ms")
                && reason.contains("§2.2"),
            "{reason}"
        ),
        other => panic!("expected a skip, got {other}"),
    }
}

// ---------------------------------------------------------------------------
// Correct subscribers pass
// ---------------------------------------------------------------------------

#[test]
fn a_one_at_a_time_subscriber_passes_the_whole_verification() {
    let report = run_subscriber_blackbox_verification(Blackbox::with(Flaw::None));
    println!("{report}");
    assert!(report.is_success(), "{report}");
    assert_eq!(
        (
            report.passed(),
            report.skipped(),
            report.not_applicable(),
            report.failed()
        ),
        (8 + STRICT_TEST_NAMES.len(), 15, 3, 0)
    );
}

#[test]
fn every_strict_test_passes_correct_subscribers() {
    for test in STRICT_TEST_NAMES {
        assert_eq!(run(Flaw::None, test), Outcome::Pass, "{test}");
        assert_eq!(
            run_test(TriggeredDemandVerification, test),
            Outcome::Pass,
            "{test}"
        );
        assert_eq!(run_test(BoxedTestSubscriber, test), Outcome::Pass, "{test}");
    }
}

/// G6 fixed: a subscriber that requests 5 really receives 5 items (the JVM
/// TCK sends none).
#[test]
fn spec201_sends_the_requested_items() {
    let verification = Blackbox::requesting(5, Flaw::None);
    let received = Arc::clone(&verification.received);
    assert_eq!(run_test(verification, SPEC201), Outcome::Pass);
    // 5 requested at first; the 1 more per item is not read by the test.
    assert_eq!(received.load(Ordering::SeqCst), 5);
}

/// ...and at most 512 to one that requests without limit.
#[test]
fn spec201_sends_at_most_512_items() {
    let verification = Blackbox::requesting(UNBOUNDED, Flaw::None);
    let received = Arc::clone(&verification.received);
    assert_eq!(run_test(verification, SPEC201), Outcome::Pass);
    assert_eq!(received.load(Ordering::SeqCst), MAX_SIGNALS_IN_SPEC201);
}

/// A subscriber that requests only when told to, through the verification's
/// `trigger_request` hook (the JVM TCK's `SyncTriggeredDemandSubscriber`).
#[derive(Default)]
struct TriggeredDemand {
    subscription: Option<Arc<dyn Subscription>>,
}

impl TriggeredDemand {
    fn trigger_demand(&mut self, n: u64) {
        if let Some(s) = &self.subscription {
            s.request(n);
        }
    }
}

impl Subscriber<u64> for TriggeredDemand {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscription.is_some() {
            return subscription.cancel();
        }
        self.subscription = Some(subscription);
    }
    fn on_next(&mut self, _: u64) {}
    fn on_error(&mut self, _: Error) {
        self.subscription = None;
    }
    fn on_complete(&mut self) {
        self.subscription = None;
    }
}

struct TriggeredDemandVerification;

impl SubscriberBlackboxVerification for TriggeredDemandVerification {
    type Item = u64;
    type Subscriber = TriggeredDemand;

    fn create_subscriber(&self) -> TriggeredDemand {
        TriggeredDemand::default()
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn trigger_request(&self, subscriber: &mut TriggeredDemand) {
        subscriber.trigger_demand(1);
    }

    fn env(&self) -> TestEnvironment {
        env()
    }
}

/// A boxed subscriber that requests only when told to: the hook cannot
/// reach it through `BoxSubscriber`, so it comes with a [`RequestTrigger`]
/// over a clone of its handle.
struct BoxedTestSubscriber;

impl SubscriberBlackboxVerification for BoxedTestSubscriber {
    type Item = u64;
    type Subscriber = BoxSubscriber<u64>;

    fn create_subscriber(&self) -> BoxSubscriber<u64> {
        self.create_subscriber_and_trigger().0
    }

    fn create_subscriber_and_trigger(&self) -> (BoxSubscriber<u64>, Option<RequestTrigger>) {
        let subscriber = TestSubscriber::new(0);
        let handle = subscriber.clone();
        (
            Box::new(subscriber),
            Some(Box::new(move || handle.request(1))),
        )
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn env(&self) -> TestEnvironment {
        env()
    }
}

#[test]
fn a_boxed_subscriber_with_a_trigger_passes_the_whole_verification() {
    let report = run_subscriber_blackbox_verification(BoxedTestSubscriber);
    println!("{report}");
    assert!(report.is_success(), "{report}");
    assert_eq!(
        report.title(),
        "SubscriberBlackboxVerification of BoxedTestSubscriber"
    );
    assert_eq!(report.passed(), 8 + STRICT_TEST_NAMES.len(), "{report}");
}

/// Without its trigger the same boxed subscriber never requests: the tests
/// that need demand fail, which shows the trigger is what they used.
#[test]
fn a_boxed_subscriber_without_its_trigger_fails_the_tests_that_need_demand() {
    struct Untriggered;
    impl SubscriberBlackboxVerification for Untriggered {
        type Item = u64;
        type Subscriber = BoxSubscriber<u64>;
        fn create_subscriber(&self) -> BoxSubscriber<u64> {
            Box::new(TestSubscriber::new(0))
        }
        fn create_element(&self, id: u64) -> u64 {
            id
        }
        fn env(&self) -> TestEnvironment {
            fast_env()
        }
    }
    assert_fails(
        run_test(Untriggered, SPEC201),
        "Did not receive expected `request` call within",
    );
}

#[test]
fn a_subscriber_with_triggered_demand_passes_through_the_hook() {
    for test in EXECUTABLE {
        assert_eq!(
            run_test(TriggeredDemandVerification, test),
            Outcome::Pass,
            "{test}"
        );
    }
}

// ---------------------------------------------------------------------------
// Untested and not-applicable tests
// ---------------------------------------------------------------------------

#[test]
fn untested_tests_skip_with_the_reason() {
    let untested: Vec<&str> = TEST_NAMES
        .iter()
        .copied()
        .filter(|name| name.starts_with("untested_"))
        .collect();
    assert_eq!(untested.len(), 15);
    let mut covered = Vec::new();
    for test in untested {
        match run(Flaw::None, test) {
            Outcome::Skip(reason) if reason == NOT_VERIFIED_USING => {}
            // Rules the JVM TCK leaves untested and a strict test verifies:
            // the reason names the strict test, which exists.
            Outcome::Skip(reason) if reason.starts_with(VERIFIED_BY_STRICT_TEST) => {
                let strict = reason[VERIFIED_BY_STRICT_TEST.len()..].trim_start();
                let strict = strict.split([' ', ',']).next().unwrap();
                assert!(STRICT_TEST_NAMES.contains(&strict), "{reason}");
                covered.push(&test[..test.find('_').unwrap() + 8]);
            }
            other => panic!("{test}: {other}"),
        }
    }
    assert_eq!(
        covered,
        ["untested_spec202", "untested_spec204", "untested_spec207"]
    );
}

#[test]
fn null_argument_tests_do_not_apply() {
    let null_tests: Vec<&str> = TEST_NAMES
        .iter()
        .copied()
        .filter(|name| name.contains("null_pointer_exception"))
        .collect();
    assert_eq!(null_tests.len(), 3);
    for test in null_tests {
        match run(Flaw::None, test) {
            Outcome::NotApplicable(reason) => {
                assert!(
                    reason.contains("Rust's types rule the case out"),
                    "{reason}"
                )
            }
            other => panic!("{test}: expected N/A, got {other}"),
        }
    }
}
