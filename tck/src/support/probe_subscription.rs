//! `ProbeSubscription`: a subscription that only records what is done to it.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::Subscription;

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{signal_marker, Latch, Receptacle};
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
/// violation in the environment.
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
            }),
        }
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
        signal_marker::check_not_terminal(&self.inner.env, "request");
        if self.inner.requests.add(n).is_err() {
            self.inner.env.flop(format!(
                "More than {REQUEST_CAPACITY} `request` calls were left unread by the test"
            ));
        }
    }

    fn cancel(&self) {
        signal_marker::check_not_terminal(&self.inner.env, "cancel");
        self.inner.cancelled.close();
    }
}
