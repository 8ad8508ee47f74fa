//! `Latch`: a one-shot gate that can be waited on and reopened.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::outcome::{Stop, TckResult};
use crate::sync::{deadline, lock, millis, wait_until};

/// A gate that starts open and is closed once (by a callback, usually);
/// the test thread waits for it to close.
///
/// Cheap to clone; clones share the gate.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams_tck::support::Latch;
///
/// let completed = Latch::new();
/// let in_callback = completed.clone();
/// std::thread::spawn(move || in_callback.close());
/// completed.expect_close(Duration::from_secs(5), "Did not receive onComplete").unwrap();
/// assert!(completed.is_closed());
/// completed.reopen();
/// assert!(!completed.is_closed());
/// ```
#[derive(Clone, Default)]
pub struct Latch {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    closed: Mutex<bool>,
    changed: Condvar,
}

impl fmt::Debug for Latch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Latch")
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl Latch {
    /// An open latch.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Latch;
    ///
    /// assert!(!Latch::new().is_closed());
    /// ```
    pub fn new() -> Latch {
        Latch::default()
    }

    /// Closes the latch, waking every waiter. Closing a closed latch does
    /// nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Latch;
    ///
    /// let latch = Latch::new();
    /// latch.close();
    /// latch.close();
    /// assert!(latch.is_closed());
    /// ```
    pub fn close(&self) {
        *lock(&self.inner.closed) = true;
        self.inner.changed.notify_all();
    }

    /// Opens the latch again.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Latch;
    ///
    /// let latch = Latch::new();
    /// latch.close();
    /// latch.reopen();
    /// assert!(!latch.is_closed());
    /// ```
    pub fn reopen(&self) {
        *lock(&self.inner.closed) = false;
    }

    /// Whether the latch is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Latch;
    ///
    /// assert!(!Latch::new().is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        *lock(&self.inner.closed)
    }

    /// Waits up to `timeout` for the latch to close; true if it did.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::Latch;
    ///
    /// assert!(!Latch::new().wait_closed(Duration::from_millis(1)));
    /// ```
    pub fn wait_closed(&self, timeout: Duration) -> bool {
        let guard = lock(&self.inner.closed);
        wait_until(&self.inner.changed, guard, deadline(timeout), |c| *c).1
    }

    /// Waits up to `timeout` for the latch to close, or fails with
    /// "`{message}` within N ms".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::Latch;
    ///
    /// let failure = Latch::new()
    ///     .expect_close(Duration::from_millis(5), "Should have received onSubscribe")
    ///     .unwrap_err();
    /// assert_eq!(failure.message(), "Should have received onSubscribe within 5 ms");
    /// ```
    pub fn expect_close(&self, timeout: Duration, message: &str) -> TckResult {
        if self.wait_closed(timeout) {
            Ok(())
        } else {
            Err(Stop::fail(format!(
                "{message} within {} ms",
                millis(timeout)
            )))
        }
    }
}
