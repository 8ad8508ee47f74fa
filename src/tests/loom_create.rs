//! Loom models of `source::create`: emission from several threads is serial
//! and loses nothing; `cancel`, `request` and `complete` race `next`.
//!
//! The recording subscriber touches a loom `UnsafeCell` in every signal, so
//! loom itself reports two signals that are not ordered by happens-before
//! (§1.3), on top of the drain's own tracked cell.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=2 cargo test --release --lib loom_create`

use loom::thread;

use crate::error::Error;
use crate::source::{create, EmitError, Emitter, Overflow};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// What the subscriber saw, published when it terminates or is dropped.
#[derive(Default)]
struct Outcome {
    items: Vec<u32>,
    completed: bool,
    error: Option<Error>,
    /// The subscriber was dropped (§3.13).
    dropped: bool,
}

/// The test's view of a [`Recorder`].
#[derive(Clone)]
struct Probe {
    outcome: Arc<Mutex<Outcome>>,
    subscription: Arc<Mutex<Option<Arc<dyn Subscription>>>>,
}

impl Probe {
    fn subscription(&self) -> Arc<dyn Subscription> {
        self.subscription.lock().clone().expect("subscribed")
    }
}

struct Recorder {
    initial: u64,
    items: Vec<u32>,
    /// Accessed mutably in every signal: loom flags unordered signals.
    serial: UnsafeCell<()>,
    probe: Probe,
}

impl Recorder {
    fn new(initial: u64) -> (Self, Probe) {
        let probe = Probe {
            outcome: Arc::new(Mutex::new(Outcome::default())),
            subscription: Arc::new(Mutex::new(None)),
        };
        let recorder = Recorder {
            initial,
            items: Vec::new(),
            serial: UnsafeCell::new(()),
            probe: probe.clone(),
        };
        (recorder, probe)
    }
}

impl<T: Send + Into<u32>> Subscriber<T> for Recorder {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.serial.with_mut(|_| {
            *self.probe.subscription.lock() = Some(Arc::clone(&subscription));
        });
        if self.initial > 0 {
            subscription.request(self.initial);
        }
    }

    fn on_next(&mut self, item: T) {
        let items = &mut self.items;
        self.serial.with_mut(|_| items.push(item.into()));
    }

    fn on_error(&mut self, error: Error) {
        self.serial.with_mut(|_| {
            let mut outcome = self.probe.outcome.lock();
            assert!(!outcome.completed && outcome.error.is_none(), "§1.7");
            outcome.error = Some(error);
        });
    }

    fn on_complete(&mut self) {
        self.serial.with_mut(|_| {
            let mut outcome = self.probe.outcome.lock();
            assert!(!outcome.completed && outcome.error.is_none(), "§1.7");
            outcome.completed = true;
        });
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let mut outcome = self.probe.outcome.lock();
        outcome.items = core::mem::take(&mut self.items);
        outcome.dropped = true;
    }
}

/// An item that counts its drops, to check that a cancelled buffer is freed.
struct Tracked {
    value: u32,
    drops: Arc<AtomicUsize>,
}

impl From<Tracked> for u32 {
    fn from(tracked: Tracked) -> u32 {
        tracked.value
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Subscribes a recorder with `initial` demand; returns its probe and the
/// emitter the producer was given.
fn subscribe<T: Send + Into<u32> + 'static>(
    overflow: Overflow,
    initial: u64,
) -> (Probe, Emitter<T>) {
    let slot = Arc::new(Mutex::new(None));
    let stash = Arc::clone(&slot);
    let source = create(overflow, move |emitter| *stash.lock() = Some(emitter));
    let (recorder, probe) = Recorder::new(initial);
    source.subscribe(recorder);
    let emitter = slot.lock().take().expect("the producer runs in subscribe");
    (probe, emitter)
}

#[test]
fn two_emitters_deliver_serially_and_lose_nothing() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::Buffer(1), 2);
        let other = emitter.clone();
        let a = thread::spawn(move || emitter.next(1));
        let b = thread::spawn(move || other.next(2));
        assert!(a.join().unwrap().is_ok());
        assert!(b.join().unwrap().is_ok());
        // Both emitters are gone: the last drop completed the stream.
        let outcome = probe.outcome.lock();
        let mut items = outcome.items.clone();
        items.sort_unstable();
        assert_eq!(items, [1, 2]);
        assert!(outcome.completed);
        assert!(outcome.dropped);
    });
}

#[test]
fn request_races_next_and_the_buffered_item_is_delivered() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::Unbounded, 0);
        let subscription = probe.subscription();
        let keep = emitter.clone();
        let a = thread::spawn(move || emitter.next(1));
        let b = thread::spawn(move || subscription.request(1));
        assert!(a.join().unwrap().is_ok());
        b.join().unwrap();
        keep.complete();
        let outcome = probe.outcome.lock();
        assert_eq!(outcome.items, [1]);
        assert!(outcome.completed);
    });
}

