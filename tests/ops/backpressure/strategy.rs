//! A property check for the dropping strategies: a random schedule of
//! emissions (from a hand-driven hot source) and requests, run against the
//! operator and against an exact model of its strategy.
//!
//! With the source driven from the test thread, every signal happens inside
//! `Emitter::next` or `request` on that thread, so the operator's behaviour
//! is deterministic and the model predicts it item for item. On top of the
//! model, the invariants every dropping strategy must keep are checked after
//! each step: delivered items are a subsequence of the emitted ones, in
//! order; never more than demanded; no item both delivered and dropped; and
//! `dropped + delivered + kept == emitted`, with `kept` within the strategy's
//! bound.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use reactive_streams::ops::BufferOverflow;
use reactive_streams::{
    BoxPublisher, ErrorKind, Publisher, PublisherExt, TestSubscriber, UNBOUNDED,
};

use super::support::{is_subsequence, lock, Manual};

/// The operator under test.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Operator {
    Buffer(usize, BufferOverflow),
    Drop,
    Latest,
    Error,
}

/// One step of a schedule.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// The source emits this many items (the next values of a counter).
    Emit(u64),
    /// The subscriber requests this many.
    Request(u64),
}

/// How the source ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum End {
    Complete,
    Error,
}

pub(crate) fn steps() -> impl proptest::strategy::Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        3 => (1u64..6).prop_map(Step::Emit),
        2 => prop_oneof![4 => 1u64..4, 1 => Just(UNBOUNDED)].prop_map(Step::Request),
    ];
    proptest::collection::vec(step, 0..24)
}

pub(crate) fn end() -> impl proptest::strategy::Strategy<Value = End> {
    prop_oneof![Just(End::Complete), Just(End::Error)]
}

/// How the model's stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminal {
    Complete,
    UpstreamError,
    Overflow,
}

/// The exact model of one strategy.
struct Model {
    strategy: Operator,
    demand: u64,
    kept: VecDeque<u64>,
    delivered: Vec<u64>,
    dropped: Vec<u64>,
    /// Emitted by the source and accepted by it (a cancelled source refuses).
    emitted: Vec<u64>,
    completing: bool,
    terminal: Option<Terminal>,
}

impl Model {
    fn new(strategy: Operator) -> Self {
        Model {
            strategy,
            demand: 0,
            kept: VecDeque::new(),
            delivered: Vec::new(),
            dropped: Vec::new(),
            emitted: Vec::new(),
            completing: false,
            terminal: None,
        }
    }

    fn deliver(&mut self, x: u64) {
        self.delivered.push(x);
        if self.demand != UNBOUNDED {
            self.demand -= 1;
        }
    }

    fn emit(&mut self, x: u64) {
        if self.terminal.is_some() {
            return; // the source was cancelled (or has ended): refused
        }
        self.emitted.push(x);
        if self.demand > 0 && self.kept.is_empty() {
            self.deliver(x);
            return;
        }
        match self.strategy {
            Operator::Drop => self.dropped.push(x),
            Operator::Error => self.terminal = Some(Terminal::Overflow),
            Operator::Latest => {
                if let Some(old) = self.kept.pop_front() {
                    self.dropped.push(old);
                }
                self.kept.push_back(x);
            }
            Operator::Buffer(capacity, overflow) => {
                if self.kept.len() < capacity {
                    self.kept.push_back(x);
                    return;
                }
                match overflow {
                    BufferOverflow::DropLatest => self.dropped.push(x),
                    BufferOverflow::DropOldest => {
                        let oldest = self.kept.pop_front().unwrap();
                        self.dropped.push(oldest);
                        self.kept.push_back(x);
                    }
                    _ => {
                        self.dropped.push(x); // handed to the callback
                        self.kept.clear();
                        self.terminal = Some(Terminal::Overflow);
                    }
                }
            }
        }
    }

    fn request(&mut self, n: u64) {
        if self.terminal.is_some() {
            return;
        }
        self.demand = self.demand.saturating_add(n).min(UNBOUNDED);
        while self.demand > 0 {
            let Some(x) = self.kept.pop_front() else {
                break;
            };
            self.deliver(x);
        }
        if self.completing && self.kept.is_empty() {
            self.terminal = Some(Terminal::Complete);
        }
    }

