//! Self-tests of the whitebox subscriber verification ("quis custodiet"):
//! for every executable test, a deliberately broken subscriber it must fail,
//! with the expected message; and correct subscribers it must pass (the JVM
//! TCK's `SubscriberWhiteboxVerificationTest` and
//! `SubscriberNoRegisterOnSubscribeTest`).
//!
//! **Every subscriber marked with a [`Flaw`] is wrong on purpose.**

mod subscriber_flaws;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use reactive_streams::{Error, Subscriber, Subscription};
use reactive_streams_tck::probe::{SubscriberPuppet, WhiteboxSubscriberProbe};
use reactive_streams_tck::subscriber_whitebox::{run_test, STRICT_TEST_NAMES, TEST_NAMES};
use reactive_streams_tck::{
    run_subscriber_whitebox_verification, Outcome, SubscriberWhiteboxVerification, TestEnvironment,
    NOT_VERIFIED_USING, VERIFIED_BY_STRICT_TEST,
};
use subscriber_flaws::{requests_a_moment_later, requests_from_two_threads_at_once, BUDGET};

/// What a subscriber gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    /// Nothing: the JVM TCK's `SimpleSubscriberWithProbe`.
    None,
    /// The puppet's `trigger_request` does nothing.
    IgnoresTriggerRequest,
    /// The puppet's `trigger_request` requests 1 the first time, never again.
    RequestsOnlyOnce,
    /// The puppet's `signal_cancel` does nothing.
    IgnoresSignalCancel,
    /// `on_next` does not report to the probe.
    ForgetsRegisterOnNext,
    /// `on_complete` does not report to the probe.
    ForgetsRegisterOnComplete,
    /// `on_subscribe` does not register the puppet.
    NoRegisterOnSubscribe,
    /// `on_complete` calls `request(1)` (§2.3).
    RequestsInOnComplete,
    /// `on_complete` calls `cancel()` (§2.3).
    CancelsInOnComplete,
    /// `on_error` calls `request(1)` (§2.3).
    RequestsInOnError,
    /// `on_error` calls `cancel()` (§2.3).
    CancelsInOnError,
    /// Accepts a second subscription and requests from it (§2.5).
    AcceptsSecondSubscription,
    /// Panics on an `on_next` that arrives after it cancelled (§2.8).
    PanicsOnNextAfterCancel,
    /// Panics in `on_error` (§2.13).
    PanicsInOnError,
    /// Reports an error other than the one it received.
    RegistersWrongError,
    /// `on_complete` and `on_error` leave a thread behind that requests
    /// more a moment later (§2.4).
    RequestsAfterTheEnd,
    /// Every `on_next` makes two threads request at once (§2.7).
    RequestsFromTwoThreadsAtOnce,
    /// `on_next` takes 3 signal budgets to return (§2.2, optional).
    BlocksInOnNext,
    /// Not flaws: calls from an *unrelated* subscriber's `on_complete` /
    /// `on_error`, made inside `on_subscribe`, which §2.3 allows (the reason
    /// for the JVM TCK 1.0.4 stack-marker change).
    UnrelatedRequestFromOnComplete,
    UnrelatedCancelFromOnComplete,
    UnrelatedRequestFromOnError,
    UnrelatedCancelFromOnError,
}

/// A subscriber that reports to the probe, with a [`Flaw`].
struct Probed {
    probe: WhiteboxSubscriberProbe<u64>,
    subscription: Option<Arc<dyn Subscription>>,
    flaw: Flaw,
    cancelled: Arc<AtomicBool>,
}

struct Puppet {
    subscription: Arc<dyn Subscription>,
    flaw: Flaw,
    cancelled: Arc<AtomicBool>,
    requested_once: AtomicBool,
}

impl SubscriberPuppet for Puppet {
    fn trigger_request(&self, n: u64) {
        match self.flaw {
            Flaw::IgnoresTriggerRequest => {}
            Flaw::RequestsOnlyOnce => {
                if !self.requested_once.swap(true, Ordering::SeqCst) {
                    self.subscription.request(1);
                }
            }
            _ => self.subscription.request(n),
        }
    }

