//! The blackbox subscriber verification: 26 tests, one per method of the JVM
//! TCK's `SubscriberBlackboxVerification`, named after it in snake_case.
//!
//! "Blackbox" means the subscriber is tested as it is: the TCK wraps it in a
//! [`BlackboxSubscriberProxy`] that records the signals it forwards, and can
//! only check that the subscriber requests, cancels what it must, and takes
//! every signal without panicking. It covers fewer rules than the
//! [whitebox](crate::subscriber_whitebox) verification (15 of its 26 tests
//! are `untested_`); use it for subscribers you cannot instrument.
//!
//! Implement [`SubscriberBlackboxVerification`], then either expand
//! [`subscriber_blackbox_verification_tests!`](crate::subscriber_blackbox_verification_tests)
//! (one `#[test]` per TCK test) or call [`run_subscriber_blackbox_verification`]
//! (a [`Report`]).
//!
//! The §2.1 test differs from the JVM TCK's on purpose: there a loop
//! condition is inverted (gotcha G6, reactive-streams-jvm#459), so no item
//! ever reaches a subscriber that has not cancelled. Here it really sends
//! `min(requested, 512)` items, each only within demand, stopping early if
//! the subscriber cancels, then completes.

#[doc(hidden)]
pub mod strict;
#[doc(hidden)]
pub mod tests;

use std::fmt;
use std::sync::{Arc, Mutex};

use reactive_streams::{BoxPublisher, Subscriber};

use crate::case::TestCase;
use crate::common::{short_type_name, Tees};
use crate::env::TestEnvironment;
use crate::helper::AsyncIterablePublisher;
use crate::outcome::{Outcome, TckResult};
use crate::probe::{BlackboxProbe, BlackboxSubscriberProxy};
use crate::report::Report;
use crate::subscriber_strict::SubscriberStage;
use crate::support::ManualPublisher;
use crate::sync::lock;

/// The most items the §2.1 test sends, whatever the subscriber requested (a
/// protection against a subscriber that requests without limit).
pub const MAX_SIGNALS_IN_SPEC201: u64 = 512;

/// What makes a blackbox subscriber request at least one item, made
/// together with it by
/// [`create_subscriber_and_trigger`](SubscriberBlackboxVerification::create_subscriber_and_trigger):
/// usually a closure over a handle to the subscriber.
pub type RequestTrigger = Box<dyn FnMut() + Send>;

