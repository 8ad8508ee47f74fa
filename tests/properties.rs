//! Property tests: random demand schedules against a reference model, for
//! every source in `reactive_streams::source`.
//!
//! A *schedule* is a random list of `request(n)` and `cancel` calls, made
//! from three places: inside `on_subscribe`, inside the `on_next` of chosen
//! items, and from the test thread after `subscribe` returned (in the threaded
//! property, from two threads at once). `n` is drawn from a distribution with
//! 1, small and large values, values around 2^62 and 2^63 - 1
//! ([`UNBOUNDED`]) and `u64::MAX`.
//!
//! Each source comes with its reference: the std iterator that yields the
//! same items, and how the stream ends ([`End`]). Three properties:
//!
//! 1. [`single_thread`]: every call on the thread that receives the signals.
//!    The signals must equal, one for one, what the reference [`Model`] of
//!    the pull engine predicts, and satisfy the [invariants](check_log) on
//!    their own (so a bug in the model cannot hide a bug in the crate).
//! 2. [`request_zero`]: the same with one `request(0)` at a random point: the
//!    stream ends with an `on_error` naming §3.9, and nothing follows it.
//! 3. [`two_threads`]: calls from the test thread and from a second thread
//!    at once. Only what every interleaving must satisfy is asserted (the
//!    invariants; and, when the schedule has no `cancel` or `request(0)`,
//!    the final outcome, which then does not depend on the interleaving).
//!    Nothing here depends on timing.
//!
//! The invariants ([`check_log`]): `on_subscribe` first and exactly once;
//! the items are the reference's, in order; never more items than the
//! cumulative demand (saturating at `UNBOUNDED`, §3.17); at most one terminal
//! signal, nothing after it, and `on_complete` only after the last item;
//! nothing on a thread after `cancel` returned on it (§3.12); no overlapping
//! signals (§1.3); the subscriber dropped once the stream is over (§3.13);
//! and, when nothing was cancelled, everything the demand covered delivered.
//!
//! One more test, [`panic_in_on_next_stops_the_stream`], pins down what a
//! panicking subscriber leaves behind.
//!
//! To cover a new source, add one entry to [`sources`].

use std::collections::{BTreeMap, HashSet};
use std::iter::Peekable;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use reactive_streams::{
    source, Error, ErrorKind, Publisher, Rule, Subscriber, Subscription, UNBOUNDED,
};

/// The recording subscriber cancels by itself after this many items, so that
/// an endless source under unbounded demand still ends. The model knows it.
const FUSE: usize = 64;

// ---------------------------------------------------------------------------
// Sources and their references
// ---------------------------------------------------------------------------

/// How a source's stream ends once its reference iterator is exhausted.
#[derive(Debug, Clone)]
enum End {
    /// As soon as the last item is out, without waiting for more demand
    /// (`Ok` completes, `Err` fails with that very error).
    Eager(Result<(), Error>),
    /// Only when pulled past the last item, which needs one more unit of
    /// demand (a `generate` step that signals the end alone).
    Lazy(Result<(), Error>),
    /// Never (`never`).
    Never,
}

/// A source under test: how to subscribe to it, and its reference.
struct Source {
    name: &'static str,
    subscribe: Box<dyn Fn(Recorder)>,
    reference: Box<dyn Fn() -> Box<dyn Iterator<Item = u64>>>,
    end: End,
}

impl Source {
    /// The reference items, up to one past the fuse (an endless source is
    /// one whose reference is longer than [`FUSE`]).
    fn reference_items(&self) -> Vec<u64> {
        (self.reference)().take(FUSE + 1).collect()
    }

    /// The error the source itself ends with, if any.
    fn own_error(&self) -> Option<&Error> {
        match &self.end {
            End::Eager(Err(e)) | End::Lazy(Err(e)) => Some(e),
            _ => None,
        }
    }
}

/// Describes one source: any publisher of `u64`, the std iterator with the
/// same items, and how it ends. Takes any publisher, so a new source (or an
/// operator chain) is one call.
fn source<P, I>(
    name: &'static str,
    publisher: P,
    reference: impl Fn() -> I + 'static,
    end: End,
) -> Source
where
    P: Publisher<Item = u64> + 'static,
    I: Iterator<Item = u64> + 'static,
{
    Source {
        name,
        subscribe: Box::new(move |recorder| publisher.subscribe(recorder)),
        reference: Box::new(move || Box::new(reference())),
        end,
    }
}

