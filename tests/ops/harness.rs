//! Shared scenarios for operator tests, after Reactor's `FluxOperatorTest`:
//! each operator supplies a publisher factory and what it must emit, and the
//! harness checks it under several demand patterns.
#![allow(dead_code)] // not every operator module uses every scenario

use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Subscriber, Subscription,
    TestSubscriber,
};

/// How long a scenario waits for a signal that must come (generous: a loaded
/// CI machine must never fail a correct operator; a wait ends as soon as the
/// signal arrives).
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// Checks a publisher that must emit exactly `expected`, then complete:
/// unbounded, one at a time, in two batches, and cancelled midway.
pub(crate) fn assert_emits<T, F>(make: F, expected: &[T])
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn() -> BoxPublisher<T>,
{
    // Unbounded.
    let ts = TestSubscriber::unbounded();
    make().subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_values(expected)
        .assert_complete()
        .assert_no_violations();

    // One at a time: never more than one outstanding.
    let ts = TestSubscriber::new(0);
    make().subscribe(ts.clone());
    for i in 0..expected.len() {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
        assert_eq!(
            ts.item_count(),
            i + 1,
            "one at a time: one item per request"
        );
    }
    ts.request(1);
    ts.await_terminal(WAIT)
        .assert_values(expected)
        .assert_complete()
        .assert_no_violations();

    // Two batches that split the items unevenly.
    let half = expected.len() / 2;
    let ts = TestSubscriber::new(0);
    make().subscribe(ts.clone());
    if half > 0 {
        ts.request(half as u64);
        ts.await_count(half, WAIT);
    }
    ts.request(expected.len() as u64 + 1);
    ts.await_terminal(WAIT)
        .assert_values(expected)
        .assert_complete()
        .assert_no_violations();

    assert_cancel_midway(&make, expected);
}

/// Requests half the items, cancels, then requests more: nothing arrives
/// after the cancel and no terminal signal is delivered.
pub(crate) fn assert_cancel_midway<T, F>(make: &F, expected: &[T])
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn() -> BoxPublisher<T>,
{
    let half = expected.len() / 2;
    if half == 0 {
        return;
    }
    let ts = TestSubscriber::new(half as u64);
    make().subscribe(ts.clone());
    ts.await_count(half, WAIT);
    ts.cancel();
    ts.request(expected.len() as u64);
    ts.assert_values(&expected[..half]);
    assert!(!ts.is_complete(), "completed after cancel");
    ts.assert_no_violations();
}

/// Checks that an upstream error reaches the subscriber as the same error
/// (identity), after `expected` items.
pub(crate) fn assert_error_passes_through<T, F>(make: F, expected: &[T])
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(BoxPublisher<u64>) -> BoxPublisher<T>,
{
    let error = Error::new("upstream failed");
    let ts = TestSubscriber::unbounded();
    make(items_then_error(3, error.clone())).subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_values(expected);
    let got = ts.error().expect("the error");
    assert!(got.ptr_eq(&error), "a different error came through: {got}");
    ts.assert_no_violations();
}

/// Checks that a panic in the operator's closure becomes `on_error` with
/// [`ErrorKind::Panic`] downstream and `cancel` upstream, with nothing after
/// it. `make` gets the upstream (items 0, 1, 2, ...) to apply the operator
/// to; its closure must panic on item 2.
pub(crate) fn assert_panic_becomes_error<T, F>(make: F)
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(BoxPublisher<u64>) -> BoxPublisher<T>,
{
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<T>::unbounded();
    make(probe.publisher()).subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_error_kind(ErrorKind::Panic);
    assert!(probe.was_cancelled(), "upstream was not cancelled");
    assert!(
        probe.emitted() <= 3,
        "upstream kept emitting after the panic: {} items",
        probe.emitted()
    );
    ts.assert_no_violations();
}

/// Checks a stage that runs fused with the source engine (`map`, `filter`,
/// `filter_map`): it skips its own "already failed" check and relies on the
/// source to stop at once after the cancel that follows a panic. So after
/// the panic on item 2, the source must produce nothing more: exactly 3
/// items pulled, under unbounded demand and one request at a time, and
/// nothing after the error.
pub(crate) fn assert_panic_stops_a_fused_source_at_once<T, F>(make: F)
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(BoxPublisher<u64>) -> BoxPublisher<T>,
{
    for one_at_a_time in [false, true] {
        let pulled = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&pulled);
        let upstream = source::from_iter((0..100u64).inspect(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        }));
        let ts = TestSubscriber::<T>::new(if one_at_a_time { 1 } else { u64::MAX });
        make(upstream.boxed()).subscribe(ts.clone());
        if one_at_a_time {
            for _ in 0..5 {
                ts.request(1); // after the error, requests are no-ops
            }
        }
        ts.await_terminal(WAIT).assert_error_kind(ErrorKind::Panic);
        assert_eq!(
            pulled.load(Ordering::SeqCst),
            3,
            "the source went on after the panic (one at a time: {one_at_a_time})"
        );
        ts.assert_no_violations();
    }
}