/// How to make the subscriber under test: implement this, then run the
/// verification with
/// [`subscriber_blackbox_verification_tests!`](crate::subscriber_blackbox_verification_tests)
/// or [`run_subscriber_blackbox_verification`].
///
/// Items must be `Clone` (the proxy records what it forwards), `PartialEq`
/// and `Debug`. The verification is shared with the helper publisher's
/// threads, hence `Send + Sync + 'static`.
///
/// # Examples
///
/// A subscriber that requests 4 items at first, and 4 more every 4 items:
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::{Error, Subscriber, Subscription};
/// use reactive_streams_tck::{run_subscriber_blackbox_verification, SubscriberBlackboxVerification};
///
/// #[derive(Default)]
/// struct Batches {
///     subscription: Option<Arc<dyn Subscription>>,
///     received: u64,
/// }
///
/// impl Subscriber<u64> for Batches {
///     fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
///         if self.subscription.is_some() {
///             return subscription.cancel(); // §2.5
///         }
///         subscription.request(4);
///         self.subscription = Some(subscription);
///     }
///     fn on_next(&mut self, _: u64) {
///         self.received += 1;
///         if self.received % 4 == 0 {
///             if let Some(s) = &self.subscription {
///                 s.request(4);
///             }
///         }
///     }
///     fn on_error(&mut self, _: Error) {
///         self.subscription = None; // §2.3: drop it, never call it
///     }
///     fn on_complete(&mut self) {
///         self.subscription = None;
///     }
/// }
///
/// struct Verification;
///
/// impl SubscriberBlackboxVerification for Verification {
///     type Item = u64;
///     type Subscriber = Batches;
///
///     fn create_subscriber(&self) -> Batches {
///         Batches::default()
///     }
///
///     fn create_element(&self, id: u64) -> u64 {
///         id
///     }
/// }
///
/// let report = run_subscriber_blackbox_verification(Verification);
/// assert!(report.is_success(), "{report}");
/// // The JVM TCK's 8 that run, and the 4 strict ones.
/// assert_eq!((report.passed(), report.not_applicable()), (8 + 4, 3));
/// ```
pub trait SubscriberBlackboxVerification: Send + Sync + 'static {
    /// The items the subscriber receives.
    type Item: Clone + PartialEq + fmt::Debug + Send + 'static;

    /// The subscriber under test.
    type Subscriber: Subscriber<Self::Item> + 'static;

    /// A new subscriber.
    fn create_subscriber(&self) -> Self::Subscriber;

    /// The element with number `id`. Distinct ids must give distinct
    /// elements. May be called from several threads at once.
    fn create_element(&self, id: u64) -> Self::Item;

    /// Makes a subscriber that does not request on its own request at least
    /// one item (the tests that need demand call it first). Does nothing by
    /// default: most subscribers request from `on_subscribe`.
    ///
    /// A `BoxSubscriber` offers nothing to call here; give such a subscriber
    /// a [`RequestTrigger`] with
    /// [`create_subscriber_and_trigger`](Self::create_subscriber_and_trigger)
    /// instead.
    ///
    /// A subscriber that requests on its own (in `on_subscribe`, say) has
    /// requested before the tests "...without_preceding_request_call" signal
    /// it: for such a subscriber those tests check the same as their "with"
    /// twins, which is as it should be, since it can never be signalled
    /// without a preceding request.
    fn trigger_request(&self, subscriber: &mut Self::Subscriber) {
        let _ = subscriber;
    }

    /// A new subscriber and, if it needs one, the [`RequestTrigger`] that
    /// makes it request: what the tests with set-up use. When the trigger is
    /// `Some`, the tests call it instead of
    /// [`trigger_request`](Self::trigger_request), which is how a subscriber
    /// behind a `BoxSubscriber` (whose methods the hook cannot reach) gets
    /// its nudge. The default is [`create_subscriber`](Self::create_subscriber)
    /// and no trigger.
    ///
    /// # Examples
    ///
    /// A boxed [`TestSubscriber`](reactive_streams::TestSubscriber) that
    /// requests nothing on its own, nudged through a clone of its handle:
    ///
    /// ```
    /// use reactive_streams::{BoxSubscriber, TestSubscriber};
    /// use reactive_streams_tck::subscriber_blackbox::RequestTrigger;
    /// use reactive_streams_tck::{run_subscriber_blackbox_verification, SubscriberBlackboxVerification};
    ///
    /// struct Boxed;
    ///
    /// impl SubscriberBlackboxVerification for Boxed {
    ///     type Item = u64;
    ///     type Subscriber = BoxSubscriber<u64>;
    ///
    ///     fn create_subscriber(&self) -> BoxSubscriber<u64> {
    ///         self.create_subscriber_and_trigger().0
    ///     }
    ///
    ///     fn create_subscriber_and_trigger(&self) -> (BoxSubscriber<u64>, Option<RequestTrigger>) {
    ///         let subscriber = TestSubscriber::new(0);
    ///         let handle = subscriber.clone();
    ///         (Box::new(subscriber), Some(Box::new(move || handle.request(1))))
    ///     }
    ///
    ///     fn create_element(&self, id: u64) -> u64 {
    ///         id
    ///     }
    /// }
    ///
    /// let report = run_subscriber_blackbox_verification(Boxed);
    /// assert!(report.is_success(), "{report}");
    /// ```
    fn create_subscriber_and_trigger(&self) -> (Self::Subscriber, Option<RequestTrigger>) {
        (self.create_subscriber(), None)
    }

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