fn completes() -> End {
    End::Eager(Ok(()))
}

/// Every source of the crate, for a length parameter `len` (those with a
/// fixed shape ignore it). To cover a new source, add one `source(..)` line:
/// any publisher of `u64`, its reference iterator and its end.
fn sources(len: u64) -> Vec<Source> {
    let boom = Error::new("boom");
    let items: Vec<u64> = (0..len).map(|i| i * 3 + 1).collect();
    let odd = |x: &u64| x % 2 == 1;
    vec![
        source("range", source::range(0..len), move || 0..len, completes()),
        source(
            "create, items and completion emitted at subscribe",
            source::create(source::Overflow::Unbounded, move |emitter| {
                for i in 0..len {
                    emitter.next(i).unwrap();
                }
                emitter.complete();
            }),
            move || 0..len,
            completes(),
        ),
        source(
            "range at the top of u64",
            source::range(u64::MAX - len..u64::MAX),
            move || u64::MAX - len..u64::MAX,
            completes(),
        ),
        source(
            "range, endless",
            source::range(0..u64::MAX),
            || 0..u64::MAX,
            completes(),
        ),
        source(
            "from_iter, exact size",
            source::from_iter(items.clone()),
            move || items.clone().into_iter(),
            completes(),
        ),
        source(
            "from_iter, unknown size",
            source::from_iter((0..2 * len).filter(odd)),
            move || (0..2 * len).filter(odd),
            completes(),
        ),
        source(
            "just",
            source::just(len),
            move || std::iter::once(len),
            completes(),
        ),
        source("empty", source::empty(), std::iter::empty, completes()),
        source(
            "error",
            source::error(boom.clone()),
            std::iter::empty,
            End::Eager(Err(boom.clone())),
        ),
        source("never", source::never(), std::iter::empty, End::Never),
        source(
            "defer",
            source::defer(move || source::range(0..len)),
            move || 0..len,
            completes(),
        ),
        // `generate` ending with the last item (`next` + `complete` in one call).
        source(
            "generate, eager end",
            counter(len.max(1), Ok(()), true),
            move || 0..len.max(1),
            completes(),
        ),
        // `generate` ending in a call of its own, which needs demand.
        source(
            "generate, lazy end",
            counter(len, Ok(()), false),
            move || 0..len,
            End::Lazy(Ok(())),
        ),
        source(
            "generate, lazy error",
            counter(len, Err(boom.clone()), false),
            move || 0..len,
            End::Lazy(Err(boom)),
        ),
    ]
}

/// `generate` of `0..len`, then `end`: in the same call as the last item
/// when `eager` (then `len >= 1`), else in a call of its own.
fn counter(len: u64, end: Result<(), Error>, eager: bool) -> impl Publisher<Item = u64> {
    source::generate(
        || 0u64,
        move |i, sink| {
            let finish = |sink: &mut source::GenerateSink<u64>| match &end {
                Ok(()) => sink.complete(),
                Err(e) => sink.error(e.clone()),
            };
            if *i < len {
                sink.next(*i);
                *i += 1;
                if eager && *i == len {
                    finish(sink);
                }
            } else {
                finish(sink);
            }
        },
    )
}

// ---------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------

/// One call on the subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Request(u64),
    Cancel,
}

/// The calls the subscriber makes from inside its own signals.
#[derive(Debug, Clone, Default)]
struct Script {
    /// Made inside `on_subscribe`, in order.
    on_subscribe: Vec<Action>,
    /// Made inside the `on_next` of the item at the key's index (0-based).
    on_next: BTreeMap<usize, Vec<Action>>,
}

impl Script {
    fn actions(&self) -> impl Iterator<Item = &Action> {
        self.on_subscribe
            .iter()
            .chain(self.on_next.values().flatten())
    }
}

/// A schedule run on one thread: the script, then `outer` from the test
/// thread once `subscribe` has returned.
#[derive(Debug, Clone)]
struct Schedule {
    script: Script,
    outer: Vec<Action>,
}

/// A schedule run on two threads: the script, then `main` from the test
/// thread and `other` from a second thread, at the same time.
#[derive(Debug, Clone)]
struct ThreadSchedule {
    script: Script,
    main: Vec<Action>,
    other: Vec<Action>,
}

