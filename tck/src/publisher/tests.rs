//! The bodies of the 38 publisher tests. Each is named after its JVM method,
//! and cites the JVM test's behaviour in its doc.

#![allow(missing_docs)] // Each body is documented by the list in publisher.rs and the README.

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::{Error, Publisher, Rule, Subscriber, Subscription, UNBOUNDED};

use crate::case::NOT_VERIFIED;
use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::publisher::{
    active_publisher, failed_publisher, ItemOf, PublisherVerification,
    PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE,
};
use crate::support::{
    reference, Latch, ManualSubscriber, Promise, Received, Rounds, RunawayGuard,
    SerialSignalsSubscriber,
};
use crate::sync::{lock, millis};

fn not_verified() -> TckResult {
    Err(Stop::skip(NOT_VERIFIED))
}

/// True for the §3.9 error: `Error::rule() == Some(Rule::NON_POSITIVE_REQUEST)`.
pub(crate) fn is_non_positive_request(error: &Error) -> bool {
    error.rule() == Some(Rule::NON_POSITIVE_REQUEST)
}

pub(crate) const NON_POSITIVE_REQUEST_ERROR: &str =
    "an Error whose rule() is Some(§3.9), such as Error::non_positive_request()";

/// Runs `body`, then cancels `sub`, whatever the body's result (the JVM's
/// `try { .. } finally { sub.cancel() }`).
pub(crate) fn finally_cancel<T>(
    sub: &ManualSubscriber<T>,
    body: impl FnOnce() -> TckResult,
) -> TckResult {
    let result = body();
    if sub.is_subscribed() {
        sub.cancel();
    }
    result
}

fn request_next_or_end<T: fmt::Debug>(sub: &ManualSubscriber<T>) -> TckResult<Option<T>> {
    sub.request(1);
    sub.next_element_or_end_of_stream_with(
        sub.env().default_timeout(),
        "Timeout while waiting for next element from Publisher",
    )
}

// ---------------------------------------------------------------------------
// Set-up and configuration
// ---------------------------------------------------------------------------

pub fn required_create_publisher1_must_produce_a_stream_of_exactly1_element<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 1, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    if request_next_or_end(&sub)?.is_none() {
        return Err(Stop::fail(
            "Publisher produced no elements (create_publisher(1) must make exactly 1)",
        ));
    }
    sub.request_end_of_stream()
}

pub fn required_create_publisher3_must_produce_a_stream_of_exactly3_elements<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    for message in [
        "Publisher produced no elements",
        "Publisher produced only 1 element",
        "Publisher produced only 2 elements",
    ] {
        if request_next_or_end(&sub)?.is_none() {
            return Err(Stop::fail(format!(
                "{message} (create_publisher(3) must make exactly 3)"
            )));
        }
    }
    sub.request_end_of_stream()
}

pub fn required_validate_max_elements_from_publisher<V: PublisherVerification>(
    v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    let max = v.max_elements_from_publisher();
    if max > PUBLISHER_UNABLE_TO_SIGNAL_ON_COMPLETE {
        return Err(Stop::fail(format!(
            "max_elements_from_publisher MUST return a number <= UNBOUNDED (2^63 - 1, which \
             means \"unable to signal onComplete\"), but returned {max}"
        )));
    }
    Ok(())
}

pub fn required_validate_bounded_depth_of_on_next_and_request_recursion<
    V: PublisherVerification,
