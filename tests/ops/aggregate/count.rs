use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(|| source::range(0..1_000u64).count().boxed(), &[1_000]);
    assert_emits(|| source::empty::<u8>().count().boxed(), &[0]);
    assert_emits(|| pushed((0..7).collect()).count().boxed(), &[7]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.count().boxed(), &[]);
}

#[test]
fn asks_upstream_for_everything_and_emits_once_requested() {
    let probe = DemandProbe::new(source::range(0..5u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().count().subscribe(ts.clone());
    assert_eq!(probe.requests(), [UNBOUNDED]);
    ts.assert_no_values().assert_not_terminated();
    ts.request(3);
    ts.assert_values(&[5])
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::count`, under random demand.
    #[test]
    fn matches_iterator_count(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).filter(|x| x % 2 == 0).count().boxed(),
            &[items.iter().filter(|x| *x % 2 == 0).count() as u64],
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
