//! `publish`: a connectable multicast paced by the slowest subscriber.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use proptest::prelude::*;
use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
    UNBOUNDED,
};

use super::{assert_all, upto, Flood, Panicky, Upstream};
use crate::harness::*;

/// `publish()` connected at once: the items wait for the first subscriber.
fn connected(n: u64) -> BoxPublisher<u64> {
    let published = source::range(0..n).publish();
    published.connect();
    published.boxed()
}

#[test]
fn scenarios_with_the_connection_made_before_subscribing() {
    assert_emits(|| connected(10), &upto(10));
    assert_emits(|| connected(0), &[]);
}

/// Connected before the subscriber arrives, the whole stream (3 items and
/// the error) is recorded first; the error then overtakes the queued items.
#[test]
fn an_error_reaches_a_late_subscriber_at_once_without_the_queued_items() {
    assert_error_passes_through(
        |up| {
            let published = up.publish();
            published.connect();
            published.boxed()
        },
        &[],
    );
}

#[test]
fn an_error_passes_through_after_the_items_emitted_before_it() {
    let error = Error::new("upstream failed");
    let published = items_then_error(3, error.clone()).publish();
    let ts = TestSubscriber::unbounded();
    published.subscribe(ts.clone());
    published.connect();
    ts.assert_values(&[0, 1, 2]);
    assert!(ts.error().expect("an error").ptr_eq(&error));
    ts.assert_no_violations();
}

#[test]
fn nothing_flows_before_connect() {
    let upstream = Upstream::new(source::range(0..5u64));
    let published = upstream.clone().publish();
    let ts = TestSubscriber::unbounded();
    published.subscribe(ts.clone());
    ts.assert_subscribed()
        .assert_no_values()
        .assert_not_terminated();
    assert_eq!(upstream.subscriptions(), 0);
    published.connect();
    ts.assert_values(&upto(5)).assert_complete();
    assert_eq!(upstream.subscriptions(), 1);
}

#[test]
fn the_slowest_subscriber_paces_every_subscriber_exactly() {
    let published = source::range(0..20u64).publish();
    let fast = TestSubscriber::new(10);
    let slow = TestSubscriber::new(3);
    published.subscribe(fast.clone());
    published.subscribe(slow.clone());
    published.connect();
    // The fast one gets only as far as the slow one allows.
    assert_all(&[&fast, &slow], &upto(3));
    slow.request(2);
    assert_all(&[&fast, &slow], &upto(5));
    // Now the fast one is the slow one: 10 requested, 5 received.
    slow.request(100);
    assert_all(&[&fast, &slow], &upto(10));
    fast.request(1);
    assert_all(&[&fast, &slow], &upto(11));
    // Once the slow one leaves, the other goes at its own pace.
    fast.cancel();
    slow.assert_values(&upto(20)).assert_complete();
    assert!(!fast.is_complete());
}

#[test]
fn a_subscriber_without_demand_holds_everyone_back() {
    let published = source::range(0..5u64).publish();
    let eager = TestSubscriber::unbounded();
    let idle = TestSubscriber::new(0);
    published.subscribe(eager.clone());
    published.subscribe(idle.clone());
    published.connect();
    assert_all(&[&eager, &idle], &[]);
    idle.request(1);
    assert_all(&[&eager, &idle], &[0]);
    idle.cancel(); // leaving releases the others
    eager.assert_values(&upto(5)).assert_complete();
}

#[test]
fn late_subscribers_see_only_the_items_not_yet_emitted() {
    let published = source::range(0..10u64).publish();
    let early = TestSubscriber::new(3);
    published.subscribe(early.clone());
    published.connect();
    early.assert_values(&[0, 1, 2]);
    let late = TestSubscriber::new(0);
    published.subscribe(late.clone());
    early.request(2); // held back by the late one now
    early.assert_values(&[0, 1, 2]);
    late.request(UNBOUNDED);
    early.assert_values(&[0, 1, 2, 3, 4]);
    late.assert_values(&[3, 4]);
    early.request(UNBOUNDED);
    early.assert_values(&upto(10)).assert_complete();
    late.assert_values(&[3, 4, 5, 6, 7, 8, 9]).assert_complete();
}

