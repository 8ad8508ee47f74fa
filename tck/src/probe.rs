//! Probes: how the subscriber verifications see what a subscriber does.
//!
//! - A **whitebox** subscriber reports each signal it receives to a
//!   [`WhiteboxSubscriberProbe`] (`register_on_next(item)` and so on), and
//!   hands it a [`SubscriberPuppet`] in `on_subscribe`, through which the TCK
//!   makes it request and cancel.
//! - A **blackbox** subscriber is not changed: the TCK wraps it in a
//!   [`BlackboxSubscriberProxy`], which records each signal in a
//!   [`BlackboxProbe`] before forwarding it.
//!
//! The test side of a probe waits for what was registered
//! ([`expect_next`](BlackboxProbe::expect_next),
//! [`expect_completion`](BlackboxProbe::expect_completion), ...), with the
//! environment's default timeout.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::{Error, Subscriber, Subscription};

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{AddError, Promise, Received, Receptacle};
use crate::sync::{lock, millis};

/// What the TCK makes a whitebox subscriber do: request and cancel.
///
/// The subscriber under test creates one in `on_subscribe`, usually around
/// the subscription it was given, and hands it to
/// [`WhiteboxSubscriberProbe::register_on_subscribe`]. The subscription
/// itself is a puppet that does exactly what it is told (see the
/// implementation for `Arc<dyn Subscription>`).
///
/// # Contract
///
/// - [`trigger_request(n)`](SubscriberPuppet::trigger_request): the
///   subscriber must *eventually* have requested at least `n` more items. It
///   may split the request, delay it until earlier requests are fulfilled
///   (one at a time, say), or merge it with others; the TCK waits for each
///   request before it sends an item (gotcha G9).
/// - [`signal_cancel`](SubscriberPuppet::signal_cancel): the subscriber must
///   cancel its subscription. Requests triggered but not yet made may be
///   dropped.
///
/// # Examples
///
/// A puppet that drives the subscriber's own demand logic:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use reactive_streams::Subscription;
/// use reactive_streams_tck::probe::SubscriberPuppet;
///
/// struct Puppet {
///     subscription: Arc<dyn Subscription>,
///     wanted: Arc<Mutex<u64>>,
/// }
///
/// impl SubscriberPuppet for Puppet {
///     fn trigger_request(&self, n: u64) {
///         *self.wanted.lock().unwrap() += n;
///         self.subscription.request(n);
///     }
///     fn signal_cancel(&self) {
///         self.subscription.cancel();
///     }
/// }
/// ```
pub trait SubscriberPuppet: Send + Sync {
    /// Makes the subscriber request at least `n` more items, eventually.
    fn trigger_request(&self, n: u64);

    /// Makes the subscriber cancel its subscription.
    fn signal_cancel(&self);
}

impl fmt::Debug for dyn SubscriberPuppet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubscriberPuppet")
    }
}

/// The subscription as its own puppet: `trigger_request(n)` is
/// `request(n)`, `signal_cancel()` is `cancel()`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::Subscription;
/// use reactive_streams_tck::probe::SubscriberPuppet;
/// use reactive_streams_tck::support::ProbeSubscription;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let recorder = ProbeSubscription::new(&env);
/// let puppet: Arc<dyn Subscription> = Arc::new(recorder.clone());
/// puppet.trigger_request(3);
/// assert_eq!(recorder.expect_request(env.default_timeout()).unwrap(), 3);
/// puppet.signal_cancel();
/// assert!(recorder.is_cancelled());
/// ```
impl SubscriberPuppet for Arc<dyn Subscription> {
    fn trigger_request(&self, n: u64) {
        self.request(n);
    }

    fn signal_cancel(&self) {
        self.cancel();
    }
}

