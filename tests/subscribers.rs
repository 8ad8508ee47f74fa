//! The subscribers' public behaviour: `LambdaSubscriber` and `CancelHandle`,
//! `TestSubscriber` (including its detection of misbehaving publishers) and
//! `BlockingIter`.
//!
//! The hand-written publishers below are deliberately simple, and some are
//! deliberately broken: `Manual` lets a test send each signal by hand,
//! `Flood` ignores demand, `Ticker` emits from its own thread within demand.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use reactive_streams::{
    source, BlockingIter, Error, ErrorKind, LambdaSubscriber, Publisher, PublisherExt, Rule,
    Subscriber, Subscription, TestSubscriber, UNBOUNDED,
};

/// Generous: only reached when something is broken.
const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// Test publishers
// ---------------------------------------------------------------------------

/// A subscription that records what it is asked.
#[derive(Default)]
struct Probe {
    requests: Mutex<Vec<u64>>,
    cancels: AtomicUsize,
}

impl Probe {
    fn new() -> Arc<Probe> {
        Arc::new(Probe::default())
    }

    fn requests(&self) -> Vec<u64> {
        self.requests.lock().unwrap().clone()
    }

    fn cancels(&self) -> usize {
        self.cancels.load(Ordering::SeqCst)
    }

    fn as_subscription(self: &Arc<Self>) -> Arc<dyn Subscription> {
        Arc::clone(self) as Arc<dyn Subscription>
    }
}

impl Subscription for Probe {
    fn request(&self, n: u64) {
        self.requests.lock().unwrap().push(n);
    }

    fn cancel(&self) {
        self.cancels.fetch_add(1, Ordering::SeqCst);
    }
}

/// A publisher driven by hand: the test sends every signal itself, and reads
/// what the subscriber asked of the subscription through `probe`.
/// A `lazy` one sends `on_subscribe` only when told, as an asynchronous
/// publisher may.
struct Manual<T> {
    probe: Arc<Probe>,
    downstream: Mutex<Option<Box<dyn Subscriber<T>>>>,
    lazy: bool,
}

impl<T: Send + 'static> Manual<T> {
    fn new() -> Manual<T> {
        Manual {
            probe: Probe::new(),
            downstream: Mutex::new(None),
            lazy: false,
        }
    }

    fn lazy() -> Manual<T> {
        Manual {
            lazy: true,
            ..Manual::new()
        }
    }

    fn on_subscribe(&self) {
        let subscription = self.probe.as_subscription();
        self.with(|s| s.on_subscribe(subscription));
    }

    fn with<R>(&self, f: impl FnOnce(&mut dyn Subscriber<T>) -> R) -> R {
        let mut slot = self.downstream.lock().unwrap();
        f(slot.as_deref_mut().expect("subscribed"))
    }

    fn next(&self, item: T) {
        self.with(|s| s.on_next(item));
    }

    fn complete(&self) {
        self.with(|s| s.on_complete());
    }

    fn error(&self, error: Error) {
        self.with(|s| s.on_error(error));
    }
}

impl<T: Send + 'static> Publisher for Manual<T> {
    type Item = T;

    fn subscribe<S: Subscriber<T> + 'static>(&self, subscriber: S) {
        let mut boxed: Box<dyn Subscriber<T>> = Box::new(subscriber);
        if !self.lazy {
            boxed.on_subscribe(self.probe.as_subscription());
        }
        *self.downstream.lock().unwrap() = Some(boxed);
    }
}

/// A broken publisher: after `on_subscribe` it sends `count` items whatever
/// the demand (§1.1), then completes; on the caller's thread, or on a thread
/// of its own.
struct Flood {
    count: u64,
    probe: Arc<Probe>,
    threaded: bool,
    exited: mpsc::Sender<()>,
    exited_rx: Mutex<mpsc::Receiver<()>>,
}

impl Flood {
    fn new(count: u64) -> Flood {
        let (exited, exited_rx) = mpsc::channel();
        Flood {
            count,
            probe: Probe::new(),
            threaded: false,
            exited,
            exited_rx: Mutex::new(exited_rx),
        }
    }

    /// Waits until a threaded flood has sent everything.
    fn wait_exited(&self) {
        let rx = self.exited_rx.lock().unwrap();
        rx.recv_timeout(TIMEOUT).expect("the flood finished");
    }

    fn threaded(count: u64) -> Flood {
        Flood {
            threaded: true,
            ..Flood::new(count)
        }
    }
}

impl Publisher for Flood {
    type Item = u64;

    fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
        let subscription = self.probe.as_subscription();
        let count = self.count;
        let exited = self.exited.clone();
        let run = move || {
            subscriber.on_subscribe(subscription);
            for i in 0..count {
                subscriber.on_next(i);
            }
            subscriber.on_complete();
            let _ = exited.send(());
        };
        if self.threaded {
            thread::spawn(run);
        } else {
            run();
        }
    }
}

/// A well-behaved asynchronous publisher: emits `0, 1, ..` from a thread of
/// its own, only within demand, completing after `count` items (never, for
/// `None`). Each thread sends on `exited` when it stops, so a test can check
/// that a cancel reached it. Records every request.
struct Ticker {
    count: Option<u64>,
    exited: mpsc::Sender<()>,
    requests: Arc<Mutex<Vec<u64>>>,
}

struct TickerSubscription {
    /// (demand, cancelled)
    state: Mutex<(u64, bool)>,
    changed: Condvar,
    requests: Arc<Mutex<Vec<u64>>>,
}

