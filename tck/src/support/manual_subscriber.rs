//! `ManualSubscriber`: the TCK's own subscriber, driven step by step by a
//! test (request, then wait for what arrives).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::{Error, Subscriber, Subscription};

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{AddError, Promise, Received, Receptacle, RunawayGuard};
use crate::sync::{deadline, lock, millis};

/// A hook run inside `on_subscribe`, after the subscription is stored.
type SubscribeHook<T> = Arc<dyn Fn(&ManualSubscriber<T>) + Send + Sync>;
/// A hook run inside `on_next`, after the item is recorded, with its number
/// (1 for the first item).
type NextHook<T> = Arc<dyn Fn(&ManualSubscriber<T>, u64) + Send + Sync>;
/// Checks the item with number `index` (from 0) against a declared sequence;
/// `Some(message)` on a mismatch.
pub(crate) type SequenceCheck<T> = Arc<dyn Fn(u64, &T) -> Option<String> + Send + Sync>;

/// The check of a sequence declared item by item (`None`: not declared
/// there); `None` if no item is declared at all.
pub(crate) fn declared_sequence<T>(declared: Vec<Option<T>>) -> Option<SequenceCheck<T>>
where
    T: PartialEq + fmt::Debug + Send + 'static,
{
    if declared.iter().all(Option::is_none) {
        return None;
    }
    let declared = Mutex::new(declared);
    Some(Arc::new(move |index, item: &T| {
        let declared = lock(&declared);
        let expected = declared.get(usize::try_from(index).ok()?)?.as_ref()?;
        (expected != item).then(|| sequence_mismatch(index, item, expected))
    }))
}

/// A subscriber the test drives by hand: it requests through the handle and
/// waits for what arrives ([`next_element`](ManualSubscriber::next_element),
/// [`expect_completion`](ManualSubscriber::expect_completion),
/// [`expect_none`](ManualSubscriber::expect_none), ...).
///
/// This is the JVM TCK's `ManualSubscriberWithSubscriptionSupport`; with
/// [`blackhole`](ManualSubscriber::blackhole) it is its
/// `BlackholeSubscriberWithSubscriptionSupport`. It is a cheap handle: pass a
/// clone to `subscribe` and keep one to drive the test.
///
/// Items go into a [`Receptacle`] of 32. While receiving, it records in the
/// [`TestEnvironment`] (as [violations](crate::AsyncError::Violation)):
///
/// - any signal before `on_subscribe`, and a second `on_subscribe` (which it
///   cancels, §2.5);
/// - an `on_next` beyond the demand requested through this handle (§1.1);
/// - anything after `on_complete` or `on_error` (§1.7);
/// - a full receptacle ("Received more than bufferSize (32) onNext signals"):
///   it then cancels the subscription. The JVM TCK throws into the
///   publisher's `on_next` here; this one does not, unless the publisher
///   ignores the cancel too and sends [`IGNORED_CANCEL_LIMIT`](crate::support::IGNORED_CANCEL_LIMIT) more items:
///   then it panics out of `on_next`, because the alternative is a test that
///   never ends (a synchronous publisher looping on the test's thread). The
///   same holds after any [`cancel`](ManualSubscriber::cancel) through the
///   handle, and once the test is over ([`TestEnvironment::is_over`]): it
///   then cancels first;
/// - with [`with_sequence`](ManualSubscriber::with_sequence), an item that
///   is not the declared one at its place (lost, repeated or out of order).
///
/// Hooks ([`with_on_subscribe`](ManualSubscriber::with_on_subscribe),
/// [`with_on_next`](ManualSubscriber::with_on_next)) let a test request or
/// cancel from inside the signals, re-entrantly, through the handle (so that
/// the demand is counted).
///
/// An `on_error` is recorded as an [`AsyncError::Error`](crate::AsyncError::Error),
/// which [`expect_error`](ManualSubscriber::expect_error) takes.
///
/// # Examples
///
/// ```
/// use reactive_streams::source;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let sub = env.new_manual_subscriber(&source::range(0..3u32)).unwrap();
/// sub.expect_none().unwrap();
/// sub.request(2);
/// assert_eq!(sub.next_elements(2).unwrap(), vec![0, 1]);
/// assert_eq!(sub.request_next_element().unwrap(), 2);
/// sub.request_end_of_stream().unwrap();
/// env.verify_no_async_errors_no_delay().unwrap();
/// ```
pub struct ManualSubscriber<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    env: TestEnvironment,
    subscription: Promise<Arc<dyn Subscription>>,
    received: Receptacle<T>,
    keep_items: bool,
    counters: Mutex<Counters>,
    guard: RunawayGuard,
    hooks: Mutex<Hooks<T>>,
}

