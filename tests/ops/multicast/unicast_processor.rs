//! `UnicastProcessor`: a bounded buffer for one subscriber, who may come
//! late; any other is refused.

use std::sync::atomic::Ordering;

use reactive_streams::processor::UnicastProcessor;
use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber,
    TestSubscriber, UNBOUNDED,
};

use super::{upto, Flood, Upstream};
use crate::harness::*;

/// A processor subscribed to `range(0..n)`; items wait for the subscriber.
fn fed(n: u64) -> BoxPublisher<u64> {
    let processor = UnicastProcessor::new();
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
    assert_error_passes_through(
        |up| {
            let processor = UnicastProcessor::new();
            up.subscribe(processor.clone());
            processor.boxed()
        },
        &[],
    );
    let error = Error::new("boom");
    let processor = UnicastProcessor::new();
    let ts = TestSubscriber::unbounded();
    processor.subscribe(ts.clone());
    items_then_error(3, error.clone()).subscribe(processor.clone());
    ts.assert_values(&[0, 1, 2]);
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn buffers_until_the_subscriber_arrives_and_asks() {
    let upstream = Upstream::new(source::range(0..100u64));
    let processor = UnicastProcessor::with_capacity(8);
    upstream.subscribe(processor.clone());
    // Bounded: 8 requested and buffered, nothing more.
    assert_eq!((upstream.requests(), upstream.emitted()), (vec![8], 8));
    let ts = TestSubscriber::new(5);
    processor.subscribe(ts.clone());
    ts.assert_values(&upto(5));
    assert_eq!(upstream.requests(), [8]);
    ts.request(1);
    assert_eq!(upstream.requests(), [8, 6]);
    ts.request(UNBOUNDED);
    ts.assert_values(&upto(100)).assert_complete();
}

#[test]
fn a_second_subscriber_is_refused() {
    let processor = UnicastProcessor::new();
    let first = TestSubscriber::new(1);
    processor.subscribe(first.clone());
    let second = TestSubscriber::<u64>::unbounded();
    processor.subscribe(second.clone());
    second
        .assert_subscribed()
        .assert_no_values()
        .assert_error_kind(ErrorKind::Other)
        .assert_error_message("one subscriber");
    source::range(0..3u64).subscribe(processor.clone());
    first.assert_values(&[0]);
}

#[test]
fn cancel_cancels_upstream_and_drops_the_buffer() {
    let upstream = Upstream::new(source::range(0..100u64));
    let processor = UnicastProcessor::with_capacity(8);
    upstream.subscribe(processor.clone());
    let ts = TestSubscriber::new(2);
    processor.subscribe(ts.clone());
    ts.cancel();
    assert_eq!(upstream.cancels(), 1);
    ts.assert_values(&[0, 1]).assert_not_terminated();
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_upstream() {
    let upstream = Upstream::new(source::never::<u64>());
    let processor = UnicastProcessor::new();
    upstream.subscribe(processor.clone());
    let ts = TestSubscriber::<u64>::new(0);
    processor.subscribe(ts.clone());
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(upstream.cancels(), 1);
}

#[test]
fn items_need_not_be_clone() {
    struct Token(u32);
    let processor = UnicastProcessor::new();
    source::range(0..3u32)
        .map(Token)
        .subscribe(processor.clone());
    let ts = TestSubscriber::unbounded();
    processor.map(|t: Token| t.0).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn completion_without_a_subscriber_waits_for_it() {
    let processor = UnicastProcessor::<u64>::new();
    let mut upstream = processor.clone();
    upstream.on_complete();
    let ts = TestSubscriber::new(0);
    processor.subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

#[test]
fn an_upstream_that_ignores_demand_fails_with_overflow() {
    let flood = Flood::new(100);
    let processor = UnicastProcessor::with_capacity(4);
    let ts = TestSubscriber::new(0);
    processor.subscribe(ts.clone());
    flood.subscribe(processor.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Overflow);
    assert!(flood.cancelled.load(Ordering::SeqCst));
}

#[test]
fn items_from_another_thread_arrive_in_order() {
    let processor = UnicastProcessor::with_capacity(16);
    let ts = TestSubscriber::new(0);
    processor.subscribe(ts.clone());
    let upstream = processor.clone();
    let producer = std::thread::spawn(move || source::range(0..10_000u64).subscribe(upstream));
    let requester = {
        let ts = ts.clone();
        std::thread::spawn(move || {
            for _ in 0..10_000 / 3 + 1 {
                ts.request(3);
            }
        })
    };
    producer.join().unwrap();
    requester.join().unwrap();
    ts.await_terminal(WAIT)
        .assert_values(&upto(10_000))
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// The processor's subscriber sees the source, under random demand.
    #[test]
    fn matches_the_source(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || {
                let processor = UnicastProcessor::with_capacity(8);
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