impl Subscription for TickerSubscription {
    fn request(&self, n: u64) {
        self.requests.lock().unwrap().push(n);
        let mut state = self.state.lock().unwrap();
        state.0 = state.0.saturating_add(n);
        self.changed.notify_all();
    }

    fn cancel(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

impl Ticker {
    fn new(count: Option<u64>) -> (Ticker, mpsc::Receiver<()>) {
        let (exited, rx) = mpsc::channel();
        let ticker = Ticker {
            count,
            exited,
            requests: Arc::new(Mutex::new(Vec::new())),
        };
        (ticker, rx)
    }

    fn requests(&self) -> Vec<u64> {
        self.requests.lock().unwrap().clone()
    }
}

impl Publisher for Ticker {
    type Item = u64;

    fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
        let subscription = Arc::new(TickerSubscription {
            state: Mutex::new((0, false)),
            changed: Condvar::new(),
            requests: Arc::clone(&self.requests),
        });
        let count = self.count;
        let exited = self.exited.clone();
        thread::spawn(move || {
            subscriber.on_subscribe(Arc::clone(&subscription) as Arc<dyn Subscription>);
            let mut i = 0;
            loop {
                if Some(i) == count {
                    subscriber.on_complete();
                    break;
                }
                {
                    let mut state = subscription.state.lock().unwrap();
                    while state.0 == 0 && !state.1 {
                        state = subscription.changed.wait(state).unwrap();
                    }
                    if state.1 {
                        break;
                    }
                    state.0 -= 1;
                }
                subscriber.on_next(i);
                i += 1;
            }
            drop(subscriber);
            let _ = exited.send(());
        });
    }
}

/// A broken publisher that hands its subscriber two subscriptions (§2.5).
struct TwoSubscriptions {
    first: Arc<Probe>,
    second: Arc<Probe>,
}

impl TwoSubscriptions {
    fn new() -> TwoSubscriptions {
        TwoSubscriptions {
            first: Probe::new(),
            second: Probe::new(),
        }
    }
}

impl Publisher for TwoSubscriptions {
    type Item = u64;

    fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
        subscriber.on_subscribe(self.first.as_subscription());
        subscriber.on_subscribe(self.second.as_subscription());
        subscriber.on_next(1);
        subscriber.on_complete();
    }
}

/// Collects what a `LambdaSubscriber` receives.
#[derive(Clone, Default)]
struct Log {
    items: Arc<Mutex<Vec<u64>>>,
    errors: Arc<Mutex<Vec<Error>>>,
    completions: Arc<AtomicUsize>,
}

impl Log {
    fn subscriber(
        &self,
    ) -> LambdaSubscriber<u64, impl FnMut(u64) + Send, impl FnMut(Error) + Send, impl FnMut() + Send>
    {
        let items = Arc::clone(&self.items);
        let errors = Arc::clone(&self.errors);
        let completions = Arc::clone(&self.completions);
        LambdaSubscriber::new(move |x| items.lock().unwrap().push(x))
            .with_error(move |e| errors.lock().unwrap().push(e))
            .with_complete(move || {
                completions.fetch_add(1, Ordering::SeqCst);
            })
    }

    fn items(&self) -> Vec<u64> {
        self.items.lock().unwrap().clone()
    }

    fn errors(&self) -> Vec<Error> {
        self.errors.lock().unwrap().clone()
    }

    fn completions(&self) -> usize {
        self.completions.load(Ordering::SeqCst)
    }
}

// ---------------------------------------------------------------------------
// LambdaSubscriber and CancelHandle
// ---------------------------------------------------------------------------

#[test]
fn lambda_requests_unbounded_by_default() {
    let log = Log::default();
    let publisher = Manual::new();
    publisher.subscribe(log.subscriber());
    assert_eq!(publisher.probe.requests(), [UNBOUNDED]);
    for i in 0..1000 {
        publisher.next(i);
    }
    publisher.complete();
    assert_eq!(log.items(), (0..1000).collect::<Vec<_>>());
    assert_eq!(log.completions(), 1);
    assert_eq!(publisher.probe.requests(), [UNBOUNDED]); // never replenishes
}

#[test]
fn lambda_prefetch_requests_n_then_limit_every_limit_items() {
    // prefetch 8: limit = 8 - 8/4 = 6.
    let log = Log::default();
    let publisher = Manual::new();
    publisher.subscribe(log.subscriber().prefetch(8));
    assert_eq!(publisher.probe.requests(), [8]);
    for i in 0..5 {
        publisher.next(i);
    }
    assert_eq!(publisher.probe.requests(), [8]);
    publisher.next(5); // the 6th item
    assert_eq!(publisher.probe.requests(), [8, 6]);
    for i in 6..20 {
        publisher.next(i);
    }
    assert_eq!(publisher.probe.requests(), [8, 6, 6, 6]);
    assert_eq!(log.items().len(), 20);
    assert!(log.errors().is_empty());
}

#[test]
fn lambda_prefetch_one_requests_one_at_a_time() {
    let log = Log::default();
    let publisher = Manual::new();
    publisher.subscribe(log.subscriber().prefetch(1));
    for i in 0..4 {
        publisher.next(i);
    }
    assert_eq!(publisher.probe.requests(), [1, 1, 1, 1, 1]);
    assert!(log.errors().is_empty());
}

#[test]
fn lambda_prefetch_receives_a_whole_range() {
    let log = Log::default();
    source::range(0..1000u64).subscribe(log.subscriber().prefetch(16));
    assert_eq!(log.items(), (0..1000).collect::<Vec<_>>());
    assert_eq!(log.completions(), 1);
    assert!(log.errors().is_empty());
}

