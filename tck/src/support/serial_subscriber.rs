//! `SerialSignalsSubscriber`: the subscriber of the stochastic §1.3 test.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use reactive_streams::{Error, Subscriber, Subscription};

use crate::env::TestEnvironment;
use crate::support::{Latch, OverlapDetector, Promise, RunawayGuard, Signal};

/// Requests one item in `on_subscribe` and one more per item (one more than
/// the stream holds, as some publishers need to see demand before they can
/// complete), and runs every signal through an [`OverlapDetector`], which
/// records a §1.3 violation when two threads signal it at once.
///
/// It is a cheap handle, and public, so that a self-test can play a publisher
/// whose broken drain loop signals one subscriber from two threads (safe Rust
/// cannot do that to an arbitrary `S: Subscriber`, whose methods take
/// `&mut self`; a clone of this handle stands for the second thread's
/// aliasing `&mut`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams::{source, Publisher};
/// use reactive_streams_tck::support::SerialSignalsSubscriber;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let sub = SerialSignalsSubscriber::new(&env, 10);
/// source::range(0..10u32).subscribe(sub.clone());
/// sub.completed().expect_close(Duration::from_secs(1), "no completion").unwrap();
/// assert_eq!(sub.received(), 10);
/// env.verify_no_async_errors_no_delay().unwrap();
/// ```
pub struct SerialSignalsSubscriber {
    inner: Arc<Inner>,
}

struct Inner {
    env: TestEnvironment,
    detector: OverlapDetector,
    subscription: Promise<Arc<dyn Subscription>>,
    elements: u64,
    received: AtomicU64,
    completed: Latch,
    guard: RunawayGuard,
}

impl Clone for SerialSignalsSubscriber {
    fn clone(&self) -> Self {
        SerialSignalsSubscriber {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl fmt::Debug for SerialSignalsSubscriber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerialSignalsSubscriber")
            .field("elements", &self.inner.elements)
            .field("received", &self.received())
            .field("completed", &self.inner.completed.is_closed())
            .finish()
    }
}

impl SerialSignalsSubscriber {
    /// A subscriber for a stream of `elements` items, recording into `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::SerialSignalsSubscriber;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert_eq!(SerialSignalsSubscriber::new(&TestEnvironment::new(), 3).received(), 0);
    /// ```
    pub fn new(env: &TestEnvironment, elements: u64) -> SerialSignalsSubscriber {
        SerialSignalsSubscriber {
            inner: Arc::new(Inner {
                env: env.clone(),
                detector: OverlapDetector::new(env),
                subscription: Promise::new(),
                elements,
                received: AtomicU64::new(0),
                completed: Latch::new(),
                guard: RunawayGuard::default(),
            }),
        }
    }

    /// How many items arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::SerialSignalsSubscriber;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert_eq!(SerialSignalsSubscriber::new(&TestEnvironment::new(), 1).received(), 0);
    /// ```
    pub fn received(&self) -> u64 {
        self.inner.received.load(Ordering::SeqCst)
    }

    /// Closed by `on_complete`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::SerialSignalsSubscriber;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// assert!(!SerialSignalsSubscriber::new(&TestEnvironment::new(), 1).completed().is_closed());
    /// ```
    pub fn completed(&self) -> &Latch {
        &self.inner.completed
    }

    /// Cancels the subscription, if there is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Publisher};
    /// use reactive_streams_tck::support::SerialSignalsSubscriber;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let sub = SerialSignalsSubscriber::new(&TestEnvironment::new(), 10);
    /// source::never::<u8>().subscribe(sub.clone());
    /// sub.cancel();
    /// ```
    pub fn cancel(&self) {
        if let Some(subscription) = self.inner.subscription.value() {
            subscription.cancel();
            self.inner.guard.cancelled();
        }
    }

    fn request_one(&self) {
        // Cloned out of the promise first: a synchronous publisher signals
        // again from inside `request`.
        if let Some(subscription) = self.inner.subscription.value() {
            subscription.request(1);
        }
    }
}

impl<T: Send> Subscriber<T> for SerialSignalsSubscriber {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.env.observe("on_subscribe");
        let _scope = self.inner.detector.enter(Signal::OnSubscribe);
        if let Err(second) = self.inner.subscription.complete(subscription) {
            self.inner
                .env
                .flop_violation("Subscriber::onSubscribe called twice (§1.9)");
            second.cancel();
            return;
        }
        self.request_one();
    }

    fn on_next(&mut self, _item: T) {
        self.inner.env.observe("on_next");
        self.inner
            .guard
            .on_next(&self.inner.env, self.inner.subscription.value());
        let _scope = self.inner.detector.enter(Signal::OnNext);
        let received = self.inner.received.fetch_add(1, Ordering::SeqCst) + 1;
        if received <= self.inner.elements {
            self.request_one();
        }
    }

    fn on_error(&mut self, error: Error) {
        self.inner.env.observe("on_error");
        let _scope = self.inner.detector.enter(Signal::OnError);
        self.inner
            .env
            .flop_error(error, "Unexpected Subscriber::onError");
    }

    fn on_complete(&mut self) {
        self.inner.env.observe("on_complete");
        {
            let _scope = self.inner.detector.enter(Signal::OnComplete);
        }
        self.inner.completed.close();
    }
}