/// The 26 blackbox tests, in the JVM TCK's order: the one list that the
/// `#[test]` macro and the report runner share. Each entry: policy, name,
/// rule (`(section, number)`).
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_blackbox_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Required required_spec201_blackbox_must_signal_demand_via_subscription_request (2, 1);
            Covered untested_spec202_blackbox_should_asynchronously_dispatch (2, 2);
            Required required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_complete (2, 3);
            Required required_spec203_blackbox_must_not_call_methods_on_subscription_or_publisher_in_on_error (2, 3);
            Covered untested_spec204_blackbox_must_consider_the_subscription_as_cancelled_in_after_recieving_on_complete_or_on_error (2, 4);
            Required required_spec205_blackbox_must_call_subscription_cancel_if_it_already_has_an_subscription_and_receives_another_on_subscribe_signal (2, 5);
            Untested untested_spec206_blackbox_must_call_subscription_cancel_if_it_is_no_longer_valid (2, 6);
            Covered untested_spec207_blackbox_must_ensure_all_calls_on_its_subscription_take_place_from_the_same_thread_or_take_care_of_synchronization (2, 7);
            Untested untested_spec208_blackbox_must_be_prepared_to_receive_on_next_signals_after_having_called_subscription_cancel (2, 8);
            Required required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_with_preceding_request_call (2, 9);
            Required required_spec209_blackbox_must_be_prepared_to_receive_an_on_complete_signal_without_preceding_request_call (2, 9);
            Required required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_with_preceding_request_call (2, 10);
            Required required_spec210_blackbox_must_be_prepared_to_receive_an_on_error_signal_without_preceding_request_call (2, 10);
            Untested untested_spec211_blackbox_must_make_sure_that_all_calls_on_its_methods_happen_before_the_processing_of_the_respective_events (2, 11);
            Untested untested_spec212_blackbox_must_not_call_on_subscribe_more_than_once_based_on_object_equality (2, 12);
            Untested untested_spec213_blackbox_failing_on_signal_invocation (2, 13);
            Required required_spec213_blackbox_on_subscribe_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Required required_spec213_blackbox_on_next_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Required required_spec213_blackbox_on_error_must_throw_null_pointer_exception_when_parameters_are_null (2, 13);
            Untested untested_spec301_blackbox_must_not_be_called_outside_subscriber_context (3, 1);
            Untested untested_spec308_blackbox_request_must_register_given_number_elements_to_be_produced (3, 8);
            Untested untested_spec310_blackbox_request_may_synchronously_call_on_next_on_subscriber (3, 10);
            Untested untested_spec311_blackbox_request_may_synchronously_call_on_complete_or_on_error (3, 11);
            Untested untested_spec314_blackbox_cancel_may_cause_the_publisher_to_shutdown_if_no_other_subscription_exists (3, 14);
            Untested untested_spec315_blackbox_cancel_must_not_throw_exception_and_must_signal_on_error (3, 15);
            Untested untested_spec316_blackbox_request_must_not_throw_exception_and_must_on_error_the_subscriber (3, 16);
        }
    };
}

/// The blackbox tests that go beyond the JVM TCK (`cargo test strict` picks
/// them): §2.4, §2.7 and, optional, §2.2. The README lists each and why.
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_blackbox_strict_list {
    ($callback:ident { $($args:tt)* }) => {
        $crate::$callback! {
            { $($args)* }
            Optional optional_strict_spec202_blackbox_signals_should_return_within_the_signal_budget (2, 2);
            Required required_strict_spec204_blackbox_must_not_request_after_on_complete (2, 4);
            Required required_strict_spec204_blackbox_must_not_request_after_on_error (2, 4);
            Stochastic stochastic_strict_spec207_blackbox_must_call_request_and_cancel_serially (2, 7);
        }
    };
}

/// Builds the list of [`TestCase`]s from [`__subscriber_blackbox_list`]
/// (`tests`) or [`__subscriber_blackbox_strict_list`] (`strict`).
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_blackbox_test_cases {
    ({ $v:ty, $module:ident } $($policy:ident $name:ident $rule:tt;)*) => {
        vec![$(
            $crate::TestCase::<::std::sync::Arc<$v>>::new(
                stringify!($name),
                $crate::__rule!($rule),
                $crate::__private::Policy::$policy,
                $crate::subscriber_blackbox::$module::$name::<$v>,
            ),
        )*]
    };
}

/// Emits the `#[test]`s from [`__subscriber_blackbox_list`].
#[doc(hidden)]
#[macro_export]
macro_rules! __subscriber_blackbox_verification_tests {
    ({ $make:expr } $($policy:ident $name:ident $rule:tt;)*) => {
        $(
            $crate::__tck_test! { $policy $name $crate::subscriber_blackbox::run_test, $make }
        )*
    };
}