#[test]
fn prefetches_from_upstream_and_replenishes_at_75_percent() {
    let upstream = Upstream::new(source::range(0..100u64));
    let published = upstream.clone().publish_with_prefetch(8);
    published.connect();
    // Nobody subscribed: 8 requested, 8 queued, nothing more.
    assert_eq!((upstream.requests(), upstream.emitted()), (vec![8], 8));
    let ts = TestSubscriber::new(5);
    published.subscribe(ts.clone());
    ts.assert_values(&upto(5));
    // 6 = 8 - 8/4 emitted replenish 6; 5 emitted do not.
    assert_eq!(upstream.requests(), [8]);
    ts.request(1);
    assert_eq!(upstream.requests(), [8, 6]);
    assert_eq!(upstream.emitted(), 14);
    ts.request(UNBOUNDED);
    ts.assert_values(&upto(100)).assert_complete();
    // Never more than 8 outstanding: requests come in steps of 6.
    assert!(upstream.requests()[1..].iter().all(|&n| n == 6));
}

#[test]
fn the_default_prefetch_is_256() {
    let upstream = Upstream::new(source::range(0..10_000u64));
    let published = upstream.clone().publish();
    published.connect();
    assert_eq!(upstream.requests(), [256]);
    let ts = TestSubscriber::new(192);
    published.subscribe(ts.clone());
    ts.assert_value_count(192);
    assert_eq!(upstream.requests(), [256, 192]);
}

#[test]
fn subscribers_after_the_end_get_it_at_once() {
    let published = source::range(0..2u64).publish();
    let first = TestSubscriber::unbounded();
    published.subscribe(first.clone());
    published.connect();
    first.assert_values(&[0, 1]).assert_complete();
    let late = TestSubscriber::new(0);
    published.subscribe(late.clone());
    late.assert_no_values().assert_complete();

    let error = Error::new("boom");
    let failed = source::error::<u64>(error.clone()).publish();
    failed.connect();
    let late = TestSubscriber::new(0);
    failed.subscribe(late.clone());
    assert!(late.error().expect("the error").ptr_eq(&error));
}

#[test]
fn completion_waits_for_the_queued_items() {
    let published = source::range(0..3u64).publish();
    published.connect(); // range done; 3 items queued
    let ts = TestSubscriber::new(2);
    published.subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn connecting_twice_subscribes_upstream_once() {
    let upstream = Upstream::new(source::never::<u64>());
    let published = upstream.clone().publish();
    let a = published.connect();
    let b = published.connect();
    assert_eq!(upstream.subscriptions(), 1);
    b.disconnect();
    assert!(a.is_disconnected(), "both handles are the same connection");
}

#[test]
fn disconnect_cancels_upstream_and_fails_the_subscribers() {
    let upstream = Upstream::new(source::range(0..1_000u64));
    let published = upstream.clone().publish_with_prefetch(4);
    let ts = TestSubscriber::new(2);
    published.subscribe(ts.clone());
    let connection = published.connect();
    ts.assert_values(&[0, 1]);
    connection.disconnect();
    assert_eq!(upstream.cancels(), 1);
    ts.assert_error_message("disconnected")
        .assert_error_kind(ErrorKind::Other);
    assert!(connection.is_disconnected() && connection.is_terminated());
    connection.disconnect(); // idempotent
    assert_eq!(upstream.cancels(), 1);

    // A new subscriber waits for the next connection, which starts over.
    let next = TestSubscriber::unbounded();
    published.subscribe(next.clone());
    next.assert_no_values().assert_not_terminated();
    let again = published.connect();
    assert!(!again.is_disconnected());
    next.assert_value_count(1_000).assert_complete();
    assert_eq!(upstream.subscriptions(), 2);
}

#[test]
fn disconnect_before_upstream_subscribes_cancels_it_on_arrival() {
    let upstream = Upstream::new(source::never::<u64>());
    let published = upstream.clone().publish();
    let connection = published.connect();
    connection.disconnect();
    assert_eq!(upstream.cancels(), 1);
}

#[test]
fn connect_after_the_end_starts_a_new_connection() {
    let subscriptions = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&subscriptions);
    let published = source::defer(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        source::range(0..2u64)
    })
    .publish();
    let first = published.connect();
    let ts = TestSubscriber::unbounded();
    published.subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_complete();
    assert!(first.is_terminated());
    published.connect(); // the range runs into the new connection's queue
    let ts = TestSubscriber::unbounded();
    published.subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_complete();
    assert_eq!(subscriptions.load(Ordering::SeqCst), 2);
}

