use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::range(0..5u64)
                .do_on_error(|_| panic!("not on completion"))
                .boxed()
        },
        &[0, 1, 2, 3, 4],
    );
}

#[test]
fn sees_the_error_that_passes_through() {
    let seen = Arc::new(Mutex::new(None::<Error>));
    let slot = Arc::clone(&seen);
    assert_error_passes_through(
        move |up| {
            let slot = Arc::clone(&slot);
            up.do_on_error(move |e| *slot.lock().unwrap() = Some(e.clone()))
                .boxed()
        },
        &[0, 1, 2],
    );
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.as_ref().map(Error::to_string).as_deref(),
        Some("upstream failed")
    );
}

#[test]
fn panic_in_the_closure_replaces_the_error() {
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(2, Error::new("original"))
        .do_on_error(|_| panic!("the hook failed"))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("the hook failed")
        .assert_no_violations();
}

#[test]
fn is_not_called_on_cancel() {
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let ts = TestSubscriber::new(1);
    source::range(0..10u64)
        .do_on_error(move |_| {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(ts.clone());
    ts.cancel();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Items pass unchanged and the error ends the stream, under random demand.
    #[test]
    fn passes_items_and_the_error(n in 0u64..30, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = (0..n).collect();
        crate::model::check_model(
            || items_then_error(n, Error::new("boom")).do_on_error(|_| {}).boxed(),
            &reference,
            crate::model::ModelEnd::Error("boom"),
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
