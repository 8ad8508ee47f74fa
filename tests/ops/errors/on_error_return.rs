use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::backpressure::support::{fast_producer, Manual, RequestProbe};
use crate::harness::*;
use crate::model::{check_model, config, schedule, Mode, ModelEnd};

#[test]
fn scenarios() {
    // The error comes on a pull, so with demand.
    assert_emits(
        || {
            items_then_error(3, Error::new("boom"))
                .on_error_return(|_| 99)
                .boxed()
        },
        &[0, 1, 2, 99],
    );
    // The error comes right after the items, with no demand left.
    assert_emits(
        || {
            source::create(source::Overflow::Unbounded, |emitter| {
                (0..3u64).for_each(|i| emitter.next(i).unwrap());
                emitter.error(Error::new("boom"));
            })
            .on_error_return(|_| 99)
            .boxed()
        },
        &[0, 1, 2, 99],
    );
}

#[test]
fn a_completing_stream_passes_through_without_calling_f() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    assert_emits(
        move || {
            let counter = Arc::clone(&counter);
            source::range(0..4u64)
                .on_error_return(move |_| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    99
                })
                .boxed()
        },
        &[0, 1, 2, 3],
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn f_receives_the_upstream_error() {
    let error = Error::new("the one");
    let expected = error.clone();
    let seen = Arc::new(std::sync::Mutex::new(None));
    let sink = Arc::clone(&seen);
    let ts = TestSubscriber::unbounded();
    source::error::<u64>(error)
        .on_error_return(move |e| {
            *sink.lock().unwrap() = Some(e);
            7
        })
        .subscribe(ts.clone());
    ts.assert_values(&[7]).assert_complete();
    assert!(seen.lock().unwrap().as_ref().unwrap().ptr_eq(&expected));
}

#[test]
fn the_fallback_waits_for_demand() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(2);
    manual
        .publisher()
        .on_error_return(|_| 99u64)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(0).unwrap();
    emitter.next(1).unwrap();
    emitter.error(Error::new("boom"));
    // Demand 2 was used by the items: the fallback is parked, not emitted.
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[0, 1, 99]).assert_complete();
    ts.assert_no_violations();
}

#[test]
fn the_fallback_goes_out_at_once_with_demand_left() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(3);
    manual
        .publisher()
        .on_error_return(|_| 99u64)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(0).unwrap();
    emitter.error(Error::new("boom"));
    ts.assert_values(&[0, 99]).assert_complete();
}

#[test]
fn cancel_while_parked_drops_the_fallback_and_the_subscriber() {
    let ts = TestSubscriber::new(0);
    source::error::<u64>(Error::new("boom"))
        .on_error_return(|_| 99)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.cancel();
    ts.request(5);
    ts.assert_no_values().assert_not_terminated();
    ts.assert_no_violations();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error_not_the_fallback() {
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..10u64)
        .on_error_return(|_| 99)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn request_zero_while_parked_is_answered_with_the_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(0);
    source::error(Error::new("boom"))
        .on_error_return(|_| 99)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_panic_in_f_becomes_the_error_and_nothing_follows() {
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(2, Error::new("boom"))
        .on_error_return(|_| panic!("no fallback today"))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("no fallback today");
}

#[test]
fn cancel_reaches_upstream() {
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::new(3);
    probe
        .publisher()
        .on_error_return(|_| 0)
        .subscribe(ts.clone());
    ts.cancel();
    assert!(probe.was_cancelled());
    assert_eq!(probe.requests(), [3], "requests pass straight through");
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_get_every_item_then_the_fallback() {
    let (publisher, done) = fast_producer(1_000, Some(Error::new("late failure")));
    let ts = TestSubscriber::new(0);
    publisher
        .on_error_return(|_| u64::MAX)
        .subscribe(ts.clone());
    for i in 0..1_000usize {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.assert_not_terminated(); // the fallback waits for the 1001st request
    ts.request(1);
    let mut expected: Vec<u64> = (0..1_000).collect();
    expected.push(u64::MAX);
    ts.await_terminal(WAIT)
        .assert_values(&expected)
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(config())]

    /// Against `items.chain(once(fallback))`, under random demand; the error
    /// comes on a pull (with demand) or right after the items (without).
    #[test]
    fn matches_the_iterator_model(
        items in proptest::collection::vec(0u64..1000, 0..30),
        eager in proptest::bool::ANY,
        schedule in schedule(),
    ) {
        let reference: Vec<u64> = items.iter().copied().chain([4242]).collect();
        let make = || {
            let items = items.clone();
            let failing = if eager {
                source::create(source::Overflow::Unbounded, move |emitter| {
                    items.iter().for_each(|&i| emitter.next(i).unwrap());
                    emitter.error(Error::new("boom"));
                })
                .boxed()
            } else {
                source::generate(|| 0usize, move |i, sink| {
                    if *i < items.len() {
                        sink.next(items[*i]);
                        *i += 1;
                    } else {
                        sink.error(Error::new("boom"));
                    }
                })
                .boxed()
            };
            failing.on_error_return(|_| 4242).boxed()
        };
        check_model(make, &reference, ModelEnd::Complete, Mode::Sync, &schedule)?;
    }
}
