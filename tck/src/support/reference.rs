//! The §3.13 check: after `cancel`, a publisher must drop its references to
//! the subscriber.
//!
//! The JVM TCK keeps a `WeakReference` to the subscriber, sleeps, runs the
//! garbage collector and looks whether the reference was cleared (G7: flaky).
//! Rust has no collector, so the check is deterministic: [`track`] wraps the
//! subscriber in a [`Tracked`] that owns the only strong `Arc` of a token, and
//! hands the test a [`DropProbe`] with a `Weak` to that token. The `Weak`
//! dies exactly when the publisher drops the subscriber, and the probe is
//! woken at that moment, so [`DropProbe::expect_dropped`] waits no longer
//! than it must.
//!
//! What an implementation must do to pass: once cancelled, drop the
//! subscriber value (and anything owning it) within the grace period. A
//! subscription that keeps the subscriber after `cancel` forms a reference
//! cycle with it (the subscriber holds the `Arc<dyn Subscription>` it was
//! given), which without a collector is never freed: take the subscriber out
//! of its slot on cancel (`Option::take`), or refer back to it through `Weak`.

use std::fmt;
use std::sync::{Arc, Weak};
use std::time::Duration;

use reactive_streams::{Error, Subscriber, Subscription};

use crate::support::Latch;

/// Creates the token-carrying wrapper around `subscriber` and the probe that
/// sees it dropped.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams::{source, Publisher};
/// use reactive_streams_tck::support::{reference, ManualSubscriber};
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let sub = ManualSubscriber::<u32>::new(&env);
/// let (tracked, probe) = reference::track(sub.clone());
/// source::range(0..3u32).subscribe(tracked);
/// sub.expect_subscription(env.default_timeout()).unwrap();
/// assert!(!probe.is_dropped());
/// sub.cancel();
/// drop(sub); // the test's own handle holds the subscription, not the subscriber
/// assert!(probe.expect_dropped(Duration::from_secs(1)));
/// ```
pub fn track<S>(subscriber: S) -> (Tracked<S>, DropProbe) {
    let dropped = Latch::new();
    let token = Arc::new(Token {
        dropped: dropped.clone(),
    });
    let probe = DropProbe {
        weak: Arc::downgrade(&token),
        dropped,
    };
    (
        Tracked {
            subscriber,
            _token: token,
        },
        probe,
    )
}

/// A subscriber that tells its [`DropProbe`] when it is dropped. Forwards
/// every signal to the wrapped subscriber.
pub struct Tracked<S> {
    subscriber: S,
    _token: Arc<Token>,
}

struct Token {
    dropped: Latch,
}

impl Drop for Token {
    fn drop(&mut self) {
        self.dropped.close();
    }
}

impl<S> fmt::Debug for Tracked<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracked").finish_non_exhaustive()
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for Tracked<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.subscriber.on_subscribe(subscription)
    }

    fn on_next(&mut self, item: T) {
        self.subscriber.on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.subscriber.on_error(error)
    }

    fn on_complete(&mut self) {
        self.subscriber.on_complete()
    }
}

/// Sees a [`Tracked`] subscriber dropped: holds a `Weak` to its token.
#[derive(Clone)]
pub struct DropProbe {
    weak: Weak<Token>,
    dropped: Latch,
}

impl fmt::Debug for DropProbe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DropProbe")
            .field("dropped", &self.is_dropped())
            .finish()
    }
}

impl DropProbe {
    /// Whether the subscriber was dropped: the `Weak` no longer upgrades.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::reference;
    ///
    /// let (tracked, probe) = reference::track(());
    /// assert!(!probe.is_dropped());
    /// drop(tracked);
    /// assert!(probe.is_dropped());
    /// ```
    pub fn is_dropped(&self) -> bool {
        self.weak.upgrade().is_none()
    }

    /// Waits up to `grace` for the subscriber to be dropped; true if it was.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::reference;
    ///
    /// let (tracked, probe) = reference::track(());
    /// std::thread::spawn(move || drop(tracked));
    /// assert!(probe.expect_dropped(Duration::from_secs(5)));
    /// ```
    pub fn expect_dropped(&self, grace: Duration) -> bool {
        self.dropped.wait_closed(grace);
        self.is_dropped()
    }
}
