use reactive_streams::{
    ops, source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use super::{threaded, threaded_then_error, RequestLog};
use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..5u64).zip(source::range(10..20u64)).boxed(),
        &[(0, 10), (1, 11), (2, 12), (3, 13), (4, 14)],
    );
}

#[test]
fn zip_with_scenarios() {
    assert_emits(
        || {
            source::range(0..100u64)
                .zip_with(source::range(0..80u64), |a, b| a * 1000 + b)
                .boxed()
        },
        &(0..80).map(|i| i * 1000 + i).collect::<Vec<_>>(),
    );
}

#[test]
fn the_function_form_is_the_same() {
    let ts = TestSubscriber::unbounded();
    ops::zip(source::just("a"), source::just(1u8)).subscribe(ts.clone());
    ts.assert_values(&[("a", 1)]).assert_complete();
}

#[test]
fn sources_on_other_threads() {
    assert_emits(
        || {
            threaded((0..200u64).collect())
                .zip_with(threaded((0..150u64).collect()), |a, b| a + b)
                .boxed()
        },
        &(0..150).map(|i| 2 * i).collect::<Vec<_>>(),
    );
}

#[test]
fn ends_with_the_shorter_and_cancels_the_other() {
    let longer = RequestLog::new(source::range(0..1000u64));
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .zip(longer.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[(0, 0), (1, 1), (2, 2)])
        .assert_complete();
    assert!(longer.was_cancelled());

    // The shorter second.
    let longer = RequestLog::new(source::range(0..1000u64));
    let ts = TestSubscriber::unbounded();
    longer
        .publisher()
        .zip(source::range(0..3u64))
        .subscribe(ts.clone());
    ts.assert_values(&[(0, 0), (1, 1), (2, 2)])
        .assert_complete();
    assert!(longer.was_cancelled());
}

#[test]
fn completes_without_demand_when_a_source_is_empty() {
    let ts = TestSubscriber::<(u64, u64)>::new(0);
    source::empty().zip(source::never()).subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

#[test]
fn each_source_is_prefetched_32_then_replenished_24_at_a_time() {
    let first = RequestLog::new(source::range(0..100u64));
    let second = RequestLog::new(source::range(0..100u64));
    let ts = TestSubscriber::new(0);
    first
        .publisher()
        .zip(second.publisher())
        .subscribe(ts.clone());
    assert_eq!(first.requests(), [32]);
    assert_eq!(second.requests(), [32]);
    ts.request(24);
    assert_eq!(first.requests(), [32, 24]);
    assert_eq!(second.requests(), [32, 24]);
    ts.request(1000);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(ts.item_count(), 100);
}

#[test]
fn error_passes_through() {
    // The failing source second: its items pair with the queued ones first.
    assert_error_passes_through(
        |up| {
            source::range(100..200u64)
                .zip_with(up, |a, b| a + b)
                .boxed()
        },
        &[100, 102, 104],
    );
}

#[test]
fn an_error_from_either_cancels_the_other() {
    let error = Error::new("second failed");
    let other = RequestLog::new(source::range(0..1000u64));
    let ts = TestSubscriber::new(0);
    other
        .publisher()
        .zip(items_then_error(2, error.clone()))
        .subscribe(ts.clone());
    // At once, without demand: the queued items are dropped.
    ts.assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(other.was_cancelled());

    let error = Error::new("threaded failure");
    let ts = TestSubscriber::unbounded();
    threaded_then_error((0..5u64).collect(), error.clone())
        .zip(source::never::<u64>())
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
}

#[test]
fn panic_in_the_function_cancels_both_and_fails_downstream() {
    // The probed source second: it emits one item per pair, so the panic on
    // its item 2 comes after 3 items.
    assert_panic_becomes_error(|up| {
        source::range(0..100u64)
            .zip_with(up, |_, b| panic_on_2(b))
            .boxed()
    });
    let first = RequestLog::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::unbounded();
    first
        .publisher()
        .zip_with(source::range(0..100u64), |a, _| panic_on_2(a))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic);
    assert!(first.was_cancelled());
    // Both sources fused: the zip is one pull, and the panic ends it.
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..100u64)
        .zip_with(source::range(0..100u64), |a, _| panic_on_2(a))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
}

/// The end of either fused source is seen without demand; the first
/// source's first, as when subscribed in order.
#[test]
fn fused_sources_end_without_demand() {
    let ts = TestSubscriber::<(u64, u64)>::new(0);
    source::range(0..5u64)
        .zip(source::range(0..0u64))
        .subscribe(ts.clone());
    ts.assert_complete().assert_no_violations();
    let error = Error::new("the second failed");
    let ts = TestSubscriber::<(u64, u64)>::new(0);
    source::range(0..0u64)
        .zip(source::error::<u64>(error.clone()))
        .subscribe(ts.clone());
    ts.assert_complete().assert_no_violations();
    let ts = TestSubscriber::<(u64, u64)>::new(0);
    source::range(0..5u64)
        .zip(source::error::<u64>(error.clone()))
        .subscribe(ts.clone());
    assert!(
        ts.error().is_some_and(|e| e.ptr_eq(&error)),
        "{:?}",
        ts.error()
    );
}

#[test]
fn cancel_cancels_both() {
    let first = RequestLog::new(source::range(0..100u64));
    let second = RequestLog::new(source::never::<u64>());
    let ts = TestSubscriber::<(u64, u64)>::new(5);
    first
        .publisher()
        .zip(second.publisher())
        .subscribe(ts.clone());
    ts.cancel();
    assert!(first.was_cancelled() && second.was_cancelled());
    ts.assert_no_values();
    assert!(!ts.is_terminated());
}

#[test]
fn request_zero_is_a_rule_3_9_error() {
    let ts = TestSubscriber::<(u64, u64)>::new(1);
    source::range(0..5u64)
        .zip(source::range(0..5u64))
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[(0, 0)])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::new(3, 9)));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::zip`, under random demand. Both sources are the
    /// crate's synchronous sources, so the zip is one pull, unless
    /// `subscribed` puts them behind `boxed()`.
    #[test]
    fn matches_iterator_zip(
        a in proptest::collection::vec(0u64..1000, 0..80),
        b in proptest::collection::vec(0u64..1000, 0..80),
        subscribed in proptest::prelude::any::<bool>(),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<(u64, u64)> = a.iter().copied().zip(b.iter().copied()).collect();
        crate::model::check_model(
            || {
                let (a, b) = (source::from_iter(a.clone()), source::from_iter(b.clone()));
                if subscribed {
                    a.boxed().zip(b.boxed()).boxed()
                } else {
                    a.zip(b).boxed()
                }
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// The same with both sources on threads of their own.
    #[test]
    fn matches_iterator_zip_across_threads(
        a in proptest::collection::vec(0u64..1000, 0..80),
        b in proptest::collection::vec(0u64..1000, 0..80),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<(u64, u64)> = a.iter().copied().zip(b.iter().copied()).collect();
        crate::model::check_model(
            || threaded(a.clone()).zip(threaded(b.clone())).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }
}