struct Hooks<T> {
    on_subscribe: Option<SubscribeHook<T>>,
    on_next: Option<NextHook<T>>,
    sequence: Option<SequenceCheck<T>>,
}

impl<T> Default for Hooks<T> {
    fn default() -> Self {
        Hooks {
            on_subscribe: None,
            on_next: None,
            sequence: None,
        }
    }
}

#[derive(Default)]
struct Counters {
    /// Total requested through the handle, saturating.
    requested: u64,
    /// `on_next` calls seen.
    delivered: u64,
    over_demand_reported: bool,
    sequence_reported: bool,
    after_error_reported: bool,
    errored: bool,
    overflowed: bool,
}

impl<T> Clone for ManualSubscriber<T> {
    fn clone(&self) -> Self {
        ManualSubscriber {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for ManualSubscriber<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = lock(&self.inner.counters);
        f.debug_struct("ManualSubscriber")
            .field("subscribed", &self.inner.subscription.is_completed())
            .field("requested", &c.requested)
            .field("delivered", &c.delivered)
            .field("received", &self.inner.received)
            .finish()
    }
}

impl<T> ManualSubscriber<T> {
    /// A subscriber that keeps what it receives, recording into `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let sub = ManualSubscriber::<u8>::new(&TestEnvironment::new());
    /// assert!(!sub.is_subscribed());
    /// ```
    pub fn new(env: &TestEnvironment) -> ManualSubscriber<T> {
        ManualSubscriber::build(env, true)
    }

    /// A subscriber that counts items and drops them (for streams too long to
    /// keep); the `next_element` family fails on it.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let sub = ManualSubscriber::blackhole(&env);
    /// env.subscribe(&source::range(0..100u32), sub.clone()).unwrap();
    /// sub.request(100);
    /// assert_eq!(sub.delivered(), 100);
    /// assert!(sub.next_element().is_err());
    /// ```
    pub fn blackhole(env: &TestEnvironment) -> ManualSubscriber<T> {
        ManualSubscriber::build(env, false)
    }

    fn build(env: &TestEnvironment, keep_items: bool) -> ManualSubscriber<T> {
        ManualSubscriber {
            inner: Arc::new(Inner {
                env: env.clone(),
                subscription: Promise::new(),
                received: Receptacle::new(),
                keep_items,
                counters: Mutex::default(),
                guard: RunawayGuard::default(),
                hooks: Mutex::default(),
            }),
        }
    }

    /// Runs `hook` inside `on_subscribe`, once the subscription is stored:
    /// requests made there through the handle count as demand (§3.2).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let sub = ManualSubscriber::new(&env).with_on_subscribe(|sub| sub.request(2));
    /// env.subscribe(&source::range(0..5u8), sub.clone()).unwrap();
    /// assert_eq!(sub.next_elements(2).unwrap(), vec![0, 1]);
    /// assert_eq!(sub.requested(), 2);
    /// ```
    pub fn with_on_subscribe(
        self,
        hook: impl Fn(&ManualSubscriber<T>) + Send + Sync + 'static,
    ) -> ManualSubscriber<T> {
        lock(&self.inner.hooks).on_subscribe = Some(Arc::new(hook));
        self
    }

