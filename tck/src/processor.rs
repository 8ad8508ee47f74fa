//! The identity processor verification: 68 tests, one per method of the JVM
//! TCK's `IdentityProcessorVerification`, named after it in snake_case.
//!
//! A processor obeys both sides' rules (§4.1), so this verification reruns
//! every [publisher test](crate::publisher) (38) on the processor as a
//! publisher, and every [whitebox subscriber test](crate::subscriber_whitebox)
//! (27) on it as a subscriber, then adds three of its own (§1.4 and §2.1 with
//! two downstream subscribers, and §4.2: an upstream error passes downstream
//! at once).
//!
//! - **As a publisher** ([`ProcessorAsPublisher`]): `create_publisher(n)` is a
//!   new processor subscribed to the helper publisher of `n` elements.
//! - **As a subscriber** ([`ProcessorAsSubscriber`]): `create_subscriber(probe)`
//!   is a new processor with a TCK subscriber downstream that reports to the
//!   probe, and whose puppet requests and cancels on the processor's
//!   downstream subscription. So the processor must turn downstream demand
//!   into upstream requests, and a downstream cancel into an upstream one.
//!
//! Implement [`IdentityProcessorVerification`], then either expand
//! [`identity_processor_verification_tests!`](crate::identity_processor_verification_tests)
//! (one `#[test]` per TCK test) or call [`run_identity_processor_verification`]
//! (a [`Report`]).

#[doc(hidden)]
pub mod tests;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reactive_streams::{
    BoxPublisher, Error, Processor, Publisher, Subscriber, Subscription, UNBOUNDED,
};

use crate::case::TestCase;
use crate::common::short_type_name;
use crate::env::TestEnvironment;
use crate::helper::AsyncIterablePublisher;
use crate::outcome::Outcome;
use crate::probe::WhiteboxSubscriberProbe;
use crate::publisher::{self, PublisherVerification};
use crate::report::{Report, ReportRow};
use crate::subscriber_whitebox::{self, SubscriberWhiteboxVerification};

/// The buffer size the TCK asks processors for by default: 16 (the JVM
/// TCK's `TEST_BUFFER_SIZE`).
pub const TEST_BUFFER_SIZE: usize = 16;

