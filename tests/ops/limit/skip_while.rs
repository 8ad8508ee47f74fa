use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..10u64).skip_while(|x| *x < 6).boxed(),
        &[6, 7, 8, 9],
    );
    assert_emits(
        || {
            source::from_iter(vec![5u64, 1, 7, 0])
                .skip_while(|x| *x > 3)
                .boxed()
        },
        &[1, 7, 0],
    );
    assert_emits(|| source::range(0..4u64).skip_while(|_| true).boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.skip_while(|x| *x < 1).boxed(), &[1, 2]);
}

#[test]
fn panic_in_the_predicate_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.skip_while(|x| panic_on_2(*x) < 100).boxed());
}

#[test]
fn the_predicate_is_not_called_after_the_first_false() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let ts = TestSubscriber::unbounded();
    source::range(0..10u64)
        .skip_while(move |x| {
            counter.fetch_add(1, Ordering::SeqCst);
            *x < 3
        })
        .subscribe(ts.clone());
    ts.assert_values(&[3, 4, 5, 6, 7, 8, 9]).assert_complete();
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn dropped_items_cost_no_request_from_a_synchronous_source() {
    let probe = DemandProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .skip_while(|x| *x < 900)
        .subscribe(ts.clone());
    ts.assert_values(&[900]);
    assert_eq!(probe.requests(), [1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::skip_while`, under random demand, through
    /// `try_on_next` and through plain `on_next`.
    #[test]
    fn matches_iterator_skip_while(items in proptest::collection::vec(0u64..100, 0..40), limit in 0u64..100, plain in proptest::bool::ANY, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().skip_while(|x| *x < limit).collect();
        crate::model::check_model(
            || {
                let up = if plain { pushed(items.clone()) } else { source::from_iter(items.clone()).boxed() };
                up.skip_while(move |x| *x < limit).boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
