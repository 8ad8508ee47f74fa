use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..6u64).do_on_subscribe(|_| {}).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
}

#[test]
fn runs_once_per_subscription_before_the_downstream_is_subscribed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let publisher = source::range(0..2u64).do_on_subscribe(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
    });
    for expected in 1..=2 {
        let ts = TestSubscriber::unbounded();
        publisher.subscribe(ts.clone());
        ts.assert_values(&[0, 1]).assert_complete();
        assert_eq!(calls.load(Ordering::SeqCst), expected);
    }
}

#[test]
fn the_closure_may_cancel_through_the_subscription() {
    let probe = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .do_on_subscribe(|subscription| subscription.cancel())
        .subscribe(ts.clone());
    ts.assert_subscribed()
        .assert_no_values()
        .assert_not_terminated();
    assert!(probe.was_cancelled());
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.do_on_subscribe(|_| {}).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::unbounded();
    probe
        .publisher()
        .do_on_subscribe(|_| panic!("subscribe hook failed"))
        .subscribe(ts.clone());
    // §1.9: on_subscribe still came first, then the error; nothing else.
    ts.assert_subscribed()
        .assert_no_values()
        .assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
    assert!(probe.was_cancelled());
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Identity against the iterator, under random demand.
    #[test]
    fn passes_every_item_unchanged(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).do_on_subscribe(|_| {}).boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
