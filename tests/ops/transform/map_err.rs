use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::range(0..5u64)
                .map_err(|_| panic!("no error here"))
                .boxed()
        },
        &[0, 1, 2, 3, 4],
    );
}

#[test]
fn transforms_the_error_after_the_items() {
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(3, Error::new("timeout"))
        .map_err(|e| Error::new(format!("reading sensor: {e}")))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2])
        .assert_error_message("reading sensor: timeout")
        .assert_no_violations();
}

#[test]
fn the_identity_passes_the_very_same_error() {
    assert_error_passes_through(|up| up.map_err(|e| e).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_replaces_the_error() {
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(1, Error::new("original"))
        .map_err(|_| panic!("mapping failed"))
        .subscribe(ts.clone());
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("mapping failed");
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Items unchanged, the error mapped, under random demand.
    #[test]
    fn maps_only_the_error(n in 0u64..30, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = (0..n).collect();
        crate::model::check_model(
            || {
                items_then_error(n, Error::new("boom"))
                    .map_err(|e| Error::new(format!("mapped: {e}")))
                    .boxed()
            },
            &reference,
            crate::model::ModelEnd::Error("mapped: boom"),
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
