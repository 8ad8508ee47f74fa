//! The whitebox subscriber verification: 27 tests, one per method of the JVM
//! TCK's `SubscriberWhiteboxVerification`, named after it in snake_case.
//!
//! "Whitebox" means the subscriber cooperates: it reports every signal it
//! receives to a [`WhiteboxSubscriberProbe`] and hands the TCK a
//! [`SubscriberPuppet`] through which the TCK
//! makes it request and cancel. That lets the TCK check what a subscriber
//! does, not only that it survives; prefer it over the
//! [blackbox](crate::subscriber_blackbox) verification.
//!
//! Implement [`SubscriberWhiteboxVerification`], then either expand
//! [`subscriber_whitebox_verification_tests!`](crate::subscriber_whitebox_verification_tests)
//! (one `#[test]` per TCK test) or call [`run_subscriber_whitebox_verification`]
//! (a [`Report`]).
//!
//! Each test plays the publisher with a [`ManualPublisher`]: it sends an
//! item only once the subscriber has requested it (the JVM TCK's gotcha G9,
//! fixed in 1.0.3), draws the items from the verification's helper publisher,
//! and checks what the probe saw.

#[doc(hidden)]
pub mod strict;
#[doc(hidden)]
pub mod tests;

use std::fmt;
use std::sync::Arc;

use reactive_streams::{BoxPublisher, Subscriber};

use crate::case::TestCase;
use crate::common::{short_type_name, Tees};
use crate::env::TestEnvironment;
use crate::helper::AsyncIterablePublisher;
use crate::outcome::{Outcome, TckResult};
use crate::probe::{BlackboxProbe, SubscriberPuppet, WhiteboxSubscriberProbe};
use crate::report::Report;
use crate::subscriber_strict::SubscriberStage;
use crate::support::ManualPublisher;

/// How to make the subscriber under test, wired to a probe: implement this,
/// then run the verification with
/// [`subscriber_whitebox_verification_tests!`](crate::subscriber_whitebox_verification_tests)
/// or [`run_subscriber_whitebox_verification`].
///
/// Items must be `Clone` (the TCK keeps what it sent, to compare), `PartialEq`
/// and `Debug` (for the comparison and its message). The verification is
/// shared with the helper publisher's threads, hence `Send + Sync + 'static`.
///
/// # Examples
///
/// A subscriber that requests one item at a time, made testable by reporting
/// to the probe:
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::{Error, Subscriber, Subscription};
/// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
/// use reactive_streams_tck::{run_subscriber_whitebox_verification, SubscriberWhiteboxVerification};
///
/// struct OneByOne {
///     subscription: Option<Arc<dyn Subscription>>,
///     probe: WhiteboxSubscriberProbe<u64>,
/// }
///
/// impl Subscriber<u64> for OneByOne {
///     fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
///         if self.subscription.is_some() {
///             subscription.cancel(); // §2.5
///             return;
///         }
///         self.subscription = Some(Arc::clone(&subscription));
///         // The TCK drives demand through the puppet: here, the subscription.
///         self.probe.register_on_subscribe(subscription);
///     }
///     fn on_next(&mut self, item: u64) {
///         self.probe.register_on_next(item);
///     }
///     fn on_error(&mut self, error: Error) {
///         self.probe.register_on_error(error);
///     }
///     fn on_complete(&mut self) {
///         self.probe.register_on_complete();
///     }
/// }
///
/// struct Verification;
///
/// impl SubscriberWhiteboxVerification for Verification {
///     type Item = u64;
///     type Subscriber = OneByOne;
///
///     fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u64>) -> OneByOne {
///         OneByOne { subscription: None, probe }
///     }
///
///     fn create_element(&self, id: u64) -> u64 {
///         id
///     }
/// }
///
/// let report = run_subscriber_whitebox_verification(Verification);
/// assert!(report.is_success(), "{report}");
/// // The JVM TCK's 11 that run, and the 4 strict ones.
/// assert_eq!((report.passed(), report.not_applicable()), (11 + 4, 3));
/// ```
pub trait SubscriberWhiteboxVerification: Send + Sync + 'static {
    /// The items the subscriber receives.
    type Item: Clone + PartialEq + fmt::Debug + Send + 'static;

    /// The subscriber under test.
    type Subscriber: Subscriber<Self::Item> + 'static;

    /// A new subscriber that reports to `probe`: it calls
    /// [`register_on_subscribe`](WhiteboxSubscriberProbe::register_on_subscribe)
    /// with a puppet from `on_subscribe`, and
    /// [`register_on_next`](WhiteboxSubscriberProbe::register_on_next),
    /// [`register_on_error`](WhiteboxSubscriberProbe::register_on_error) and
    /// [`register_on_complete`](WhiteboxSubscriberProbe::register_on_complete)
    /// from the matching signals.
    fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<Self::Item>) -> Self::Subscriber;

    /// The element with number `id`. Distinct ids must give distinct
    /// elements. May be called from several threads at once.
    fn create_element(&self, id: u64) -> Self::Item;

    /// A publisher of `elements` elements (`u64::MAX`: infinite) that the
    /// tests draw items from. The default is the TCK's
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

    /// The environment the tests run in. Every test runs on a
    /// [fresh](TestEnvironment::fresh) copy. Default [`TestEnvironment::new`]:
    /// the environment variables, else the defaults.
    fn env(&self) -> TestEnvironment {
        TestEnvironment::new()
    }

    /// The name reports and messages give the implementation. Default: the
    /// verification's type name without its module path.
    fn implementation_name(&self) -> String {
        short_type_name::<Self>()
    }
}