#[test]
#[should_panic(expected = "prefetch: n must be at least 1")]
fn lambda_prefetch_zero_panics() {
    let _ = LambdaSubscriber::new(|_: u8| {}).prefetch(0);
}

#[test]
fn lambda_delivers_error_and_completion() {
    let failing = Log::default();
    let boom = Error::new("boom");
    source::error(boom.clone()).subscribe(failing.subscriber());
    assert_eq!(failing.errors().len(), 1);
    assert!(failing.errors()[0].ptr_eq(&boom));
    assert_eq!(failing.completions(), 0);

    let finished = Log::default();
    source::from_iter(vec![3u64, 4]).subscribe(finished.subscriber());
    assert_eq!(finished.items(), [3, 4]);
    assert_eq!(finished.completions(), 1);
    assert!(finished.errors().is_empty());
}

#[test]
fn lambda_ignores_signals_after_a_terminal_one() {
    let log = Log::default();
    let publisher = Manual::new();
    let subscriber = log.subscriber();
    let handle = subscriber.handle();
    publisher.subscribe(subscriber);
    publisher.next(1);
    publisher.complete();
    assert!(handle.is_terminated());
    assert!(!handle.is_cancelled());
    publisher.next(2);
    publisher.complete();
    publisher.error(Error::new("late"));
    assert_eq!(log.items(), [1]);
    assert_eq!(log.completions(), 1);
    assert!(log.errors().is_empty());
    // §2.3: nothing was called on the subscription after the terminal signal.
    assert_eq!(publisher.probe.requests(), [UNBOUNDED]);
    assert_eq!(publisher.probe.cancels(), 0);
}

#[test]
fn lambda_panic_in_on_next_cancels_upstream_and_reports() {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&errors);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let items = Arc::clone(&seen);
    let publisher = Manual::new();
    let subscriber = LambdaSubscriber::new(move |x: u32| {
        if x == 2 {
            panic!("cannot handle {x}");
        }
        items.lock().unwrap().push(x);
    })
    .with_error(move |e| sink.lock().unwrap().push(e));
    let handle = subscriber.handle();
    publisher.subscribe(subscriber);
    for i in 0..5 {
        publisher.next(i); // returns normally: the panic does not unwind into the publisher
    }
    publisher.complete();
    assert_eq!(*seen.lock().unwrap(), [0, 1]);
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(handle.is_terminated());
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind(), ErrorKind::Panic);
    assert_eq!(errors[0].to_string(), "panicked: cannot handle 2");
}

#[test]
fn lambda_panic_in_on_next_stops_a_synchronous_source() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let numbers = source::generate(
        || 0u64,
        move |n, sink| {
            counter.fetch_add(1, Ordering::SeqCst);
            sink.next(*n);
            *n += 1;
        },
    );
    let log = Log::default();
    let items = Arc::clone(&log.items);
    let errors = Arc::clone(&log.errors);
    numbers.subscribe(
        LambdaSubscriber::new(move |x: u64| {
            assert!(x < 3, "too big: {x}");
            items.lock().unwrap().push(x);
        })
        .with_error(move |e| errors.lock().unwrap().push(e)),
    );
    assert_eq!(log.items(), [0, 1, 2]);
    assert_eq!(log.errors()[0].kind(), ErrorKind::Panic);
    assert_eq!(pulled.load(Ordering::SeqCst), 4); // the generator stopped
}

#[test]
fn lambda_panics_in_terminal_callbacks_do_not_reach_the_publisher() {
    // If either panic unwound, `subscribe` would panic and fail the test.
    source::error::<u8>(Error::new("x"))
        .subscribe(LambdaSubscriber::new(|_| {}).with_error(|_| panic!("in on_error")));
    let handle = source::just(1u8).subscribe_with(|_| {});
    assert!(handle.is_terminated());
    let subscriber = LambdaSubscriber::new(|_: u8| {}).with_complete(|| panic!("in on_complete"));
    let handle = subscriber.handle();
    source::just(1u8).subscribe(subscriber);
    assert!(handle.is_terminated());
}

#[test]
fn lambda_prefetch_stays_ahead_of_a_publisher_ignoring_demand() {
    // A LambdaSubscriber consumes each item inside `on_next` and replenishes
    // before returning, so even a flood stays within what it requested: every
    // item arrives, nothing is buffered, and the demand matches the items.
    let log = Log::default();
    let flood = Flood::new(100);
    flood.subscribe(log.subscriber().prefetch(4));
    assert_eq!(log.items(), (0..100).collect::<Vec<_>>());
    assert_eq!(log.completions(), 1);
    assert!(log.errors().is_empty());
    let requests = flood.probe.requests();
    assert_eq!(requests[0], 4);
    assert!(requests[1..].iter().all(|&n| n == 3), "{requests:?}");
    assert_eq!(requests.len(), 1 + 100 / 3);
    assert_eq!(flood.probe.cancels(), 0);
}

#[test]
fn lambda_prefetch_with_a_publisher_on_another_thread() {
    let (tx, rx) = mpsc::channel();
    let (ticker, _exited) = Ticker::new(Some(1000));
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&received);
    ticker.subscribe(
        LambdaSubscriber::new(move |x| sink.lock().unwrap().push(x))
            .with_complete(move || tx.send(()).unwrap())
            .prefetch(32),
    );
    rx.recv_timeout(TIMEOUT).expect("completion");
    assert_eq!(*received.lock().unwrap(), (0..1000).collect::<Vec<_>>());
    let requests = ticker.requests();
    assert_eq!(requests[0], 32);
    assert!(requests[1..].iter().all(|&n| n == 24), "{requests:?}");
    assert_eq!(requests.len(), 1 + 1000 / 24);
}

