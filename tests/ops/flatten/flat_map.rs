use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use reactive_streams::source::{self, Overflow};
use reactive_streams::{
    BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::probe::{Firehose, Probe};
use super::{
    assert_a_failing_fused_inner_fails_the_stream, eventually, fused_inner_failing_at_2, threaded,
};
use crate::harness::*;

/// `range(0..n).flat_map(|x| range(10x..10x+x))`, as `Iterator::flat_map`.
fn reference(n: u64) -> Vec<u64> {
    (0..n).flat_map(|x| x * 10..x * 10 + x).collect()
}

#[test]
fn scenarios_with_synchronous_inners() {
    assert_emits(
        || {
            source::range(0..6u64)
                .flat_map(|x| source::range(x * 10..x * 10 + x))
                .boxed()
        },
        &reference(6),
    );
}

/// The same inners behind `boxed()`, which hides that they are synchronous
/// sources: each is subscribed, its items queued, rather than run inside the
/// drain (`Publisher::fused_source`).
#[test]
fn scenarios_with_subscribed_inners() {
    assert_emits(
        || {
            source::range(0..6u64)
                .flat_map(|x| source::range(x * 10..x * 10 + x).boxed())
                .boxed()
        },
        &reference(6),
    );
}

#[test]
fn fused_inners_with_nothing_in_them_complete_without_demand() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..5u64)
        .flat_map(|x| source::range(x..x))
        .subscribe(ts.clone());
    ts.assert_complete().assert_no_violations();
}

#[test]
fn a_fused_inner_that_fails_cancels_upstream_and_fails_downstream() {
    assert_a_failing_fused_inner_fails_the_stream(|up, failure| {
        up.flat_map(move |x| fused_inner_failing_at_2(x, failure.clone()))
            .boxed()
    });
}

#[test]
fn a_panic_inside_a_fused_inner_fails_the_stream() {
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..5u64)
        // Inner 0 pulls 0 + 0, 0 + 1, then panics on 0 + 2.
        .flat_map(|x| {
            source::from_iter((0..3u64).map(move |i| {
                let _ = panic_on_2(x + i);
                x
            }))
        })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 0])
        .assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
}

#[test]
fn scenarios_one_inner_at_a_time_asking_one_item_at_a_time() {
    assert_emits(
        || {
            source::range(0..6u64)
                .flat_map_with(|x| source::range(x * 10..x * 10 + x), 1, 1)
                .boxed()
        },
        &reference(6),
    );
}

#[test]
fn scenarios_with_one_long_inner_replenished_at_75_percent() {
    let expected: Vec<u64> = (0..100).collect();
    assert_emits(
        || {
            source::just(0u64)
                .flat_map_with(|_| source::range(0..100u64), 4, 8)
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
                .flat_map(|_| source::empty::<u64>())
                .boxed()
        },
        &[],
    );
    assert_emits(
        || source::empty::<u64>().flat_map(source::just).boxed(),
        &[],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.flat_map(source::just).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.flat_map(|x| source::just(panic_on_2(x))).boxed());
}

#[test]
fn an_inner_error_cancels_upstream_and_every_other_inner() {
    let inners = Probe::new();
    let upstream = CancelProbe::new(source::range(0..10u64));
    let error = Error::new("inner failed");
    let (probe, failure) = (inners.clone(), error.clone());
    let ts = TestSubscriber::<u64>::unbounded();
    upstream
        .publisher()
        .flat_map(move |x| -> BoxPublisher<u64> {
            if x == 2 {
                source::error(failure.clone()).boxed()
            } else {
                probe.wrap(source::never()).boxed()
            }
        })
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_no_values();
    assert!(ts.error().expect("an error").ptr_eq(&error));
    assert!(upstream.was_cancelled(), "upstream was not cancelled");
    assert_eq!(inners.subscriptions(), 2, "inners 0 and 1");
    assert_eq!(inners.cancelled(), 2, "every live inner is cancelled");
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
        .flat_map(move |x| probe.wrap(source::range(x..x + 100)))
        .subscribe(ts.clone());
    ts.assert_values(&[0]);
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    assert!(upstream.was_cancelled());
    assert_eq!(inners.live(), 0, "every inner is cancelled");
}