/// Request amounts: 1, small, medium and large values, values around 2^62 and
/// 2^63 - 1 (where demand saturates, §3.17), and `u64::MAX`. Never 0.
fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => Just(1u64),
        8 => 2u64..=8,
        2 => 9u64..=100,
        1 => 101u64..=1 << 40,
        1 => Just(1u64 << 62),
        1 => UNBOUNDED - 3..=UNBOUNDED + 3,
        1 => Just(u64::MAX),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        14 => amount().prop_map(Action::Request),
        1 => Just(Action::Cancel),
    ]
}

fn actions(max: usize) -> impl Strategy<Value = Vec<Action>> {
    vec(action(), 0..=max)
}

fn script() -> impl Strategy<Value = Script> {
    (
        actions(3),
        btree_map(0usize..40, vec(action(), 1..=3), 0..=6),
    )
        .prop_map(|(on_subscribe, on_next)| Script {
            on_subscribe,
            on_next,
        })
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (script(), actions(8)).prop_map(|(script, outer)| Schedule { script, outer })
}

fn thread_schedule() -> impl Strategy<Value = ThreadSchedule> {
    (script(), actions(10), actions(10)).prop_map(|(script, main, other)| ThreadSchedule {
        script,
        main,
        other,
    })
}

/// Where to put the one `request(0)` of [`request_zero`].
#[derive(Debug, Clone, Copy)]
enum ZeroAt {
    /// Inside `on_subscribe`, at this position among its calls.
    OnSubscribe(usize),
    /// Inside the `on_next` of this item, at this position among its calls.
    OnNext(usize, usize),
    /// From the test thread, at this position among the outer calls.
    Outer(usize),
}

fn zero_at() -> impl Strategy<Value = ZeroAt> {
    prop_oneof![
        (0usize..4).prop_map(ZeroAt::OnSubscribe),
        (0usize..30, 0usize..4).prop_map(|(item, at)| ZeroAt::OnNext(item, at)),
        (0usize..9).prop_map(ZeroAt::Outer),
    ]
}

/// `schedule` with a `request(0)` inserted at `at`.
fn with_zero(mut schedule: Schedule, at: ZeroAt) -> Schedule {
    let zero = Action::Request(0);
    let insert = |list: &mut Vec<Action>, i: usize| list.insert(i.min(list.len()), zero);
    match at {
        ZeroAt::OnSubscribe(i) => insert(&mut schedule.script.on_subscribe, i),
        ZeroAt::OnNext(item, i) => insert(schedule.script.on_next.entry(item).or_default(), i),
        ZeroAt::Outer(i) => insert(&mut schedule.outer, i),
    }
    schedule
}

// ---------------------------------------------------------------------------
// The recording subscriber
// ---------------------------------------------------------------------------

/// A signal as the subscriber received it.
#[derive(Debug, Clone)]
enum Signal {
    Subscribe,
    Next(u64),
    Error(Error),
    Complete,
}

/// One line of a run's log. The log is one mutex-protected list, so its order
/// is a happens-before order of what it records.
#[derive(Debug, Clone)]
enum Entry {
    /// A signal, and the thread it arrived on.
    Signal(Signal, ThreadId),
    /// Logged just before the call: an item it allows comes after it.
    Called(Action),
    /// Logged just after the call returned.
    Returned(Action, ThreadId),
    /// Something the subscriber saw that must not happen.
    Violation(String),
}

/// What the recorder shares with the test.
#[derive(Default)]
struct Shared {
    log: Mutex<Vec<Entry>>,
    /// The subscription, for calls from outside the signals.
    subscription: Mutex<Option<Arc<dyn Subscription>>>,
    /// True while a signal runs: §1.3 says signals never overlap.
    in_signal: AtomicBool,
    /// Set when the subscriber is dropped (§3.13).
    dropped: AtomicBool,
}

/// Locks `mutex`; a panic elsewhere (a failing case) leaves nothing we
/// cannot still read.
fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Vec<Entry>> {
        lock(&self.log)
    }

    fn push(&self, entry: Entry) {
        self.log().push(entry);
    }

    fn subscription(&self) -> Option<Arc<dyn Subscription>> {
        lock(&self.subscription).clone()
    }

    /// Makes one call on `subscription`, logged before and after.
    fn perform(&self, subscription: &dyn Subscription, action: Action) {
        let me = thread::current().id();
        self.push(Entry::Called(action));
        match action {
            Action::Request(n) => subscription.request(n),
            Action::Cancel => subscription.cancel(),
        }
        self.push(Entry::Returned(action, me));
    }
}

