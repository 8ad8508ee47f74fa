use proptest::strategy::Strategy as _;
use reactive_streams::source;
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::paced::paced;
use super::support::{fast_producer, Manual, RequestProbe};
use crate::harness::*;

#[test]
fn scenarios() {
    // With demand, items pass through unreduced.
    assert_emits(
        || paced(10, |up| up.on_backpressure_reduce(|a, b| a + b)),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn a_synchronous_source_with_no_demand_is_reduced_to_one_item() {
    let ts = TestSubscriber::new(0);
    source::range(0..10u64)
        .on_backpressure_reduce(|a, b| a + b)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[45]).assert_complete();
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.on_backpressure_reduce(|a, b| a + b).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn pending_items_are_merged_while_there_is_no_demand() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(1);
    manual
        .publisher()
        .on_backpressure_reduce(|a: Vec<u64>, b| [a, b].concat())
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(vec![0]).unwrap(); // delivered
    emitter.next(vec![1]).unwrap();
    emitter.next(vec![2]).unwrap();
    emitter.next(vec![3]).unwrap();
    ts.assert_values(&[vec![0]]);
    ts.request(1);
    ts.assert_values(&[vec![0], vec![1, 2, 3]]);
    emitter.next(vec![4]).unwrap();
    emitter.complete();
    ts.assert_not_terminated(); // completion waits for the pending item
    ts.request(1);
    ts.assert_values(&[vec![0], vec![1, 2, 3], vec![4]])
        .assert_complete();
}

#[test]
fn an_upstream_error_is_delivered_at_once() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(0);
    manual
        .publisher()
        .on_backpressure_reduce(|a: u64, b| a + b)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(1).unwrap();
    let error = Error::new("boom");
    emitter.error(error.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn a_panic_in_the_reducer_cancels_upstream_and_fails_downstream() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_reduce(|a, b| a + panic_on_2(b))
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Panic);
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 3, "nothing after the panic");
    ts.request(5);
    ts.assert_no_values();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(0);
    source::never::<u64>()
        .on_backpressure_reduce(|a, b| a + b)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_lose_nothing() {
    let (publisher, done) = fast_producer(50_000, None);
    let ts = TestSubscriber::new(0);
    publisher
        .on_backpressure_reduce(|a, b| a + b)
        .subscribe(ts.clone());
    for _ in 0..20 {
        ts.request(1);
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.request(UNBOUNDED);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    let sum: u64 = ts.values().iter().sum();
    assert_eq!(
        sum,
        (0..50_000u64).sum::<u64>(),
        "every item folded in once"
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Nothing is lost or reordered: the delivered chunks, concatenated, are
    /// the emitted items; there are never more chunks than demanded; and a
    /// chunk of several items was only made while there was no demand.
    #[test]
    fn merges_without_losing_or_reordering(
        steps in proptest::collection::vec(
            proptest::prop_oneof![(1u64..6).prop_map(Ok), (1u64..4).prop_map(Err)],
            0..24,
        ),
    ) {
        use proptest::prelude::*;
        let manual = Manual::new();
        let ts = TestSubscriber::new(0);
        manual
            .publisher()
            .on_backpressure_reduce(|a: Vec<u64>, b| [a, b].concat())
            .subscribe(ts.clone());
        let emitter = manual.emitter();
        let (mut next, mut requested) = (0u64, 0u64);
        for step in &steps {
            match *step {
                Ok(k) => {
                    for _ in 0..k {
                        let before = ts.item_count() as u64;
                        emitter.next(vec![next]).unwrap();
                        // With demand, the item went through on its own.
                        if before < requested {
                            prop_assert_eq!(ts.values().last().cloned(), Some(vec![next]));
                        }
                        next += 1;
                    }
                }
                Err(n) => {
                    requested += n;
                    ts.request(n);
                }
            }
            prop_assert!(ts.item_count() as u64 <= requested);
        }
        emitter.complete();
        ts.request(UNBOUNDED);
        ts.assert_complete();
        let flat: Vec<u64> = ts.values().concat();
        prop_assert_eq!(flat, (0..next).collect::<Vec<_>>());
        prop_assert!(ts.violations().is_empty());
    }
}
