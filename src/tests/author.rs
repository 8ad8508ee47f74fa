//! The public blocks through `subscribe_pull`, with the recording
//! subscriber: the panic guard, the waker path, cancel and `request(0)`,
//! re-entrant requests. Run under Miri too (the emitter's state lives in
//! the drain's `UnsafeCell`): `cargo +nightly miri test --lib tests::author`.

use core::task::Waker;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::{pull_fn, subscribe_pull, Demand, Pull, Replenish, Step, UNBOUNDED};
use crate::error::{ErrorKind, Rule};
use crate::sync::{Arc, Mutex};
use crate::tests::recording::{Recorder, Signal};

fn counter() -> impl Pull<Item = u64> {
    let mut n = 0u64;
    pull_fn(move || {
        n += 1;
        Step::Next(n - 1)
    })
}

#[test]
fn emits_the_demand_and_no_more() {
    let (recorder, log) = Recorder::new(2, 0);
    subscribe_pull(counter(), recorder);
    assert_eq!(log.items(), [0, 1]);
    log.subscription().request(3);
    assert_eq!(log.items(), [0, 1, 2, 3, 4]);
    log.subscription().cancel();
}

#[test]
fn reentrant_requests_are_served_flat() {
    let n = if cfg!(miri) { 40 } else { 10_000 };
    let (recorder, log) = Recorder::new(1, 1);
    let mut left = n;
    subscribe_pull(
        pull_fn(move || {
            if left == 0 {
                return Step::End(Ok(()));
            }
            left -= 1;
            Step::Next(left)
        }),
        recorder,
    );
    assert_eq!(log.items().len() as u64, n);
    assert_eq!(log.signals().last(), Some(&Signal::Complete));
}

#[test]
fn a_panicking_pull_becomes_on_error_and_is_dropped() {
    let dropped = Arc::new(Mutex::new(false));
    struct Bomb(Arc<Mutex<bool>>, u64);
    impl Pull for Bomb {
        type Item = u64;
        fn next(&mut self) -> Step<u64> {
            self.1 += 1;
            assert!(self.1 < 3, "bad record {}", self.1);
            Step::Next(self.1)
        }
    }
    impl Drop for Bomb {
        fn drop(&mut self) {
            *self.0.lock() = true;
        }
    }
    let (recorder, log) = Recorder::new(10, 0);
    subscribe_pull(Bomb(Arc::clone(&dropped), 0), recorder);
    assert_eq!(log.items(), [1, 2]);
    let signals = log.signals();
    let Some(Signal::Error(message)) = signals.last() else {
        panic!("no error: {signals:?}");
    };
    assert!(message.contains("bad record 3"), "{message}");
    assert!(*dropped.lock());
    assert_eq!(
        Arc::strong_count(&log),
        1,
        "the subscriber is dropped (§3.13)"
    );
}

#[test]
fn a_panic_in_set_waker_or_finished_is_the_streams_error() {
    struct WakerBomb;
    impl Pull for WakerBomb {
        type Item = u64;
        fn next(&mut self) -> Step<u64> {
            Step::Next(0)
        }
        fn wants_waker(&self) -> bool {
            true
        }
        fn set_waker(&mut self, _: Waker) {
            panic!("no reactor");
        }
    }
    let (recorder, log) = Recorder::new(0, 0);
    subscribe_pull(WakerBomb, recorder);
    assert!(
        matches!(log.signals().as_slice(), [Signal::Subscribe, Signal::Error(m)] if m.contains("no reactor"))
    );

    struct FinishedBomb;
    impl Pull for FinishedBomb {
        type Item = u64;
        fn next(&mut self) -> Step<u64> {
            Step::Next(0)
        }
        fn finished(&mut self) -> Option<Result<(), crate::Error>> {
            panic!("lost the cursor");
        }
    }
    let (recorder, log) = Recorder::new(0, 0);
    subscribe_pull(FinishedBomb, recorder);
    assert!(
        matches!(log.signals().as_slice(), [Signal::Subscribe, Signal::Error(m)] if m.contains("lost the cursor"))
    );
}

#[test]
fn request_zero_is_the_rule_3_9_error_once() {
    let (recorder, log) = Recorder::new(1, 0);
    subscribe_pull(counter(), recorder);
    log.subscription().request(0);
    log.subscription().request(0);
    log.subscription().request(5);
    let signals = log.signals();
    assert_eq!(signals.len(), 3, "{signals:?}");
    assert!(matches!(&signals[2], Signal::Error(m) if m.contains("3.9")));
    assert_eq!(Arc::strong_count(&log), 1);
}

#[test]
fn a_wake_after_the_end_does_nothing() {
    let slot: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
    struct Once(Arc<Mutex<Option<Waker>>>, bool);
    impl Pull for Once {
        type Item = u64;
        fn next(&mut self) -> Step<u64> {
            if self.1 {
                Step::End(Ok(()))
            } else {
                self.1 = true;
                Step::Pending
            }
        }
        fn wants_waker(&self) -> bool {
            true
        }
        fn set_waker(&mut self, waker: Waker) {
            *self.0.lock() = Some(waker);
        }
    }
    let (recorder, log) = Recorder::new(0, 0);
    subscribe_pull(Once(Arc::clone(&slot), false), recorder);
    log.subscription().request(5); // pulls once: nothing for now
    assert_eq!(log.signals(), [Signal::Subscribe]);
    let waker = slot.lock().clone().unwrap();
    waker.wake_by_ref(); // asks again: the end
    assert_eq!(log.signals(), [Signal::Subscribe, Signal::Complete]);
    waker.wake_by_ref(); // the drain is closed
    assert_eq!(log.signals(), [Signal::Subscribe, Signal::Complete]);
    // The waker we cloned still holds the emitter; dropping it frees all.
    drop(waker);
    drop(slot.lock().take());
    assert_eq!(Arc::strong_count(&log), 1);
}

#[test]
fn a_subscriber_that_panics_closes_the_emitter_for_good() {
    struct Panicky;
    impl crate::Subscriber<u64> for Panicky {
        fn on_subscribe(&mut self, s: Arc<dyn crate::Subscription>) {
            s.request(2);
        }
        fn on_next(&mut self, _: u64) {
            panic!("§2.13 broken");
        }
        fn on_error(&mut self, _: crate::Error) {}
        fn on_complete(&mut self) {}
    }
    // Issue 10: the pull engine catches the panic at its drain's boundary,
    // signals on_error(Panic), drops the subscriber and closes for good; the
    // panic no longer reaches the emitting thread.
    let unwound = catch_unwind(AssertUnwindSafe(|| subscribe_pull(counter(), Panicky)));
    assert!(unwound.is_ok(), "the panic is contained by the pull engine");
}

#[test]
fn demand_and_replenish_edges() {
    let d = Demand::new();
    assert_eq!(d.add(0), 0);
    d.request(u64::MAX);
    assert_eq!(d.get(), UNBOUNDED);
    d.request(0);
    assert!(d.is_cancelled());
    let e = d.take_invalid().unwrap();
    assert_eq!(e.rule(), Some(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(
        e.kind(),
        ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST)
    );
    assert_eq!(d.add(5), 0, "after a cancel the count reads 0");

    let mut r = Replenish::with_low_tide(8, 0);
    assert_eq!((r.prefetch(), r.limit()), (8, 8));
    for _ in 0..7 {
        assert_eq!(r.consumed_one(), None);
    }
    assert_eq!(r.consumed_one(), Some(8));
    assert_eq!(Replenish::new(0).limit(), 1);
}