/// Records the signals a subscriber received, for a test to check: the
/// JVM TCK's `BlackboxProbe`.
///
/// Items go into a [`Receptacle`]; the error into a [`Promise`]. A second
/// `on_complete` or `on_error`, an item after the end, and a full receptacle
/// are recorded as failures in the environment. Cheap to clone; clones share
/// the record.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::probe::BlackboxProbe;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let probe = BlackboxProbe::new(&env, "MySubscriber");
/// probe.register_on_next(1u32);
/// probe.register_on_complete();
/// probe.expect_next(&1).unwrap();
/// probe.expect_completion().unwrap();
/// env.verify_no_async_errors_no_delay().unwrap();
/// ```
pub struct BlackboxProbe<T> {
    inner: Arc<ProbeInner<T>>,
}

struct ProbeInner<T> {
    env: TestEnvironment,
    subscriber: String,
    elements: Receptacle<T>,
    error: Promise<Error>,
}

impl<T> Clone for BlackboxProbe<T> {
    fn clone(&self) -> Self {
        BlackboxProbe {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for BlackboxProbe<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlackboxProbe")
            .field("subscriber", &self.inner.subscriber)
            .field("elements", &self.inner.elements)
            .field("errored", &self.inner.error.is_completed())
            .finish()
    }
}

impl<T> BlackboxProbe<T> {
    /// A probe recording into `env`, for the subscriber described by
    /// `subscriber` (a name for messages).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = BlackboxProbe::<u8>::new(&TestEnvironment::new(), "Sub");
    /// assert_eq!(probe.subscriber(), "Sub");
    /// ```
    pub fn new(env: &TestEnvironment, subscriber: impl Into<String>) -> BlackboxProbe<T> {
        BlackboxProbe::with_capacity(env, subscriber, Receptacle::<T>::CAPACITY)
    }

    /// A probe that keeps up to `capacity` unread items.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let probe = BlackboxProbe::with_capacity(&env, "Sub", 1);
    /// probe.register_on_next(1u8);
    /// probe.register_on_next(2u8);
    /// assert!(env.verify_no_async_errors_no_delay().is_err());
    /// ```
    pub fn with_capacity(
        env: &TestEnvironment,
        subscriber: impl Into<String>,
        capacity: usize,
    ) -> BlackboxProbe<T> {
        BlackboxProbe {
            inner: Arc::new(ProbeInner {
                env: env.clone(),
                subscriber: subscriber.into(),
                elements: Receptacle::with_capacity(capacity),
                error: Promise::new(),
            }),
        }
    }

    /// The description of the subscriber, as messages name it.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert_eq!(BlackboxProbe::<u8>::new(&TestEnvironment::new(), "S").subscriber(), "S");
    /// ```
    pub fn subscriber(&self) -> &str {
        &self.inner.subscriber
    }

    /// The environment it records into.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let probe = BlackboxProbe::<u8>::new(&env, "S");
    /// assert_eq!(probe.env().default_timeout(), env.default_timeout());
    /// ```
    pub fn env(&self) -> &TestEnvironment {
        &self.inner.env
    }

    /// Records an `on_next(element)` the subscriber received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = BlackboxProbe::new(&TestEnvironment::new(), "S");
    /// probe.register_on_next('x');
    /// probe.expect_next(&'x').unwrap();
    /// ```
    pub fn register_on_next(&self, element: T) {
        let env = &self.inner.env;
        match self.inner.elements.add(element) {
            Ok(()) => {}
            Err(AddError::AfterEnd(_)) => env.flop(format!(
                "Subscriber {} called `register_on_next` after `register_on_complete`, \
                 which is illegal according to Rule 1.7",
                self.inner.subscriber
            )),
            Err(AddError::Full(_)) => env.flop(format!(
                "Subscriber {} called `register_on_next` more than {} times without the \
                 test reading them: it received more elements than the TCK sent",
                self.inner.subscriber,
                self.inner.elements.capacity()
            )),
        }
    }

