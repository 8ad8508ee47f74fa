//! `ManualPublisher`: a publisher the test drives by hand, for verifying
//! subscribers and processors.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::{BoxSubscriber, Error, Publisher, Subscriber, Subscription};

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{signal_marker, ProbeSubscription, Promise, Signal};
use crate::sync::lock;

/// A publisher for one subscriber that emits only what the test tells it to
/// ([`send_next`](ManualPublisher::send_next),
/// [`send_completion`](ManualPublisher::send_completion),
/// [`send_error`](ManualPublisher::send_error)) and records what the
/// subscriber does with its subscription
/// ([`expect_request`](ManualPublisher::expect_request),
/// [`expect_cancelling`](ManualPublisher::expect_cancelling)).
///
/// It does not enforce demand on `send_next`: a test that must respect
/// demand waits for the request first. Its subscription is a
/// [`ProbeSubscription`], which checks §2.3: a `request` or `cancel` made from
/// inside an `on_complete` or `on_error` this publisher sends is recorded as
/// a violation (see [`signal_marker`]).
///
/// A cheap handle: clones drive the same publisher.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::ManualPublisher;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let upstream = ManualPublisher::new(&env);
/// let sub = env.new_manual_subscriber(&upstream).unwrap();
/// sub.request(2);
/// assert_eq!(upstream.expect_request().unwrap(), 2);
/// upstream.send_next(10u32);
/// assert_eq!(sub.next_element().unwrap(), 10);
/// sub.cancel();
/// upstream.expect_cancelling().unwrap();
/// ```
pub struct ManualPublisher<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    env: TestEnvironment,
    /// The subscriber; the lock is held during each signal, so the signals
    /// this publisher sends never overlap (§1.3).
    subscriber: Mutex<Option<BoxSubscriber<T>>>,
    subscribed: Promise<()>,
    subscription: ProbeSubscription,
    /// The signal that took longest to return, and how long (§2.2).
    slowest: Mutex<Option<(Signal, Duration)>>,
}

impl<T> Clone for ManualPublisher<T> {
    fn clone(&self) -> Self {
        ManualPublisher {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for ManualPublisher<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualPublisher")
            .field("subscribed", &self.inner.subscribed.is_completed())
            .field("subscription", &self.inner.subscription)
            .finish()
    }
}

impl<T: Send + 'static> ManualPublisher<T> {
    /// A publisher with no subscriber yet, recording into `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let upstream = ManualPublisher::<u8>::new(&TestEnvironment::new());
    /// assert!(!upstream.has_subscriber());
    /// ```
    pub fn new(env: &TestEnvironment) -> ManualPublisher<T> {
        ManualPublisher {
            inner: Arc::new(Inner {
                env: env.clone(),
                subscriber: Mutex::new(None),
                subscribed: Promise::new(),
                subscription: ProbeSubscription::new(env),
                slowest: Mutex::new(None),
            }),
        }
    }

    /// The signal of this publisher's that took longest to return, and how
    /// long: how much a subscriber blocks the thread that signals it (§2.2).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// upstream.send_completion();
    /// let (_signal, took) = upstream.slowest_signal().unwrap();
    /// assert!(took < std::time::Duration::from_secs(60));
    /// ```
    pub fn slowest_signal(&self) -> Option<(Signal, Duration)> {
        *lock(&self.inner.slowest)
    }

    /// Notes that `signal` took `took` to return.
    fn timed(&self, signal: Signal, took: Duration) {
        let mut slowest = lock(&self.inner.slowest);
        if !matches!(*slowest, Some((_, longest)) if longest >= took) {
            *slowest = Some((signal, took));
        }
    }

    /// Whether a subscriber subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Publisher;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// upstream.subscribe(ManualSubscriber::new(&env));
    /// assert!(upstream.has_subscriber());
    /// ```
    pub fn has_subscriber(&self) -> bool {
        self.inner.subscribed.is_completed()
    }