    /// Runs `hook` inside every `on_next`, after the item is recorded, with
    /// the item's number (1 for the first): a test's re-entrant requests and
    /// cancels, made through the handle so that the demand is counted.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// // One more after the first item only: 2 in all.
    /// let sub = ManualSubscriber::new(&env).with_on_next(|sub, n| {
    ///     if n == 1 {
    ///         sub.request(1);
    ///     }
    /// });
    /// env.subscribe(&source::range(0..5u8), sub.clone()).unwrap();
    /// sub.request(1);
    /// assert_eq!(sub.next_elements(2).unwrap(), vec![0, 1]);
    /// sub.expect_none().unwrap();
    /// ```
    pub fn with_on_next(
        self,
        hook: impl Fn(&ManualSubscriber<T>, u64) + Send + Sync + 'static,
    ) -> ManualSubscriber<T> {
        lock(&self.inner.hooks).on_next = Some(Arc::new(hook));
        self
    }

    /// Checks every item against a declared sequence: item number `i` (from
    /// 0) must be `expected(i)`; a mismatch (an item lost, repeated or out of
    /// order) is recorded as a violation, once. `expected` returning `None`
    /// means "anything goes here".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let sub = ManualSubscriber::new(&env).with_sequence(|i| Some(i as u8 + 1));
    /// env.subscribe(&source::range(0..3u8), sub.clone()).unwrap();
    /// sub.request(1);
    /// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
    /// assert!(failure.message().contains("onNext #1 was 0, but the declared sequence has 1 there"));
    /// ```
    pub fn with_sequence(
        self,
        expected: impl Fn(u64) -> Option<T> + Send + Sync + 'static,
    ) -> ManualSubscriber<T>
    where
        T: PartialEq + fmt::Debug,
    {
        self.with_sequence_check(Some(Arc::new(move |index, item: &T| {
            let declared = expected(index)?;
            (&declared != item).then(|| sequence_mismatch(index, item, &declared))
        })))
    }

    /// Checks every item with `check`, if any.
    pub(crate) fn with_sequence_check(
        self,
        check: Option<SequenceCheck<T>>,
    ) -> ManualSubscriber<T> {
        lock(&self.inner.hooks).sequence = check;
        self
    }

    /// The environment it records into.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let sub = ManualSubscriber::<u8>::new(&env);
    /// assert_eq!(sub.env().default_timeout(), env.default_timeout());
    /// ```
    pub fn env(&self) -> &TestEnvironment {
        &self.inner.env
    }

    /// Whether `on_subscribe` arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher};
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let sub = ManualSubscriber::<u8>::new(&TestEnvironment::new());
    /// source::empty().subscribe(sub.clone());
    /// assert!(sub.is_subscribed());
    /// ```
    pub fn is_subscribed(&self) -> bool {
        self.inner.subscription.is_completed()
    }

    /// The subscription, once `on_subscribe` arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// assert!(ManualSubscriber::<u8>::new(&TestEnvironment::new()).subscription().is_none());
    /// ```
    pub fn subscription(&self) -> Option<Arc<dyn Subscription>> {
        self.inner.subscription.value()
    }

    /// Waits up to `timeout` for `on_subscribe`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let sub = ManualSubscriber::<u8>::new(&TestEnvironment::new());
    /// let failure = sub.expect_subscription(Duration::from_millis(1)).err().unwrap();
    /// assert!(failure.message().starts_with("Did not receive onSubscribe"));
    /// ```
    pub fn expect_subscription(&self, timeout: Duration) -> TckResult<Arc<dyn Subscription>> {
        self.inner.subscription.expect_completion(
            timeout,
            "Did not receive onSubscribe (§1.9: subscribe must call onSubscribe)",
        )
    }

    /// Requests `n` through the subscription, counting it as demand (the
    /// §1.1 check). Records a failure if there is no subscription yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..9u8)).unwrap();
    /// sub.request(4);
    /// assert_eq!(sub.requested(), 4);
    /// ```
    pub fn request(&self, n: u64) {
        let Some(subscription) = self.subscription() else {
            self.inner
                .env
                .flop("Cannot request before having received a subscription");
            return;
        };
        {
            let mut c = lock(&self.inner.counters);
            c.requested = c.requested.saturating_add(n);
        }
        // No lock is held here: a synchronous publisher signals inside.
        subscription.request(n);
    }