/// How to make the processor under test: implement this, then run the
/// verification with
/// [`identity_processor_verification_tests!`](crate::identity_processor_verification_tests)
/// or [`run_identity_processor_verification`].
///
/// The processor must be a cheap handle (`Clone`): one clone is subscribed
/// upstream, another subscribed to downstream. Items must be `Clone`,
/// `PartialEq` and `Debug`. The verification is shared with the helper
/// publisher's threads, hence `Send + Sync + 'static`.
///
/// The publisher-side settings ([`max_elements_from_publisher`](Self::max_elements_from_publisher),
/// [`create_failed_publisher`](Self::create_failed_publisher), ...) mean what
/// they mean in [`PublisherVerification`].
///
/// # Examples
///
/// A processor made of a [`ManualPublisher`](crate::support::ManualPublisher)
/// would not do; see the TCK's own self-tests (`tck/tests/`) for complete
/// processors. The shape of an implementation:
///
/// ```
/// use reactive_streams::Processor;
/// use reactive_streams_tck::IdentityProcessorVerification;
///
/// struct Verification<P>(fn(usize) -> P);
///
/// impl<P> IdentityProcessorVerification for Verification<P>
/// where
///     P: Processor<u64, u64> + Clone + 'static,
/// {
///     type Item = u64;
///     type Processor = P;
///
///     fn create_identity_processor(&self, buffer_size: usize) -> P {
///         (self.0)(buffer_size)
///     }
///
///     fn create_element(&self, id: u64) -> u64 {
///         id
///     }
///
///     fn max_supported_subscribers(&self) -> u64 {
///         1 // a unicast processor: the multi-subscriber tests skip
///     }
/// }
/// ```
pub trait IdentityProcessorVerification: Send + Sync + 'static {
    /// The items the processor passes on.
    type Item: Clone + PartialEq + fmt::Debug + Send + 'static;

    /// The processor under test: a handle, cheap to clone.
    type Processor: Processor<Self::Item, Self::Item> + Clone + 'static;

    /// A new processor that passes every item from upstream downstream
    /// unchanged, and can buffer at least `buffer_size` of them.
    fn create_identity_processor(&self, buffer_size: usize) -> Self::Processor;

    /// The element with number `id`. Distinct ids must give distinct
    /// elements (the TCK checks that the helper never repeats one). May be
    /// called from several threads at once.
    fn create_element(&self, id: u64) -> Self::Item;

    /// A publisher that signals `on_subscribe` and then `on_error`; see
    /// [`PublisherVerification::create_failed_publisher`]. `None` (the
    /// default) skips the tests that need one.
    fn create_failed_publisher(&self) -> Option<BoxPublisher<Self::Item>> {
        None
    }

    /// The upstream the processor is subscribed to: a publisher of
    /// `elements` elements (`u64::MAX`: infinite). The default is the TCK's
    /// [`AsyncIterablePublisher`] of [`create_element`](Self::create_element)
    /// `(0)`, `(1)`, ..., which is infinite above 2^31 - 1 elements.
    ///
    /// It takes `self: Arc<Self>` because the publisher outlives the call and
    /// produces elements on its own threads.
    fn create_helper_publisher(self: Arc<Self>, elements: u64) -> BoxPublisher<Self::Item>
    where
        Self: Sized,
    {
        BoxPublisher::new(AsyncIterablePublisher::new(elements, move |id| {
            self.create_element(id)
        }))
    }

    /// The buffer size passed to
    /// [`create_identity_processor`](Self::create_identity_processor).
    /// Default [`TEST_BUFFER_SIZE`] (16).
    fn processor_buffer_size(&self) -> usize {
        TEST_BUFFER_SIZE
    }

    /// See [`PublisherVerification::max_elements_from_publisher`]. Default
    /// `UNBOUNDED - 1` (no limit).
    fn max_elements_from_publisher(&self) -> u64 {
        UNBOUNDED - 1
    }

    /// See [`PublisherVerification::bounded_depth_of_on_next_and_request_recursion`].
    /// Default 1.
    fn bounded_depth_of_on_next_and_request_recursion(&self) -> u64 {
        1
    }

    /// See [`PublisherVerification::skip_stochastic_tests`]. Default false.
    fn skip_stochastic_tests(&self) -> bool {
        false
    }

    /// How many downstream subscribers the processor supports at once. The
    /// tests that need 2 skip below that. Default `u64::MAX` (no limit); a
    /// unicast processor returns 1.
    fn max_supported_subscribers(&self) -> u64 {
        u64::MAX
    }

    /// True if the processor emits an item only once *every* downstream
    /// subscriber has requested it (it coordinates their demand); the two
    /// multi-subscriber tests then make both subscribers request. Default
    /// false: each subscriber is served on its own demand.
    fn does_coordinated_emission(&self) -> bool {
        false
    }

    /// The environment the tests run in. Every test runs on a
    /// [fresh](TestEnvironment::fresh) copy. Default [`TestEnvironment::new`]:
    /// the environment variables, else the defaults.
    fn env(&self) -> TestEnvironment {
        TestEnvironment::new()
    }

    /// The item number `index` (from 0) that the processor passes on when
    /// fed by the [helper publisher](Self::create_helper_publisher), if you
    /// want the publisher-side tests to check the sequence (see
    /// [`PublisherVerification::expected_element`]). Default `None`. With the
    /// default helper publisher, an identity processor passes on
    /// `create_element(index)`, so return `Some(self.create_element(index))`.
    fn expected_element(&self, index: u64) -> Option<Self::Item> {
        let _ = index;
        None
    }

    /// The name reports and messages give the implementation. Default: the
    /// verification's type name without its module path.
    fn implementation_name(&self) -> String {
        short_type_name::<Self>()
    }
}