/// The 27 whitebox tests, in the JVM TCK's order: the one list that the
/// `#[test]` macro, the report runner and the processor verification share.
/// Each entry: policy, name, rule (`(section, number)` or `()`).
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_whitebox_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Required required_exercise_whitebox_happy_path ();
            Required required_spec201_must_signal_demand_via_subscription_request (2, 1);
            Covered untested_spec202_should_asynchronously_dispatch (2, 2);
            Required required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_complete (2, 3);
            Required required_spec203_must_not_call_methods_on_subscription_or_publisher_in_on_error (2, 3);
            Covered untested_spec204_must_consider_the_subscription_as_cancelled_in_after_recieving_on_complete_or_on_error (2, 4);
            Required required_spec205_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal (2, 5);
            Untested untested_spec206_must_call_subscription_cancel_if_it_is_no_longer_valid (2, 6);
            Covered untested_spec207_must_ensure_all_calls_on_its_subscription_take_place_from_the_same_thread_or_take_care_of_synchronization (2, 7);
            Required required_spec208_must_be_prepared_to_receive_on_next_signals_after_having_called_subscription_cancel (2, 8);
            Required required_spec209_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call (2, 9);
            Required required_spec209_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call (2, 9);
            Required required_spec210_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call (2, 10);
            Required required_spec210_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call (2, 10);
            Untested untested_spec211_must_make_sure_that_all_calls_on_its_methods_happen_before_the_processing_of_the_respective_events (2, 11);
            Untested untested_spec212_must_not_call_on_subscribe_more_than_once_based_on_object_equality_spec_violation (2, 12);
            Untested untested_spec213_failing_on_signal_invocation (2, 13);
            Required required_spec213_on_subscribe_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Required required_spec213_on_next_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Required required_spec213_on_error_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Untested untested_spec301_must_not_be_called_outside_subscriber_context (3, 1);
            Required required_spec308_request_must_register_given_number_elements_to_be_produced (3, 8);
            Untested untested_spec310_request_may_synchronously_call_on_next_on_subscriber (3, 10);
            Untested untested_spec311_request_may_synchronously_call_on_complete_or_on_error (3, 11);
            Untested untested_spec314_cancel_may_cause_the_publisher_to_shutdown_if_no_other_subscription_exists (3, 14);
            Untested untested_spec315_cancel_must_not_throw_exception_and_must_signal_on_error (3, 15);
            Untested untested_spec316_request_must_not_throw_exception_and_must_on_error_the_subscriber (3, 16);
        }
    };
}

/// The whitebox tests that go beyond the JVM TCK (`cargo test strict` picks
/// them): §2.4, §2.7 and, optional, §2.2. The README lists each and why.
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_whitebox_strict_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Optional optional_strict_spec202_signals_should_return_within_the_signal_budget (2, 2);
            Required required_strict_spec204_must_not_request_after_on_complete (2, 4);
            Required required_strict_spec204_must_not_request_after_on_error (2, 4);
            Stochastic stochastic_strict_spec207_must_call_request_and_cancel_serially (2, 7);
        }
    };
}

/// Builds the list of [`TestCase`]s from [`__subscriber_whitebox_list`]
/// (`tests`) or [`__subscriber_whitebox_strict_list`] (`strict`).
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_whitebox_test_cases {
    ({ $v:ty, $module:ident } $($policy:ident $name:ident $rule:tt;)*) => {
        vec![$(
            $crate::TestCase::<::std::sync::Arc<$v>>::new(
                stringify!($name),
                $crate::__rule!($rule),
                $crate::__private::Policy::$policy,
                $crate::subscriber_whitebox::$module::$name::<$v>,
            ),
        )*]
    };
}

/// Emits the `#[test]`s from [`__subscriber_whitebox_list`].
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_whitebox_verification_tests {
    ({ $make:expr } $($policy:ident $name:ident $rule:tt;)*) => {
        $(
            $crate::__tck_test! { $policy $name $crate::subscriber_whitebox::run_test, $make }
        )*
    };
}