    fn end(&mut self, end: End) {
        if self.terminal.is_some() {
            return;
        }
        match end {
            End::Complete if self.kept.is_empty() => self.terminal = Some(Terminal::Complete),
            End::Complete => self.completing = true,
            End::Error => {
                self.kept.clear(); // errors are delivered at once
                self.terminal = Some(Terminal::UpstreamError);
            }
        }
    }

    /// The most items the strategy may keep.
    fn bound(&self) -> usize {
        match self.strategy {
            Operator::Buffer(capacity, _) => capacity,
            Operator::Latest => 1,
            Operator::Drop | Operator::Error => 0,
        }
    }
}

fn apply(
    strategy: Operator,
    up: BoxPublisher<u64>,
    dropped: Arc<Mutex<Vec<u64>>>,
) -> BoxPublisher<u64> {
    let record = move |x| lock(&dropped).push(x);
    match strategy {
        Operator::Buffer(capacity, overflow) => up
            .on_backpressure_buffer(capacity, overflow)
            .on_dropped(record)
            .boxed(),
        Operator::Drop => up.on_backpressure_drop().on_dropped(record).boxed(),
        Operator::Latest => up.on_backpressure_latest().on_dropped(record).boxed(),
        Operator::Error => up.on_backpressure_error().boxed(),
    }
}

/// Runs `steps` then `end` against the operator and the model.
pub(crate) fn check(strategy: Operator, steps: &[Step], end: End) -> Result<(), TestCaseError> {
    let manual = Manual::new();
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let ts = TestSubscriber::new(0);
    apply(strategy, manual.publisher(), Arc::clone(&dropped)).subscribe(ts.clone());
    let emitter = manual.emitter();
    let mut model = Model::new(strategy);
    let mut next = 0u64;
    let mut requested = 0u64;
    let mut emitted = 0u64;
    for step in steps {
        match *step {
            Step::Emit(k) => {
                for _ in 0..k {
                    if emitter.next(next).is_ok() {
                        emitted += 1;
                    }
                    model.emit(next);
                    next += 1;
                }
            }
            Step::Request(n) => {
                requested = requested.saturating_add(n);
                ts.request(n);
                model.request(n);
            }
        }
        // The invariants, whatever the strategy.
        let delivered = ts.values();
        let dropped_now = lock(&dropped).clone();
        let all: Vec<u64> = (0..next).collect();
        prop_assert!(
            is_subsequence(&delivered, &all),
            "out of order: {:?}",
            delivered
        );
        prop_assert!(delivered.len() as u64 <= requested, "beyond demand");
        prop_assert!(
            delivered.iter().all(|x| !dropped_now.contains(x)),
            "an item was both delivered and dropped"
        );
        if model.terminal.is_none() {
            let kept = emitted as usize - delivered.len() - dropped_now.len();
            prop_assert!(
                kept <= model.bound(),
                "{} items kept, more than {}",
                kept,
                model.bound()
            );
        }
        prop_assert_eq!(emitted, model.emitted.len() as u64);
    }
    match end {
        End::Complete => emitter.complete(),
        End::Error => emitter.error(reactive_streams::Error::new("upstream failed")),
    }
    model.end(end);
    ts.request(UNBOUNDED);
    model.request(UNBOUNDED);

    prop_assert_eq!(ts.values(), model.delivered.clone(), "delivered");
    prop_assert_eq!(lock(&dropped).clone(), model.dropped.clone(), "dropped");
    let terminal = match (ts.is_complete(), ts.error()) {
        (true, _) => Some(Terminal::Complete),
        (false, Some(e)) if e.kind() == ErrorKind::Overflow => Some(Terminal::Overflow),
        (false, Some(_)) => Some(Terminal::UpstreamError),
        (false, None) => None,
    };
    prop_assert_eq!(terminal, model.terminal, "terminal signal");
    if terminal == Some(Terminal::Complete) {
        prop_assert_eq!(
            model.delivered.len() + model.dropped.len(),
            model.emitted.len(),
            "dropped + delivered == emitted after completion"
        );
    }
    prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
    Ok(())
}
