use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..100u64).take_while(|x| *x < 7).boxed(),
        &[0, 1, 2, 3, 4, 5, 6],
    );
    assert_emits(
        || source::range(0..4u64).take_while(|_| true).boxed(),
        &[0, 1, 2, 3],
    );
    assert_emits(|| source::range(0..4u64).take_while(|_| false).boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.take_while(|x| *x < 10).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_predicate_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.take_while(|x| panic_on_2(*x) < 100).boxed());
}

#[test]
fn the_first_false_cancels_upstream_and_completes() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .take_while(|x| *x < 3)
        .subscribe(ts.clone());
    ts.assert_values(&[0]).assert_not_terminated();
    ts.request(3); // 1, 2 and the failing 3
    ts.assert_values(&[0, 1, 2])
        .assert_complete()
        .assert_no_violations();
    assert!(probe.was_cancelled());
    assert_eq!(probe.requests(), [1, 3], "demand goes upstream one for one");
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::take_while`, under random demand.
    #[test]
    fn matches_iterator_take_while(items in proptest::collection::vec(0u64..100, 0..40), limit in 0u64..100, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().take_while(|x| *x < limit).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).take_while(move |x| *x < limit).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