/// Checks that after a panic on item 2 nothing more reaches downstream even
/// from an upstream that ignores `cancel` and pushes six items (§2.8 lets
/// late items arrive): the stage's own check must drop them. The items come
/// through plain `on_next`, then through `try_on_next`.
pub(crate) fn assert_nothing_after_panic_from_a_deaf_upstream<T, F>(make: F)
where
    T: Clone + PartialEq + Debug + Send + 'static,
    F: Fn(BoxPublisher<u64>) -> BoxPublisher<T>,
{
    for through_try in [false, true] {
        let ts = TestSubscriber::<T>::unbounded();
        make(Deaf { through_try }.boxed()).subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_error_kind(ErrorKind::Panic)
            .assert_no_violations();
        assert!(
            ts.item_count() <= 2,
            "items after the panic (through try_on_next: {through_try})"
        );
    }
}

/// Pushes 0..6 and completes, whatever was requested or cancelled.
struct Deaf {
    through_try: bool,
}

struct NoOpSubscription;

impl Subscription for NoOpSubscription {
    fn request(&self, _n: u64) {}
    fn cancel(&self) {}
}

impl Publisher for Deaf {
    type Item = u64;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        subscriber.on_subscribe(Arc::new(NoOpSubscription));
        for i in 0..6 {
            if self.through_try {
                subscriber.try_on_next(i);
            } else {
                subscriber.on_next(i);
            }
        }
        subscriber.on_complete();
    }
}

/// A closure argument for [`assert_panic_becomes_error`]: panics on item 2.
pub(crate) fn panic_on_2(x: u64) -> u64 {
    if x == 2 {
        panic!("user closure failed on item 2");
    }
    x
}

/// `n` items (0, 1, ...), then `error`.
pub(crate) fn items_then_error(n: u64, error: Error) -> BoxPublisher<u64> {
    source::generate(
        || 0u64,
        move |i, sink| {
            if *i < n {
                sink.next(*i);
                *i += 1;
            } else {
                sink.error(error.clone());
            }
        },
    )
    .boxed()
}

/// A publisher wrapper that records whether its subscription was cancelled,
/// how many items went through, and every request made of it.
pub(crate) struct CancelProbe<P> {
    inner: Arc<P>,
    cancelled: Arc<AtomicBool>,
    emitted: Arc<AtomicU64>,
    requests: Arc<Mutex<Vec<u64>>>,
}

impl<P> Clone for CancelProbe<P> {
    fn clone(&self) -> Self {
        CancelProbe {
            inner: Arc::clone(&self.inner),
            cancelled: Arc::clone(&self.cancelled),
            emitted: Arc::clone(&self.emitted),
            requests: Arc::clone(&self.requests),
        }
    }
}

impl<P> CancelProbe<P>
where
    P: Publisher<Item = u64> + 'static,
{
    pub(crate) fn new(inner: P) -> Self {
        CancelProbe {
            inner: Arc::new(inner),
            cancelled: Arc::new(AtomicBool::new(false)),
            emitted: Arc::new(AtomicU64::new(0)),
            requests: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub(crate) fn publisher(&self) -> BoxPublisher<u64> {
        BoxPublisher::new(self.clone())
    }

    pub(crate) fn was_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    pub(crate) fn emitted(&self) -> u64 {
        self.emitted.load(Ordering::SeqCst)
    }

    /// Every `request(n)` made of the probed publisher, in order.
    pub(crate) fn requests(&self) -> Vec<u64> {
        self.requests.lock().unwrap().clone()
    }
}

impl<P> Publisher for CancelProbe<P>
where
    P: Publisher<Item = u64> + 'static,
{
    type Item = u64;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        self.inner.subscribe(ProbeSubscriber {
            downstream: subscriber,
            cancelled: Arc::clone(&self.cancelled),
            emitted: Arc::clone(&self.emitted),
            requests: Arc::clone(&self.requests),
        });
    }
}

struct ProbeSubscriber<S> {
    downstream: S,
    cancelled: Arc<AtomicBool>,
    emitted: Arc<AtomicU64>,
    requests: Arc<Mutex<Vec<u64>>>,
}

struct ProbeSubscription {
    upstream: Arc<dyn Subscription>,
    cancelled: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<u64>>>,
}

impl Subscription for ProbeSubscription {
    fn request(&self, n: u64) {
        self.requests.lock().unwrap().push(n);
        self.upstream.request(n);
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.upstream.cancel();
    }
}

impl<S: Subscriber<u64>> Subscriber<u64> for ProbeSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(ProbeSubscription {
            upstream: subscription,
            cancelled: Arc::clone(&self.cancelled),
            requests: Arc::clone(&self.requests),
        }));
    }

    fn on_next(&mut self, item: u64) {
        self.emitted.fetch_add(1, Ordering::SeqCst);
        self.downstream.on_next(item);
    }

    fn try_on_next(&mut self, item: u64) -> bool {
        self.emitted.fetch_add(1, Ordering::SeqCst);
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.downstream.on_complete();
    }
}

