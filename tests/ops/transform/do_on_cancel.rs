use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..6u64).do_on_cancel(|| {}).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
}

#[test]
fn runs_once_on_the_first_cancel_and_cancels_upstream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .do_on_cancel(move || {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    ts.cancel();
    ts.cancel();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(probe.was_cancelled());
    ts.request(10);
    ts.assert_values(&[0, 1]);
    assert!(!ts.is_terminated());
}

#[test]
fn is_not_called_when_the_stream_ends_by_itself() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .do_on_cancel(move || {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    ts.assert_complete();
    ts.cancel();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.do_on_cancel(|| {}).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_still_cancels_upstream_and_fails_downstream() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(1);
    probe
        .publisher()
        .do_on_cancel(|| panic!("cancel hook failed"))
        .subscribe(ts.clone());
    ts.cancel();
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("cancel hook failed");
    assert!(probe.was_cancelled());
}

#[test]
fn cancel_drops_the_downstream_at_once() {
    // §3.13: the subscriber (here an Arc we can count) is released by cancel,
    // although upstream (`never`) keeps its subscription.
    let marker = Arc::new(());
    struct Holder(#[allow(dead_code)] Arc<()>, TestSubscriber<u64>);
    impl reactive_streams::Subscriber<u64> for Holder {
        fn on_subscribe(&mut self, s: Arc<dyn reactive_streams::Subscription>) {
            self.1.on_subscribe(s);
        }
        fn on_next(&mut self, item: u64) {
            self.1.on_next(item);
        }
        fn on_error(&mut self, e: Error) {
            self.1.on_error(e);
        }
        fn on_complete(&mut self) {
            self.1.on_complete();
        }
    }
    let ts = TestSubscriber::new(1);
    source::never::<u64>()
        .do_on_cancel(|| {})
        .subscribe(Holder(Arc::clone(&marker), ts.clone()));
    assert_eq!(Arc::strong_count(&marker), 2);
    ts.cancel();
    assert_eq!(
        Arc::strong_count(&marker),
        1,
        "the subscriber outlived cancel"
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Identity against the iterator, under random demand and cancels.
    #[test]
    fn passes_every_item_unchanged(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).do_on_cancel(|| {}).boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
