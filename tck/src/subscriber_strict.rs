//! The subscriber tests that go beyond the JVM TCK, shared by the whitebox
//! and blackbox verifications (each has its `strict` list and thin bodies
//! that call these on its own stage).
//!
//! - §2.4: after `on_complete` or `on_error`, a subscriber must consider its
//!   subscription cancelled: no `request` may follow. The test lets the
//!   subscriber's demand settle first, so that an asynchronous subscriber's
//!   requests for items it received before the end do not count against it.
//!   A `cancel` after the end is tolerated (it is a NOP, §3.7).
//! - §2.7: `request` and `cancel` must be called serially. Every
//!   [`ProbeSubscription`](crate::support::ProbeSubscription) checks it, in
//!   every test; the stochastic test feeds many items with each call made to
//!   last a little longer, so that two threads that call at once meet.
//! - §2.2 (RECOMMENDED, hence optional): a subscriber whose signal methods
//!   block its publisher should dispatch the work asynchronously; the test
//!   fails the optional check (a skip with the reason) when a signal takes
//!   longer than the [signal budget](TestEnvironment::signal_budget).

use std::fmt;
use std::time::Duration;

use crate::common::test_exception;
use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::probe::BlackboxProbe;
use crate::support::{ManualPublisher, Rounds};
use crate::sync::millis;

/// What the shared tests need of a whitebox or blackbox stage.
pub(crate) trait SubscriberStage<T> {
    fn publisher(&self) -> &ManualPublisher<T>;
    fn probe(&self) -> &BlackboxProbe<T>;
    /// Makes the subscriber request `n`; returns how many it must then
    /// eventually request (the blackbox hook promises one).
    fn trigger(&self, n: u64) -> u64;
    /// A fresh element from the helper publisher.
    fn next_item(&self) -> TckResult<T>;
}

/// Triggers `max` and sends up to `max` items, each within the
/// subscriber's demand: whenever the demand read so far is used up it waits
/// for a request, up to the default timeout for the items the trigger
/// promised (the subscriber may delay its requests), the no-signals timeout
/// beyond; it stops when none comes (a subscriber may stop asking) or it
/// cancelled. Returns how many it sent; checks that the probe saw each.
fn feed<T, S>(stage: &S, env: &TestEnvironment, max: u64) -> TckResult<u64>
where
    T: Clone + PartialEq + fmt::Debug + Send + 'static,
    S: SubscriberStage<T>,
{
    let promised = stage.trigger(max);
    let publisher = stage.publisher();
    let mut sent = 0;
    while sent < max && !publisher.is_cancelled() {
        let patience = if sent < promised {
            env.default_timeout()
        } else {
            env.no_signals_timeout()
        };
        if publisher.pending_demand() == 0 && publisher.expect_request_with(patience, "").is_err() {
            break;
        }
        let item = stage.next_item()?;
        publisher.consume_demand(1);
        publisher.send_next(item.clone());
        stage.probe().expect_next(&item)?;
        sent += 1;
    }
    Ok(sent)
}

/// Which terminal signal the §2.4 test sends.
#[derive(Clone, Copy)]
pub(crate) enum Terminal {
    Complete,
    Error,
}

/// §2.4: after the terminal signal, no `request`.
pub(crate) fn no_request_after_terminal<T, S>(
    stage: &S,
    env: &TestEnvironment,
    terminal: Terminal,
) -> TckResult
where
    T: Clone + PartialEq + fmt::Debug + Send + 'static,
    S: SubscriberStage<T>,
{
    let (quiet, wait) = (env.no_signals_timeout(), env.default_timeout());
    feed(stage, env, 3)?;
    // Asynchronous subscribers may still be asking for more: let that settle.
    stage.publisher().subscription().settle(quiet, wait);
    let sent = match terminal {
        Terminal::Complete => {
            stage.publisher().send_completion();
            stage.probe().expect_completion()?;
            "on_complete"
        }
        Terminal::Error => {
            let error = test_exception();
            stage.publisher().send_error(error.clone());
            stage.probe().expect_any_error()?;
            "on_error"
        }
    };
    if let Ok(n) = stage.publisher().expect_request_with(quiet, "") {
        return Err(Stop::fail(format!(
            "Subscriber {} called `request({n})` after it received {sent}: after a terminal \
             signal it must consider its subscription cancelled (§2.4)",
            stage.probe().subscriber()
        )));
    }
    env.verify_no_async_errors_no_delay()
}

/// How many items the §2.7 test feeds per round.
const SERIAL_ITEMS: u64 = 64;

/// How long each `request` and `cancel` lasts in the §2.7 test: longer
/// than it takes a thread to wake up, so that two calls made "at once" meet.
const SERIAL_DWELL: Duration = Duration::from_millis(1);

/// §2.7: `request` and `cancel` must not overlap, seen over many items.
pub(crate) fn serial_requests<T, S>(
    new_stage: impl Fn() -> TckResult<S>,
    env: &TestEnvironment,
) -> TckResult
where
    T: Clone + PartialEq + fmt::Debug + Send + 'static,
    S: SubscriberStage<T>,
{
    for _round in Rounds::new(env, 1) {
        let stage = new_stage()?;
        stage.publisher().subscription().set_dwell(SERIAL_DWELL);
        feed(&stage, env, SERIAL_ITEMS)?;
        stage.publisher().send_completion();
        stage.probe().expect_completion()?;
        env.verify_no_async_errors_no_delay()?;
    }
    Ok(())
}

/// §2.2 (optional): each signal returns within the signal budget.
pub(crate) fn signals_within_budget<T, S>(stage: &S, env: &TestEnvironment) -> TckResult
where
    T: Clone + PartialEq + fmt::Debug + Send + 'static,
    S: SubscriberStage<T>,
{
    feed(stage, env, 3)?;
    stage.publisher().send_completion();
    stage.probe().expect_completion()?;
    let budget = env.signal_budget();
    if let Some((signal, took)) = stage.publisher().slowest_signal() {
        if took > budget {
            return Err(Stop::fail(format!(
                "Subscriber {} took {} ms to return from {signal}, more than the signal budget \
                 of {} ms: it blocks the thread that signals it, which §2.2 recommends \
                 avoiding by dispatching the work asynchronously",
                stage.probe().subscriber(),
                millis(took),
                millis(budget)
            )));
        }
    }
    env.verify_no_async_errors_no_delay()
}
