//! Helpers for the time operators' tests: a hand-driven source whose items
//! come at chosen virtual instants, the shared virtual-time scenarios, and
//! the checks every timed operator gets (no timer left behind, a disposed
//! scheduler fails the stream).
#![allow(dead_code)] // not every module uses every helper

use std::fmt::Debug;
use std::time::Duration;

use proptest::collection::vec;
use proptest::prelude::*;
use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::source::Emitter;
use reactive_streams::{
    BoxPublisher, ErrorKind, Publisher, PublisherExt, TestSubscriber, UNBOUNDED,
};

pub(crate) use crate::backpressure::support::{Manual, RequestProbe};

/// `n` milliseconds.
pub(crate) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// How far a scenario moves the clock before it gives up on a signal.
const MAX_STEPS: usize = 10_000;

/// Moves the clock by `step` until `ts` has terminated (or `MAX_STEPS`).
pub(crate) fn run_to_end<T: Clone + Send + 'static>(
    vts: &VirtualTimeScheduler,
    ts: &TestSubscriber<T>,
    step: Duration,
) {
    for _ in 0..MAX_STEPS {
        if ts.is_terminated() {
            return;
        }
        vts.advance_by(step);
    }
}

/// Checks a timed publisher that must emit exactly `expected`, then
/// complete, as the clock moves by `step`: under unbounded demand, one item
/// at a time (the next requested when the one before arrived), in two
/// batches, and cancelled midway. After each run no timer is left armed.
pub(crate) fn assert_emits_in_virtual_time<T, F>(make: F, expected: &[T], step: Duration)
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(&VirtualTimeScheduler) -> BoxPublisher<T>,
{
    // Unbounded.
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(UNBOUNDED);
    make(&vts).subscribe(ts.clone());
    run_to_end(&vts, &ts, step);
    ts.assert_values(expected)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(vts.pending_tasks(), 0, "a timer was left armed (unbounded)");

    // One at a time.
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(1);
    make(&vts).subscribe(ts.clone());
    let mut asked = 1;
    for _ in 0..MAX_STEPS {
        if ts.is_terminated() {
            break;
        }
        if ts.item_count() == asked {
            ts.request(1);
            asked += 1;
        }
        vts.advance_by(step);
    }
    ts.assert_values(expected)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(
        vts.pending_tasks(),
        0,
        "a timer was left armed (one at a time)"
    );

    // Two batches: half, then the rest once the half has arrived.
    let half = expected.len() / 2;
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(half.max(1) as u64);
    make(&vts).subscribe(ts.clone());
    for _ in 0..MAX_STEPS {
        if ts.item_count() >= half || ts.is_terminated() {
            break;
        }
        vts.advance_by(step);
    }
    ts.request(expected.len() as u64 + 1);
    run_to_end(&vts, &ts, step);
    ts.assert_values(expected)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(vts.pending_tasks(), 0, "a timer was left armed (batches)");

    // Cancelled midway: nothing after the cancel, no timer left.
    if half > 0 {
        let vts = VirtualTimeScheduler::new();
        let ts = TestSubscriber::new(UNBOUNDED);
        make(&vts).subscribe(ts.clone());
        for _ in 0..MAX_STEPS {
            if ts.item_count() >= half {
                break;
            }
            vts.advance_by(step);
        }
        let ended = ts.is_terminated();
        ts.cancel();
        let got = ts.values();
        for _ in 0..10 {
            vts.advance_by(step * 100);
        }
        assert_eq!(ts.values(), got, "items after cancel");
        if !ended {
            assert!(!ts.is_complete(), "completed after cancel");
        }
        ts.assert_no_violations();
        assert_eq!(vts.pending_tasks(), 0, "a timer was left armed (cancel)");
    }
}

