//! Property checks for operators: a random demand schedule against a
//! reference model (usually the std iterator equivalent).
//!
//! A [`Schedule`] requests from inside `on_subscribe`, from inside `on_next`
//! of chosen items, and from the test thread, and may cancel from the test
//! thread. [`check_model`] runs an operator chain under it and checks:
//!
//! - `on_subscribe` first, exactly once;
//! - never more items than the cumulative demand (saturating, §3.17);
//! - the items are a prefix of the reference, in order;
//! - at most one terminal signal, nothing after it;
//! - after `cancel` returned, nothing more (for synchronous chains; an
//!   asynchronous one may still deliver what was in flight, within demand);
//! - unless cancelled: after a final unbounded request, exactly the reference
//!   and the expected end.
//!
//! Waiting is for signals that must come, with a generous deadline; nothing
//! asserts on time.
#![allow(dead_code)] // not every operator module uses every item

use std::fmt::Debug;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use reactive_streams::{BoxPublisher, Error, Publisher, Subscriber, Subscription, UNBOUNDED};

/// How long to wait for a signal that must come.
const WAIT: Duration = Duration::from_secs(10);

/// How the reference stream ends.
#[derive(Debug, Clone)]
pub(crate) enum ModelEnd {
    /// `on_complete` after the last item.
    Complete,
    /// `on_error` after the last item; the message must contain this.
    Error(&'static str),
}

/// Whether every signal happens on the thread that requests (synchronous
/// chains), or may come from other threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Sync,
    Async,
}

/// One call from the test thread.
#[derive(Debug, Clone)]
pub(crate) enum Call {
    Request(u64),
    Cancel,
}

/// A random demand schedule.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    /// Requested inside `on_subscribe` (0: nothing).
    pub(crate) initial: u64,
    /// Requested inside the `on_next` of the item with that index.
    pub(crate) in_on_next: std::collections::BTreeMap<usize, u64>,
    /// Calls from the test thread, in order, after `subscribe` returned.
    pub(crate) calls: Vec<Call>,
}

/// Demand amounts: 1, small, medium, and the edges of §3.17.
pub(crate) fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => Just(1u64),
        4 => 2u64..8,
        2 => 8u64..64,
        1 => Just(UNBOUNDED),
        1 => Just(u64::MAX),
        1 => (UNBOUNDED - 3)..UNBOUNDED,
    ]
}

/// A schedule; `cancel` appears in about one in six.
pub(crate) fn schedule() -> impl Strategy<Value = Schedule> {
    let call = prop_oneof![8 => amount().prop_map(Call::Request), 1 => Just(Call::Cancel)];
    (
        prop_oneof![Just(0u64), amount()],
        btree_map(0usize..40, amount(), 0..6),
        vec(call, 0..6),
    )
        .prop_map(|(initial, in_on_next, calls)| Schedule {
            initial,
            in_on_next,
            calls,
        })
}

#[derive(Debug, Clone, PartialEq)]
enum Signal<T> {
    Subscribe,
    Next(T),
    Error(String),
    Complete,
}

struct Log<T> {
    signals: Vec<Signal<T>>,
    demand: u64,
    violations: Vec<String>,
    subscription: Option<Arc<dyn Subscription>>,
    cancelled_at: Option<usize>,
}