    /// Records an `on_complete` the subscriber received; a second one is a
    /// failure (§1.7).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let probe = BlackboxProbe::<u8>::new(&env, "S");
    /// probe.register_on_complete();
    /// probe.register_on_complete();
    /// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
    /// assert!(failure.message().contains("on_complete was called a second time"));
    /// ```
    pub fn register_on_complete(&self) {
        if self.inner.elements.complete().is_err() {
            self.inner.env.flop(format!(
                "Subscriber {}: on_complete was called a second time, which is illegal \
                 according to Rule 1.7",
                self.inner.subscriber
            ));
        }
    }

    /// Records an `on_error` the subscriber received; a second one is a
    /// failure (§1.7).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = BlackboxProbe::<u8>::new(&TestEnvironment::new(), "S");
    /// let boom = Error::new("Boom!");
    /// probe.register_on_error(boom.clone());
    /// probe.expect_error(&boom).unwrap();
    /// ```
    pub fn register_on_error(&self, error: Error) {
        if let Err(second) = self.inner.error.complete(error) {
            self.inner.env.flop(format!(
                "Subscriber {}: on_error was called a second time (with {second}), which is \
                 illegal according to Rule 1.7",
                self.inner.subscriber
            ));
        }
    }

    /// Waits (default timeout) for the end of the stream: the next record
    /// must be `register_on_complete`.
    ///
    /// # Errors
    ///
    /// "Subscriber S did not call `register_on_complete()` within N ms", or
    /// "Expected end-of-stream but got element \[x\]".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_default_timeout(Duration::from_millis(5));
    /// let probe = BlackboxProbe::<u8>::new(&env, "Lazy");
    /// let failure = probe.expect_completion().unwrap_err();
    /// assert_eq!(failure.message(), "Subscriber Lazy did not call `register_on_complete()` within 5 ms");
    /// ```
    pub fn expect_completion(&self) -> TckResult
    where
        T: fmt::Debug,
    {
        let timeout = self.inner.env.default_timeout();
        match self.inner.elements.next(timeout) {
            Some(Received::End) => Ok(()),
            Some(Received::Item(item)) => Err(Stop::fail(format!(
                "Expected end-of-stream but got element [{item:?}]"
            ))),
            None => Err(Stop::fail(format!(
                "Subscriber {} did not call `register_on_complete()` within {} ms",
                self.inner.subscriber,
                millis(timeout)
            ))),
        }
    }

    /// Waits (default timeout) for an error, and returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_default_timeout(Duration::from_millis(5));
    /// let probe = BlackboxProbe::<u8>::new(&env, "S");
    /// assert!(probe.expect_any_error().unwrap_err().message().contains("did not call `register_on_error"));
    /// probe.register_on_error(Error::new("x"));
    /// assert_eq!(probe.expect_any_error().unwrap().to_string(), "x");
    /// ```
    pub fn expect_any_error(&self) -> TckResult<Error> {
        self.inner.error.expect_completion(
            self.inner.env.default_timeout(),
            &format!(
                "Subscriber {} did not call `register_on_error(_)`",
                self.inner.subscriber
            ),
        )
    }

    /// Waits (default timeout) for an error, which must be `expected` itself
    /// (the same [`Error`] value, by [`Error::ptr_eq`]).
    ///
    /// # Errors
    ///
    /// "Subscriber S did not call `register_on_error(e)` within N ms", or
    /// "Subscriber S called `register_on_error(x)` rather than
    /// `register_on_error(e)`".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = BlackboxProbe::<u8>::new(&TestEnvironment::new(), "S");
    /// probe.register_on_error(Error::new("Boom!"));
    /// let failure = probe.expect_error(&Error::new("Boom!")).unwrap_err();
    /// assert!(failure.message().contains("rather than"));
    /// ```
    pub fn expect_error(&self, expected: &Error) -> TckResult {
        let got = self.inner.error.expect_completion(
            self.inner.env.default_timeout(),
            &format!(
                "Subscriber {} did not call `register_on_error({expected})`",
                self.inner.subscriber
            ),
        )?;
        if got.ptr_eq(expected) {
            Ok(())
        } else {
            Err(Stop::fail(format!(
                "Subscriber {} called `register_on_error({got})` rather than \
                 `register_on_error({expected})` (the error the TCK sent)",
                self.inner.subscriber
            )))
        }
    }