>(
    v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    if v.bounded_depth_of_on_next_and_request_recursion() < 1 {
        return Err(Stop::fail(
            "bounded_depth_of_on_next_and_request_recursion must return a number >= 1",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// §1 Publisher
// ---------------------------------------------------------------------------

pub fn required_spec101_subscription_request_must_result_in_the_correct_number_of_produced_elements<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 5, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    let (wait, quiet) = (env.default_timeout(), env.no_signals_timeout());
    finally_cancel(&sub, || {
        sub.expect_none_with(
            quiet,
            "Publisher produced value before the first `request`:",
        )?;
        sub.request(1);
        sub.next_element_with(wait, "Publisher produced no element after first `request`")?;
        sub.expect_none_with(quiet, "Publisher produced unrequested:")?;
        sub.request(1);
        sub.request(2);
        sub.next_elements_with(
            3,
            wait,
            "Publisher produced less than 3 elements after two respective `request` calls",
        )?;
        sub.expect_none_with(quiet, "Publisher produced unrequested")
    })
}

pub fn required_spec102_may_signal_less_than_requested_and_terminate_subscription<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(10);
    sub.next_elements(3)?;
    sub.expect_completion()
}

pub fn stochastic_spec103_must_signal_on_methods_sequentially<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    const ITERATIONS: u32 = 100;
    const ELEMENTS: u64 = 10;
    if v.skip_stochastic_tests() {
        return Err(Stop::skip(
            "Skipping @Stochastic test because `skip_stochastic_tests()` returned `true`!",
        ));
    }
    // In stress mode, as many more iterations as fit in the budget.
    for iteration in Rounds::new(env, ITERATIONS) {
        let publisher = active_publisher(v, ELEMENTS, true)?;
        let sub = SerialSignalsSubscriber::new(env, ELEMENTS);
        publisher.subscribe(sub.clone());
        let completed = sub.completed().wait_closed(env.default_timeout());
        sub.cancel();
        if !completed {
            return Err(Stop::fail(format!(
                "Failed in iteration {iteration} of {ITERATIONS}. Expected completion signal \
                 after signalling {ELEMENTS} elements (signalled {}), yet did not receive it \
                 within {} ms",
                sub.received(),
                millis(env.default_timeout())
            )));
        }
        env.verify_no_async_errors_no_delay()?;
    }
    Ok(())
}

/// What a raw subscriber saw, for the tests that check the order of the
/// first signals (§1.9) and the failed publisher (§1.4).
struct OrderProbe {
    env: TestEnvironment,
    guard: RunawayGuard,
    subscribed: Latch,
    errored: Latch,
    subscription: Promise<Arc<dyn Subscription>>,
    /// Whether `on_next`/`on_complete` are allowed at all (after `on_subscribe`).
    items_allowed: bool,
    /// What to call the publisher in messages.
    what: &'static str,
}

impl OrderProbe {
    fn new(env: &TestEnvironment, items_allowed: bool, what: &'static str) -> Arc<OrderProbe> {
        Arc::new(OrderProbe {
            env: env.clone(),
            guard: RunawayGuard::default(),
            subscribed: Latch::new(),
            errored: Latch::new(),
            subscription: Promise::new(),
            items_allowed,
            what,
        })
    }

    fn cancel(&self) {
        if let Some(subscription) = self.subscription.value() {
            subscription.cancel();
        }
    }
}

struct OrderProbeSubscriber(Arc<OrderProbe>);

impl<T: fmt::Debug> Subscriber<T> for OrderProbeSubscriber {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let p = &self.0;
        p.env.observe("on_subscribe");
        if p.subscribed.is_closed() {
            p.env
                .flop_violation("Only one onSubscribe call expected (§1.9)");
            subscription.cancel();
            return;
        }
        let _ = p.subscription.complete(subscription);
        p.subscribed.close();
    }

    fn on_next(&mut self, item: T) {
        let p = &self.0;
        p.env.observe("on_next");
        p.guard.on_next(&p.env, p.subscription.value());
        if !p.subscribed.is_closed() {
            p.env
                .flop_violation("onSubscribe should be called prior to onNext always (§1.9)");
        } else if !p.items_allowed {
            p.env.flop(format!(
                "Unexpected Subscriber::onNext({item:?}) from {} (§1.4: it must only signal \
                 onError)",
                p.what
            ));
        }
    }

    fn on_error(&mut self, error: Error) {
        let p = &self.0;
        p.env.observe("on_error");
        if !p.subscribed.is_closed() {
            p.env.flop_violation(format!(
                "onSubscribe should be called prior to onError always (§1.9); got onError({error})"
            ));
        }
        if p.errored.is_closed() {
            p.env.flop_violation(format!(
                "Only one onError call expected: {} called `onError` twice on new Subscriber (§1.7)",
                p.what
            ));
        }
        p.errored.close();
    }

    fn on_complete(&mut self) {
        let p = &self.0;
        p.env.observe("on_complete");
        if !p.subscribed.is_closed() {
            p.env
                .flop_violation("onSubscribe should be called prior to onComplete always (§1.9)");
        } else if !p.items_allowed {
            p.env.flop(format!(
                "Unexpected Subscriber::onComplete() from {} (§1.4: it must signal onError)",
                p.what
            ));
        }
    }
}

