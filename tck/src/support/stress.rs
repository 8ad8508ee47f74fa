//! What the stochastic tests that race other threads against a publisher's
//! emission are made of: [`StressSubscriber`], the rounds they repeat
//! ([`Rounds`], longer in stress mode) and the randomized pauses between
//! their steps ([`Pauses`]).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::{Error, Subscriber, Subscription};

use crate::env::TestEnvironment;
use crate::outcome::TckResult;
use crate::support::manual_subscriber::SequenceCheck;
use crate::support::{Latch, OverlapDetector, Promise, RunawayGuard, Signal};
use crate::sync::lock;

/// A subscriber that other threads drive: it counts what it requested and
/// received, and records (as violations) any `on_next` beyond the demand
/// (§1.1), any signal after a terminal one (§1.7), overlapping signals
/// (§1.3), an item that is not the declared one, and stops a runaway like
/// every TCK subscriber. Items are counted, not kept.
///
/// Its own `request` calls are serial (§2.7: a lock is held across each),
/// whichever thread makes them; so its `on_next` must not request (a
/// synchronous publisher calls it inside `request`, with the lock held).
/// `cancel` takes no lock: §3.5 makes `cancel` thread-safe.
pub(crate) struct StressSubscriber<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    env: TestEnvironment,
    detector: OverlapDetector,
    subscription: Promise<Arc<dyn Subscription>>,
    /// Held across each `request` (§2.7).
    serial: Mutex<()>,
    counts: Mutex<Counts>,
    completed: Latch,
    guard: RunawayGuard,
    sequence: Option<SequenceCheck<T>>,
    on_next: Mutex<Option<OnNext>>,
}

/// Runs inside `on_next` with the item's number (1 for the first).
type OnNext = Arc<dyn Fn(u64) + Send + Sync>;

#[derive(Default)]
struct Counts {
    requested: u64,
    delivered: u64,
    terminal: Option<Signal>,
    over_demand_reported: bool,
    sequence_reported: bool,
}

impl<T> Clone for StressSubscriber<T> {
    fn clone(&self) -> Self {
        StressSubscriber {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for StressSubscriber<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = lock(&self.inner.counts);
        f.debug_struct("StressSubscriber")
            .field("requested", &c.requested)
            .field("delivered", &c.delivered)
            .field("terminal", &c.terminal)
            .finish()
    }
}

impl<T> StressSubscriber<T> {
    /// A subscriber recording into `env`, checking items against `sequence`.
    pub(crate) fn new(env: &TestEnvironment, sequence: Option<SequenceCheck<T>>) -> Self {
        StressSubscriber {
            inner: Arc::new(Inner {
                env: env.clone(),
                detector: OverlapDetector::new(env),
                subscription: Promise::new(),
                serial: Mutex::new(()),
                counts: Mutex::default(),
                completed: Latch::new(),
                guard: RunawayGuard::default(),
                sequence,
                on_next: Mutex::new(None),
            }),
        }
    }

    /// Runs `hook` inside every `on_next` (which must not request).
    pub(crate) fn on_next(&self, hook: impl Fn(u64) + Send + Sync + 'static) {
        *lock(&self.inner.on_next) = Some(Arc::new(hook));
    }

    /// Waits (default timeout) for `on_subscribe`.
    pub(crate) fn expect_subscription(&self) -> TckResult<Arc<dyn Subscription>> {
        self.inner.subscription.expect_completion(
            self.inner.env.default_timeout(),
            "Did not receive onSubscribe (§1.9: subscribe must call onSubscribe)",
        )
    }

    /// Requests `n`, counting it first, with the serial lock held (§2.7).
    pub(crate) fn request(&self, n: u64) {
        let Some(subscription) = self.inner.subscription.value() else {
            return self
                .inner
                .env
                .flop("Cannot request before having received a subscription");
        };
        let _serial = lock(&self.inner.serial);
        {
            let mut c = lock(&self.inner.counts);
            c.requested = c.requested.saturating_add(n);
        }
        subscription.request(n);
    }

    /// Cancels (no lock: §3.5), then tells the runaway guard.
    pub(crate) fn cancel(&self) {
        if let Some(subscription) = self.inner.subscription.value() {
            subscription.cancel();
            self.inner.guard.cancelled();
        }
    }

    /// Total requested so far.
    pub(crate) fn requested(&self) -> u64 {
        lock(&self.inner.counts).requested
    }

    /// Items received so far.
    pub(crate) fn delivered(&self) -> u64 {
        lock(&self.inner.counts).delivered
    }

    /// The terminal signal received, if any.
    pub(crate) fn terminal(&self) -> Option<Signal> {
        lock(&self.inner.counts).terminal
    }

    /// Closed by `on_complete`.
    pub(crate) fn completed(&self) -> &Latch {
        &self.inner.completed
    }

