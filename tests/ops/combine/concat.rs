use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{
    ops, source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use super::{threaded, threaded_then_error, RequestLog};
use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            ops::concat([
                source::range(0..3u64),
                source::range(3..5),
                source::range(5..8),
            ])
            .boxed()
        },
        &[0, 1, 2, 3, 4, 5, 6, 7],
    );
}

#[test]
fn concat_with_scenarios() {
    assert_emits(
        || {
            source::range(0..4u64)
                .concat_with(source::from_iter(vec![10u64, 11]))
                .boxed()
        },
        &[0, 1, 2, 3, 10, 11],
    );
}

#[test]
fn start_with_scenarios() {
    assert_emits(
        || source::range(3..6u64).start_with(vec![0, 1, 2]).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
    assert_emits(
        || {
            source::range(3..6u64)
                .start_with_publisher(source::range(0..3))
                .boxed()
        },
        &[0, 1, 2, 3, 4, 5],
    );
}

#[test]
fn sources_on_other_threads() {
    assert_emits(
        || {
            ops::concat([
                threaded((0..40u64).collect()),
                threaded(vec![]),
                threaded((40..90).collect()),
            ])
            .boxed()
        },
        &(0..90).collect::<Vec<_>>(),
    );
}

#[test]
fn empty_sources_are_skipped_and_an_empty_list_completes() {
    assert_emits(
        || {
            ops::concat([
                source::empty().boxed(),
                source::just(1u64).boxed(),
                source::empty().boxed(),
            ])
            .boxed()
        },
        &[1],
    );
    let ts = TestSubscriber::<u64>::new(0);
    ops::concat(Vec::<BoxPublisher<u64>>::new()).subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

#[test]
fn demand_carries_over_to_the_next_source() {
    let second = RequestLog::new(source::range(10..20u64));
    let ts = TestSubscriber::new(3);
    source::range(0..2u64)
        .concat_with(second.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10]).assert_not_terminated();
    // The first source delivered 2 of the 3: the second is asked for 1.
    assert_eq!(second.requests(), [1]);
    ts.request(4);
    ts.assert_values(&[0, 1, 10, 11, 12, 13, 14]);
    assert_eq!(second.requests(), [1, 4]);
    ts.request(100);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn demand_made_before_any_source_is_kept() {
    // Requested inside on_subscribe, before the first source exists.
    let ts = TestSubscriber::new(2);
    ops::concat([source::range(0..5u64)]).subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
}

#[test]
fn error_passes_through_and_later_sources_are_never_subscribed() {
    let later = RequestLog::new(source::range(100..102u64));
    assert_error_passes_through(|up| up.concat_with(later.publisher()).boxed(), &[0, 1, 2]);
    assert_eq!(later.subscribed(), 0);
}

#[test]
fn error_of_a_later_source_passes_through() {
    let error = Error::new("second failed");
    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .concat_with(items_then_error(1, error.clone()))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 0]);
    assert!(ts.error().expect("an error").ptr_eq(&error));
    ts.assert_no_violations();
}

#[test]
fn error_from_a_thread_passes_through() {
    let error = Error::new("threaded failure");
    let ts = TestSubscriber::unbounded();
    ops::concat([
        threaded(vec![1u64, 2]),
        threaded_then_error(vec![3], error.clone()),
        threaded(vec![4]),
    ])
    .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_values(&[1, 2, 3]);
    assert!(ts.error().expect("an error").ptr_eq(&error));
}

#[test]
fn cancel_cancels_the_source_in_force_and_subscribes_no_later_one() {
    let second = RequestLog::new(source::range(10..20u64));
    let third = RequestLog::new(source::range(20..30u64));
    let ts = TestSubscriber::new(3);
    ops::concat([
        source::range(0..2u64).boxed(),
        second.publisher(),
        third.publisher(),
    ])
    .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10]);
    ts.cancel();
    assert!(second.was_cancelled());
    ts.request(10);
    ts.assert_values(&[0, 1, 10]);
    assert!(!ts.is_terminated());
    assert_eq!(third.subscribed(), 0);
}

#[test]
fn cancel_inside_the_last_item_of_a_source_stops_the_sequence() {
    let subscribed = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&subscribed);
    let second = source::defer(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        source::range(10..12u64)
    });
    let ts = TestSubscriber::new(2);
    source::range(0..2u64)
        .concat_with(second)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]);
    // The first source completed after item 1; the second is subscribed
    // (with no demand left), and cancel reaches it.
    assert_eq!(subscribed.load(Ordering::SeqCst), 1);
    ts.cancel();
    ts.request(5);
    ts.assert_values(&[0, 1]);
    assert!(!ts.is_terminated());
}

#[test]
fn request_zero_is_a_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..5u64)
        .concat_with(source::range(5..10))
        .subscribe(ts.clone());
    ts.request(0);
    ts.await_terminal(WAIT)
        .assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::new(3, 9)));
}

#[test]
fn many_synchronous_sources_do_not_grow_the_stack() {
    // Each `just` completes inside its own `subscribe`: without the
    // trampoline, this would recurse 100 000 deep.
    let n = 100_000u64;
    let ts = TestSubscriber::unbounded();
    ops::concat((0..n).map(source::just)).subscribe(ts.clone());
    ts.assert_value_count(n as usize).assert_complete();
    assert_eq!(ts.values().last(), Some(&(n - 1)));

    // And one at a time, each request driving a switch.
    let ts = TestSubscriber::new(0);
    ops::concat((0..10_000u64).map(source::just)).subscribe(ts.clone());
    for _ in 0..10_000 {
        ts.request(1);
    }
    ts.request(1);
    ts.assert_value_count(10_000)
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn a_rejected_item_is_replaced_without_changing_downstream_demand() {
    // `filter` downstream of concat: rejected items are not counted.
    let ts = TestSubscriber::new(3);
    ops::concat([source::range(0..5u64), source::range(5..10)])
        .filter(|x| x % 3 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 3, 6]).assert_not_terminated();
    ts.request(10);
    ts.assert_values(&[0, 3, 6, 9]).assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::chain`, under random demand.
    #[test]
    fn matches_iterator_chain(
        lists in proptest::collection::vec(proptest::collection::vec(0u64..1000, 0..12), 0..5),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = lists.iter().flatten().copied().collect();
        crate::model::check_model(
            || ops::concat(lists.iter().cloned().map(source::from_iter)).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// The same with every source on a thread of its own.
    #[test]
    fn matches_iterator_chain_across_threads(
        lists in proptest::collection::vec(proptest::collection::vec(0u64..1000, 0..12), 0..4),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = lists.iter().flatten().copied().collect();
        crate::model::check_model(
            || ops::concat(lists.iter().cloned().map(threaded)).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }
}

/// Issue 10, bug 5: a source that sends more than was requested used to hit
/// a `debug_assert` (a panic into the source, in debug builds) when it
/// completed. It is answered with an overflow error, and the next source is
/// never subscribed.
#[test]
fn an_over_delivering_source_fails_the_sequence_with_an_overflow() {
    let ts = TestSubscriber::new(1);
    ignores_demand(3)
        .concat_with(source::just(9u64))
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
    assert!(
        !ts.values().contains(&9),
        "the next source is not subscribed"
    );

    let ts = TestSubscriber::new(1);
    ignores_demand(3).start_with([7u64]).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}
