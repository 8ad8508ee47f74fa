use proptest::prelude::*;
use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use super::probe::{Firehose, Probe};
use super::{assert_a_failing_fused_inner_fails_the_stream, fused_inner_failing_at_2, threaded};
use crate::harness::*;

/// `range(0..n).concat_map(|x| range(10x..10x+x))`, as `Iterator::flat_map`.
fn reference(n: u64) -> Vec<u64> {
    (0..n).flat_map(|x| x * 10..x * 10 + x).collect()
}

#[test]
fn scenarios_with_synchronous_inners() {
    assert_emits(
        || {
            source::range(0..6u64)
                .concat_map(|x| source::range(x * 10..x * 10 + x))
                .boxed()
        },
        &reference(6),
    );
    assert_emits(
        || {
            source::range(0..6u64)
                .concat_map_with(|x| source::range(x * 10..x * 10 + x), 1)
                .boxed()
        },
        &reference(6),
    );
}

#[test]
fn scenarios_with_inners_on_other_threads_keep_upstream_order() {
    let expected: Vec<u64> = (0..5)
        .flat_map(|x| (0..20).map(move |i| x * 1000 + i))
        .collect();
    assert_emits(
        || {
            source::range(0..5u64)
                .concat_map_with(|x| threaded((0..20).map(|i| x * 1000 + i).collect()), 2)
                .boxed()
        },
        &expected,
    );
}

#[test]
fn scenarios_with_empty_inners_and_an_empty_upstream() {
    assert_emits(
        || {
            source::range(0..5u64)
                .concat_map(|_| source::empty::<u64>())
                .boxed()
        },
        &[],
    );
    assert_emits(
        || source::empty::<u64>().concat_map(source::just).boxed(),
        &[],
    );
}

#[test]
fn many_synchronous_inners_do_not_recurse() {
    // Each subscribed inner completes inside its subscribe; the drain loop
    // must move on iteratively (a recursion per inner would overflow the
    // stack). `boxed()` hides that `just` could run fused, unsubscribed.
    let ts = TestSubscriber::unbounded();
    source::range(0..200_000u64)
        .concat_map(|x| source::just(x).boxed())
        .subscribe(ts.clone());
    ts.assert_complete().assert_value_count(200_000);
    // Fused, the same inners run inside the drain loop.
    let ts = TestSubscriber::unbounded();
    source::range(0..200_000u64)
        .concat_map(source::just)
        .subscribe(ts.clone());
    ts.assert_complete().assert_value_count(200_000);
}

/// The inners behind `boxed()`, which hides that they are synchronous
/// sources: each is subscribed rather than run inside the drain.
#[test]
fn scenarios_with_subscribed_inners() {
    assert_emits(
        || {
            source::range(0..6u64)
                .concat_map(|x| source::range(x * 10..x * 10 + x).boxed())
                .boxed()
        },
        &reference(6),
    );
}

#[test]
fn fused_inners_with_nothing_in_them_complete_without_demand() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..5u64)
        .concat_map(|x| source::range(x..x))
        .subscribe(ts.clone());
    ts.assert_complete().assert_no_violations();
}

#[test]
fn demand_unused_by_a_fused_inner_carries_over_to_the_next() {
    let ts = TestSubscriber::<u64>::new(3);
    source::range(0..3u64)
        .concat_map(|x| source::range(x * 10..x * 10 + 2))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10]).assert_not_terminated();
    ts.request(3);
    ts.assert_values(&[0, 1, 10, 11, 20, 21])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn a_fused_inner_that_fails_cancels_upstream_and_fails_downstream() {
    assert_a_failing_fused_inner_fails_the_stream(|up, failure| {
        up.concat_map(move |x| fused_inner_failing_at_2(x, failure.clone()))
            .boxed()
    });
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.concat_map(source::just).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.concat_map(|x| source::just(panic_on_2(x))).boxed());
}

#[test]
fn an_inner_error_cancels_upstream() {
    let upstream = CancelProbe::new(source::range(0..10u64));
    let error = Error::new("inner failed");
    let failure = error.clone();
    let ts = TestSubscriber::<u64>::unbounded();
    upstream
        .publisher()
        .concat_map(move |x| -> BoxPublisher<u64> {
            if x == 2 {
                source::error(failure.clone()).boxed()
            } else {
                source::just(x).boxed()
            }
        })
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_values(&[0, 1]);
    assert!(ts.error().expect("an error").ptr_eq(&error));
    assert!(upstream.was_cancelled());
    ts.assert_no_violations();
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_everything() {
    let inners = Probe::new();
    let upstream = CancelProbe::new(source::range(0..10u64));
    let probe = inners.clone();
    let ts = TestSubscriber::new(1);
    upstream
        .publisher()
        .concat_map(move |x| probe.wrap(source::range(x..x + 100)))
        .subscribe(ts.clone());
    ts.assert_values(&[0]);
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    assert!(upstream.was_cancelled());
    assert_eq!(inners.live(), 0, "the current inner is cancelled");
}

#[test]
fn cancel_cancels_upstream_and_the_current_inner() {
    let inners = Probe::new();
    let upstream = CancelProbe::new(source::range(0..10u64));
    let probe = inners.clone();
    let ts = TestSubscriber::new(3);
    upstream
        .publisher()
        .concat_map(move |x| probe.wrap(source::range(x * 100..x * 100 + 50)))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    ts.cancel();
    ts.request(10);
    ts.assert_values(&[0, 1, 2]);
    assert!(!ts.is_terminated());
    assert!(upstream.was_cancelled());
    assert_eq!(inners.subscriptions(), 1, "one inner at a time");
    assert_eq!(inners.cancelled(), 1);
}

#[test]
fn demand_unused_by_an_inner_carries_over_to_the_next() {
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::new(5);
    source::range(0..4u64)
        .concat_map(move |x| probe.wrap(source::range(x * 10..x * 10 + 2)))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 10, 11, 20])
        .assert_not_terminated();
    let requests: Vec<Vec<u64>> = inners.subs().into_iter().map(|s| s.requests).collect();
    // Each inner is asked for exactly what the downstream still wants.
    assert_eq!(requests, [vec![5], vec![3], vec![1]]);
    ts.request(10);
    ts.assert_values(&[0, 1, 10, 11, 20, 21, 30, 31])
        .assert_complete();
    assert!(inners.max_live() <= 1);
}

