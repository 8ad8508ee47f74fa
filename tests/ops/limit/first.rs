use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(|| source::range(10..20u64).first().boxed(), &[10]);
    assert_emits(|| source::empty::<u64>().first().boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.skip(5).first().boxed(), &[]);
}

#[test]
fn asks_upstream_for_one_and_cancels_it_after_the_item() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(0);
    probe.publisher().first().subscribe(ts.clone());
    assert!(probe.requests().is_empty());
    ts.request(10);
    ts.assert_values(&[0])
        .assert_complete()
        .assert_no_violations();
    assert_eq!(probe.requests(), [1]);
    assert!(probe.was_cancelled());
}

#[test]
fn an_empty_stream_completes_without_demand() {
    let ts = TestSubscriber::<u64>::new(0);
    source::empty().first().subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::next`, under random demand.
    #[test]
    fn matches_iterator_next(items in proptest::collection::vec(0u64..1000, 0..5), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().next().into_iter().collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).first().boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