/// Expands to one `#[test]` per blackbox subscriber TCK test (26), each
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
/// mod counting {
///     use std::sync::Arc;
///     use reactive_streams::{Error, Subscriber, Subscription};
///     use reactive_streams_tck::SubscriberBlackboxVerification;
///
///     #[derive(Default)]
///     pub struct Unbounded(bool);
///
///     impl Subscriber<u8> for Unbounded {
///         fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
///             if std::mem::replace(&mut self.0, true) {
///                 return s.cancel();
///             }
///             s.request(u64::MAX);
///         }
///         fn on_next(&mut self, _: u8) {}
///         fn on_error(&mut self, _: Error) {}
///         fn on_complete(&mut self) {}
///     }
///
///     pub struct Verification;
///
///     impl SubscriberBlackboxVerification for Verification {
///         type Item = u8;
///         type Subscriber = Unbounded;
///         fn create_subscriber(&self) -> Unbounded {
///             Unbounded::default()
///         }
///         fn create_element(&self, id: u64) -> u8 {
///             id as u8
///         }
///     }
///
///     reactive_streams_tck::subscriber_blackbox_verification_tests!(Verification);
/// }
/// ```
#[macro_export]
macro_rules! subscriber_blackbox_verification_tests {
    ($make:expr $(,)?) => {
        $crate::__subscriber_blackbox_list!(__subscriber_blackbox_verification_tests { $make });
        $crate::__subscriber_blackbox_strict_list!(__subscriber_blackbox_verification_tests {
            $make
        });
    };
}

/// The names of the 26 blackbox tests, in the JVM TCK's order.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::subscriber_blackbox::TEST_NAMES;
///
/// assert_eq!(TEST_NAMES.len(), 26);
/// assert!(TEST_NAMES.iter().all(|name| name.contains("_blackbox_")));
/// ```
pub const TEST_NAMES: [&str; 26] = crate::__subscriber_blackbox_list!(__tck_test_names {});

/// The names of the blackbox tests that go beyond the JVM TCK.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::subscriber_blackbox::STRICT_TEST_NAMES;
///
/// assert!(STRICT_TEST_NAMES.iter().all(|name| name.contains("_strict_spec2")));
/// ```
pub const STRICT_TEST_NAMES: [&str; 4] =
    crate::__subscriber_blackbox_strict_list!(__tck_test_names {});

/// Every blackbox test, for implementation type `V`: the JVM TCK's 26 in its
/// order, then the [strict](STRICT_TEST_NAMES) ones.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::{subscriber_blackbox, Kind, SubscriberBlackboxVerification};
///
/// struct V;
/// impl SubscriberBlackboxVerification for V {
///     type Item = u8;
///     type Subscriber = reactive_streams::BoxSubscriber<u8>;
///     fn create_subscriber(&self) -> Self::Subscriber {
///         unimplemented!()
///     }
///     fn create_element(&self, id: u64) -> u8 {
///         id as u8
///     }
/// }
///
/// let cases = subscriber_blackbox::test_cases::<V>();
/// assert_eq!(cases.iter().filter(|c| c.kind() == Kind::Untested).count(), 15);
/// ```
pub fn test_cases<V: SubscriberBlackboxVerification>() -> Vec<TestCase<Arc<V>>> {
    let mut cases =
        crate::__subscriber_blackbox_list!(__subscriber_blackbox_test_cases { V, tests });
    cases.extend(crate::__subscriber_blackbox_strict_list!(
        __subscriber_blackbox_test_cases { V, strict }
    ));
    cases
}

