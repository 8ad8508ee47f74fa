use std::sync::mpsc;

use proptest::prelude::*;
use reactive_streams::source::{self, EmitError, Emitter, Overflow};
use reactive_streams::{
    BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::probe::{Firehose, Probe};
use crate::harness::*;

#[test]
fn scenarios_with_one_inner() {
    let expected: Vec<u64> = (0..40).collect();
    assert_emits(
        || {
            source::just(40u64)
                .switch_map(|n| source::range(0..n))
                .boxed()
        },
        &expected,
    );
}

#[test]
fn synchronous_inners_under_unbounded_demand_all_get_through() {
    let ts = TestSubscriber::unbounded();
    source::range(0..6u64)
        .switch_map(|x| source::range(x * 10..x * 10 + x))
        .subscribe(ts.clone());
    let expected: Vec<u64> = (0..6).flat_map(|x| x * 10..x * 10 + x).collect();
    ts.assert_values(&expected).assert_complete();
}

#[test]
fn a_switch_drops_what_the_old_inner_could_not_deliver() {
    let ts = TestSubscriber::new(0);
    source::range(1..4u64)
        .switch_map(|x| source::range(x * 10..x * 10 + 3))
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[30, 31]).assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[30, 31, 32]).assert_complete();
}

/// A `create` source whose emitters reach the test through a channel.
fn remote() -> (BoxPublisher<u64>, mpsc::Receiver<Emitter<u64>>) {
    let (tx, rx) = mpsc::channel();
    let publisher = source::create(Overflow::Unbounded, move |emitter| {
        tx.send(emitter).unwrap()
    })
    .boxed();
    (publisher, rx)
}