/// The subscriber under test: logs every signal, and makes the calls of its
/// [`Script`] from inside `on_subscribe` and `on_next`.
struct Recorder {
    shared: Arc<Shared>,
    script: Script,
    subscription: Option<Arc<dyn Subscription>>,
    received: usize,
}

impl Recorder {
    fn new(shared: Arc<Shared>, script: Script) -> Self {
        Recorder {
            shared,
            script,
            subscription: None,
            received: 0,
        }
    }

    /// Logs `signal`, checking that no other signal is running (§1.3).
    fn enter(&self, signal: Signal) {
        if self.shared.in_signal.swap(true, Ordering::SeqCst) {
            self.shared.push(Entry::Violation(format!(
                "§1.3: {signal:?} overlaps another signal"
            )));
        }
        self.shared
            .push(Entry::Signal(signal, thread::current().id()));
    }

    fn leave(&self) {
        self.shared.in_signal.store(false, Ordering::SeqCst);
    }

    fn perform_all(&self, actions: &[Action]) {
        if let Some(subscription) = &self.subscription {
            for &action in actions {
                self.shared.perform(&**subscription, action);
            }
        }
    }
}

impl Subscriber<u64> for Recorder {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.enter(Signal::Subscribe);
        if self.subscription.is_some() {
            // §2.5; the log check reports the second on_subscribe.
            subscription.cancel();
        } else {
            *lock(&self.shared.subscription) = Some(Arc::clone(&subscription));
            self.subscription = Some(subscription);
            let actions = std::mem::take(&mut self.script.on_subscribe);
            self.perform_all(&actions);
        }
        self.leave();
    }

    fn on_next(&mut self, item: u64) {
        self.enter(Signal::Next(item));
        let index = self.received;
        self.received += 1;
        if let Some(actions) = self.script.on_next.remove(&index) {
            self.perform_all(&actions);
        }
        if self.received == FUSE {
            self.perform_all(&[Action::Cancel]);
        }
        self.leave();
    }

    fn on_error(&mut self, error: Error) {
        self.enter(Signal::Error(error));
        self.leave();
    }

    fn on_complete(&mut self) {
        self.enter(Signal::Complete);
        self.leave();
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.shared.dropped.store(true, Ordering::SeqCst);
    }
}

// ---------------------------------------------------------------------------
// The reference model
// ---------------------------------------------------------------------------

/// A signal in a form that can be compared with the model's prediction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Subscribe,
    Next(u64),
    Complete,
    /// The source's own error (the very same `Error`, by `ptr_eq`).
    SourceError,
    /// The §3.9 error of a `request(0)`.
    BadRequest,
    /// Any other error, by its message.
    OtherError(String),
}

fn seen(signal: &Signal, source: &Source) -> Seen {
    match signal {
        Signal::Subscribe => Seen::Subscribe,
        Signal::Next(item) => Seen::Next(*item),
        Signal::Complete => Seen::Complete,
        Signal::Error(e) if e.rule() == Some(Rule::NON_POSITIVE_REQUEST) => Seen::BadRequest,
        Signal::Error(e) if source.own_error().is_some_and(|own| own.ptr_eq(e)) => {
            Seen::SourceError
        }
        Signal::Error(e) => Seen::OtherError(e.to_string()),
    }
}

fn signals(log: &[Entry], source: &Source) -> Vec<Seen> {
    log.iter()
        .filter_map(|entry| match entry {
            Entry::Signal(signal, _) => Some(seen(signal, source)),
            _ => None,
        })
        .collect()
}

/// What a synchronous source does with a schedule made on one thread: the
/// specification of the pull engine (`src/source/pull.rs`), written as
/// plainly as possible.
///
/// A call made while the model is emitting (from inside a signal) only
/// records its effect; the emission loop sees it before the next item, as the
/// engine's drain does (§3.3). Before each item: a cancel (or a `request(0)`,
/// which ends with the §3.9 error) wins; then an end known without pulling
/// ([`End::Eager`]); then demand. Demand is counted down per item and saturates
/// at [`UNBOUNDED`], after which it is never counted down (§3.17). The engine
/// counts down per batch, which differs only once more than 2^62 items have
/// been delivered, far beyond [`FUSE`].
struct Model<'a> {
    items: Peekable<Box<dyn Iterator<Item = u64>>>,
    end: &'a End,
    script: Script,
    outstanding: u64,
    cancelled: bool,
    bad_request: bool,
    done: bool,
    emitting: bool,
    emitted: usize,
    out: Vec<Seen>,
}