pub fn optional_spec104_must_signal_on_error_when_fails<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = failed_publisher(v)?;
    let probe = OrderProbe::new(env, false, "Error-state Publisher");
    let subscribed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        publisher.subscribe(OrderProbeSubscriber(Arc::clone(&probe)));
    }));
    if let Err(payload) = subscribed {
        return Err(Stop::fail(format!(
            "Publisher threw exception ({}) instead of signalling error via onError! \
             (§1.4, §1.9: subscribe must return normally)",
            crate::case::panic_message(payload.as_ref())
        )));
    }
    let result = (|| {
        probe
            .subscribed
            .expect_close(env.default_timeout(), "Should have received onSubscribe")?;
        probe.errored.expect_close(
            env.default_timeout(),
            "Error-state Publisher did not call `onError` on new Subscriber",
        )?;
        env.verify_no_async_errors()
    })();
    probe.cancel();
    result
}

pub fn required_spec105_must_signal_on_complete_when_finite_stream_terminates<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request_next_element()?;
    sub.request_next_element()?;
    sub.request_next_element()?;
    sub.request_end_of_stream()?;
    sub.expect_none()
}

pub fn optional_spec105_empty_stream_must_terminate_by_signalling_on_complete<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 0, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(1);
    sub.expect_completion()?;
    sub.expect_none()
}

pub fn untested_spec106_must_consider_subscription_cancelled_after_on_error_or_on_complete_has_been_called<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified() // not really testable without more control over the Publisher
}

pub fn required_spec107_must_not_emit_further_signals_once_on_complete_has_been_signalled<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 1, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(10);
    sub.next_element()?;
    sub.expect_completion()?;
    sub.request(10);
    sub.expect_none()
}

pub fn untested_spec107_must_not_emit_further_signals_once_on_error_has_been_signalled<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    crate::case::covered_by(
        "required_strict_spec107_must_not_signal_after_on_error_for_request_zero and \
         required_strict_spec107_failed_publisher_must_not_signal_after_on_error",
    )
}

pub fn untested_spec108_possibly_canceled_subscription_should_not_receive_on_error_or_on_complete_signals<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec109_subscribe_should_not_throw_non_fatal_throwable<V: PublisherVerification>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec109_subscribe_throw_npe_on_null_subscriber<V: PublisherVerification>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(
        "Publisher::subscribe takes the subscriber by value (`S: Subscriber<T>`) and Rust has \
         no null references, so a null subscriber cannot be passed",
    ))
}

pub fn required_spec109_must_issue_on_subscribe_for_non_null_subscriber<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 0, false)?;
    let probe = OrderProbe::new(env, true, "Publisher");
    publisher.subscribe(OrderProbeSubscriber(Arc::clone(&probe)));
    let result = (|| {
        probe
            .subscribed
            .expect_close(env.default_timeout(), "Should have received onSubscribe")?;
        env.verify_no_async_errors_no_delay()
    })();
    probe.cancel();
    result
}

pub fn required_spec109_may_reject_calls_to_subscribe_if_publisher_is_unable_or_unwilling_to_serve_them_rejection_must_trigger_on_error_after_on_subscribe<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = failed_publisher(v)?;
    let probe = OrderProbe::new(env, false, "Error-state Publisher");
    publisher.subscribe(OrderProbeSubscriber(Arc::clone(&probe)));
    let result = (|| {
        probe
            .subscribed
            .expect_close(env.default_timeout(), "Should have received onSubscribe")?;
        probe
            .errored
            .expect_close(env.default_timeout(), "Should have received onError")?;
        env.verify_no_async_errors_no_delay()
    })();
    probe.cancel();
    result
}

pub fn untested_spec110_reject_a_subscription_request_if_the_same_subscriber_subscribes_twice<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