/// The processor as a publisher: a [`PublisherVerification`] whose
/// publisher is a new processor subscribed to the helper publisher. The
/// processor verification runs the publisher tests on it.
///
/// # Examples
///
/// ```
/// # use reactive_streams_tck::IdentityProcessorVerification;
/// use reactive_streams_tck::processor::ProcessorAsPublisher;
/// use reactive_streams_tck::run_publisher_verification;
///
/// fn publisher_side<V: IdentityProcessorVerification>(verification: V) -> bool {
///     run_publisher_verification(ProcessorAsPublisher::new(verification)).is_success()
/// }
/// ```
pub struct ProcessorAsPublisher<V>(Arc<V>);

impl<V> ProcessorAsPublisher<V> {
    /// Wraps `verification`.
    ///
    /// See [`ProcessorAsPublisher`] for an example.
    pub fn new(verification: V) -> ProcessorAsPublisher<V> {
        ProcessorAsPublisher(Arc::new(verification))
    }

    /// Wraps a shared `verification`.
    ///
    /// See [`ProcessorAsPublisher`] for an example.
    pub fn from_arc(verification: Arc<V>) -> ProcessorAsPublisher<V> {
        ProcessorAsPublisher(verification)
    }
}

impl<V> fmt::Debug for ProcessorAsPublisher<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ProcessorAsPublisher")
            .field(&std::any::type_name::<V>())
            .finish()
    }
}

impl<V: IdentityProcessorVerification> PublisherVerification for ProcessorAsPublisher<V> {
    type Publisher = V::Processor;

    fn create_publisher(&self, elements: u64) -> V::Processor {
        let processor = self
            .0
            .create_identity_processor(self.0.processor_buffer_size());
        Arc::clone(&self.0)
            .create_helper_publisher(elements)
            .subscribe(processor.clone());
        processor
    }

    fn create_failed_publisher(&self) -> Option<BoxPublisher<V::Item>> {
        self.0.create_failed_publisher()
    }

    fn max_elements_from_publisher(&self) -> u64 {
        self.0.max_elements_from_publisher()
    }

    fn bounded_depth_of_on_next_and_request_recursion(&self) -> u64 {
        self.0.bounded_depth_of_on_next_and_request_recursion()
    }

    fn skip_stochastic_tests(&self) -> bool {
        self.0.skip_stochastic_tests()
    }

    fn env(&self) -> TestEnvironment {
        self.0.env()
    }

    fn expected_element(&self, _elements: u64, index: u64) -> Option<V::Item> {
        self.0.expected_element(index)
    }

    fn implementation_name(&self) -> String {
        format!("{} (as a publisher)", self.0.implementation_name())
    }
}

/// The processor as a subscriber: a [`SubscriberWhiteboxVerification`]
/// whose subscriber is a new processor with a probed TCK subscriber
/// downstream. The processor verification runs the whitebox tests on it.
///
/// # Examples
///
/// ```
/// # use reactive_streams_tck::IdentityProcessorVerification;
/// use reactive_streams_tck::processor::ProcessorAsSubscriber;
/// use reactive_streams_tck::run_subscriber_whitebox_verification;
///
/// fn subscriber_side<V: IdentityProcessorVerification>(verification: V) -> bool {
///     run_subscriber_whitebox_verification(ProcessorAsSubscriber::new(verification)).is_success()
/// }
/// ```
pub struct ProcessorAsSubscriber<V>(Arc<V>);

impl<V> ProcessorAsSubscriber<V> {
    /// Wraps `verification`.
    ///
    /// See [`ProcessorAsSubscriber`] for an example.
    pub fn new(verification: V) -> ProcessorAsSubscriber<V> {
        ProcessorAsSubscriber(Arc::new(verification))
    }