    /// Waits up to `timeout` for a subscriber.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let upstream = ManualPublisher::<u8>::new(&TestEnvironment::new());
    /// assert!(upstream.expect_subscriber(Duration::from_millis(1)).is_err());
    /// ```
    pub fn expect_subscriber(&self, timeout: Duration) -> TckResult {
        self.inner
            .subscribed
            .expect_completion(timeout, "Did not receive a subscriber")
    }

    /// Calls `f` with the subscriber (holding the signal lock), marking the
    /// thread as inside `signal` (§2.3). Records `missing` if there is no
    /// subscriber.
    fn signal(&self, signal: Signal, missing: &str, f: impl FnOnce(&mut BoxSubscriber<T>)) {
        let mut slot = lock(&self.inner.subscriber);
        match slot.as_mut() {
            Some(subscriber) => {
                let start = Instant::now();
                signal_marker::within(signal, || f(subscriber));
                self.timed(signal, start.elapsed());
            }
            None => self.inner.env.flop(missing),
        }
    }

    /// Sends `on_next(item)`, whatever the demand.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// sub.request(1);
    /// upstream.send_next('a');
    /// assert_eq!(sub.next_element().unwrap(), 'a');
    /// ```
    pub fn send_next(&self, item: T) {
        self.signal(
            Signal::OnNext,
            "Cannot sendNext before having a Subscriber",
            |s| s.on_next(item),
        );
    }

    /// Sends `on_complete`, marked for the §2.3 check.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// upstream.send_completion();
    /// sub.expect_completion().unwrap();
    /// ```
    pub fn send_completion(&self) {
        self.signal(
            Signal::OnComplete,
            "Cannot sendCompletion before having a Subscriber",
            |s| s.on_complete(),
        );
    }

    /// Sends `on_error(error)`, marked for the §2.3 check.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// let boom = Error::new("Boom!");
    /// upstream.send_error(boom.clone());
    /// let got = sub.expect_error(|e| e.ptr_eq(&boom), "the error sent").unwrap();
    /// assert!(got.ptr_eq(&boom));
    /// ```
    pub fn send_error(&self, error: Error) {
        self.signal(
            Signal::OnError,
            "Cannot sendError before having a Subscriber",
            |s| s.on_error(error),
        );
    }

    /// Sends another `on_subscribe` with `subscription` (a subscriber must
    /// cancel it, §2.5).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams_tck::support::{ManualPublisher, ProbeSubscription};
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// let second = ProbeSubscription::new(&env);
    /// upstream.send_subscribe(Arc::new(second.clone()));
    /// second.expect_cancelling(env.default_timeout()).unwrap();
    /// ```
    pub fn send_subscribe(&self, subscription: Arc<dyn Subscription>) {
        self.signal(
            Signal::OnSubscribe,
            "Cannot sendSubscribe before having a Subscriber",
            |s| s.on_subscribe(subscription),
        );
    }

    /// Drops the subscriber, as a publisher does once the stream is over.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// assert!(upstream.detach());
    /// assert!(!upstream.detach());
    /// ```
    pub fn detach(&self) -> bool {
        lock(&self.inner.subscriber).take().is_some()
    }

    /// Waits (default timeout) for the next `request(n)` and returns `n`,
    /// adding it to [`pending_demand`](ManualPublisher::pending_demand).
    ///
    /// # Errors
    ///
    /// "Did not receive expected `request` call within N ms", or "Requests
    /// cannot be zero or negative but received request(0)" (§3.9).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// sub.request(3);
    /// sub.request(4);
    /// assert_eq!(upstream.expect_request().unwrap(), 3);
    /// assert_eq!(upstream.expect_request().unwrap(), 4);
    /// assert_eq!(upstream.pending_demand(), 7);
    /// ```
    pub fn expect_request(&self) -> TckResult<u64> {
        self.inner
            .subscription
            .expect_request(self.inner.env.default_timeout())
    }

