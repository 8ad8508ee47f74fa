//! The test environment: the timeouts every wait uses, and the list of
//! failures recorded while a test runs (the JVM TCK's "async errors").
//!
//! A TCK subscriber runs on whatever thread the publisher signals from, so it
//! cannot fail the test by returning an error: it *records* what went wrong
//! ([`TestEnvironment::flop`]) and the test thread checks the record
//! ([`TestEnvironment::verify_no_async_errors_no_delay`]) at its end.
//!
//! # Timeouts
//!
//! | setting | default | environment variable |
//! |---|---|---|
//! | [default timeout](TestEnvironment::default_timeout): the longest wait for a signal that must come | 2000 ms | `DEFAULT_TIMEOUT_MILLIS` |
//! | [no-signals timeout](TestEnvironment::no_signals_timeout): how long "nothing happens" is watched | 100 ms | `DEFAULT_NO_SIGNALS_TIMEOUT_MILLIS` |
//! | [poll timeout](TestEnvironment::poll_timeout): the longest pause between two looks at the error list while an `on_error` is awaited | 10 ms | `DEFAULT_POLL_TIMEOUT_MILLIS` (the JVM's `DEFAULT_POLL_TIMEOUT_MILLIS_ENV` is accepted too) |
//! | [publisher reference timeout](TestEnvironment::publisher_reference_timeout): the §3.13 grace period for dropping a cancelled subscriber | 1000 ms | `PUBLISHER_REFERENCE_GC_TIMEOUT_MILLIS` |
//! | [stress budget](TestEnvironment::stress): how long each stochastic test repeats itself; 0 is off | 0 (off) | `TCK_STRESS_MILLIS` |
//! | [signal budget](TestEnvironment::signal_budget): the longest a subscriber's signal method may take before the optional §2.2 test calls it blocking | 200 ms | `TCK_SIGNAL_BUDGET_MILLIS` |
//!
//! Waits for a signal end as soon as the signal arrives, so a generous default
//! timeout costs a correct implementation nothing and keeps a loaded CI
//! machine from failing it. Watching for silence always costs the full
//! no-signals timeout, so that one is short: missing a late signal on a busy
//! machine is a false pass at worst, never a false failure. Values set in code
//! ([`TestEnvironment::with_default_timeout`] and friends) win over the
//! variables; a variable that is not a whole number of milliseconds panics
//! with a message naming it.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::{Error, Publisher};

use crate::outcome::{Stop, TckResult};
use crate::support::ManualSubscriber;
use crate::sync::{deadline, lock, millis};

/// The default of [`TestEnvironment::default_timeout`]: 2000 ms.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(2000);
/// The default of [`TestEnvironment::no_signals_timeout`]: 100 ms.
pub const DEFAULT_NO_SIGNALS_TIMEOUT: Duration = Duration::from_millis(100);
/// The default of [`TestEnvironment::poll_timeout`]: 10 ms.
pub const DEFAULT_POLL_TIMEOUT: Duration = Duration::from_millis(10);
/// The default of [`TestEnvironment::publisher_reference_timeout`]: 1000 ms.
pub const DEFAULT_PUBLISHER_REFERENCE_TIMEOUT: Duration = Duration::from_millis(1000);
/// The default of [`TestEnvironment::stress`]: zero, stress mode off.
pub const DEFAULT_STRESS: Duration = Duration::ZERO;
/// The default of [`TestEnvironment::signal_budget`]: 200 ms.
pub const DEFAULT_SIGNAL_BUDGET: Duration = Duration::from_millis(200);

/// The variable that sets [`TestEnvironment::default_timeout`].
pub const DEFAULT_TIMEOUT_VAR: &str = "DEFAULT_TIMEOUT_MILLIS";
/// The variable that sets [`TestEnvironment::no_signals_timeout`].
pub const DEFAULT_NO_SIGNALS_TIMEOUT_VAR: &str = "DEFAULT_NO_SIGNALS_TIMEOUT_MILLIS";
/// The variable that sets [`TestEnvironment::poll_timeout`].
pub const DEFAULT_POLL_TIMEOUT_VAR: &str = "DEFAULT_POLL_TIMEOUT_MILLIS";
/// The name the JVM TCK's code actually reads for the poll timeout (its README
/// documents the one without `_ENV`); accepted when the documented one is unset.
pub const DEFAULT_POLL_TIMEOUT_VAR_JVM: &str = "DEFAULT_POLL_TIMEOUT_MILLIS_ENV";
/// The variable that sets [`TestEnvironment::publisher_reference_timeout`].
pub const PUBLISHER_REFERENCE_TIMEOUT_VAR: &str = "PUBLISHER_REFERENCE_GC_TIMEOUT_MILLIS";
/// The variable that sets [`TestEnvironment::stress`] (Rust-only, hence the
/// `TCK_` prefix).
pub const STRESS_VAR: &str = "TCK_STRESS_MILLIS";
/// The variable that sets [`TestEnvironment::signal_budget`].
pub const SIGNAL_BUDGET_VAR: &str = "TCK_SIGNAL_BUDGET_MILLIS";