    /// Waits the no-signals timeout; nothing may be registered meanwhile.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_no_signals_timeout(Duration::from_millis(5));
    /// let probe = BlackboxProbe::new(&env, "S");
    /// probe.expect_none().unwrap();
    /// probe.register_on_next(4u8);
    /// assert_eq!(probe.expect_none().unwrap_err().message(), "Expected nothing but got element [4]");
    /// ```
    pub fn expect_none(&self) -> TckResult
    where
        T: fmt::Debug,
    {
        match self
            .inner
            .elements
            .next(self.inner.env.no_signals_timeout())
        {
            None => Ok(()),
            Some(Received::Item(item)) => Err(Stop::fail(format!(
                "Expected nothing but got element [{item:?}]"
            ))),
            Some(Received::End) => Err(Stop::fail("Expected nothing but got end-of-stream")),
        }
    }
}

impl<T: PartialEq + fmt::Debug> BlackboxProbe<T> {
    /// Waits (default timeout) for the next registered element, which must
    /// equal `expected`.
    ///
    /// # Errors
    ///
    /// "Subscriber S did not call `register_on_next(x)` within N ms", or
    /// "Subscriber S called `register_on_next(y)` rather than
    /// `register_on_next(x)`".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::BlackboxProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = BlackboxProbe::new(&TestEnvironment::new(), "S");
    /// probe.register_on_next(2u8);
    /// let failure = probe.expect_next(&1).unwrap_err();
    /// assert_eq!(failure.message(), "Subscriber S called `register_on_next(2)` rather than `register_on_next(1)`");
    /// ```
    pub fn expect_next(&self, expected: &T) -> TckResult {
        let timeout = self.inner.env.default_timeout();
        match self.inner.elements.next(timeout) {
            Some(Received::Item(item)) if &item == expected => Ok(()),
            Some(Received::Item(item)) => Err(Stop::fail(format!(
                "Subscriber {} called `register_on_next({item:?})` rather than \
                 `register_on_next({expected:?})`",
                self.inner.subscriber
            ))),
            Some(Received::End) => Err(Stop::fail(format!(
                "Subscriber {} called `register_on_complete()` rather than \
                 `register_on_next({expected:?})`",
                self.inner.subscriber
            ))),
            None => Err(Stop::fail(format!(
                "Subscriber {} did not call `register_on_next({expected:?})` within {} ms",
                self.inner.subscriber,
                millis(timeout)
            ))),
        }
    }
}

/// A [`BlackboxProbe`] plus the [`SubscriberPuppet`] the subscriber hands
/// over: what a whitebox subscriber reports to.
///
/// A whitebox subscriber calls, from its own signals:
///
/// | in | call |
/// |---|---|
/// | `on_subscribe` | [`register_on_subscribe(puppet)`](WhiteboxSubscriberProbe::register_on_subscribe) |
/// | `on_next(item)` | [`register_on_next(item)`](WhiteboxSubscriberProbe::register_on_next) |
/// | `on_error(error)` | [`register_on_error(error)`](WhiteboxSubscriberProbe::register_on_error) |
/// | `on_complete` | [`register_on_complete()`](WhiteboxSubscriberProbe::register_on_complete) |
///
/// Only the first puppet is kept. Cheap to clone; clones share the record.
///
/// # Examples
///
/// A subscriber made testable (see
/// [`SubscriberWhiteboxVerification`](crate::SubscriberWhiteboxVerification)
/// for the whole verification):
///
/// ```
/// use std::sync::Arc;
/// use reactive_streams::{Error, Subscriber, Subscription};
/// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
///
/// struct Logged {
///     probe: WhiteboxSubscriberProbe<u64>,
/// }
///
/// impl Subscriber<u64> for Logged {
///     fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
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
/// ```
pub struct WhiteboxSubscriberProbe<T> {
    probe: BlackboxProbe<T>,
    puppet: Promise<Arc<dyn SubscriberPuppet>>,
}

impl<T> Clone for WhiteboxSubscriberProbe<T> {
    fn clone(&self) -> Self {
        WhiteboxSubscriberProbe {
            probe: self.probe.clone(),
            puppet: self.puppet.clone(),
        }
    }
}

impl<T> fmt::Debug for WhiteboxSubscriberProbe<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhiteboxSubscriberProbe")
            .field("probe", &self.probe)
            .field("puppet_registered", &self.puppet.is_completed())
            .finish()
    }
}