#[test]
fn lambda_on_next_before_on_subscribe_is_an_error() {
    let log = Log::default();
    let mut subscriber = log.subscriber();
    let handle = subscriber.handle();
    subscriber.on_next(1);
    assert!(log.items().is_empty());
    assert_eq!(log.errors()[0].rule(), Some(Rule::new(1, 9)));
    assert!(handle.is_terminated());
    // The subscription that arrives late is cancelled.
    let probe = Probe::new();
    subscriber.on_subscribe(probe.as_subscription());
    assert_eq!(probe.cancels(), 1);
    assert!(probe.requests().is_empty());
}

#[test]
fn lambda_cancels_a_second_subscription() {
    let log = Log::default();
    let publisher = TwoSubscriptions::new();
    publisher.subscribe(log.subscriber());
    assert_eq!(publisher.first.requests(), [UNBOUNDED]);
    assert_eq!(publisher.first.cancels(), 0);
    assert_eq!(publisher.second.cancels(), 1); // §2.5
    assert!(publisher.second.requests().is_empty());
    assert_eq!(log.items(), [1]);
    assert_eq!(log.completions(), 1);
}

#[test]
fn cancel_before_subscription_cancels_on_arrival() {
    let log = Log::default();
    let subscriber = log.subscriber();
    let handle = subscriber.handle();
    handle.cancel();
    assert!(handle.is_cancelled());
    let publisher = Manual::new();
    publisher.subscribe(subscriber);
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(publisher.probe.requests().is_empty());
    publisher.next(1); // §2.8: may arrive; dropped
    publisher.complete();
    assert!(log.items().is_empty());
    assert_eq!(log.completions(), 0);

    // And a real source emits nothing.
    let subscriber = log.subscriber();
    let handle = subscriber.handle();
    handle.cancel();
    source::range(0..10u64).subscribe(subscriber);
    assert!(log.items().is_empty());
}

#[test]
fn cancel_while_the_subscription_is_on_its_way() {
    let log = Log::default();
    let publisher = Manual::lazy();
    let subscriber = log.subscriber().prefetch(8);
    let handle = subscriber.handle();
    publisher.subscribe(subscriber);
    handle.cancel(); // subscribed, but on_subscribe has not arrived yet
    assert_eq!(publisher.probe.cancels(), 0);
    publisher.on_subscribe();
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(publisher.probe.requests().is_empty());
}

#[test]
fn cancel_after_subscription_stops_callbacks() {
    let log = Log::default();
    let publisher = Manual::new();
    let subscriber = log.subscriber();
    let handle = subscriber.handle();
    publisher.subscribe(subscriber);
    publisher.next(1);
    assert!(!handle.is_terminated());
    handle.clone().cancel();
    handle.cancel(); // §3.7: once only
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(handle.is_cancelled() && handle.is_terminated());
    publisher.next(2);
    publisher.error(Error::new("late"));
    assert_eq!(log.items(), [1]);
    assert!(log.errors().is_empty());
    assert_eq!(log.completions(), 0);
}

#[test]
fn cancel_after_completion_does_nothing() {
    let publisher = Manual::<u64>::new();
    let log = Log::default();
    let subscriber = log.subscriber();
    let handle = subscriber.handle();
    publisher.subscribe(subscriber);
    publisher.complete();
    handle.cancel();
    assert!(!handle.is_cancelled());
    assert!(handle.is_terminated());
    assert_eq!(publisher.probe.cancels(), 0);
}

#[test]
fn cancel_from_another_thread_stops_an_endless_source() {
    // An endless synchronous source with unbounded demand runs inside
    // `subscribe` until cancelled: only a cancel from another thread stops it.
    let (seen, seen_rx) = mpsc::channel();
    let (done, done_rx) = mpsc::channel();
    let subscriber = LambdaSubscriber::new(move |n: u64| {
        if n == 1000 {
            let _ = seen.send(());
        }
    });
    let handle = subscriber.handle();
    thread::spawn(move || {
        source::generate(
            || 0u64,
            |n, sink| {
                sink.next(*n);
                *n += 1;
            },
        )
        .subscribe(subscriber);
        done.send(()).unwrap(); // subscribe returns once the cancel is seen
    });
    seen_rx.recv_timeout(TIMEOUT).expect("items flowing");
    handle.cancel();
    done_rx.recv_timeout(TIMEOUT).expect("the source stopped");
    assert!(handle.is_cancelled());
}