/// One failure recorded during a test.
///
/// # Examples
///
/// ```
/// use reactive_streams::Error;
/// use reactive_streams_tck::{AsyncError, TestEnvironment};
///
/// let env = TestEnvironment::new();
/// env.flop("expected completion");
/// env.flop_error(Error::new("Boom!"), "Unexpected Subscriber::onError");
/// let errors = env.async_errors();
/// assert_eq!(errors[0], AsyncError::Failure("expected completion".into()));
/// assert_eq!(errors[1].to_string(), "Async error during test execution: Boom!");
/// ```
#[derive(Debug, Clone)]
pub enum AsyncError {
    /// A MUST rule was seen broken (a signal before `on_subscribe`, more items
    /// than requested, anything after a terminal signal). Fails every test,
    /// optional ones included.
    Violation(String),
    /// An expectation of the test was not met.
    Failure(String),
    /// An `on_error` that a TCK subscriber did not expect (or that a test will
    /// take with [`TestEnvironment::expect_error`]).
    Error {
        /// The error received.
        error: Error,
        /// Where it arrived, e.g. "Unexpected Subscriber::onError".
        context: String,
    },
}

impl AsyncError {
    /// True for [`AsyncError::Violation`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::AsyncError;
    ///
    /// assert!(AsyncError::Violation("§1.1".into()).is_violation());
    /// ```
    pub fn is_violation(&self) -> bool {
        matches!(self, AsyncError::Violation(_))
    }
}

impl PartialEq for AsyncError {
    fn eq(&self, other: &AsyncError) -> bool {
        match (self, other) {
            (AsyncError::Violation(a), AsyncError::Violation(b))
            | (AsyncError::Failure(a), AsyncError::Failure(b)) => a == b,
            (
                AsyncError::Error {
                    error: a,
                    context: x,
                },
                AsyncError::Error {
                    error: b,
                    context: y,
                },
            ) => a.ptr_eq(b) && x == y,
            _ => false,
        }
    }
}

impl fmt::Display for AsyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsyncError::Violation(m) | AsyncError::Failure(m) => f.write_str(m),
            AsyncError::Error { error, .. } => {
                write!(f, "Async error during test execution: {error}")
            }
        }
    }
}

/// Timeouts plus the failures recorded during one test.
///
/// Cheap to clone; clones share the record, so a clone can travel into a
/// subscriber on another thread. [`fresh`](TestEnvironment::fresh) makes a
/// new record with the same timeouts: the verifications run every test on a
/// fresh environment, because `cargo test` runs tests in parallel.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new().with_default_timeout(Duration::from_millis(500));
/// assert_eq!(env.default_timeout(), Duration::from_millis(500));
///
/// let on_another_thread = env.clone();
/// std::thread::spawn(move || on_another_thread.flop("no completion")).join().unwrap();
/// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
/// assert_eq!(failure.message(), "no completion");
/// assert!(env.fresh().verify_no_async_errors_no_delay().is_ok());
/// ```
#[derive(Clone)]
pub struct TestEnvironment {
    default_timeout: Duration,
    no_signals_timeout: Duration,
    poll_timeout: Duration,
    publisher_reference_timeout: Duration,
    stress: Duration,
    signal_budget: Duration,
    errors: Arc<ErrorList>,
    run: Arc<RunState>,
}

/// What the TCK's own subscribers saw during one test (for the watchdog's
/// message), and whether the test is over (for containing a runaway).
#[derive(Default)]
struct RunState {
    activity: Mutex<Activity>,
    /// Set when the test's body returned or the watchdog gave up on it.
    over: Mutex<Option<Instant>>,
}