#[test]
fn a_cancelled_subscriber_is_dropped_and_upstream_kept() {
    let upstream = Upstream::new(source::range(0..10u64));
    let published = upstream.clone().publish();
    let a = TestSubscriber::new(1);
    let b = TestSubscriber::new(1);
    published.subscribe(a.clone());
    published.subscribe(b.clone());
    published.connect();
    a.cancel();
    b.cancel();
    assert_eq!(upstream.cancels(), 0, "publish disconnects only on request");
    let c = TestSubscriber::unbounded();
    published.subscribe(c.clone());
    c.assert_values(&[1, 2, 3, 4, 5, 6, 7, 8, 9])
        .assert_complete();
}

#[test]
fn request_zero_fails_that_subscriber_only() {
    let published = source::range(0..4u64).publish();
    let bad = TestSubscriber::new(1);
    let good = TestSubscriber::new(1);
    published.subscribe(bad.clone());
    published.subscribe(good.clone());
    published.connect();
    assert_all(&[&bad, &good], &[0]);
    bad.request(0);
    bad.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    good.request(10);
    good.assert_values(&upto(4)).assert_complete();
}

#[test]
fn a_panicking_subscriber_is_dropped_and_the_others_go_on() {
    let published = source::range(0..4u64).publish();
    let good = TestSubscriber::unbounded();
    published.subscribe(Panicky);
    published.subscribe(good.clone());
    published.connect();
    good.assert_values(&upto(4)).assert_complete();
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let flood = Flood::new(100);
    let published = flood.clone().publish_with_prefetch(8);
    let ts = TestSubscriber::new(2);
    published.subscribe(ts.clone());
    published.connect();
    ts.assert_error_kind(ErrorKind::Overflow);
    assert!(flood.cancelled.load(Ordering::SeqCst));
}

#[test]
fn a_subscriber_subscribing_from_inside_on_next_joins_before_the_next_item() {
    use std::sync::Mutex;
    let published = source::range(0..5u64).publish();
    let late = TestSubscriber::unbounded();
    let joined = Arc::new(Mutex::new(Some(late.clone())));
    let p = published.clone();
    let early = reactive_streams::LambdaSubscriber::new(move |x: u64| {
        if x == 1 {
            if let Some(ts) = joined.lock().unwrap().take() {
                p.subscribe(ts);
            }
        }
    });
    published.subscribe(early);
    published.connect();
    late.assert_values(&[2, 3, 4]).assert_complete();
}

/// Random demand for three subscribers; after every request each has
/// received exactly `min(every subscriber's demand, n)` items, the same
/// prefix of the reference (exact slowest pacing, never above demand).
fn lockstep(n: u64, requests: &[(usize, u64)]) -> Result<(), TestCaseError> {
    let published = source::range(0..n).publish_with_prefetch(4);
    let subs: Vec<TestSubscriber<u64>> = (0..3).map(|_| TestSubscriber::new(0)).collect();
    for ts in &subs {
        published.subscribe(ts.clone());
    }
    published.connect();
    let mut demand = [0u64; 3];
    for &(who, amount) in requests {
        subs[who].request(amount);
        demand[who] = demand[who].saturating_add(amount).min(UNBOUNDED);
        let expected = demand.iter().copied().min().unwrap().min(n);
        for ts in &subs {
            prop_assert_eq!(ts.values(), upto(expected));
            prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
            prop_assert_eq!(ts.is_complete(), expected == n);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::model::config())]

    #[test]
    fn every_subscriber_gets_exactly_what_the_slowest_allows(
        n in 0u64..30,
        requests in proptest::collection::vec((0usize..3, prop_oneof![1u64..5, Just(UNBOUNDED)]), 0..20),
    ) {
        lockstep(n, &requests)?;
    }
}

/// Issue 10: a connected `publish()` whose handles are all dropped used to
/// keep itself and its upstream alive forever (an `Arc` cycle), with a
/// `create` producer blocked on demand. The guard's drop disconnects:
/// upstream is cancelled and the producer sees it.
#[test]
fn a_dropped_disconnect_guard_cancels_upstream_and_frees_the_producer() {
    use reactive_streams::source::Overflow;
    use std::sync::mpsc;

    let (tx, rx) = mpsc::channel();
    let published = source::create(Overflow::Buffer(0), move |emitter: source::Emitter<u64>| {
        tx.send(emitter).unwrap();
    })
    .publish();
    let guard = published.connect().disconnect_on_drop();
    let emitter = rx.recv().unwrap();
    assert!(!emitter.is_cancelled());
    drop(published);
    drop(guard);
    assert!(
        emitter.is_cancelled(),
        "upstream cancelled by the guard's drop"
    );
}