    /// Like [`expect_request`](ManualPublisher::expect_request) with a
    /// `timeout`, and `addendum` appended to the timeout message (a hint for
    /// the implementer).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// let failure = upstream
    ///     .expect_request_with(Duration::from_millis(1), "Is demand coordinated?")
    ///     .unwrap_err();
    /// assert!(failure.message().ends_with("Is demand coordinated?"));
    /// ```
    pub fn expect_request_with(&self, timeout: Duration, addendum: &str) -> TckResult<u64> {
        self.inner
            .subscription
            .expect_request_with(timeout, addendum)
    }

    /// The next `request` must be `request(expected)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// sub.request(2);
    /// assert!(upstream.expect_exact_request(1).is_err());
    /// ```
    pub fn expect_exact_request(&self, expected: u64) -> TckResult {
        let n = self.expect_request()?;
        if n == expected {
            Ok(())
        } else {
            Err(Stop::fail(format!(
                "Received `request({n})` on upstream but expected `request({expected})`"
            )))
        }
    }

    /// No `request` may arrive within the no-signals timeout (the JVM TCK
    /// waits its default timeout here).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_no_signals_timeout(Duration::from_millis(5));
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// upstream.expect_no_request().unwrap();
    /// ```
    pub fn expect_no_request(&self) -> TckResult {
        self.inner
            .subscription
            .expect_no_request(self.inner.env.no_signals_timeout())
    }

    /// Waits (default timeout) for the subscription to be cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_default_timeout(Duration::from_millis(5));
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let _sub = env.new_manual_subscriber(&upstream).unwrap();
    /// let failure = upstream.expect_cancelling().unwrap_err();
    /// assert!(failure.message().starts_with("Did not receive expected cancelling"));
    /// ```
    pub fn expect_cancelling(&self) -> TckResult {
        self.inner
            .subscription
            .expect_cancelling(self.inner.env.default_timeout())
    }

    /// Whether the subscription was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// sub.cancel();
    /// assert!(upstream.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.inner.subscription.is_cancelled()
    }

    /// The sum of the requests read by
    /// [`expect_request`](ManualPublisher::expect_request), less what
    /// [`consume_demand`](ManualPublisher::consume_demand) took.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert_eq!(ManualPublisher::<u8>::new(&TestEnvironment::new()).pending_demand(), 0);
    /// ```
    pub fn pending_demand(&self) -> u64 {
        self.inner.subscription.pending_demand()
    }

    /// Lowers [`pending_demand`](ManualPublisher::pending_demand) by `n`
    /// (floored at 0): for tests that count the items they sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let upstream = ManualPublisher::<u8>::new(&env);
    /// let sub = env.new_manual_subscriber(&upstream).unwrap();
    /// sub.request(2);
    /// upstream.expect_request().unwrap();
    /// upstream.consume_demand(1);
    /// assert_eq!(upstream.pending_demand(), 1);
    /// ```
    pub fn consume_demand(&self, n: u64) {
        self.inner.subscription.consume_demand(n)
    }

    /// The subscription this publisher hands its subscriber.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ManualPublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let upstream = ManualPublisher::<u8>::new(&TestEnvironment::new());
    /// assert!(!upstream.subscription().is_cancelled());
    /// ```
    pub fn subscription(&self) -> &ProbeSubscription {
        &self.inner.subscription
    }
}

impl<T: Send + 'static> Publisher for ManualPublisher<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        if self.inner.subscribed.complete(()).is_err() {
            self.inner
                .env
                .flop("ManualPublisher doesn't support more than one Subscriber");
            return;
        }
        let subscription: Arc<dyn Subscription> = Arc::new(self.inner.subscription.clone());
        let mut slot = lock(&self.inner.subscriber);
        let subscriber = slot.insert(Box::new(subscriber));
        let start = Instant::now();
        signal_marker::within(Signal::OnSubscribe, || {
            subscriber.on_subscribe(subscription)
        });
        drop(slot);
        self.timed(Signal::OnSubscribe, start.elapsed());
    }
}