/// Expands to one `#[test]` per whitebox subscriber TCK test (27), each
/// named after its JVM method in snake_case, running on the implementation
/// `$make` (an expression, evaluated anew in each test).
///
/// Put it in a module of its own, so that `cargo test my_module` runs one
/// verification and `cargo test spec209` one rule across all of them.
/// Failures panic with the message; skipped and not-applicable tests pass
/// and print their reason (`cargo test -- --show-output`); `untested_` tests
/// are `#[ignore]`d.
///
/// # Examples
///
/// ```
/// mod my_subscriber {
///     use std::sync::Arc;
///     use reactive_streams::{Error, Subscriber, Subscription};
///     use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
///     use reactive_streams_tck::SubscriberWhiteboxVerification;
///
///     pub struct Probed(WhiteboxSubscriberProbe<u32>, bool);
///
///     impl Subscriber<u32> for Probed {
///         fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
///             if std::mem::replace(&mut self.1, true) {
///                 return s.cancel();
///             }
///             self.0.register_on_subscribe(s);
///         }
///         fn on_next(&mut self, item: u32) { self.0.register_on_next(item) }
///         fn on_error(&mut self, e: Error) { self.0.register_on_error(e) }
///         fn on_complete(&mut self) { self.0.register_on_complete() }
///     }
///
///     pub struct Verification;
///
///     impl SubscriberWhiteboxVerification for Verification {
///         type Item = u32;
///         type Subscriber = Probed;
///         fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u32>) -> Probed {
///             Probed(probe, false)
///         }
///         fn create_element(&self, id: u64) -> u32 {
///             id as u32
///         }
///     }
///
///     reactive_streams_tck::subscriber_whitebox_verification_tests!(Verification);
/// }
/// ```
#[macro_export]
macro_rules! subscriber_whitebox_verification_tests {
    ($make:expr $(,)?) => {
        $crate::__subscriber_whitebox_list!(__subscriber_whitebox_verification_tests { $make });
        $crate::__subscriber_whitebox_strict_list!(__subscriber_whitebox_verification_tests {
            $make
        });
    };
}

/// The names of the 27 whitebox tests, in the JVM TCK's order.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::subscriber_whitebox::TEST_NAMES;
///
/// assert_eq!(TEST_NAMES.len(), 27);
/// assert_eq!(TEST_NAMES[0], "required_exercise_whitebox_happy_path");
/// ```
pub const TEST_NAMES: [&str; 27] = crate::__subscriber_whitebox_list!(__tck_test_names {});

/// The names of the whitebox tests that go beyond the JVM TCK.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::subscriber_whitebox::STRICT_TEST_NAMES;
///
/// assert!(STRICT_TEST_NAMES.iter().all(|name| name.contains("_strict_")));
/// ```
pub const STRICT_TEST_NAMES: [&str; 4] =
    crate::__subscriber_whitebox_strict_list!(__tck_test_names {});

/// Every whitebox test, for implementation type `V`: the JVM TCK's 27 in its
/// order, then the [strict](STRICT_TEST_NAMES) ones.
/// The bodies take the implementation as an `Arc`, which they share with the
/// helper publisher.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
/// use reactive_streams_tck::{subscriber_whitebox, Kind, SubscriberWhiteboxVerification};
///
/// struct V;
/// impl SubscriberWhiteboxVerification for V {
///     type Item = u8;
///     type Subscriber = reactive_streams::BoxSubscriber<u8>;
///     fn create_subscriber(&self, _: WhiteboxSubscriberProbe<u8>) -> Self::Subscriber {
///         unimplemented!()
///     }
///     fn create_element(&self, id: u64) -> u8 {
///         id as u8
///     }
/// }
///
/// let cases = subscriber_whitebox::test_cases::<V>();
/// assert_eq!(cases.iter().filter(|c| c.kind() == Kind::Untested).count(), 13);
/// ```
pub fn test_cases<V: SubscriberWhiteboxVerification>() -> Vec<TestCase<Arc<V>>> {
    let mut cases =
        crate::__subscriber_whitebox_list!(__subscriber_whitebox_test_cases { V, tests });
    cases.extend(crate::__subscriber_whitebox_strict_list!(
        __subscriber_whitebox_test_cases { V, strict }
    ));
    cases
}

