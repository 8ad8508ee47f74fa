//! `ProbeSubscription`: a subscription that only records what is done to it.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::Subscription;

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{signal_marker, Latch, OverlapDetector, Receptacle};
use crate::sync::{lock, millis};

/// How many `request` calls a [`ProbeSubscription`] keeps before the test
/// reads them.
pub const REQUEST_CAPACITY: usize = 1024;

/// A subscription that emits nothing and records every `request(n)` and the
/// `cancel`, for a test to check: the subscription of a
/// [`ManualPublisher`](crate::support::ManualPublisher), or the extra one a
/// test hands a subscriber to see it cancelled (§2.5).
///
/// It checks §2.3: a `request` or `cancel` made from inside a TCK-driven
/// `on_complete` or `on_error` (see [`signal_marker`]) is recorded as a
/// violation in the environment. And it checks §2.7: a `request` or `cancel`
/// entered while another thread is inside one is recorded as a violation (an
/// [`OverlapDetector`]); [`set_dwell`](ProbeSubscription::set_dwell) makes
/// each call last longer, so that overlaps are seen more often.
///
/// A cheap handle: clones share the record.
///
/// # Examples
///
/// ```
/// use reactive_streams::Subscription;
/// use reactive_streams_tck::support::ProbeSubscription;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let probe = ProbeSubscription::new(&env);
/// probe.request(5);
/// assert_eq!(probe.expect_request(env.default_timeout()).unwrap(), 5);
/// probe.cancel();
/// assert!(probe.is_cancelled());
/// ```
#[derive(Clone)]
pub struct ProbeSubscription {
    inner: Arc<Inner>,
}

struct Inner {
    env: TestEnvironment,
    requests: Receptacle<u64>,
    cancelled: Latch,
    pending_demand: Mutex<u64>,
    /// §2.7: `request` and `cancel` must not overlap.
    serial: OverlapDetector,
    /// How long each call stays inside the detector.
    dwell: Mutex<Duration>,
}

