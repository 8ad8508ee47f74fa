use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source::{self, Overflow};
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber, Subscription, TestSubscriber,
    UNBOUNDED,
};

use super::support::{fast_producer, lock, Manual, RequestProbe};
use crate::harness::*;
use crate::model::{check_model, config, schedule, Mode, ModelEnd};

#[test]
fn scenarios() {
    for (high, low) in [(4, 0), (4, 2), (4, 4), (1, 1), (1, 0), (3, 10), (64, 64)] {
        assert_emits(
            move || source::range(0..10u64).limit_rate(high, low).boxed(),
            &(0..10).collect::<Vec<_>>(),
        );
    }
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.limit_rate(2, 0).boxed(), &[0, 1, 2]);
}

/// The requests upstream receives while an unbounded subscriber takes 20
/// items through `limit_rate(high, low)`.
fn upstream_requests(high: usize, low: usize) -> Vec<u64> {
    let probe = RequestProbe::new(source::range(0..20u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .limit_rate(high, low)
        .subscribe(ts.clone());
    ts.assert_value_count(20).assert_complete();
    probe.requests()
}

#[test]
fn low_zero_requests_strict_batches() {
    assert_eq!(upstream_requests(8, 0), [8, 8, 8]);
}

#[test]
fn low_equal_to_high_replenishes_at_75_percent() {
    // limit = 8 - 8 / 4 = 6
    assert_eq!(upstream_requests(8, 8), [8, 6, 6, 6]);
    // limit_rate(n, n) for n < 4 replenishes a whole batch.
    assert_eq!(upstream_requests(3, 3), [3, 3, 3, 3, 3, 3, 3]);
}

#[test]
fn low_below_high_replenishes_low() {
    let mut expected = vec![8];
    expected.extend([2; 10]);
    assert_eq!(upstream_requests(8, 2), expected);
}

#[test]
fn low_above_high_is_the_75_percent_rule() {
    assert_eq!(upstream_requests(8, 100), upstream_requests(8, 8));
}

#[test]
fn a_small_demand_is_served_from_a_prefetched_batch() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(3);
    probe.publisher().limit_rate(8, 0).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    assert_eq!(probe.requests(), [8], "a whole batch, 5 of it queued");
    assert_eq!(probe.emitted(), 8);
    ts.request(5);
    ts.assert_values(&(0..8).collect::<Vec<_>>());
    assert_eq!(
        probe.requests(),
        [8, 8],
        "the batch was delivered: the next one"
    );
}

#[test]
fn upstream_is_never_more_than_high_ahead() {
    let probe = RequestProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().limit_rate(10, 3).subscribe(ts.clone());
    for delivered in 1..=300u64 {
        ts.request(1);
        let requested: u64 = probe.requests().iter().sum();
        assert!(
            requested <= delivered + 10,
            "{requested} requested with {delivered} delivered"
        );
        assert!(probe.emitted() <= delivered + 10);
    }
}

#[test]
fn an_upstream_error_follows_the_queued_items() {
    let manual = Manual::new();
    let ts = TestSubscriber::new(2);
    manual.publisher().limit_rate(8, 0).subscribe(ts.clone());
    let emitter = manual.emitter();
    (0..5u64).for_each(|i| emitter.next(i).unwrap());
    let error = Error::new("boom");
    emitter.error(error.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(3);
    ts.assert_values(&[0, 1, 2, 3, 4]);
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn completion_follows_the_queued_items() {
    let ts = TestSubscriber::new(2);
    source::range(0..4u64)
        .limit_rate(8, 0)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[0, 1, 2, 3]).assert_complete();
}

/// An item that counts its drops.
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn cancel_cancels_upstream_and_drops_the_queue() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let emitters = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&emitters);
    let ts = TestSubscriber::<Tracked>::new(0);
    source::create(Overflow::Unbounded, move |emitter| {
        for _ in 0..5 {
            let _ = emitter.next(Tracked(Arc::clone(&counter)));
        }
        lock(&keep).push(emitter);
    })
    .limit_rate(8, 0)
    .subscribe(ts.clone());
    assert_eq!(drops.load(Ordering::SeqCst), 0, "five items queued");
    ts.cancel();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        5,
        "§3.13: dropped with the queue"
    );
    assert!(lock(&emitters)[0].is_cancelled());
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(1);
    probe.publisher().limit_rate(4, 0).subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

