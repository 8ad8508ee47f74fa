use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

fn halve_evens(x: u64) -> Option<u64> {
    (x % 2 == 0).then_some(x / 2)
}

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..12u64).filter_map(halve_evens).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
}

#[test]
fn changes_the_item_type() {
    assert_emits(
        || {
            source::from_iter(["1", "x", "22", ""])
                .filter_map(|s| s.parse::<u8>().ok())
                .boxed()
        },
        &[1, 22],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.filter_map(halve_evens).boxed(), &[0, 1]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.filter_map(|x| Some(panic_on_2(x))).boxed());
}

#[test]
fn dropped_items_cost_no_request_from_a_synchronous_source() {
    let probe = CancelProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .filter_map(|x| (x % 100 == 99).then_some(x))
        .subscribe(ts.clone());
    ts.assert_values(&[99, 199]);
    assert_eq!(probe.requests(), [2]);
}

#[test]
fn dropped_items_are_replaced_by_a_request_from_another_publisher() {
    let probe = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(2);
    plain_on_next(probe.publisher())
        .filter_map(|x| (x % 3 == 2).then_some(x * 10))
        .subscribe(ts.clone());
    ts.assert_values(&[20, 50]).assert_no_violations();
    // Two asked for; four dropped items (0, 1, 3, 4) replaced one by one.
    assert_eq!(probe.requests(), [2, 1, 1, 1, 1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::filter_map`, under random demand.
    #[test]
    fn matches_iterator_filter_map(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().filter_map(halve_evens).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).filter_map(halve_evens).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}

#[test]
fn a_panic_stops_a_fused_source_at_once() {
    assert_panic_stops_a_fused_source_at_once(|up| up.filter_map(|x| Some(panic_on_2(x))).boxed());
}

#[test]
fn nothing_follows_a_panic_even_from_an_upstream_that_ignores_cancel() {
    assert_nothing_after_panic_from_a_deaf_upstream(|up| {
        up.filter_map(|x| Some(panic_on_2(x))).boxed()
    });
}