    /// Wraps a shared `verification`.
    ///
    /// See [`ProcessorAsSubscriber`] for an example.
    pub fn from_arc(verification: Arc<V>) -> ProcessorAsSubscriber<V> {
        ProcessorAsSubscriber(verification)
    }
}

impl<V> fmt::Debug for ProcessorAsSubscriber<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ProcessorAsSubscriber")
            .field(&std::any::type_name::<V>())
            .finish()
    }
}

impl<V: IdentityProcessorVerification> SubscriberWhiteboxVerification for ProcessorAsSubscriber<V> {
    type Item = V::Item;
    type Subscriber = V::Processor;

    fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<V::Item>) -> V::Processor {
        let processor = self
            .0
            .create_identity_processor(self.0.processor_buffer_size());
        processor.subscribe(ProbedDownstream {
            probe,
            subscribed: false,
        });
        processor
    }

    fn create_element(&self, id: u64) -> V::Item {
        self.0.create_element(id)
    }

    fn create_helper_publisher(self: Arc<Self>, elements: u64) -> BoxPublisher<V::Item> {
        Arc::clone(&self.0).create_helper_publisher(elements)
    }

    fn env(&self) -> TestEnvironment {
        self.0.env()
    }

    fn implementation_name(&self) -> String {
        format!("{} (as a subscriber)", self.0.implementation_name())
    }
}

/// The TCK's subscriber downstream of a processor under whitebox test: it
/// reports every signal to the probe, and its puppet is the processor's
/// downstream subscription.
struct ProbedDownstream<T> {
    probe: WhiteboxSubscriberProbe<T>,
    subscribed: bool,
}

impl<T: Send> Subscriber<T> for ProbedDownstream<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if std::mem::replace(&mut self.subscribed, true) {
            // The probe's subscriber must pass the subscriber rules too (§2.5).
            subscription.cancel();
            return;
        }
        self.probe.register_on_subscribe(subscription);
    }

    fn on_next(&mut self, item: T) {
        self.probe.register_on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        self.probe.register_on_error(error);
    }

    fn on_complete(&mut self) {
        self.probe.register_on_complete();
    }
}

/// The processor's three own tests. Each entry: policy, name, rule.
#[doc(hidden)]
#[macro_export]
macro_rules! __identity_processor_own_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Required required_spec104_must_call_on_error_on_all_its_subscribers_if_it_encounters_a_non_recoverable_error (1, 4);
            Required must_immediately_pass_on_on_error_events_received_from_its_upstream_to_its_downstream (4, 2);
            Required required_must_request_from_upstream_for_elements_that_have_been_requested_long_ago (2, 1);
        }
    };
}

/// Builds the list of the own [`TestCase`]s from [`__identity_processor_own_list`].
#[doc(hidden)]
#[macro_export]
macro_rules! __identity_processor_own_test_cases {
    ({ $v:ty } $($policy:ident $name:ident $rule:tt;)*) => {
        vec![$(
            $crate::TestCase::<::std::sync::Arc<$v>>::new(
                stringify!($name),
                $crate::__rule!($rule),
                $crate::__private::Policy::$policy,
                $crate::processor::tests::$name::<$v>,
            ),
        )*]
    };
}

/// Emits `#[test]`s that run through [`processor::run_test`](crate::processor::run_test),
/// from any of the three lists.
#[doc(hidden)]
#[macro_export]
macro_rules! __identity_processor_verification_tests {
    ({ $make:expr } $($policy:ident $name:ident $rule:tt;)*) => {
        $(
            $crate::__tck_test! { $policy $name $crate::processor::run_test, $make }
        )*
    };
}