#[test]
#[should_panic(expected = "limit_rate: `high` must be at least 1")]
fn a_high_tide_of_zero_is_refused() {
    let _ = source::range(0..1u64).limit_rate(0, 0);
}

/// A publisher that ignores demand: emits `0..n` at once.
struct Rogue(u64, Arc<AtomicBool>);

struct RogueSubscription(Arc<AtomicBool>);

impl Subscription for RogueSubscription {
    fn request(&self, _: u64) {}
    fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Publisher for Rogue {
    type Item = u64;

    fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
        subscriber.on_subscribe(Arc::new(RogueSubscription(Arc::clone(&self.1))));
        (0..self.0).for_each(|i| subscriber.on_next(i));
        subscriber.on_complete();
    }
}

#[test]
fn an_upstream_that_ignores_demand_is_cancelled_with_an_overflow_error() {
    let cancelled = Arc::new(AtomicBool::new(false));
    let ts = TestSubscriber::new(0);
    Rogue(10, Arc::clone(&cancelled))
        .limit_rate(2, 0)
        .subscribe(ts.clone());
    assert!(cancelled.load(Ordering::SeqCst));
    ts.assert_not_terminated(); // the error waits behind the queued items
    ts.request(5);
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("more items than were requested");
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_get_everything_in_batches() {
    let (publisher, done) = fast_producer(5_000, None);
    let probe = RequestProbe::new(publisher);
    let ts = TestSubscriber::new(0);
    probe.publisher().limit_rate(16, 0).subscribe(ts.clone());
    for i in 0..200usize {
        ts.request(1);
        ts.await_count(i + 1, WAIT);
    }
    ts.request(UNBOUNDED);
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.await_terminal(WAIT)
        .assert_values(&(0..5_000).collect::<Vec<_>>())
        .assert_complete()
        .assert_no_violations();
    let requests = probe.requests();
    assert!(requests.iter().all(|&n| n == 16), "{requests:?}");
    assert!(requests.len() >= 5_000 / 16);
}

proptest::proptest! {
    #![proptest_config(config())]

    /// Against the identity, under random demand; upstream sees `high`, then
    /// only `limit`-sized requests, and is never more than `high` ahead.
    #[test]
    fn matches_the_identity_and_batches_upstream(
        items in proptest::collection::vec(0u64..1000, 0..40),
        high in 1usize..10,
        low in 0usize..12,
        schedule in schedule(),
    ) {
        let probes = Arc::new(Mutex::new(Vec::new()));
        let made = Arc::clone(&probes);
        check_model(
            || {
                let probe = RequestProbe::new(source::from_iter(items.clone()));
                lock(&made).push(probe.clone());
                probe.publisher().limit_rate(high, low).boxed()
            },
            &items,
            ModelEnd::Complete,
            Mode::Sync,
            &schedule,
        )?;
        let limit = if low == 0 { high } else if low >= high { high - high / 4 } else { low } as u64;
        for probe in lock(&probes).iter() {
            let requests = probe.requests();
            proptest::prop_assert_eq!(requests.first().copied(), Some(high as u64));
            proptest::prop_assert!(requests[1..].iter().all(|&n| n == limit), "{:?}", requests);
            let total: u64 = requests.iter().sum();
            proptest::prop_assert!(total <= probe.emitted() + high as u64);
        }
    }
}

/// Issue 10, bug 2: `high` is a queue allocated at subscription, so a huge
/// one is clamped to `MAX_CAPACITY` (it used to panic in `subscribe`, or
/// abort the process on a failed allocation).
#[test]
fn a_huge_high_tide_is_clamped_not_allocated() {
    for (high, low) in [(usize::MAX, usize::MAX), (1 << 40, 0), (1 << 40, 1 << 39)] {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let ts = TestSubscriber::unbounded();
        source::range(0..10u64)
            .do_on_request(move |n| log.lock().unwrap().push(n))
            .limit_rate(high, low)
            .subscribe(ts.clone());
        ts.assert_values(&(0..10).collect::<Vec<_>>())
            .assert_complete()
            .assert_no_violations();
        assert_eq!(
            lock(&requests).first().copied(),
            Some(reactive_streams::MAX_CAPACITY as u64)
        );
    }
}