#[test]
fn only_the_latest_inner_is_heard() {
    let (upstream, upstreams) = remote();
    let (inner, inners) = remote();
    let ts = TestSubscriber::unbounded();
    upstream
        .switch_map(move |_| inner.clone())
        .subscribe(ts.clone());
    let outer = upstreams.recv().unwrap();

    outer.next(0).unwrap();
    let a = inners.recv().unwrap();
    a.next(1).unwrap();
    ts.assert_values(&[1]);

    outer.next(1).unwrap(); // switch: `a` is cancelled
    let b = inners.recv().unwrap();
    assert!(a.is_cancelled());
    assert!(matches!(a.next(2), Err(EmitError::Closed(2))));
    b.next(10).unwrap();
    ts.assert_values(&[1, 10]);

    outer.complete();
    ts.assert_not_terminated(); // the latest inner is still live
    b.next(11).unwrap();
    b.complete();
    ts.assert_values(&[1, 10, 11])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn demand_unused_by_a_replaced_inner_goes_to_the_next() {
    let (upstream, upstreams) = remote();
    let inners = Probe::new();
    let (inner, emitters) = remote();
    let probe = inners.clone();
    let ts = TestSubscriber::new(5);
    upstream
        .switch_map(move |_| probe.wrap(inner.clone()))
        .subscribe(ts.clone());
    let outer = upstreams.recv().unwrap();
    outer.next(0).unwrap();
    let a = emitters.recv().unwrap();
    a.next(1).unwrap();
    a.next(2).unwrap();
    outer.next(1).unwrap();
    let _b = emitters.recv().unwrap();
    let requests: Vec<Vec<u64>> = inners.subs().into_iter().map(|s| s.requests).collect();
    assert_eq!(requests, [vec![5], vec![3]]);
    assert_eq!(
        inners.max_live(),
        1,
        "the old inner is cancelled before the new one starts"
    );
    ts.assert_values(&[1, 2]);
}

#[test]
fn an_inner_is_asked_for_at_most_32_at_a_time() {
    let inners = Probe::new();
    let probe = inners.clone();
    let ts = TestSubscriber::unbounded();
    source::just(0u64)
        .switch_map(move |_| probe.wrap(source::range(0..100u64)))
        .subscribe(ts.clone());
    ts.assert_value_count(100).assert_complete();
    let requests = &inners.subs()[0].requests;
    assert_eq!(requests[0], 32);
    assert!(requests[1..].iter().all(|&n| n == 24), "{requests:?}");
}

#[test]
fn asks_upstream_for_everything() {
    let upstream = Probe::new();
    let ts = TestSubscriber::new(1);
    upstream
        .wrap(source::range(0..3u64))
        .switch_map(source::just)
        .subscribe(ts.clone());
    assert_eq!(upstream.subs()[0].requests, [UNBOUNDED]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.switch_map(source::just).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.switch_map(|x| source::just(panic_on_2(x))).boxed());
}

#[test]
fn an_error_of_the_latest_inner_cancels_upstream() {
    let (upstream, upstreams) = remote();
    let (inner, inners) = remote();
    let ts = TestSubscriber::<u64>::unbounded();
    upstream
        .switch_map(move |_| inner.clone())
        .subscribe(ts.clone());
    let outer = upstreams.recv().unwrap();
    outer.next(0).unwrap();
    let a = inners.recv().unwrap();
    let error = Error::new("inner failed");
    a.error(error.clone());
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(outer.is_cancelled(), "upstream is cancelled");
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_everything() {
    let inners = Probe::new();
    let upstream = CancelProbe::new(source::range(0..3u64));
    let probe = inners.clone();
    let ts = TestSubscriber::new(0);
    upstream
        .publisher()
        .switch_map(move |_| probe.wrap(source::never::<u64>()))
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    assert!(upstream.was_cancelled());
    assert_eq!(inners.live(), 0);
}

#[test]
fn cancel_cancels_upstream_and_the_latest_inner() {
    let (upstream, upstreams) = remote();
    let (inner, inners) = remote();
    let ts = TestSubscriber::unbounded();
    upstream
        .switch_map(move |_| inner.clone())
        .subscribe(ts.clone());
    let outer = upstreams.recv().unwrap();
    outer.next(0).unwrap();
    let a = inners.recv().unwrap();
    a.next(1).unwrap();
    ts.cancel();
    assert!(outer.is_cancelled());
    assert!(a.is_cancelled());
    assert!(a.next(2).is_err());
    // A late upstream item subscribes nothing.
    let _ = outer.next(1);
    assert!(inners.try_recv().is_err());
    ts.assert_values(&[1]);
    assert!(!ts.is_terminated());
}

#[test]
fn an_inner_that_ignores_demand_fails_with_overflow() {
    let ts = TestSubscriber::new(1);
    source::just(0u64)
        .switch_map(|_| Firehose(100))
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn completes_at_once_when_upstream_completes_empty() {
    let ts = TestSubscriber::<u64>::new(0);
    source::empty::<u64>()
        .switch_map(source::just)
        .subscribe(ts.clone());
    ts.assert_complete();
}

/// Whether `sub` is a subsequence of `all`.
fn is_subsequence(sub: &[u64], all: &[u64]) -> bool {
    let mut rest = all.iter();
    sub.iter().all(|x| rest.any(|y| y == x))
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// Under random demand: only items of the reference, in its order, never
    /// more than requested, and all of the last inner's items (nothing
    /// replaces it). Under unbounded demand from the start: the reference
    /// itself (each synchronous inner finishes before the next item).
    #[test]
    fn a_subsequence_of_iterator_flat_map_ending_with_the_last_inner(
        sizes in proptest::collection::vec(0u64..8, 1..8),
        batches in proptest::collection::vec(1u64..6, 0..6),
        unbounded_first in any::<bool>(),
    ) {
        let reference: Vec<u64> = sizes
            .iter()
            .enumerate()
            .flat_map(|(i, &n)| (0..n).map(move |j| i as u64 * 100 + j))
            .collect();
        let last = sizes.len() as u64 - 1;
        let ts = TestSubscriber::new(if unbounded_first { UNBOUNDED } else { 0 });
        let items = sizes.clone();
        source::from_iter(items.into_iter().enumerate())
            .switch_map(|(i, n)| source::range(i as u64 * 100..i as u64 * 100 + n))
            .subscribe(ts.clone());
        let mut requested = if unbounded_first { UNBOUNDED } else { 0 };
        for n in &batches {
            ts.request(*n);
            requested = requested.saturating_add(*n);
            prop_assert!(ts.item_count() as u64 <= requested);
        }
        ts.request(UNBOUNDED);
        ts.assert_complete().assert_no_violations();
        let values = ts.values();
        prop_assert!(is_subsequence(&values, &reference), "{:?} vs {:?}", values, reference);
        let tail: Vec<u64> = (0..sizes[last as usize]).map(|j| last * 100 + j).collect();
        prop_assert!(values.ends_with(&tail), "{:?} does not end with {:?}", values, tail);
        if unbounded_first {
            prop_assert_eq!(values, reference);
        }
    }
}

/// Issue 10, bug 3: `on_complete` used to follow a cancel made inside
/// `on_next` when the inners are boxed.
#[test]
fn nothing_after_a_cancel_inside_on_next() {
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .switch_map(|x| source::range(x..x + 1).boxed())
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .boxed()
            .switch_map(|x| source::range(x..x + 1))
            .boxed()
    });
    assert_nothing_after_cancel_in_on_next(|| {
        source::range(0..1u64)
            .switch_map(|x| source::range(x..x + 1))
            .boxed()
    });
}
