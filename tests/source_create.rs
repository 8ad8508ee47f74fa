//! Behaviour of `source::create`: every overflow strategy, emission from
//! several threads, terminal signals after buffered items, cancel,
//! `request(0)`, panics, hooks, and `next` after the end.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, Weak};
use std::thread;
use std::time::{Duration, Instant};

use reactive_streams::source::{self, EmitError, Emitter, Overflow};
use reactive_streams::{Error, ErrorKind, Publisher, Rule, Subscriber, Subscription, UNBOUNDED};

/// Generous: only reached when something that must happen did not.
const TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// A small recording subscriber.
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum End {
    Complete,
    Error(Error),
}

struct Record<T> {
    items: Vec<T>,
    end: Option<End>,
    subscribed: bool,
    /// Spec violations seen by the subscriber (overlapping or excess signals).
    violations: Vec<String>,
}

struct Shared<T> {
    record: Mutex<Record<T>>,
    changed: Condvar,
    subscription: Mutex<Option<Arc<dyn Subscription>>>,
    /// Set while a signal runs, to catch overlapping signals (§1.3).
    busy: AtomicBool,
    /// Total requested so far, to catch excess `on_next` (§1.1).
    requested: AtomicU64,
}

/// The test's side of a [`Recorder`].
struct Probe<T> {
    shared: Arc<Shared<T>>,
    /// Goes dead when the subscriber is dropped (§3.13).
    alive: Weak<()>,
}

/// What the recorder does in `on_next` after recording (requests, say).
type OnNext = Box<dyn FnMut(&dyn Subscription) + Send>;

struct Recorder<T> {
    shared: Arc<Shared<T>>,
    initial: u64,
    on_next: Option<OnNext>,
    _alive: Arc<()>,
}

impl<T: Send + 'static> Recorder<T> {
    fn new(initial: u64) -> (Recorder<T>, Probe<T>) {
        Self::with_on_next(initial, None)
    }

    /// A recorder that also runs `f` after recording each item, to request
    /// from inside `on_next`.
    fn with_on_next(initial: u64, f: Option<OnNext>) -> (Recorder<T>, Probe<T>) {
        let shared = Arc::new(Shared {
            record: Mutex::new(Record {
                items: Vec::new(),
                end: None,
                subscribed: false,
                violations: Vec::new(),
            }),
            changed: Condvar::new(),
            subscription: Mutex::new(None),
            busy: AtomicBool::new(false),
            requested: AtomicU64::new(0),
        });
        let alive = Arc::new(());
        let probe = Probe {
            shared: Arc::clone(&shared),
            alive: Arc::downgrade(&alive),
        };
        let recorder = Recorder {
            shared,
            initial,
            on_next: f,
            _alive: alive,
        };
        (recorder, probe)
    }

    fn enter(&self, signal: &str) {
        if self.shared.busy.swap(true, Ordering::SeqCst) {
            self.violation(format!("{signal} overlapped another signal (§1.3)"));
        }
    }

    fn leave(&self) {
        self.shared.busy.store(false, Ordering::SeqCst);
        self.shared.changed.notify_all();
    }

    fn violation(&self, what: String) {
        self.shared.record.lock().unwrap().violations.push(what);
    }
}

fn add_requested(requested: &AtomicU64, n: u64) {
    let _ = requested.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |r| {
        Some(r.saturating_add(n).min(UNBOUNDED))
    });
}

impl<T: Send + 'static> Subscriber<T> for Recorder<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.enter("on_subscribe");
        self.shared.record.lock().unwrap().subscribed = true;
        *self.shared.subscription.lock().unwrap() = Some(Arc::clone(&subscription));
        if self.initial > 0 {
            add_requested(&self.shared.requested, self.initial);
            subscription.request(self.initial);
        }
        self.leave();
    }

    fn on_next(&mut self, item: T) {
        self.enter("on_next");
        {
            let mut record = self.shared.record.lock().unwrap();
            let requested = self.shared.requested.load(Ordering::SeqCst);
            if requested != UNBOUNDED && record.items.len() as u64 >= requested {
                record
                    .violations
                    .push(format!("on_next beyond demand {requested} (§1.1)"));
            }
            if record.end.is_some() {
                record
                    .violations
                    .push("on_next after the end (§1.7)".into());
            }
            record.items.push(item);
        }
        if let Some(f) = self.on_next.as_mut() {
            let subscription = self.shared.subscription.lock().unwrap().clone();
            if let Some(inner) = subscription {
                f(&CountingSubscription {
                    inner,
                    shared: Arc::clone(&self.shared),
                });
            }
        }
        self.leave();
    }

    fn on_error(&mut self, error: Error) {
        self.enter("on_error");
        self.end(End::Error(error));
        self.leave();
    }

    fn on_complete(&mut self) {
        self.enter("on_complete");
        self.end(End::Complete);
        self.leave();
    }
}