impl fmt::Debug for ProbeSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProbeSubscription")
            .field("unread_requests", &self.inner.requests.len())
            .field("pending_demand", &self.pending_demand())
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl ProbeSubscription {
    /// A subscription recording into `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(!ProbeSubscription::new(&TestEnvironment::new()).is_cancelled());
    /// ```
    pub fn new(env: &TestEnvironment) -> ProbeSubscription {
        ProbeSubscription {
            inner: Arc::new(Inner {
                env: env.clone(),
                requests: Receptacle::with_capacity(REQUEST_CAPACITY),
                cancelled: Latch::new(),
                pending_demand: Mutex::new(0),
                serial: OverlapDetector::new(env),
                dwell: Mutex::new(Duration::ZERO),
            }),
        }
    }

    /// Makes every later `request` and `cancel` last at least `dwell`
    /// (spinning), so that the §2.7 check sees calls from two threads that
    /// would otherwise slip past each other.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let probe = std::sync::Arc::new(ProbeSubscription::new(&env));
    /// probe.set_dwell(Duration::from_millis(20));
    /// let other = std::sync::Arc::clone(&probe);
    /// let t = std::thread::spawn(move || other.request(1));
    /// probe.request(1); // very likely while the other thread is inside
    /// t.join().unwrap();
    /// # let _ = env.verify_no_async_errors_no_delay();
    /// ```
    pub fn set_dwell(&self, dwell: Duration) {
        *lock(&self.inner.dwell) = dwell;
    }

    /// Waits until no `request` arrived for `quiet`, or `timeout` passed,
    /// reading (and adding to the pending demand) all that came: the
    /// subscriber's demand settles.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// probe.request(2);
    /// probe.request(3);
    /// probe.settle(Duration::from_millis(5), Duration::from_secs(1));
    /// assert_eq!(probe.pending_demand(), 5);
    /// ```
    pub fn settle(&self, quiet: Duration, timeout: Duration) {
        let end = crate::sync::deadline(timeout);
        while Instant::now() < end {
            match self.inner.requests.next(quiet).and_then(|r| r.into_item()) {
                None => return,
                Some(n) => {
                    let mut pending = lock(&self.inner.pending_demand);
                    *pending = pending.saturating_add(n);
                }
            }
        }
    }

    /// Enters the §2.7 detector for `call`, and stays the dwell time.
    fn serial(&self, call: &'static str) -> crate::support::SignalScope<'_> {
        self.inner.env.observe(call);
        let scope = self.inner.serial.enter_call(call);
        let dwell = *lock(&self.inner.dwell);
        if !dwell.is_zero() {
            let end = Instant::now() + dwell;
            while Instant::now() < end {
                std::hint::spin_loop();
            }
        }
        scope
    }

    /// Waits up to `timeout` for the next `request(n)` and returns `n`,
    /// adding it to [`pending_demand`](ProbeSubscription::pending_demand).
    ///
    /// # Errors
    ///
    /// "Did not receive expected `request` call within N ms", or "Requests
    /// cannot be zero or negative but received request(0)" (§3.9).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// probe.request(0);
    /// assert!(probe.expect_request(Duration::from_millis(1)).is_err());
    /// ```
    pub fn expect_request(&self, timeout: Duration) -> TckResult<u64> {
        self.expect_request_with(timeout, "")
    }

    /// Like [`expect_request`](ProbeSubscription::expect_request), with
    /// `addendum` appended to the timeout message (a hint for the
    /// implementer).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// let failure = probe.expect_request_with(Duration::from_millis(1), "Hint.").unwrap_err();
    /// assert_eq!(failure.message(), "Did not receive expected `request` call within 1 ms. Hint.");
    /// ```
    pub fn expect_request_with(&self, timeout: Duration, addendum: &str) -> TckResult<u64> {
        match self
            .inner
            .requests
            .next(timeout)
            .and_then(|r| r.into_item())
        {
            None => {
                let mut message = format!(
                    "Did not receive expected `request` call within {} ms",
                    millis(timeout)
                );
                if !addendum.is_empty() {
                    message.push_str(". ");
                    message.push_str(addendum);
                }
                Err(Stop::Fail(message))
            }
            Some(0) => Err(Stop::fail(
                "Requests cannot be zero or negative but received request(0) (§3.9)",
            )),
            Some(n) => {
                let mut pending = lock(&self.inner.pending_demand);
                *pending = pending.saturating_add(n);
                Ok(n)
            }
        }
    }

    /// No `request` may arrive within `within`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// probe.expect_no_request(Duration::from_millis(1)).unwrap();
    /// probe.request(1);
    /// let failure = probe.expect_no_request(Duration::from_millis(1)).unwrap_err();
    /// assert_eq!(failure.message(), "Received an unexpected call to: request(1)");
    /// ```
    pub fn expect_no_request(&self, within: Duration) -> TckResult {
        match self.inner.requests.next(within).and_then(|r| r.into_item()) {
            None => Ok(()),
            Some(n) => Err(Stop::fail(format!(
                "Received an unexpected call to: request({n})"
            ))),
        }
    }

    /// Waits up to `timeout` for `cancel`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// let failure = probe.expect_cancelling(Duration::from_millis(1)).unwrap_err();
    /// assert!(failure.message().starts_with("Did not receive expected cancelling"));
    /// ```
    pub fn expect_cancelling(&self, timeout: Duration) -> TckResult {
        self.inner.cancelled.expect_close(
            timeout,
            "Did not receive expected cancelling of upstream subscription",
        )
    }

    /// Whether `cancel` was called.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// probe.cancel();
    /// assert!(probe.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.is_closed()
    }

    /// The sum of the requests read by
    /// [`expect_request`](ProbeSubscription::expect_request), less what
    /// [`consume_demand`](ProbeSubscription::consume_demand) took.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert_eq!(ProbeSubscription::new(&TestEnvironment::new()).pending_demand(), 0);
    /// ```
    pub fn pending_demand(&self) -> u64 {
        *lock(&self.inner.pending_demand)
    }

    /// Lowers [`pending_demand`](ProbeSubscription::pending_demand) by `n`,
    /// floored at 0: for tests that count the items they sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::Subscription;
    /// use reactive_streams_tck::support::ProbeSubscription;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let probe = ProbeSubscription::new(&TestEnvironment::new());
    /// probe.request(2);
    /// probe.expect_request(Duration::from_secs(1)).unwrap();
    /// probe.consume_demand(5);
    /// assert_eq!(probe.pending_demand(), 0);
    /// ```
    pub fn consume_demand(&self, n: u64) {
        let mut pending = lock(&self.inner.pending_demand);
        *pending = pending.saturating_sub(n);
    }
}

impl Subscription for ProbeSubscription {
    fn request(&self, n: u64) {
        let _serial = self.serial("request");
        signal_marker::check_not_terminal(&self.inner.env, "request");
        if self.inner.requests.add(n).is_err() {
            self.inner.env.flop(format!(
                "More than {REQUEST_CAPACITY} `request` calls were left unread by the test"
            ));
        }
    }

    fn cancel(&self) {
        let _serial = self.serial("cancel");
        signal_marker::check_not_terminal(&self.inner.env, "cancel");
        self.inner.cancelled.close();
    }
}
