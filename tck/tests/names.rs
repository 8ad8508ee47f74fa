//! Coverage by name: every test of the JVM TCK's four verifications has a
//! test here named after it in snake_case, and nothing else. The JVM names are those of the inventory (reactive-streams-jvm
//! v1.0.4), converted mechanically.

use std::collections::BTreeSet;

use reactive_streams_tck::{processor, subscriber_blackbox, subscriber_whitebox};

/// `required_spec213_onNext_mustThrowNPE` → `required_spec213_on_next_must_throw_npe`:
/// an underscore before an upper-case letter that follows a lower-case
/// letter or a digit, or that starts a word after an acronym.
fn snake_case(jvm: &str) -> String {
    let chars: Vec<char> = jvm.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[track_caller]
fn assert_same_names(ours: &[&str], jvm: &[&str]) {
    let ours: BTreeSet<String> = ours.iter().map(|s| s.to_string()).collect();
    let jvm: BTreeSet<String> = jvm.iter().map(|s| snake_case(s)).collect();
    let missing: Vec<_> = jvm.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&jvm).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nnot in the JVM TCK: {extra:#?}"
    );
}

#[test]
fn snake_case_conversion() {
    assert_eq!(
        snake_case("required_spec109_subscribeThrowNPEOnNullSubscriber"),
        "required_spec109_subscribe_throw_npe_on_null_subscriber"
    );
    assert_eq!(
        snake_case("required_createPublisher1MustProduceAStreamOfExactly1Element"),
        "required_create_publisher1_must_produce_a_stream_of_exactly1_element"
    );
}

#[test]
fn whitebox_tests_are_the_jvm_ones() {
    assert_same_names(&subscriber_whitebox::TEST_NAMES, &WHITEBOX);
}

#[test]
fn blackbox_tests_are_the_jvm_ones() {
    assert_same_names(&subscriber_blackbox::TEST_NAMES, &BLACKBOX);
}

/// The publisher verification's 38 names: the JVM's identity processor
/// verification re-declares every publisher test, so they are the
/// processor's names less its 27 whitebox and 3 own ones.
#[test]
fn publisher_tests_are_the_jvm_ones() {
    let jvm: Vec<&str> = IDENTITY_PROCESSOR
        .iter()
        .copied()
        .filter(|name| {
            let snake = snake_case(name);
            !subscriber_whitebox::TEST_NAMES.contains(&snake.as_str())
                && !processor::OWN_TEST_NAMES.contains(&snake.as_str())
        })
        .collect();
    assert_eq!(jvm.len(), 38);
    assert_same_names(&processor::PUBLISHER_TEST_NAMES, &jvm);
}

#[test]
fn processor_tests_are_the_jvm_ones() {
    assert_same_names(&processor::TEST_NAMES, &IDENTITY_PROCESSOR);
}

const WHITEBOX: [&str; 27] = [
    "required_exerciseWhiteboxHappyPath",
    "required_spec201_mustSignalDemandViaSubscriptionRequest",
    "untested_spec202_shouldAsynchronouslyDispatch",
    "required_spec203_mustNotCallMethodsOnSubscriptionOrPublisherInOnComplete",
    "required_spec203_mustNotCallMethodsOnSubscriptionOrPublisherInOnError",
    "untested_spec204_mustConsiderTheSubscriptionAsCancelledInAfterRecievingOnCompleteOrOnError",
    "required_spec205_mustCallSubscriptionCancelIfItAlreadyHasAnSubscriptionAndReceivesAnotherOnSubscribeSignal",
    "untested_spec206_mustCallSubscriptionCancelIfItIsNoLongerValid",
    "untested_spec207_mustEnsureAllCallsOnItsSubscriptionTakePlaceFromTheSameThreadOrTakeCareOfSynchronization",
    "required_spec208_mustBePreparedToReceiveOnNextSignalsAfterHavingCalledSubscriptionCancel",
    "required_spec209_mustBePreparedToReceiveAnOnCompleteSignalWithPrecedingRequestCall",
    "required_spec209_mustBePreparedToReceiveAnOnCompleteSignalWithoutPrecedingRequestCall",
    "required_spec210_mustBePreparedToReceiveAnOnErrorSignalWithPrecedingRequestCall",
    "required_spec210_mustBePreparedToReceiveAnOnErrorSignalWithoutPrecedingRequestCall",
    "untested_spec211_mustMakeSureThatAllCallsOnItsMethodsHappenBeforeTheProcessingOfTheRespectiveEvents",
    "untested_spec212_mustNotCallOnSubscribeMoreThanOnceBasedOnObjectEquality_specViolation",
    "untested_spec213_failingOnSignalInvocation",
    "required_spec213_onSubscribe_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_onNext_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_onError_mustThrowNullPointerExceptionWhenParametersAreNull",
    "untested_spec301_mustNotBeCalledOutsideSubscriberContext",
    "required_spec308_requestMustRegisterGivenNumberElementsToBeProduced",
    "untested_spec310_requestMaySynchronouslyCallOnNextOnSubscriber",
    "untested_spec311_requestMaySynchronouslyCallOnCompleteOrOnError",
    "untested_spec314_cancelMayCauseThePublisherToShutdownIfNoOtherSubscriptionExists",
    "untested_spec315_cancelMustNotThrowExceptionAndMustSignalOnError",
    "untested_spec316_requestMustNotThrowExceptionAndMustOnErrorTheSubscriber",
];