/// Runs `body` with two subscribers, then cancels both.
fn with_two<T>(
    sub1: &ManualSubscriber<T>,
    sub2: &ManualSubscriber<T>,
    body: impl FnOnce() -> TckResult,
) -> TckResult {
    let result = finally_cancel(sub1, body);
    if sub2.is_subscribed() {
        sub2.cancel();
    }
    result
}

pub fn optional_spec111_may_support_multi_subscribe<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 1, false)?;
    let sub1 = env.new_manual_subscriber(&publisher)?;
    let sub2 = env.new_manual_subscriber(&publisher)?;
    with_two(&sub1, &sub2, || env.verify_no_async_errors())
}

pub fn optional_spec111_registered_subscribers_must_receive_on_next_or_on_complete_signals<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 1, false)?;
    let sub1 = env.new_manual_subscriber(&publisher)?;
    let sub2 = env.new_manual_subscriber(&publisher)?;
    with_two(&sub1, &sub2, || {
        // Unicast or multicast is the publisher's choice: each subscriber gets
        // an item or, if another one took it, completion.
        sub1.request_next_element_or_end_of_stream()?;
        sub2.request_next_element_or_end_of_stream()?;
        env.verify_no_async_errors()
    })
}

fn same_sequence<T: PartialEq + fmt::Debug>(a: &[T], b: &[T], which: &str) -> TckResult {
    if a == b {
        Ok(())
    } else {
        Err(Stop::fail(format!(
            "Expected elements to be signaled in the same sequence to {which} subscribers: \
             Lists differ: {a:?} vs {b:?}"
        )))
    }
}

pub fn optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_one_by_one<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 5, true)?;
    let sub1 = env.new_manual_subscriber(&publisher)?;
    let sub2 = env.new_manual_subscriber(&publisher)?;
    let sub3 = env.new_manual_subscriber(&publisher)?;
    let t = env.default_timeout();
    let one = |sub: &ManualSubscriber<ItemOf<V>>, nth: &str| -> TckResult<ItemOf<V>> {
        sub.request(1);
        sub.next_element_with(
            t,
            &format!("Publisher did not produce the requested 1 element on {nth} subscriber"),
        )
    };
    let many = |sub: &ManualSubscriber<ItemOf<V>>,
                n: usize,
                nth: &str|
     -> TckResult<Vec<ItemOf<V>>> {
        sub.request(n as u64);
        sub.next_elements_with(
            n,
            t,
            &format!("Publisher did not produce the requested {n} elements on {nth} subscriber"),
        )
    };
    let end = |sub: &ManualSubscriber<ItemOf<V>>, nth: &str| -> TckResult {
        sub.request(1);
        sub.expect_completion_with(
            t,
            &format!("Publisher did not complete the stream as expected on {nth} subscriber"),
        )
    };
    let x1 = one(&sub1, "1st")?;
    let y1 = many(&sub2, 2, "2nd")?;
    let x2 = one(&sub1, "1st")?;
    let z1 = many(&sub3, 3, "3rd")?;
    let z2 = one(&sub3, "3rd")?;
    let z3 = one(&sub3, "3rd")?;
    end(&sub3, "3rd")?;
    let y2 = many(&sub2, 3, "2nd")?;
    end(&sub2, "2nd")?;
    let x3 = many(&sub1, 2, "1st")?;
    let x4 = one(&sub1, "1st")?;
    end(&sub1, "1st")?;

    let mut r = vec![x1, x2];
    r.extend(x3);
    r.push(x4);
    let mut check1 = y1;
    check1.extend(y2);
    let mut check2 = z1;
    check2.push(z2);
    check2.push(z3);
    same_sequence(&r, &check1, "1st and 2nd")?;
    same_sequence(&r, &check2, "1st and 3rd")
}

fn three_many_upfront<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
    completion: bool,
) -> TckResult {
    let publisher = active_publisher(v, 3, completion)?;
    let subs = [
        env.new_manual_subscriber(&publisher)?,
        env.new_manual_subscriber(&publisher)?,
        env.new_manual_subscriber(&publisher)?,
    ];
    // If the publisher must touch its source to notice it is drained, the
    // completion only comes when more than it holds was asked for.
    for sub in &subs {
        sub.request(4);
    }
    let mut received = Vec::new();
    for sub in &subs {
        received.push(sub.next_elements(3)?);
    }
    if completion {
        for sub in &subs {
            sub.expect_completion()?;
        }
    }
    same_sequence(&received[0], &received[1], "1st and 2nd")?;
    same_sequence(&received[1], &received[2], "2nd and 3rd")
}

