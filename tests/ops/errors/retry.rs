use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use crate::backpressure::support::{fast_producer, Manual, RequestProbe};
use crate::harness::*;
use crate::model::{check_model, config, schedule, Mode, ModelEnd};

/// A source whose attempt `k` (counted from 0) emits `attempts[k]` and then
/// fails, except the last attempt, which completes. The error of attempt `k`
/// says "attempt k".
fn flaky(attempts: Vec<Vec<u64>>) -> (BoxPublisher<u64>, Arc<AtomicU64>) {
    let count = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&count);
    let attempts = Arc::new(attempts);
    let publisher = source::defer(move || {
        let k = counter.fetch_add(1, Ordering::SeqCst) as usize;
        let attempts = Arc::clone(&attempts);
        let last = k + 1 >= attempts.len();
        let items = attempts.get(k).cloned().unwrap_or_default();
        source::generate(
            || 0usize,
            move |i, sink| {
                if *i < items.len() {
                    sink.next(items[*i]);
                    *i += 1;
                } else if last {
                    sink.complete();
                } else {
                    sink.error(Error::new(format!("attempt {k}")));
                }
            },
        )
    })
    .boxed();
    (publisher, count)
}

#[test]
fn scenarios() {
    assert_emits(
        || {
            flaky(vec![vec![0, 1], vec![2], vec![100, 101, 102]])
                .0
                .retry(2)
                .boxed()
        },
        &[0, 1, 2, 100, 101, 102],
    );
}

#[test]
fn the_error_of_the_last_allowed_attempt_passes_on() {
    let (publisher, attempts) = flaky(vec![vec![0], vec![1], vec![2], vec![3], vec![4]]);
    let ts = TestSubscriber::unbounded();
    publisher.retry(2).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2])
        .assert_error_message("attempt 2");
    assert_eq!(attempts.load(Ordering::SeqCst), 3, "1 + 2 retries");
}

#[test]
fn retry_zero_is_the_source_itself() {
    let error = Error::new("once");
    let ts = TestSubscriber::<u64>::unbounded();
    source::error(error.clone()).retry(0).subscribe(ts.clone());
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn unserved_demand_carries_over_to_the_next_attempt_exactly() {
    let second = RequestProbe::new(source::range(100..200u64));
    let probe = second.clone();
    let count = Arc::new(AtomicU64::new(0));
    let source = source::defer(move || match count.fetch_add(1, Ordering::SeqCst) {
        0 => items_then_error(2, Error::new("first")),
        _ => probe.publisher(),
    });
    let ts = TestSubscriber::new(5);
    source.retry(1).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 100, 101, 102])
        .assert_not_terminated();
    assert_eq!(second.requests(), [3]);
    ts.request(1);
    ts.assert_values(&[0, 1, 100, 101, 102, 103]);
    ts.assert_no_violations();
}

#[test]
fn a_source_that_fails_synchronously_many_times_does_not_grow_the_stack() {
    let attempts = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&attempts);
    let error = Error::new("always");
    let always_failing = source::defer(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        source::error::<u64>(error.clone())
    });
    // Each attempt is several frames deep: recursion would overflow the
    // stack long before this.
    let times = if cfg!(miri) { 100 } else { 200_000 };
    let ts = TestSubscriber::<u64>::unbounded();
    always_failing.retry(times).subscribe(ts.clone());
    ts.assert_error_message("always");
    assert_eq!(attempts.load(Ordering::SeqCst), times + 1);
}

#[test]
fn cancel_reaches_the_current_attempt_and_stops_retrying() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(1);
    manual.publisher().retry(10).subscribe(ts.clone());
    manual.emitter().next(0).unwrap();
    manual.emitter().error(Error::new("first"));
    assert_eq!(manual.subscriptions(), 2);
    let second = manual.emitter();
    ts.cancel();
    assert!(second.is_cancelled());
    assert_eq!(manual.subscriptions(), 2, "no attempt after the cancel");
    ts.assert_values(&[0]).assert_not_terminated();
}

#[test]
fn an_error_racing_the_cancel_is_not_retried() {
    let manual = Manual::new();
    let ts = TestSubscriber::<u64>::new(1);
    manual.publisher().retry(10).subscribe(ts.clone());
    let emitter = manual.emitter();
    ts.cancel();
    emitter.error(Error::new("after the cancel")); // refused by create, and ignored
    assert_eq!(manual.subscriptions(), 1);
    ts.assert_not_terminated();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error_not_retried() {
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::<u64>::new(1);
    probe.publisher().retry(5).subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(probe.subscribed(), 1);
}

#[test]
fn a_completing_source_is_subscribed_once() {
    let probe = RequestProbe::new(source::range(0..3u64));
    let ts = TestSubscriber::unbounded();
    probe.publisher().retry(5).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(probe.subscribed(), 1);
}

#[test]
fn a_fast_producer_thread_fails_and_is_resubscribed_on_its_thread() {
    // Every attempt is a new producer thread racing through 200 items.
    let count = Arc::new(AtomicU64::new(0));
    let source = source::defer(move || {
        let k = count.fetch_add(1, Ordering::SeqCst);
        let end = (k < 2).then(|| Error::new("producer died"));
        fast_producer(200, end).0
    });
    let ts = TestSubscriber::new(0);
    source.retry(2).subscribe(ts.clone());
    for i in 0..600usize {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
    }
    ts.request(1);
    let expected: Vec<u64> = (0..3).flat_map(|_| 0..200).collect();
    ts.await_terminal(WAIT)
        .assert_values(&expected)
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(config())]

    /// Against the concatenation of the attempts allowed, ending with the
    /// completion of the last attempt or the error of the last one allowed.
    #[test]
    fn matches_the_iterator_model(
        attempts in proptest::collection::vec(proptest::collection::vec(0u64..1000, 0..8), 1..6),
        times in 0u64..6,
        schedule in schedule(),
    ) {
        let allowed = attempts.len().min(times as usize + 1);
        let reference: Vec<u64> = attempts[..allowed].iter().flatten().copied().collect();
        let end = if allowed == attempts.len() {
            ModelEnd::Complete
        } else {
            // The message of attempt `allowed - 1`.
            ModelEnd::Error(Box::leak(format!("attempt {}", allowed - 1).into_boxed_str()))
        };
        let make = || flaky(attempts.clone()).0.retry(times).boxed();
        check_model(make, &reference, end, Mode::Sync, &schedule)?;
    }
}
