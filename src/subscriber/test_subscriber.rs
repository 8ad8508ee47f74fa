//! `TestSubscriber`: records what a publisher does, checks it against the
//! specification, and offers assertions for tests.
//!
//! Demand: whatever the test asks for, through
//! [`new(n)`](TestSubscriber::new) and [`request`](TestSubscriber::request).
//! Threads: signals may come from any thread; the waiting methods block the
//! test's thread on a condition variable, with a timeout.
//!
//! # Implementation notes
//!
//! All state sits in one mutex, with a condition variable notified on every
//! signal. The subscription is never called while the lock is held: a
//! synchronous publisher emits from inside `request`, on the same thread, and
//! would deadlock on the lock it needs for `on_next`. So `request` and
//! `cancel` update the record under the lock (demand is counted *before* the
//! call, so an item emitted from inside it is within demand), then call the
//! subscription after unlocking.

use core::fmt;
use std::time::{Duration, Instant};

use crate::author::UNBOUNDED;
use crate::error::{Error, ErrorKind};
use crate::sync::blocking::{Condvar, Mutex, MutexGuard};
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// How many protocol violations are kept; later ones are only counted, so a
/// publisher that keeps misbehaving cannot grow the record without bound.
const MAX_VIOLATIONS: usize = 32;

/// A [`Subscriber`] for tests: it records every signal, lets the test drive
/// demand, waits for signals from other threads, and asserts.
///
/// It is a cheap handle to shared state: subscribe a clone, keep one to drive
/// and assert on.
///
/// It also checks the publisher under test. An `on_next` beyond the requested
/// demand (§1.1) is recorded as a violation, ends the record with an
/// [`ErrorKind::Overflow`] error and cancels upstream, instead of buffering
/// without bound. Signals before `on_subscribe` (§1.9), any signal after a
/// terminal one (§1.7), and a second `on_subscribe` (cancelled, §2.5) are
/// recorded too. [`assert_values`](TestSubscriber::assert_values) and
/// [`assert_complete`](TestSubscriber::assert_complete) fail if any violation
/// was recorded; [`violations`](TestSubscriber::violations) lists them.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::new(2);
/// source::range(1..6u32).subscribe(ts.clone());
/// ts.assert_values(&[1, 2]).assert_not_terminated();
/// ts.request(10);
/// ts.await_terminal(Duration::from_secs(5))
///     .assert_values(&[1, 2, 3, 4, 5])
///     .assert_complete();
/// assert_eq!(ts.requests(), [2, 10]);
/// ```
pub struct TestSubscriber<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    state: Mutex<State<T>>,
    /// Notified after every change of `state`.
    changed: Condvar,
}

struct State<T> {
    values: Vec<T>,
    error: Option<Error>,
    completed: bool,
    /// This subscriber ended the record after an overflow and cancelled
    /// upstream; whatever follows is dropped without comment (§2.8).
    overflowed: bool,
    subscribed: bool,
    cancelled: bool,
    /// The subscription, from `on_subscribe` until a terminal signal.
    upstream: Option<Arc<dyn Subscription>>,
    /// Requests made before the subscription arrived, in order.
    pending: Vec<u64>,
    /// Every `request(n)` made to the subscription, in order.
    requests: Vec<u64>,
    /// Requested and not yet received; [`UNBOUNDED`] once unbounded.
    outstanding: u64,
    /// Totals, for messages.
    requested: u64,
    received: u64,
    violations: Vec<String>,
    /// Violations beyond [`MAX_VIOLATIONS`], counted only.
    suppressed: usize,
}

impl<T> State<T> {
    fn is_terminated(&self) -> bool {
        self.completed || self.error.is_some()
    }

