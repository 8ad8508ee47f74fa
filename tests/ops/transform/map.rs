use reactive_streams::{source, PublisherExt};

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

#[test]
fn a_plain_on_next_reaches_a_dropping_stage_as_on_next() {
    // `create` emits through plain `on_next`: a filter after map must see
    // it as such and ask for a replacement for each rejected item.
    use reactive_streams::{Publisher, TestSubscriber};
    let pushed = source::create(source::Overflow::Unbounded, |emitter| {
        for i in 0..10u64 {
            emitter.next(i).unwrap();
        }
        emitter.complete();
    });
    let ts = TestSubscriber::new(2);
    pushed
        .map(|x| x + 1)
        .filter(|x| x % 2 == 0)
        .subscribe(ts.clone());
    ts.await_count(2, WAIT).assert_values(&[2, 4]);
    ts.request(10);
    ts.await_terminal(WAIT)
        .assert_values(&[2, 4, 6, 8, 10])
        .assert_complete();
}

#[test]
fn a_panic_stops_a_fused_source_at_once() {
    assert_panic_stops_a_fused_source_at_once(|up| up.map(panic_on_2).boxed());
}

#[test]
fn nothing_follows_a_panic_even_from_an_upstream_that_ignores_cancel() {
    assert_nothing_after_panic_from_a_deaf_upstream(|up| up.map(panic_on_2).boxed());
}
