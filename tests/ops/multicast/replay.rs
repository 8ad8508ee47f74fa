//! `replay(history)`: the last `history` items for every new subscriber,
//! each subscriber at its own demand, upstream paced by the slowest.

use proptest::prelude::*;
use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
    UNBOUNDED,
};

use super::{upto, Flood, Panicky, Upstream};
use crate::harness::*;

/// `replay(everything)` connected at once.
fn recorded(n: u64) -> BoxPublisher<u64> {
    let replayed = source::range(0..n).replay(usize::MAX);
    replayed.connect();
    replayed.boxed()
}

#[test]
fn scenarios_replaying_a_recorded_stream() {
    assert_emits(|| recorded(10), &upto(10));
    assert_emits(|| recorded(0), &[]);
}

/// The error is part of the recording: it comes after the items.
#[test]
fn an_error_is_replayed_after_the_items() {
    assert_error_passes_through(
        |up| {
            let replayed = up.replay(usize::MAX);
            replayed.connect();
            replayed.boxed()
        },
        &[0, 1, 2],
    );
}

#[test]
fn a_late_subscriber_gets_the_last_items_then_the_end() {
    let replayed = source::range(0..10u64).replay(3);
    replayed.connect();
    let late = TestSubscriber::unbounded();
    replayed.subscribe(late.clone());
    late.assert_values(&[7, 8, 9]).assert_complete();
    // history 0: only the end.
    let none = source::range(0..10u64).replay(0);
    none.connect();
    let late = TestSubscriber::new(0);
    none.subscribe(late.clone());
    late.assert_no_values().assert_complete();
}

#[test]
fn each_subscriber_is_served_at_its_own_demand() {
    let replayed = source::range(0..10u64).replay(usize::MAX);
    let a = TestSubscriber::new(1);
    let b = TestSubscriber::new(5);
    replayed.subscribe(a.clone());
    replayed.subscribe(b.clone());
    replayed.connect();
    a.assert_values(&[0]);
    b.assert_values(&upto(5));
    a.request(2);
    a.assert_values(&[0, 1, 2]);
    b.assert_values(&upto(5));
    b.request(UNBOUNDED);
    b.assert_values(&upto(10)).assert_complete();
    a.assert_not_terminated();
    a.request(7);
    a.assert_values(&upto(10)).assert_complete();
}

#[test]
fn a_subscriber_joining_the_live_stream_starts_history_items_back() {
    let replayed = source::range(0..100u64).replay(2);
    let live = TestSubscriber::new(5);
    replayed.subscribe(live.clone());
    replayed.connect();
    live.assert_values(&upto(5));
    // The newest item received is far ahead (prefetched); the late one
    // starts 2 before the newest received, which `live` has not seen yet.
    let late = TestSubscriber::new(2);
    replayed.subscribe(late.clone());
    let received = late.values();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1], received[0] + 1);
    assert!(received[0] >= 5, "{received:?}");
}

#[test]
fn upstream_is_paced_by_the_slowest_subscriber() {
    let upstream = Upstream::new(source::range(0..10_000u64));
    let replayed = upstream.clone().replay(0);
    let idle = TestSubscriber::new(0);
    let eager = TestSubscriber::unbounded();
    replayed.subscribe(idle.clone());
    replayed.subscribe(eager.clone());
    replayed.connect();
    // The idle one is at 0: upstream was asked for 256 only.
    assert_eq!(upstream.requests(), [256]);
    eager.assert_value_count(256);
    // It takes 191: not yet the 75% mark (256 - 191 = 65 > 64 outstanding).
    idle.request(191);
    assert_eq!(upstream.requests(), [256]);
    idle.request(1);
    assert_eq!(upstream.requests(), [256, 192]);
    eager.assert_value_count(448);
    idle.cancel(); // the eager one is the slowest now
    eager.assert_value_count(10_000).assert_complete();
}

#[test]
fn with_no_subscriber_a_connection_keeps_requesting_and_keeps_the_last_items() {
    let upstream = Upstream::new(source::range(0..1_000u64));
    let replayed = upstream.clone().replay(2);
    let connection = replayed.connect();
    assert!(connection.is_terminated());
    assert_eq!(upstream.emitted(), 1_000);
    let late = TestSubscriber::unbounded();
    replayed.subscribe(late.clone());
    late.assert_values(&[998, 999]).assert_complete();
}

