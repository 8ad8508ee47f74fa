//! The bodies of the publisher tests that go beyond the JVM TCK (the
//! `strict` list in publisher.rs; the README says what each catches and
//! why the JVM TCK does not).
//!
//! They look where the ported tests look away: the demand a publisher counts
//! when requests come from inside `on_next`, what it does after `on_error`,
//! demand summed past 2^63 - 1, the items themselves (when the implementer
//! declares them), and requests, `request(0)` and cancels from other threads
//! while it emits. The last ones are stochastic: they repeat a few rounds,
//! and in stress mode ([`TestEnvironment::stress`]) as many as fit in the
//! budget, with randomized pauses.

#![allow(missing_docs)] // Each body is documented by the list in publisher.rs and the README.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::Duration;

use reactive_streams::{Publisher, UNBOUNDED};

use crate::env::{AsyncError, TestEnvironment};
use crate::outcome::{Stop, TckResult};
use crate::publisher::tests::{
    finally_cancel, is_non_positive_request, NON_POSITIVE_REQUEST_ERROR,
};
use crate::publisher::{
    active_publisher, failed_publisher, ItemOf, PublisherVerification,
    PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE,
};
use crate::support::{
    declared_sequence, Latch, ManualSubscriber, Pauses, Rounds, SequenceCheck, Signal,
    StressSubscriber,
};
use crate::sync::millis;

/// The rounds each stochastic test runs outside stress mode.
const ROUNDS: u32 = 10;

/// The check of the first `count` items of `create_publisher(elements)`
/// against [`PublisherVerification::expected_element`], if declared.
fn declared<V: PublisherVerification + ?Sized>(
    v: &V,
    elements: u64,
    count: u64,
) -> Option<SequenceCheck<ItemOf<V>>> {
    let count = elements.min(count);
    declared_sequence(
        (0..count)
            .map(|i| v.expected_element(elements, i))
            .collect(),
    )
}

/// Whether the publisher can complete (the tests then expect it to).
fn can_complete<V: PublisherVerification + ?Sized>(v: &V) -> bool {
    v.max_elements_from_publisher() < PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE
}

/// A [`ManualSubscriber`] checking the declared sequence of
/// `create_publisher(elements)`.
fn manual<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
    elements: u64,
) -> ManualSubscriber<ItemOf<V>> {
    ManualSubscriber::new(env).with_sequence_check(declared(v, elements, 64))
}