#[test]
fn cancel_cancels_upstream_and_every_inner_and_drops_queued_items() {
    let token = Arc::new(());
    let inners = Probe::new();
    let upstream = CancelProbe::new(source::range(0..3u64));
    let (probe, shared) = (inners.clone(), Arc::clone(&token));
    let publisher = upstream.publisher().flat_map(move |_| {
        let items: Vec<Arc<()>> = (0..5).map(|_| Arc::clone(&shared)).collect();
        probe.wrap(source::from_iter(items))
    });
    let ts = TestSubscriber::new(1);
    publisher.subscribe(ts.clone());
    assert_eq!(ts.item_count(), 1);
    ts.cancel();
    ts.request(10);
    assert_eq!(ts.item_count(), 1, "nothing after cancel");
    assert!(!ts.is_terminated());
    assert!(upstream.was_cancelled());
    assert_eq!(inners.live(), 0);
    drop(publisher);
    // Left: ours and the one delivered item; the queued ones were dropped
    // (§3.13), with the inners' iterators.
    assert_eq!(Arc::strong_count(&token), 2);
}

#[test]
fn never_more_than_max_concurrency_inners_live_nor_prefetch_outstanding() {
    let upstream = Probe::new();
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::new(0);
    upstream
        .wrap(source::range(0..40u64))
        .flat_map_with(
            move |x| probe.wrap(source::range(x * 100..x * 100 + 9)),
            3,
            4,
        )
        .subscribe(ts.clone());
    // A slow consumer: small, uneven batches.
    let mut n = 0;
    while !ts.is_terminated() {
        ts.request(1 + n % 5);
        n += 1;
    }
    ts.assert_complete().assert_no_violations();
    assert_eq!(ts.item_count(), 40 * 9);
    assert_eq!(inners.subscriptions(), 40);
    assert!(
        inners.max_live() <= 3,
        "{} inners live at once",
        inners.max_live()
    );
    assert!(
        inners.max_outstanding() <= 4,
        "an inner was asked for {}",
        inners.max_outstanding()
    );
    assert!(
        upstream.max_outstanding() <= 3,
        "upstream was asked for {}",
        upstream.max_outstanding()
    );
    // Each inner: 4 at first, then 3 (75% of 4) at a time.
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
fn demand_stays_bounded_with_inners_on_other_threads() {
    let upstream = Probe::new();
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::new(0);
    upstream
        .wrap(source::range(0..12u64))
        .flat_map_with(
            move |x| probe.wrap(threaded((0..20).map(|i| x * 100 + i).collect())),
            4,
            5,
        )
        .subscribe(ts.clone());
    let mut received = 0;
    while !ts.is_terminated() {
        ts.request(3);
        received += 3;
        ts.await_count(received.min(12 * 20), WAIT);
    }
    ts.assert_complete().assert_no_violations();
    assert_eq!(ts.item_count(), 12 * 20);
    assert!(
        inners.max_live() <= 4,
        "{} inners live at once",
        inners.max_live()
    );
    assert!(
        inners.max_outstanding() <= 5,
        "an inner was asked for {}",
        inners.max_outstanding()
    );
    assert!(upstream.max_outstanding() <= 4);
}

#[test]
fn asks_upstream_for_max_concurrency_then_in_batches_as_inners_complete() {
    let upstream = Probe::new();
    let ts = TestSubscriber::unbounded();
    upstream
        .wrap(source::range(0..20u64))
        .flat_map_with(source::just, 8, 2)
        .subscribe(ts.clone());
    ts.assert_value_count(20).assert_complete();
    let requests = &upstream.subs()[0].requests;
    assert_eq!(requests[0], 8);
    assert!(
        requests[1..].iter().all(|&n| n == 6),
        "batches of 75%: {requests:?}"
    );
}

/// Items are `inner * 1000 + index`: checks that every item came, once, and
/// that each inner's items kept their order.
fn assert_per_inner_order(values: &[u64], inners: u64, per_inner: u64) {
    let mut by_inner: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for &v in values {
        by_inner.entry(v / 1000).or_default().push(v % 1000);
    }
    assert_eq!(by_inner.len() as u64, inners, "{values:?}");
    for (inner, items) in by_inner {
        assert_eq!(items, (0..per_inner).collect::<Vec<_>>(), "inner {inner}");
    }
}

#[test]
fn inners_on_other_threads_deliver_everything_each_in_order() {
    let make = || {
        source::range(0..8u64)
            .flat_map_with(|x| threaded((0..50).map(|i| x * 1000 + i).collect()), 3, 4)
            .boxed()
    };
    // Unbounded.
    let ts = TestSubscriber::unbounded();
    make().subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_per_inner_order(&ts.values(), 8, 50);

    // One at a time: never more than requested.
    let ts = TestSubscriber::new(0);
    make().subscribe(ts.clone());
    for i in 0..400 {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
        assert_eq!(ts.item_count(), i + 1);
    }
    ts.request(1);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_per_inner_order(&ts.values(), 8, 50);
}

#[test]
fn cancel_midway_with_inners_on_other_threads() {
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::new(30);
    source::range(0..8u64)
        .flat_map(move |x| probe.wrap(threaded((0..1000).map(|i| x * 1000 + i).collect())))
        .subscribe(ts.clone());
    ts.await_count(30, WAIT);
    ts.cancel();
    ts.request(100);
    // The cancel is carried out by whichever thread holds the drain (an
    // inner's, maybe), as soon as it looks: wait for it.
    assert!(
        eventually(|| inners.live() == 0),
        "every inner is cancelled"
    );
    assert_eq!(ts.item_count(), 30);
    assert!(!ts.is_terminated());
    ts.assert_no_violations();
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let ts = TestSubscriber::unbounded();
    Firehose(5)
        .flat_map_with(|_| source::never::<u64>(), 2, 1)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn an_inner_that_ignores_demand_fails_with_overflow() {
    let ts = TestSubscriber::new(0);
    source::just(0u64)
        .flat_map_with(|_| Firehose(10), 1, 2)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn items_rejected_downstream_cost_no_demand() {
    let ts = TestSubscriber::new(2);
    source::range(0..10u64)
        .flat_map(source::just)
        .filter(|x| x % 3 == 2)
        .subscribe(ts.clone());
    ts.assert_values(&[2, 5]).assert_not_terminated();
    assert_eq!(ts.requests(), [2]);
    ts.request(5);
    ts.assert_values(&[2, 5, 8]).assert_complete();
}

#[test]
fn an_upstream_on_another_thread_and_inners_on_others() {
    let upstream = threaded((0..10).collect());
    let ts = TestSubscriber::unbounded();
    upstream
        .flat_map_with(|x| threaded((0..30).map(|i| x * 1000 + i).collect()), 2, 3)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    assert_per_inner_order(&ts.values(), 10, 30);
}

#[test]
fn unbounded_max_concurrency_asks_upstream_for_everything() {
    let upstream = Probe::new();
    let ts = TestSubscriber::unbounded();
    upstream
        .wrap(source::range(0..5u64))
        .flat_map_with(source::just, usize::MAX, 1)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    assert_eq!(upstream.subs()[0].requests, [UNBOUNDED]);
}

#[test]
#[should_panic(expected = "flat_map: max_concurrency must be at least 1")]
fn zero_max_concurrency_is_refused() {
    let _ = source::range(0..1u64).flat_map_with(source::just, 0, 1);
}

#[test]
#[should_panic(expected = "flat_map: prefetch must be at least 1")]
fn zero_prefetch_is_refused() {
    let _ = source::range(0..1u64).flat_map_with(source::just, 1, 0);
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::flat_map`, under random demand. Synchronous inners
    /// come out in the iterator's order whatever `max_concurrency` is: a
    /// synchronous inner refills its queue inside the drainer's own request,
    /// so the drainer empties one inner before it moves to the next, and an
    /// inner delivers directly only when the drain is free and there is
    /// demand, which is when every queue is empty.
    ///
    /// `subscribed` hides the inners behind `boxed()`, so that they are
    /// subscribed rather than run inside the drain (both keep that order).
    #[test]
    fn matches_iterator_flat_map(
        sizes in proptest::collection::vec(0u64..12, 0..12),
        max_concurrency in prop_oneof![Just(1usize), Just(2), Just(3), Just(256)],
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
                    outer.flat_map_with(move |x| inner(x).boxed(), max_concurrency, prefetch).boxed()
                } else {
                    outer.flat_map_with(inner, max_concurrency, prefetch).boxed()
                }
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// Inners on their own threads: every item, once, each inner in order,
    /// never more than requested, under random request batches.
    #[test]
    fn threaded_inners_deliver_every_item_within_demand(
        inners in 1u64..6,
        per_inner in 0u64..20,
        max_concurrency in 1usize..4,
        prefetch in 1usize..5,
        batches in proptest::collection::vec(1u64..7, 0..8),
    ) {
        let ts = TestSubscriber::new(0);
        source::range(0..inners)
            .flat_map_with(move |x| threaded((0..per_inner).map(|i| x * 1000 + i).collect()), max_concurrency, prefetch)
            .subscribe(ts.clone());
        let mut requested = 0;
        for n in batches {
            ts.request(n);
            requested += n;
            ts.await_count((requested).min(inners * per_inner) as usize, WAIT);
            prop_assert!(ts.item_count() as u64 <= requested);
        }
        ts.request(UNBOUNDED);
        ts.await_terminal(WAIT).assert_complete().assert_no_violations();
        let values = ts.values();
        prop_assert_eq!(values.len() as u64, inners * per_inner);
        if per_inner > 0 {
            assert_per_inner_order(&values, inners, per_inner);
        }
    }
}

#[test]
fn an_upstream_that_errors_after_threaded_inners_started() {
    let ts = TestSubscriber::<u64>::unbounded();
    let error = Error::new("upstream failed");
    items_then_error(2, error.clone())
        .flat_map(|x| {
            source::create(Overflow::Unbounded, move |emitter| {
                std::thread::spawn(move || {
                    // Does not complete: the upstream error must end the stream
                    // (and cancel this inner).
                    let _ = emitter.next(x);
                    let deadline = std::time::Instant::now() + WAIT;
                    while !emitter.is_cancelled() && std::time::Instant::now() < deadline {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                });
            })
        })
        .subscribe(ts.clone());
    ts.await_terminal(WAIT);
    assert!(ts.error().expect("the error").ptr_eq(&error));
}

/// `map` over a fused inner is fused too: `range(..).map(f)` runs inside the
/// drain, and a panic in `f` fails the stream and cancels upstream.
#[test]
fn mapped_fused_inners() {
    assert_emits(
        || {
            source::range(0..6u64)
                .flat_map(|x| source::range(0..x).map(move |i| x * 10 + i))
                .boxed()
        },
        &reference(6),
    );
    assert_panic_becomes_error(|up| up.flat_map(|x| source::just(x).map(panic_on_2)).boxed());
}

/// Issue 10, bug 2: a huge `prefetch` is clamped to `MAX_CAPACITY` (it used
/// to panic, or abort on a failed allocation of an inner's queue).
#[test]
fn a_huge_prefetch_is_clamped_not_allocated() {
    for prefetch in [usize::MAX, 1 << 40] {
        // No demand at first, so that the inners' items are queued.
        let ts = TestSubscriber::new(0);
        source::range(0..4u64)
            .flat_map_with(|x| source::range(x * 10..x * 10 + 2), 2, prefetch)
            .subscribe(ts.clone());
        ts.request(u64::MAX);
        let mut values = ts.values();
        values.sort_unstable();
        assert_eq!(values, [0, 1, 10, 11, 20, 21, 30, 31]);
        ts.assert_complete().assert_no_violations();
    }
}

/// Issue 10, bug 3: `on_complete` used to follow a cancel made inside
/// `on_next` when the inners are boxed.
#[test]
fn nothing_after_a_cancel_inside_on_next() {
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .flat_map(|x| source::range(x..x + 1).boxed())
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .boxed()
            .flat_map(|x| source::range(x..x + 1))
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .flat_map(|x| source::range(x..x + 1))
            .boxed()
    });
}