/// Expands to one `#[test]` per identity processor TCK test: the JVM TCK's
/// 68 (the 38 publisher tests, the 27 whitebox subscriber tests and the
/// processor's 3 own, each named after its JVM method in snake_case), and
/// the publisher and whitebox tests that go beyond it
/// ([`STRICT_TEST_NAMES`](crate::processor::STRICT_TEST_NAMES)), running on
/// the implementation `$make` (an expression, evaluated anew in each test).
///
/// Put it in a module of its own, so that `cargo test my_module` runs one
/// verification and `cargo test spec309` one rule across all of them.
/// Failures panic with the message; skipped and not-applicable tests pass
/// and print their reason (`cargo test -- --show-output`); `untested_` tests
/// are `#[ignore]`d.
///
/// # Examples
///
/// ```
/// mod my_processor {
///     # use reactive_streams_tck::IdentityProcessorVerification;
///     # use std::sync::Arc;
///     # use reactive_streams::{Error, Publisher, Subscriber, Subscription};
///     # #[derive(Clone)]
///     # pub struct Unused;
///     # impl Subscriber<u64> for Unused {
///     #     fn on_subscribe(&mut self, _: Arc<dyn Subscription>) {}
///     #     fn on_next(&mut self, _: u64) {}
///     #     fn on_error(&mut self, _: Error) {}
///     #     fn on_complete(&mut self) {}
///     # }
///     # impl Publisher for Unused {
///     #     type Item = u64;
///     #     fn subscribe<S: Subscriber<u64> + 'static>(&self, _: S) {}
///     # }
///     # pub struct Verification;
///     # impl IdentityProcessorVerification for Verification {
///     #     type Item = u64;
///     #     type Processor = Unused;
///     #     fn create_identity_processor(&self, _: usize) -> Unused { unimplemented!() }
///     #     fn create_element(&self, id: u64) -> u64 { id }
///     # }
///     // `Verification` implements `IdentityProcessorVerification`.
///     reactive_streams_tck::identity_processor_verification_tests!(Verification);
/// }
/// ```
#[macro_export]
macro_rules! identity_processor_verification_tests {
    ($make:expr $(,)?) => {
        $crate::__publisher_verification_list!(__identity_processor_verification_tests { $make });
        $crate::__publisher_strict_list!(__identity_processor_verification_tests { $make });
        $crate::__identity_processor_own_list!(__identity_processor_verification_tests { $make });
        $crate::__subscriber_whitebox_list!(__identity_processor_verification_tests { $make });
        $crate::__subscriber_whitebox_strict_list!(__identity_processor_verification_tests {
            $make
        });
    };
}

/// The names of the 38 publisher tests the processor verification reruns,
/// in the JVM TCK's order.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor::PUBLISHER_TEST_NAMES;
///
/// assert_eq!(PUBLISHER_TEST_NAMES.len(), 38);
/// ```
pub const PUBLISHER_TEST_NAMES: [&str; 38] =
    crate::__publisher_verification_list!(__tck_test_names {});

/// The names of the processor's 3 own tests.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor::OWN_TEST_NAMES;
///
/// assert_eq!(OWN_TEST_NAMES.len(), 3);
/// ```
pub const OWN_TEST_NAMES: [&str; 3] = crate::__identity_processor_own_list!(__tck_test_names {});

/// The names of the JVM TCK's 68 processor tests: the publisher tests, the
/// processor's own, then the whitebox subscriber tests. The tests that go
/// beyond the JVM TCK are in [`STRICT_TEST_NAMES`].
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor::TEST_NAMES;
/// use reactive_streams_tck::subscriber_whitebox;
///
/// assert_eq!(TEST_NAMES.len(), 68);
/// assert!(subscriber_whitebox::TEST_NAMES.iter().all(|name| TEST_NAMES.contains(name)));
/// ```
pub const TEST_NAMES: [&str; 68] = concat3(
    PUBLISHER_TEST_NAMES,
    OWN_TEST_NAMES,
    subscriber_whitebox::TEST_NAMES,
);