impl<T> Recorder<T> {
    fn end(&self, end: End) {
        let mut record = self.shared.record.lock().unwrap();
        if record.end.is_some() {
            record
                .violations
                .push("a second terminal signal (§1.7)".into());
        }
        record.end = Some(end);
    }
}

/// Requests through the real subscription, counting for the §1.1 check.
struct CountingSubscription<T> {
    inner: Arc<dyn Subscription>,
    shared: Arc<Shared<T>>,
}

impl<T: Send> Subscription for CountingSubscription<T> {
    fn request(&self, n: u64) {
        add_requested(&self.shared.requested, n);
        self.inner.request(n);
    }
    fn cancel(&self) {
        self.inner.cancel();
    }
}

impl<T: Clone + Send + 'static> Probe<T> {
    fn subscription(&self) -> Arc<dyn Subscription> {
        self.shared
            .subscription
            .lock()
            .unwrap()
            .clone()
            .expect("subscribed")
    }

    fn request(&self, n: u64) {
        add_requested(&self.shared.requested, n);
        self.subscription().request(n);
    }

    fn cancel(&self) {
        self.subscription().cancel();
    }

    fn items(&self) -> Vec<T> {
        self.shared.record.lock().unwrap().items.clone()
    }

    fn is_complete(&self) -> bool {
        matches!(self.shared.record.lock().unwrap().end, Some(End::Complete))
    }

    fn is_terminated(&self) -> bool {
        self.shared.record.lock().unwrap().end.is_some()
    }

    fn error(&self) -> Option<Error> {
        match &self.shared.record.lock().unwrap().end {
            Some(End::Error(error)) => Some(error.clone()),
            _ => None,
        }
    }

    fn subscriber_dropped(&self) -> bool {
        self.alive.upgrade().is_none()
    }

    /// Waits (up to [`TIMEOUT`]) until the stream has terminated.
    fn await_terminated(&self) {
        self.await_until(|record| record.end.is_some(), "a terminal signal");
    }

    /// Waits (up to [`TIMEOUT`]) until `n` items have arrived.
    fn await_items(&self, n: usize) {
        self.await_until(|record| record.items.len() >= n, "enough items");
    }

    fn await_until(&self, done: impl Fn(&Record<T>) -> bool, what: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let mut record = self.shared.record.lock().unwrap();
        while !done(&record) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            record = self.shared.changed.wait_timeout(record, left).unwrap().0;
        }
    }

    /// No spec violation was seen, and `on_subscribe` came.
    fn assert_conformant(&self) {
        let record = self.shared.record.lock().unwrap();
        assert!(record.subscribed, "on_subscribe was never called");
        assert!(record.violations.is_empty(), "{:?}", record.violations);
    }
}

/// A source whose emitter the test drives from outside: the producer sends
/// each emitter it is given down a channel.
fn remote<T: Send + 'static>(
    overflow: Overflow,
) -> (impl Publisher<Item = T>, mpsc::Receiver<Emitter<T>>) {
    let (tx, rx) = mpsc::channel();
    let source = source::create(overflow, move |emitter| tx.send(emitter).unwrap());
    (source, rx)
}

/// Subscribes a recorder with `initial` demand to a remote source and returns
/// the probe and the emitter.
fn subscribe_remote<T: Clone + Send + 'static>(
    overflow: Overflow,
    initial: u64,
) -> (Probe<T>, Emitter<T>) {
    let (source, emitters) = remote(overflow);
    let (recorder, probe) = Recorder::new(initial);
    source.subscribe(recorder);
    (
        probe,
        emitters.try_recv().expect("the producer runs in subscribe"),
    )
}

