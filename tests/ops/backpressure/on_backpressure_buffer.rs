use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::ops::BufferOverflow;
use reactive_streams::source::{self, Overflow};
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::paced::paced;
use super::strategy::{self, Operator};
use super::support::{fast_producer, is_subsequence, lock, RequestProbe};
use crate::harness::*;

const ALL: [BufferOverflow; 3] = [
    BufferOverflow::Error,
    BufferOverflow::DropLatest,
    BufferOverflow::DropOldest,
];

#[test]
fn scenarios() {
    for overflow in ALL {
        // A synchronous source emits everything into the buffer at once.
        assert_emits(
            move || {
                source::range(0..10u64)
                    .on_backpressure_buffer(16, overflow)
                    .boxed()
            },
            &(0..10).collect::<Vec<_>>(),
        );
        // A source that keeps pace never fills even a buffer of 1.
        assert_emits(
            move || paced(10, move |up| up.on_backpressure_buffer(1, overflow)),
            &(0..10).collect::<Vec<_>>(),
        );
    }
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.on_backpressure_buffer(8, BufferOverflow::Error).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn upstream_is_requested_without_bound_after_on_subscribe() {
    let probe = RequestProbe::new(source::range(0..3u64));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .on_backpressure_buffer(4, BufferOverflow::Error)
        .subscribe(ts.clone());
    assert_eq!(probe.requests(), [UNBOUNDED]);
    // The request made inside on_subscribe was in place for the first item.
    ts.assert_values(&[0, 1]).assert_not_terminated();
}

#[test]
fn completion_waits_for_the_buffered_items() {
    let ts = TestSubscriber::new(0);
    source::range(0..3u64)
        .on_backpressure_buffer(8, BufferOverflow::Error)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn an_upstream_error_is_delivered_at_once_and_the_buffer_dropped() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let error = Error::new("upstream failed");
    let ts = TestSubscriber::new(1);
    items_then_error(3, error.clone())
        .on_backpressure_buffer(8, BufferOverflow::DropOldest)
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0]);
    assert!(ts.error().unwrap().ptr_eq(&error));
    assert!(lock(&dropped).is_empty(), "not overflow drops");
}

#[test]
fn drop_latest_keeps_the_first_items_and_drops_the_arriving_ones() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let ts = TestSubscriber::new(2);
    source::range(0..10u64)
        .on_backpressure_buffer(3, BufferOverflow::DropLatest)
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    assert_eq!(*lock(&dropped), [5, 6, 7, 8, 9]);
    ts.request(10);
    ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
}

#[test]
fn drop_oldest_keeps_the_newest_items() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let ts = TestSubscriber::new(2);
    source::range(0..10u64)
        .on_backpressure_buffer(3, BufferOverflow::DropOldest)
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    assert_eq!(*lock(&dropped), [2, 3, 4, 5, 6]);
    ts.request(10);
    ts.assert_values(&[0, 1, 7, 8, 9]).assert_complete();
}

#[test]
fn error_overflow_cancels_upstream_and_fails_at_once() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .on_backpressure_buffer(2, BufferOverflow::Error)
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("BufferOverflow::Error");
    assert!(probe.was_cancelled());
    assert_eq!(
        probe.emitted(),
        4,
        "0 delivered, 1 and 2 buffered, 3 overflowed"
    );
    assert_eq!(*lock(&dropped), [3], "the item that did not fit");
    ts.request(5);
    ts.assert_values(&[0]); // the buffer went with the error
}

#[test]
fn a_panic_in_the_drop_callback_cancels_upstream_and_fails_downstream() {
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_buffer(1, BufferOverflow::DropLatest)
        .on_dropped(|x| {
            panic_on_2(x);
        })
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_kind(ErrorKind::Panic);
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 3, "nothing after the panic");
    ts.request(5);
    ts.assert_no_values();
}