#[test]
fn an_inner_is_asked_for_at_most_prefetch_at_a_time() {
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .concat_map_with(move |x| probe.wrap(source::range(x * 100..x * 100 + 20)), 4)
        .subscribe(ts.clone());
    ts.assert_complete().assert_value_count(60);
    assert!(inners.max_outstanding() <= 4);
    for sub in inners.subs() {
        assert_eq!(sub.requests[0], 4);
        assert!(
            sub.requests[1..].iter().all(|&n| n == 3),
            "{:?}",
            sub.requests
        );
    }
}

#[test]
fn upstream_is_prefetched_and_replenished_at_75_percent() {
    let upstream = Probe::new();
    let ts = TestSubscriber::unbounded();
    upstream
        .wrap(source::range(0..20u64))
        .concat_map_with(source::just, 4)
        .subscribe(ts.clone());
    ts.assert_complete().assert_value_count(20);
    let requests = &upstream.subs()[0].requests;
    assert_eq!(requests[0], 4);
    assert!(requests[1..].iter().all(|&n| n == 3), "{requests:?}");
    assert!(upstream.max_outstanding() <= 4);
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let ts = TestSubscriber::unbounded();
    Firehose(5)
        .concat_map_with(|_| source::never::<u64>(), 2)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn an_inner_that_ignores_demand_fails_with_overflow() {
    let ts = TestSubscriber::new(1);
    source::just(0u64)
        .concat_map_with(|_| Firehose(10), 2)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn items_rejected_downstream_cost_no_demand() {
    let ts = TestSubscriber::new(2);
    source::range(0..10u64)
        .concat_map(|x| source::range(x * 10..x * 10 + 3))
        .filter(|x| x % 10 == 2)
        .subscribe(ts.clone());
    ts.assert_values(&[2, 12]).assert_not_terminated();
    assert_eq!(ts.requests(), [2]);
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::flat_map`, under random demand. `subscribed` hides
    /// the inners behind `boxed()`, so that they are subscribed rather than
    /// run inside the drain.
    #[test]
    fn matches_iterator_flat_map(
        sizes in proptest::collection::vec(0u64..12, 0..12),
        prefetch in prop_oneof![Just(1usize), Just(2), Just(3), Just(32)],
        subscribed in any::<bool>(),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = sizes
            .iter()
            .enumerate()
            .flat_map(|(i, &n)| (0..n).map(move |j| i as u64 * 100 + j))
            .collect();
        crate::model::check_model(
            || {
                let outer = source::from_iter(sizes.clone().into_iter().enumerate());
                let inner = |(i, n): (usize, u64)| source::range(i as u64 * 100..i as u64 * 100 + n);
                if subscribed {
                    outer.concat_map_with(move |x| inner(x).boxed(), prefetch).boxed()
                } else {
                    outer.concat_map_with(inner, prefetch).boxed()
                }
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// Inners on their own threads come out in upstream order too.
    #[test]
    fn matches_iterator_flat_map_with_threaded_inners(
        sizes in proptest::collection::vec(0u64..8, 0..6),
        prefetch in prop_oneof![Just(1usize), Just(2), Just(32)],
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = sizes
            .iter()
            .enumerate()
            .flat_map(|(i, &n)| (0..n).map(move |j| i as u64 * 100 + j))
            .collect();
        crate::model::check_model(
            || {
                source::from_iter(sizes.clone().into_iter().enumerate())
                    .concat_map_with(|(i, n)| threaded((0..n).map(|j| i as u64 * 100 + j).collect()), prefetch)
                    .boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }
}

#[test]
fn an_inner_that_ignores_demand_fails_with_overflow_even_under_unbounded_demand() {
    // The inner sends its ten items while being subscribed, before it was
    // asked for any: demand downstream does not make that right.
    let ts = TestSubscriber::unbounded();
    source::just(0u64)
        .concat_map_with(|_| Firehose(10), 2)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
#[should_panic(expected = "concat_map: prefetch must be at least 1")]
fn zero_prefetch_is_refused() {
    let _ = source::range(0..1u64).concat_map_with(source::just, 0);
}

/// Issue 10, bug 2: a huge `prefetch` is clamped to `MAX_CAPACITY` (it used
/// to panic, or abort on a failed allocation at subscription).
#[test]
fn a_huge_prefetch_is_clamped_not_allocated() {
    for prefetch in [usize::MAX, 1 << 40] {
        let ts = TestSubscriber::unbounded();
        source::range(0..4u64)
            .concat_map_with(|x| source::range(x * 10..x * 10 + 2), prefetch)
            .subscribe(ts.clone());
        ts.assert_values(&[0, 1, 10, 11, 20, 21, 30, 31])
            .assert_complete()
            .assert_no_violations();
    }
}

/// Issue 10, bug 3: `on_complete` used to follow a cancel made inside
/// `on_next` when the inners are boxed.
#[test]
fn nothing_after_a_cancel_inside_on_next() {
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .concat_map(|x| source::range(x..x + 1).boxed())
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .boxed()
            .concat_map(|x| source::range(x..x + 1))
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .concat_map(|x| source::range(x..x + 1))
            .boxed()
    });
}
