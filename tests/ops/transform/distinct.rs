use std::collections::HashSet;

use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::from_iter([5u64, 1, 5, 2, 1, 3, 2, 5, 4])
                .distinct()
                .boxed()
        },
        &[5, 1, 2, 3, 4],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.map(|x| x / 2).distinct().boxed(), &[0, 1]);
}

#[test]
fn each_subscription_has_its_own_set() {
    let once = source::from_iter([1u64, 2, 1]).distinct();
    for _ in 0..2 {
        let ts = TestSubscriber::unbounded();
        once.subscribe(ts.clone());
        ts.assert_values(&[1, 2]).assert_complete();
    }
}

#[test]
fn repeats_cost_no_request_from_a_synchronous_source() {
    let probe = CancelProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(3);
    probe
        .publisher()
        .map(|x| x / 100)
        .distinct()
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    assert_eq!(probe.requests(), [3]);
}

#[test]
fn repeats_are_replaced_by_a_request_from_another_publisher() {
    let probe = CancelProbe::new(source::from_iter([1u64, 1, 1, 2, 2, 3]));
    let ts = TestSubscriber::new(2);
    plain_on_next(probe.publisher())
        .distinct()
        .subscribe(ts.clone());
    ts.assert_values(&[1, 2]).assert_no_violations();
    assert_eq!(probe.requests(), [2, 1, 1]);
    ts.request(5);
    ts.assert_values(&[1, 2, 3]).assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against a `HashSet` filter over the iterator, under random demand.
    #[test]
    fn matches_a_hash_set_filter(items in proptest::collection::vec(0u64..20, 0..40), schedule in crate::model::schedule()) {
        let mut seen = HashSet::new();
        let reference: Vec<u64> = items.iter().copied().filter(|x| seen.insert(*x)).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).distinct().boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