    /// Waits until no item arrived for a whole no-signals timeout, or
    /// `timeout` passed; true if it went quiet.
    pub(crate) fn wait_quiet(&self, timeout: Duration) -> bool {
        let quiet = self.inner.env.no_signals_timeout();
        let end = Instant::now() + timeout;
        let mut seen = self.delivered();
        loop {
            std::thread::sleep(quiet);
            let now = self.delivered();
            if now == seen {
                return true;
            }
            if Instant::now() >= end {
                return false;
            }
            seen = now;
        }
    }

    /// Records a signal after the terminal one (once per kind of check).
    fn terminated(&self, c: &Counts, what: &str) -> bool {
        match c.terminal {
            Some(terminal) => {
                self.inner.env.flop_violation(format!(
                    "Subscriber::{what} signalled after {terminal} (§1.7: no signal may follow \
                     a terminal one)"
                ));
                true
            }
            None => false,
        }
    }
}

impl<T: fmt::Debug + Send + 'static> Subscriber<T> for StressSubscriber<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let inner = &self.inner;
        inner.env.observe("on_subscribe");
        let _scope = inner.detector.enter(Signal::OnSubscribe);
        if let Err(second) = inner.subscription.complete(subscription) {
            inner
                .env
                .flop_violation("Subscriber::onSubscribe called twice (§1.9)");
            second.cancel();
        }
    }

    fn on_next(&mut self, item: T) {
        let inner = &self.inner;
        inner.env.observe("on_next");
        inner.guard.on_next(&inner.env, inner.subscription.value());
        let _scope = inner.detector.enter(Signal::OnNext);
        if !inner.subscription.is_completed() {
            return inner.env.flop_violation(format!(
                "Subscriber::onNext({item:?}) called before Subscriber::onSubscribe (§1.9)"
            ));
        }
        let mut c = lock(&inner.counts);
        if self.terminated(&c, "on_next") {
            return;
        }
        c.delivered += 1;
        let index = c.delivered;
        if c.delivered > c.requested && !c.over_demand_reported {
            c.over_demand_reported = true;
            inner.env.flop_violation(format!(
                "onNext({item:?}) was signal #{}, which is more than the signalled demand: {} \
                 (§1.1)",
                c.delivered, c.requested
            ));
        }
        if !c.sequence_reported {
            if let Some(mismatch) = inner.sequence.as_ref().and_then(|s| s(index - 1, &item)) {
                c.sequence_reported = true;
                inner.env.flop_violation(mismatch);
            }
        }
        drop(c);
        let hook = lock(&inner.on_next).clone();
        if let Some(hook) = hook {
            hook(index);
        }
    }

    fn on_error(&mut self, error: Error) {
        let inner = &self.inner;
        inner.env.observe("on_error");
        let _scope = inner.detector.enter(Signal::OnError);
        let mut c = lock(&inner.counts);
        if self.terminated(&c, "on_error") {
            return;
        }
        c.terminal = Some(Signal::OnError);
        drop(c);
        inner
            .env
            .flop_error(error, "Unexpected Subscriber::onError");
    }

    fn on_complete(&mut self) {
        let inner = &self.inner;
        inner.env.observe("on_complete");
        {
            let _scope = inner.detector.enter(Signal::OnComplete);
            let mut c = lock(&inner.counts);
            if self.terminated(&c, "on_complete") {
                return;
            }
            c.terminal = Some(Signal::OnComplete);
        }
        inner.completed.close();
    }
}

/// The rounds a stochastic test repeats: at least `min`, and in stress mode
/// ([`TestEnvironment::stress`]) as many more as fit in the budget.
pub(crate) struct Rounds {
    min: u32,
    done: u32,
    until: Option<Instant>,
}

impl Rounds {
    pub(crate) fn new(env: &TestEnvironment, min: u32) -> Rounds {
        let stress = env.stress();
        Rounds {
            min,
            done: 0,
            until: (!stress.is_zero()).then(|| Instant::now() + stress),
        }
    }
}

impl Iterator for Rounds {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let more = self.done < self.min || self.until.is_some_and(|end| Instant::now() < end);
        more.then(|| {
            self.done += 1;
            self.done - 1
        })
    }
}

/// Randomized short pauses (nothing, a spin, a yield, a sleep of up to
/// 200 µs) between the steps of a race, so that repeated rounds meet the
/// publisher at different points of its emission. A xorshift generator
/// seeded from the clock: no dependency, no reproducibility promised.
pub(crate) struct Pauses(u64);

impl Pauses {
    pub(crate) fn new(salt: u64) -> Pauses {
        let nanos = Instant::now().elapsed().as_nanos() as u64
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
        Pauses((nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    /// The next random number.
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A random number in `1..=max`.
    pub(crate) fn between_1_and(&mut self, max: u64) -> u64 {
        1 + self.next() % max.max(1)
    }

    /// A random short pause.
    pub(crate) fn pause(&mut self) {
        match self.next() % 4 {
            0 => {}
            1 => {
                for _ in 0..self.next() % 2000 {
                    std::hint::spin_loop();
                }
            }
            2 => std::thread::yield_now(),
            _ => std::thread::sleep(Duration::from_micros(self.next() % 200)),
        }
    }
}