// ---------------------------------------------------------------------------
// Overflow strategies
// ---------------------------------------------------------------------------

#[test]
fn buffer_delivers_with_demand_buffers_up_to_capacity_then_refuses() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(2), 1);
    assert_eq!(emitter.next(1), Ok(()));
    assert_eq!(emitter.next(2), Ok(()));
    assert_eq!(emitter.next(3), Ok(()));
    assert_eq!(emitter.next(4), Err(EmitError::Full(4)));
    assert_eq!(probe.items(), [1]);

    probe.request(1);
    assert_eq!(probe.items(), [1, 2]);
    // One slot freed: the retry is accepted (buffered, no demand).
    assert_eq!(emitter.next(4), Ok(()));
    assert_eq!(emitter.next(5), Err(EmitError::Full(5)));

    probe.request(10);
    assert_eq!(probe.items(), [1, 2, 3, 4]);
    assert_eq!(emitter.requested(), 8);
    emitter.complete();
    assert!(probe.is_complete());
    probe.assert_conformant();
}

#[test]
fn buffer_with_demand_first_delivers_directly() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(1), 0);
    probe.request(3);
    for i in 0..3 {
        assert_eq!(emitter.next(i), Ok(()));
    }
    assert_eq!(probe.items(), [0, 1, 2]);
    assert_eq!(emitter.next(3), Ok(())); // buffered
    assert_eq!(emitter.next(4), Err(EmitError::Full(4)));
    probe.assert_conformant();
}

#[test]
fn buffer_zero_accepts_only_items_with_demand() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(0), 1);
    assert_eq!(emitter.next(1), Ok(()));
    assert_eq!(emitter.next(2), Err(EmitError::Full(2)));
    assert_eq!(emitter.requested(), 0);
    probe.request(1);
    assert_eq!(emitter.next(2), Ok(()));
    assert_eq!(probe.items(), [1, 2]);
}

#[test]
fn unbounded_buffers_everything_until_demand() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 0);
    for i in 0..10_000 {
        assert_eq!(emitter.next(i), Ok(()));
    }
    assert!(probe.items().is_empty());
    assert_eq!(emitter.requested(), 0);
    probe.request(10);
    assert_eq!(probe.items(), (0..10).collect::<Vec<_>>());
    probe.request(UNBOUNDED);
    assert_eq!(probe.items(), (0..10_000).collect::<Vec<_>>());
    assert_eq!(emitter.requested(), UNBOUNDED);
    probe.assert_conformant();
}

#[test]
fn drop_newest_hands_back_items_without_demand() {
    let (probe, emitter) = subscribe_remote::<&str>(Overflow::DropNewest, 0);
    assert_eq!(emitter.next("a"), Err(EmitError::Dropped("a")));
    probe.request(2);
    assert_eq!(emitter.next("b"), Ok(()));
    assert_eq!(emitter.next("c"), Ok(()));
    assert_eq!(emitter.next("d"), Err(EmitError::Dropped("d")));
    assert_eq!(probe.items(), ["b", "c"]);
    probe.assert_conformant();
}

#[test]
fn latest_keeps_the_most_recent_and_hands_back_the_replaced_one() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Latest, 2);
    assert_eq!(emitter.next(1), Ok(()));
    assert_eq!(emitter.next(2), Ok(()));
    assert_eq!(emitter.next(3), Ok(())); // kept: no demand, no latest yet
    assert_eq!(emitter.next(4), Err(EmitError::Dropped(3)));
    assert_eq!(emitter.next(5), Err(EmitError::Dropped(4)));
    assert_eq!(probe.items(), [1, 2]);
    probe.request(3);
    assert_eq!(probe.items(), [1, 2, 5]);
    // Two more units of demand outstanding: both delivered at once.
    assert_eq!(emitter.requested(), 2);
    assert_eq!(emitter.next(6), Ok(()));
    assert_eq!(emitter.next(7), Ok(()));
    assert_eq!(probe.items(), [1, 2, 5, 6, 7]);
    probe.assert_conformant();
}

