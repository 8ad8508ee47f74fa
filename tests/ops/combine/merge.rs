use reactive_streams::{
    ops, source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use super::{threaded, threaded_then_error, RequestLog};
use crate::harness::*;

/// Checks that `items` holds every item of each of `sources`, each source's
/// in its order.
fn assert_interleaving(items: &[u64], sources: &[Vec<u64>]) {
    let mut rest: Vec<&[u64]> = sources.iter().map(Vec::as_slice).collect();
    for item in items {
        let source = rest
            .iter()
            .position(|r| r.first() == Some(item))
            .unwrap_or_else(|| panic!("{item} is out of order or unknown in {items:?}"));
        rest[source] = &rest[source][1..];
    }
    assert!(
        rest.iter().all(|r| r.is_empty()),
        "items missing from {items:?}: {rest:?}"
    );
}

#[test]
fn scenarios() {
    // Synchronous sources come out one after another, whatever the demand.
    assert_emits(
        || ops::merge([source::range(0..3u64), source::range(10..15)]).boxed(),
        &[0, 1, 2, 10, 11, 12, 13, 14],
    );
}

#[test]
fn merge_with_scenarios() {
    assert_emits(
        || {
            source::range(0..50u64)
                .merge_with(source::from_iter(vec![100u64, 101]))
                .boxed()
        },
        &(0..50).chain([100, 101]).collect::<Vec<_>>(),
    );
}

#[test]
fn longer_than_the_prefetch() {
    // Each source is asked for 32, then 24 at a time.
    assert_emits(
        || ops::merge([source::range(0..100u64), source::range(100..200)]).boxed(),
        &(0..200).collect::<Vec<_>>(),
    );
}

#[test]
fn sources_on_other_threads_interleave_and_keep_their_order() {
    let sources: Vec<Vec<u64>> = vec![
        (0..300).collect(),
        (1000..1300).collect(),
        (2000..2100).collect(),
    ];
    let total = sources.iter().map(Vec::len).sum::<usize>();
    for step in [total + 1, 1, 7] {
        let ts = TestSubscriber::new(0);
        ops::merge(sources.iter().cloned().map(threaded)).subscribe(ts.clone());
        let mut requested = 0;
        while requested < total {
            ts.request(step as u64);
            requested += step;
            ts.await_count(requested.min(total), WAIT);
        }
        ts.await_terminal(WAIT)
            .assert_complete()
            .assert_no_violations();
        assert_eq!(ts.item_count(), total);
        assert_interleaving(&ts.values(), &sources);
    }
}

#[test]
fn an_empty_list_completes_at_once() {
    let ts = TestSubscriber::<u64>::new(0);
    ops::merge(Vec::<BoxPublisher<u64>>::new()).subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

#[test]
fn completes_only_when_every_source_completed() {
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .merge_with(source::never())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_not_terminated();
    ts.cancel();
}

#[test]
fn each_source_is_prefetched_32_then_replenished_24_at_a_time() {
    let first = RequestLog::new(source::range(0..100u64));
    let second = RequestLog::new(source::range(100..110u64));
    let ts = TestSubscriber::new(0);
    first
        .publisher()
        .merge_with(second.publisher())
        .subscribe(ts.clone());
    // Nothing requested downstream: only the prefetch was asked for.
    assert_eq!(first.requests(), [32]);
    assert_eq!(second.requests(), [32]);
    assert_eq!(first.items(), 32);
    ts.request(24);
    assert_eq!(first.requests(), [32, 24]);
    ts.request(1000);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_eq!(ts.item_count(), 110);
    let asked: u64 = first.requests().iter().sum();
    assert!(asked >= 100 && first.requests()[1..].iter().all(|&n| n == 24));
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.merge_with(source::range(100..102u64)).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn an_error_cancels_the_other_sources_and_drops_queued_items() {
    let other = RequestLog::new(source::range(0..1000u64));
    let error = Error::new("second failed");
    let ts = TestSubscriber::new(0);
    other
        .publisher()
        .merge_with(items_then_error(0, error.clone()))
        .subscribe(ts.clone());
    // Delivered at once, without demand, ahead of the 32 queued items.
    ts.assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(other.was_cancelled());
    ts.assert_no_violations();
}

#[test]
fn an_error_from_a_thread_passes_through() {
    let error = Error::new("threaded failure");
    let ts = TestSubscriber::unbounded();
    threaded_then_error((0..10u64).collect(), error.clone())
        .merge_with(source::never())
        .subscribe(ts.clone());
    ts.await_terminal(WAIT);
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(ts.item_count() <= 10);
}

#[test]
fn cancel_cancels_every_source() {
    let first = RequestLog::new(source::range(0..100u64));
    let second = RequestLog::new(source::never::<u64>());
    let ts = TestSubscriber::new(5);
    first
        .publisher()
        .merge_with(second.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2, 3, 4]);
    ts.cancel();
    assert!(first.was_cancelled() && second.was_cancelled());
    ts.request(10);
    ts.assert_value_count(5);
    assert!(!ts.is_terminated());
}

#[test]
fn request_zero_is_a_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..5u64)
        .merge_with(source::never())
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::new(3, 9)));
}