/// An item that counts its drops.
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn cancel_drops_the_buffered_items_at_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let emitters = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&emitters);
    let ts = TestSubscriber::<Tracked>::new(0);
    source::create(Overflow::Unbounded, move |emitter| {
        for _ in 0..5 {
            let _ = emitter.next(Tracked(Arc::clone(&counter)));
        }
        lock(&keep).push(emitter); // the source stays open
    })
    .on_backpressure_buffer(8, BufferOverflow::Error)
    .subscribe(ts.clone());
    assert_eq!(drops.load(Ordering::SeqCst), 0, "five items buffered");
    ts.cancel();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        5,
        "§3.13: dropped with the buffer"
    );
    assert!(lock(&emitters)[0].is_cancelled());
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .on_backpressure_buffer(4, BufferOverflow::Error)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

#[test]
#[should_panic(expected = "on_backpressure_buffer: the capacity must be at least 1")]
fn a_capacity_of_zero_is_refused() {
    let _ = source::range(0..1u64).on_backpressure_buffer(0, BufferOverflow::Error);
}

#[test]
fn a_fast_producer_thread_meets_a_full_buffer_deterministically() {
    // The producer finishes before anything is requested, so the buffer
    // holds exactly the items the strategy keeps.
    for (overflow, kept) in [
        (BufferOverflow::DropLatest, (0..16).collect::<Vec<u64>>()),
        (BufferOverflow::DropOldest, (9_984..10_000).collect()),
    ] {
        let (publisher, done) = fast_producer(10_000, None);
        let dropped = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&dropped);
        let ts = TestSubscriber::new(0);
        publisher
            .on_backpressure_buffer(16, overflow)
            .on_dropped(move |_| {
                count.fetch_add(1, Ordering::SeqCst);
            })
            .subscribe(ts.clone());
        done.recv_timeout(WAIT).expect("the producer finished");
        ts.assert_no_values().assert_not_terminated();
        ts.request(100);
        ts.await_terminal(WAIT)
            .assert_values(&kept)
            .assert_complete();
        assert_eq!(dropped.load(Ordering::SeqCst), 10_000 - 16);
    }
}

#[test]
fn a_fast_producer_thread_and_a_slow_consumer_keep_the_invariants() {
    let (publisher, done) = fast_producer(20_000, None);
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    let ts = TestSubscriber::new(0);
    publisher
        .on_backpressure_buffer(8, BufferOverflow::DropOldest)
        .on_dropped(move |x| lock(&sink).push(x))
        .subscribe(ts.clone());
    // A slow consumer: one at a time, while the producer races ahead (it may
    // also finish first; then the buffer holds its last 8 items).
    for _ in 0..50 {
        ts.request(1);
        std::thread::yield_now();
    }
    done.recv_timeout(WAIT).expect("the producer finished");
    ts.request(UNBOUNDED);
    ts.await_terminal(WAIT)
        .assert_complete()
        .assert_no_violations();
    let delivered = ts.values();
    let all: Vec<u64> = (0..20_000).collect();
    let dropped = lock(&dropped).clone();
    assert!(is_subsequence(&delivered, &all), "order kept");
    assert!(is_subsequence(&dropped, &all), "dropped in order");
    assert_eq!(delivered.len() + dropped.len(), 20_000, "nothing lost");
    assert_eq!(&delivered[delivered.len() - 8..], &all[20_000 - 8..]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against the exact model of each overflow strategy.
    #[test]
    fn matches_the_strategy_model(
        capacity in 1usize..6,
        overflow in proptest::sample::select(ALL.to_vec()),
        steps in strategy::steps(),
        end in strategy::end(),
    ) {
        strategy::check(Operator::Buffer(capacity, overflow), &steps, end)?;
    }

    /// Against `Iterator`, with a buffer large enough to hold everything.
    #[test]
    fn a_large_buffer_matches_the_iterator(
        items in proptest::collection::vec(0u64..1000, 0..40),
        schedule in crate::model::schedule(),
    ) {
        crate::model::check_model(
            || source::from_iter(items.clone()).on_backpressure_buffer(64, BufferOverflow::Error).boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
