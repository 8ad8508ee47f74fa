//! The bodies of the identity processor's 3 own tests (the other 65 are the
//! publisher and whitebox subscriber tests, run on the processor). Each is
//! named after its JVM method, and follows the JVM test step by step.

#![allow(missing_docs)] // Each body is documented by the list in processor.rs and the README.

use std::fmt;
use std::sync::{Arc, Mutex};

use reactive_streams::{Error, Publisher, Subscriber, Subscription};

use crate::common::Tees;
use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::processor::IdentityProcessorVerification;
use crate::support::{ManualPublisher, ManualSubscriber, Promise};
use crate::sync::lock;

/// The hint the multi-subscriber tests give when a processor seems to wait
/// for all its subscribers (G10).
const COORDINATED_EMISSION_HINT: &str =
    "If the Processor coordinates requests/emissions when having multiple Subscribers at \
     once, please override does_coordinated_emission() to return true in this \
     IdentityProcessorVerification to allow this test to pass.";

/// Skips unless the processor supports `required` subscribers at once.
fn require_subscribers<V: IdentityProcessorVerification>(v: &V, required: u64) -> TckResult {
    let max = v.max_supported_subscribers();
    if max < required {
        Err(Stop::skip(format!(
            "The Publisher under test only supports {max} subscribers, while this test requires \
             at least {required} to run."
        )))
    } else {
        Ok(())
    }
}

/// The JVM TCK's `TestSetup`: a processor subscribed to a
/// [`ManualPublisher`] the test drives, and `tees`, a subscriber to the
/// helper publisher that supplies fresh items.
struct Setup<V: IdentityProcessorVerification> {
    env: TestEnvironment,
    upstream: ManualPublisher<V::Item>,
    processor: V::Processor,
    tees: Tees<V::Item>,
    seen: Mutex<Vec<V::Item>>,
}

impl<V: IdentityProcessorVerification> Setup<V> {
    fn new(v: &Arc<V>, env: &TestEnvironment) -> TckResult<Self> {
        let helper = Arc::clone(v).create_helper_publisher(u64::MAX);
        let tees = Tees::new(env, &helper)?;
        let processor = v.create_identity_processor(v.processor_buffer_size());
        let upstream = ManualPublisher::new(env);
        upstream.subscribe(processor.clone());
        Ok(Setup {
            env: env.clone(),
            upstream,
            processor,
            tees,
            seen: Mutex::new(Vec::new()),
        })
    }

    /// A new downstream subscriber of the processor, subscribed.
    fn new_subscriber(&self) -> TckResult<ManualSubscriber<V::Item>> {
        self.env.new_manual_subscriber(&self.processor)
    }

    /// A new downstream subscriber that collects the error, subscribed.
    fn new_error_subscriber(&self) -> TckResult<ErrorCollector<V::Item>> {
        let subscriber = ErrorCollector::new(&self.env);
        self.processor.subscribe(subscriber.clone());
        subscriber
            .inner
            .expect_subscription(self.env.default_timeout())?;
        self.env.verify_no_async_errors_no_delay()?;
        Ok(subscriber)
    }

    /// The next item from the helper; records a failure if it repeats one.
    fn next_t(&self) -> TckResult<V::Item> {
        let item = self.tees.next()?;
        let mut seen = lock(&self.seen);
        if seen.contains(&item) {
            self.env.flop(format!(
                "Helper publisher illegally produced the same element {item:?} twice"
            ));
        }
        seen.push(item.clone());
        Ok(item)
    }

    /// Sends the next item upstream and returns it. Waits for the processor
    /// to request it first, if the requests read so far do not cover it
    /// (G9).
    fn send_next_t_from_upstream(&self) -> TckResult<V::Item> {
        if self.upstream.pending_demand() == 0 {
            self.upstream.expect_request()?;
        }
        let item = self.next_t()?;
        self.upstream.consume_demand(1);
        self.upstream.send_next(item.clone());
        Ok(item)
    }

    /// The next item `sub` receives must be `expected`.
    fn expect_next_element(
        &self,
        sub: &ManualSubscriber<V::Item>,
        expected: &V::Item,
        addendum: &str,
    ) -> TckResult {
        let message = format!("timeout while awaiting {expected:?}");
        let element = sub
            .next_element_with(self.env.default_timeout(), &message)
            .map_err(|stop| match addendum {
                "" => stop,
                hint => Stop::fail(format!("{}. {hint}", stop.message())),
            })?;
        if &element != expected {
            self.env.flop(format!(
                "Received `on_next({element:?})` on downstream but expected `on_next({expected:?})`"
            ));
        }
        Ok(())
    }
}

/// A downstream [`ManualSubscriber`] whose `on_error` goes into a promise
/// instead of the environment's record (the JVM's
/// `ManualSubscriberWithErrorCollection`).
struct ErrorCollector<T> {
    inner: ManualSubscriber<T>,
    error: Promise<Error>,
    env: TestEnvironment,
}

impl<T> Clone for ErrorCollector<T> {
    fn clone(&self) -> Self {
        ErrorCollector {
            inner: self.inner.clone(),
            error: self.error.clone(),
            env: self.env.clone(),
        }
    }
}