/// `inner`, seen through a subscriber that knows nothing of
/// [`Subscriber::try_on_next`]: every item reaches the operator under test
/// through plain `on_next`, as from a third-party publisher. A dropping
/// operator must then replace each dropped item with a `request(1)`.
pub(crate) fn plain_on_next<T: Send + 'static>(inner: BoxPublisher<T>) -> BoxPublisher<T> {
    struct Plain<T>(BoxPublisher<T>);

    impl<T: Send + 'static> Publisher for Plain<T> {
        type Item = T;

        fn subscribe<S>(&self, subscriber: S)
        where
            S: Subscriber<T> + 'static,
        {
            self.0.subscribe(PlainSubscriber(subscriber));
        }
    }

    struct PlainSubscriber<S>(S);

    impl<T, S: Subscriber<T>> Subscriber<T> for PlainSubscriber<S> {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            self.0.on_subscribe(subscription);
        }

        fn on_next(&mut self, item: T) {
            self.0.on_next(item);
        }

        // `try_on_next` keeps its default: `on_next`, and the item counts.

        fn on_error(&mut self, error: Error) {
            self.0.on_error(error);
        }

        fn on_complete(&mut self) {
            self.0.on_complete();
        }
    }

    Plain(inner).boxed()
}

/// Subscribes with no demand, then requests one item; the subscriber cancels
/// inside that `on_next`. Nothing may follow the cancel (§3.6 and the
/// crate's promise: once `cancel` returned on the emitting thread, nothing
/// more is signalled), in particular no `on_complete` (issue 10, bug 3).
pub(crate) fn assert_nothing_after_cancel_in_on_next<F>(make: F)
where
    F: Fn() -> BoxPublisher<u64>,
{
    #[derive(Default)]
    struct Shared {
        subscription: Mutex<Option<Arc<dyn Subscription>>>,
        signals: Mutex<Vec<String>>,
    }
    struct CancelInOnNext(Arc<Shared>);
    impl Subscriber<u64> for CancelInOnNext {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            *self.0.subscription.lock().unwrap() = Some(subscription);
        }
        fn on_next(&mut self, item: u64) {
            self.0.signals.lock().unwrap().push(format!("next {item}"));
            let subscription = self.0.subscription.lock().unwrap().clone();
            subscription.expect("subscribed").cancel();
        }
        fn on_error(&mut self, error: Error) {
            self.0
                .signals
                .lock()
                .unwrap()
                .push(format!("error {error}"));
        }
        fn on_complete(&mut self) {
            self.0.signals.lock().unwrap().push("complete".to_owned());
        }
    }

    let shared = Arc::new(Shared::default());
    make().subscribe(CancelInOnNext(Arc::clone(&shared)));
    let subscription = shared.subscription.lock().unwrap().clone();
    subscription.expect("on_subscribe").request(1);
    let signals = shared.signals.lock().unwrap().clone();
    assert_eq!(signals, ["next 0"], "nothing after the cancel in on_next");
}

/// A misbehaving upstream (§1.7 broken): `on_next(0)`, `on_complete`, then
/// `on_next(1)`, all from `subscribe`, whatever the demand. A stage must drop
/// the late item, as every stage drops items after its own terminal.
pub(crate) fn next_complete_next() -> BoxPublisher<u64> {
    struct Late;
    struct Inert;
    impl Subscription for Inert {
        fn request(&self, _: u64) {}
        fn cancel(&self) {}
    }
    impl Publisher for Late {
        type Item = u64;
        fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
            subscriber.on_subscribe(Arc::new(Inert));
            subscriber.on_next(0);
            subscriber.on_complete();
            subscriber.on_next(1);
        }
    }
    Late.boxed()
}

/// Checks that a stage over [`next_complete_next`] emits `expected`, then
/// completes, and sends nothing after its completion.
pub(crate) fn assert_nothing_after_upstream_terminal<F>(make: F, expected: &[u64])
where
    F: FnOnce(BoxPublisher<u64>) -> BoxPublisher<u64>,
{
    let ts = TestSubscriber::unbounded();
    make(next_complete_next()).subscribe(ts.clone());
    ts.assert_values(expected)
        .assert_complete()
        .assert_no_violations();
}

/// A misbehaving upstream (§1.1 broken): `on_next` of `0..n` from
/// `subscribe`, whatever the demand, then `on_complete`.
pub(crate) fn ignores_demand(n: u64) -> BoxPublisher<u64> {
    struct Deaf(u64);
    struct Inert;
    impl Subscription for Inert {
        fn request(&self, _: u64) {}
        fn cancel(&self) {}
    }
    impl Publisher for Deaf {
        type Item = u64;
        fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
            subscriber.on_subscribe(Arc::new(Inert));
            for item in 0..self.0 {
                subscriber.on_next(item);
            }
            subscriber.on_complete();
        }
    }
    Deaf(n).boxed()
}