/// The names of the processor tests that go beyond the JVM TCK: the
/// publisher ones, then the whitebox ones.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor::STRICT_TEST_NAMES;
/// use reactive_streams_tck::{publisher, subscriber_whitebox};
///
/// assert_eq!(
///     STRICT_TEST_NAMES.len(),
///     publisher::STRICT_TEST_NAMES.len() + subscriber_whitebox::STRICT_TEST_NAMES.len()
/// );
/// ```
pub const STRICT_TEST_NAMES: [&str;
    crate::publisher::STRICT_TEST_NAMES.len() + subscriber_whitebox::STRICT_TEST_NAMES.len()] =
    concat3(
        crate::publisher::STRICT_TEST_NAMES,
        [],
        subscriber_whitebox::STRICT_TEST_NAMES,
    );

const fn concat3<const A: usize, const B: usize, const C: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
    c: [&'static str; C],
) -> [&'static str; N] {
    assert!(A + B + C == N);
    let mut all = [""; N];
    let mut i = 0;
    while i < A {
        all[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        all[A + j] = b[j];
        j += 1;
    }
    let mut k = 0;
    while k < C {
        all[A + B + k] = c[k];
        k += 1;
    }
    all
}

/// The processor's own tests, for implementation type `V`.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor;
/// # use reactive_streams_tck::IdentityProcessorVerification;
/// # use std::sync::Arc;
/// # use reactive_streams::{Error, Publisher, Subscriber, Subscription};
/// # #[derive(Clone)]
/// # struct Unused;
/// # impl Subscriber<u64> for Unused {
/// #     fn on_subscribe(&mut self, _: Arc<dyn Subscription>) {}
/// #     fn on_next(&mut self, _: u64) {}
/// #     fn on_error(&mut self, _: Error) {}
/// #     fn on_complete(&mut self) {}
/// # }
/// # impl Publisher for Unused {
/// #     type Item = u64;
/// #     fn subscribe<S: Subscriber<u64> + 'static>(&self, _: S) {}
/// # }
/// # struct V;
/// # impl IdentityProcessorVerification for V {
/// #     type Item = u64;
/// #     type Processor = Unused;
/// #     fn create_identity_processor(&self, _: usize) -> Unused { unimplemented!() }
/// #     fn create_element(&self, id: u64) -> u64 { id }
/// # }
///
/// assert_eq!(processor::own_test_cases::<V>().len(), 3);
/// ```
pub fn own_test_cases<V: IdentityProcessorVerification>() -> Vec<TestCase<Arc<V>>> {
    crate::__identity_processor_own_list!(__identity_processor_own_test_cases { V })
}

/// Which verification a processor test belongs to.
enum Side {
    Publisher,
    Own,
    Subscriber,
}

fn side_of(name: &str) -> Option<Side> {
    if PUBLISHER_TEST_NAMES.contains(&name) || crate::publisher::STRICT_TEST_NAMES.contains(&name) {
        Some(Side::Publisher)
    } else if OWN_TEST_NAMES.contains(&name) {
        Some(Side::Own)
    } else if subscriber_whitebox::TEST_NAMES.contains(&name)
        || subscriber_whitebox::STRICT_TEST_NAMES.contains(&name)
    {
        Some(Side::Subscriber)
    } else {
        None
    }
}

/// **Where the processor verification meets the publisher verification**:
/// the publisher test `name`, run by the publisher module on the processor
/// seen as a publisher. The one place that knows how the publisher tests are
/// called.
fn run_publisher_side<V: IdentityProcessorVerification>(
    verification: &Arc<V>,
    name: &str,
) -> Outcome {
    publisher::run_test(
        ProcessorAsPublisher::from_arc(Arc::clone(verification)),
        name,
    )
}

/// The report rows of every publisher test on the processor; see
/// [`run_publisher_side`].
fn publisher_side_rows<V: IdentityProcessorVerification>(
    verification: &Arc<V>,
) -> Vec<(ReportRow, Duration)> {
    let adapter = ProcessorAsPublisher::from_arc(Arc::clone(verification));
    let env = adapter.env();
    let adapter = Arc::new(adapter);
    publisher::test_cases::<ProcessorAsPublisher<V>>()
        .iter()
        .map(|case| case.run_timed_row(&adapter, &env))
        .collect()
}

/// Runs the processor test `name` on `verification` (in a fresh environment
/// from [`IdentityProcessorVerification::env`]); what each generated
/// `#[test]` calls. Publisher and whitebox tests run through
/// [`ProcessorAsPublisher`] and [`ProcessorAsSubscriber`].
///
/// # Panics
///
/// If `name` is not a processor test.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::processor;
/// # use reactive_streams_tck::IdentityProcessorVerification;
/// # use std::sync::Arc;
/// # use reactive_streams::{Error, Publisher, Subscriber, Subscription};
/// # #[derive(Clone)]
/// # struct Unused;
/// # impl Subscriber<u64> for Unused {
/// #     fn on_subscribe(&mut self, _: Arc<dyn Subscription>) {}
/// #     fn on_next(&mut self, _: u64) {}
/// #     fn on_error(&mut self, _: Error) {}
/// #     fn on_complete(&mut self) {}
/// # }
/// # impl Publisher for Unused {
/// #     type Item = u64;
/// #     fn subscribe<S: Subscriber<u64> + 'static>(&self, _: S) {}
/// # }
/// # struct V;
/// # impl IdentityProcessorVerification for V {
/// #     type Item = u64;
/// #     type Processor = Unused;
/// #     fn create_identity_processor(&self, _: usize) -> Unused { unimplemented!() }
/// #     fn create_element(&self, id: u64) -> u64 { id }
/// #     fn max_supported_subscribers(&self) -> u64 { 1 }
/// # }
///
/// let outcome = processor::run_test(
///     V,
///     "required_must_request_from_upstream_for_elements_that_have_been_requested_long_ago",
/// );
/// assert_eq!(outcome.label(), "SKIP");
/// ```
pub fn run_test<V: IdentityProcessorVerification>(verification: V, name: &str) -> Outcome {
    let verification = Arc::new(verification);
    match side_of(name) {
        Some(Side::Publisher) => run_publisher_side(&verification, name),
        Some(Side::Subscriber) => {
            subscriber_whitebox::run_test(ProcessorAsSubscriber::from_arc(verification), name)
        }
        Some(Side::Own) => {
            let case = own_test_cases::<V>()
                .into_iter()
                .find(|c| c.name() == name)
                .expect("OWN_TEST_NAMES and own_test_cases come from one list");
            let env = verification.env();
            case.run(&Arc::new(verification), &env)
        }
        None => panic!("reactive-streams-tck: no identity processor test named {name}"),
    }
}

/// Runs every processor test on `verification`, one after the other, each
/// in a fresh environment from [`IdentityProcessorVerification::env`], and
/// reports how each ended: the publisher tests, the processor's own, then
/// the whitebox subscriber tests.
///
/// See the TCK's self-tests (`tck/tests/identity_processor_verification.rs`)
/// for complete processors.
pub fn run_identity_processor_verification<V: IdentityProcessorVerification>(
    verification: V,
) -> Report {
    let title = format!(
        "IdentityProcessorVerification of {}",
        verification.implementation_name()
    );
    let verification = Arc::new(verification);
    let mut rows = publisher_side_rows(&verification);

    let env = verification.env();
    let shared = Arc::new(Arc::clone(&verification));
    rows.extend(
        own_test_cases::<V>()
            .iter()
            .map(|case| case.run_timed_row(&shared, &env)),
    );

    let subscriber_side = ProcessorAsSubscriber::from_arc(Arc::clone(&verification));
    let shared = Arc::new(Arc::new(subscriber_side));
    rows.extend(
        subscriber_whitebox::test_cases::<ProcessorAsSubscriber<V>>()
            .iter()
            .map(|case| case.run_timed_row(&shared, &env)),
    );

    Report::timed(title, rows)
}
