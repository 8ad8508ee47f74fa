//! `MulticastProcessor`: coordinated emission to any number of subscribers,
//! a bounded queue, auto-cancel when the last subscriber leaves.

use std::sync::atomic::Ordering;

use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::processor::MulticastProcessor;
use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Subscriber, TestSubscriber,
    UNBOUNDED,
};

use super::{assert_all, upto, Flood, Panicky, Upstream};
use crate::harness::*;

/// A processor subscribed to `range(0..n)`; items wait for the subscriber.
fn fed(n: u64) -> BoxPublisher<u64> {
    let processor = MulticastProcessor::new();
    source::range(0..n).subscribe(processor.clone());
    processor.boxed()
}

#[test]
fn scenarios() {
    assert_emits(|| fed(10), &upto(10));
    assert_emits(|| fed(0), &[]);
}

#[test]
fn an_error_reaches_the_subscriber_at_once() {
    // Subscribed upstream first: the error overtakes the 3 queued items.
    assert_error_passes_through(
        |up| {
            let processor = MulticastProcessor::new();
            up.subscribe(processor.clone());
            processor.boxed()
        },
        &[],
    );
    // Subscribed downstream first, with unbounded demand: items, then error.
    let error = Error::new("boom");
    let processor = MulticastProcessor::new();
    let ts = TestSubscriber::unbounded();
    processor.subscribe(ts.clone());
    items_then_error(3, error.clone()).subscribe(processor.clone());
    ts.assert_values(&[0, 1, 2]);
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn an_error_does_not_wait_for_demand() {
    let processor = MulticastProcessor::<u64>::new();
    let (a, b) = (TestSubscriber::new(0), TestSubscriber::new(1));
    processor.subscribe(a.clone());
    processor.subscribe(b.clone());
    let mut upstream = processor.clone();
    let error = Error::new("boom");
    upstream.on_error(error.clone()); // §4.2, without on_subscribe even
    assert!(a.error().unwrap().ptr_eq(&error));
    assert!(b.error().unwrap().ptr_eq(&error));
}

#[test]
fn the_slowest_subscriber_paces_every_subscriber_exactly() {
    let processor = MulticastProcessor::with_capacity(4);
    let (fast, slow) = (TestSubscriber::new(8), TestSubscriber::new(1));
    processor.subscribe(fast.clone());
    processor.subscribe(slow.clone());
    source::range(0..10u64).subscribe(processor.clone());
    assert_all(&[&fast, &slow], &[0]);
    slow.request(3);
    assert_all(&[&fast, &slow], &upto(4));
    slow.request(UNBOUNDED);
    assert_all(&[&fast, &slow], &upto(8));
    fast.request(UNBOUNDED);
    assert_all(&[&fast, &slow], &upto(10));
    fast.assert_complete();
    slow.assert_complete();
}

#[test]
fn late_subscribers_see_the_items_not_yet_emitted() {
    let processor = MulticastProcessor::new();
    let early = TestSubscriber::new(2);
    processor.subscribe(early.clone());
    source::range(0..6u64).subscribe(processor.clone());
    early.assert_values(&[0, 1]);
    let late = TestSubscriber::unbounded();
    processor.subscribe(late.clone());
    late.assert_no_values(); // held back by `early`, which has no demand
    early.request(UNBOUNDED);
    early.assert_values(&upto(6)).assert_complete();
    late.assert_values(&[2, 3, 4, 5]).assert_complete();
}

#[test]
fn requests_its_capacity_and_replenishes_at_75_percent() {
    let upstream = Upstream::new(source::range(0..100u64));
    let processor = MulticastProcessor::with_capacity(8);
    upstream.subscribe(processor.clone());
    assert_eq!((upstream.requests(), upstream.emitted()), (vec![8], 8));
    let ts = TestSubscriber::new(6);
    processor.subscribe(ts.clone());
    ts.assert_values(&upto(6));
    assert_eq!(upstream.requests(), [8, 6]);
    ts.request(UNBOUNDED);
    ts.assert_values(&upto(100)).assert_complete();
}

#[test]
fn a_huge_capacity_is_clamped_to_2_pow_20() {
    let upstream = Upstream::new(source::never::<u64>());
    upstream.subscribe(MulticastProcessor::with_capacity(usize::MAX));
    assert_eq!(upstream.requests(), [1 << 20]);
    let published = Upstream::new(source::never::<u64>());
    published
        .clone()
        .publish_with_prefetch(usize::MAX)
        .connect();
    assert_eq!(published.requests(), [1 << 20]);
}

#[test]
fn the_last_subscriber_leaving_cancels_upstream() {
    let upstream = Upstream::new(source::range(0..1_000u64));
    let processor = MulticastProcessor::new();
    let (a, b) = (TestSubscriber::new(1), TestSubscriber::new(1));
    processor.subscribe(a.clone());
    processor.subscribe(b.clone());
    upstream.subscribe(processor.clone());
    a.cancel();
    assert_eq!(upstream.cancels(), 0);
    b.cancel();
    assert_eq!(upstream.cancels(), 1);
    // Later subscribers complete at once.
    let late = TestSubscriber::<u64>::new(0);
    processor.subscribe(late.clone());
    late.assert_no_values().assert_complete();
}

#[test]
fn a_second_upstream_is_cancelled() {
    let processor = MulticastProcessor::new();
    let first = Upstream::new(source::never::<u64>());
    let second = Upstream::new(source::range(0..3u64));
    first.subscribe(processor.clone());
    second.subscribe(processor.clone());
    assert_eq!((first.cancels(), second.cancels()), (0, 1));
    assert_eq!(second.emitted(), 0);
    let ts = TestSubscriber::unbounded();
    processor.subscribe(ts.clone());
    ts.assert_not_terminated(); // the second one's end does not count
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let flood = Flood::new(100);
    let processor = MulticastProcessor::with_capacity(4);
    let ts = TestSubscriber::new(2);
    processor.subscribe(ts.clone());
    flood.subscribe(processor.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Overflow);
    assert!(flood.cancelled.load(Ordering::SeqCst));
}

#[test]
fn a_panicking_subscriber_is_dropped_and_the_others_go_on() {
    let processor = MulticastProcessor::new();
    processor.subscribe(Panicky);
    let good = TestSubscriber::unbounded();
    processor.subscribe(good.clone());
    source::range(0..4u64).subscribe(processor.clone());
    good.assert_values(&upto(4)).assert_complete();
}

#[test]
fn items_from_another_thread_reach_subscribers_on_theirs() {
    let processor = MulticastProcessor::with_capacity(16);
    let subs: Vec<TestSubscriber<u64>> = (0..3).map(|_| TestSubscriber::new(0)).collect();
    for ts in &subs {
        processor.subscribe(ts.clone());
    }
    let upstream = processor.clone();
    let producer = std::thread::spawn(move || source::range(0..10_000u64).subscribe(upstream));
    let requesters: Vec<_> = subs
        .iter()
        .cloned()
        .map(|ts| {
            std::thread::spawn(move || {
                for _ in 0..10_000 / 7 + 1 {
                    ts.request(7);
                }
            })
        })
        .collect();
    producer.join().unwrap();
    for r in requesters {
        r.join().unwrap();
    }
    for ts in &subs {
        ts.await_terminal(WAIT)
            .assert_values(&upto(10_000))
            .assert_complete()
            .assert_no_violations();
    }
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// One subscriber of a processor fed by the source sees the source.
    #[test]
    fn matches_the_source(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || {
                let processor = MulticastProcessor::with_capacity(8);
                source::from_iter(items.clone()).subscribe(processor.clone());
                processor.boxed()
            },
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