#[test]
fn latest_then_complete_delivers_the_latest_first() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Latest, 0);
    emitter.next(1).unwrap();
    assert_eq!(emitter.next(2), Err(EmitError::Dropped(1)));
    emitter.complete();
    assert!(!probe.is_terminated());
    probe.request(1);
    assert_eq!(probe.items(), [2]);
    assert!(probe.is_complete());
}

#[test]
fn error_strategy_fails_the_stream_on_an_item_without_demand() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Error, 2);
    assert_eq!(emitter.next(1), Ok(()));
    assert_eq!(emitter.next(2), Ok(()));
    assert_eq!(emitter.next(3), Err(EmitError::Overflow(3)));
    assert_eq!(emitter.next(4), Err(EmitError::Closed(4)));
    assert_eq!(probe.items(), [1, 2]);
    let error = probe.error().expect("an overflow error");
    assert_eq!(error.kind(), ErrorKind::Overflow);
    assert!(emitter.is_closed());
    assert!(!emitter.is_cancelled());
    assert!(probe.subscriber_dropped());
    probe.assert_conformant();
}

#[test]
fn error_strategy_without_any_demand_fails_at_the_first_item() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Error, 0);
    assert_eq!(emitter.next(1), Err(EmitError::Overflow(1)));
    assert!(probe.items().is_empty());
    assert!(probe.error().unwrap().is_overflow());
}

// ---------------------------------------------------------------------------
// Several threads
// ---------------------------------------------------------------------------

const THREADS: u32 = 4;
const PER_THREAD: u32 = if cfg!(miri) { 20 } else { 2_000 };

/// Checks that each thread's items arrived complete and in order.
fn assert_per_thread_order(items: &[(u32, u32)], expect_all: bool) {
    let mut next = vec![0u32; THREADS as usize];
    for &(thread, seq) in items {
        let expected = &mut next[thread as usize];
        if expect_all {
            assert_eq!(seq, *expected, "thread {thread}: out of order or lost");
        } else {
            assert!(seq >= *expected, "thread {thread}: out of order");
        }
        *expected = seq + 1;
    }
    if expect_all {
        assert!(
            next.iter().all(|&n| n == PER_THREAD),
            "lost items: {next:?}"
        );
    }
}