/// Checks that a scheduler disposed before subscription, and one disposed
/// while a timer waits (after `arm` moved the clock so that one does),
/// fail the stream with [`ErrorKind::Rejected`], never a hang.
pub(crate) fn assert_disposal_fails<T, F>(make: F, arm: Duration)
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(&VirtualTimeScheduler) -> BoxPublisher<T>,
{
    let vts = VirtualTimeScheduler::new();
    vts.dispose();
    let ts = TestSubscriber::<T>::new(UNBOUNDED);
    make(&vts).subscribe(ts.clone());
    vts.advance_by(arm);
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_no_violations();

    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<T>::new(UNBOUNDED);
    make(&vts).subscribe(ts.clone());
    vts.advance_by(arm);
    assert!(!ts.is_terminated(), "ended before the disposal");
    vts.dispose();
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_error_message("disposed")
        .assert_no_violations();
}

/// What happens to a timed stream's source, step by step, in a property.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Move the clock.
    Wait(u64),
    /// Emit the next item.
    Emit,
    /// Request from downstream.
    Request(u64),
}

/// A script: waits (1 to 40 ms), items and requests, mixed.
pub(crate) fn script() -> impl Strategy<Value = Vec<Step>> {
    vec(
        prop_oneof![
            4 => (1u64..40).prop_map(Step::Wait),
            4 => Just(Step::Emit),
            2 => prop_oneof![Just(1u64), 1u64..5, Just(UNBOUNDED)].prop_map(Step::Request),
        ],
        0..40,
    )
}

/// A script with unbounded demand from the start: waits and items only.
pub(crate) fn timeline() -> impl Strategy<Value = Vec<Step>> {
    vec(
        prop_oneof![(1u64..40).prop_map(Step::Wait), Just(Step::Emit)],
        0..40,
    )
}

/// What a played script did: the virtual instants (ms since the start) at
/// which each item 0, 1, ... was emitted.
#[derive(Debug, Clone)]
pub(crate) struct Played {
    pub(crate) emitted_at: Vec<u64>,
    pub(crate) end_at: u64,
}

/// Plays `steps` on `emitter` and `ts`, then completes the source.
pub(crate) fn play(
    vts: &VirtualTimeScheduler,
    emitter: &Emitter<u64>,
    ts: &TestSubscriber<impl Clone + Send + 'static>,
    steps: &[Step],
) -> Played {
    let start = vts.now();
    let now = |vts: &VirtualTimeScheduler| (vts.now() - start).as_millis() as u64;
    let mut emitted_at = Vec::new();
    for step in steps {
        match step {
            Step::Wait(n) => vts.advance_by(ms(*n)),
            Step::Emit => {
                let _ = emitter.next(emitted_at.len() as u64);
                emitted_at.push(now(vts));
            }
            Step::Request(n) => ts.request(*n),
        }
    }
    let end_at = now(vts);
    emitter.complete();
    Played { emitted_at, end_at }
}

/// Plays `steps` (waits and items) into `make(source, clock)` under
/// unbounded demand, then completes the source; checks that the stream
/// completed within demand and left no timer. Returns what was played, and
/// what came out as (ms since the start, item).
pub(crate) fn run_timeline<F, P>(
    steps: &[Step],
    make: F,
) -> Result<(Played, Vec<(u64, u64)>), TestCaseError>
where
    F: FnOnce(BoxPublisher<u64>, &VirtualTimeScheduler) -> P,
    P: Publisher<Item = u64> + 'static,
{
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    make(manual.publisher(), &vts)
        .timestamp_on(&vts)
        .subscribe(ts.clone());
    let played = play(&vts, &manual.emitter(), &ts, steps);
    prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
    prop_assert!(ts.is_complete(), "not completed: {:?}", ts.error());
    prop_assert_eq!(vts.pending_tasks(), 0, "a timer was left armed");
    let got = ts
        .values()
        .iter()
        .map(|(at, x)| ((*at - start).as_millis() as u64, *x))
        .collect();
    Ok((played, got))
}