    fn signal_cancel(&self) {
        if self.flaw != Flaw::IgnoresSignalCancel {
            self.cancelled.store(true, Ordering::SeqCst);
            self.subscription.cancel();
        }
    }
}

/// Some other subscriber, whose signals the subscriber under test calls for
/// reasons of its own.
struct Unrelated {
    subscription: Arc<dyn Subscription>,
    request: bool,
}

impl Unrelated {
    fn act(&self) {
        if self.request {
            self.subscription.request(1);
        } else {
            self.subscription.cancel();
        }
    }
}

impl Subscriber<()> for Unrelated {
    fn on_subscribe(&mut self, _: Arc<dyn Subscription>) {}
    fn on_next(&mut self, _: ()) {}
    fn on_error(&mut self, _: Error) {
        self.act();
    }
    fn on_complete(&mut self) {
        self.act();
    }
}

impl Subscriber<u64> for Probed {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscription.is_some() {
            if self.flaw == Flaw::AcceptsSecondSubscription {
                subscription.request(1);
            } else {
                subscription.cancel();
            }
            return;
        }
        self.subscription = Some(Arc::clone(&subscription));
        let unrelated = |request| Unrelated {
            subscription: Arc::clone(&subscription),
            request,
        };
        match self.flaw {
            Flaw::UnrelatedRequestFromOnComplete => unrelated(true).on_complete(),
            Flaw::UnrelatedCancelFromOnComplete => unrelated(false).on_complete(),
            Flaw::UnrelatedRequestFromOnError => unrelated(true).on_error(Error::new("unrelated")),
            Flaw::UnrelatedCancelFromOnError => unrelated(false).on_error(Error::new("unrelated")),
            _ => {}
        }
        if self.flaw != Flaw::NoRegisterOnSubscribe {
            self.probe.register_on_subscribe(Puppet {
                subscription,
                flaw: self.flaw,
                cancelled: Arc::clone(&self.cancelled),
                requested_once: AtomicBool::new(false),
            });
        }
    }

    fn on_next(&mut self, item: u64) {
        if self.flaw == Flaw::PanicsOnNextAfterCancel && self.cancelled.load(Ordering::SeqCst) {
            panic!("But I thought it's cancelled!");
        }
        match self.flaw {
            Flaw::RequestsFromTwoThreadsAtOnce => {
                requests_from_two_threads_at_once(self.subscription.as_ref().unwrap())
            }
            Flaw::BlocksInOnNext => thread::sleep(BUDGET * 3),
            _ => {}
        }
        if self.flaw != Flaw::ForgetsRegisterOnNext {
            self.probe.register_on_next(item);
        }
    }

    fn on_error(&mut self, error: Error) {
        match self.flaw {
            Flaw::RequestsAfterTheEnd => {
                requests_a_moment_later(self.subscription.as_ref().unwrap())
            }
            Flaw::RequestsInOnError => self.subscription.as_ref().unwrap().request(1),
            Flaw::CancelsInOnError => self.subscription.as_ref().unwrap().cancel(),
            Flaw::PanicsInOnError => panic!("Wrong, don't do this! ({error})"),
            Flaw::RegistersWrongError => {
                return self.probe.register_on_error(Error::new("another error"))
            }
            _ => {}
        }
        self.probe.register_on_error(error);
    }

    fn on_complete(&mut self) {
        match self.flaw {
            Flaw::RequestsAfterTheEnd => {
                requests_a_moment_later(self.subscription.as_ref().unwrap())
            }
            Flaw::RequestsInOnComplete => self.subscription.as_ref().unwrap().request(1),
            Flaw::CancelsInOnComplete => self.subscription.as_ref().unwrap().cancel(),
            Flaw::ForgetsRegisterOnComplete => return,
            _ => {}
        }
        self.probe.register_on_complete();
    }
}