#[test]
fn request_races_next_under_drop_newest_delivers_or_hands_back() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::DropNewest, 0);
        let subscription = probe.subscription();
        let keep = emitter.clone();
        let a = thread::spawn(move || emitter.next(1));
        let b = thread::spawn(move || subscription.request(1));
        let result = a.join().unwrap();
        b.join().unwrap();
        keep.complete();
        let outcome = probe.outcome.lock();
        match result {
            Ok(()) => assert_eq!(outcome.items, [1]),
            Err(EmitError::Dropped(1)) => assert!(outcome.items.is_empty()),
            Err(other) => panic!("unexpected {other}"),
        }
        assert!(outcome.completed);
    });
}

#[test]
fn cancel_races_next_and_frees_the_buffer_and_subscriber() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<Tracked>(Overflow::Unbounded, 1);
        let subscription = probe.subscription();
        let drops = Arc::new(AtomicUsize::new(0));
        // Kept by this thread, so that the stream's state outlives the model
        // threads: a freed buffer is then the cancel's doing.
        let keep = emitter.clone();
        let counter = Arc::clone(&drops);
        let a = thread::spawn(move || {
            for value in 1..=2 {
                let item = Tracked {
                    value,
                    drops: Arc::clone(&counter),
                };
                match emitter.next(item) {
                    Ok(()) | Err(EmitError::Closed(_)) => {}
                    Err(other) => panic!("unexpected {other}"),
                }
            }
        });
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();

        assert!(keep.is_cancelled());
        assert!(matches!(
            keep.next(Tracked {
                value: 3,
                drops: Arc::clone(&drops)
            }),
            Err(EmitError::Closed(_))
        ));
        let outcome = probe.outcome.lock();
        assert!(outcome.dropped, "§3.13: the subscriber is dropped");
        assert!(!outcome.completed && outcome.error.is_none());
        // Item 2 never had demand; item 1 may have been delivered first.
        assert!(outcome.items.is_empty() || outcome.items == [1]);
        // Every item was delivered, handed back, or dropped with the buffer:
        // none is left behind.
        assert_eq!(drops.load(Ordering::Relaxed), 3);
    });
}

#[test]
fn complete_races_next_and_the_terminal_signal_comes_last() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::Buffer(1), 1);
        let other = emitter.clone();
        let a = thread::spawn(move || emitter.next(1));
        let b = thread::spawn(move || other.complete());
        let result = a.join().unwrap();
        b.join().unwrap();
        let outcome = probe.outcome.lock();
        assert!(outcome.completed);
        match result {
            Ok(()) => assert_eq!(outcome.items, [1]),
            Err(EmitError::Closed(1)) => assert!(outcome.items.is_empty()),
            Err(other) => panic!("unexpected {other}"),
        }
    });
}

#[test]
fn two_emitters_and_a_request_deliver_every_accepted_item() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::Buffer(1), 0);
        let subscription = probe.subscription();
        let (first, second) = (emitter.clone(), emitter.clone());
        let a = thread::spawn(move || first.next(1).is_ok());
        let b = thread::spawn(move || second.next(2).is_ok());
        let c = thread::spawn(move || subscription.request(1));
        let accepted: Vec<u32> = [(1, a.join().unwrap()), (2, b.join().unwrap())]
            .into_iter()
            .filter_map(|(item, ok)| ok.then_some(item))
            .collect();
        c.join().unwrap();
        // With demand 1 and room for 1 more, at least one item is accepted.
        assert!(!accepted.is_empty());
        probe.subscription().request(2);
        emitter.complete();
        let outcome = probe.outcome.lock();
        let mut delivered = outcome.items.clone();
        delivered.sort_unstable();
        assert_eq!(delivered, accepted);
        assert!(outcome.completed);
    });
}

#[test]
fn request_zero_races_next_and_fails_once_with_rule_3_9() {
    loom::model(|| {
        let (probe, emitter) = subscribe::<u32>(Overflow::Unbounded, 1);
        let subscription = probe.subscription();
        let keep = emitter.clone();
        let a = thread::spawn(move || {
            let _ = emitter.next(1);
            let _ = emitter.next(2);
        });
        let b = thread::spawn(move || subscription.request(0));
        a.join().unwrap();
        b.join().unwrap();
        assert!(keep.is_cancelled() && keep.is_closed());
        let outcome = probe.outcome.lock();
        assert!(outcome.dropped);
        let rule = outcome.error.as_ref().and_then(Error::rule);
        assert_eq!(rule, Some(crate::error::Rule::NON_POSITIVE_REQUEST));
        assert!(outcome.items.is_empty() || outcome.items == [1]);
    });
}
