use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use reactive_streams::scheduler::{self, Scheduler, SingleScheduler, VirtualTimeScheduler};
use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber, Subscription,
    TestSubscriber,
};

use crate::backpressure::support::{lock, RequestProbe};
use crate::harness::{assert_emits, assert_error_passes_through, WAIT};
use crate::model::{check_model, config, schedule, Mode, ModelEnd};

fn thread_name() -> Option<String> {
    std::thread::current().name().map(String::from)
}

/// Wraps a publisher and records the thread of its `subscribe` and of each
/// `request` made to its subscriptions.
#[derive(Clone, Default)]
struct Threads(Arc<Mutex<Vec<Call>>>);

/// A call, and the name of the thread it was made on.
type Call = (&'static str, Option<String>);

impl Threads {
    fn wrap<P: Publisher + 'static>(&self, inner: P) -> impl Publisher<Item = P::Item> {
        Recorded {
            inner,
            log: self.clone(),
        }
    }

    fn log(&self) -> Vec<Call> {
        lock(&self.0).clone()
    }
}

struct Recorded<P> {
    inner: P,
    log: Threads,
}

impl<P: Publisher> Publisher for Recorded<P> {
    type Item = P::Item;
    fn subscribe<S: Subscriber<P::Item> + 'static>(&self, subscriber: S) {
        lock(&self.log.0).push(("subscribe", thread_name()));
        self.inner.subscribe(RecordedSubscriber {
            inner: subscriber,
            log: self.log.clone(),
        });
    }
}

struct RecordedSubscriber<S> {
    inner: S,
    log: Threads,
}

impl<T, S: Subscriber<T>> Subscriber<T> for RecordedSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.on_subscribe(Arc::new(RecordedSubscription {
            inner: subscription,
            log: self.log.clone(),
        }));
    }
    fn on_next(&mut self, item: T) {
        self.inner.on_next(item);
    }
    fn on_error(&mut self, error: Error) {
        self.inner.on_error(error);
    }
    fn on_complete(&mut self) {
        self.inner.on_complete();
    }
}

struct RecordedSubscription {
    inner: Arc<dyn Subscription>,
    log: Threads,
}

impl Subscription for RecordedSubscription {
    fn request(&self, n: u64) {
        lock(&self.log.0).push(("request", thread_name()));
        self.inner.request(n);
    }
    fn cancel(&self) {
        self.inner.cancel();
    }
}

#[test]
fn scenarios_on_a_real_scheduler() {
    let expected: Vec<u64> = (0..100).collect();
    assert_emits(
        || {
            source::range(0..100u64)
                .subscribe_on(scheduler::single())
                .boxed()
        },
        &expected,
    );
    assert_emits(
        || {
            source::range(0..100u64)
                .subscribe_on(scheduler::parallel())
                .publish_on(scheduler::single())
                .boxed()
        },
        &expected,
    );
    assert_error_passes_through(
        |upstream| upstream.subscribe_on(scheduler::parallel()).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn subscribe_and_requests_from_other_threads_run_on_the_worker() {
    let io = SingleScheduler::new("subscribe-on");
    let threads = Threads::default();
    let ts = TestSubscriber::new(0);
    threads
        .wrap(source::range(0..5u64))
        .subscribe_on(&io)
        .subscribe(ts.clone());
    for i in 1..=5 {
        ts.request(1); // from the test thread
        ts.await_count(i, WAIT);
    }
    ts.request(1);
    ts.await_terminal(WAIT).assert_complete();
    let log = threads.log();
    assert!(!log.is_empty());
    assert!(
        log.iter()
            .all(|(_, name)| name.as_deref() == Some("subscribe-on")),
        "{log:?}"
    );
}

#[test]
fn requests_from_other_threads_are_one_task_per_wake_up() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().subscribe_on(&vts).subscribe(ts.clone());
    vts.run_due();
    for _ in 0..5 {
        ts.request(2);
    }
    assert_eq!(
        vts.pending_tasks(),
        1,
        "one forwarding task for five requests"
    );
    vts.run_due();
    ts.assert_value_count(10);
    assert_eq!(probe.requests(), [10], "the demand was added up");
}

#[test]
fn demand_requested_before_upstream_arrives_is_passed_on() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(3);
    source::range(0..10u64)
        .subscribe_on(&vts)
        .subscribe(ts.clone());
    ts.assert_subscribed().assert_no_values();
    vts.run_due();
    ts.assert_values(&[0, 1, 2]).assert_not_terminated();
}

#[test]
fn a_cancel_before_the_subscription_task_subscribes_nothing() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(3);
    probe.publisher().subscribe_on(&vts).subscribe(ts.clone());
    ts.cancel();
    vts.run_due();
    assert_eq!(probe.subscribed(), 0);
    ts.assert_no_values().assert_not_terminated();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn cancel_cancels_upstream_at_once() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(1);
    probe.publisher().subscribe_on(&vts).subscribe(ts.clone());
    vts.run_due();
    ts.cancel();
    assert!(probe.was_cancelled());
}

#[test]
fn request_zero_is_answered_by_upstream_with_rule_3_9() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..10u64)
        .subscribe_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.request(0);
    vts.run_due();
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    let io = SingleScheduler::new("subscribe-on-disposed");
    io.dispose();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    probe.publisher().subscribe_on(&io).subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_error_kind(ErrorKind::Rejected);
    assert_eq!(probe.subscribed(), 0);

    // Disposed while the subscription task waits.
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..10u64)
        .subscribe_on(&vts)
        .subscribe(ts.clone());
    vts.dispose();
    ts.assert_error_kind(ErrorKind::Rejected);

    // Disposed mid-stream: a later request is made on the requester's
    // thread, and the stream does not stall.
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(1);
    source::range(0..3u64)
        .subscribe_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_values(&[0]);
    vts.dispose();
    ts.request(5);
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_demand_loses_nothing_and_keeps_order(
        n in 0u64..300,
        schedule in schedule(),
    ) {
        check_model(
            move || source::range(0..n).subscribe_on(scheduler::single()).boxed(),
            &(0..n).collect::<Vec<_>>(),
            ModelEnd::Complete,
            Mode::Async,
            &schedule,
        )?;
    }
}
