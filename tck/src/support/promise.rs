//! `Promise`: a single value, set once, that can be waited for.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::outcome::{Stop, TckResult};
use crate::sync::{deadline, lock, millis, wait_until};

/// A slot for one value that cannot be reset: the second
/// [`complete`](Promise::complete) is refused and hands its value back.
///
/// Cheap to clone; clones share the slot.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams_tck::support::Promise;
///
/// let p = Promise::new();
/// assert!(p.complete(1).is_ok());
/// assert_eq!(p.complete(2), Err(2));
/// assert_eq!(p.expect_completion(Duration::from_millis(1), "no value").unwrap(), 1);
/// ```
pub struct Promise<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    value: Mutex<Option<T>>,
    changed: Condvar,
}

impl<T> Clone for Promise<T> {
    fn clone(&self) -> Self {
        Promise {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> Default for Promise<T> {
    fn default() -> Self {
        Promise::new()
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise")
            .field("completed", &self.is_completed())
            .finish()
    }
}

impl<T> Promise<T> {
    /// An empty promise.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Promise;
    ///
    /// assert!(!Promise::<u8>::new().is_completed());
    /// ```
    pub fn new() -> Promise<T> {
        Promise {
            inner: Arc::new(Inner {
                value: Mutex::new(None),
                changed: Condvar::new(),
            }),
        }
    }

    /// Sets the value; `Err(value)` if it was already set.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Promise;
    ///
    /// let p = Promise::new();
    /// assert_eq!(p.complete("a"), Ok(()));
    /// assert_eq!(p.complete("b"), Err("b"));
    /// ```
    pub fn complete(&self, value: T) -> Result<(), T> {
        let mut slot = lock(&self.inner.value);
        if slot.is_some() {
            return Err(value);
        }
        *slot = Some(value);
        drop(slot);
        self.inner.changed.notify_all();
        Ok(())
    }

    /// Whether the value is set.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Promise;
    ///
    /// let p = Promise::new();
    /// p.complete(()).unwrap();
    /// assert!(p.is_completed());
    /// ```
    pub fn is_completed(&self) -> bool {
        lock(&self.inner.value).is_some()
    }

    /// Takes the value out, leaving the promise empty (so that a test can
    /// drop what it held, §3.13); it can then be completed again.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Promise;
    ///
    /// let p = Promise::new();
    /// p.complete(5).unwrap();
    /// assert_eq!(p.take(), Some(5));
    /// assert!(!p.is_completed());
    /// ```
    pub fn take(&self) -> Option<T> {
        lock(&self.inner.value).take()
    }
}

impl<T: Clone> Promise<T> {
    /// A clone of the value, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Promise;
    ///
    /// let p = Promise::new();
    /// assert_eq!(p.value(), None);
    /// p.complete(3).unwrap();
    /// assert_eq!(p.value(), Some(3));
    /// ```
    pub fn value(&self) -> Option<T> {
        lock(&self.inner.value).clone()
    }

    /// Waits up to `timeout` for the value, or fails with "`{message}` within
    /// N ms".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::Promise;
    ///
    /// let p = Promise::<u8>::new();
    /// let failure = p.expect_completion(Duration::from_millis(2), "No value").unwrap_err();
    /// assert_eq!(failure.message(), "No value within 2 ms");
    /// ```
    pub fn expect_completion(&self, timeout: Duration, message: &str) -> TckResult<T> {
        let guard = lock(&self.inner.value);
        let (guard, done) = wait_until(&self.inner.changed, guard, deadline(timeout), |v| {
            v.is_some()
        });
        match (done, guard.as_ref()) {
            (true, Some(value)) => Ok(value.clone()),
            _ => Err(Stop::fail(format!(
                "{message} within {} ms",
                millis(timeout)
            ))),
        }
    }
}
