use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..10u64).map(|x| x * 3).boxed(),
        &[0, 3, 6, 9, 12, 15, 18, 21, 24, 27],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.map(|x| x + 1).boxed(), &[1, 2, 3]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.map(panic_on_2).boxed());
}

#[test]
fn changes_the_item_type() {
    assert_emits(
        || source::range(0..3u8).map(|x| format!("#{x}")).boxed(),
        &["#0".to_owned(), "#1".to_owned(), "#2".to_owned()],
    );
}

#[test]
fn an_item_rejected_downstream_is_replaced_when_upstream_uses_plain_on_next() {
    // Upstream counts each plain on_next; the filter after map rejects odd
    // numbers, so map must hand it the item with on_next (not try_on_next),
    // and the filter asks for the replacement. Otherwise demand leaks away.
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(3);
    plain_on_next(probe.publisher())
        .map(|x| x * 3)
        .filter(|x| x % 2 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 6, 12]).assert_no_violations();
    assert_eq!(probe.requests(), [3, 1, 1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::map`, under random demand.
    #[test]
    fn matches_iterator_map(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().map(|x| x * 7).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).map(|x| x * 7).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
