use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source;
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::paced::paced;
use super::strategy::{self, Operator};
use super::support::{fast_producer, is_subsequence, lock, Manual, RequestProbe};
use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || paced(10, |up| up.on_backpressure_latest()),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.on_backpressure_latest().boxed(), &[0, 1, 2]);
}

#[test]
fn only_the_latest_undelivered_item_waits() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let ts = TestSubscriber::new(1);
    source::range(0..10u64)
        .on_backpressure_latest()
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0]).assert_not_terminated();
    assert_eq!(*lock(&dropped), [1, 2, 3, 4, 5, 6, 7, 8]);
    ts.request(5);
    ts.assert_values(&[0, 9]).assert_complete();
}

#[test]
fn an_upstream_error_is_delivered_at_once() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(0);
    manual
        .publisher()
        .on_backpressure_latest()
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(1u64).unwrap();
    let error = Error::new("boom");
    emitter.error(error.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn a_panic_in_the_drop_callback_cancels_upstream_and_fails_downstream() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_latest()
        .on_dropped(|x| {
            panic_on_2(x);
        })
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Panic);
    assert!(probe.was_cancelled());
    assert_eq!(
        probe.emitted(),
        4,
        "0, 1, 2 replaced in turn; 2's drop panicked at 3"
    );
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_latest()
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_keep_the_invariants() {
    let (publisher, done) = fast_producer(50_000, None);
    let dropped = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&dropped);
    let ts = TestSubscriber::new(0);
    publisher
        .on_backpressure_latest()
        .on_dropped(move |_| {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    for _ in 0..20 {
        ts.request(1);
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.request(UNBOUNDED);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    let delivered = ts.values();
    assert!(
        delivered.len() <= 21,
        "20 requests, then the one waiting item"
    );
    assert!(is_subsequence(&delivered, &(0..50_000).collect::<Vec<_>>()));
    assert_eq!(
        *delivered.last().unwrap(),
        49_999,
        "the latest is never dropped"
    );
    assert_eq!(delivered.len() + dropped.load(Ordering::SeqCst), 50_000);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against the exact model of keeping the latest.
    #[test]
    fn matches_the_strategy_model(steps in strategy::steps(), end in strategy::end()) {
        strategy::check(Operator::Latest, &steps, end)?;
    }
}
