//! The bodies of the 26 blackbox subscriber tests. Each is named after its
//! JVM method, and follows the JVM test step by step, except §2.1 (G6).

#![allow(missing_docs)] // Each body is documented by the list in subscriber_blackbox.rs and the README.

use std::sync::Arc;

use reactive_streams::{Subscriber, Subscription};

use crate::common::{
    expect_second_subscription_cancelled, not_verified, test_exception, SecondSubscription,
    NULL_ON_ERROR, NULL_ON_NEXT, NULL_ON_SUBSCRIBE,
};
use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::subscriber_blackbox::{
    subscriber_name, BlackboxStage, SubscriberBlackboxVerification, MAX_SIGNALS_IN_SPEC201,
};
use crate::support::{signal_marker, ProbeSubscription, Signal};

type Stage<V> = BlackboxStage<V>;

// ---------------------------------------------------------------------------
// §2 Subscriber
// ---------------------------------------------------------------------------

/// Fixed (G6): the JVM test's loop condition is inverted, so it sends no item
/// to a subscriber that has not cancelled. This one sends `min(requested,
/// 512)` items, each within demand, stopping if the subscriber cancels.
pub fn required_spec201_blackbox_must_signal_demand_via_subscription_request<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.trigger_request();
    // Assuming the subscriber wants to consume elements...
    let requested = stage.expect_request()?;
    // ...it must cope with as many as it asked for (up to a sane bound).
    let to_send = requested.min(MAX_SIGNALS_IN_SPEC201);
    let mut sent = 0;
    while sent < to_send && !stage.publisher.is_cancelled() {
        stage.signal_next()?;
        sent += 1;
    }
    // Completing after fewer items than requested is legal (§1.2).
    stage.publisher.send_completion();
    Ok(())
}

pub fn untested_spec202_blackbox_should_asynchronously_dispatch<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "optional_strict_spec202_blackbox_signals_should_return_within_the_signal_budget (optional: §2.2 is a recommendation)",
    )
}

/// §2.3, without set-up: a fresh subscriber gets a checking subscription,
/// then a terminal signal marked for the thread-local §2.3 check.
fn must_not_call_subscription_in<V: SubscriberBlackboxVerification>(
    v: &Arc<V>,
    env: &TestEnvironment,
    terminal: Signal,
) -> TckResult {
    let mut subscriber = v.create_subscriber_and_trigger().0;
    let subscription: Arc<dyn Subscription> = Arc::new(ProbeSubscription::new(env));
    signal_marker::within(Signal::OnSubscribe, || {
        subscriber.on_subscribe(subscription)
    });
    signal_marker::within(terminal, || match terminal {
        Signal::OnComplete => subscriber.on_complete(),
        _ => subscriber.on_error(test_exception()),
    });
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_complete<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    must_not_call_subscription_in(v, env, Signal::OnComplete)
}

pub fn required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_error<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    must_not_call_subscription_in(v, env, Signal::OnError)
}

pub fn untested_spec204_blackbox_must_consider_the_subscription_as_cancelled_in_after_recieving_on_complete_or_on_error<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "required_strict_spec204_blackbox_must_not_request_after_on_complete and required_strict_spec204_blackbox_must_not_request_after_on_error",
    )
}

/// Unlike the whitebox test, any request on the second subscription fails.
pub fn required_spec205_blackbox_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    let second = SecondSubscription::rejecting_requests(env, subscriber_name(&**v));
    expect_second_subscription_cancelled(env, second, |second| {
        stage.publisher.send_subscribe(second)
    })?;
    env.verify_no_async_errors_no_delay()?;
    // Done: complete the subscriber under test.
    stage.publisher.send_completion();
    Ok(())
}

pub fn untested_spec206_blackbox_must_call_subscription_cancel_if_it_is_no_longer_valid<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec207_blackbox_must_ensure_all_calls_on_its_subscription_take_place_from_the_same_thread_or_take_care_of_synchronization<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "stochastic_strict_spec207_blackbox_must_call_request_and_cancel_serially (and every test checks it)",
    )
}

pub fn untested_spec208_blackbox_must_be_prepared_to_receive_on_next_signals_after_having_called_subscription_cancel<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.trigger_request();
    stage.expect_request()?;
    stage.publisher.send_completion();
    stage.probe.expect_completion()
}

pub fn required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.publisher.send_completion();
    stage.probe.expect_completion()
}

pub fn required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.trigger_request();
    stage.expect_request()?;
    stage.publisher.send_error(test_exception());
    stage.probe.expect_any_error().map(drop)
}

pub fn required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call<
    V: SubscriberBlackboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.publisher.send_error(test_exception());
    stage.probe.expect_any_error().map(drop)
}

pub fn untested_spec211_blackbox_must_make_sure_that_all_calls_on_its_methods_happen_before_the_processing_of_the_respective_events<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec212_blackbox_must_not_call_on_subscribe_more_than_once_based_on_object_equality<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec213_blackbox_failing_on_signal_invocation<V: SubscriberBlackboxVerification>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec213_blackbox_on_subscribe_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_SUBSCRIBE))
}

pub fn required_spec213_blackbox_on_next_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_NEXT))
}

pub fn required_spec213_blackbox_on_error_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_ERROR))
}

// ---------------------------------------------------------------------------
// §3 Subscription
// ---------------------------------------------------------------------------

pub fn untested_spec301_blackbox_must_not_be_called_outside_subscriber_context<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec308_blackbox_request_must_register_given_number_elements_to_be_produced<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec310_blackbox_request_may_synchronously_call_on_next_on_subscriber<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec311_blackbox_request_may_synchronously_call_on_complete_or_on_error<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec314_blackbox_cancel_may_cause_the_publisher_to_shutdown_if_no_other_subscription_exists<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec315_blackbox_cancel_must_not_throw_exception_and_must_signal_on_error<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec316_blackbox_request_must_not_throw_exception_and_must_on_error_the_subscriber<
    V: SubscriberBlackboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}