/// Runs the blackbox test `name` on `verification` (in a fresh environment
/// from [`SubscriberBlackboxVerification::env`]); what each generated
/// `#[test]` calls.
///
/// # Panics
///
/// If `name` is not a blackbox test.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::{subscriber_blackbox, Outcome};
/// # struct V;
/// # impl reactive_streams_tck::SubscriberBlackboxVerification for V {
/// #     type Item = u8;
/// #     type Subscriber = reactive_streams::BoxSubscriber<u8>;
/// #     fn create_subscriber(&self) -> Self::Subscriber { unimplemented!() }
/// #     fn create_element(&self, id: u64) -> u8 { id as u8 }
/// # }
///
/// let outcome = subscriber_blackbox::run_test(
///     V,
///     "untested_spec212_blackbox_must_not_call_on_subscribe_more_than_once_based_on_object_equality",
/// );
/// assert_eq!(outcome, Outcome::Skip("Not verified using this TCK.".into()));
/// ```
pub fn run_test<V: SubscriberBlackboxVerification>(verification: V, name: &str) -> Outcome {
    let case = test_cases::<V>()
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| {
            panic!("reactive-streams-tck: no blackbox subscriber test named {name}")
        });
    let env = verification.env();
    case.run(&Arc::new(Arc::new(verification)), &env)
}

/// Runs every blackbox test on `verification`, one after the other, each in
/// a fresh environment from [`SubscriberBlackboxVerification::env`], and
/// reports how each ended.
///
/// See [`SubscriberBlackboxVerification`] for an example.
pub fn run_subscriber_blackbox_verification<V: SubscriberBlackboxVerification>(
    verification: V,
) -> Report {
    let env = verification.env();
    let title = format!(
        "SubscriberBlackboxVerification of {}",
        verification.implementation_name()
    );
    let verification = Arc::new(Arc::new(verification));
    let rows = test_cases::<V>()
        .iter()
        .map(|case| case.run_timed_row(&verification, &env))
        .collect();
    Report::timed(title, rows)
}

/// The JVM TCK's `BlackboxTestStage`: the subscriber under test, behind a
/// [`BlackboxSubscriberProxy`], subscribed to a [`ManualPublisher`] the test
/// drives; `tees` supplies fresh items from the helper publisher.
pub(crate) struct BlackboxStage<V: SubscriberBlackboxVerification> {
    pub(crate) publisher: ManualPublisher<V::Item>,
    pub(crate) probe: BlackboxProbe<V::Item>,
    subscriber: Arc<Mutex<V::Subscriber>>,
    trigger: Mutex<Option<RequestTrigger>>,
    verification: Arc<V>,
    tees: Tees<V::Item>,
}

/// How messages name the subscriber of `verification`.
pub(crate) fn subscriber_name<V: SubscriberBlackboxVerification>(verification: &V) -> String {
    crate::common::subscriber_name::<V::Subscriber>(&verification.implementation_name())
}

impl<V: SubscriberBlackboxVerification> BlackboxStage<V> {
    /// Subscribes a new subscriber, behind its proxy, to the stage.
    pub(crate) fn new(verification: &Arc<V>, env: &TestEnvironment) -> TckResult<Self> {
        let helper = Arc::clone(verification).create_helper_publisher(u64::MAX);
        let tees = Tees::new(env, &helper)?;
        let (subscriber, trigger) = verification.create_subscriber_and_trigger();
        let subscriber = Arc::new(Mutex::new(subscriber));
        let proxy = BlackboxSubscriberProxy::new(
            env,
            subscriber_name(&**verification),
            Arc::clone(&subscriber),
        );
        let probe = proxy.probe().clone();
        let publisher = ManualPublisher::new(env);
        reactive_streams::Publisher::subscribe(&publisher, proxy);
        Ok(BlackboxStage {
            publisher,
            probe,
            subscriber,
            trigger: Mutex::new(trigger),
            verification: Arc::clone(verification),
            tees,
        })
    }

    /// Makes the subscriber request: its [`RequestTrigger`] if it came with
    /// one, else the verification's `trigger_request` hook.
    pub(crate) fn trigger_request(&self) {
        match lock(&self.trigger).as_mut() {
            Some(trigger) => trigger(),
            None => self
                .verification
                .trigger_request(&mut lock(&self.subscriber)),
        }
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

impl<V: SubscriberBlackboxVerification> SubscriberStage<V::Item> for BlackboxStage<V> {
    fn publisher(&self) -> &ManualPublisher<V::Item> {
        &self.publisher
    }

    fn probe(&self) -> &BlackboxProbe<V::Item> {
        &self.probe
    }

    fn trigger(&self, _n: u64) -> u64 {
        self.trigger_request();
        1
    }

    fn next_item(&self) -> TckResult<V::Item> {
        self.tees.next()
    }
}
