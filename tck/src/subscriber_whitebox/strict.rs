//! The bodies of the whitebox tests that go beyond the JVM TCK: thin calls
//! of the shared ones in `subscriber_strict.rs` on the whitebox stage.

#![allow(missing_docs)] // Each body is documented by the list in subscriber_whitebox.rs and the README.

use std::sync::Arc;

use crate::env::TestEnvironment;
use crate::outcome::TckResult;
use crate::subscriber_strict::{self, Terminal};
use crate::subscriber_whitebox::{SubscriberWhiteboxVerification, WhiteboxStage};

pub fn optional_strict_spec202_signals_should_return_within_the_signal_budget<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    subscriber_strict::signals_within_budget(&WhiteboxStage::new(v, env)?, env)
}

pub fn required_strict_spec204_must_not_request_after_on_complete<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = WhiteboxStage::new(v, env)?;
    subscriber_strict::no_request_after_terminal(&stage, env, Terminal::Complete)
}

pub fn required_strict_spec204_must_not_request_after_on_error<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let stage = WhiteboxStage::new(v, env)?;
    subscriber_strict::no_request_after_terminal(&stage, env, Terminal::Error)
}

pub fn stochastic_strict_spec207_must_call_request_and_cancel_serially<
    V: SubscriberWhiteboxVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    subscriber_strict::serial_requests(|| WhiteboxStage::new(v, env), env)
}