impl<T> WhiteboxSubscriberProbe<T> {
    /// A probe recording into `env`, for the subscriber described by
    /// `subscriber`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "Sub");
    /// assert!(probe.puppet().is_none());
    /// ```
    pub fn new(env: &TestEnvironment, subscriber: impl Into<String>) -> WhiteboxSubscriberProbe<T> {
        WhiteboxSubscriberProbe {
            probe: BlackboxProbe::new(env, subscriber),
            puppet: Promise::new(),
        }
    }

    /// Hands the TCK the puppet through which it makes the subscriber request
    /// and cancel. Call it from `on_subscribe`. Only the first puppet counts.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&env, "Sub");
    /// let subscription: Arc<dyn Subscription> = Arc::new(ProbeSubscription::new(&env));
    /// probe.register_on_subscribe(subscription);
    /// assert!(probe.puppet().is_some());
    /// ```
    pub fn register_on_subscribe(&self, puppet: impl SubscriberPuppet + 'static) {
        // Only the first registered puppet is kept, as in the JVM TCK.
        let _ = self.puppet.complete(Arc::new(puppet));
    }

    /// Records an `on_next(element)`; see [`BlackboxProbe::register_on_next`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::new(&TestEnvironment::new(), "Sub");
    /// probe.register_on_next(5u8);
    /// probe.blackbox().expect_next(&5).unwrap();
    /// ```
    pub fn register_on_next(&self, element: T) {
        self.probe.register_on_next(element);
    }

    /// Records an `on_complete`; see [`BlackboxProbe::register_on_complete`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "Sub");
    /// probe.register_on_complete();
    /// probe.blackbox().expect_completion().unwrap();
    /// ```
    pub fn register_on_complete(&self) {
        self.probe.register_on_complete();
    }

    /// Records an `on_error`; see [`BlackboxProbe::register_on_error`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "Sub");
    /// probe.register_on_error(Error::new("x"));
    /// assert_eq!(probe.blackbox().expect_any_error().unwrap().to_string(), "x");
    /// ```
    pub fn register_on_error(&self, error: Error) {
        self.probe.register_on_error(error);
    }

    /// The registered puppet, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "S").puppet().is_none());
    /// ```
    pub fn puppet(&self) -> Option<Arc<dyn SubscriberPuppet>> {
        self.puppet.value()
    }

    /// Waits up to `timeout` for the puppet.
    ///
    /// # Errors
    ///
    /// "Subscriber S did not `register_on_subscribe` within N ms".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "Forgetful");
    /// let failure = probe.expect_puppet(Duration::from_millis(2)).unwrap_err();
    /// assert_eq!(failure.message(), "Subscriber Forgetful did not `register_on_subscribe` within 2 ms");
    /// ```
    pub fn expect_puppet(&self, timeout: Duration) -> TckResult<Arc<dyn SubscriberPuppet>> {
        self.puppet.expect_completion(
            timeout,
            &format!(
                "Subscriber {} did not `register_on_subscribe`",
                self.probe.subscriber()
            ),
        )
    }