const BLACKBOX: [&str; 26] = [
    "required_spec201_blackbox_mustSignalDemandViaSubscriptionRequest",
    "untested_spec202_blackbox_shouldAsynchronouslyDispatch",
    "required_spec203_blackbox_mustNotCallMethodsOnSubscriptionOrPublisherInOnComplete",
    "required_spec203_blackbox_mustNotCallMethodsOnSubscriptionOrPublisherInOnError",
    "untested_spec204_blackbox_mustConsiderTheSubscriptionAsCancelledInAfterRecievingOnCompleteOrOnError",
    "required_spec205_blackbox_mustCallSubscriptionCancelIfItAlreadyHasAnSubscriptionAndReceivesAnotherOnSubscribeSignal",
    "untested_spec206_blackbox_mustCallSubscriptionCancelIfItIsNoLongerValid",
    "untested_spec207_blackbox_mustEnsureAllCallsOnItsSubscriptionTakePlaceFromTheSameThreadOrTakeCareOfSynchronization",
    "untested_spec208_blackbox_mustBePreparedToReceiveOnNextSignalsAfterHavingCalledSubscriptionCancel",
    "required_spec209_blackbox_mustBePreparedToReceiveAnOnCompleteSignalWithPrecedingRequestCall",
    "required_spec209_blackbox_mustBePreparedToReceiveAnOnCompleteSignalWithoutPrecedingRequestCall",
    "required_spec210_blackbox_mustBePreparedToReceiveAnOnErrorSignalWithPrecedingRequestCall",
    "required_spec210_blackbox_mustBePreparedToReceiveAnOnErrorSignalWithoutPrecedingRequestCall",
    "untested_spec211_blackbox_mustMakeSureThatAllCallsOnItsMethodsHappenBeforeTheProcessingOfTheRespectiveEvents",
    "untested_spec212_blackbox_mustNotCallOnSubscribeMoreThanOnceBasedOnObjectEquality",
    "untested_spec213_blackbox_failingOnSignalInvocation",
    "required_spec213_blackbox_onSubscribe_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_blackbox_onNext_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_blackbox_onError_mustThrowNullPointerExceptionWhenParametersAreNull",
    "untested_spec301_blackbox_mustNotBeCalledOutsideSubscriberContext",
    "untested_spec308_blackbox_requestMustRegisterGivenNumberElementsToBeProduced",
    "untested_spec310_blackbox_requestMaySynchronouslyCallOnNextOnSubscriber",
    "untested_spec311_blackbox_requestMaySynchronouslyCallOnCompleteOrOnError",
    "untested_spec314_blackbox_cancelMayCauseThePublisherToShutdownIfNoOtherSubscriptionExists",
    "untested_spec315_blackbox_cancelMustNotThrowExceptionAndMustSignalOnError",
    "untested_spec316_blackbox_requestMustNotThrowExceptionAndMustOnErrorTheSubscriber",
];