/// The signals the TCK's subscribers and subscriptions saw in one test.
#[derive(Debug, Default, Clone)]
pub(crate) struct Activity {
    /// Every signal seen, of any kind.
    pub(crate) signals: u64,
    /// The `on_next` among them.
    pub(crate) items: u64,
    /// The last one (`on_next`, `request`, ...), and when.
    pub(crate) last: Option<(&'static str, Instant)>,
}

#[derive(Default)]
struct ErrorList {
    list: Mutex<VecDeque<AsyncError>>,
    changed: Condvar,
}

impl Default for TestEnvironment {
    fn default() -> Self {
        TestEnvironment::new()
    }
}

impl fmt::Debug for TestEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestEnvironment")
            .field("default_timeout", &self.default_timeout)
            .field("no_signals_timeout", &self.no_signals_timeout)
            .field("poll_timeout", &self.poll_timeout)
            .field(
                "publisher_reference_timeout",
                &self.publisher_reference_timeout,
            )
            .field("stress", &self.stress)
            .field("signal_budget", &self.signal_budget)
            .field("async_errors", &lock(&self.errors.list).len())
            .finish()
    }
}

impl TestEnvironment {
    /// The timeouts from the environment variables (see the
    /// [module docs](crate::env)), the defaults where a variable is unset.
    ///
    /// # Panics
    ///
    /// If a variable is set but is not a whole number of milliseconds.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// assert!(env.no_signals_timeout() <= env.default_timeout() || std::env::var("DEFAULT_NO_SIGNALS_TIMEOUT_MILLIS").is_ok());
    /// ```
    pub fn new() -> TestEnvironment {
        TestEnvironment::from_vars(|name| std::env::var_os(name))
    }