    /// The record of signals, with the test-side expectations
    /// ([`expect_next`](BlackboxProbe::expect_next) and the others).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::probe::WhiteboxSubscriberProbe;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = WhiteboxSubscriberProbe::<u8>::new(&TestEnvironment::new(), "S");
    /// assert_eq!(probe.blackbox().subscriber(), "S");
    /// ```
    pub fn blackbox(&self) -> &BlackboxProbe<T> {
        &self.probe
    }
}

/// Wraps a blackbox subscriber: records each `on_next`, `on_error` and
/// `on_complete` in a [`BlackboxProbe`], then forwards it (the JVM TCK's
/// `BlackboxSubscriberProxy`).
///
/// The subscriber sits behind an `Arc<Mutex<_>>` shared with the test, so
/// that the test can reach it while the proxy is subscribed (for the
/// verification's `trigger_request` hook).
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use reactive_streams::{source, Publisher};
/// use reactive_streams_tck::probe::BlackboxSubscriberProxy;
/// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
///
/// let env = TestEnvironment::new();
/// let subscriber = ManualSubscriber::new(&env);
/// let shared = Arc::new(Mutex::new(subscriber.clone()));
/// let proxy = BlackboxSubscriberProxy::new(&env, "ManualSubscriber", shared);
/// let probe = proxy.probe().clone();
/// source::just(7u32).subscribe(proxy);
/// subscriber.request(1);
/// probe.expect_next(&7).unwrap();
/// probe.expect_completion().unwrap();
/// assert_eq!(subscriber.next_element().unwrap(), 7);
/// ```
pub struct BlackboxSubscriberProxy<T, S> {
    probe: BlackboxProbe<T>,
    subscriber: Arc<Mutex<S>>,
}

impl<T, S> fmt::Debug for BlackboxSubscriberProxy<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlackboxSubscriberProxy")
            .field("probe", &self.probe)
            .finish_non_exhaustive()
    }
}

impl<T, S> BlackboxSubscriberProxy<T, S> {
    /// A proxy recording into a new probe (with room for
    /// [`PROXY_CAPACITY`] unread items) and forwarding to `subscriber`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams_tck::probe::BlackboxSubscriberProxy;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let proxy = BlackboxSubscriberProxy::<u8, _>::new(&TestEnvironment::new(), "S", Arc::new(Mutex::new(())));
    /// assert_eq!(proxy.probe().subscriber(), "S");
    /// ```
    pub fn new(
        env: &TestEnvironment,
        description: impl Into<String>,
        subscriber: Arc<Mutex<S>>,
    ) -> BlackboxSubscriberProxy<T, S> {
        BlackboxSubscriberProxy {
            probe: BlackboxProbe::with_capacity(env, description, PROXY_CAPACITY),
            subscriber,
        }
    }

    /// The probe it records into.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams_tck::probe::BlackboxSubscriberProxy;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let proxy = BlackboxSubscriberProxy::<u8, _>::new(&TestEnvironment::new(), "S", Arc::new(Mutex::new(())));
    /// proxy.probe().expect_none().unwrap();
    /// ```
    pub fn probe(&self) -> &BlackboxProbe<T> {
        &self.probe
    }
}

/// How many unread items a [`BlackboxSubscriberProxy`]'s probe keeps: more
/// than the 512 the blackbox §2.1 test sends at most.
pub const PROXY_CAPACITY: usize = 1024;

impl<T, S> Subscriber<T> for BlackboxSubscriberProxy<T, S>
where
    T: Clone + Send,
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        lock(&self.subscriber).on_subscribe(subscription);
    }

    fn on_next(&mut self, item: T) {
        self.probe.register_on_next(item.clone());
        lock(&self.subscriber).on_next(item);
    }

    fn on_error(&mut self, error: Error) {
        self.probe.register_on_error(error.clone());
        lock(&self.subscriber).on_error(error);
    }

    fn on_complete(&mut self) {
        self.probe.register_on_complete();
        lock(&self.subscriber).on_complete();
    }
}
