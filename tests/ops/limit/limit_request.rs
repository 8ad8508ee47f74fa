use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..100u64).limit_request(4).boxed(),
        &[0, 1, 2, 3],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.limit_request(10).boxed(), &[0, 1, 2]);
}

#[test]
fn caps_the_total_demand_upstream() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(2);
    probe.publisher().limit_request(5).subscribe(ts.clone());
    ts.request(2);
    ts.request(u64::MAX);
    ts.assert_values(&[0, 1, 2, 3, 4])
        .assert_complete()
        .assert_no_violations();
    assert_eq!(probe.requests(), [2, 2, 1]);
    assert!(probe.was_cancelled());
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::take`, under random demand, and never more than
    /// `n` asked of upstream.
    #[test]
    fn matches_iterator_take(items in proptest::collection::vec(0u64..1000, 0..40), n in 0u64..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().take(n as usize).collect();
        let probe = DemandProbe::new(source::from_iter(items.clone()));
        crate::model::check_model(
            || probe.publisher().limit_request(n).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
        proptest::prop_assert!(probe.requested() <= n, "asked upstream for {:?}", probe.requests());
    }
}