/// Emits `PER_THREAD` items from each of `THREADS` threads at once; under a
/// `Buffer`, a refused item is retried until accepted. Returns the number of
/// items each strategy handed back as dropped.
fn emit_from_threads(emitter: &Emitter<(u32, u32)>) -> u64 {
    let dropped = Arc::new(AtomicU64::new(0));
    let start = Arc::new(std::sync::Barrier::new(THREADS as usize));
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            let emitter = emitter.clone();
            let dropped = Arc::clone(&dropped);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                for seq in 0..PER_THREAD {
                    let mut item = (thread, seq);
                    loop {
                        match emitter.next(item) {
                            Ok(()) => break,
                            Err(EmitError::Full(back)) => {
                                item = back;
                                thread::yield_now();
                            }
                            Err(EmitError::Dropped(_)) => {
                                dropped.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            Err(other) => panic!("unexpected {other}"),
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    dropped.load(Ordering::Relaxed)
}

#[test]
fn several_threads_unbounded_with_unbounded_demand_lose_nothing() {
    let (probe, emitter) = subscribe_remote::<(u32, u32)>(Overflow::Unbounded, UNBOUNDED);
    assert_eq!(emit_from_threads(&emitter), 0);
    emitter.complete();
    probe.await_terminated();
    assert!(probe.is_complete());
    let items = probe.items();
    assert_eq!(items.len(), (THREADS * PER_THREAD) as usize);
    assert_per_thread_order(&items, true);
    probe.assert_conformant();
}

#[test]
fn several_threads_buffer_with_request_from_inside_on_next_lose_nothing() {
    let (source, emitters) = remote::<(u32, u32)>(Overflow::Buffer(8));
    // Starts with 4, then asks for one more per item, from inside on_next.
    let (recorder, probe) = Recorder::with_on_next(
        4,
        Some(Box::new(|subscription: &dyn Subscription| {
            subscription.request(1)
        })),
    );
    source.subscribe(recorder);
    let emitter = emitters.try_recv().unwrap();
    assert_eq!(emit_from_threads(&emitter), 0);
    emitter.complete();
    probe.await_terminated();
    let items = probe.items();
    assert_eq!(items.len(), (THREADS * PER_THREAD) as usize);
    assert_per_thread_order(&items, true);
    assert!(probe.is_complete());
    probe.assert_conformant();
}

#[test]
fn several_threads_buffer_with_demand_from_another_thread_lose_nothing() {
    let (probe, emitter) = subscribe_remote::<(u32, u32)>(Overflow::Buffer(16), 0);
    let probe = Arc::new(probe);
    let total = (THREADS * PER_THREAD) as usize;
    let requester = {
        let probe = Arc::clone(&probe);
        thread::spawn(move || {
            // Keeps a little demand ahead of what arrived, in small batches.
            let deadline = Instant::now() + TIMEOUT;
            let mut requested = 0usize;
            while probe.items().len() < total {
                assert!(Instant::now() < deadline, "timed out");
                if requested < probe.items().len() + 8 {
                    probe.request(3);
                    requested += 3;
                }
                thread::yield_now();
            }
        })
    };
    assert_eq!(emit_from_threads(&emitter), 0);
    requester.join().unwrap();
    emitter.complete();
    probe.await_terminated();
    let items = probe.items();
    assert_eq!(items.len(), total);
    assert_per_thread_order(&items, true);
    probe.assert_conformant();
}

#[test]
fn several_threads_drop_newest_account_for_every_item() {
    let (probe, emitter) = subscribe_remote::<(u32, u32)>(Overflow::DropNewest, 0);
    let probe = Arc::new(probe);
    let stop = Arc::new(AtomicBool::new(false));
    let requester = {
        let (probe, stop) = (Arc::clone(&probe), Arc::clone(&stop));
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                probe.request(5);
                thread::yield_now();
            }
        })
    };
    let dropped = emit_from_threads(&emitter);
    stop.store(true, Ordering::Relaxed);
    requester.join().unwrap();
    emitter.complete();
    probe.await_terminated();
    let items = probe.items();
    assert_eq!(
        items.len() as u64 + dropped,
        u64::from(THREADS * PER_THREAD)
    );
    assert_per_thread_order(&items, false);
    probe.assert_conformant();
}

// ---------------------------------------------------------------------------
// Terminal signals
// ---------------------------------------------------------------------------

#[test]
fn complete_waits_for_buffered_items() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 0);
    emitter.next(1).unwrap();
    emitter.next(2).unwrap();
    emitter.complete();
    assert!(emitter.is_closed());
    assert_eq!(emitter.next(3), Err(EmitError::Closed(3)));
    assert!(!probe.is_terminated());
    probe.request(1);
    assert_eq!(probe.items(), [1]);
    assert!(!probe.is_terminated());
    probe.request(1);
    assert_eq!(probe.items(), [1, 2]);
    assert!(probe.is_complete());
    assert!(probe.subscriber_dropped());
    probe.assert_conformant();
}

#[test]
fn complete_without_demand_is_delivered_at_once() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(4), 0);
    emitter.complete();
    assert!(probe.is_complete());
}

#[test]
fn error_waits_for_buffered_items() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(4), 0);
    emitter.next(1).unwrap();
    let error = Error::new("device lost");
    emitter.error(error.clone());
    assert!(!probe.is_terminated());
    probe.request(5);
    assert_eq!(probe.items(), [1]);
    assert!(probe.error().unwrap().ptr_eq(&error));
    probe.assert_conformant();
}

#[test]
fn only_the_first_terminal_signal_counts() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 1);
    emitter.complete();
    emitter.error(Error::new("too late"));
    emitter.complete();
    assert!(probe.is_complete());
    assert_eq!(emitter.next(1), Err(EmitError::Closed(1)));
    assert_eq!(emitter.requested(), 0);
    probe.assert_conformant(); // no second terminal signal
}

#[test]
fn dropping_every_emitter_completes_after_buffered_items() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 0);
    let clone = emitter.clone();
    emitter.next(1).unwrap();
    drop(emitter);
    clone.next(2).unwrap();
    drop(clone);
    assert!(!probe.is_terminated());
    probe.request(2);
    assert_eq!(probe.items(), [1, 2]);
    assert!(probe.is_complete());
}