    /// Cancels the subscription (keeping it, so that a test can go on calling
    /// it, §3.6). Records a failure if there is no subscription yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..9u8)).unwrap();
    /// sub.cancel();
    /// sub.request(1);
    /// sub.expect_none().unwrap();
    /// ```
    pub fn cancel(&self) {
        match self.subscription() {
            Some(subscription) => {
                subscription.cancel();
                self.inner.guard.cancelled();
            }
            None => self
                .inner
                .env
                .flop("Cannot cancel a subscription before having received it"),
        }
    }

    /// Total demand requested through this handle (saturating).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// assert_eq!(ManualSubscriber::<u8>::new(&TestEnvironment::new()).requested(), 0);
    /// ```
    pub fn requested(&self) -> u64 {
        lock(&self.inner.counters).requested
    }

    /// How many `on_next` arrived so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// assert_eq!(ManualSubscriber::<u8>::new(&TestEnvironment::new()).delivered(), 0);
    /// ```
    pub fn delivered(&self) -> u64 {
        lock(&self.inner.counters).delivered
    }

    /// The receptacle items and completion go into.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::support::Received;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::just(1u8)).unwrap();
    /// sub.request(1);
    /// assert_eq!(sub.received().drain(), vec![Received::Item(1), Received::End]);
    /// ```
    pub fn received(&self) -> &Receptacle<T> {
        &self.inner.received
    }

    fn blackhole_guard(&self) -> TckResult {
        if self.inner.keep_items {
            Ok(())
        } else {
            Err(Stop::fail(
                "Can not expect elements from a blackhole subscriber; use ManualSubscriber::new",
            ))
        }
    }
}

impl<T: fmt::Debug> ManualSubscriber<T> {
    /// The next item, within the default timeout.
    ///
    /// # Errors
    ///
    /// "Did not receive expected element within N ms", or "Expected element
    /// but got end-of-stream".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::just(5u8)).unwrap();
    /// sub.request(1);
    /// assert_eq!(sub.next_element().unwrap(), 5);
    /// ```
    pub fn next_element(&self) -> TckResult<T> {
        self.next_element_with(
            self.inner.env.default_timeout(),
            "Did not receive expected element",
        )
    }

    /// The next item within `timeout`; `message` opens the failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::just(5u8)).unwrap();
    /// let failure = sub.next_element_with(Duration::from_millis(1), "No element").unwrap_err();
    /// assert_eq!(failure.message(), "No element within 1 ms");
    /// ```
    pub fn next_element_with(&self, timeout: Duration, message: &str) -> TckResult<T> {
        self.blackhole_guard()?;
        match self.inner.received.next(timeout) {
            Some(Received::Item(item)) => Ok(item),
            Some(Received::End) => Err(Stop::fail(format!(
                "{message}: expected element but got end-of-stream"
            ))),
            None => Err(Stop::fail(format!(
                "{message} within {} ms",
                millis(timeout)
            ))),
        }
    }

    /// The next `n` items, all within one default timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..3u8)).unwrap();
    /// sub.request(3);
    /// assert_eq!(sub.next_elements(3).unwrap(), vec![0, 1, 2]);
    /// ```
    pub fn next_elements(&self, n: usize) -> TckResult<Vec<T>> {
        self.next_elements_with(
            n,
            self.inner.env.default_timeout(),
            "Did not receive expected element or completion",
        )
    }

    /// The next `n` items, all within `timeout`; `message` opens the failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..3u8)).unwrap();
    /// sub.request(3);
    /// let failure = sub.next_elements_with(4, Duration::from_millis(10), "Too few").unwrap_err();
    /// assert!(failure.message().contains("Too few"));
    /// ```
    pub fn next_elements_with(
        &self,
        n: usize,
        timeout: Duration,
        message: &str,
    ) -> TckResult<Vec<T>> {
        self.blackhole_guard()?;
        let end = deadline(timeout);
        let mut items = Vec::with_capacity(n);
        while items.len() < n {
            match self.inner.received.next_before(end) {
                Some(Received::Item(item)) => items.push(item),
                Some(Received::End) => {
                    return Err(Stop::fail(format!(
                        "{message}: expected {n} elements but got end-of-stream after {}",
                        items.len()
                    )))
                }
                None => {
                    return Err(Stop::fail(format!(
                        "{message} within {} ms: expected {n} elements, got {}",
                        millis(timeout),
                        items.len()
                    )))
                }
            }
        }
        Ok(items)
    }