impl<T> ErrorCollector<T> {
    fn new(env: &TestEnvironment) -> ErrorCollector<T> {
        ErrorCollector {
            inner: ManualSubscriber::new(env),
            error: Promise::new(),
            env: env.clone(),
        }
    }

    /// Waits (default timeout) for the error, which must be `expected`
    /// itself.
    fn expect_error(&self, expected: &Error) -> TckResult {
        let got = self.error.expect_completion(
            self.env.default_timeout(),
            "Did not receive expected error on downstream",
        )?;
        if !got.ptr_eq(expected) {
            self.env
                .flop(format!("Expected error {expected} but got {got}"));
        }
        Ok(())
    }
}

impl<T: fmt::Debug + Send + 'static> Subscriber<T> for ErrorCollector<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.on_subscribe(subscription);
    }

    fn on_next(&mut self, item: T) {
        self.inner.on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        if let Err(second) = self.error.complete(error) {
            self.env.flop_violation(format!(
                "Unexpected onError({second}) after the stream already ended (§1.7)"
            ));
        }
    }

    fn on_complete(&mut self) {
        self.inner.on_complete();
    }
}

// ---------------------------------------------------------------------------
// The processor's own tests
// ---------------------------------------------------------------------------

/// §1.4 with two subscribers: an upstream error reaches both, whatever their
/// demand.
pub fn required_spec104_must_call_on_error_on_all_its_subscribers_if_it_encounters_a_non_recoverable_error<
    V: IdentityProcessorVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    require_subscribers(&**v, 2)?;
    let setup = Setup::new(v, env)?;
    let sub1 = setup.new_error_subscriber()?;
    let sub2 = setup.new_error_subscriber()?;
    let error = Error::new("Test exception");

    if v.does_coordinated_emission() {
        sub1.inner.request(1);
        sub2.inner.request(1);
        setup.upstream.expect_request()?;
        let x = setup.send_next_t_from_upstream()?;
        setup.expect_next_element(&sub1.inner, &x, "")?;
        setup.expect_next_element(&sub2.inner, &x, "")?;
        sub1.inner.request(1);
        sub2.inner.request(1);
    } else {
        sub1.inner.request(1);
        setup
            .upstream
            .expect_request_with(env.default_timeout(), COORDINATED_EMISSION_HINT)?;
        let x = setup.send_next_t_from_upstream()?;
        setup.expect_next_element(&sub1.inner, &x, COORDINATED_EMISSION_HINT)?;
        sub1.inner.request(1);
        // sub1 has received one element and has one more pending;
        // sub2 has not requested anything.
    }
    setup.upstream.send_error(error.clone());

    sub1.expect_error(&error)?;
    sub2.expect_error(&error)?;
    env.verify_no_async_errors_no_delay()
}

/// §4.2: an error from upstream passes downstream at once, without demand.
pub fn must_immediately_pass_on_on_error_events_received_from_its_upstream_to_its_downstream<
    V: IdentityProcessorVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    let setup = Setup::new(v, env)?;
    let sub = setup.new_error_subscriber()?;
    let error = Error::new("Test exception");
    setup.upstream.send_error(error.clone());
    // "Immediately": without a preceding request.
    sub.expect_error(&error)?;
    env.verify_no_async_errors_no_delay()
}

/// §2.1 with two subscribers: an item requested by the first long ago still
/// reaches a second that requests it later.
pub fn required_must_request_from_upstream_for_elements_that_have_been_requested_long_ago<
    V: IdentityProcessorVerification,
>(
    v: &Arc<V>,
    env: &TestEnvironment,
) -> TckResult {
    require_subscribers(&**v, 2)?;
    let setup = Setup::new(v, env)?;
    let sub1 = setup.new_subscriber()?;
    sub1.request(20);

    let mut total_requests = setup.upstream.expect_request()?;
    let x = setup.send_next_t_from_upstream()?;
    setup.expect_next_element(&sub1, &x, "")?;

    if total_requests == 1 {
        total_requests += setup.upstream.expect_request()?;
    }
    let y = setup.send_next_t_from_upstream()?;
    setup.expect_next_element(&sub1, &y, "")?;

    if total_requests == 2 {
        total_requests += setup.upstream.expect_request()?;
    }

    let sub2 = setup.new_subscriber()?;
    // sub1 has 18 pending, sub2 none.

    if v.does_coordinated_emission() {
        sub2.expect_none()?; // sub2 has not requested anything yet
        sub2.request(1);
        let z = setup.send_next_t_from_upstream()?;
        setup.expect_next_element(&sub1, &z, "")?;
        setup.expect_next_element(&sub2, &z, "")?;
    } else {
        let z = setup.send_next_t_from_upstream()?;
        setup.expect_next_element(&sub1, &z, COORDINATED_EMISSION_HINT)?;
        sub2.expect_none()?; // sub2 has not requested anything yet
        sub2.request(1);
        setup.expect_next_element(&sub2, &z, "")?;
    }
    if total_requests == 3 {
        setup.upstream.expect_request()?;
    }

    // Done: complete both.
    setup.upstream.send_completion();
    sub1.expect_completion()?;
    sub2.expect_completion()?;
    env.verify_no_async_errors_no_delay()
}