#[test]
fn a_producer_that_keeps_no_emitter_completes_the_stream() {
    let source = source::create(Overflow::Unbounded, |emitter| {
        emitter.next("only").unwrap();
    });
    let (recorder, probe) = Recorder::new(UNBOUNDED);
    source.subscribe(recorder);
    assert_eq!(probe.items(), ["only"]);
    assert!(probe.is_complete());
}

#[test]
fn the_last_emitter_dropped_by_a_panicking_thread_fails_the_stream() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, UNBOUNDED);
    let worker = thread::spawn(move || {
        emitter.next(1).unwrap();
        panic!("producer crashed");
    });
    assert!(worker.join().is_err());
    assert_eq!(probe.items(), [1]);
    assert_eq!(probe.error().expect("an error").kind(), ErrorKind::Panic);
}

// ---------------------------------------------------------------------------
// Cancel and request(0)
// ---------------------------------------------------------------------------

#[test]
fn cancel_drops_the_buffer_and_the_subscriber() {
    let (probe, emitter) = subscribe_remote::<Arc<u32>>(Overflow::Unbounded, 1);
    let tracked = Arc::new(7);
    emitter.next(Arc::clone(&tracked)).unwrap(); // delivered
    emitter.next(Arc::clone(&tracked)).unwrap(); // buffered
    emitter.next(Arc::clone(&tracked)).unwrap(); // buffered
    assert_eq!(Arc::strong_count(&tracked), 4);
    let cancelled = Arc::new(AtomicUsize::new(0));
    let hook = Arc::clone(&cancelled);
    emitter.on_cancel(move || {
        hook.fetch_add(1, Ordering::SeqCst);
    });

    probe.cancel();
    assert!(emitter.is_cancelled());
    assert!(emitter.is_closed());
    assert_eq!(emitter.requested(), 0);
    assert_eq!(cancelled.load(Ordering::SeqCst), 1);
    assert!(probe.subscriber_dropped(), "§3.13");
    // The buffer is gone; only the test's copy and the delivered one remain.
    assert_eq!(Arc::strong_count(&tracked), 2);
    let refused = emitter.next(Arc::clone(&tracked));
    assert!(matches!(refused, Err(EmitError::Closed(_))));
    assert!(!probe.is_terminated());

    probe.cancel(); // §3.7: a no-op
    probe.request(1); // §3.6: a no-op
    assert_eq!(cancelled.load(Ordering::SeqCst), 1);
    assert_eq!(probe.items().len(), 1);
    probe.assert_conformant();
}

#[test]
fn on_cancel_registered_after_the_cancel_runs_at_once() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Latest, 0);
    probe.cancel();
    let (tx, rx) = mpsc::channel();
    emitter.on_cancel(move || tx.send(()).unwrap());
    assert_eq!(rx.try_recv(), Ok(()));
}

#[test]
fn on_cancel_never_runs_after_completion() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Latest, 0);
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    emitter.on_cancel(move || flag.store(true, Ordering::SeqCst));
    emitter.complete();
    assert!(probe.is_complete());
    probe.cancel();
    let flag = Arc::clone(&ran);
    emitter.on_cancel(move || flag.store(true, Ordering::SeqCst));
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn a_panicking_on_cancel_hook_does_not_escape_cancel() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Latest, 0);
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    emitter.on_cancel(|| panic!("hook failed"));
    emitter.on_cancel(move || flag.store(true, Ordering::SeqCst));
    probe.cancel(); // returns normally (§3.15)
    assert!(ran.load(Ordering::SeqCst), "later hooks still run");
}

#[test]
fn cancel_inside_on_subscribe_still_calls_the_producer_with_a_closed_emitter() {
    struct CancelAtOnce;
    impl Subscriber<u32> for CancelAtOnce {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            subscription.cancel();
        }
        fn on_next(&mut self, _: u32) {
            panic!("no item after cancel");
        }
        fn on_error(&mut self, error: Error) {
            panic!("unexpected {error}");
        }
        fn on_complete(&mut self) {
            panic!("unexpected completion");
        }
    }
    let saw_cancel = Arc::new(Mutex::new(false));
    let seen = Arc::clone(&saw_cancel);
    let source = source::create(Overflow::Unbounded, move |emitter| {
        *seen.lock().unwrap() = emitter.is_cancelled();
        assert_eq!(emitter.next(1), Err(EmitError::Closed(1)));
    });
    source.subscribe(CancelAtOnce);
    assert!(*saw_cancel.lock().unwrap());
}