impl<'a> Model<'a> {
    /// Runs `script`, then `outer`, and returns the predicted signals.
    fn run(source: &'a Source, script: &Script, outer: &[Action]) -> Vec<Seen> {
        let mut model = Model {
            items: (source.reference)().peekable(),
            end: &source.end,
            script: script.clone(),
            outstanding: 0,
            cancelled: false,
            bad_request: false,
            done: false,
            emitting: false,
            emitted: 0,
            out: vec![Seen::Subscribe],
        };
        // The engine enters its drain before `on_subscribe`, so calls made
        // inside it are only recorded; the drain then serves them.
        model.emitting = true;
        for action in std::mem::take(&mut model.script.on_subscribe) {
            model.call(action);
        }
        model.emit();
        for &action in outer {
            model.call(action);
        }
        model.out
    }

    fn call(&mut self, action: Action) {
        match action {
            // §3.9; ignored after a cancel (§3.6).
            Action::Request(0) if !self.cancelled => {
                self.cancelled = true;
                self.bad_request = true;
            }
            Action::Request(n) if !self.cancelled && self.outstanding != UNBOUNDED => {
                self.outstanding = self.outstanding.saturating_add(n).min(UNBOUNDED);
            }
            Action::Cancel => self.cancelled = true,
            Action::Request(_) => {}
        }
        if !self.emitting && !self.done {
            self.emit();
        }
    }

    fn emit(&mut self) {
        self.emitting = true;
        while !self.done {
            if self.cancelled {
                self.done = true;
                if self.bad_request {
                    self.out.push(Seen::BadRequest);
                }
                break;
            }
            if let End::Eager(end) = self.end {
                if self.items.peek().is_none() {
                    self.terminate(end.is_ok());
                    break;
                }
            }
            if self.outstanding == 0 {
                break;
            }
            match self.items.next() {
                Some(item) => {
                    if self.outstanding != UNBOUNDED {
                        self.outstanding -= 1;
                    }
                    self.out.push(Seen::Next(item));
                    let index = self.emitted;
                    self.emitted += 1;
                    for action in self.script.on_next.remove(&index).unwrap_or_default() {
                        self.call(action);
                    }
                    if self.emitted == FUSE {
                        self.call(Action::Cancel);
                    }
                }
                None => match self.end {
                    End::Lazy(end) => self.terminate(end.is_ok()),
                    End::Never => break,
                    End::Eager(_) => unreachable!("an eager end is seen before pulling"),
                },
            }
        }
        self.emitting = false;
    }

    fn terminate(&mut self, ok: bool) {
        self.done = true;
        self.out.push(if ok {
            Seen::Complete
        } else {
            Seen::SourceError
        });
    }
}

// ---------------------------------------------------------------------------
// The invariants
// ---------------------------------------------------------------------------

/// Checks what every run must satisfy, whatever the interleaving. `strict`
/// adds what holds when every call is made on the signals' thread.
fn check_log(log: &[Entry], source: &Source, strict: bool) -> Result<(), String> {
    let mut checker = Checker::new(source, strict);
    for (at, entry) in log.iter().enumerate() {
        checker.entry(entry, &log[at..])?;
    }
    checker.finish()
}

/// Replays a log, entry by entry.
struct Checker<'a> {
    source: &'a Source,
    strict: bool,
    /// The reference items, up to one past [`FUSE`].
    reference: Vec<u64>,
    /// Cumulative demand, saturating at UNBOUNDED (§3.17).
    demand: u64,
    delivered: usize,
    subscribed: bool,
    terminal: Option<Signal>,
    zero_called: bool,
    cancel_called: bool,
    /// Threads on which a `cancel` has returned.
    cancelled_on: HashSet<ThreadId>,
    /// Threads on which a `request(0)` has returned.
    zero_on: HashSet<ThreadId>,
}

impl<'a> Checker<'a> {
    fn new(source: &'a Source, strict: bool) -> Self {
        Checker {
            source,
            strict,
            reference: source.reference_items(),
            demand: 0,
            delivered: 0,
            subscribed: false,
            terminal: None,
            zero_called: false,
            cancel_called: false,
            cancelled_on: HashSet::new(),
            zero_on: HashSet::new(),
        }
    }

    fn endless(&self) -> bool {
        self.reference.len() > FUSE
    }