#[test]
fn a_source_that_ignores_demand_is_an_overflow_error() {
    // `create` with no regard for demand would buffer; a raw publisher that
    // pushes 40 items on a prefetch of 32 is what merge must catch.
    struct Flood;
    impl Publisher for Flood {
        type Item = u64;
        fn subscribe<S: reactive_streams::Subscriber<u64> + 'static>(&self, mut s: S) {
            s.on_subscribe(std::sync::Arc::new(Nothing));
            for i in 0..40 {
                s.on_next(i);
            }
        }
    }
    struct Nothing;
    impl reactive_streams::Subscription for Nothing {
        fn request(&self, _: u64) {}
        fn cancel(&self) {}
    }
    let ts = TestSubscriber::<u64>::new(0);
    Flood.merge_with(source::never()).subscribe(ts.clone());
    ts.assert_no_values();
    assert!(ts.error().expect("an overflow").is_overflow());
}

#[test]
fn a_rejected_item_does_not_count_against_demand() {
    let ts = TestSubscriber::new(3);
    ops::merge([source::range(0..5u64), source::range(5..10)])
        .filter(|x| x % 3 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 3, 6]).assert_not_terminated();
    ts.request(10);
    ts.assert_values(&[0, 3, 6, 9]).assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Every item of every source, each source's in order, under random
    /// demand. `fused` gives sources that are the crate's synchronous
    /// sources (the merge is then one pull; the `map` is fused too);
    /// otherwise each is behind `boxed()` and subscribed.
    #[test]
    fn interleaves_its_sources(
        lists in proptest::collection::vec(proptest::collection::vec(0u64..1000, 0..40), 0..5),
        fused in proptest::prelude::any::<bool>(),
        schedule in crate::model::schedule(),
    ) {
        crate::model::check_model_interleaved(
            || {
                let tagged = lists.iter().cloned().enumerate();
                let source = |(index, list): (usize, Vec<u64>)| {
                    source::from_iter(list).map(move |x| (index, x))
                };
                if fused {
                    ops::merge(tagged.map(source)).boxed()
                } else {
                    ops::merge(tagged.map(|pair| source(pair).boxed())).boxed()
                }
            },
            &lists,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// The same with every source on a thread of its own.
    #[test]
    fn interleaves_its_sources_across_threads(
        lists in proptest::collection::vec(proptest::collection::vec(0u64..1000, 0..40), 0..4),
        schedule in crate::model::schedule(),
    ) {
        crate::model::check_model_interleaved(
            || {
                ops::merge(lists.iter().cloned().enumerate().map(|(index, list)| {
                    threaded(list).map(move |x| (index, x))
                }))
                .boxed()
            },
            &lists,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }
}

/// A failed source fails the merge at once, before the items of the sources
/// ahead of it are asked for, whether the sources are fused into one pull
/// or subscribed (behind `boxed()`).
#[test]
fn a_failed_source_fails_the_merge_at_once_fused_or_subscribed() {
    let error = Error::new("failed source");
    let fused = TestSubscriber::<u64>::new(0);
    source::range(0..5u64)
        .merge_with(source::error::<u64>(error.clone()))
        .subscribe(fused.clone());
    let subscribed = TestSubscriber::<u64>::new(0);
    source::range(0..5u64)
        .boxed()
        .merge_with(source::error::<u64>(error.clone()).boxed())
        .subscribe(subscribed.clone());
    for ts in [fused, subscribed] {
        ts.assert_values(&[]).assert_no_violations();
        assert!(
            ts.error().is_some_and(|e| e.ptr_eq(&error)),
            "{:?}",
            ts.error()
        );
    }
}

/// Fused sources run in turn, each until it ends, as subscribed
/// synchronous sources do; empty ones are skipped without demand.
#[test]
fn fused_sources_run_in_turn() {
    let ts = TestSubscriber::<u64>::new(3);
    ops::merge([
        source::range(0..2u64),
        source::range(5..5),
        source::range(10..12),
    ])
    .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[0, 1, 10, 11])
        .assert_complete()
        .assert_no_violations();
}

/// `map` over the crate's sources is fused too: the merge of mapped `range`s
/// is one pull, and a panic in the function ends it with its error.
#[test]
fn mapped_sources_are_fused_and_a_panic_ends_the_merge() {
    fn tens(x: u64) -> u64 {
        panic_on_2(x / 10) * 10 + x % 10
    }
    let ts = TestSubscriber::<u64>::unbounded();
    ops::merge([0..2u64, 10..12, 20..22].map(|r| source::range(r).map(tens))).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10, 11])
        .assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
}

/// Issue 10, bug 3: `on_complete` used to follow a cancel made inside
/// `on_next` when the sources are boxed.
#[test]
fn nothing_after_a_cancel_inside_on_next() {
    assert_nothing_after_cancel_in_on_next(|| ops::merge([source::range(0..1u64).boxed()]).boxed());
    assert_nothing_after_cancel_in_on_next(|| ops::merge([source::range(0..1u64)]).boxed());
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .boxed()
            .merge_with(source::empty().boxed())
            .boxed()
    });
}
