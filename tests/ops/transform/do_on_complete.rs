use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..5u64).do_on_complete(|| {}).boxed(),
        &[0, 1, 2, 3, 4],
    );
}

#[test]
fn runs_once_before_the_completion() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let ts = TestSubscriber::unbounded();
    let before = ts.clone();
    source::range(0..3u64)
        .do_on_complete(move || {
            // The downstream has not seen on_complete yet.
            assert!(!before.is_complete());
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn error_passes_through_and_the_closure_is_not_called() {
    assert_error_passes_through(
        |up| up.do_on_complete(|| panic!("not on error")).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn panic_in_the_closure_replaces_the_completion() {
    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .do_on_complete(|| panic!("cleanup failed"))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("cleanup failed")
        .assert_no_violations();
    assert!(!ts.is_complete());
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Identity against the iterator, under random demand.
    #[test]
    fn passes_every_item_unchanged(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).do_on_complete(|| {}).boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