pub fn optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    three_many_upfront(v, env, false)
}

pub fn optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront_and_complete_as_expected<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    three_many_upfront(v, env, true)
}

// ---------------------------------------------------------------------------
// §3 Subscription
// ---------------------------------------------------------------------------

/// A subscriber whose `on_next` is supplied by the test, with the usual
/// checks of a TCK subscriber: signals before `on_subscribe`, errors.
struct HookSubscriber<F> {
    env: TestEnvironment,
    subscription: Promise<Arc<dyn Subscription>>,
    terminated: Latch,
    on_subscribe: fn(&Arc<dyn Subscription>),
    on_next: F,
    guard: RunawayGuard,
}

impl<F> HookSubscriber<F> {
    fn new(env: &TestEnvironment, on_subscribe: fn(&Arc<dyn Subscription>), on_next: F) -> Self {
        HookSubscriber {
            env: env.clone(),
            subscription: Promise::new(),
            terminated: Latch::new(),
            on_subscribe,
            on_next,
            guard: RunawayGuard::default(),
        }
    }
}

/// What a [`HookSubscriber`]'s `on_next` hook gets.
struct Hook<'a> {
    env: &'a TestEnvironment,
    subscription: Arc<dyn Subscription>,
    terminated: &'a Latch,
}

impl<T, F> Subscriber<T> for HookSubscriber<F>
where
    T: fmt::Debug,
    F: FnMut(&Hook<'_>, T) + Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.env.observe("on_subscribe");
        if let Err(second) = self.subscription.complete(Arc::clone(&subscription)) {
            self.env.flop_violation(
                "Subscriber::onSubscribe called on an already-subscribed Subscriber (§1.9)",
            );
            second.cancel();
            return;
        }
        (self.on_subscribe)(&subscription);
    }

    fn on_next(&mut self, item: T) {
        self.env.observe("on_next");
        self.guard.on_next(&self.env, self.subscription.value());
        match self.subscription.value() {
            Some(subscription) => {
                let hook = Hook {
                    env: &self.env,
                    subscription,
                    terminated: &self.terminated,
                };
                (self.on_next)(&hook, item)
            }
            None => self.env.flop_violation(format!(
                "Subscriber::onNext({item:?}) called before Subscriber::onSubscribe (§1.9)"
            )),
        }
    }

    fn on_error(&mut self, error: Error) {
        self.env.observe("on_error");
        self.env.flop_error(error, "Unexpected Subscriber::onError");
        self.terminated.close();
    }

    fn on_complete(&mut self) {
        self.env.observe("on_complete");
        self.terminated.close();
    }
}

pub fn required_spec302_must_allow_synchronous_request_calls_from_on_next_and_on_subscribe<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 6, false)?;
    let sub = HookSubscriber::new(
        env,
        |subscription| {
            subscription.request(1);
            subscription.request(1);
            subscription.request(1);
        },
        |hook: &Hook<'_>, _item| hook.subscription.request(1),
    );
    let subscription = sub.subscription.clone();
    publisher.subscribe(sub);
    let result = (|| {
        subscription.expect_completion(env.default_timeout(), "Did not receive onSubscribe")?;
        env.verify_no_async_errors()
    })();
    if let Some(subscription) = subscription.value() {
        subscription.cancel();
    }
    result
}

thread_local! {
    /// §3.3: how deep in `on_next` the current thread is, for the recursion test.
    static ON_NEXT_DEPTH: Cell<u64> = const { Cell::new(0) };
}

/// Counts one level of `on_next` on this thread while alive.
struct DepthGuard(u64);

impl DepthGuard {
    fn enter() -> DepthGuard {
        DepthGuard(ON_NEXT_DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        }))
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        ON_NEXT_DEPTH.with(|d| d.set(d.get() - 1));
    }
}

