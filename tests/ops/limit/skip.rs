use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..10u64).skip(4).boxed(),
        &[4, 5, 6, 7, 8, 9],
    );
    assert_emits(|| source::range(0..3u64).skip(0).boxed(), &[0, 1, 2]);
    assert_emits(|| source::range(0..3u64).skip(5).boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.skip(1).boxed(), &[1, 2]);
    // Also while still skipping.
    assert_error_passes_through(|up| up.skip(10).boxed(), &[]);
}

#[test]
fn skipped_items_cost_no_request_from_a_synchronous_source() {
    let probe = DemandProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(2);
    probe.publisher().skip(500).subscribe(ts.clone());
    ts.assert_values(&[500, 501]);
    assert_eq!(probe.requests(), [2]);
}

#[test]
fn skipped_items_are_replaced_by_a_request_from_another_publisher() {
    let probe = DemandProbe::new(pushed((0..10).collect()));
    let ts = TestSubscriber::new(2);
    probe.publisher().skip(3).subscribe(ts.clone());
    ts.assert_values(&[3, 4]).assert_not_terminated();
    assert_eq!(probe.requests(), [2, 1, 1, 1]);
    ts.request(10);
    ts.assert_values(&[3, 4, 5, 6, 7, 8, 9])
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::skip`, under random demand.
    #[test]
    fn matches_iterator_skip(items in proptest::collection::vec(0u64..1000, 0..40), n in 0u64..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().skip(n as usize).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).skip(n).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// The same through plain `on_next` (the `request(1)` replacement path).
    #[test]
    fn matches_iterator_skip_through_on_next(items in proptest::collection::vec(0u64..1000, 0..40), n in 0u64..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().skip(n as usize).collect();
        crate::model::check_model(
            || pushed(items.clone()).skip(n).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}

/// Issue 10, bug 4: an item that arrives after upstream's terminal signal is
/// dropped (it used to be forwarded after `on_complete`).
#[test]
fn nothing_after_upstream_completed() {
    assert_nothing_after_upstream_terminal(|up| up.skip(0).boxed(), &[0]);
    assert_nothing_after_upstream_terminal(|up| up.skip(1).boxed(), &[]);
    assert_nothing_after_upstream_terminal(|up| plain_on_next(up).skip(0).boxed(), &[0]);
}
