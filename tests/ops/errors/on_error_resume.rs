use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::{
    source, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber,
};

use crate::backpressure::support::{fast_producer, Manual, RequestProbe};
use crate::harness::*;
use crate::model::{check_model, config, schedule, Mode, ModelEnd};

#[test]
fn scenarios() {
    assert_emits(
        || {
            items_then_error(3, Error::new("boom"))
                .on_error_resume(|_| source::range(10..13u64))
                .boxed()
        },
        &[0, 1, 2, 10, 11, 12],
    );
}

#[test]
fn a_completing_stream_never_calls_f() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .on_error_resume(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            source::empty()
        })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn f_receives_the_upstream_error() {
    let error = Error::new("the one");
    let expected = error.clone();
    let seen = Arc::new(Mutex::new(None));
    let sink = Arc::clone(&seen);
    let ts = TestSubscriber::unbounded();
    source::error::<u64>(error)
        .on_error_resume(move |e| {
            *sink.lock().unwrap() = Some(e);
            source::just(1u64)
        })
        .subscribe(ts.clone());
    ts.assert_values(&[1]).assert_complete();
    assert!(seen.lock().unwrap().as_ref().unwrap().ptr_eq(&expected));
}

#[test]
fn unserved_demand_carries_over_to_the_fallback_exactly() {
    let fallback = RequestProbe::new(source::range(100..200u64));
    let fb = fallback.clone();
    let ts = TestSubscriber::new(5);
    items_then_error(2, Error::new("boom"))
        .on_error_resume(move |_| fb.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 100, 101, 102])
        .assert_not_terminated();
    assert_eq!(
        fallback.requests(),
        [3],
        "5 requested, 2 served by upstream"
    );
    ts.request(2);
    ts.assert_values(&[0, 1, 100, 101, 102, 103, 104]);
    assert_eq!(fallback.requests(), [3, 2]);
    ts.assert_no_violations();
}

#[test]
fn requests_made_before_the_switch_are_not_lost_or_doubled() {
    let manual = Manual::new();
    let fallback = RequestProbe::new(source::range(100..200u64));
    let fb = fallback.clone();
    let ts = TestSubscriber::new(1);
    manual
        .publisher()
        .on_error_resume(move |_| fb.publisher())
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(0).unwrap();
    ts.request(2); // reaches the source, which will not serve it
    ts.request(1);
    emitter.error(Error::new("boom"));
    ts.assert_values(&[0, 100, 101, 102])
        .assert_not_terminated();
    assert_eq!(fallback.requests(), [3]);
}

#[test]
fn an_error_of_the_fallback_passes_through() {
    let error = Error::new("fallback failed too");
    let second = error.clone();
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(1, Error::new("first"))
        .on_error_resume(move |_| source::error(second.clone()))
        .subscribe(ts.clone());
    ts.assert_values(&[0]);
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn a_panic_in_f_becomes_the_error_and_nothing_follows() {
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(2, Error::new("boom"))
        .on_error_resume(|_| -> BoxPublisher<u64> { panic!("no fallback today") })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("no fallback today");
}

#[test]
fn cancel_reaches_the_source_before_the_switch_and_f_is_not_called() {
    let source_probe = RequestProbe::new(source::never::<u64>());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let ts = TestSubscriber::new(1);
    source_probe
        .publisher()
        .on_error_resume(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            source::empty()
        })
        .subscribe(ts.clone());
    ts.cancel();
    assert!(source_probe.was_cancelled());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn cancel_reaches_the_fallback_after_the_switch() {
    let fallback = RequestProbe::new(source::never::<u64>());
    let fb = fallback.clone();
    let ts = TestSubscriber::new(1);
    source::error::<u64>(Error::new("boom"))
        .on_error_resume(move |_| fb.publisher())
        .subscribe(ts.clone());
    assert_eq!(fallback.requests(), [1]);
    ts.cancel();
    assert!(fallback.was_cancelled());
}

#[test]
fn cancel_inside_on_subscribe_subscribes_nothing() {
    let probe = RequestProbe::new(source::range(0..3u64));
    let ts = TestSubscriber::<u64>::new(0);
    ts.cancel(); // before the subscription arrives
    probe
        .publisher()
        .on_error_resume(|_| source::empty())
        .subscribe(ts.clone());
    assert_eq!(probe.subscribed(), 0);
    ts.assert_no_values().assert_not_terminated();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error_not_resumed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..10u64)
        .on_error_resume(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            source::empty()
        })
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn a_fast_producer_thread_fails_and_a_slow_consumer_gets_everything() {
    let (publisher, done) = fast_producer(500, Some(Error::new("producer died")));
    let ts = TestSubscriber::new(0);
    publisher
        .on_error_resume(|_| source::range(1_000..1_010u64))
        .subscribe(ts.clone());
    for i in 0..510usize {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.request(1);
    let expected: Vec<u64> = (0..500).chain(1_000..1_010).collect();
    ts.await_terminal(WAIT)
        .assert_values(&expected)
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(config())]

    /// Against `items.chain(fallback)`, under random demand.
    #[test]
    fn matches_the_iterator_model(
        items in proptest::collection::vec(0u64..1000, 0..25),
        fallback in proptest::collection::vec(0u64..1000, 0..25),
        fallback_fails in proptest::bool::ANY,
        schedule in schedule(),
    ) {
        let reference: Vec<u64> = items.iter().chain(&fallback).copied().collect();
        let end = if fallback_fails { ModelEnd::Error("second") } else { ModelEnd::Complete };
        let make = || {
            let items = items.clone();
            let fallback = fallback.clone();
            source::generate(|| 0usize, move |i, sink| {
                if *i < items.len() {
                    sink.next(items[*i]);
                    *i += 1;
                } else {
                    sink.error(Error::new("first"));
                }
            })
            .on_error_resume(move |_| {
                let fallback = fallback.clone();
                source::generate(|| 0usize, move |i, sink| {
                    if *i < fallback.len() {
                        sink.next(fallback[*i]);
                        *i += 1;
                    } else if fallback_fails {
                        sink.error(Error::new("second"));
                    } else {
                        sink.complete();
                    }
                })
            })
            .boxed()
        };
        check_model(make, &reference, end, Mode::Sync, &schedule)?;
    }
}