#[test]
fn request_zero_fails_with_rule_3_9_and_drops_the_buffer() {
    let (probe, emitter) = subscribe_remote::<Arc<u32>>(Overflow::Unbounded, 0);
    let tracked = Arc::new(1);
    emitter.next(Arc::clone(&tracked)).unwrap();
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancelled);
    emitter.on_cancel(move || flag.store(true, Ordering::SeqCst));

    probe.request(0);
    let error = probe.error().expect("the §3.9 error, at once");
    assert_eq!(error.rule(), Some(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.items().is_empty());
    assert_eq!(
        Arc::strong_count(&tracked),
        1,
        "the buffered item was dropped"
    );
    assert!(emitter.is_cancelled());
    assert!(cancelled.load(Ordering::SeqCst));
    assert!(matches!(emitter.next(tracked), Err(EmitError::Closed(_))));
    assert!(probe.subscriber_dropped());
    probe.assert_conformant();
}

#[test]
fn request_zero_inside_on_subscribe_fails_with_rule_3_9() {
    let (source, emitters) = remote::<u32>(Overflow::Buffer(1));
    let (recorder, probe) = Recorder::new(0);
    // A subscriber whose initial request is 0.
    struct Zero(Recorder<u32>);
    impl Subscriber<u32> for Zero {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            self.0.on_subscribe(Arc::clone(&subscription));
            subscription.request(0);
        }
        fn on_next(&mut self, item: u32) {
            self.0.on_next(item)
        }
        fn on_error(&mut self, error: Error) {
            self.0.on_error(error)
        }
        fn on_complete(&mut self) {
            self.0.on_complete()
        }
    }
    source.subscribe(Zero(recorder));
    let error = probe.error().expect("the §3.9 error");
    assert_eq!(error.rule(), Some(Rule::new(3, 9)));
    let emitter = emitters.try_recv().unwrap();
    assert!(emitter.is_cancelled());
}

// ---------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------

#[test]
fn a_panicking_producer_fails_the_stream_after_its_items() {
    let source = source::create(Overflow::Unbounded, |emitter| {
        emitter.next(1).unwrap();
        emitter.next(2).unwrap();
        panic!("producer bug {}", 42);
    });
    let (recorder, probe) = Recorder::new(1);
    source.subscribe(recorder); // returns normally
    assert_eq!(probe.items(), [1]);
    assert!(!probe.is_terminated());
    probe.request(1);
    assert_eq!(probe.items(), [1, 2]);
    let error = probe.error().expect("the panic as an error");
    assert_eq!(error.kind(), ErrorKind::Panic);
    assert_eq!(error.to_string(), "panicked: producer bug 42");
    probe.assert_conformant();
}

#[test]
fn a_panicking_producer_that_stashed_an_emitter_closes_it() {
    let (tx, rx) = mpsc::channel();
    let source = source::create(Overflow::Unbounded, move |emitter: Emitter<u32>| {
        tx.send(emitter.clone()).unwrap();
        panic!("after stashing");
    });
    let (recorder, probe) = Recorder::new(UNBOUNDED);
    source.subscribe(recorder);
    assert_eq!(probe.error().unwrap().kind(), ErrorKind::Panic);
    let stashed = rx.try_recv().unwrap();
    assert_eq!(stashed.next(1), Err(EmitError::Closed(1)));
}

#[test]
fn a_panicking_on_request_hook_fails_the_stream() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 0);
    emitter.on_request(|n| panic!("cannot make {n} items"));
    let result = panic::catch_unwind(AssertUnwindSafe(|| probe.request(3)));
    assert!(result.is_ok(), "request returns normally (§3.16)");
    let error = probe.error().expect("the panic as an error");
    assert_eq!(error.to_string(), "panicked: cannot make 3 items");
    assert!(emitter.is_closed());
}