/// The verification of a [`Probed`] subscriber with `flaw`.
struct Whitebox {
    flaw: Flaw,
    env: TestEnvironment,
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

impl Whitebox {
    fn with(flaw: Flaw) -> Whitebox {
        let broken = !matches!(
            flaw,
            Flaw::None
                | Flaw::UnrelatedRequestFromOnComplete
                | Flaw::UnrelatedCancelFromOnComplete
                | Flaw::UnrelatedRequestFromOnError
                | Flaw::UnrelatedCancelFromOnError
        );
        let env = match (broken, flaw) {
            // A short budget only where the test is about it: a correct
            // subscriber on a loaded machine must not lose its pass.
            (_, Flaw::BlocksInOnNext) => fast_env().with_signal_budget(BUDGET),
            (true, _) => fast_env(),
            (false, _) => env(),
        };
        Whitebox { flaw, env }
    }
}

impl SubscriberWhiteboxVerification for Whitebox {
    type Item = u64;
    type Subscriber = Probed;

    fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u64>) -> Probed {
        Probed {
            probe,
            subscription: None,
            flaw: self.flaw,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn env(&self) -> TestEnvironment {
        self.env.clone()
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

#[track_caller]
fn assert_passes(outcome: Outcome) {
    assert_eq!(outcome, Outcome::Pass);
}

fn run(flaw: Flaw, test: &str) -> Outcome {
    run_test(Whitebox::with(flaw), test)
}

const HAPPY_PATH: &str = "required_exercise_whitebox_happy_path";
const SPEC201: &str = "required_spec201_must_signal_demand_via_subscription_request";
const SPEC203_ON_COMPLETE: &str =
    "required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_complete";
const SPEC203_ON_ERROR: &str =
    "required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_error";
const SPEC205: &str = "required_spec205_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal";
const SPEC208: &str = "required_spec208_must_be_prepared_to_receive_on_next_signals_after_having_called_subscription_cancel";
const SPEC209_WITH_REQUEST: &str = "required_spec209_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call";
const SPEC209_WITHOUT_REQUEST: &str = "required_spec209_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call";
const SPEC210_WITH_REQUEST: &str =
    "required_spec210_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call";
const SPEC210_WITHOUT_REQUEST: &str = "required_spec210_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call";
const SPEC308: &str = "required_spec308_request_must_register_given_number_elements_to_be_produced";
const STRICT202: &str = "optional_strict_spec202_signals_should_return_within_the_signal_budget";
const STRICT204_ON_COMPLETE: &str = "required_strict_spec204_must_not_request_after_on_complete";
const STRICT204_ON_ERROR: &str = "required_strict_spec204_must_not_request_after_on_error";
const STRICT207: &str = "stochastic_strict_spec207_must_call_request_and_cancel_serially";

// ---------------------------------------------------------------------------
// Broken subscribers: each executable test catches its flaw
// ---------------------------------------------------------------------------

#[test]
fn happy_path_fails_when_cancel_is_not_propagated() {
    assert_fails(
        run(Flaw::IgnoresSignalCancel, HAPPY_PATH),
        "Did not receive expected cancelling of upstream subscription within",
    );
}

#[test]
fn happy_path_fails_when_on_next_is_not_registered() {
    assert_fails(
        run(Flaw::ForgetsRegisterOnNext, HAPPY_PATH),
        "did not call `register_on_next(",
    );
}

#[test]
fn spec201_fails_without_request() {
    assert_fails(
        run(Flaw::IgnoresTriggerRequest, SPEC201),
        "Did not receive expected `request` call within",
    );
}

#[test]
fn spec203_fails_on_request_from_on_complete() {
    assert_fails(
        run(Flaw::RequestsInOnComplete, SPEC203_ON_COMPLETE),
        "Subscription::request MUST NOT be called from Subscriber::on_complete (Rule 2.3)!",
    );
}

#[test]
fn spec203_fails_on_cancel_from_on_complete() {
    assert_fails(
        run(Flaw::CancelsInOnComplete, SPEC203_ON_COMPLETE),
        "Subscription::cancel MUST NOT be called from Subscriber::on_complete (Rule 2.3)!",
    );
}

#[test]
fn spec203_fails_on_request_from_on_error() {
    assert_fails(
        run(Flaw::RequestsInOnError, SPEC203_ON_ERROR),
        "Subscription::request MUST NOT be called from Subscriber::on_error (Rule 2.3)!",
    );
}

#[test]
fn spec203_fails_on_cancel_from_on_error() {
    assert_fails(
        run(Flaw::CancelsInOnError, SPEC203_ON_ERROR),
        "Subscription::cancel MUST NOT be called from Subscriber::on_error (Rule 2.3)!",
    );
}

#[test]
fn spec203_passes_unrelated_calls_from_another_subscribers_terminal_signals() {
    for flaw in [
        Flaw::UnrelatedRequestFromOnComplete,
        Flaw::UnrelatedCancelFromOnComplete,
    ] {
        assert_passes(run(flaw, SPEC203_ON_COMPLETE));
    }
    for flaw in [
        Flaw::UnrelatedRequestFromOnError,
        Flaw::UnrelatedCancelFromOnError,
    ] {
        assert_passes(run(flaw, SPEC203_ON_ERROR));
    }
}

#[test]
fn spec205_fails_when_the_second_subscription_is_not_cancelled() {
    assert_fails(
        run(Flaw::AcceptsSecondSubscription, SPEC205),
        "Expected 2nd Subscription given to subscriber to be cancelled",
    );
}

#[test]
fn spec208_fails_when_on_next_after_cancel_panics() {
    assert_fails(
        run(Flaw::PanicsOnNextAfterCancel, SPEC208),
        "But I thought it's cancelled!",
    );
}

#[test]
fn spec209_with_request_fails_when_completion_is_not_registered() {
    assert_fails(
        run(Flaw::ForgetsRegisterOnComplete, SPEC209_WITH_REQUEST),
        "did not call `register_on_complete()`",
    );
}

#[test]
fn spec209_without_request_fails_when_completion_is_not_registered() {
    assert_fails(
        run(Flaw::ForgetsRegisterOnComplete, SPEC209_WITHOUT_REQUEST),
        "did not call `register_on_complete()`",
    );
}

/// The JVM's `SubscriberNoRegisterOnSubscribeTest`: every test with set-up
/// needs the puppet.
#[test]
fn tests_with_set_up_fail_when_the_puppet_is_not_registered() {
    for test in [SPEC209_WITHOUT_REQUEST, HAPPY_PATH, SPEC308] {
        assert_fails(
            run(Flaw::NoRegisterOnSubscribe, test),
            "did not `register_on_subscribe` within",
        );
    }
}

#[test]
fn spec210_with_request_fails_when_on_error_panics() {
    assert_fails(
        run(Flaw::PanicsInOnError, SPEC210_WITH_REQUEST),
        "panicked: Wrong, don't do this! (Test Exception: Boom!)",
    );
}

#[test]
fn spec210_without_request_fails_when_on_error_panics() {
    assert_fails(
        run(Flaw::PanicsInOnError, SPEC210_WITHOUT_REQUEST),
        "Test Exception: Boom!",
    );
}

#[test]
fn spec210_fails_when_another_error_is_registered() {
    for test in [SPEC210_WITH_REQUEST, SPEC210_WITHOUT_REQUEST] {
        assert_fails(
            run(Flaw::RegistersWrongError, test),
            "called `register_on_error(another error)` rather than `register_on_error(Test Exception: Boom!)`",
        );
    }
}

#[test]
fn spec308_fails_when_fewer_items_are_requested_than_triggered() {
    assert_fails(
        run(Flaw::RequestsOnlyOnce, SPEC308),
        "Did not receive expected `request` call within",
    );
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
fn every_executable_test_passes_a_correct_subscriber() {
    for test in [
        HAPPY_PATH,
        SPEC201,
        SPEC203_ON_COMPLETE,
        SPEC203_ON_ERROR,
        SPEC205,
        SPEC208,
        SPEC209_WITH_REQUEST,
        SPEC209_WITHOUT_REQUEST,
        SPEC210_WITH_REQUEST,
        SPEC210_WITHOUT_REQUEST,
        SPEC308,
        STRICT202,
        STRICT204_ON_COMPLETE,
        STRICT204_ON_ERROR,
        STRICT207,
    ] {
        assert_eq!(run(Flaw::None, test), Outcome::Pass, "{test}");
    }
}

/// A subscriber that requests one item at a time, however much the puppet
/// asks for (the JVM examples' `SyncSubscriber`): the TCK must wait for each
/// request before it sends (G9).
struct OneAtATime {
    probe: WhiteboxSubscriberProbe<u64>,
    state: Arc<Mutex<OneAtATimeState>>,
}

#[derive(Default)]
struct OneAtATimeState {
    subscription: Option<Arc<dyn Subscription>>,
    /// Triggered and not yet requested.
    wanted: u64,
    /// Requested and not yet received.
    outstanding: u64,
}

impl OneAtATimeState {
    /// Requests 1 if nothing is outstanding and more is wanted.
    fn request_one(&mut self) -> Option<Arc<dyn Subscription>> {
        if self.outstanding == 0 && self.wanted > 0 {
            self.wanted -= 1;
            self.outstanding = 1;
            self.subscription.clone()
        } else {
            None
        }
    }
}

struct OneAtATimePuppet(Arc<Mutex<OneAtATimeState>>);

impl SubscriberPuppet for OneAtATimePuppet {
    fn trigger_request(&self, n: u64) {
        let mut state = self.0.lock().unwrap();
        state.wanted += n;
        let subscription = state.request_one();
        drop(state);
        if let Some(s) = subscription {
            s.request(1);
        }
    }

    fn signal_cancel(&self) {
        let mut state = self.0.lock().unwrap();
        state.wanted = 0;
        let subscription = state.subscription.clone();
        drop(state);
        if let Some(s) = subscription {
            s.cancel();
        }
    }
}

impl Subscriber<u64> for OneAtATime {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let mut state = self.state.lock().unwrap();
        if state.subscription.is_some() {
            drop(state);
            return subscription.cancel();
        }
        state.subscription = Some(subscription);
        drop(state);
        self.probe
            .register_on_subscribe(OneAtATimePuppet(Arc::clone(&self.state)));
    }

    fn on_next(&mut self, item: u64) {
        let mut state = self.state.lock().unwrap();
        state.outstanding = state.outstanding.saturating_sub(1);
        let subscription = state.request_one();
        drop(state);
        self.probe.register_on_next(item);
        if let Some(s) = subscription {
            s.request(1);
        }
    }

    fn on_error(&mut self, error: Error) {
        self.state.lock().unwrap().subscription = None;
        self.probe.register_on_error(error);
    }

    fn on_complete(&mut self) {
        self.state.lock().unwrap().subscription = None;
        self.probe.register_on_complete();
    }
}

struct OneAtATimeVerification;

impl SubscriberWhiteboxVerification for OneAtATimeVerification {
    type Item = u64;
    type Subscriber = OneAtATime;

    fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u64>) -> OneAtATime {
        OneAtATime {
            probe,
            state: Arc::default(),
        }
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn env(&self) -> TestEnvironment {
        env()
    }
}

#[test]
fn a_one_at_a_time_subscriber_passes_the_whole_verification() {
    let report = run_subscriber_whitebox_verification(OneAtATimeVerification);
    println!("{report}");
    assert!(report.is_success(), "{report}");
    assert_eq!(
        (
            report.passed(),
            report.skipped(),
            report.not_applicable(),
            report.failed()
        ),
        (11 + STRICT_TEST_NAMES.len(), 13, 3, 0)
    );
    assert_eq!(
        report.title(),
        "SubscriberWhiteboxVerification of OneAtATimeVerification"
    );
}

/// A subscriber whose puppet requests late, from another thread, and which
/// panics on an item it did not request: the JVM TCK's
/// `..._shouldWaitForDemandBeforeSignalling` self-tests (G9).
struct LateDemand {
    probe: WhiteboxSubscriberProbe<u64>,
    requested: Arc<AtomicU64>,
    subscribed: bool,
}

struct LatePuppet {
    subscription: Arc<dyn Subscription>,
    requested: Arc<AtomicU64>,
    /// Held around each late call: two triggers in a row make two threads,
    /// and §2.7 (which the strict tests check) wants their calls serial.
    serial: Arc<std::sync::Mutex<()>>,
}

const LATE: Duration = Duration::from_millis(50);

impl SubscriberPuppet for LatePuppet {
    fn trigger_request(&self, n: u64) {
        let (subscription, requested, serial) = (
            Arc::clone(&self.subscription),
            Arc::clone(&self.requested),
            Arc::clone(&self.serial),
        );
        thread::spawn(move || {
            thread::sleep(LATE);
            let _serial = serial.lock().unwrap();
            requested.fetch_add(n, Ordering::SeqCst);
            subscription.request(n);
        });
    }

    fn signal_cancel(&self) {
        let (subscription, serial) = (Arc::clone(&self.subscription), Arc::clone(&self.serial));
        thread::spawn(move || {
            // Late too, so that a cancel cannot overtake a request.
            thread::sleep(LATE * 2);
            let _serial = serial.lock().unwrap();
            subscription.cancel();
        });
    }
}

impl Subscriber<u64> for LateDemand {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if std::mem::replace(&mut self.subscribed, true) {
            return subscription.cancel();
        }
        self.probe.register_on_subscribe(LatePuppet {
            subscription,
            requested: Arc::clone(&self.requested),
            serial: Arc::default(),
        });
    }

    fn on_next(&mut self, item: u64) {
        let left = self.requested.fetch_sub(1, Ordering::SeqCst);
        assert!(left > 0, "onNext signalled without demand!");
        self.probe.register_on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        self.probe.register_on_error(error);
    }

    fn on_complete(&mut self) {
        self.probe.register_on_complete();
    }
}

struct LateDemandVerification;

impl SubscriberWhiteboxVerification for LateDemandVerification {
    type Item = u64;
    type Subscriber = LateDemand;

    fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u64>) -> LateDemand {
        LateDemand {
            probe,
            requested: Arc::new(AtomicU64::new(0)),
            subscribed: false,
        }
    }

    fn create_element(&self, id: u64) -> u64 {
        id
    }

    fn env(&self) -> TestEnvironment {
        env()
    }
}

#[test]
fn the_tck_waits_for_demand_before_signalling() {
    for test in [HAPPY_PATH, SPEC201, SPEC208, SPEC308]
        .into_iter()
        .chain(STRICT_TEST_NAMES)
    {
        assert_passes(run_test(LateDemandVerification, test));
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
    assert_eq!(untested.len(), 13);
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
fn null_argument_tests_do_not_apply_and_say_which_type_rules_them_out() {
    for (test, type_) in [
        (
            "required_spec213_on_subscribe_must_throw_null_pointer_exception_when_parameters_are_null",
            "Arc<dyn Subscription>",
        ),
        (
            "required_spec213_on_next_must_throw_null_pointer_exception_when_parameters_are_null",
            "the item T by value",
        ),
        (
            "required_spec213_on_error_must_throw_null_pointer_exception_when_parameters_are_null",
            "an Error by value",
        ),
    ] {
        match run(Flaw::None, test) {
            Outcome::NotApplicable(reason) => {
                assert!(reason.contains(type_), "{reason}");
                assert!(reason.contains("Rust's types rule the case out"), "{reason}");
            }
            other => panic!("{test}: expected N/A, got {other}"),
        }
    }
}
