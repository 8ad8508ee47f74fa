use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(|| source::range(0..10u64).any(|x| *x == 9).boxed(), &[true]);
    assert_emits(|| source::range(0..10u64).any(|x| *x > 9).boxed(), &[false]);
    assert_emits(|| source::empty::<u64>().any(|_| true).boxed(), &[false]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.any(|_| false).boxed(), &[]);
}

#[test]
fn panic_in_the_predicate_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.any(|x| panic_on_2(*x) > 1_000).boxed());
}

#[test]
fn the_first_true_decides_and_cancels_upstream() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(1);
    probe.publisher().any(|x| *x == 5).subscribe(ts.clone());
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 6);
    ts.assert_values(&[true])
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::any`, under random demand.
    #[test]
    fn matches_iterator_any(items in proptest::collection::vec(0u64..100, 0..40), target in 0u64..120, schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).any(move |x| *x == target).boxed(),
            &[items.contains(&target)],
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