pub fn required_spec303_must_not_allow_unbounded_recursion<V: PublisherVerification>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let bound = v.bounded_depth_of_on_next_and_request_recursion();
    let one_more = bound.saturating_add(1);
    let publisher = active_publisher(v, one_more, false)?;
    let received = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&received);
    let sub = HookSubscriber::new(
        env,
        |_| {},
        move |hook: &Hook<'_>, _item| {
            let signals = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let depth = DepthGuard::enter();
            if depth.0 > bound {
                hook.env.flop(format!(
                "Got {} onNext calls within thread: {:?}, yet expected recursive bound was {bound}",
                depth.0,
                std::thread::current().id()
            ));
                // Stop the recursive call chain.
                hook.terminated.close();
                return;
            }
            if signals >= one_more {
                // Enough signals without exceeding the bound: success.
                hook.terminated.close();
                return;
            }
            // Request more right away; the publisher must break the recursion.
            hook.subscription.request(1);
        },
    );
    let (subscription, done) = (sub.subscription.clone(), sub.terminated.clone());
    publisher.subscribe(sub);
    let result = (|| {
        let s =
            subscription.expect_completion(env.default_timeout(), "Did not receive onSubscribe")?;
        env.verify_no_async_errors_no_delay()?;
        // Kick off `request -> onNext -> request -> onNext -> ...`.
        s.request(1);
        done.expect_close(
            env.default_timeout(),
            &format!(
                "Unable to validate call stack depth safety, awaited at-most {one_more} signals \
                 (`bounded_depth_of_on_next_and_request_recursion() + 1`) or completion"
            ),
        )?;
        env.verify_no_async_errors_no_delay()
    })();
    // The request/onNext recursion may keep the publisher running "forever":
    // cancel it before leaving.
    if let Some(subscription) = subscription.value() {
        subscription.cancel();
    }
    result
}

pub fn untested_spec304_request_should_not_perform_heavy_computations<V: PublisherVerification>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn untested_spec305_cancel_must_not_synchronously_perform_heavy_computation<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    not_verified()
}

pub fn required_spec306_after_subscription_is_cancelled_request_must_be_nops<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.cancel();
    // The subscriber keeps the cancelled subscription and goes on calling it.
    sub.request(1);
    sub.request(1);
    sub.request(1);
    sub.expect_none()?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec307_after_subscription_is_cancelled_additional_cancelations_must_be_nops<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 1, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    let subscription = sub
        .subscription()
        .ok_or_else(|| Stop::fail("no subscription"))?;
    subscription.cancel();
    subscription.cancel();
    subscription.cancel();
    sub.expect_none()?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec309_request_zero_must_signal_illegal_argument_exception<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 10, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(0);
    sub.expect_error(is_non_positive_request, NON_POSITIVE_REQUEST_ERROR)?;
    Ok(())
}

pub fn required_spec309_request_negative_number_must_signal_illegal_argument_exception<
    V: PublisherVerification,
>(
    _v: &V,
    _env: &TestEnvironment,
) -> TckResult {
    Err(Stop::not_applicable(
        "Subscription::request takes a u64, which rules out negative demand (a negative i64 \
         cast to u64 is 2^63 or more, which §3.17 lets a publisher treat as unbounded); zero, \
         the one non-positive value, is verified by \
         required_spec309_request_zero_must_signal_illegal_argument_exception",
    ))
}

pub fn optional_spec309_request_negative_number_may_signal_illegal_argument_exception_with_specific_message<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    // A negative number cannot be requested (u64); zero, the one non-positive
    // value, stands in for it.
    let publisher = active_publisher(v, 10, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(0);
    sub.expect_error_with_message(
        is_non_positive_request,
        NON_POSITIVE_REQUEST_ERROR,
        &[
            "3.9",
            "non-positive subscription request",
            "negative subscription request",
        ],
    )?;
    Ok(())
}

