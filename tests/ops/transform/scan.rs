use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(1..6u64).scan(0, |acc, x| acc + x).boxed(),
        &[0, 1, 3, 6, 10, 15],
    );
}

#[test]
fn an_empty_upstream_still_yields_the_seed() {
    assert_emits(
        || source::empty::<u64>().scan(42u64, |acc, x| acc + x).boxed(),
        &[42],
    );
}

#[test]
fn error_passes_through_after_the_seed() {
    assert_error_passes_through(
        |up| up.scan(100, |acc, x| acc + x).boxed(),
        &[100, 100, 101, 103],
    );
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.scan(0, |acc, x| acc + panic_on_2(x)).boxed());
}

#[test]
fn the_accumulator_can_grow_in_place() {
    assert_emits(
        || {
            source::from_iter(["a", "b"])
                .scan(String::new(), |mut acc, s| {
                    acc.push_str(s);
                    acc
                })
                .boxed()
        },
        &[String::new(), "a".to_owned(), "ab".to_owned()],
    );
}

#[test]
fn skip_1_drops_the_seed() {
    assert_emits(
        || {
            source::range(1..5u64)
                .scan(0, |acc, x| acc + x)
                .skip(1)
                .boxed()
        },
        &[1, 3, 6, 10],
    );
}

#[test]
fn upstream_is_subscribed_once_the_seed_is_requested() {
    let subscriptions = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&subscriptions);
    let scanned = source::defer(move || {
        count.fetch_add(1, Ordering::SeqCst);
        source::range(1..4u64)
    })
    .scan(0, |acc, x| acc + x);

    let ts = TestSubscriber::new(0);
    scanned.subscribe(ts.clone());
    assert_eq!(
        subscriptions.load(Ordering::SeqCst),
        0,
        "subscribed before any request"
    );
    ts.request(1);
    ts.assert_values(&[0]);
    assert_eq!(subscriptions.load(Ordering::SeqCst), 1);
    ts.request(10);
    ts.assert_values(&[0, 1, 3, 6]).assert_complete();

    // A downstream that cancels before requesting never subscribes upstream.
    let ts = TestSubscriber::new(0);
    scanned.subscribe(ts.clone());
    ts.cancel();
    ts.request(5);
    ts.assert_no_values();
    assert_eq!(subscriptions.load(Ordering::SeqCst), 1);
}

#[test]
fn demand_after_the_seed_goes_upstream_one_for_one() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(3);
    probe
        .publisher()
        .scan(0, |acc, x| acc + x)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 0, 1]);
    ts.request(2);
    ts.assert_values(&[0, 0, 1, 3, 6]);
    assert_eq!(probe.requests(), [2, 2]);

    // Unbounded stays unbounded (§3.17).
    let probe = CancelProbe::new(source::range(0..3u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .scan(0, |acc, x| acc + x)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 0, 1, 3]).assert_complete();
    assert_eq!(probe.requests(), [reactive_streams::UNBOUNDED]);
}

#[test]
fn a_seed_rejected_downstream_costs_no_demand() {
    // The filter drops the (even) seed through try_on_next: the one item
    // requested is the first odd sum.
    let ts = TestSubscriber::new(1);
    source::range(1..10u64)
        .scan(0, |acc, x| acc + x)
        .filter(|x| x % 2 == 1)
        .subscribe(ts.clone());
    ts.assert_values(&[1]).assert_not_terminated();
    assert_eq!(ts.requests(), [1]);
}

#[test]
fn each_subscription_starts_from_the_seed() {
    let scanned = source::range(1..3u64).scan(10, |acc, x| acc * x);
    for _ in 0..2 {
        let ts = TestSubscriber::unbounded();
        scanned.subscribe(ts.clone());
        ts.assert_values(&[10, 10, 20]).assert_complete();
    }
}

#[test]
fn request_zero_before_the_seed_fails_with_rule_3_9() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..3u64)
        .scan(0, |acc, x| acc + x)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    ts.request(1);
    ts.assert_no_values();
}

#[test]
fn request_zero_after_the_seed_fails_with_rule_3_9() {
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..3u64)
        .scan(0, |acc, x| acc + x)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn an_upstream_that_fails_at_once_shows_its_error_after_the_seed() {
    let error = Error::new("no data");
    let ts = TestSubscriber::<u64>::new(0);
    source::error::<u64>(error.clone())
        .scan(5, |acc, x| acc + x)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[5]);
    assert!(ts.error().expect("the error").ptr_eq(&error));
}

#[test]
fn the_seed_comes_from_the_requesting_thread_and_the_rest_follows() {
    let ts = TestSubscriber::new(0);
    source::range(1..4u64)
        .scan(0, |acc, x| acc + x)
        .subscribe(ts.clone());
    let requester = ts.clone();
    std::thread::spawn(move || requester.request(2))
        .join()
        .unwrap();
    ts.assert_values(&[0, 1]);
    ts.request(5);
    ts.await_terminal(WAIT)
        .assert_values(&[0, 1, 3, 6])
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against the seed followed by the running fold of the iterator
    /// (`successors` over the items), under random demand.
    #[test]
    fn matches_the_running_fold(seed in 0u64..100, items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let mut rest = items.iter();
        let reference: Vec<u64> =
            std::iter::successors(Some(seed), |acc| rest.next().map(|x| acc.wrapping_mul(3).wrapping_add(*x))).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).scan(seed, |acc: u64, x| acc.wrapping_mul(3).wrapping_add(x)).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