    fn violation(&mut self, message: String) {
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(message);
        } else {
            self.suppressed += 1;
        }
    }

    fn violations(&self) -> Vec<String> {
        let mut all = self.violations.clone();
        if self.suppressed > 0 {
            all.push(format!("... and {} more", self.suppressed));
        }
        all
    }

    /// The terminal signal, in words, for messages.
    fn terminal(&self) -> String {
        match (&self.error, self.completed) {
            (Some(error), _) => format!("on_error({error})"),
            (None, true) => "on_complete".to_owned(),
            (None, false) => "no terminal signal".to_owned(),
        }
    }

    /// Records a request made to the subscription, counting the demand.
    fn count_request(&mut self, n: u64) {
        self.requests.push(n);
        self.requested = self.requested.saturating_add(n);
        self.outstanding = self.outstanding.saturating_add(n).min(UNBOUNDED);
    }
}

impl<T> TestSubscriber<T> {
    /// A test subscriber that requests `initial_request` items as soon as it
    /// is subscribed; `0` requests nothing until [`request`](Self::request) is
    /// called.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(0);
    /// source::just(9u8).subscribe(ts.clone());
    /// ts.assert_subscribed().assert_no_values().assert_not_terminated();
    /// assert!(ts.requests().is_empty());
    /// ```
    pub fn new(initial_request: u64) -> TestSubscriber<T> {
        let pending = if initial_request == 0 {
            Vec::new()
        } else {
            vec![initial_request]
        };
        TestSubscriber {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    values: Vec::new(),
                    error: None,
                    completed: false,
                    overflowed: false,
                    subscribed: false,
                    cancelled: false,
                    upstream: None,
                    pending,
                    requests: Vec::new(),
                    outstanding: 0,
                    requested: 0,
                    received: 0,
                    violations: Vec::new(),
                    suppressed: 0,
                }),
                changed: Condvar::new(),
            }),
        }
    }

    /// A test subscriber that requests [`UNBOUNDED`] as soon as it is
    /// subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber, UNBOUNDED};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::range(0..3u8).subscribe(ts.clone());
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    /// assert_eq!(ts.requests(), [UNBOUNDED]);
    /// ```
    pub fn unbounded() -> TestSubscriber<T> {
        TestSubscriber::new(UNBOUNDED)
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.inner.state.lock()
    }

    /// Requests `n` more items (§3.8). Before the subscription has arrived,
    /// the request is remembered and made on arrival; once the stream is
    /// over it does nothing. `n == 0` is passed on as is, to test a
    /// publisher's §3.9 handling. Demand is counted before the call, so an
    /// item emitted from inside it is within demand.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(0);
    /// ts.request(1); // remembered
    /// source::range(0..5u8).subscribe(ts.clone());
    /// ts.assert_values(&[0]);
    /// ts.request(2);
    /// ts.assert_values(&[0, 1, 2]);
    /// ```
    pub fn request(&self, n: u64) {
        let mut state = self.lock();
        if !state.subscribed {
            state.pending.push(n);
            return;
        }
        let Some(upstream) = state.upstream.clone() else {
            return; // over: there is nobody to ask
        };
        state.count_request(n);
        drop(state);
        // Unlocked: a synchronous publisher emits from inside `request`.
        upstream.request(n);
    }

    /// Cancels the subscription (§3.12), now or as soon as it arrives. Items
    /// already in flight are still recorded (§2.8).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(0..5u8).subscribe(ts.clone());
    /// ts.cancel();
    /// ts.request(3); // §3.6: does nothing after cancel
    /// ts.assert_values(&[0]).assert_not_terminated();
    /// assert!(ts.is_cancelled());
    /// ```
    pub fn cancel(&self) {
        let mut state = self.lock();
        if state.cancelled {
            return;
        }
        state.cancelled = true;
        let upstream = state.upstream.clone();
        drop(state);
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
    }

    /// Every `request(n)` made to the subscription, in order (requests made
    /// before it arrived appear once they are made).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::never::<u8>().subscribe(ts.clone());
    /// ts.request(4);
    /// assert_eq!(ts.requests(), [3, 4]);
    /// ```
    pub fn requests(&self) -> Vec<u64> {
        self.lock().requests.clone()
    }

    /// The items received so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::from_iter(vec!["x", "y"]).subscribe(ts.clone());
    /// assert_eq!(ts.values(), ["x", "y"]);
    /// ```
    pub fn values(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.lock().values.clone()
    }

    /// How many items were received so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(4);
    /// source::range(0..100u32).subscribe(ts.clone());
    /// assert_eq!(ts.item_count(), 4);
    /// ```
    pub fn item_count(&self) -> usize {
        self.lock().values.len()
    }

    /// The error received, or the overflow error recorded after a publisher
    /// ignored demand.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::error(Error::new("boom")).subscribe(ts.clone());
    /// assert_eq!(ts.error().unwrap().to_string(), "boom");
    /// ```
    pub fn error(&self) -> Option<Error> {
        self.lock().error.clone()
    }

    /// True once `on_complete` was received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::empty().subscribe(ts.clone());
    /// assert!(ts.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.lock().completed
    }

    /// True once the stream is over: completed, failed, or ended by this
    /// subscriber after an overflow. A [`cancel`](Self::cancel) alone does not
    /// terminate the record.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::just(1u8).subscribe(ts.clone());
    /// assert!(ts.is_terminated());
    /// ```
    pub fn is_terminated(&self) -> bool {
        self.lock().is_terminated()
    }

    /// True once `on_subscribe` was received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// assert!(!ts.is_subscribed());
    /// source::never().subscribe(ts.clone());
    /// assert!(ts.is_subscribed());
    /// ```
    pub fn is_subscribed(&self) -> bool {
        self.lock().subscribed
    }

    /// True once [`cancel`](Self::cancel) was called, or this subscriber
    /// cancelled upstream after an overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::TestSubscriber;
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// ts.cancel();
    /// assert!(ts.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.lock().cancelled
    }

    /// The protocol violations seen so far, in words, each naming its rule.
    /// After 32 of them, the rest are only counted (a last entry says how
    /// many).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams::{Publisher, Subscriber, Subscription, TestSubscriber};
    ///
    /// // A broken publisher: it completes twice.
    /// struct Twice;
    /// struct Noop;
    /// impl Subscription for Noop {
    ///     fn request(&self, _: u64) {}
    ///     fn cancel(&self) {}
    /// }
    /// impl Publisher for Twice {
    ///     type Item = u8;
    ///     fn subscribe<S: Subscriber<u8> + 'static>(&self, mut s: S) {
    ///         s.on_subscribe(Arc::new(Noop));
    ///         s.on_complete();
    ///         s.on_complete();
    ///     }
    /// }
    ///
    /// let ts = TestSubscriber::new(0);
    /// Twice.subscribe(ts.clone());
    /// assert_eq!(ts.violations(), ["§1.7: on_complete after on_complete"]);
    /// ```
    pub fn violations(&self) -> Vec<String> {
        self.lock().violations()
    }

    /// Waits until at least `n` items have arrived or the stream is over, at
    /// most `timeout`. Returns true when `n` items have arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// let publisher = source::range(0..3u8);
    /// std::thread::spawn({
    ///     let ts = ts.clone();
    ///     move || publisher.subscribe(ts)
    /// });
    /// assert!(ts.wait_for_count(3, Duration::from_secs(5)));
    /// assert!(!ts.wait_for_count(4, Duration::from_secs(5))); // it completed with 3
    /// ```
    pub fn wait_for_count(&self, n: usize, timeout: Duration) -> bool {
        let state = self.wait_until(timeout, |s| s.values.len() >= n || s.is_terminated());
        state.values.len() >= n
    }

    /// Waits until the stream is over (completed, failed, or ended after an
    /// overflow), at most `timeout`. Returns true if it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::unbounded();
    /// source::never().subscribe(ts.clone());
    /// assert!(!ts.wait_for_terminal(Duration::from_millis(10)));
    /// ```
    pub fn wait_for_terminal(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, State::is_terminated)
            .is_terminated()
    }

    /// Like [`wait_for_count`](Self::wait_for_count), but panics (failing the
    /// test) if `n` items did not arrive: on timeout, or because the stream
    /// ended with fewer.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// let publisher = source::range(0..10u32);
    /// std::thread::spawn({
    ///     let ts = ts.clone();
    ///     move || publisher.subscribe(ts)
    /// });
    /// ts.await_count(10, Duration::from_secs(5)).assert_value_count(10);
    /// ```
    #[track_caller]
    pub fn await_count(&self, n: usize, timeout: Duration) -> &Self {
        let state = self.wait_until(timeout, |s| s.values.len() >= n || s.is_terminated());
        let count = state.values.len();
        if count < n {
            if state.is_terminated() {
                panic!(
                    "await_count: expected {n} items, but the stream ended with {count} ({})",
                    state.terminal()
                );
            }
            panic!("await_count: expected {n} items within {timeout:?}, got {count}");
        }
        self
    }

    /// Like [`wait_for_terminal`](Self::wait_for_terminal), but panics
    /// (failing the test) if the stream is not over within `timeout`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// let publisher = source::just("done");
    /// std::thread::spawn({
    ///     let ts = ts.clone();
    ///     move || publisher.subscribe(ts)
    /// });
    /// ts.await_terminal(Duration::from_secs(5)).assert_values(&["done"]).assert_complete();
    /// ```
    #[track_caller]
    pub fn await_terminal(&self, timeout: Duration) -> &Self {
        let state = self.wait_until(timeout, State::is_terminated);
        if !state.is_terminated() {
            panic!(
                "await_terminal: no terminal signal within {timeout:?} ({} items received)",
                state.values.len()
            );
        }
        self
    }

    /// Blocks until `done(state)` or the timeout; returns the locked state.
    fn wait_until(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&State<T>) -> bool,
    ) -> MutexGuard<'_, State<T>> {
        let deadline = Instant::now().checked_add(timeout);
        let mut state = self.lock();
        while !done(&state) {
            match deadline {
                Some(deadline) => {
                    if self
                        .inner
                        .changed
                        .wait_until(&mut state, deadline)
                        .timed_out()
                    {
                        break;
                    }
                }
                // A timeout too large to represent: wait without one.
                None => self.inner.changed.wait(&mut state),
            }
        }
        state
    }

    /// Panics with `message` and the state of the record.
    #[track_caller]
    fn fail(state: &State<T>, message: fmt::Arguments<'_>) -> ! {
        panic!(
            "{message}\n  record: {} items, {}, requests {:?}, violations {:?}",
            state.values.len(),
            state.terminal(),
            state.requests,
            state.violations(),
        )
    }

    /// Panics if the publisher broke the protocol.
    #[track_caller]
    fn check_violations(state: &State<T>) {
        if !state.violations.is_empty() || state.suppressed > 0 {
            Self::fail(
                state,
                format_args!("the publisher broke the protocol: {:?}", state.violations()),
            );
        }
    }

    /// Asserts that the items received so far are exactly `expected`, and
    /// that no protocol violation was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::unbounded();
    /// source::just(5i64).subscribe(ts.clone());
    /// ts.assert_values(&[5]);
    /// ```
    #[track_caller]
    pub fn assert_values(&self, expected: &[T]) -> &Self
    where
        T: PartialEq + fmt::Debug,
    {
        let state = self.lock();
        Self::check_violations(&state);
        if state.values != expected {
            Self::fail(
                &state,
                format_args!("expected values {expected:?}, got {:?}", state.values),
            );
        }
        self
    }

    /// Asserts that no item was received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::unbounded();
    /// source::empty().subscribe(ts.clone());
    /// ts.assert_no_values();
    /// ```
    #[track_caller]
    pub fn assert_no_values(&self) -> &Self {
        let state = self.lock();
        if !state.values.is_empty() {
            Self::fail(
                &state,
                format_args!("expected no values, got {}", state.values.len()),
            );
        }
        self
    }

    /// Asserts that exactly `n` items were received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(3);
    /// source::range(0..10u16).subscribe(ts.clone());
    /// ts.assert_value_count(3);
    /// ```
    #[track_caller]
    pub fn assert_value_count(&self, n: usize) -> &Self {
        let state = self.lock();
        if state.values.len() != n {
            Self::fail(
                &state,
                format_args!("expected {n} values, got {}", state.values.len()),
            );
        }
        self
    }

    /// Asserts that the stream completed, without error, and that no protocol
    /// violation was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::empty().subscribe(ts.clone());
    /// ts.assert_complete();
    /// ```
    #[track_caller]
    pub fn assert_complete(&self) -> &Self {
        let state = self.lock();
        Self::check_violations(&state);
        if !state.completed || state.error.is_some() {
            Self::fail(
                &state,
                format_args!("expected on_complete, got {}", state.terminal()),
            );
        }
        self
    }

    /// Asserts that neither `on_complete` nor `on_error` was received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(1);
    /// source::range(0..2u8).subscribe(ts.clone());
    /// ts.assert_not_terminated();
    /// ```
    #[track_caller]
    pub fn assert_not_terminated(&self) -> &Self {
        let state = self.lock();
        if state.is_terminated() {
            Self::fail(
                &state,
                format_args!("expected no terminal signal, got {}", state.terminal()),
            );
        }
        self
    }

    /// Asserts that `on_subscribe` was received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::never().subscribe(ts.clone());
    /// ts.assert_subscribed();
    /// ```
    #[track_caller]
    pub fn assert_subscribed(&self) -> &Self {
        let state = self.lock();
        if !state.subscribed {
            Self::fail(&state, format_args!("expected on_subscribe, got none"));
        }
        self
    }

    /// Asserts that the stream failed with an error of this kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, ErrorKind, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::error(Error::new("x")).subscribe(ts.clone());
    /// ts.assert_error_kind(ErrorKind::Other);
    /// ```
    #[track_caller]
    pub fn assert_error_kind(&self, kind: ErrorKind) -> &Self {
        let state = self.lock();
        if state.error.as_ref().map(Error::kind) != Some(kind) {
            Self::fail(
                &state,
                format_args!(
                    "expected an error of kind {kind:?}, got {}",
                    state.terminal()
                ),
            );
        }
        self
    }

    /// Asserts that the stream failed with an error whose message contains
    /// `fragment`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::error(Error::new("connection reset by peer")).subscribe(ts.clone());
    /// ts.assert_error_message("reset");
    /// ```
    #[track_caller]
    pub fn assert_error_message(&self, fragment: &str) -> &Self {
        let state = self.lock();
        let matches = state
            .error
            .as_ref()
            .is_some_and(|error| error.to_string().contains(fragment));
        if !matches {
            Self::fail(
                &state,
                format_args!(
                    "expected an error whose message contains {fragment:?}, got {}",
                    state.terminal()
                ),
            );
        }
        self
    }

    /// Asserts that the stream failed with an error for which `predicate`
    /// holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Error, Publisher, TestSubscriber};
    ///
    /// let original = Error::new("x");
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::error(original.clone()).subscribe(ts.clone());
    /// ts.assert_error(|e| e.ptr_eq(&original));
    /// ```
    #[track_caller]
    pub fn assert_error(&self, predicate: impl FnOnce(&Error) -> bool) -> &Self {
        let state = self.lock();
        let matches = state.error.as_ref().is_some_and(predicate);
        if !matches {
            Self::fail(
                &state,
                format_args!(
                    "expected an error matching the predicate, got {}",
                    state.terminal()
                ),
            );
        }
        self
    }

    /// Asserts that no error was received (nor recorded after an overflow).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::<u8>::new(0);
    /// source::never().subscribe(ts.clone());
    /// ts.assert_no_error();
    /// ```
    #[track_caller]
    pub fn assert_no_error(&self) -> &Self {
        let state = self.lock();
        if let Some(error) = &state.error {
            Self::fail(&state, format_args!("expected no error, got {error}"));
        }
        self
    }

    /// Asserts that the publisher broke no rule this subscriber checks.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher, TestSubscriber};
    ///
    /// let ts = TestSubscriber::new(2);
    /// source::range(0..9u8).subscribe(ts.clone());
    /// ts.request(3);
    /// ts.assert_no_violations().assert_value_count(5);
    /// ```
    #[track_caller]
    pub fn assert_no_violations(&self) -> &Self {
        let state = self.lock();
        Self::check_violations(&state);
        self
    }
}