#[test]
fn disconnect_fails_the_subscribers_at_once() {
    let upstream = Upstream::new(source::never::<u64>());
    let replayed = upstream.clone().replay(5);
    let ts = TestSubscriber::new(0);
    replayed.subscribe(ts.clone());
    let connection = replayed.connect();
    connection.disconnect();
    assert_eq!(upstream.cancels(), 1);
    ts.assert_error_message("disconnected");
    // A new subscriber waits for the next connection.
    let next = TestSubscriber::new(0);
    replayed.subscribe(next.clone());
    next.assert_not_terminated();
}

#[test]
fn disconnect_after_the_end_changes_nothing() {
    let replayed = source::range(0..3u64).replay(usize::MAX);
    let ts = TestSubscriber::new(1);
    replayed.subscribe(ts.clone());
    let connection = replayed.connect();
    connection.disconnect();
    ts.request(10);
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn request_zero_fails_that_subscriber_only() {
    let replayed = source::range(0..4u64).replay(usize::MAX);
    replayed.connect();
    let bad = TestSubscriber::new(1);
    let good = TestSubscriber::new(1);
    replayed.subscribe(bad.clone());
    replayed.subscribe(good.clone());
    bad.request(0);
    bad.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    good.request(10);
    good.assert_values(&upto(4)).assert_complete();
}

#[test]
fn a_panicking_subscriber_is_dropped_and_the_others_go_on() {
    let replayed = source::range(0..4u64).replay(usize::MAX);
    replayed.subscribe(Panicky);
    let good = TestSubscriber::unbounded();
    replayed.subscribe(good.clone());
    replayed.connect();
    good.assert_values(&upto(4)).assert_complete();
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let flood = Flood::new(1_000);
    let replayed = flood.clone().replay(usize::MAX);
    let ts = TestSubscriber::new(2);
    replayed.subscribe(ts.clone());
    replayed.connect();
    assert!(flood.cancelled.load(std::sync::atomic::Ordering::SeqCst));
    ts.assert_values(&[0, 1]).assert_not_terminated();
    // The 256 requested were recorded; the overflow error comes after them.
    ts.request(UNBOUNDED);
    ts.assert_values(&upto(256))
        .assert_error_kind(ErrorKind::Overflow);
}

#[test]
fn a_failed_source_is_replayed_to_every_subscriber() {
    let error = Error::new("boom");
    let replayed = source::error::<u64>(error.clone()).replay(4);
    replayed.connect();
    for _ in 0..2 {
        let ts = TestSubscriber::new(0);
        replayed.subscribe(ts.clone());
        assert!(ts.error().unwrap().ptr_eq(&error));
    }
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// A subscriber of a full recording sees the source, under random demand.
    #[test]
    fn matches_the_source(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || {
                let replayed = source::from_iter(items.clone()).replay(usize::MAX);
                replayed.connect();
                replayed.boxed()
            },
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// Three subscribers (two from the start, one joining after `join_at`
    /// requests) with random demand: each gets exactly `min(its demand,
    /// available)` items of the source, in order, whatever the others asked
    /// for; the late one's starts `history` items back from the newest.
    #[test]
    fn every_subscriber_gets_its_own_demand(
        n in 0u64..40,
        history in 0usize..8,
        join_at in 0usize..10,
        requests in proptest::collection::vec((0usize..3, prop_oneof![1u64..6, Just(UNBOUNDED)]), 0..20),
    ) {
        let replayed = source::range(0..n).replay(history);
        let subs: Vec<TestSubscriber<u64>> = (0..3).map(|_| TestSubscriber::new(0)).collect();
        replayed.subscribe(subs[0].clone());
        replayed.subscribe(subs[1].clone());
        replayed.connect();
        let mut joined = false;
        let mut demand = [0u64; 3];
        for (i, &(who, amount)) in requests.iter().enumerate() {
            if i == join_at {
                replayed.subscribe(subs[2].clone());
                joined = true;
            }
            if who == 2 && !joined {
                continue;
            }
            subs[who].request(amount);
            demand[who] = demand[who].saturating_add(amount).min(UNBOUNDED);
        }
        for (who, ts) in subs.iter().enumerate() {
            prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
            let got = ts.values();
            if who < 2 {
                // From the start: every item, up to the demand.
                prop_assert_eq!(&got, &upto(demand[who].min(n)));
                prop_assert_eq!(ts.is_complete(), demand[who] >= n);
            } else if joined {
                // The range (under 256 items) was recorded whole inside
                // `connect`: the late one starts `history` back from its end.
                let start = n.saturating_sub(history as u64);
                let window: Vec<u64> = (start..n).take(demand[2].min(n) as usize).collect();
                prop_assert_eq!(&got, &window);
                prop_assert_eq!(ts.is_complete(), demand[2] >= n - start);
            } else {
                prop_assert!(got.is_empty());
            }
        }
    }
}