    /// The timeouts from the variables `lookup` returns, the defaults where it
    /// returns `None`. [`new`](TestEnvironment::new) is
    /// `from_vars(|name| std::env::var_os(name))`; tests pass a map.
    ///
    /// # Panics
    ///
    /// If a value is not a whole number of milliseconds; the message names the
    /// variable and the value.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::from_vars(|name| match name {
    ///     "DEFAULT_TIMEOUT_MILLIS" => Some("5000".into()),
    ///     "DEFAULT_POLL_TIMEOUT_MILLIS_ENV" => Some("20".into()),
    ///     _ => None,
    /// });
    /// assert_eq!(env.default_timeout(), Duration::from_millis(5000));
    /// assert_eq!(env.no_signals_timeout(), Duration::from_millis(100));
    /// assert_eq!(env.poll_timeout(), Duration::from_millis(20));
    ///
    /// let bad = std::panic::catch_unwind(|| {
    ///     TestEnvironment::from_vars(|n| (n == "DEFAULT_TIMEOUT_MILLIS").then(|| "2s".into()))
    /// });
    /// assert!(bad.is_err());
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<std::ffi::OsString>) -> TestEnvironment {
        let read = |name: &str| -> Option<Duration> {
            let value = lookup(name)?;
            let parsed = value.to_str().and_then(|s| s.trim().parse::<u64>().ok());
            match parsed {
                Some(ms) => Some(Duration::from_millis(ms)),
                None => panic!(
                    "reactive-streams-tck: the environment variable {name}={value:?} is not a \
                     whole number of milliseconds"
                ),
            }
        };
        TestEnvironment {
            default_timeout: read(DEFAULT_TIMEOUT_VAR).unwrap_or(DEFAULT_TIMEOUT),
            no_signals_timeout: read(DEFAULT_NO_SIGNALS_TIMEOUT_VAR)
                .unwrap_or(DEFAULT_NO_SIGNALS_TIMEOUT),
            poll_timeout: read(DEFAULT_POLL_TIMEOUT_VAR)
                .or_else(|| read(DEFAULT_POLL_TIMEOUT_VAR_JVM))
                .unwrap_or(DEFAULT_POLL_TIMEOUT),
            publisher_reference_timeout: read(PUBLISHER_REFERENCE_TIMEOUT_VAR)
                .unwrap_or(DEFAULT_PUBLISHER_REFERENCE_TIMEOUT),
            stress: read(STRESS_VAR).unwrap_or(DEFAULT_STRESS),
            signal_budget: read(SIGNAL_BUDGET_VAR).unwrap_or(DEFAULT_SIGNAL_BUDGET),
            errors: Arc::default(),
            run: Arc::default(),
        }
    }

    /// Sets the [default timeout](TestEnvironment::default_timeout), whatever
    /// the environment says.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_default_timeout(Duration::from_secs(5));
    /// assert_eq!(env.default_timeout(), Duration::from_secs(5));
    /// ```
    pub fn with_default_timeout(mut self, timeout: Duration) -> TestEnvironment {
        self.default_timeout = timeout;
        self
    }

    /// Sets the [no-signals timeout](TestEnvironment::no_signals_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_no_signals_timeout(Duration::from_millis(50));
    /// assert_eq!(env.no_signals_timeout(), Duration::from_millis(50));
    /// ```
    pub fn with_no_signals_timeout(mut self, timeout: Duration) -> TestEnvironment {
        self.no_signals_timeout = timeout;
        self
    }

    /// Sets the [poll timeout](TestEnvironment::poll_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_poll_timeout(Duration::from_millis(1));
    /// assert_eq!(env.poll_timeout(), Duration::from_millis(1));
    /// ```
    pub fn with_poll_timeout(mut self, timeout: Duration) -> TestEnvironment {
        self.poll_timeout = timeout;
        self
    }

    /// Sets the [publisher reference timeout](TestEnvironment::publisher_reference_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_publisher_reference_timeout(Duration::from_millis(300));
    /// assert_eq!(env.publisher_reference_timeout(), Duration::from_millis(300));
    /// ```
    pub fn with_publisher_reference_timeout(mut self, timeout: Duration) -> TestEnvironment {
        self.publisher_reference_timeout = timeout;
        self
    }

    /// Sets the [stress budget](TestEnvironment::stress): how long each
    /// stochastic test repeats itself. `Duration::ZERO` turns stress mode off.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_stress(Duration::from_secs(2));
    /// assert_eq!(env.stress(), Duration::from_secs(2));
    /// ```
    pub fn with_stress(mut self, budget: Duration) -> TestEnvironment {
        self.stress = budget;
        self
    }

    /// Sets the [signal budget](TestEnvironment::signal_budget).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_signal_budget(Duration::from_millis(50));
    /// assert_eq!(env.signal_budget(), Duration::from_millis(50));
    /// ```
    pub fn with_signal_budget(mut self, budget: Duration) -> TestEnvironment {
        self.signal_budget = budget;
        self
    }

    /// The same timeouts with an empty, unshared failure record.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop("x");
    /// assert!(env.fresh().async_errors().is_empty());
    /// assert_eq!(env.async_errors().len(), 1);
    /// ```
    pub fn fresh(&self) -> TestEnvironment {
        TestEnvironment {
            errors: Arc::default(),
            run: Arc::default(),
            ..self.clone()
        }
    }

    /// The longest wait for a signal that must come. Waits end as soon as it
    /// comes, so only failing tests pay for a large value.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{env::DEFAULT_TIMEOUT, TestEnvironment};
    ///
    /// # if std::env::var_os("DEFAULT_TIMEOUT_MILLIS").is_none() {
    /// assert_eq!(TestEnvironment::new().default_timeout(), DEFAULT_TIMEOUT);
    /// # }
    /// ```
    pub fn default_timeout(&self) -> Duration {
        self.default_timeout
    }

    /// How long the TCK watches for a signal that must *not* come. Every such
    /// watch costs this much, even for a correct implementation.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{env::DEFAULT_NO_SIGNALS_TIMEOUT, TestEnvironment};
    ///
    /// # if std::env::var_os("DEFAULT_NO_SIGNALS_TIMEOUT_MILLIS").is_none() {
    /// assert_eq!(TestEnvironment::new().no_signals_timeout(), DEFAULT_NO_SIGNALS_TIMEOUT);
    /// # }
    /// ```
    pub fn no_signals_timeout(&self) -> Duration {
        self.no_signals_timeout
    }

    /// The longest pause between two looks at the failure record while an
    /// `on_error` is awaited ([`expect_error`](TestEnvironment::expect_error)).
    /// The wait wakes up as soon as an error is recorded anyway; the total
    /// wait is always the full timeout asked for (the JVM TCK 1.0.4 gave up
    /// after one poll, gotcha G3).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(TestEnvironment::new().poll_timeout() > std::time::Duration::ZERO
    ///     || std::env::var_os("DEFAULT_POLL_TIMEOUT_MILLIS").is_some());
    /// ```
    pub fn poll_timeout(&self) -> Duration {
        self.poll_timeout
    }

    /// The §3.13 grace period: how long a publisher may take, after `cancel`,
    /// to drop its last reference to the subscriber. The check ends as soon as
    /// the reference is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{env::DEFAULT_PUBLISHER_REFERENCE_TIMEOUT, TestEnvironment};
    ///
    /// # if std::env::var_os("PUBLISHER_REFERENCE_GC_TIMEOUT_MILLIS").is_none() {
    /// assert_eq!(
    ///     TestEnvironment::new().publisher_reference_timeout(),
    ///     DEFAULT_PUBLISHER_REFERENCE_TIMEOUT
    /// );
    /// # }
    /// ```
    pub fn publisher_reference_timeout(&self) -> Duration {
        self.publisher_reference_timeout
    }

    /// The stress budget: how long each stochastic test (the §1.3 one and
    /// those that race requests, cancels and `request(0)` from other threads
    /// against the emission) goes on repeating itself with randomized pauses,
    /// to make rare races likely. Zero (the default) is off: each stochastic
    /// test then runs its fixed, small number of rounds. Set it with
    /// `TCK_STRESS_MILLIS` or [`with_stress`](TestEnvironment::with_stress);
    /// a publisher verification has five stochastic tests, so it takes about
    /// five budgets longer.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// # if std::env::var_os("TCK_STRESS_MILLIS").is_none() {
    /// assert!(TestEnvironment::new().stress().is_zero());
    /// # }
    /// ```
    pub fn stress(&self) -> Duration {
        self.stress
    }

    /// How long one signal method of a subscriber under test (`on_next` and
    /// the others) may take before the optional §2.2 test says it blocks its
    /// publisher (§2.2 recommends dispatching slow work asynchronously).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{env::DEFAULT_SIGNAL_BUDGET, TestEnvironment};
    ///
    /// # if std::env::var_os("TCK_SIGNAL_BUDGET_MILLIS").is_none() {
    /// assert_eq!(TestEnvironment::new().signal_budget(), DEFAULT_SIGNAL_BUDGET);
    /// # }
    /// ```
    pub fn signal_budget(&self) -> Duration {
        self.signal_budget
    }

    /// Notes a signal one of the TCK's subscribers (or subscriptions) saw,
    /// for the watchdog's message.
    pub(crate) fn observe(&self, what: &'static str) {
        let mut activity = lock(&self.run.activity);
        activity.signals += 1;
        if what == "on_next" {
            activity.items += 1;
        }
        activity.last = Some((what, Instant::now()));
    }

    /// What the TCK's subscribers saw so far.
    pub(crate) fn activity(&self) -> Activity {
        lock(&self.run.activity).clone()
    }

    /// Marks the test over: from now on the TCK's subscribers treat signals
    /// as those of a runaway (see [`TestEnvironment::is_over`]).
    pub(crate) fn mark_over(&self) {
        let mut over = lock(&self.run.over);
        if over.is_none() {
            *over = Some(Instant::now());
        }
    }

    /// Whether the test that owns this environment is over, and since when.
    /// A publisher that still signals the TCK's subscribers afterwards ignored
    /// their `cancel`; they stop it if they can (see
    /// [`ManualSubscriber`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(TestEnvironment::new().is_over().is_none());
    /// ```
    pub fn is_over(&self) -> Option<Instant> {
        *lock(&self.run.over)
    }

    fn record(&self, error: AsyncError) {
        lock(&self.errors.list).push_back(error);
        self.errors.changed.notify_all();
    }

    /// Records a failed expectation without stopping the caller: what a
    /// subscriber on the publisher's thread does.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop("Did not receive expected stream completion within 2000 ms");
    /// assert!(env.verify_no_async_errors_no_delay().is_err());
    /// ```
    pub fn flop(&self, message: impl Into<String>) {
        self.record(AsyncError::Failure(message.into()));
    }

    /// Records a broken MUST rule ([`AsyncError::Violation`]), which fails
    /// optional tests too.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop_violation("Subscriber::onComplete() called before Subscriber::onSubscribe");
    /// assert!(env.first_violation().is_some());
    /// ```
    pub fn flop_violation(&self, message: impl Into<String>) {
        self.record(AsyncError::Violation(message.into()));
    }

    /// Records an `on_error` received by a TCK subscriber.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop_error(Error::new("Test Exception: Boom!"), "Unexpected Subscriber::onError");
    /// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
    /// assert!(failure.message().contains("Async error during test execution: Test Exception: Boom!"));
    /// ```
    pub fn flop_error(&self, error: Error, context: impl Into<String>) {
        self.record(AsyncError::Error {
            error,
            context: context.into(),
        });
    }

    /// Records a failure and returns the [`Stop`] that fails the test now:
    /// `return Err(env.flop_and_fail("..."))`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{Stop, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// assert_eq!(env.flop_and_fail("x"), Stop::fail("x"));
    /// assert_eq!(env.async_errors().len(), 1);
    /// ```
    pub fn flop_and_fail(&self, message: impl Into<String>) -> Stop {
        let message = message.into();
        self.flop(message.clone());
        Stop::Fail(message)
    }

    /// A copy of the record, oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(TestEnvironment::new().async_errors().is_empty());
    /// ```
    pub fn async_errors(&self) -> Vec<AsyncError> {
        lock(&self.errors.list).iter().cloned().collect()
    }

    /// Removes and returns the oldest recorded failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{AsyncError, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// env.flop("a");
    /// assert_eq!(env.drop_async_error(), Some(AsyncError::Failure("a".into())));
    /// assert_eq!(env.drop_async_error(), None);
    /// ```
    pub fn drop_async_error(&self) -> Option<AsyncError> {
        lock(&self.errors.list).pop_front()
    }

    /// Forgets every recorded failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop("a");
    /// env.clear_async_errors();
    /// assert!(env.verify_no_async_errors_no_delay().is_ok());
    /// ```
    pub fn clear_async_errors(&self) {
        lock(&self.errors.list).clear();
    }

    /// The oldest recorded [`AsyncError::Violation`], if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// env.flop("not a violation");
    /// assert!(env.first_violation().is_none());
    /// ```
    pub fn first_violation(&self) -> Option<AsyncError> {
        lock(&self.errors.list)
            .iter()
            .find(|e| e.is_violation())
            .cloned()
    }

    /// Fails with the oldest recorded failure (and mentions how many more
    /// there are), or returns `Ok` at once when there is none.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// assert!(env.verify_no_async_errors_no_delay().is_ok());
    /// env.flop("first");
    /// env.flop("second");
    /// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
    /// assert!(failure.message().starts_with("first"));
    /// assert!(failure.message().contains("second"));
    /// ```
    pub fn verify_no_async_errors_no_delay(&self) -> TckResult {
        let list = lock(&self.errors.list);
        match list.front() {
            None => Ok(()),
            Some(first) => Err(Stop::Fail(describe_errors(first, list.iter().skip(1)))),
        }
    }

    /// Checks the record, watches for the no-signals timeout, and checks again:
    /// for failures that a late signal would record.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_no_signals_timeout(Duration::from_millis(10));
    /// assert!(env.verify_no_async_errors().is_ok());
    /// ```
    pub fn verify_no_async_errors(&self) -> TckResult {
        self.verify_no_async_errors_no_delay()?;
        self.wait_for_error(self.no_signals_timeout);
        self.verify_no_async_errors_no_delay()
    }

    /// Waits up to `timeout` for the record to hold a failure; true if it does.
    fn wait_for_error(&self, timeout: Duration) -> bool {
        let guard = lock(&self.errors.list);
        let (guard, found) =
            crate::sync::wait_until(&self.errors.changed, guard, deadline(timeout), |list| {
                !list.is_empty()
            });
        drop(guard);
        found
    }

    /// Waits up to `timeout` for the oldest recorded failure, which must be an
    /// `on_error` whose error satisfies `matches`; removes and returns it.
    ///
    /// Fails with "`{message}` within N ms" when nothing is recorded in time,
    /// and with "...; got X but expected `{expected}`" when the oldest record
    /// is something else. The record is looked at whenever it changes and at
    /// least every [`poll_timeout`](TestEnvironment::poll_timeout); the total
    /// wait is the whole `timeout` (the fix for the JVM TCK's gotcha G3).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::{Error, Rule};
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new().with_poll_timeout(Duration::from_millis(1));
    /// let late = env.clone();
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(30));
    ///     late.flop_error(Error::non_positive_request(), "onError");
    /// });
    /// let error = env
    ///     .expect_error(
    ///         |e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST),
    ///         "an error naming §3.9",
    ///         Duration::from_secs(5),
    ///         "Expected onError",
    ///     )
    ///     .unwrap();
    /// assert_eq!(error.rule(), Some(Rule::new(3, 9)));
    /// ```
    pub fn expect_error(
        &self,
        matches: impl Fn(&Error) -> bool,
        expected: &str,
        timeout: Duration,
        message: &str,
    ) -> TckResult<Error> {
        let end = deadline(timeout);
        let mut list = lock(&self.errors.list);
        loop {
            if let Some(first) = list.front() {
                let found = match first {
                    AsyncError::Error { error, .. } if matches(error) => Some(error.clone()),
                    _ => None,
                };
                return match found {
                    Some(error) => {
                        list.pop_front();
                        Ok(error)
                    }
                    None => {
                        let got = describe_errors(first, list.iter().skip(1));
                        Err(Stop::Fail(format!(
                            "{message} within {} ms; got {got} but expected {expected}",
                            millis(timeout)
                        )))
                    }
                };
            }
            let now = Instant::now();
            if now >= end {
                return Err(Stop::Fail(format!(
                    "{message} within {} ms; expected {expected}",
                    millis(timeout)
                )));
            }
            let pause = (end - now).min(self.poll_timeout.max(Duration::from_millis(1)));
            list = self
                .errors
                .changed
                .wait_timeout(list, pause)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Subscribes a new [`ManualSubscriber`] to `publisher`, waits for its
    /// `on_subscribe` (up to the default timeout), and verifies that nothing
    /// went wrong so far: the JVM TCK's `newManualSubscriber`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let sub = env.new_manual_subscriber(&source::range(0..3u32)).unwrap();
    /// assert_eq!(sub.request_next_element().unwrap(), 0);
    /// sub.cancel();
    /// ```
    pub fn new_manual_subscriber<P>(&self, publisher: &P) -> TckResult<ManualSubscriber<P::Item>>
    where
        P: Publisher + ?Sized,
        P::Item: fmt::Debug,
    {
        let subscriber = ManualSubscriber::new(self);
        self.subscribe(publisher, subscriber.clone())?;
        Ok(subscriber)
    }

    /// Subscribes `subscriber` (a handle whose clone was passed in) to
    /// `publisher`, waits up to the default timeout for its `on_subscribe`,
    /// then verifies that nothing went wrong so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{ManualSubscriber, TestEnvironment};
    ///
    /// let env = TestEnvironment::new();
    /// let sub = ManualSubscriber::new(&env);
    /// env.subscribe(&source::just(7u8), sub.clone()).unwrap();
    /// assert_eq!(sub.request_next_element().unwrap(), 7);
    /// ```
    pub fn subscribe<P>(&self, publisher: &P, subscriber: ManualSubscriber<P::Item>) -> TckResult
    where
        P: Publisher + ?Sized,
        P::Item: fmt::Debug,
    {
        publisher.subscribe(subscriber.clone());
        subscriber.expect_subscription(self.default_timeout)?;
        self.verify_no_async_errors_no_delay()
    }
}

/// "first" plus, if there are more, "(and N more recorded failure(s): ...)".
fn describe_errors<'a>(
    first: &'a AsyncError,
    rest: impl Iterator<Item = &'a AsyncError>,
) -> String {
    let rest: Vec<String> = rest.map(|e| e.to_string()).collect();
    if rest.is_empty() {
        first.to_string()
    } else {
        format!(
            "{first} (and {} more recorded failure(s): {})",
            rest.len(),
            summarize(&rest)
        )
    }
}

/// The messages joined with "; ", each distinct one once, in order of first
/// appearance, with a count when it repeats ("... (×5)").
pub(crate) fn summarize<S: AsRef<str>>(messages: &[S]) -> String {
    let mut distinct: Vec<(&str, usize)> = Vec::new();
    for message in messages {
        let message = message.as_ref();
        match distinct.iter_mut().find(|(m, _)| *m == message) {
            Some((_, count)) => *count += 1,
            None => distinct.push((message, 1)),
        }
    }
    let parts: Vec<String> = distinct
        .into_iter()
        .map(|(m, count)| match count {
            1 => m.to_owned(),
            n => format!("{m} (×{n})"),
        })
        .collect();
    parts.join("; ")
}