struct Shared<T> {
    log: Mutex<Log<T>>,
    changed: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T> Shared<T> {
    fn add_demand(&self, n: u64) {
        let mut log = lock(&self.log);
        log.demand = log.demand.saturating_add(n).min(UNBOUNDED);
    }
}

struct Recorder<T> {
    shared: Arc<Shared<T>>,
    schedule: Schedule,
    subscription: Option<Arc<dyn Subscription>>,
    items: usize,
}

impl<T: Send + 'static> Subscriber<T> for Recorder<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        {
            let mut log = lock(&self.shared.log);
            if !log.signals.is_empty() {
                log.violations.push("on_subscribe not first (§1.9)".into());
            }
            log.signals.push(Signal::Subscribe);
            log.subscription = Some(Arc::clone(&subscription));
        }
        self.shared.changed.notify_all();
        if self.schedule.initial > 0 {
            self.shared.add_demand(self.schedule.initial);
            subscription.request(self.schedule.initial);
        }
        self.subscription = Some(subscription);
    }

    fn on_next(&mut self, item: T) {
        let index = self.items;
        self.items += 1;
        {
            let mut log = lock(&self.shared.log);
            let count = log
                .signals
                .iter()
                .filter(|s| matches!(s, Signal::Next(_)))
                .count() as u64;
            if count + 1 > log.demand {
                let demand = log.demand;
                log.violations
                    .push(format!("item {} beyond demand {demand} (§1.1)", count + 1));
            }
            if matches!(
                log.signals.last(),
                Some(Signal::Error(_) | Signal::Complete)
            ) {
                log.violations
                    .push("on_next after a terminal signal (§1.7)".into());
            }
            log.signals.push(Signal::Next(item));
        }
        self.shared.changed.notify_all();
        if let Some(&n) = self.schedule.in_on_next.get(&index) {
            self.shared.add_demand(n);
            if let Some(s) = &self.subscription {
                s.request(n);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.terminal(Signal::Error(error.to_string()));
    }

    fn on_complete(&mut self) {
        self.terminal(Signal::Complete);
    }
}

impl<T> Recorder<T> {
    fn terminal(&mut self, signal: Signal<T>) {
        {
            let mut log = lock(&self.shared.log);
            if log
                .signals
                .iter()
                .any(|s| matches!(s, Signal::Error(_) | Signal::Complete))
            {
                log.violations
                    .push("a second terminal signal (§1.7)".into());
            }
            log.signals.push(signal);
        }
        self.shared.changed.notify_all();
    }
}

/// Runs `make()` under `schedule` and checks it against `reference`.
pub(crate) fn check_model<T, F>(
    make: F,
    reference: &[T],
    end: ModelEnd,
    mode: Mode,
    schedule: &Schedule,
) -> Result<(), TestCaseError>
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn() -> BoxPublisher<T>,
{
    check_model_with(
        make,
        |items: &[T]| items.len() <= reference.len() && items[..] == reference[..items.len()],
        |items: &[T]| items == reference,
        &format!("{reference:?}"),
        end,
        mode,
        schedule,
    )
}

/// Like [`check_model`], for operators whose order across sources is not
/// fixed (`merge`): items are `(source, item)`, and the output must be an
/// interleaving of `sources` that keeps each source's order: a prefix of
/// each while running, all of each at the end.
pub(crate) fn check_model_interleaved<T, F>(
    make: F,
    sources: &[Vec<T>],
    end: ModelEnd,
    mode: Mode,
    schedule: &Schedule,
) -> Result<(), TestCaseError>
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn() -> BoxPublisher<(usize, T)>,
{
    // How far into each source the items go, if they interleave properly.
    let positions = |items: &[(usize, T)]| -> Option<Vec<usize>> {
        let mut next = vec![0usize; sources.len()];
        for (source, item) in items {
            let expected = sources.get(*source)?.get(next[*source])?;
            if expected != item {
                return None;
            }
            next[*source] += 1;
        }
        Some(next)
    };
    check_model_with(
        make,
        |items: &[(usize, T)]| positions(items).is_some(),
        |items: &[(usize, T)]| {
            positions(items).is_some_and(|next| {
                next.iter()
                    .zip(sources)
                    .all(|(n, source)| *n == source.len())
            })
        },
        &format!("an interleaving of {sources:?}"),
        end,
        mode,
        schedule,
    )
}

/// Runs `make()` under `schedule`; `is_prefix` says whether the items so far
/// could start the reference, `is_whole` whether they are all of it.
pub(crate) fn check_model_with<T, F>(
    make: F,
    is_prefix: impl Fn(&[T]) -> bool,
    is_whole: impl Fn(&[T]) -> bool,
    reference: &str,
    end: ModelEnd,
    mode: Mode,
    schedule: &Schedule,
) -> Result<(), TestCaseError>
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn() -> BoxPublisher<T>,
{
    let shared = Arc::new(Shared {
        log: Mutex::new(Log {
            signals: Vec::new(),
            demand: 0,
            violations: Vec::new(),
            subscription: None,
            cancelled_at: None,
        }),
        changed: Condvar::new(),
    });
    make().subscribe(Recorder {
        shared: Arc::clone(&shared),
        schedule: schedule.clone(),
        subscription: None,
        items: 0,
    });
    let subscription = wait_until(&shared, |log| log.subscription.clone())
        .ok_or_else(|| TestCaseError::fail("on_subscribe did not arrive"))?;
    let mut cancelled = false;
    for call in &schedule.calls {
        match call {
            Call::Request(n) => {
                shared.add_demand(*n);
                subscription.request(*n);
            }
            Call::Cancel => {
                subscription.cancel();
                cancelled = true;
                let mut log = lock(&shared.log);
                log.cancelled_at = Some(log.signals.len());
                break;
            }
        }
    }
    if !cancelled {
        // Let everything through, then compare with the whole reference.
        shared.add_demand(UNBOUNDED);
        subscription.request(UNBOUNDED);
        wait_until(&shared, |log| {
            log.signals
                .iter()
                .any(|s| matches!(s, Signal::Error(_) | Signal::Complete))
                .then_some(())
        })
        .ok_or_else(|| TestCaseError::fail("no terminal signal after unbounded demand"))?;
    }
    let log = lock(&shared.log);
    prop_assert!(
        log.violations.is_empty(),
        "violations: {:?}",
        log.violations
    );
    let items: Vec<T> = log
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::Next(x) => Some(x.clone()),
            _ => None,
        })
        .collect();
    prop_assert!(
        is_prefix(&items),
        "items {:?} are not a prefix of the reference {}",
        items,
        reference
    );
    if let (Some(at), Mode::Sync) = (log.cancelled_at, mode) {
        prop_assert_eq!(
            at,
            log.signals.len(),
            "signals after cancel returned (§3.12)"
        );
    }
    if !cancelled {
        prop_assert!(
            is_whole(&items),
            "not every item arrived: {:?}, expected {}",
            items,
            reference
        );
        match (&end, log.signals.last()) {
            (ModelEnd::Complete, Some(Signal::Complete)) => {}
            (ModelEnd::Error(fragment), Some(Signal::Error(message)))
                if message.contains(fragment) => {}
            (expected, got) => {
                return Err(TestCaseError::fail(format!(
                    "expected end {expected:?}, got {got:?}"
                )))
            }
        }
    }
    Ok(())
}

/// Waits (up to [`WAIT`]) until `f` returns `Some`.
fn wait_until<T, R>(shared: &Shared<T>, mut f: impl FnMut(&Log<T>) -> Option<R>) -> Option<R> {
    let deadline = Instant::now() + WAIT;
    let mut log = lock(&shared.log);
    loop {
        if let Some(r) = f(&log) {
            return Some(r);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        log = shared
            .changed
            .wait_timeout(log, deadline - now)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// The proptest configuration for operator properties: enough cases to find
/// demand bugs, few enough to keep the suite fast.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 64 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
