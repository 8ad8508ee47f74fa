use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::from_iter([1u64, 1, 2, 2, 2, 1, 3, 3, 1, 1])
                .distinct_until_changed()
                .boxed()
        },
        &[1, 2, 1, 3, 1],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.map(|x| x / 2).distinct_until_changed().boxed(),
        &[0, 1],
    );
}

#[test]
fn repeats_cost_no_request_from_a_synchronous_source() {
    let probe = CancelProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(3);
    probe
        .publisher()
        .map(|x| x / 100)
        .distinct_until_changed()
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    assert_eq!(probe.requests(), [3]);
}

#[test]
fn repeats_are_replaced_by_a_request_from_another_publisher() {
    let probe = CancelProbe::new(source::from_iter([4u64, 4, 4, 5, 5, 4]));
    let ts = TestSubscriber::new(3);
    plain_on_next(probe.publisher())
        .distinct_until_changed()
        .subscribe(ts.clone());
    ts.assert_values(&[4, 5, 4]).assert_no_violations();
    assert_eq!(probe.requests(), [3, 1, 1, 1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Vec::dedup`, under random demand.
    #[test]
    fn matches_vec_dedup(items in proptest::collection::vec(0u64..4, 0..40), schedule in crate::model::schedule()) {
        let mut reference = items.clone();
        reference.dedup();
        crate::model::check_model(
            || source::from_iter(items.clone()).distinct_until_changed().boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