    /// The next item, or `None` for the end of the stream, within the default
    /// timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::just(1u8)).unwrap();
    /// sub.request(2);
    /// assert_eq!(sub.next_element_or_end_of_stream().unwrap(), Some(1));
    /// assert_eq!(sub.next_element_or_end_of_stream().unwrap(), None);
    /// ```
    pub fn next_element_or_end_of_stream(&self) -> TckResult<Option<T>> {
        self.next_element_or_end_of_stream_with(
            self.inner.env.default_timeout(),
            "Did not receive expected stream completion",
        )
    }

    /// The next item or `None` for the end, within `timeout`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::never::<u8>()).unwrap();
    /// sub.request(1);
    /// let failure = sub
    ///     .next_element_or_end_of_stream_with(Duration::from_millis(1), "Nothing")
    ///     .unwrap_err();
    /// assert_eq!(failure.message(), "Nothing within 1 ms");
    /// ```
    pub fn next_element_or_end_of_stream_with(
        &self,
        timeout: Duration,
        message: &str,
    ) -> TckResult<Option<T>> {
        self.blackhole_guard()?;
        match self.inner.received.next(timeout) {
            Some(received) => Ok(received.into_item()),
            None => Err(Stop::fail(format!(
                "{message} within {} ms",
                millis(timeout)
            ))),
        }
    }

    /// `request(1)`, then [`next_element`](ManualSubscriber::next_element).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(4..6u8)).unwrap();
    /// assert_eq!(sub.request_next_element().unwrap(), 4);
    /// ```
    pub fn request_next_element(&self) -> TckResult<T> {
        self.request(1);
        self.next_element()
    }

    /// `request(1)`, then
    /// [`next_element_or_end_of_stream`](ManualSubscriber::next_element_or_end_of_stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::empty::<u8>()).unwrap();
    /// assert_eq!(sub.request_next_element_or_end_of_stream().unwrap(), None);
    /// ```
    pub fn request_next_element_or_end_of_stream(&self) -> TckResult<Option<T>> {
        self.request(1);
        self.next_element_or_end_of_stream()
    }

    /// `request(n)`, then [`next_elements`](ManualSubscriber::next_elements).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..5u8)).unwrap();
    /// assert_eq!(sub.request_next_elements(2).unwrap(), vec![0, 1]);
    /// ```
    pub fn request_next_elements(&self, n: usize) -> TckResult<Vec<T>> {
        self.request(n as u64);
        self.next_elements(n)
    }

    /// `request(1)`, then [`expect_completion`](ManualSubscriber::expect_completion).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::just(1u8)).unwrap();
    /// assert_eq!(sub.request_next_element().unwrap(), 1);
    /// sub.request_end_of_stream().unwrap();
    /// ```
    pub fn request_end_of_stream(&self) -> TckResult {
        self.request(1);
        self.expect_completion()
    }

    /// The next entry must be the end of the stream, within the default
    /// timeout.
    ///
    /// # Errors
    ///
    /// "Expected end-of-stream but got element \[x\]", or "Did not receive
    /// expected stream completion within N ms".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(3..5u8)).unwrap();
    /// sub.request(1);
    /// let failure = sub.expect_completion().unwrap_err();
    /// assert_eq!(failure.message(), "Expected end-of-stream but got element [3]");
    /// ```
    pub fn expect_completion(&self) -> TckResult {
        self.expect_completion_with(
            self.inner.env.default_timeout(),
            "Did not receive expected stream completion",
        )
    }

    /// The next entry must be the end of the stream, within `timeout`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::never::<u8>()).unwrap();
    /// let failure = sub.expect_completion_with(Duration::from_millis(1), "No end").unwrap_err();
    /// assert_eq!(failure.message(), "No end within 1 ms");
    /// ```
    pub fn expect_completion_with(&self, timeout: Duration, message: &str) -> TckResult {
        match self.inner.received.next(timeout) {
            Some(Received::End) => Ok(()),
            Some(Received::Item(item)) => Err(Stop::fail(format!(
                "Expected end-of-stream but got element [{item:?}]"
            ))),
            None => Err(Stop::fail(format!(
                "{message} within {} ms",
                millis(timeout)
            ))),
        }
    }

