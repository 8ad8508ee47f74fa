use reactive_streams::source;
use reactive_streams::{ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED};

use super::paced::paced;
use super::strategy::{self, Operator};
use super::support::{fast_producer, RequestProbe};
use crate::harness::*;

#[test]
fn scenarios() {
    // A source that keeps pace never overflows.
    assert_emits(
        || paced(10, |up| up.on_backpressure_error()),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.on_backpressure_error().boxed(), &[0, 1, 2]);
}

#[test]
fn the_first_item_beyond_demand_cancels_upstream_and_fails() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .on_backpressure_error()
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("no demand");
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 3);
    assert_eq!(probe.requests(), [UNBOUNDED]);
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(0);
    source::never::<u64>()
        .on_backpressure_error()
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_overflow_once() {
    let (publisher, done) = fast_producer(50_000, None);
    let ts = TestSubscriber::new(5);
    publisher.on_backpressure_error().subscribe(ts.clone());
    done.recv_timeout(WAIT).expect("the producer stopped");
    ts.await_terminal(WAIT)
        .assert_values(&[0, 1, 2, 3, 4])
        .assert_error_kind(ErrorKind::Overflow)
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against the exact model of failing on overflow.
    #[test]
    fn matches_the_strategy_model(steps in strategy::steps(), end in strategy::end()) {
        strategy::check(Operator::Error, &steps, end)?;
    }
}
