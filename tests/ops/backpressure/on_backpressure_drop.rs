use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source;
use reactive_streams::{ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED};

use super::paced::paced;
use super::strategy::{self, Operator};
use super::support::{fast_producer, is_subsequence, lock, RequestProbe};
use crate::harness::*;

#[test]
fn scenarios() {
    // A source that keeps pace loses nothing.
    assert_emits(
        || paced(10, |up| up.on_backpressure_drop()),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.on_backpressure_drop().boxed(), &[0, 1, 2]);
}

#[test]
fn items_beyond_demand_are_dropped_through_the_callback() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(3);
    probe
        .publisher()
        .on_backpressure_drop()
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(*lock(&dropped), [3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(probe.requests(), [UNBOUNDED]);
}

#[test]
fn without_demand_everything_is_dropped_and_completion_passes() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..10u64)
        .on_backpressure_drop()
        .subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

#[test]
fn a_panic_in_the_drop_callback_cancels_upstream_and_fails_downstream() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_drop()
        .on_dropped(|x| {
            panic_on_2(x);
        })
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Panic);
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 3, "nothing after the panic");
}

#[test]
fn cancel_reaches_upstream() {
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(1);
    probe
        .publisher()
        .on_backpressure_drop()
        .subscribe(ts.clone());
    ts.cancel();
    assert!(probe.was_cancelled());
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(0);
    source::never::<u64>()
        .on_backpressure_drop()
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_keep_the_invariants() {
    let (publisher, done) = fast_producer(50_000, None);
    let dropped = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&dropped);
    let ts = TestSubscriber::new(0);
    publisher
        .on_backpressure_drop()
        .on_dropped(move |_| {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    for _ in 0..20 {
        ts.request(1);
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    let delivered = ts.values();
    assert!(delivered.len() <= 20, "never beyond demand");
    assert!(is_subsequence(&delivered, &(0..50_000).collect::<Vec<_>>()));
    assert_eq!(
        delivered.len() + dropped.load(Ordering::SeqCst),
        50_000,
        "every item delivered or dropped"
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against the exact model of dropping.
    #[test]
    fn matches_the_strategy_model(steps in strategy::steps(), end in strategy::end()) {
        strategy::check(Operator::Drop, &steps, end)?;
    }
}