/// Runs the whitebox test `name` on `verification` (in a fresh environment
/// from [`SubscriberWhiteboxVerification::env`]); what each generated
/// `#[test]` calls.
///
/// # Panics
///
/// If `name` is not a whitebox test.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::subscriber_whitebox;
/// # use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
/// # struct V;
/// # impl reactive_streams_tck::SubscriberWhiteboxVerification for V {
/// #     type Item = u8;
/// #     type Subscriber = reactive_streams::BoxSubscriber<u8>;
/// #     fn create_subscriber(&self, _: WhiteboxSubscriberProbe<u8>) -> Self::Subscriber { unimplemented!() }
/// #     fn create_element(&self, id: u64) -> u8 { id as u8 }
/// # }
///
/// let outcome = subscriber_whitebox::run_test(
///     V,
///     "required_spec213_on_error_must_throw_null_pointer_exception_when_parameters_are_null",
/// );
/// assert_eq!(outcome.label(), "N/A");
/// ```
pub fn run_test<V: SubscriberWhiteboxVerification>(verification: V, name: &str) -> Outcome {
    let case = test_cases::<V>()
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| {
            panic!("reactive-streams-tck: no whitebox subscriber test named {name}")
        });
    let env = verification.env();
    case.run(&Arc::new(Arc::new(verification)), &env)
}

/// Runs every whitebox test on `verification`, one after the other, each in
/// a fresh environment from [`SubscriberWhiteboxVerification::env`], and
/// reports how each ended.
///
/// See [`SubscriberWhiteboxVerification`] for an example.
pub fn run_subscriber_whitebox_verification<V: SubscriberWhiteboxVerification>(
    verification: V,
) -> Report {
    let env = verification.env();
    let title = format!(
        "SubscriberWhiteboxVerification of {}",
        verification.implementation_name()
    );
    let verification = Arc::new(Arc::new(verification));
    let rows = test_cases::<V>()
        .iter()
        .map(|case| case.run_timed_row(&verification, &env))
        .collect();
    Report::timed(title, rows)
}

/// The JVM TCK's `WhiteboxTestStage`: the subscriber under test, subscribed
/// to a [`ManualPublisher`] the test drives, with its probe and puppet, and
/// `tees`, a subscriber to the helper publisher that supplies fresh items.
pub(crate) struct WhiteboxStage<V: SubscriberWhiteboxVerification> {
    pub(crate) env: TestEnvironment,
    pub(crate) publisher: ManualPublisher<V::Item>,
    pub(crate) probe: WhiteboxSubscriberProbe<V::Item>,
    pub(crate) puppet: Arc<dyn SubscriberPuppet>,
    tees: Tees<V::Item>,
}

/// How messages name the subscriber of `verification`.
pub(crate) fn subscriber_name<V: SubscriberWhiteboxVerification>(verification: &V) -> String {
    crate::common::subscriber_name::<V::Subscriber>(&verification.implementation_name())
}

impl<V: SubscriberWhiteboxVerification> SubscriberStage<V::Item> for WhiteboxStage<V> {
    fn publisher(&self) -> &ManualPublisher<V::Item> {
        &self.publisher
    }

    fn probe(&self) -> &BlackboxProbe<V::Item> {
        self.probe.blackbox()
    }

    fn trigger(&self, n: u64) -> u64 {
        self.puppet.trigger_request(n);
        n
    }

    fn next_item(&self) -> TckResult<V::Item> {
        self.tees.next()
    }
}

impl<V: SubscriberWhiteboxVerification> WhiteboxStage<V> {
    /// Subscribes a new subscriber to the stage and waits (default timeout)
    /// for it to register its puppet.
    pub(crate) fn new(verification: &Arc<V>, env: &TestEnvironment) -> TckResult<Self> {
        let helper = Arc::clone(verification).create_helper_publisher(u64::MAX);
        let tees = Tees::new(env, &helper)?;
        let probe = WhiteboxSubscriberProbe::new(env, subscriber_name(&**verification));
        let publisher = ManualPublisher::new(env);
        reactive_streams::Publisher::subscribe(
            &publisher,
            verification.create_subscriber(probe.clone()),
        );
        let stage = WhiteboxStage {
            env: env.clone(),
            puppet: probe.expect_puppet(env.default_timeout())?,
            publisher,
            probe,
            tees,
        };
        env.verify_no_async_errors_no_delay()?;
        Ok(stage)
    }

    /// Waits (default timeout) for the subscriber's next `request(n)`.
    pub(crate) fn expect_request(&self) -> TckResult<u64> {
        self.publisher.expect_request()
    }

    /// Sends the next item from the helper publisher and returns it. Waits
    /// for the subscriber to request it first, if its requests read so far
    /// do not cover it (G9).
    pub(crate) fn signal_next(&self) -> TckResult<V::Item> {
        if self.publisher.pending_demand() == 0 {
            self.publisher.expect_request()?;
        }
        let item = self.tees.next()?;
        self.publisher.consume_demand(1);
        self.publisher.send_next(item.clone());
        Ok(item)
    }
}