    /// `rest` is the log from this entry on.
    fn entry(&mut self, entry: &Entry, rest: &[Entry]) -> Result<(), String> {
        match entry {
            Entry::Violation(violation) => return Err(violation.clone()),
            Entry::Called(Action::Request(0)) => {
                if self.strict && self.terminal.is_none() && !self.cancel_called {
                    // On one thread, a request(0) before the end ends the
                    // stream with the §3.9 error, and with nothing else.
                    let after: Vec<&Signal> = rest
                        .iter()
                        .filter_map(|entry| match entry {
                            Entry::Signal(signal, _) => Some(signal),
                            _ => None,
                        })
                        .collect();
                    if !matches!(after.as_slice(), [signal] if is_bad_request(signal)) {
                        return Err(format!(
                            "§3.9: after request(0) expected one on_error(§3.9), got {after:?}"
                        ));
                    }
                }
                self.zero_called = true;
            }
            Entry::Called(Action::Request(n)) => {
                self.demand = self.demand.saturating_add(*n).min(UNBOUNDED);
            }
            Entry::Called(Action::Cancel) => self.cancel_called = true,
            Entry::Returned(Action::Cancel, thread) => {
                self.cancelled_on.insert(*thread);
            }
            Entry::Returned(Action::Request(0), thread) => {
                self.zero_on.insert(*thread);
            }
            Entry::Returned(Action::Request(_), _) => {}
            Entry::Signal(signal, thread) => self.signal(signal, *thread)?,
        }
        Ok(())
    }

    fn signal(&mut self, signal: &Signal, thread: ThreadId) -> Result<(), String> {
        if !self.subscribed && !matches!(signal, Signal::Subscribe) {
            return Err(format!("§1.9: {signal:?} before on_subscribe"));
        }
        if let Some(end) = &self.terminal {
            return Err(format!("§1.7: {signal:?} after {end:?}"));
        }
        // A request(0) made before a cancel still owes its §3.9 error: the
        // subscription was not cancelled when it was made (§3.9), and the
        // cancel then found it stopped already (§3.7).
        let owed = is_bad_request(signal) && self.zero_called;
        if self.cancelled_on.contains(&thread) && !owed {
            return Err(format!(
                "§3.12: {signal:?} after cancel returned on the same thread"
            ));
        }
        if self.zero_on.contains(&thread) && !owed {
            return Err(format!(
                "§3.9: {signal:?} after request(0) returned on the same thread"
            ));
        }
        match signal {
            Signal::Subscribe if self.subscribed => Err("§1.9: a second on_subscribe".into()),
            Signal::Subscribe => {
                self.subscribed = true;
                Ok(())
            }
            Signal::Next(item) => {
                if self.reference.get(self.delivered) != Some(item) {
                    return Err(format!(
                        "item #{} is {item}, the reference has {:?}",
                        self.delivered,
                        self.reference.get(self.delivered)
                    ));
                }
                self.delivered += 1;
                if self.delivered as u64 > self.demand {
                    return Err(format!(
                        "§1.1: item #{} with cumulative demand {}",
                        self.delivered, self.demand
                    ));
                }
                Ok(())
            }
            Signal::Complete | Signal::Error(_) => {
                self.terminal = Some(signal.clone());
                if is_bad_request(signal) {
                    return if self.zero_called {
                        Ok(())
                    } else {
                        Err("on_error(§3.9) without a request(0)".into())
                    };
                }
                self.check_end(signal)
            }
        }
    }

    /// The source's own end: the right kind, after the last item, and for
    /// a lazy end only with demand left over.
    fn check_end(&self, signal: &Signal) -> Result<(), String> {
        let (end, lazy) = match &self.source.end {
            End::Eager(end) => (end, false),
            End::Lazy(end) => (end, true),
            End::Never => return Err(format!("{signal:?} from a source that never ends")),
        };
        let right_kind = match end {
            Ok(()) => matches!(signal, Signal::Complete),
            Err(_) => seen(signal, self.source) == Seen::SourceError,
        };
        let all_items = !self.endless() && self.delivered == self.reference.len();
        if !right_kind || !all_items || (lazy && self.demand <= self.delivered as u64) {
            return Err(format!(
                "{signal:?} after {} of {} items with demand {}, expected {:?}",
                self.delivered,
                self.reference.len(),
                self.demand,
                self.source.end
            ));
        }
        Ok(())
    }

