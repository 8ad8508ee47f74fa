//! Property tests of the `author` blocks: any schedule of requests and
//! cancels, from the subscriber's own signals and from two other threads,
//! through a publisher built on `author::subscribe_pull` gives at most the
//! demand, in order, with at most one terminal signal and nothing after it.
//!
//! Two pulls are exercised: a finite one that knows its end (a plain
//! synchronous source) and one fed by a producer thread that wakes the
//! emitter (a source that waits for its resource). A third property checks
//! `Demand` alone against a model of saturating arithmetic.
//!
//! The recording subscriber checks, as signals arrive: `on_subscribe` first
//! and once; items `0, 1, 2, ...` in order; never more than the demand
//! requested so far (saturating at `UNBOUNDED`, §3.17); at most one terminal
//! signal and nothing after it; nothing on a thread after `cancel` returned
//! on that thread (§3.12); no two signals at once (§1.3). Nothing here
//! depends on timing.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::thread::{self, ThreadId};

use proptest::collection::vec;
use proptest::prelude::*;
use reactive_streams::author::{subscribe_pull, Demand, Pull, Step};
use reactive_streams::{Error, Rule, Subscriber, Subscription, UNBOUNDED};

/// One call of a schedule.
#[derive(Debug, Clone)]
enum Op {
    Request(u64),
    RequestZero,
    Cancel,
    /// The producer makes this many more items available (woken pull only).
    Produce(u64),
}

fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 1..4u64,
        2 => 4..40u64,
        1 => Just(UNBOUNDED),
        1 => Just(u64::MAX),
        1 => Just(1u64 << 62),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => amount().prop_map(Op::Request),
        1 => Just(Op::RequestZero),
        1 => Just(Op::Cancel),
        4 => (1..20u64).prop_map(Op::Produce),
    ]
}

/// What the subscriber saw, and every rule it saw broken.
#[derive(Default)]
struct Record {
    subscribed: bool,
    items: u64,
    terminal: Option<Result<(), Error>>,
    violations: Vec<String>,
    /// Threads on which `cancel` (or `request(0)`) has returned.
    cancelled_on: Vec<ThreadId>,
}

struct Shared {
    record: Mutex<Record>,
    /// The demand requested so far, saturating (the model).
    requested: AtomicU64,
    in_signal: AtomicBool,
    subscription: Mutex<Option<Arc<dyn Subscription>>>,
    /// Requests made from inside `on_next`, item number -> amount.
    reentrant: Vec<(u64, u64)>,
}

impl Shared {
    fn request(&self, n: u64) {
        // Counted before the call: an item may arrive during it.
        let _ = self
            .requested
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |r| {
                Some(r.saturating_add(n).min(UNBOUNDED))
            });
        let subscription = self.subscription.lock().unwrap().clone();
        if let Some(s) = subscription {
            s.request(n);
        }
    }

    fn stop(&self, zero: bool) {
        let subscription = self.subscription.lock().unwrap().clone();
        if let Some(s) = subscription {
            if zero {
                s.request(0);
            } else {
                s.cancel();
            }
        }
        let me = thread::current().id();
        self.record.lock().unwrap().cancelled_on.push(me);
    }

    /// Checks the rules common to every signal; `f` records the signal.
    fn signal(&self, what: &str, f: impl FnOnce(&mut Record)) {
        if self.in_signal.swap(true, Ordering::SeqCst) {
            self.violate(format!("§1.3: {what} overlaps another signal"));
        }
        {
            let mut r = self.record.lock().unwrap();
            if !r.subscribed && what != "on_subscribe" {
                r.violations
                    .push(format!("§1.9: {what} before on_subscribe"));
            }
            if r.terminal.is_some() {
                r.violations
                    .push(format!("§1.7: {what} after a terminal signal"));
            }
            if r.cancelled_on.contains(&thread::current().id()) {
                r.violations.push(format!(
                    "§3.12: {what} on a thread after its cancel returned"
                ));
            }
            f(&mut r);
        }
        self.in_signal.store(false, Ordering::SeqCst);
    }

    fn violate(&self, message: String) {
        self.record.lock().unwrap().violations.push(message);
    }
}