fn skip_stochastic<V: PublisherVerification + ?Sized>(v: &V) -> TckResult {
    if v.skip_stochastic_tests() {
        Err(Stop::skip(
            "Skipping @Stochastic test because `skip_stochastic_tests()` returned `true`!",
        ))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The declared sequence
// ---------------------------------------------------------------------------

pub fn required_strict_create_publisher_must_emit_the_declared_sequence<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let max = v.max_elements_from_publisher();
    let mut sizes = vec![max.min(3), max.min(20)];
    sizes.dedup();
    sizes.retain(|&n| n > 0);
    let declares = |n: u64| (0..n).any(|i| v.expected_element(n, i).is_some());
    if !sizes.iter().any(|&n| declares(n)) {
        return Err(Stop::skip(
            "No sequence declared: PublisherVerification::expected_element returns None. \
             Declare the items create_publisher(n) emits to have them checked for order, loss \
             and duplication.",
        ));
    }
    for n in sizes {
        let publisher = active_publisher(v, n, false)?;
        let sub = manual(v, env, n);
        env.subscribe(&publisher, sub.clone())?;
        finally_cancel(&sub, || {
            // One at a time, then a batch, then the rest at once (exactly the
            // rest, for a publisher that never ends).
            let rest = if can_complete(v) { UNBOUNDED } else { n };
            let mut received = 0;
            for batch in [1, 1, 1, 5, rest] {
                let wanted = batch.min(n - received);
                if wanted == 0 {
                    break;
                }
                sub.request(if batch == UNBOUNDED {
                    UNBOUNDED
                } else {
                    wanted
                });
                sub.next_elements_with(
                    wanted as usize,
                    env.default_timeout(),
                    &format!(
                        "create_publisher({n}) delivered only {received} items and then not \
                         the {wanted} more requested"
                    ),
                )?;
                received += wanted;
            }
            if can_complete(v) {
                // One more, as some publishers need demand to see the end.
                sub.request(1);
                sub.expect_completion_with(
                    env.default_timeout(),
                    &format!("create_publisher({n}) did not complete after its {n} items"),
                )?;
            }
            env.verify_no_async_errors_no_delay()
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// After the end
// ---------------------------------------------------------------------------

/// After `on_error`, the subscription counts as cancelled (§1.6): requests
/// (zero or not) and cancels must not bring any signal (§1.7, §3.6, §3.7).
fn after_error_nothing<T: std::fmt::Debug>(sub: &ManualSubscriber<T>, what: &str) -> TckResult {
    sub.request(10);
    sub.request(0);
    sub.cancel();
    sub.request(1);
    sub.expect_none_with(
        sub.env().no_signals_timeout(),
        &format!(
            "{what} signalled onError, then, asked for more, an item (§1.7: no signal may follow \
             onError; §1.6: the subscription counts as cancelled):"
        ),
    )
}

/// `create_publisher(10)` and a subscriber to it that has received its
/// first item. The test keeps the publisher as long as the subscriber, as
/// the JVM TCK's tests do (a processor handle, say, may own what its
/// subscriptions need).
fn after_one_item<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult<(V::Publisher, ManualSubscriber<ItemOf<V>>)> {
    let publisher = active_publisher(v, 10, false)?;
    let sub = manual(v, env, 10);
    env.subscribe(&publisher, sub.clone())?;
    sub.request(1);
    sub.next_element()?;
    Ok((publisher, sub))
}

pub fn required_strict_spec107_must_not_signal_after_on_error_for_request_zero<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let (_publisher, sub) = after_one_item(v, env)?;
    sub.request(0);
    sub.expect_error(is_non_positive_request, NON_POSITIVE_REQUEST_ERROR)?;
    after_error_nothing(&sub, "The publisher")?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_strict_spec107_failed_publisher_must_not_signal_after_on_error<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = failed_publisher(v)?;
    let sub = ManualSubscriber::<ItemOf<V>>::new(env);
    // Not `env.subscribe`: the error may come inside `subscribe`.
    publisher.subscribe(sub.clone());
    sub.expect_subscription(env.default_timeout())?;
    sub.expect_error(|_| true, "the failed publisher's onError")?;
    after_error_nothing(&sub, "The failed publisher")?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_strict_spec306_request_zero_after_cancel_must_be_a_nop<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let (_publisher, sub) = after_one_item(v, env)?;
    sub.cancel();
    sub.request(0);
    sub.expect_none()?;
    let errors: Vec<String> = env
        .async_errors()
        .iter()
        .filter_map(|e| match e {
            AsyncError::Error { error, .. } => Some(error.to_string()),
            _ => None,
        })
        .collect();
    if !errors.is_empty() {
        return Err(Stop::fail(format!(
            "Publisher signalled onError({}) for a request(0) made after cancel: after cancel, \
             request MUST be a NOP (§3.6); the §3.9 error is only for a subscription that is \
             not cancelled",
            errors.join(", ")
        )));
    }
    env.verify_no_async_errors_no_delay()
}

// ---------------------------------------------------------------------------
// Demand under re-entrancy
// ---------------------------------------------------------------------------

pub fn required_strict_spec308_reentrant_requests_must_add_to_the_demand<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    const REQUESTED: u64 = 8;
    let publisher = active_publisher(v, 10, false)?;
    // Unlike the JVM TCK's re-entrant requesters, which stay one item ahead
    // of the publisher, this one lets the demand run out exactly (item #3)
    // and asks for more than one (item #4), from inside on_next.
    let sub = manual(v, env, 10)
        .with_on_subscribe(|sub| {
            sub.request(1);
            sub.request(1);
        })
        .with_on_next(|sub, n| match n {
            1 => sub.request(1),
            3 => sub.request(2),
            4 => sub.request(3),
            _ => {}
        });
    env.subscribe(&publisher, sub.clone())?;
    finally_cancel(&sub, || {
        let result = sub.next_elements_with(REQUESTED as usize, env.default_timeout(), "Timeout");
        if result.is_err() {
            return Err(Stop::fail(format!(
                "Publisher stopped after {} items, with {} requested (the test requests 2 from \
                 inside onSubscribe, then 1 from inside onNext #1, 2 from inside onNext #3, when \
                 the demand has just run out, and 3 from inside onNext #4: {REQUESTED} in all); \
                 a request made from inside onNext was lost or overwrote the demand (§3.8: \
                 request(n) adds n; §3.2)",
                sub.delivered(),
                sub.requested()
            )));
        }
        sub.expect_none_with(
            env.no_signals_timeout(),
            &format!("Publisher delivered more than the {REQUESTED} items requested:"),
        )?;
        env.verify_no_async_errors_no_delay()
    })
}

pub fn required_strict_spec309_reentrant_request_zero_must_signal_illegal_argument_exception<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 10, false)?;
    let sub = manual(v, env, 10).with_on_next(|sub, n| {
        if n == 2 {
            sub.request(0);
        }
    });
    env.subscribe(&publisher, sub.clone())?;
    finally_cancel(&sub, || {
        sub.request(3);
        sub.expect_error(is_non_positive_request, NON_POSITIVE_REQUEST_ERROR)
            .map_err(|stop| {
                Stop::fail(format!(
                    "request(0) made from inside onNext (while the publisher was emitting) \
                     did not lead to the §3.9 error: {}",
                    stop.message()
                ))
            })?;
        env.verify_no_async_errors_no_delay()
    })
}

pub fn required_strict_spec317_must_keep_signalling_when_pending_demand_exceeds_long_max_value<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    const N: u64 = 10;
    // 2^63 - 1, twice, then 3: a u64 sum wraps to 1, an i64 one goes
    // negative; the demand must saturate instead and count as unbounded.
    let overflow = |sub: &ManualSubscriber<ItemOf<V>>| {
        sub.request(UNBOUNDED);
        sub.request(UNBOUNDED);
        sub.request(3);
    };
    for (phase, before) in [
        ("from inside onSubscribe, before any item", true),
        ("from inside onNext #1", false),
    ] {
        // Unbounded demand on an endless publisher would never end: this
        // test needs one that completes.
        let publisher = active_publisher(v, N, true)?;
        let mut sub = manual(v, env, N);
        sub = if before {
            sub.with_on_subscribe(overflow)
        } else {
            sub.with_on_next(move |sub, n| {
                if n == 1 {
                    overflow(sub);
                }
            })
        };
        env.subscribe(&publisher, sub.clone())?;
        if !before {
            sub.request(1);
        }
        finally_cancel(&sub, || {
            let stalled = |_| {
                Stop::fail(format!(
                    "Publisher stopped after {} of {N} items, with 2^63 - 1, 2^63 - 1 and 3 \
                     requested {phase} (which a u64 sum wraps to 1): the demand must saturate \
                     and count as unbounded (§3.17)",
                    sub.delivered()
                ))
            };
            sub.next_elements_with(N as usize, env.default_timeout(), "")
                .map_err(stalled)?;
            sub.expect_completion_with(env.default_timeout(), "")
                .map_err(stalled)?;
            env.verify_no_async_errors_no_delay()
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Across threads (stochastic)
// ---------------------------------------------------------------------------

/// Runs `f` on a new thread; the result comes back through the channel
/// (`Err` if it panicked).
fn spawn_reporting(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> mpsc::Receiver<Result<(), String>> {
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(format!("tck:{name}"))
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
                .map_err(|p| crate::case::panic_message(p.as_ref()));
            let _ = tx.send(result);
        });
    if let Err(error) = spawned {
        let (tx, rx2) = mpsc::channel();
        let _ = tx.send(Err(format!("could not start a thread: {error}")));
        return rx2;
    }
    rx
}

/// Waits for a thread started by [`spawn_reporting`].
fn joined(rx: &mpsc::Receiver<Result<(), String>>, timeout: Duration, what: &str) -> TckResult {
    match rx.recv_timeout(timeout) {
        Ok(Ok(())) => Ok(()),
        // The runaway guard's own panic, already recorded.
        Ok(Err(panic)) if panic.starts_with("reactive-streams-tck:") => Err(Stop::fail(format!(
            "{what} was stopped by the TCK, which panicked out of onNext"
        ))),
        Ok(Err(panic)) => Err(Stop::fail(format!("{what} panicked: {panic}"))),
        Err(_) => Err(Stop::fail(format!(
            "{what} did not return within {} ms",
            millis(timeout)
        ))),
    }
}

pub fn stochastic_strict_spec101_requests_from_other_threads_during_emission_must_add_up<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    skip_stochastic(v)?;
    let n = v.max_elements_from_publisher().min(64);
    if n < 2 {
        return Err(Stop::skip(format!(
            "Unable to run this test, as it requires at least 2 elements, and the publisher \
             supports {n}"
        )));
    }
    let complete = can_complete(v);
    let wait = env.default_timeout();
    for round in Rounds::new(env, ROUNDS) {
        let publisher = v.create_publisher(n);
        let sub = StressSubscriber::new(env, declared(v, n, n));
        publisher.subscribe(sub.clone());
        sub.expect_subscription()?;
        // One more than the stream holds, as some publishers need to see
        // demand before they complete; from 2 threads, in random small
        // steps, serially (§2.7), while the publisher emits.
        let left = Arc::new(AtomicU64::new(n + 1));
        let requesters: Vec<_> = (0..2u64)
            .map(|t| {
                let (sub, left) = (sub.clone(), Arc::clone(&left));
                spawn_reporting("requester", move || {
                    let mut pauses = Pauses::new(u64::from(round) * 2 + t);
                    loop {
                        pauses.pause();
                        let step = pauses.between_1_and(3);
                        // Ordering: SeqCst; a plain shared budget, no data
                        // published through it.
                        let taken = left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| {
                            (l > 0).then(|| l - step.min(l))
                        });
                        match taken {
                            Ok(l) => sub.request(step.min(l)),
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();
        for requester in &requesters {
            joined(requester, wait, "A requesting thread (inside request)")?;
        }
        let arrived = if complete {
            sub.completed().wait_closed(wait)
        } else {
            wait_for(wait, || sub.delivered() >= n)
        };
        if !arrived {
            return Err(Stop::fail(format!(
                "Round {round}: the publisher delivered {} of {n} items{} within {} ms, though \
                 {} were requested, from 2 other threads in random steps of 1 to 3 while it \
                 emitted (serially, §2.7): a request was lost (§1.1, §3.8)",
                sub.delivered(),
                if complete { " and no completion" } else { "" },
                millis(wait),
                sub.requested()
            )));
        }
        env.verify_no_async_errors_no_delay()?;
    }
    Ok(())
}

/// Polls `done` until it holds or `timeout` passes.
fn wait_for(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = crate::sync::deadline(timeout);
    loop {
        if done() {
            return true;
        }
        if std::time::Instant::now() >= end {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
}

pub fn stochastic_strict_spec107_requests_and_cancels_racing_the_end_must_not_be_followed_by_signals<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    skip_stochastic(v)?;
    if !can_complete(v) {
        return Err(Stop::skip(
            "Unable to run this test, as it requires an onComplete signal, which this \
             Publisher is unable to provide",
        ));
    }
    // An empty stream's completion is an optional feature (as in the JVM
    // TCK's optional_spec105_empty_...): at least one item.
    let n = v.max_elements_from_publisher().min(8);
    if n == 0 {
        return Err(Stop::skip(
            "Unable to run this test, as it requires at least 1 element, and the publisher \
             supports 0",
        ));
    }
    let wait = env.default_timeout();
    for round in Rounds::new(env, ROUNDS) {
        let publisher = v.create_publisher(n);
        let sub = StressSubscriber::new(env, declared(v, n, n));
        publisher.subscribe(sub.clone());
        sub.expect_subscription()?;
        let requester = {
            let sub = sub.clone();
            spawn_reporting("requester", move || sub.request(n + 1))
        };
        if round == 0 {
            // Deterministic: after the end, from another thread, requests
            // and a cancel are NOPs (§1.6, §3.6, §3.7) and bring no signal.
            joined(&requester, wait, "request(n + 1) (the emitting thread)")?;
            sub.completed().expect_close(
                wait,
                &format!(
                    "create_publisher({n}) did not complete after request({})",
                    n + 1
                ),
            )?;
            let late = {
                let sub = sub.clone();
                spawn_reporting("after the end", move || {
                    sub.request(1);
                    sub.request(0);
                    sub.cancel();
                    sub.request(5);
                })
            };
            joined(&late, wait, "request or cancel after the end")?;
        } else {
            // Random: a request and a cancel from two more threads, around
            // the moment the publisher completes.
            let late_request = {
                let sub = sub.clone();
                spawn_reporting("late requester", move || {
                    Pauses::new(u64::from(round)).pause();
                    sub.request(1);
                })
            };
            let canceller = {
                let sub = sub.clone();
                spawn_reporting("canceller", move || {
                    let mut pauses = Pauses::new(u64::from(round) + 7);
                    pauses.pause();
                    pauses.pause();
                    sub.cancel();
                })
            };
            joined(&requester, wait, "request(n + 1)")?;
            joined(&late_request, wait, "A late request(1)")?;
            joined(&canceller, wait, "cancel")?;
        }
        env.verify_no_async_errors_no_delay()?;
    }
    // Anything late (a second terminal signal, an item, an error) shows now.
    env.verify_no_async_errors()
}

pub fn stochastic_strict_spec309_request_zero_from_another_thread_must_signal_illegal_argument_exception<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    skip_stochastic(v)?;
    let n = v.max_elements_from_publisher().min(i32::MAX as u64);
    if n < 2 {
        return Err(Stop::skip(format!(
            "Unable to run this test, as it requires at least 2 elements, and the publisher \
             supports {n}"
        )));
    }
    // Less than the stream holds, so that it is still going.
    let first = (n - 1).min(16);
    let wait = env.default_timeout();
    for round in Rounds::new(env, ROUNDS) {
        let publisher = v.create_publisher(n);
        let sub = StressSubscriber::new(env, declared(v, n, first));
        publisher.subscribe(sub.clone());
        sub.expect_subscription()?;
        let requester = {
            let sub = sub.clone();
            spawn_reporting("requester", move || sub.request(first))
        };
        let zero = {
            let sub = sub.clone();
            spawn_reporting("request(0)", move || {
                Pauses::new(u64::from(round)).pause();
                sub.request(0);
            })
        };
        joined(&requester, wait, &format!("request({first})"))?;
        joined(&zero, wait, "request(0)")?;
        env.expect_error(
            is_non_positive_request,
            NON_POSITIVE_REQUEST_ERROR,
            wait,
            &format!(
                "Round {round}: request(0) from another thread, while the publisher emitted the \
                 {first} items requested before, did not lead to the §3.9 error (Expected \
                 onError)"
            ),
        )?;
        if sub.terminal() != Some(Signal::OnError) {
            return Err(Stop::fail(format!(
                "Round {round}: the publisher signalled {:?} instead of onError after request(0) \
                 (§3.9)",
                sub.terminal()
            )));
        }
        env.verify_no_async_errors_no_delay()?;
    }
    env.verify_no_async_errors()
}

pub fn stochastic_strict_spec312_cancel_from_other_threads_during_emission_must_stop_the_publisher<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    /// The item during which the cancel comes.
    const AT: u64 = 8;
    skip_stochastic(v)?;
    let n = v.max_elements_from_publisher().min(i32::MAX as u64);
    if n < 2 * AT {
        return Err(Stop::skip(format!(
            "Unable to run this test, as it requires at least {} elements, and the publisher \
             supports {n}",
            2 * AT
        )));
    }
    let wait = env.default_timeout();
    let mut last = None;
    for round in Rounds::new(env, ROUNDS) {
        let publisher = v.create_publisher(n);
        let sub = StressSubscriber::new(env, declared(v, n, AT));
        // Inside on_next #AT the emission waits (a little) for two other
        // threads to cancel at once (§3.5: cancel is thread-safe).
        let (reached, cancelled) = (Latch::new(), Latch::new());
        {
            let (reached, cancelled) = (reached.clone(), cancelled.clone());
            let quiet = env.no_signals_timeout();
            sub.on_next(move |i| {
                if i == AT {
                    reached.close();
                    // A cancel that waits for this on_next to return is
                    // slow, not wrong: wait a little only.
                    cancelled.wait_closed(quiet);
                }
            });
        }
        publisher.subscribe(sub.clone());
        sub.expect_subscription()?;
        let requester = {
            let sub = sub.clone();
            spawn_reporting("requester", move || sub.request(UNBOUNDED))
        };
        let start = Arc::new(Barrier::new(2));
        let cancellers: Vec<_> = (0..2u64)
            .map(|t| {
                let (sub, reached, cancelled, start) = (
                    sub.clone(),
                    reached.clone(),
                    cancelled.clone(),
                    Arc::clone(&start),
                );
                spawn_reporting("canceller", move || {
                    if !reached.wait_closed(wait) {
                        return;
                    }
                    start.wait();
                    Pauses::new(u64::from(round) * 2 + t).pause();
                    sub.cancel();
                    cancelled.close();
                })
            })
            .collect();
        if !reached.wait_closed(wait) {
            return Err(Stop::fail(format!(
                "Round {round}: the publisher delivered {} items within {} ms after \
                 request(2^63 - 1), fewer than the {AT} this test needs before it cancels",
                sub.delivered(),
                millis(wait)
            )));
        }
        for canceller in &cancellers {
            joined(
                canceller,
                wait,
                "cancel, called from two threads at once (§3.5: cancel must be thread-safe),",
            )?;
        }
        joined(
            &requester,
            wait,
            "request(2^63 - 1), cancelled from two other threads during the emission,",
        )
        .map_err(|stop| {
            Stop::fail(format!(
                "{} (§3.12: cancel must make the publisher stop; {} items delivered)",
                stop.message(),
                sub.delivered()
            ))
        })?;
        env.verify_no_async_errors_no_delay()?;
        last = Some(sub);
    }
    if let Some(sub) = last {
        let after_cancel = sub.delivered();
        if !sub.wait_quiet(wait) {
            return Err(Stop::fail(format!(
                "The publisher was still signalling {} ms after it was cancelled (from two \
                 threads during the emission of a request(2^63 - 1)): {} items after the cancel \
                 (§3.12: cancel must make it stop)",
                millis(wait),
                sub.delivered() - after_cancel
            )));
        }
    }
    env.verify_no_async_errors_no_delay()
}