    /// What must hold once every call has returned.
    fn finish(&self) -> Result<(), String> {
        if !self.subscribed {
            return Err("§1.9: no on_subscribe".into());
        }
        let (demand, delivered) = (self.demand, self.delivered);
        // Nothing stopped the stream: then the outcome is a function of the
        // total demand alone. (An endless source under a demand of FUSE or
        // more would have been cancelled by the fuse.)
        if !self.cancel_called && !self.zero_called {
            let covered = usize::try_from(demand).unwrap_or(usize::MAX);
            let expected = self.reference.len().min(FUSE).min(covered);
            if delivered != expected {
                return Err(format!(
                    "delivered {delivered} items with demand {demand}, expected {expected}"
                ));
            }
            let all_items = !self.endless() && delivered == self.reference.len();
            let ends = match &self.source.end {
                End::Eager(_) => all_items,
                End::Lazy(_) => all_items && demand > delivered as u64,
                End::Never => false,
            };
            if ends != self.terminal.is_some() {
                return Err(format!(
                    "terminal signal {:?} with {delivered} items and demand {demand}, \
                     expected {}",
                    self.terminal,
                    if ends { "one" } else { "none" }
                ));
            }
        }
        // A request(0) that nothing cancelled ends the stream, one way or
        // another.
        if self.zero_called && !self.cancel_called && self.terminal.is_none() {
            return Err("§3.9: request(0) but no terminal signal".into());
        }
        Ok(())
    }
}

