use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..20u64).filter(|x| x % 3 == 0).boxed(),
        &[0, 3, 6, 9, 12, 15, 18],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.filter(|x| x % 2 == 0).boxed(), &[0, 2]);
}

#[test]
fn panic_in_the_predicate_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.filter(|x| panic_on_2(*x) < 10).boxed());
}

#[test]
fn rejected_items_cost_no_request_from_a_synchronous_source() {
    let ts = TestSubscriber::new(2);
    source::range(0..1_000u64)
        .filter(|x| x % 100 == 99)
        .subscribe(ts.clone());
    ts.assert_values(&[99, 199]);
    assert_eq!(ts.requests(), [2]);
}

#[test]
fn rejected_items_are_replaced_by_a_request_from_another_publisher() {
    // `create` emits through on_next, from the producer's thread, so filter
    // must ask for a replacement itself; demand downstream stays exact.
    let ts = TestSubscriber::new(3);
    let odd_even = source::create(source::Overflow::Buffer(16), |emitter| {
        std::thread::spawn(move || {
            for i in 0..10u64 {
                let mut item = i;
                while let Err(source::EmitError::Full(back)) = emitter.next(item) {
                    item = back;
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
            emitter.complete();
        });
    });
    odd_even.filter(|x| x % 2 == 0).subscribe(ts.clone());
    ts.await_count(3, WAIT).assert_values(&[0, 2, 4]);
    ts.request(10);
    ts.await_terminal(WAIT)
        .assert_values(&[0, 2, 4, 6, 8])
        .assert_complete();
    ts.assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::filter`, under random demand.
    #[test]
    fn matches_iterator_filter(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().filter(|x| x % 3 != 0).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).filter(|x| x % 3 != 0).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}

#[test]
fn a_panic_stops_a_fused_source_at_once() {
    assert_panic_stops_a_fused_source_at_once(|up| up.filter(|x| panic_on_2(*x) < 10).boxed());
}

#[test]
fn nothing_follows_a_panic_even_from_an_upstream_that_ignores_cancel() {
    assert_nothing_after_panic_from_a_deaf_upstream(|up| {
        up.filter(|x| panic_on_2(*x) < 10).boxed()
    });
}
