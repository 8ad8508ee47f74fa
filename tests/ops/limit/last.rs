use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(|| source::range(10..20u64).last().boxed(), &[19]);
    assert_emits(|| source::empty::<u64>().last().boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.last().boxed(), &[]);
}

#[test]
fn asks_upstream_for_everything_and_emits_once_requested() {
    let probe = DemandProbe::new(source::range(0..5u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().last().subscribe(ts.clone());
    assert_eq!(probe.requests(), [UNBOUNDED]);
    ts.assert_no_values().assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[4])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn cancel_before_the_request_drops_the_item() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..5u64).last().subscribe(ts.clone());
    ts.cancel();
    ts.request(1);
    ts.assert_no_values()
        .assert_not_terminated()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::last`, under random demand.
    #[test]
    fn matches_iterator_last(items in proptest::collection::vec(0u64..1000, 0..20), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().last().into_iter().collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).last().boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