struct Checker(Arc<Shared>);

impl Subscriber<u64> for Checker {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.0.signal("on_subscribe", |r| {
            if r.subscribed {
                r.violations.push("§1.9: a second on_subscribe".into());
            }
            r.subscribed = true;
        });
        *self.0.subscription.lock().unwrap() = Some(subscription);
    }

    fn on_next(&mut self, item: u64) {
        let requested = self.0.requested.load(Ordering::SeqCst);
        let mut number = 0;
        self.0.signal("on_next", |r| {
            if item != r.items {
                r.violations
                    .push(format!("order: item {item} where {} was due", r.items));
            }
            r.items += 1;
            if r.items > requested {
                r.violations
                    .push(format!("§1.1: item {} with demand {requested}", r.items));
            }
            number = r.items;
        });
        // §3.3: a request from inside on_next is recorded, not recursed into.
        for &(at, n) in &self.0.reentrant {
            if at == number {
                self.0.request(n);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.0.signal("on_error", |r| r.terminal = Some(Err(error)));
    }

    fn on_complete(&mut self) {
        self.0.signal("on_complete", |r| r.terminal = Some(Ok(())));
    }
}

/// `0..len`, ending as soon as the last item is out.
struct Finite {
    next: u64,
    len: u64,
}

impl Pull for Finite {
    type Item = u64;
    fn next(&mut self) -> Step<u64> {
        if self.next == self.len {
            return Step::End(Ok(()));
        }
        self.next += 1;
        Step::Next(self.next - 1)
    }
    fn finished(&mut self) -> Option<Result<(), Error>> {
        (self.next == self.len).then_some(Ok(()))
    }
}

/// Items a producer thread makes available, `0, 1, 2, ...`; endless.
struct Fed {
    available: Mutex<VecDeque<u64>>,
    produced: AtomicU64,
    waker: Mutex<Option<Waker>>,
}

impl Fed {
    fn produce(&self, k: u64) {
        {
            let mut available = self.available.lock().unwrap();
            for _ in 0..k {
                available.push_back(self.produced.fetch_add(1, Ordering::SeqCst));
            }
        }
        // Wake outside the lock the pull takes.
        let waker = self.waker.lock().unwrap().clone();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

struct FedPull(Arc<Fed>);

impl Pull for FedPull {
    type Item = u64;
    fn next(&mut self) -> Step<u64> {
        match self.0.available.lock().unwrap().pop_front() {
            Some(item) => Step::Next(item),
            None => Step::Pending,
        }
    }
    fn wants_waker(&self) -> bool {
        true
    }
    fn set_waker(&mut self, waker: Waker) {
        *self.0.waker.lock().unwrap() = Some(waker);
    }
}

impl Drop for FedPull {
    fn drop(&mut self) {
        let waker = self.0.waker.lock().unwrap().take();
        drop(waker);
    }
}

/// Runs `a` and `b` from two threads against a fresh subscription, then
/// checks the record.
fn run(
    finite: Option<u64>,
    a: Vec<Op>,
    b: Vec<Op>,
    reentrant: Vec<(u64, u64)>,
) -> Result<(), TestCaseError> {
    let shared = Arc::new(Shared {
        record: Mutex::new(Record::default()),
        requested: AtomicU64::new(0),
        in_signal: AtomicBool::new(false),
        subscription: Mutex::new(None),
        reentrant,
    });
    let fed = Arc::new(Fed {
        available: Mutex::new(VecDeque::new()),
        produced: AtomicU64::new(0),
        waker: Mutex::new(None),
    });
    match finite {
        Some(len) => subscribe_pull(Finite { next: 0, len }, Checker(Arc::clone(&shared))),
        None => subscribe_pull(FedPull(Arc::clone(&fed)), Checker(Arc::clone(&shared))),
    }
    let zero = a.iter().chain(&b).any(|op| matches!(op, Op::RequestZero));
    let cancel = a.iter().chain(&b).any(|op| matches!(op, Op::Cancel));
    let threads: Vec<_> = [a, b]
        .into_iter()
        .map(|ops| {
            let shared = Arc::clone(&shared);
            let fed = Arc::clone(&fed);
            thread::spawn(move || {
                for op in ops {
                    match op {
                        Op::Request(n) => shared.request(n),
                        Op::RequestZero => shared.stop(true),
                        Op::Cancel => shared.stop(false),
                        Op::Produce(k) => fed.produce(k),
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let record = shared.record.lock().unwrap();
    prop_assert!(record.subscribed, "no on_subscribe");
    prop_assert!(record.violations.is_empty(), "{:?}", record.violations);
    let requested = shared.requested.load(Ordering::SeqCst);
    match (&record.terminal, finite) {
        (Some(Err(e)), _) => {
            // Only request(0) fails these pulls (§3.9).
            prop_assert!(zero, "unexpected error {e}");
            prop_assert_eq!(e.rule(), Some(Rule::NON_POSITIVE_REQUEST));
        }
        (Some(Ok(())), Some(len)) => prop_assert_eq!(record.items, len),
        (Some(Ok(())), None) => prop_assert!(false, "an endless pull completed"),
        (None, Some(len)) if !zero && !cancel => {
            // Nothing stopped it: it emitted all the demand covered.
            prop_assert_eq!(record.items, requested.min(len));
            prop_assert!(requested < len, "all {len} out but no on_complete");
        }
        (None, None) if !zero && !cancel => {
            let made = fed.produced.load(Ordering::SeqCst);
            prop_assert_eq!(record.items, requested.min(made));
        }
        (None, _) => {}
    }
    if zero && !cancel {
        prop_assert!(
            matches!(record.terminal, Some(Err(_))) || finite.is_some_and(|l| record.items == l),
            "request(0) without the §3.9 error"
        );
    }
    // The subscription is done with: break the subscriber's cycle.
    let subscription = shared.subscription.lock().unwrap().take();
    drop(record);
    if let Some(s) = subscription {
        s.cancel();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_finite_pull_under_any_schedule(
        len in 0..50u64,
        a in vec(op(), 0..12),
        b in vec(op(), 0..12),
        reentrant in vec((1..50u64, 1..5u64), 0..4),
    ) {
        run(Some(len), a, b, reentrant)?;
    }

    #[test]
    fn a_woken_pull_under_any_schedule(
        a in vec(op(), 0..16),
        b in vec(op(), 0..16),
        reentrant in vec((1..50u64, 1..5u64), 0..4),
    ) {
        run(None, a, b, reentrant)?;
    }

    /// `Demand` alone, one thread, against saturating arithmetic.
    #[test]
    fn demand_follows_saturating_arithmetic(ops in vec(op(), 0..40)) {
        let demand = Demand::new();
        let mut model: u64 = 0;
        let mut cancelled = false;
        let mut invalid = false;
        for op in ops {
            match op {
                Op::Request(n) => {
                    demand.request(n);
                    if !cancelled && model != UNBOUNDED {
                        model = model.saturating_add(n).min(UNBOUNDED);
                    }
                }
                Op::RequestZero => {
                    demand.request(0);
                    if !cancelled {
                        invalid = true;
                        cancelled = true;
                    }
                }
                Op::Cancel => {
                    prop_assert_eq!(demand.cancel(), !cancelled);
                    cancelled = true;
                }
                Op::Produce(k) => {
                    let k = k.min(demand.get());
                    let left = demand.produced(k);
                    if !cancelled && model != UNBOUNDED {
                        model -= k;
                    }
                    prop_assert_eq!(left, if cancelled { 0 } else { model });
                }
            }
            prop_assert_eq!(demand.get(), if cancelled { 0 } else { model });
            prop_assert_eq!(demand.is_cancelled(), cancelled);
        }
        let error = demand.take_invalid();
        prop_assert_eq!(error.is_some(), invalid);
        if let Some(error) = error {
            prop_assert_eq!(error.rule(), Some(Rule::NON_POSITIVE_REQUEST));
        }
    }
}