fn is_bad_request(signal: &Signal) -> bool {
    matches!(signal, Signal::Error(e) if e.rule() == Some(Rule::NON_POSITIVE_REQUEST))
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

/// What a run left behind.
struct Run {
    log: Vec<Entry>,
    /// Whether the subscriber was dropped before the clean-up cancel.
    dropped: bool,
    /// Whether it was dropped after it.
    dropped_after_cancel: bool,
}

impl Run {
    /// Subscribes a recorder with `script`, runs `calls` (which get the
    /// subscription), then cancels to clean up.
    fn new(
        source: &Source,
        script: &Script,
        calls: impl FnOnce(&Shared, &dyn Subscription),
    ) -> Run {
        let shared = Arc::new(Shared::default());
        (source.subscribe)(Recorder::new(Arc::clone(&shared), script.clone()));
        let subscription = shared.subscription();
        if let Some(subscription) = &subscription {
            calls(&shared, &**subscription);
        }
        let log = shared.log().clone();
        let dropped = shared.dropped.load(Ordering::SeqCst);
        // The subscriber holds its subscription, which holds the subscriber:
        // cancelling breaks the cycle (§3.13), as a user would.
        if let Some(subscription) = subscription {
            subscription.cancel();
        }
        lock(&shared.subscription).take();
        let dropped_after_cancel = shared.dropped.load(Ordering::SeqCst);
        Run {
            log,
            dropped,
            dropped_after_cancel,
        }
    }

    /// §3.13: the subscriber is dropped once the stream is over.
    fn check_dropped(&self) -> Result<(), String> {
        let over = self.log.iter().any(|entry| {
            matches!(
                entry,
                Entry::Signal(Signal::Complete | Signal::Error(_), _)
                    | Entry::Returned(Action::Cancel | Action::Request(0), _)
            )
        });
        if over && !self.dropped {
            return Err("§3.13: the subscriber outlived the end of its stream".into());
        }
        if !self.dropped_after_cancel {
            return Err("§3.13: the subscriber outlived cancel".into());
        }
        Ok(())
    }
}

/// Runs `schedule` on one thread and checks it against the model and the
/// invariants.
fn check_single(source: &Source, schedule: &Schedule) -> Result<(), String> {
    let run = Run::new(source, &schedule.script, |shared, subscription| {
        for &action in &schedule.outer {
            shared.perform(subscription, action);
        }
    });
    check_log(&run.log, source, true)?;
    run.check_dropped()?;
    let expected = Model::run(source, &schedule.script, &schedule.outer);
    let actual = signals(&run.log, source);
    if actual != expected {
        return Err(format!(
            "signals differ from the model\n  actual:   {actual:?}\n  expected: {expected:?}"
        ));
    }
    Ok(())
}

/// Runs `schedule` on two threads and checks what every interleaving must
/// satisfy.
fn check_threads(source: &Source, schedule: &ThreadSchedule) -> Result<(), String> {
    let run = Run::new(source, &schedule.script, |shared, subscription| {
        let start = Barrier::new(2);
        thread::scope(|scope| {
            scope.spawn(|| {
                start.wait();
                for &action in &schedule.other {
                    shared.perform(subscription, action);
                }
            });
            start.wait();
            for &action in &schedule.main {
                shared.perform(subscription, action);
            }
        });
    });
    check_log(&run.log, source, false)?;
    run.check_dropped()?;
    // Without cancel or request(0), the outcome does not depend on the
    // interleaving: compare it with the model.
    let stops = |a: &Action| matches!(a, Action::Cancel | Action::Request(0));
    let any_stop = schedule.script.actions().any(stops)
        || schedule.main.iter().any(stops)
        || schedule.other.iter().any(stops);
    if !any_stop {
        let outer: Vec<Action> = schedule
            .main
            .iter()
            .chain(&schedule.other)
            .copied()
            .collect();
        let expected = Model::run(source, &schedule.script, &outer);
        let actual = signals(&run.log, source);
        if actual != expected {
            return Err(format!(
                "signals differ from the model\n  actual:   {actual:?}\n  expected: {expected:?}"
            ));
        }
    }
    Ok(())
}

fn for_every_source(
    len: u64,
    check: impl Fn(&Source) -> Result<(), String>,
) -> Result<(), TestCaseError> {
    for source in sources(len) {
        check(&source).map_err(|e| TestCaseError::fail(format!("{}: {e}", source.name)))?;
    }
    Ok(())
}

/// Moderate case counts, so the file runs in a few seconds; far fewer under
/// Miri. No failure files: the failing schedule is printed instead.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { cases },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Every call on the signals' thread: the signals are exactly the model's.
    #[test]
    fn single_thread(len in 0u64..=24, schedule in schedule()) {
        for_every_source(len, |source| check_single(source, &schedule))?;
    }

    /// A `request(0)` anywhere ends the stream with the §3.9 error, unless it
    /// already ended or was cancelled.
    #[test]
    fn request_zero(len in 0u64..=24, schedule in schedule(), at in zero_at()) {
        let schedule = with_zero(schedule, at);
        for_every_source(len, |source| check_single(source, &schedule))?;
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Calls from two threads at once: the invariants hold, and without
    /// cancel or request(0) the outcome is the model's.
    #[test]
    fn two_threads(len in 0u64..=24, schedule in thread_schedule()) {
        for_every_source(len, |source| check_threads(source, &schedule))?;
    }
}

/// A panic in `on_next` (§2.13 broken) is caught at the source's drain: it
/// does not reach the call that was emitting (here `subscribe`), the
/// subscriber gets `on_error` of kind `Panic` and is dropped at once, and
/// later calls on the subscription are no-ops.
#[test]
fn panic_in_on_next_stops_the_stream() {
    struct Panicky {
        shared: Arc<Shared>,
    }
    impl Subscriber<u64> for Panicky {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            *lock(&self.shared.subscription) = Some(Arc::clone(&subscription));
            subscription.request(5);
        }
        fn on_next(&mut self, item: u64) {
            self.shared
                .push(Entry::Signal(Signal::Next(item), thread::current().id()));
            assert!(item < 2, "on_next fails at {item}");
        }
        fn on_error(&mut self, error: Error) {
            self.shared
                .push(Entry::Signal(Signal::Error(error), thread::current().id()));
        }
        fn on_complete(&mut self) {
            self.shared
                .push(Entry::Signal(Signal::Complete, thread::current().id()));
        }
    }
    impl Drop for Panicky {
        fn drop(&mut self) {
            self.shared.dropped.store(true, Ordering::SeqCst);
        }
    }

    let shared = Arc::new(Shared::default());
    let panicky = Panicky {
        shared: Arc::clone(&shared),
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        source::range(0..10u64).subscribe(panicky);
    }));
    assert!(outcome.is_ok(), "the panic stays inside the source's drain");
    assert!(
        shared.dropped.load(Ordering::SeqCst),
        "the subscriber is dropped at the panic"
    );
    let subscription = lock(&shared.subscription).take().expect("subscribed");
    subscription.request(3);
    subscription.cancel();
    drop(subscription);
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for entry in shared.log().iter() {
        match entry {
            Entry::Signal(Signal::Next(item), _) => items.push(*item),
            Entry::Signal(Signal::Error(error), _) => errors.push(error.kind()),
            Entry::Signal(other, _) => panic!("unexpected {other:?}"),
            _ => {}
        }
    }
    assert_eq!(items, [0, 1, 2], "nothing after the panic");
    assert_eq!(errors, [ErrorKind::Panic], "one on_error, of kind Panic");
}
