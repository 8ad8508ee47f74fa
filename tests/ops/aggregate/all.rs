use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(|| source::range(0..10u64).all(|x| *x < 10).boxed(), &[true]);
    assert_emits(|| source::range(0..10u64).all(|x| *x < 5).boxed(), &[false]);
    assert_emits(|| source::empty::<u64>().all(|_| false).boxed(), &[true]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.all(|_| true).boxed(), &[]);
}

#[test]
fn panic_in_the_predicate_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.all(|x| panic_on_2(*x) < 1_000).boxed());
}

#[test]
fn the_first_false_decides_and_cancels_upstream() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(0);
    probe.publisher().all(|x| *x < 3).subscribe(ts.clone());
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 4);
    ts.assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[false])
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::all`, under random demand.
    #[test]
    fn matches_iterator_all(items in proptest::collection::vec(0u64..100, 0..40), limit in 0u64..120, schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).all(move |x| *x < limit).boxed(),
            &[items.iter().all(|x| *x < limit)],
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