impl<T> Clone for TestSubscriber<T> {
    /// Another handle to the same record.
    fn clone(&self) -> Self {
        TestSubscriber {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for TestSubscriber<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("TestSubscriber")
            .field("subscribed", &state.subscribed)
            .field("items", &state.values.len())
            .field("terminal", &state.terminal())
            .field("cancelled", &state.cancelled)
            .field("requests", &state.requests)
            .field("violations", &state.violations())
            .finish()
    }
}

impl<T: Send> Subscriber<T> for TestSubscriber<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let mut state = self.lock();
        if state.subscribed || state.is_terminated() {
            let message = if state.subscribed {
                "§2.5: a second on_subscribe; the new subscription was cancelled".to_owned()
            } else {
                format!(
                    "§1.9: on_subscribe after {}; the subscription was cancelled",
                    state.terminal()
                )
            };
            state.violation(message);
            drop(state);
            self.inner.changed.notify_all();
            subscription.cancel();
            return;
        }
        state.subscribed = true;
        state.upstream = Some(Arc::clone(&subscription));
        let pending = core::mem::take(&mut state.pending);
        let cancelled = state.cancelled;
        if !cancelled {
            for &n in &pending {
                state.count_request(n);
            }
        }
        drop(state);
        self.inner.changed.notify_all();
        // Unlocked: a synchronous publisher emits from inside `request`.
        if cancelled {
            subscription.cancel();
        } else {
            for n in pending {
                subscription.request(n);
            }
        }
    }

    fn on_next(&mut self, item: T) {
        let mut state = self.lock();
        state.received = state.received.saturating_add(1);
        if state.overflowed {
            return; // cancelled after the overflow; §2.8
        }
        if !state.subscribed {
            state.violation("§1.9: on_next before on_subscribe".to_owned());
        } else if state.is_terminated() {
            let message = format!("§1.7: on_next after {}", state.terminal());
            state.violation(message);
        } else if state.outstanding == 0 {
            // §1.1: more than requested. Record it, end the record, cancel
            // upstream; never buffer the excess.
            let message = format!(
                "received {} items, more than the {} requested",
                state.received, state.requested
            );
            state.violation(format!("§1.1: on_next beyond demand: {message}"));
            state.overflowed = true;
            state.cancelled = true;
            let upstream = state.upstream.take();
            drop(state);
            // Cancel before the error becomes visible: a test that sees the
            // error then also sees the publisher cancelled.
            if let Some(upstream) = upstream {
                upstream.cancel();
            }
            self.lock().error = Some(Error::overflow(message));
            self.inner.changed.notify_all();
            return;
        } else {
            if state.outstanding != UNBOUNDED {
                state.outstanding -= 1;
            }
            state.values.push(item);
        }
        drop(state);
        self.inner.changed.notify_all();
    }

    fn on_error(&mut self, error: Error) {
        let mut state = self.lock();
        if state.overflowed {
            return; // cancelled after the overflow; a late terminal is fine
        }
        if state.is_terminated() {
            let message = format!("§1.7: on_error after {}", state.terminal());
            state.violation(message);
        } else {
            if !state.subscribed {
                state.violation("§1.9: on_error before on_subscribe".to_owned());
            }
            state.error = Some(error);
            state.upstream = None; // §2.3: dropped, never called
        }
        drop(state);
        self.inner.changed.notify_all();
    }

    fn on_complete(&mut self) {
        let mut state = self.lock();
        if state.overflowed {
            return; // cancelled after the overflow; a late terminal is fine
        }
        if state.is_terminated() {
            let message = format!("§1.7: on_complete after {}", state.terminal());
            state.violation(message);
        } else {
            if !state.subscribed {
                state.violation("§1.9: on_complete before on_subscribe".to_owned());
            }
            state.completed = true;
            state.upstream = None; // §2.3: dropped, never called
        }
        drop(state);
        self.inner.changed.notify_all();
    }
}