#[test]
fn subscribe_with_returns_a_working_handle() {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let handle = source::range(0..5u32).subscribe_with(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(seen.load(Ordering::SeqCst), 5);
    assert!(handle.is_terminated());
    assert!(!handle.is_cancelled());

    let publisher = Manual::<u32>::new();
    let handle = publisher.subscribe_with(|_| {});
    assert!(!handle.is_terminated());
    handle.cancel();
    assert_eq!(publisher.probe.cancels(), 1);
}

#[test]
fn lambda_debug_skips_the_closures() {
    let subscriber = LambdaSubscriber::new(|_: u8| {}).prefetch(8);
    let text = format!("{subscriber:?}");
    assert!(text.starts_with("LambdaSubscriber { prefetch: 8"), "{text}");
}

// ---------------------------------------------------------------------------
// TestSubscriber
// ---------------------------------------------------------------------------

#[test]
fn test_subscriber_remembers_requests_until_subscribed() {
    let ts = TestSubscriber::new(2);
    ts.request(3);
    assert!(ts.requests().is_empty());
    assert!(!ts.is_subscribed());
    let publisher = Manual::<u8>::new();
    publisher.subscribe(ts.clone());
    assert_eq!(ts.requests(), [2, 3]);
    assert_eq!(publisher.probe.requests(), [2, 3]);
    ts.request(1);
    assert_eq!(ts.requests(), [2, 3, 1]);
    assert_eq!(publisher.probe.requests(), [2, 3, 1]);
}

#[test]
fn test_subscriber_requests_when_a_late_subscription_arrives() {
    let ts = TestSubscriber::new(1);
    let publisher = Manual::<u8>::lazy();
    publisher.subscribe(ts.clone());
    ts.request(2);
    ts.assert_not_terminated();
    assert!(!ts.is_subscribed());
    assert!(publisher.probe.requests().is_empty());
    publisher.on_subscribe();
    assert_eq!(publisher.probe.requests(), [1, 2]);
    assert_eq!(ts.requests(), [1, 2]);
    for i in 0..3 {
        publisher.next(i);
    }
    ts.assert_values(&[0, 1, 2]);
}

#[test]
fn test_subscriber_records_the_cancel_after_an_overflow() {
    let ts = TestSubscriber::new(1);
    Flood::new(5).subscribe(ts.clone());
    assert!(ts.is_cancelled());
    assert!(ts.is_terminated() && !ts.is_complete());
}

#[test]
fn test_subscriber_with_zero_requests_nothing() {
    let ts = TestSubscriber::<u8>::new(0);
    let publisher = Manual::new();
    publisher.subscribe(ts.clone());
    ts.assert_subscribed();
    assert!(publisher.probe.requests().is_empty());
}

#[test]
fn test_subscriber_records_values_and_completion() {
    let ts = TestSubscriber::unbounded();
    source::range(0..4u32).subscribe(ts.clone());
    ts.assert_subscribed()
        .assert_values(&[0, 1, 2, 3])
        .assert_value_count(4)
        .assert_no_error()
        .assert_complete()
        .assert_no_violations();
    assert_eq!(ts.values(), [0, 1, 2, 3]);
    assert_eq!(ts.item_count(), 4);
    assert!(ts.is_complete() && ts.is_terminated());
    assert!(ts.error().is_none());
    assert_eq!(ts.requests(), [UNBOUNDED]);
}

#[test]
fn test_subscriber_records_errors() {
    let ts = TestSubscriber::<u8>::new(1);
    let boom = Error::new("the disk is full");
    source::error(boom.clone()).subscribe(ts.clone());
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::Other)
        .assert_error_message("disk")
        .assert_error(|e| e.ptr_eq(&boom))
        .assert_no_violations();
    assert!(ts.is_terminated() && !ts.is_complete());
}

#[test]
fn test_subscriber_passes_request_zero_on() {
    let ts = TestSubscriber::<u32>::new(0);
    source::range(0..3u32).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(ts.requests(), [0]);
}

#[test]
fn test_subscriber_cancel_before_subscription() {
    let ts = TestSubscriber::<u8>::new(5);
    ts.cancel();
    let publisher = Manual::new();
    publisher.subscribe(ts.clone());
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(publisher.probe.requests().is_empty());
    ts.assert_subscribed().assert_no_values();
    assert!(ts.is_cancelled());
}

#[test]
fn test_subscriber_cancel_after_subscription() {
    let ts = TestSubscriber::new(2);
    let publisher = Manual::<u8>::new();
    publisher.subscribe(ts.clone());
    publisher.next(1);
    ts.cancel();
    ts.cancel();
    assert_eq!(publisher.probe.cancels(), 1);
    publisher.next(2); // §2.8: within demand, still recorded
    ts.assert_values(&[1, 2]).assert_no_violations();
}

#[test]
fn test_subscriber_waits_for_signals_from_another_thread() {
    let (ticker, _exited) = Ticker::new(Some(50));
    let ts = TestSubscriber::new(10);
    ticker.subscribe(ts.clone());
    ts.await_count(10, TIMEOUT).assert_value_count(10);
    assert!(!ts.is_terminated());
    ts.request(40);
    ts.await_terminal(TIMEOUT)
        .assert_values(&(0..50).collect::<Vec<_>>())
        .assert_complete();
}

#[test]
fn test_subscriber_wait_for_returns_false_without_panicking() {
    let ts = TestSubscriber::<u8>::new(3);
    source::never().subscribe(ts.clone());
    assert!(!ts.wait_for_count(1, Duration::from_millis(20)));
    assert!(!ts.wait_for_terminal(Duration::from_millis(20)));

    let ended = TestSubscriber::new(5);
    source::just(1u8).subscribe(ended.clone());
    // The stream ended with one item: no need to wait the full timeout.
    assert!(!ended.wait_for_count(2, TIMEOUT));
    assert!(ended.wait_for_count(1, TIMEOUT));
    assert!(ended.wait_for_terminal(TIMEOUT));
}

#[test]
#[should_panic(expected = "await_count: expected 2 items within 20ms, got 0")]
fn await_count_panics_on_timeout() {
    let ts = TestSubscriber::<u8>::new(2);
    source::never().subscribe(ts.clone());
    ts.await_count(2, Duration::from_millis(20));
}

#[test]
#[should_panic(
    expected = "await_count: expected 3 items, but the stream ended with 1 (on_complete)"
)]
fn await_count_panics_when_the_stream_ends_short() {
    let ts = TestSubscriber::new(5);
    source::just(1u8).subscribe(ts.clone());
    ts.await_count(3, TIMEOUT);
}

#[test]
#[should_panic(expected = "await_terminal: no terminal signal within 20ms (0 items received)")]
fn await_terminal_panics_on_timeout() {
    let ts = TestSubscriber::<u8>::new(1);
    source::never().subscribe(ts.clone());
    ts.await_terminal(Duration::from_millis(20));
}

