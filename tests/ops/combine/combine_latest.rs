use reactive_streams::{
    ops, source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use super::{threaded, threaded_then_error, RequestLog};
use crate::harness::*;

#[test]
fn scenarios() {
    // `just` emits and completes first; each range item combines with it.
    assert_emits(
        || {
            source::just(100u64)
                .combine_latest(source::range(0..10u64), |a, b| a + b)
                .boxed()
        },
        &(100..110).collect::<Vec<_>>(),
    );
}

#[test]
fn items_before_the_other_has_emitted_only_become_the_latest() {
    let ts = TestSubscriber::unbounded();
    source::from_iter(vec![1u64, 2, 3])
        .combine_latest(source::from_iter(vec![10u64, 20]), |a, b| a * 100 + b)
        .subscribe(ts.clone());
    ts.assert_values(&[310, 320]).assert_complete();
}

#[test]
fn the_function_form_is_the_same() {
    let ts = TestSubscriber::unbounded();
    ops::combine_latest(source::just("x"), source::range(0..2u8), |s, n| {
        format!("{s}{n}")
    })
    .subscribe(ts.clone());
    ts.assert_values(&["x0".to_owned(), "x1".to_owned()])
        .assert_complete();
}

#[test]
fn items_need_not_be_clone() {
    struct Token(u64);
    let ts = TestSubscriber::unbounded();
    source::just(1u64)
        .map(Token)
        .combine_latest(source::range(0..3u64).map(Token), |a, b| a.0 + b.0)
        .subscribe(ts.clone());
    ts.assert_values(&[1, 2, 3]).assert_complete();
}

#[test]
fn sources_on_other_threads_combine_each_arrival_once() {
    let n = 200u64;
    let m = 150u64;
    for step in [u64::MAX, 1, 7] {
        let ts = TestSubscriber::new(0);
        threaded((0..n).collect())
            .combine_latest(threaded((0..m).collect()), |a, b| (*a, *b))
            .subscribe(ts.clone());
        while !ts.wait_for_terminal(std::time::Duration::ZERO) {
            let before = ts.item_count();
            ts.request(step);
            // Either an item comes, or the stream ends.
            ts.wait_for_count(before + 1, WAIT);
        }
        ts.assert_complete().assert_no_violations();
        let items = ts.values();
        // Each combination follows the one before by exactly one new item of
        // exactly one source, and the last one pairs the two last items.
        for pair in items.windows(2) {
            let ((a0, b0), (a1, b1)) = (pair[0], pair[1]);
            assert!(
                (a1 == a0 + 1 && b1 == b0) || (a1 == a0 && b1 == b0 + 1),
                "{:?} does not follow {:?}",
                pair[1],
                pair[0]
            );
        }
        assert_eq!(items.last(), Some(&(n - 1, m - 1)));
        let (a0, b0) = items[0];
        // Items before the first combination made none.
        assert_eq!(items.len() as u64, (n - a0) + (m - b0) - 1);
    }
}

#[test]
fn a_source_that_completes_empty_completes_at_once() {
    let other = RequestLog::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(0);
    source::empty::<u64>()
        .combine_latest(other.publisher(), |a, b| a + b)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert_eq!(other.subscribed(), 0, "no need to subscribe the other");

    let first = RequestLog::new(source::just(1u64).concat_with(source::never()));
    let ts = TestSubscriber::<u64>::unbounded();
    first
        .publisher()
        .combine_latest(source::empty::<u64>(), |a, b| a + b)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert!(first.was_cancelled());
}

#[test]
fn completes_only_when_both_completed() {
    let ts = TestSubscriber::unbounded();
    source::just(1u64)
        .combine_latest(
            source::range(0..3u64).concat_with(source::never()),
            |a, b| a + b,
        )
        .subscribe(ts.clone());
    ts.assert_values(&[1, 2, 3]).assert_not_terminated();
    ts.cancel();
}

#[test]
fn items_stored_without_a_combination_are_replenished() {
    let first = RequestLog::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::unbounded();
    first
        .publisher()
        .combine_latest(source::never::<u64>(), |a, b| a + b)
        .subscribe(ts.clone());
    // All 100 went into the latest slot, 32 then 24 at a time.
    assert_eq!(first.items(), 100);
    let requests = first.requests();
    assert_eq!(requests[0], 32);
    assert!(requests[1..].iter().all(|&n| n == 24));
    ts.assert_no_values().assert_not_terminated();
    ts.cancel();
}

#[test]
fn combinations_wait_for_demand_within_the_prefetch() {
    let second = RequestLog::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(0);
    source::just(1000u64)
        .combine_latest(second.publisher(), |a, b| a + b)
        .subscribe(ts.clone());
    // 32 combinations wait; no more was asked for.
    assert_eq!(second.requests(), [32]);
    assert_eq!(second.items(), 32);
    ts.request(30);
    ts.assert_value_count(30);
    assert_eq!(second.requests(), [32, 24]);
    ts.request(1000);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(ts.values(), (1000..1100).collect::<Vec<_>>());
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| {
            source::just(100u64)
                .combine_latest(up, |a, b| a + b)
                .boxed()
        },
        &[100, 101, 102],
    );
}

#[test]
fn an_error_from_either_cancels_the_other() {
    let other = RequestLog::new(source::never::<u64>());
    let error = Error::new("failed");
    let ts = TestSubscriber::<u64>::unbounded();
    other
        .publisher()
        .combine_latest(threaded_then_error(vec![1u64], error.clone()), |a, b| a + b)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(other.was_cancelled());
}

#[test]
fn panic_in_the_function_cancels_both_and_fails_downstream() {
    assert_panic_becomes_error(|up| {
        source::just(0u64)
            .combine_latest(up, |_, b| panic_on_2(*b))
            .boxed()
    });
}

#[test]
fn cancel_cancels_both() {
    // Neither completes (a completed source has nothing left to cancel).
    let first = RequestLog::new(source::range(0..100u64).concat_with(source::never()));
    let second = RequestLog::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(5);
    first
        .publisher()
        .combine_latest(second.publisher(), |a, b| a + b)
        .subscribe(ts.clone());
    ts.cancel();
    assert!(first.was_cancelled() && second.was_cancelled());
    assert!(!ts.is_terminated());
}

#[test]
fn request_zero_is_a_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(1);
    source::just(0u64)
        .combine_latest(source::range(0..5u64), |a, b| a + b)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::new(3, 9)));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Synchronous sources: the first runs to its end before the second is
    /// subscribed, so the model is "every item of the second, with the last
    /// of the first" (nothing if either is empty).
    #[test]
    fn matches_the_model(
        a in proptest::collection::vec(0u64..1000, 0..60),
        b in proptest::collection::vec(0u64..1000, 0..60),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = match a.last() {
            Some(last) => b.iter().map(|y| last * 1000 + y).collect(),
            None => Vec::new(),
        };
        crate::model::check_model(
            || {
                source::from_iter(a.clone())
                    .combine_latest(source::from_iter(b.clone()), |x, y| x * 1000 + y)
                    .boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