    /// Waits the no-signals timeout; fails if an item or the end arrives.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_no_signals_timeout(Duration::from_millis(10));
    /// let sub = env.new_manual_subscriber(&source::range(0..3u8)).unwrap();
    /// sub.expect_none().unwrap();
    /// ```
    pub fn expect_none(&self) -> TckResult {
        self.expect_none_with(
            self.inner.env.no_signals_timeout(),
            "Did not expect an element but got element",
        )
    }

    /// Waits `within`; fails with "`{prefix}` \[x\]" if an item arrives, or
    /// "Expected no element but got end-of-stream".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(7..9u8)).unwrap();
    /// sub.request(1);
    /// let failure = sub.expect_none_with(Duration::from_millis(1), "Unrequested:").unwrap_err();
    /// assert_eq!(failure.message(), "Unrequested: [7]");
    /// ```
    pub fn expect_none_with(&self, within: Duration, prefix: &str) -> TckResult {
        match self.inner.received.next(within) {
            None => Ok(()),
            Some(Received::Item(item)) => Err(Stop::fail(format!("{prefix} [{item:?}]"))),
            Some(Received::End) => Err(Stop::fail("Expected no element but got end-of-stream")),
        }
    }

    /// Waits (default timeout) for an `on_error` whose error satisfies
    /// `matches`; `expected` describes it in the failure ("Expected onError
    /// within N ms; expected ...").
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Rule};
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..10u8)).unwrap();
    /// sub.request(0);
    /// let error = sub
    ///     .expect_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST), "a §3.9 error")
    ///     .unwrap();
    /// assert!(error.to_string().contains("non-positive subscription request"));
    /// ```
    pub fn expect_error(
        &self,
        matches: impl Fn(&Error) -> bool,
        expected: &str,
    ) -> TckResult<Error> {
        let env = &self.inner.env;
        env.expect_error(matches, expected, env.default_timeout(), "Expected onError")
    }

    /// Like [`expect_error`](ManualSubscriber::expect_error), and the error's
    /// message (its `Display`) must contain one of `alternatives`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..10u8)).unwrap();
    /// sub.request(0);
    /// let failure = sub
    ///     .expect_error_with_message(|e| e.rule().is_some(), "a rule", &["no such words"])
    ///     .unwrap_err();
    /// assert!(failure.message().contains("missing message part"));
    /// ```
    pub fn expect_error_with_message(
        &self,
        matches: impl Fn(&Error) -> bool,
        expected: &str,
        alternatives: &[&str],
    ) -> TckResult<Error> {
        let error = self.expect_error(matches, expected)?;
        let message = error.to_string();
        if alternatives.iter().any(|part| message.contains(part)) {
            Ok(error)
        } else {
            Err(Stop::fail(format!(
                "Got expected error but missing message part [anyOf: {alternatives:?}], was: {message}"
            )))
        }
    }
}

impl<T: PartialEq + fmt::Debug> ManualSubscriber<T> {
    /// The next item must equal `expected` (default timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..2u8)).unwrap();
    /// sub.request(2);
    /// sub.expect_next(&0).unwrap();
    /// assert!(sub.expect_next(&5).is_err());
    /// ```
    pub fn expect_next(&self, expected: &T) -> TckResult {
        let item = self.next_element_with(
            self.inner.env.default_timeout(),
            "Did not receive expected element on downstream",
        )?;
        if &item == expected {
            Ok(())
        } else {
            Err(Stop::fail(format!(
                "Expected element {expected:?} on downstream but received {item:?}"
            )))
        }
    }
}