#[test]
#[should_panic(expected = "expected values [1, 2], got [1]")]
fn assert_values_shows_expected_and_actual() {
    let ts = TestSubscriber::new(1);
    source::range(1..3u8).subscribe(ts.clone());
    ts.assert_values(&[1, 2]);
}

#[test]
#[should_panic(expected = "expected on_complete, got on_error(boom)")]
fn assert_complete_fails_on_error() {
    let ts = TestSubscriber::<u8>::new(1);
    source::error(Error::new("boom")).subscribe(ts.clone());
    ts.assert_complete();
}

#[test]
#[should_panic(expected = "expected on_complete, got no terminal signal")]
fn assert_complete_fails_when_running() {
    let ts = TestSubscriber::<u8>::new(1);
    source::never().subscribe(ts.clone());
    ts.assert_complete();
}

#[test]
#[should_panic(expected = "expected no terminal signal, got on_complete")]
fn assert_not_terminated_fails_after_completion() {
    let ts = TestSubscriber::<u8>::new(0);
    source::empty().subscribe(ts.clone());
    ts.assert_not_terminated();
}

#[test]
#[should_panic(expected = "expected on_subscribe, got none")]
fn assert_subscribed_fails_before_subscription() {
    TestSubscriber::<u8>::new(0).assert_subscribed();
}

#[test]
#[should_panic(expected = "expected 2 values, got 3")]
fn assert_value_count_shows_both_counts() {
    let ts = TestSubscriber::new(3);
    source::range(0..9u8).subscribe(ts.clone());
    ts.assert_value_count(2);
}

#[test]
#[should_panic(expected = "expected no values, got 1")]
fn assert_no_values_fails_with_a_value() {
    let ts = TestSubscriber::new(1);
    source::just(0u8).subscribe(ts.clone());
    ts.assert_no_values();
}

