//! The §2.3 marker: which TCK-driven signal the current thread is inside.
//!
//! §2.3 forbids `on_complete` and `on_error` to call the subscription or the
//! publisher. The JVM TCK finds out by searching the stack trace for a
//! uniquely named TCK method; Rust has no such stack inspection, so the TCK
//! marks the thread instead: it calls the subscriber's `on_complete` inside
//! [`mark`]`(Signal::OnComplete, ..)`, and a checking subscription asks
//! [`current`] whether it is being called from within. Like the JVM check,
//! this sees calls made synchronously on the signalling thread only (G13); a
//! call from another thread during the signal is not noticed.

use std::cell::Cell;

use crate::env::TestEnvironment;
use crate::support::Signal;

thread_local! {
    static CURRENT: Cell<Option<Signal>> = const { Cell::new(None) };
}

/// Restores the thread's previous marker when dropped (also on panic).
#[derive(Debug)]
#[must_use = "the marker is removed when the guard is dropped"]
pub struct MarkerGuard {
    previous: Option<Signal>,
}

impl Drop for MarkerGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// Marks the current thread as being inside `signal` until the guard drops.
/// Marks nest: the innermost one is [`current`].
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::{signal_marker, Signal};
///
/// assert_eq!(signal_marker::current(), None);
/// {
///     let _outer = signal_marker::mark(Signal::OnComplete);
///     assert_eq!(signal_marker::current(), Some(Signal::OnComplete));
///     {
///         let _inner = signal_marker::mark(Signal::OnNext);
///         assert_eq!(signal_marker::current(), Some(Signal::OnNext));
///     }
///     assert_eq!(signal_marker::current(), Some(Signal::OnComplete));
/// }
/// assert_eq!(signal_marker::current(), None);
/// ```
pub fn mark(signal: Signal) -> MarkerGuard {
    let previous = CURRENT.with(|c| c.replace(Some(signal)));
    MarkerGuard { previous }
}

/// Runs `f` with the thread marked as inside `signal`.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::{signal_marker, Signal};
///
/// let seen = signal_marker::within(Signal::OnError, signal_marker::current);
/// assert_eq!(seen, Some(Signal::OnError));
/// ```
pub fn within<R>(signal: Signal, f: impl FnOnce() -> R) -> R {
    let _guard = mark(signal);
    f()
}

/// The innermost TCK-driven signal the current thread is inside, if any.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::signal_marker;
///
/// assert_eq!(signal_marker::current(), None);
/// ```
pub fn current() -> Option<Signal> {
    CURRENT.with(Cell::get)
}

/// For a TCK subscription's `request` or `cancel` (named by `method`):
/// records a §2.3 violation in `env` if the thread is inside a TCK-driven
/// `on_complete` or `on_error`. Returns whether it did.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::{signal_marker, Signal};
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// assert!(!signal_marker::check_not_terminal(&env, "request"));
/// signal_marker::within(Signal::OnComplete, || signal_marker::check_not_terminal(&env, "request"));
/// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
/// assert!(failure.message().contains(
///     "Subscription::request MUST NOT be called from Subscriber::on_complete (Rule 2.3)!"
/// ));
/// ```
pub fn check_not_terminal(env: &TestEnvironment, method: &str) -> bool {
    match current() {
        Some(signal) if signal.is_terminal() => {
            env.flop_violation(format!(
                "Subscription::{method} MUST NOT be called from Subscriber::{signal} (Rule 2.3)!"
            ));
            true
        }
        _ => false,
    }
}
