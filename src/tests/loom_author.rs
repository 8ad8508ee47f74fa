//! Loom: the public blocks of `author` as an author uses them, through
//! `subscribe_pull` (with its panic guard) and `Demand`: concurrent
//! requests, a cancel racing emission, re-entrant requests racing another
//! thread's, and a producer thread's wake racing a cancel. The recording
//! subscriber keeps its log in a shim `UnsafeCell`, so overlapping signals
//! (a §1.3 violation) fail the model.
//!
//! Seen failing against broken versions: `Demand::add` as a load and a
//! separate store (an increment lost: four models fail, the
//! concurrent-requests one getting one item of two), and a
//! `Subscription::cancel` of the emitter that sets the bit without entering
//! the drain (three models fail: the cancel model and the two wake models
//! find the pull, and the waker it holds, still alive after the cancel,
//! §3.13).

use core::task::Waker;

use crate::author::{pull_fn, subscribe_pull, Demand, Pull, Step, UNBOUNDED};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::tests::recording::{Recorder, Signal};

/// A pull of `0..end`, which raises `dropped` when the engine drops it.
fn counting(end: u64, dropped: Arc<AtomicBool>) -> impl Pull<Item = u64> {
    struct Counting {
        next: u64,
        end: u64,
        dropped: Arc<AtomicBool>,
    }
    impl Pull for Counting {
        type Item = u64;
        fn next(&mut self) -> Step<u64> {
            if self.next == self.end {
                return Step::End(Ok(()));
            }
            self.next += 1;
            Step::Next(self.next - 1)
        }
        fn finished(&mut self) -> Option<Result<(), crate::Error>> {
            (self.next == self.end).then_some(Ok(()))
        }
    }
    impl Drop for Counting {
        fn drop(&mut self) {
            // Ordering: Release; the test reads it after joining.
            self.dropped.store(true, Ordering::Release);
        }
    }
    Counting {
        next: 0,
        end,
        dropped,
    }
}

#[test]
fn concurrent_requests_emit_exactly_the_demand_in_order() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        let mut n = 0u64;
        subscribe_pull(
            pull_fn(move || {
                n += 1;
                Step::Next(n - 1)
            }),
            recorder,
        );
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(1));
        subscription.request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [0, 1]);
        subscription.cancel();
    });
}

#[test]
fn cancel_racing_emission_stops_it_and_drops_the_pull() {
    loom::model(|| {
        let dropped = Arc::new(AtomicBool::new(false));
        let (recorder, log) = Recorder::new(0, 0);
        subscribe_pull(counting(10, Arc::clone(&dropped)), recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.cancel());
        subscription.request(2);
        t.join().unwrap();
        let before = log.items();
        assert!(before.len() <= 2);
        assert_eq!(before, (0..before.len() as u64).collect::<Vec<_>>());
        // §3.13: once both calls returned, the pull and the subscriber are
        // gone, whichever thread saw the cancel.
        assert!(dropped.load(Ordering::Acquire));
        assert_eq!(Arc::strong_count(&log), 1);
        // After the cancel: nothing more, whatever is requested (§3.6).
        subscription.request(5);
        assert_eq!(log.items(), before);
        assert!(!log.signals().contains(&Signal::Complete));
    });
}

#[test]
fn reentrant_requests_race_another_threads_and_complete_once() {
    loom::model(|| {
        // One in on_subscribe, one more from inside every on_next (§3.3:
        // recorded, not recursed), and one from another thread.
        let (recorder, log) = Recorder::new(1, 1);
        subscribe_pull(counting(3, Arc::new(AtomicBool::new(false))), recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(1));
        t.join().unwrap();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(0),
                Signal::Next(1),
                Signal::Next(2),
                Signal::Complete
            ]
        );
    });
}

/// A slot a producer thread fills, and the waker it wakes.
struct Slot {
    item: Mutex<Option<u64>>,
    waker: Mutex<Option<Waker>>,
}

impl Slot {
    fn new() -> Arc<Slot> {
        Arc::new(Slot {
            item: Mutex::new(None),
            waker: Mutex::new(None),
        })
    }
}

struct FromSlot(Arc<Slot>);

impl Pull for FromSlot {
    type Item = u64;
    fn next(&mut self) -> Step<u64> {
        match self.0.item.lock().take() {
            Some(item) => Step::Next(item),
            None => Step::Pending,
        }
    }
    fn wants_waker(&self) -> bool {
        true
    }
    fn set_waker(&mut self, waker: Waker) {
        *self.0.waker.lock() = Some(waker);
    }
}

impl Drop for FromSlot {
    fn drop(&mut self) {
        // The waker holds the emitter: drop it with the pull.
        let waker = self.0.waker.lock().take();
        drop(waker);
    }
}

#[test]
fn a_producer_threads_wake_races_a_request() {
    loom::model(|| {
        let slot = Slot::new();
        let (recorder, log) = Recorder::new(0, 0);
        subscribe_pull(FromSlot(Arc::clone(&slot)), recorder);
        let subscription = log.subscription();
        let producer = Arc::clone(&slot);
        let t = loom::thread::spawn(move || {
            *producer.item.lock() = Some(7);
            // Wake after storing, and outside the lock the pull takes.
            let waker = producer.waker.lock().clone();
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        subscription.request(1);
        t.join().unwrap();
        // Whoever came last emitted it: no wake-up is lost.
        assert_eq!(log.items(), [7]);
        subscription.cancel();
        assert!(slot.waker.lock().is_none());
    });
}

#[test]
fn a_producer_threads_wake_races_a_cancel() {
    loom::model(|| {
        let slot = Slot::new();
        let (recorder, log) = Recorder::new(1, 0);
        subscribe_pull(FromSlot(Arc::clone(&slot)), recorder);
        let subscription = log.subscription();
        let producer = Arc::clone(&slot);
        let t = loom::thread::spawn(move || {
            *producer.item.lock() = Some(7);
            let waker = producer.waker.lock().clone();
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        subscription.cancel();
        t.join().unwrap();
        assert!(log.items().len() <= 1);
        // The cancel dropped the pull (and with it the waker) and the
        // subscriber, whichever thread drained last.
        assert!(slot.waker.lock().is_none());
        assert_eq!(Arc::strong_count(&log), 1);
    });
}

#[test]
fn demand_requests_racing_produced_and_cancel_never_exceed_the_sum() {
    loom::model(|| {
        let demand = Arc::new(Demand::new());
        demand.request(UNBOUNDED - 2);
        let d = Arc::clone(&demand);
        let t = loom::thread::spawn(move || {
            d.request(1);
            d.request(1);
        });
        let budget = demand.get();
        demand.produced(budget.min(3));
        t.join().unwrap();
        // Saturated before `produced` ran: unbounded for good (§3.17), the
        // subtraction is void; otherwise every increment and the subtraction
        // count, exactly. Never a wrap, never a lost increment.
        let last = demand.get();
        assert!(last == UNBOUNDED || last == UNBOUNDED - 3, "demand {last}");
        if budget == UNBOUNDED {
            assert_eq!(last, UNBOUNDED);
        }
        let d = Arc::clone(&demand);
        let c = loom::thread::spawn(move || d.cancel());
        let first = demand.cancel();
        let other = c.join().unwrap();
        assert!(first ^ other, "exactly one first cancel");
        assert_eq!(demand.get(), 0);
        assert!(demand.take_invalid().is_none());
    });
}