#[test]
#[should_panic(expected = "expected an error of kind Overflow, got on_error(boom)")]
fn assert_error_kind_shows_the_actual_error() {
    let ts = TestSubscriber::<u8>::new(0);
    source::error(Error::new("boom")).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
#[should_panic(expected = "expected an error whose message contains \"disk\", got on_complete")]
fn assert_error_message_fails_on_completion() {
    let ts = TestSubscriber::<u8>::new(0);
    source::empty().subscribe(ts.clone());
    ts.assert_error_message("disk");
}

#[test]
#[should_panic(expected = "expected an error matching the predicate, got on_error(boom)")]
fn assert_error_fails_when_the_predicate_does_not_hold() {
    let ts = TestSubscriber::<u8>::new(0);
    source::error(Error::new("boom")).subscribe(ts.clone());
    ts.assert_error(|e| e.is_overflow());
}

#[test]
fn test_subscriber_catches_a_publisher_ignoring_demand() {
    let ts = TestSubscriber::new(3);
    let flood = Flood::new(1000);
    flood.subscribe(ts.clone());
    assert_eq!(ts.item_count(), 3); // the excess is not buffered
    assert_eq!(flood.probe.cancels(), 1);
    ts.assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("received 4 items, more than the 3 requested");
    // One violation, however many items followed the first excess one.
    assert_eq!(
        ts.violations(),
        ["§1.1: on_next beyond demand: received 4 items, more than the 3 requested"]
    );
}

#[test]
#[should_panic(expected = "the publisher broke the protocol")]
fn assert_values_fails_after_a_violation() {
    let ts = TestSubscriber::new(3);
    Flood::new(10).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
}

#[test]
#[should_panic(expected = "§1.7: on_complete after on_complete")]
fn assert_complete_fails_after_a_violation() {
    let ts = TestSubscriber::<u8>::new(0);
    let publisher = Manual::new();
    publisher.subscribe(ts.clone());
    publisher.complete();
    publisher.complete();
    ts.assert_complete();
}

#[test]
#[should_panic(expected = "§1.1: on_next beyond demand")]
fn assert_no_violations_names_the_rule() {
    let ts = TestSubscriber::new(1);
    Flood::new(2).subscribe(ts.clone());
    ts.assert_no_violations();
}

#[test]
fn test_subscriber_catches_overflow_from_another_thread() {
    let ts = TestSubscriber::new(16);
    let flood = Flood::threaded(10_000);
    flood.subscribe(ts.clone());
    ts.await_terminal(TIMEOUT)
        .assert_error_kind(ErrorKind::Overflow)
        .assert_value_count(16);
    assert_eq!(ts.violations().len(), 1);
    assert_eq!(flood.probe.cancels(), 1);
}

#[test]
fn test_subscriber_catches_signals_before_on_subscribe() {
    let ts = TestSubscriber::<u8>::unbounded();
    let mut raw = ts.clone();
    raw.on_next(1);
    raw.on_complete();
    ts.assert_no_values();
    assert_eq!(
        ts.violations(),
        [
            "§1.9: on_next before on_subscribe",
            "§1.9: on_complete before on_subscribe"
        ]
    );
    // A subscription arriving after the end is cancelled and reported.
    let probe = Probe::new();
    raw.on_subscribe(probe.as_subscription());
    assert_eq!(probe.cancels(), 1);
    assert!(probe.requests().is_empty());
    assert_eq!(ts.violations().len(), 3);
    assert!(ts.violations()[2].starts_with("§1.9: on_subscribe after on_complete"));
}

#[test]
fn test_subscriber_catches_signals_after_a_terminal_one() {
    let ts = TestSubscriber::unbounded();
    let publisher = Manual::new();
    publisher.subscribe(ts.clone());
    publisher.next(1u8);
    publisher.error(Error::new("first"));
    publisher.next(2);
    publisher.complete();
    publisher.error(Error::new("second"));
    ts.assert_error_message("first");
    assert_eq!(ts.item_count(), 1);
    assert_eq!(
        ts.violations(),
        [
            "§1.7: on_next after on_error(first)",
            "§1.7: on_complete after on_error(first)",
            "§1.7: on_error after on_error(first)",
        ]
    );
}

#[test]
fn test_subscriber_cancels_a_second_subscription() {
    let ts = TestSubscriber::new(1);
    let publisher = TwoSubscriptions::new();
    publisher.subscribe(ts.clone());
    assert_eq!(publisher.first.requests(), [1]);
    assert_eq!(publisher.first.cancels(), 0);
    assert_eq!(publisher.second.cancels(), 1);
    assert!(publisher.second.requests().is_empty());
    assert_eq!(ts.values(), [1]);
    assert!(ts.is_complete());
    assert_eq!(
        ts.violations(),
        ["§2.5: a second on_subscribe; the new subscription was cancelled"]
    );
}

#[test]
fn test_subscriber_bounds_its_violation_record() {
    let ts = TestSubscriber::unbounded();
    let publisher = Manual::new();
    publisher.subscribe(ts.clone());
    publisher.complete();
    for i in 0..100u32 {
        publisher.next(i);
    }
    let violations = ts.violations();
    assert_eq!(violations.len(), 33);
    assert_eq!(violations[32], "... and 68 more");
}

#[test]
fn test_subscriber_accepts_signals_from_many_threads_in_turn() {
    // Serial signals (§1.3), each from a different thread.
    let ts = TestSubscriber::new(4);
    let publisher = Arc::new(Manual::new());
    publisher.subscribe(ts.clone());
    for i in 0..4u8 {
        let publisher = Arc::clone(&publisher);
        thread::spawn(move || publisher.next(i)).join().unwrap();
    }
    let last = Arc::clone(&publisher);
    thread::spawn(move || last.complete()).join().unwrap();
    ts.assert_values(&[0, 1, 2, 3]).assert_complete();
}

// ---------------------------------------------------------------------------
// BlockingIter
// ---------------------------------------------------------------------------

#[test]
fn blocking_iter_collects_a_range() {
    let items: Result<Vec<u32>, Error> = source::range(0..1000u32).blocking_iter().collect();
    assert_eq!(items.unwrap(), (0..1000).collect::<Vec<_>>());
    let none: Vec<_> = source::empty::<u8>().blocking_iter().collect();
    assert!(none.is_empty());
}

#[test]
fn blocking_iter_yields_the_error_once_after_the_items() {
    let failing = source::generate(
        || 0u8,
        |n, sink| {
            if *n == 2 {
                sink.error(Error::new("broken pipe"));
            } else {
                sink.next(*n);
                *n += 1;
            }
        },
    );
    let mut it = failing.blocking_iter_with_prefetch(4);
    assert_eq!(it.next().unwrap().unwrap(), 0);
    assert_eq!(it.next().unwrap().unwrap(), 1);
    assert_eq!(it.next().unwrap().unwrap_err().to_string(), "broken pipe");
    assert!(it.next().is_none());
    assert!(it.next().is_none());
}

#[test]
fn blocking_iter_requests_prefetch_then_limit() {
    // prefetch 8: limit 6.
    let publisher = Arc::new(Manual::new());
    let mut it = BlockingIter::subscribe(&*publisher, 8);
    assert_eq!(publisher.probe.requests(), [8]);
    for i in 0..8u32 {
        publisher.next(i);
    }
    for i in 0..5 {
        assert_eq!(it.next().unwrap().unwrap(), i);
    }
    assert_eq!(publisher.probe.requests(), [8]);
    assert_eq!(it.next().unwrap().unwrap(), 5); // the 6th taken
    assert_eq!(publisher.probe.requests(), [8, 6]);
    for i in 8..14 {
        publisher.next(i);
    }
    for i in 6..12 {
        assert_eq!(it.next().unwrap().unwrap(), i);
    }
    assert_eq!(publisher.probe.requests(), [8, 6, 6]);
    publisher.complete();
    let rest: Vec<u32> = it.map(Result::unwrap).collect();
    assert_eq!(rest, [12, 13]);
}

#[test]
fn blocking_iter_across_threads_keeps_within_prefetch() {
    let (ticker, exited) = Ticker::new(Some(1000));
    let it = ticker.blocking_iter_with_prefetch(16);
    let items: Vec<u64> = it.map(Result::unwrap).collect();
    assert_eq!(items, (0..1000).collect::<Vec<_>>());
    exited.recv_timeout(TIMEOUT).expect("the producer finished");
    let requests = ticker.requests();
    // 16 at first, then 12 each time 12 items were taken.
    assert_eq!(requests[0], 16);
    assert!(requests[1..].iter().all(|&n| n == 12), "{requests:?}");
    // One replenish per 12 taken: 83 of them by the 996th item, except that
    // the last is skipped if the completion has already arrived by then.
    assert!([1 + 82, 1 + 83].contains(&requests.len()), "{requests:?}");
}

#[test]
fn blocking_iter_waits_for_a_slow_producer() {
    let (ticker, _exited) = Ticker::new(Some(5));
    // The producer thread is started by `subscribe`; `next` blocks on it.
    let collected: Vec<u64> = BlockingIter::subscribe(&ticker, 1)
        .map(Result::unwrap)
        .collect();
    assert_eq!(collected, [0, 1, 2, 3, 4]);
    // One at a time; the request after the 5th item is skipped if the
    // completion came first.
    let requests = ticker.requests();
    assert!(requests.iter().all(|&n| n == 1), "{requests:?}");
    assert!((5..=6).contains(&requests.len()), "{requests:?}");
}

#[test]
fn blocking_iter_overflow_ends_the_iteration() {
    let flood = Flood::new(100);
    let items: Vec<Result<u64, Error>> = flood.blocking_iter_with_prefetch(4).collect();
    // The 4 requested items, then the overflow; the buffer never held more.
    assert_eq!(items.len(), 5);
    for (i, item) in items[..4].iter().enumerate() {
        assert_eq!(*item.as_ref().unwrap(), i as u64);
    }
    let error = items[4].as_ref().unwrap_err();
    assert!(error.is_overflow());
    assert_eq!(
        error.to_string(),
        "overflow: received 5 items, more than the 4 requested"
    );
    assert_eq!(flood.probe.cancels(), 1);
    assert_eq!(flood.probe.requests(), [4]);
}

#[test]
fn blocking_iter_overflow_from_another_thread() {
    let flood = Flood::threaded(1000);
    let it = flood.blocking_iter_with_prefetch(8);
    flood.wait_exited(); // nothing taken yet, so demand stayed at 8
    let items: Vec<Result<u64, Error>> = it.collect();
    assert_eq!(items.len(), 9);
    assert!(items[..8].iter().all(Result::is_ok));
    assert!(items[8].as_ref().unwrap_err().is_overflow());
    assert_eq!(flood.probe.cancels(), 1);
    assert_eq!(flood.probe.requests(), [8]);
}

#[test]
fn blocking_iter_overflow_racing_the_consumer() {
    // The consumer takes items (and replenishes) while the flood runs: however
    // the threads interleave, the iteration ends with the overflow error, and
    // every item before it is in order.
    let flood = Flood::threaded(100_000);
    let mut it = flood.blocking_iter_with_prefetch(8);
    let mut expected = 0;
    let outcome = loop {
        match it.next() {
            Some(Ok(item)) => {
                assert_eq!(item, expected);
                expected += 1;
            }
            other => break other,
        }
    };
    flood.wait_exited();
    match outcome {
        Some(Err(error)) => {
            assert!(error.is_overflow());
            assert!(it.next().is_none());
            assert_eq!(flood.probe.cancels(), 1);
        }
        // Only if the consumer kept pace with every item (possible in
        // principle): then nothing was beyond demand.
        None => assert_eq!(expected, 100_000),
        Some(Ok(_)) => unreachable!(),
    }
}

#[test]
fn dropping_blocking_iter_cancels() {
    let publisher = Arc::new(Manual::<u8>::new());
    let mut it = BlockingIter::subscribe(&*publisher, 4);
    publisher.next(1);
    assert_eq!(it.next().unwrap().unwrap(), 1);
    assert_eq!(publisher.probe.cancels(), 0);
    drop(it);
    assert_eq!(publisher.probe.cancels(), 1);
    publisher.next(2); // §2.8: dropped without complaint
    publisher.complete();
}

#[test]
fn dropping_blocking_iter_before_the_subscription_arrives() {
    let publisher = Arc::new(Manual::<u8>::lazy());
    let it = BlockingIter::subscribe(&*publisher, 4);
    drop(it);
    publisher.on_subscribe();
    assert_eq!(publisher.probe.cancels(), 1);
    assert!(publisher.probe.requests().is_empty());
}

#[test]
fn dropping_blocking_iter_stops_a_producer_thread() {
    let (ticker, exited) = Ticker::new(None);
    let mut it = ticker.blocking_iter_with_prefetch(4);
    for i in 0..10 {
        assert_eq!(it.next().unwrap().unwrap(), i);
    }
    drop(it);
    exited
        .recv_timeout(TIMEOUT)
        .expect("the producer saw the cancel");
}

#[test]
fn blocking_iter_stops_a_synchronous_source_early() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let numbers = source::generate(
        || 0u64,
        move |n, sink| {
            counter.fetch_add(1, Ordering::SeqCst);
            sink.next(*n);
            *n += 1;
        },
    );
    let first: Vec<u64> = numbers
        .blocking_iter_with_prefetch(8)
        .take(3)
        .map(Result::unwrap)
        .collect();
    assert_eq!(first, [0, 1, 2]);
    assert_eq!(pulled.load(Ordering::SeqCst), 8); // only the prefetch was pulled
}

#[test]
fn blocking_iter_cancels_a_second_subscription() {
    let publisher = TwoSubscriptions::new();
    let items: Vec<u64> = publisher.blocking_iter().map(Result::unwrap).collect();
    assert_eq!(items, [1]);
    assert_eq!(publisher.first.requests(), [256]);
    assert_eq!(publisher.second.cancels(), 1);
    assert!(publisher.second.requests().is_empty());
}

#[test]
#[should_panic(expected = "BlockingIter: prefetch must be at least 1")]
fn blocking_iter_prefetch_zero_panics() {
    let _ = source::never::<u8>().blocking_iter_with_prefetch(0);
}

#[test]
fn blocking_iter_is_fused_and_hints_its_size() {
    let mut it = source::range(0..3u8).blocking_iter_with_prefetch(8);
    assert_eq!(it.size_hint(), (3, Some(3)));
    assert_eq!(it.by_ref().count(), 3);
    assert!(it.next().is_none());

    let never = source::never::<u8>().blocking_iter();
    assert_eq!(never.size_hint(), (0, None));
}