const IDENTITY_PROCESSOR: [&str; 68] = [
    "required_validate_maxElementsFromPublisher",
    "required_validate_boundedDepthOfOnNextAndRequestRecursion",
    "required_createPublisher1MustProduceAStreamOfExactly1Element",
    "required_createPublisher3MustProduceAStreamOfExactly3Elements",
    "required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements",
    "required_spec102_maySignalLessThanRequestedAndTerminateSubscription",
    "stochastic_spec103_mustSignalOnMethodsSequentially",
    "optional_spec104_mustSignalOnErrorWhenFails",
    "required_spec105_mustSignalOnCompleteWhenFiniteStreamTerminates",
    "optional_spec105_emptyStreamMustTerminateBySignallingOnComplete",
    "untested_spec106_mustConsiderSubscriptionCancelledAfterOnErrorOrOnCompleteHasBeenCalled",
    "required_spec107_mustNotEmitFurtherSignalsOnceOnCompleteHasBeenSignalled",
    "untested_spec107_mustNotEmitFurtherSignalsOnceOnErrorHasBeenSignalled",
    "untested_spec108_possiblyCanceledSubscriptionShouldNotReceiveOnErrorOrOnCompleteSignals",
    "untested_spec109_subscribeShouldNotThrowNonFatalThrowable",
    "required_spec109_subscribeThrowNPEOnNullSubscriber",
    "required_spec109_mayRejectCallsToSubscribeIfPublisherIsUnableOrUnwillingToServeThemRejectionMustTriggerOnErrorAfterOnSubscribe",
    "required_spec109_mustIssueOnSubscribeForNonNullSubscriber",
    "untested_spec110_rejectASubscriptionRequestIfTheSameSubscriberSubscribesTwice",
    "optional_spec111_maySupportMultiSubscribe",
    "optional_spec111_registeredSubscribersMustReceiveOnNextOrOnCompleteSignals",
    "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne",
    "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront",
    "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected",
    "required_spec302_mustAllowSynchronousRequestCallsFromOnNextAndOnSubscribe",
    "required_spec303_mustNotAllowUnboundedRecursion",
    "untested_spec304_requestShouldNotPerformHeavyComputations",
    "untested_spec305_cancelMustNotSynchronouslyPerformHeavyComputation",
    "required_spec306_afterSubscriptionIsCancelledRequestMustBeNops",
    "required_spec307_afterSubscriptionIsCancelledAdditionalCancelationsMustBeNops",
    "required_spec309_requestZeroMustSignalIllegalArgumentException",
    "required_spec309_requestNegativeNumberMustSignalIllegalArgumentException",
    "optional_spec309_requestNegativeNumberMaySignalIllegalArgumentExceptionWithSpecificMessage",
    "required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling",
    "required_spec313_cancelMustMakeThePublisherEventuallyDropAllReferencesToTheSubscriber",
    "required_spec317_mustSupportAPendingElementCountUpToLongMaxValue",
    "required_spec317_mustSupportACumulativePendingElementCountUpToLongMaxValue",
    "required_spec317_mustNotSignalOnErrorWhenPendingAboveLongMaxValue",
    "required_spec104_mustCallOnErrorOnAllItsSubscribersIfItEncountersANonRecoverableError",
    "mustImmediatelyPassOnOnErrorEventsReceivedFromItsUpstreamToItsDownstream",
    "required_exerciseWhiteboxHappyPath",
    "required_spec201_mustSignalDemandViaSubscriptionRequest",
    "untested_spec202_shouldAsynchronouslyDispatch",
    "required_spec203_mustNotCallMethodsOnSubscriptionOrPublisherInOnComplete",
    "required_spec203_mustNotCallMethodsOnSubscriptionOrPublisherInOnError",
    "untested_spec204_mustConsiderTheSubscriptionAsCancelledInAfterRecievingOnCompleteOrOnError",
    "required_spec205_mustCallSubscriptionCancelIfItAlreadyHasAnSubscriptionAndReceivesAnotherOnSubscribeSignal",
    "untested_spec206_mustCallSubscriptionCancelIfItIsNoLongerValid",
    "untested_spec207_mustEnsureAllCallsOnItsSubscriptionTakePlaceFromTheSameThreadOrTakeCareOfSynchronization",
    "required_spec208_mustBePreparedToReceiveOnNextSignalsAfterHavingCalledSubscriptionCancel",
    "required_spec209_mustBePreparedToReceiveAnOnCompleteSignalWithPrecedingRequestCall",
    "required_spec209_mustBePreparedToReceiveAnOnCompleteSignalWithoutPrecedingRequestCall",
    "required_spec210_mustBePreparedToReceiveAnOnErrorSignalWithPrecedingRequestCall",
    "required_spec210_mustBePreparedToReceiveAnOnErrorSignalWithoutPrecedingRequestCall",
    "untested_spec211_mustMakeSureThatAllCallsOnItsMethodsHappenBeforeTheProcessingOfTheRespectiveEvents",
    "untested_spec212_mustNotCallOnSubscribeMoreThanOnceBasedOnObjectEquality_specViolation",
    "untested_spec213_failingOnSignalInvocation",
    "required_spec213_onSubscribe_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_onNext_mustThrowNullPointerExceptionWhenParametersAreNull",
    "required_spec213_onError_mustThrowNullPointerExceptionWhenParametersAreNull",
    "untested_spec301_mustNotBeCalledOutsideSubscriberContext",
    "required_spec308_requestMustRegisterGivenNumberElementsToBeProduced",
    "untested_spec310_requestMaySynchronouslyCallOnNextOnSubscriber",
    "untested_spec311_requestMaySynchronouslyCallOnCompleteOrOnError",
    "untested_spec314_cancelMayCauseThePublisherToShutdownIfNoOtherSubscriptionExists",
    "untested_spec315_cancelMustNotThrowExceptionAndMustSignalOnError",
    "untested_spec316_requestMustNotThrowExceptionAndMustOnErrorTheSubscriber",
    "required_mustRequestFromUpstreamForElementsThatHaveBeenRequestedLongAgo",
];