impl<T: fmt::Debug + Send + 'static> Subscriber<T> for ManualSubscriber<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.env.observe("on_subscribe");
        if let Err(second) = self.inner.subscription.complete(subscription) {
            self.inner.env.flop_violation(
                "Subscriber::onSubscribe called on an already-subscribed Subscriber \
                 (§1.9/§2.12: onSubscribe at most once; the TCK cancelled the second \
                 subscription, §2.5)",
            );
            second.cancel();
            return;
        }
        let hook = lock(&self.inner.hooks).on_subscribe.clone();
        if let Some(hook) = hook {
            hook(self);
        }
    }

    fn on_next(&mut self, item: T) {
        let env = &self.inner.env;
        env.observe("on_next");
        if !self.is_subscribed() {
            env.flop_violation(format!(
                "Subscriber::onNext({item:?}) called before Subscriber::onSubscribe (§1.9)"
            ));
            return;
        }
        self.inner.guard.on_next(env, self.subscription());
        let mut c = lock(&self.inner.counters);
        c.delivered += 1;
        let index = c.delivered;
        if c.delivered > c.requested && !c.over_demand_reported {
            c.over_demand_reported = true;
            let (delivered, requested) = (c.delivered, c.requested);
            drop(c);
            env.flop_violation(format!(
                "onNext({item:?}) was signal #{delivered}, which is more than the signalled \
                 demand: {requested} (§1.1)"
            ));
            c = lock(&self.inner.counters);
        }
        if c.errored {
            // Once: a publisher that goes on after its error would fill the
            // record.
            if !std::mem::replace(&mut c.after_error_reported, true) {
                drop(c);
                env.flop_violation(format!(
                    "Unexpected element {item:?} received after onError (§1.7)"
                ));
            }
            return;
        }
        if c.overflowed {
            return;
        }
        let check = if c.sequence_reported {
            None
        } else {
            lock(&self.inner.hooks).sequence.clone()
        };
        if let Some(mismatch) = check.and_then(|check| check(index - 1, &item)) {
            c.sequence_reported = true;
            drop(c);
            env.flop_violation(mismatch);
        } else {
            drop(c);
        }
        if self.inner.keep_items {
            match self.inner.received.add(item) {
                Ok(()) => {}
                Err(AddError::AfterEnd(item)) => {
                    return env.flop_violation(format!(
                        "Unexpected element {item:?} received after stream completed (§1.7)"
                    ))
                }
                Err(AddError::Full(_)) => {
                    lock(&self.inner.counters).overflowed = true;
                    env.flop_violation(format!(
                        "Received more than bufferSize ({}) onNext signals. The Publisher \
                         probably emited more signals than expected! (the TCK cancelled it)",
                        self.inner.received.capacity()
                    ));
                    self.cancel();
                    return;
                }
            }
        }
        let hook = lock(&self.inner.hooks).on_next.clone();
        if let Some(hook) = hook {
            hook(self, index);
        }
    }

    fn on_error(&mut self, error: Error) {
        let env = &self.inner.env;
        env.observe("on_error");
        if !self.is_subscribed() {
            env.flop_violation(format!(
                "Subscriber::onError({error}) called before Subscriber::onSubscribe (§1.9)"
            ));
            return;
        }
        let mut c = lock(&self.inner.counters);
        let already = c.errored || self.inner.received.is_ended();
        c.errored = true;
        drop(c);
        if already {
            env.flop_violation(format!(
                "Unexpected onError({error}) after the stream already ended (§1.7)"
            ));
        } else {
            env.flop_error(error, "Unexpected Subscriber::onError");
        }
    }

    fn on_complete(&mut self) {
        let env = &self.inner.env;
        env.observe("on_complete");
        if !self.is_subscribed() {
            env.flop_violation(
                "Subscriber::onComplete() called before Subscriber::onSubscribe (§1.9)",
            );
            return;
        }
        if lock(&self.inner.counters).errored {
            env.flop_violation("Unexpected onComplete() after onError (§1.7)");
            return;
        }
        if self.inner.received.complete().is_err() {
            env.flop_violation("Unexpected additional complete signal received! (§1.7)");
        }
    }
}

/// The message for an item that is not the declared one at its place.
pub(crate) fn sequence_mismatch<T: fmt::Debug>(index: u64, item: &T, declared: &T) -> String {
    format!(
        "onNext #{} was {item:?}, but the declared sequence has {declared:?} there \
         (`expected_element`): an item was lost, repeated or reordered",
        index + 1
    )
}