pub fn required_spec312_cancel_must_make_the_publisher_to_eventually_stop_signaling<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    // The publisher could signal more than the subscriber requests in total.
    const DEMAND1: u64 = 10;
    const DEMAND2: u64 = 5;
    const TOTAL_DEMAND: u64 = DEMAND1 + DEMAND2;
    let publisher = active_publisher(v, 20, false)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(DEMAND1);
    sub.request(DEMAND2);
    // Take an element first, then cancel: an asynchronous publisher may
    // legally handle a cancel that arrives before it started emitting by
    // emitting nothing at all.
    sub.next_element()?;
    sub.cancel();
    let mut signalled = 1u64;
    // Late signals (up to the demand, §2.8) may still come; wait until the
    // publisher stays quiet for a whole no-signals timeout.
    while let Some(first) = sub.received().next(env.no_signals_timeout()) {
        let late = std::iter::once(first).chain(sub.received().drain());
        signalled += late.filter(|r| matches!(r, Received::Item(_))).count() as u64;
        if signalled > TOTAL_DEMAND {
            return Err(Stop::fail(format!(
                "Publisher signalled [{signalled}] elements, which is more than the signalled \
                 demand: {TOTAL_DEMAND} (it must stop signalling after cancel)"
            )));
        }
    }
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec313_cancel_must_make_the_publisher_eventually_drop_all_references_to_the_subscriber<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, false)?;
    let probe = {
        // Everything the test holds of the subscriber lives in this scope;
        // afterwards only the publisher can keep it alive.
        let sub = ManualSubscriber::<ItemOf<V>>::new(env);
        let (tracked, probe) = reference::track(sub.clone());
        publisher.subscribe(tracked);
        sub.expect_subscription(env.default_timeout())?;
        env.verify_no_async_errors_no_delay()?;
        sub.request(1);
        sub.next_element()?;
        sub.cancel();
        probe
    };
    let grace = env.publisher_reference_timeout();
    if !probe.expect_dropped(grace) {
        return Err(Stop::fail(format!(
            "Publisher did not drop reference to test subscriber after subscription \
             cancellation: the subscriber was still alive {} ms after cancel (a Weak to it \
             still upgrades). After cancel, drop the subscriber (take it out of the \
             subscription, or refer to it through a Weak); a subscription that keeps it forms \
             a reference cycle with it, which Rust never frees",
            millis(grace)
        )));
    }
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec317_must_support_a_pending_element_count_up_to_long_max_value<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    sub.request(UNBOUNDED);
    sub.next_elements(3)?;
    sub.expect_completion()?;
    env.verify_no_async_errors_no_delay()
}

pub fn required_spec317_must_support_a_cumulative_pending_element_count_up_to_long_max_value<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, 3, true)?;
    let sub = env.new_manual_subscriber(&publisher)?;
    finally_cancel(&sub, || {
        sub.request(UNBOUNDED / 2); // pending = UNBOUNDED / 2
        sub.request(UNBOUNDED / 2); // pending = UNBOUNDED - 1
        sub.request(1); // pending = UNBOUNDED
        sub.next_elements(3)?;
        sub.expect_completion()?;
        env.verify_no_async_errors_no_delay()
    })
}

pub fn required_spec317_must_not_signal_on_error_when_pending_above_long_max_value<
    V: PublisherVerification,
>(
    v: &V,
    env: &TestEnvironment,
) -> TckResult {
    let publisher = active_publisher(v, i32::MAX as u64, false)?;
    // Each of the first 10 items requests UNBOUNDED - 1 more: the sum passes
    // 2^63 - 1 after two, and must saturate (§3.17), not fail. Then cancel.
    let calls = Arc::new(Mutex::new(10u32));
    let left = Arc::clone(&calls);
    let sub = HookSubscriber::new(
        env,
        |_| {},
        move |hook: &Hook<'_>, _item| {
            let mut left = lock(&left);
            if *left > 0 {
                *left -= 1;
                drop(left);
                hook.subscription.request(UNBOUNDED - 1);
            } else {
                drop(left);
                hook.subscription.cancel();
            }
        },
    );
    let subscription = sub.subscription.clone();
    publisher.subscribe(sub);
    let result = (|| {
        let s =
            subscription.expect_completion(env.default_timeout(), "Did not receive onSubscribe")?;
        env.verify_no_async_errors_no_delay()?;
        s.request(1);
        // No onError may come.
        env.verify_no_async_errors()
    })();
    if let Some(subscription) = subscription.value() {
        subscription.cancel();
    }
    result
}