// ---------------------------------------------------------------------------
// on_request, requested, re-entrancy
// ---------------------------------------------------------------------------

#[test]
fn on_request_reports_initial_and_later_demand() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Error, 3);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&calls);
    emitter.on_request(move |n| log.lock().unwrap().push(n));
    probe.request(2);
    probe.request(u64::MAX);
    assert_eq!(*calls.lock().unwrap(), [3, 2, UNBOUNDED]);
    probe.request(0); // not reported: a §3.9 violation, not demand
    probe.request(5); // after the end: not reported
    assert_eq!(calls.lock().unwrap().len(), 3);
}

#[test]
fn requested_follows_demand_and_buffered_items() {
    let (probe, emitter) = subscribe_remote::<u32>(Overflow::Buffer(4), 0);
    assert_eq!(emitter.requested(), 0);
    emitter.next(1).unwrap(); // buffered
    probe.request(3);
    assert_eq!(probe.items(), [1]);
    assert_eq!(emitter.requested(), 2);
    emitter.next(2).unwrap();
    assert_eq!(emitter.requested(), 1);
    probe.request(UNBOUNDED);
    assert_eq!(emitter.requested(), UNBOUNDED);
}

#[test]
fn a_pull_style_producer_requested_one_at_a_time_does_not_recurse() {
    // Each on_next requests 1; the hook emits 1 per request, from inside
    // on_next. Without the drain this would nest 100_000 frames deep (§3.3).
    const N: u32 = if cfg!(miri) { 100 } else { 100_000 };
    let source = source::create(Overflow::Error, |emitter| {
        let sink = emitter.clone();
        let next = AtomicU64::new(0);
        emitter.on_request(move |n| {
            for _ in 0..n {
                let i = next.fetch_add(1, Ordering::Relaxed) as u32;
                if i == N {
                    return sink.complete();
                }
                sink.next(i).unwrap();
            }
        });
    });
    let (recorder, probe) = Recorder::with_on_next(
        1,
        Some(Box::new(|subscription: &dyn Subscription| {
            subscription.request(1)
        })),
    );
    source.subscribe(recorder);
    assert!(probe.is_complete());
    let items = probe.items();
    assert_eq!(items.len(), N as usize);
    assert!(items.iter().copied().eq(0..N));
    probe.assert_conformant();
}

#[test]
fn each_subscriber_gets_its_own_producer_call() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let source = source::create(Overflow::Unbounded, move |emitter| {
        let n = count.fetch_add(1, Ordering::SeqCst) as u32;
        emitter.next(n).unwrap();
        emitter.complete();
    });
    let (first, first_probe) = Recorder::new(UNBOUNDED);
    let (second, second_probe) = Recorder::new(UNBOUNDED);
    source.subscribe(first);
    source.clone().subscribe(second);
    assert_eq!(first_probe.items(), [0]);
    assert_eq!(second_probe.items(), [1]);
    assert!(first_probe.is_complete() && second_probe.is_complete());
}

#[test]
fn emission_from_a_thread_reaches_a_subscriber_requesting_later() {
    let source = source::create(Overflow::Buffer(100), |emitter| {
        thread::spawn(move || {
            for i in 0..50u32 {
                emitter.next(i).unwrap();
            }
            emitter.complete();
        });
    });
    let (recorder, probe) = Recorder::new(0);
    source.subscribe(recorder);
    for _ in 0..50 {
        probe.request(1);
    }
    probe.await_items(50);
    probe.await_terminated();
    assert_eq!(probe.items(), (0..50).collect::<Vec<_>>());
    assert!(probe.is_complete());
    probe.assert_conformant();
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

#[test]
fn emit_error_gives_back_its_item_and_says_what_happened() {
    assert_eq!(EmitError::Dropped(5).into_inner(), 5);
    assert_eq!(format!("{:?}", EmitError::Full(vec![1])), "Full(..)");
    assert!(EmitError::Closed(()).to_string().contains("closed"));
    let (_, emitter) = subscribe_remote::<u32>(Overflow::Unbounded, 0);
    assert!(format!("{emitter:?}").starts_with("Emitter"));
}
