//! The bodies of the 27 whitebox subscriber tests. Each is named after its
//! JVM method, and follows the JVM test step by step.

#![allow(missing_docs)] // Each body is documented by the list in subscriber_whitebox.rs and the README.

use std::sync::Arc;

use reactive_streams::{Subscriber, Subscription};

use crate::common::{
    expect_second_subscription_cancelled, not_verified, test_exception, SecondSubscription,
    NULL_ON_ERROR, NULL_ON_NEXT, NULL_ON_SUBSCRIBE,
};
use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::probe::WhiteboxSubscriberProbe;
use crate::subscriber_whitebox::{subscriber_name, SubscriberWhiteboxVerification, WhiteboxStage};
use crate::support::{signal_marker, ProbeSubscription, Signal};

type Stage<V> = WhiteboxStage<V>;

// ---------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------

pub fn required_exercise_whitebox_happy_path<V: SubscriberWhiteboxVerification>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(1);
    stage.puppet.trigger_request(1);
    let received = stage.expect_request()?;

    let x = stage.signal_next()?;
    stage.probe.blackbox().expect_next(&x)?;

    stage.puppet.trigger_request(1);
    if received == 1 {
        stage.expect_request()?;
    }

    let y = stage.signal_next()?;
    stage.probe.blackbox().expect_next(&y)?;

    stage.puppet.signal_cancel();
    stage.publisher.expect_cancelling()?;

    stage.env.verify_no_async_errors()
}

// ---------------------------------------------------------------------------
// §2 Subscriber
// ---------------------------------------------------------------------------

pub fn required_spec201_must_signal_demand_via_subscription_request<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(1);
    stage.expect_request()?;
    stage.signal_next()?;
    Ok(())
}

pub fn untested_spec202_should_asynchronously_dispatch<V: SubscriberWhiteboxVerification>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "optional_strict_spec202_signals_should_return_within_the_signal_budget (optional: §2.2 is a recommendation)",
    )
}

/// §2.3, without set-up: the subscriber gets a checking subscription, then a
/// terminal signal marked for the thread-local §2.3 check.
fn must_not_call_subscription_in<V: SubscriberWhiteboxVerification>(
    v: &Arc<V>,
    env: &TestEnvironment,
    terminal: Signal,
) -> TckResult {
    let probe = WhiteboxSubscriberProbe::new(env, subscriber_name(&**v));
    let mut subscriber = v.create_subscriber(probe);
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

pub fn required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_complete<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    must_not_call_subscription_in(v, env, Signal::OnComplete)
}

pub fn required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_error<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    must_not_call_subscription_in(v, env, Signal::OnError)
}

pub fn untested_spec204_must_consider_the_subscription_as_cancelled_in_after_recieving_on_complete_or_on_error<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "required_strict_spec204_must_not_request_after_on_complete and required_strict_spec204_must_not_request_after_on_error",
    )
}

pub fn required_spec205_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    expect_second_subscription_cancelled(env, SecondSubscription::ignoring_requests(), |second| {
        stage.publisher.send_subscribe(second)
    })?;
    env.verify_no_async_errors()
}

pub fn untested_spec206_must_call_subscription_cancel_if_it_is_no_longer_valid<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec207_must_ensure_all_calls_on_its_subscription_take_place_from_the_same_thread_or_take_care_of_synchronization<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "stochastic_strict_spec207_must_call_request_and_cancel_serially (and every test checks it)",
    )
}

pub fn required_spec208_must_be_prepared_to_receive_on_next_signals_after_having_called_subscription_cancel<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(1);
    stage.expect_request()?;
    stage.puppet.signal_cancel();
    stage.publisher.expect_cancelling()?;
    // Legal: the item was requested before the cancel (§2.8).
    stage.signal_next()?;

    stage.puppet.trigger_request(1);
    stage.puppet.trigger_request(1);

    stage.env.verify_no_async_errors()
}

pub fn required_spec209_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(1);
    stage.publisher.send_completion();
    stage.probe.blackbox().expect_completion()?;
    stage.env.verify_no_async_errors()
}

pub fn required_spec209_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.publisher.send_completion();
    stage.probe.blackbox().expect_completion()?;
    stage.env.verify_no_async_errors()
}

pub fn required_spec210_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(1);
    stage.puppet.trigger_request(1);
    let error = test_exception();
    stage.publisher.send_error(error.clone());
    stage.probe.blackbox().expect_error(&error)?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec210_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    let error = test_exception();
    stage.publisher.send_error(error.clone());
    stage.probe.blackbox().expect_error(&error)?;
    env.verify_no_async_errors_no_delay()
}

pub fn untested_spec211_must_make_sure_that_all_calls_on_its_methods_happen_before_the_processing_of_the_respective_events<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec212_must_not_call_on_subscribe_more_than_once_based_on_object_equality_spec_violation<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec213_failing_on_signal_invocation<V: SubscriberWhiteboxVerification>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec213_on_subscribe_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_SUBSCRIBE))
}

pub fn required_spec213_on_next_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_NEXT))
}

pub fn required_spec213_on_error_must_throw_null_pointer_exception_when_parameters_are_null<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(NULL_ON_ERROR))
}

// ---------------------------------------------------------------------------
// §3 Subscription
// ---------------------------------------------------------------------------

pub fn untested_spec301_must_not_be_called_outside_subscriber_context<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec308_request_must_register_given_number_elements_to_be_produced<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = Stage::new(v, env)?;
    stage.puppet.trigger_request(2);
    let requested = stage.expect_request()?;
    let x = stage.signal_next()?;
    stage.probe.blackbox().expect_next(&x)?;
    // Some subscribers request one element at a time.
    if requested < 2 {
        stage.expect_request()?;
    }
    let y = stage.signal_next()?;
    stage.probe.blackbox().expect_next(&y)?;

    stage.probe.blackbox().expect_none()?;
    stage.puppet.trigger_request(3);

    stage.env.verify_no_async_errors()
}

pub fn untested_spec310_request_may_synchronously_call_on_next_on_subscriber<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec311_request_may_synchronously_call_on_complete_or_on_error<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec314_cancel_may_cause_the_publisher_to_shutdown_if_no_other_subscription_exists<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec315_cancel_must_not_throw_exception_and_must_signal_on_error<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec316_request_must_not_throw_exception_and_must_on_error_the_subscriber<
    V: SubscriberWhiteboxVerification,
>(
    _v: &Arc<V>,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}
