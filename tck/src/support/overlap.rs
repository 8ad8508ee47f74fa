//! The §1.3 detector: signals to one subscriber must not overlap.
//!
//! `Subscriber` methods take `&mut self`, so in safe Rust a publisher cannot
//! call two of them at once on one subscriber. Overlap comes from `unsafe`
//! code: a drain loop whose work-in-progress protocol lets two threads in, a
//! subscriber shared through a raw pointer. The detector is how the TCK sees
//! such a bug: every signal [`enter`](OverlapDetector::enter)s it and leaves
//! when the returned scope drops; entering from a second thread while a first
//! one is inside records a §1.3 violation. A signal re-entered on the same
//! thread (a synchronous `request` inside `on_next` that emits again) is
//! nesting, not overlap, and is allowed, as in the JVM TCK.
//!
//! The same detector serves §2.7 on the other side: a subscriber must call
//! its subscription's `request` and `cancel` serially, so a
//! [`ProbeSubscription`](crate::support::ProbeSubscription) enters it (as a
//! call, not a signal) in every `request` and `cancel`.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use crate::env::TestEnvironment;
use crate::support::Signal;
use crate::sync::lock;

/// Tracks which thread is inside a signal, and how deep.
///
/// Cheap to clone; clones share the state.
///
/// # Examples
///
/// ```
/// use std::sync::mpsc;
/// use reactive_streams_tck::support::{OverlapDetector, Signal};
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let detector = OverlapDetector::new(&env);
///
/// // Nesting on one thread is fine.
/// {
///     let _outer = detector.enter(Signal::OnNext);
///     let _inner = detector.enter(Signal::OnNext);
/// }
/// assert!(env.verify_no_async_errors_no_delay().is_ok());
///
/// // A second thread entering while the first is inside is not.
/// let (entered, go_on) = (mpsc::channel(), mpsc::channel::<()>());
/// let other = detector.clone();
/// let t = std::thread::spawn(move || {
///     let _scope = other.enter(Signal::OnNext);
///     entered.0.send(()).unwrap();
///     go_on.1.recv().unwrap();
/// });
/// entered.1.recv().unwrap();
/// drop(detector.enter(Signal::OnComplete));
/// go_on.0.send(()).unwrap();
/// t.join().unwrap();
/// let failure = env.verify_no_async_errors_no_delay().unwrap_err();
/// assert!(failure.message().contains("Illegal concurrent access detected"));
/// ```
#[derive(Clone)]
pub struct OverlapDetector {
    inner: Arc<Inner>,
}

struct Inner {
    env: TestEnvironment,
    active: Mutex<Option<Active>>,
}

struct Active {
    thread: ThreadId,
    entry: Entry,
    depth: usize,
}

/// What a thread is inside: a subscriber's signal (§1.3), or a call on a
/// subscription (§2.7).
#[derive(Clone, Copy)]
enum Entry {
    Signal(Signal),
    Call(&'static str),
}

impl Entry {
    /// "Illegal concurrent access detected ...", with the rule.
    fn overlap(self, me: ThreadId, other: ThreadId, previous: Entry) -> String {
        match (self, previous) {
            (Entry::Signal(signal), Entry::Signal(previous)) => format!(
                "Illegal concurrent access detected (entering critical section)! {me:?} \
                 emitted {signal} signal, before {other:?} finished its {previous} signal \
                 (§1.3: signals must not overlap)"
            ),
            (this, previous) => format!(
                "Illegal concurrent access detected! {me:?} called Subscription::{} while \
                 {other:?} was still inside Subscription::{} (§2.7: a subscriber must call \
                 request and cancel serially)",
                this.name(),
                previous.name()
            ),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Entry::Signal(signal) => signal.name(),
            Entry::Call(call) => call,
        }
    }
}

impl fmt::Debug for OverlapDetector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let active = lock(&self.inner.active);
        f.debug_struct("OverlapDetector")
            .field("in", &active.as_ref().map(|a| a.entry.name()))
            .finish()
    }
}

impl OverlapDetector {
    /// A detector that records violations in `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::OverlapDetector;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let detector = OverlapDetector::new(&TestEnvironment::new());
    /// assert_eq!(detector.current(), None);
    /// ```
    pub fn new(env: &TestEnvironment) -> OverlapDetector {
        OverlapDetector {
            inner: Arc::new(Inner {
                env: env.clone(),
                active: Mutex::new(None),
            }),
        }
    }

    /// Enters `signal` on the current thread; leave by dropping the scope.
    /// Records "Illegal concurrent access detected ..." (§1.3) if another
    /// thread is inside a signal.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::{OverlapDetector, Signal};
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let detector = OverlapDetector::new(&TestEnvironment::new());
    /// let scope = detector.enter(Signal::OnSubscribe);
    /// assert_eq!(detector.current(), Some(Signal::OnSubscribe));
    /// drop(scope);
    /// assert_eq!(detector.current(), None);
    /// ```
    pub fn enter(&self, signal: Signal) -> SignalScope<'_> {
        self.enter_entry(Entry::Signal(signal))
    }

    /// Enters the call `call` (`"request"` or `"cancel"`) on a subscription;
    /// records a §2.7 violation if another thread is inside one.
    pub(crate) fn enter_call(&self, call: &'static str) -> SignalScope<'_> {
        self.enter_entry(Entry::Call(call))
    }

    fn enter_entry(&self, entry: Entry) -> SignalScope<'_> {
        let me = thread::current().id();
        let mut active = lock(&self.inner.active);
        let counted = match active.as_mut() {
            None => {
                *active = Some(Active {
                    thread: me,
                    entry,
                    depth: 1,
                });
                true
            }
            Some(a) if a.thread == me => {
                a.depth += 1;
                true
            }
            Some(a) => {
                let (other, previous) = (a.thread, a.entry);
                drop(active);
                self.inner
                    .env
                    .flop_violation(entry.overlap(me, other, previous));
                false
            }
        };
        SignalScope {
            detector: self,
            counted,
        }
    }

    /// The outermost signal some thread is inside, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::OverlapDetector;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(OverlapDetector::new(&TestEnvironment::new()).current().is_none());
    /// ```
    pub fn current(&self) -> Option<Signal> {
        match lock(&self.inner.active).as_ref()?.entry {
            Entry::Signal(signal) => Some(signal),
            Entry::Call(_) => None,
        }
    }

    fn leave(&self) {
        let mut active = lock(&self.inner.active);
        if let Some(a) = active.as_mut() {
            a.depth -= 1;
            if a.depth == 0 {
                *active = None;
            }
        }
    }
}

/// The time a thread spends inside one signal; leaves it when dropped.
#[derive(Debug)]
#[must_use = "the signal is left when the scope is dropped"]
pub struct SignalScope<'a> {
    detector: &'a OverlapDetector,
    /// False for an overlapping entry, which was recorded and not counted.
    counted: bool,
}

impl Drop for SignalScope<'_> {
    fn drop(&mut self) {
        if self.counted {
            self.detector.leave();
        }
    }
}
