//! `share` (`publish().ref_count()`): connects on the first subscriber,
//! disconnects when the last cancels, reconnects for the next.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};

use super::{assert_all, upto, Panicky, Upstream};
use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(|| source::range(0..10u64).share().boxed(), &upto(10));
    assert_emits(|| source::range(0..0u64).share().boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.share().boxed(), &[0, 1, 2]);
}

#[test]
fn connects_on_the_first_subscriber_only() {
    let upstream = Upstream::new(source::range(0..10u64));
    let shared = upstream.clone().share();
    assert_eq!(upstream.subscriptions(), 0);
    let a = TestSubscriber::new(2);
    shared.subscribe(a.clone());
    assert_eq!(upstream.subscriptions(), 1);
    let b = TestSubscriber::new(5);
    shared.subscribe(b.clone());
    assert_eq!(upstream.subscriptions(), 1);
    // b joined after a had 0 and 1: it sees later items, paced with a.
    a.request(3);
    assert_all(&[&a], &upto(5));
    b.assert_values(&[2, 3, 4]);
}

#[test]
fn the_last_cancel_disconnects_and_the_next_subscriber_reconnects() {
    // More than the 256 prefetched, so that the stream is still live.
    let upstream = Upstream::new(source::range(0..1_000u64));
    let shared = upstream.clone().share();
    let a = TestSubscriber::new(1);
    let b = TestSubscriber::new(1);
    shared.subscribe(a.clone()); // connects; a gets 0
    shared.subscribe(b.clone()); // joins, held back by a
    a.assert_values(&[0]);
    b.assert_no_values();
    a.cancel();
    assert_eq!(upstream.cancels(), 0, "one subscriber is left");
    b.assert_values(&[1]);
    b.request(1);
    b.assert_values(&[1, 2]);
    b.cancel();
    assert_eq!(upstream.cancels(), 1, "the last one left");

    let c = TestSubscriber::new(3);
    shared.subscribe(c.clone());
    assert_eq!(upstream.subscriptions(), 2);
    c.assert_values(&[0, 1, 2]); // a new subscription: from the start
    assert!(b.error().is_none(), "the disconnect reached nobody");
}

#[test]
fn the_last_subscriber_failed_by_request_zero_disconnects_too() {
    let upstream = Upstream::new(source::never::<u64>());
    let shared = upstream.clone().share();
    let ts = TestSubscriber::<u64>::new(1);
    shared.subscribe(ts.clone());
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(reactive_streams::Rule::NON_POSITIVE_REQUEST));
    assert_eq!(upstream.cancels(), 1);
}

#[test]
fn reconnects_after_the_stream_ended() {
    let subscriptions = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&subscriptions);
    let shared = source::defer(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        source::range(0..3u64)
    })
    .share();
    for round in 1..=3 {
        let ts = TestSubscriber::unbounded();
        shared.subscribe(ts.clone());
        ts.assert_values(&[0, 1, 2]).assert_complete();
        assert_eq!(subscriptions.load(Ordering::SeqCst), round);
    }
}

#[test]
fn a_subscriber_that_cancels_in_on_subscribe_leaves_nothing_connected() {
    let upstream = Upstream::new(source::never::<u64>());
    let shared = upstream.clone().share();
    let ts = TestSubscriber::<u64>::new(0);
    ts.cancel(); // cancels as soon as it is subscribed
    shared.subscribe(ts.clone());
    assert_eq!(upstream.subscriptions(), 0, "never connected");
    let next = TestSubscriber::new(0);
    shared.subscribe(next.clone());
    assert_eq!(upstream.subscriptions(), 1);
    next.cancel();
    assert_eq!(upstream.cancels(), 1);
}

#[test]
fn resubscribing_from_inside_on_complete_reconnects() {
    use std::sync::Mutex;
    let subscriptions = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&subscriptions);
    let shared = source::defer(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        source::range(0..2u64)
    })
    .share();
    let second = TestSubscriber::unbounded();
    let slot = Arc::new(Mutex::new(Some(second.clone())));
    let again = shared.clone();
    let first = reactive_streams::LambdaSubscriber::new(|_: u64| {}).with_complete(move || {
        if let Some(ts) = slot.lock().unwrap().take() {
            again.subscribe(ts);
        }
    });
    shared.subscribe(first);
    second.assert_values(&[0, 1]).assert_complete();
    assert_eq!(subscriptions.load(Ordering::SeqCst), 2);
}

#[test]
fn a_panicking_subscriber_leaves_the_lease() {
    let upstream = Upstream::new(source::range(0..3u64));
    let shared = upstream.clone().share();
    let ts = TestSubscriber::new(0);
    shared.subscribe(ts.clone());
    shared.subscribe(Panicky);
    ts.request(UNBOUNDED);
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn replay_ref_count_replays_to_late_subscribers_of_the_live_connection() {
    let upstream = Upstream::new(source::range(0..10u64));
    let latest = upstream.clone().replay(2).ref_count();
    let a = TestSubscriber::new(4);
    latest.subscribe(a.clone());
    a.assert_values(&upto(4));
    let b = TestSubscriber::new(UNBOUNDED);
    latest.subscribe(b.clone());
    // Connected once; b starts 2 back from the newest item received.
    assert_eq!(upstream.subscriptions(), 1);
    b.assert_values(&[8, 9]).assert_complete();
}

#[test]
fn error_reaches_every_subscriber_of_the_connection() {
    let error = Error::new("boom");
    let shared = items_then_error(2, error.clone()).share();
    let ts = TestSubscriber::unbounded();
    shared.subscribe(ts.clone());
    ts.assert_values(&[0, 1]);
    assert!(ts.error().unwrap().ptr_eq(&error));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// A single subscriber of `share` sees the source as it is.
    #[test]
    fn matches_the_source(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).share().boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
