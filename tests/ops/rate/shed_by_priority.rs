use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use reactive_streams::ops::MAX_SHED_CAPACITY;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::harness::{assert_emits, assert_error_passes_through, assert_panic_becomes_error};
use crate::time::support::RequestProbe;

const THRESHOLDS: [f64; 3] = [0.5, 0.7, 0.9];

#[test]
fn scenarios_of_the_top_level_nothing_is_shed() {
    assert_emits(
        || {
            source::range(0..20u64)
                .shed_by_priority(4, &THRESHOLDS, |_| THRESHOLDS.len())
                .boxed()
        },
        &(0..20).collect::<Vec<_>>(),
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.shed_by_priority(8, &THRESHOLDS, |_| 0).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn a_panic_in_the_priority_becomes_the_error() {
    assert_panic_becomes_error(|up| {
        up.shed_by_priority(8, &THRESHOLDS, |x| {
            assert!(*x != 2, "boom");
            0
        })
        .boxed()
    });
}

/// With no demand, a buffer of 10 fills: levels 0, 1, 2 are shed from 5, 7
/// and 9 held items on, the top never; then upstream waits.
#[test]
fn each_level_is_shed_at_its_threshold() {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&dropped);
    // Items are their level: 0, 1, 2, 3, 0, 1, 2, 3, ...
    let shed = source::range(0..40u64)
        .map(|i| (i % 4) as usize)
        .shed_by_priority(10, &THRESHOLDS, |level| *level)
        .on_dropped(move |level| sink.lock().unwrap().push(level));
    let counts = shed.counts();
    let ts = TestSubscriber::new(0);
    shed.subscribe(ts.clone());
    // Held: 0123 0123 (8) | 0 shed (>=5), 1 shed (>=7), 2 kept (8 < 9),
    // 3 kept (10 held): full, upstream waits.
    assert_eq!(*dropped.lock().unwrap(), [0, 1]);
    assert_eq!(counts.snapshot(), [1, 1, 0]);
    ts.request(100);
    ts.assert_complete();
    assert_eq!(counts.dropped(3), 0);
    assert_eq!(counts.total() as usize + ts.item_count(), 40);
}

#[test]
fn the_capacity_is_clamped() {
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .shed_by_priority(usize::MAX, &THRESHOLDS, |_| 0)
        .subscribe(ts.clone());
    assert_eq!(probe.requests(), [MAX_SHED_CAPACITY as u64]);
    let probe = RequestProbe::new(source::range(0..10u64));
    probe
        .publisher()
        .shed_by_priority(0, &THRESHOLDS, |_| 0)
        .subscribe(TestSubscriber::new(0));
    assert_eq!(probe.requests(), [1]);
    ts.cancel();
}

#[test]
#[should_panic(expected = "shed_by_priority: threshold 1 is 0.4")]
fn thresholds_out_of_order_are_refused() {
    let _ = source::range(0..1u64).shed_by_priority(4, &[0.5, 0.4], |_| 0);
}

#[test]
#[should_panic(expected = "shed_by_priority: threshold 0 is NaN")]
fn a_nan_threshold_is_refused() {
    let _ = source::range(0..1u64).shed_by_priority(4, &[f64::NAN], |_| 0);
}

#[test]
fn request_zero_is_the_spec_error() {
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .shed_by_priority(4, &THRESHOLDS, |_| 0)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 4 } else { 256 }))]

    /// Whatever the levels, capacity and demand: the top level is never
    /// shed; the counts match the items handed to the callback, level by
    /// level; every item is either delivered (once, in order) or shed.
    #[test]
    fn the_top_is_never_shed_counts_match_nothing_else_is_lost(
        levels in proptest::collection::vec(0usize..5, 0..300),
        capacity in 1usize..40,
        requests in proptest::collection::vec(0u64..20, 0..30),
    ) {
        let items: Vec<(usize, usize)> = levels.iter().copied().enumerate().collect();
        let shed_items = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&shed_items);
        let shed = source::from_iter(items.clone())
            .shed_by_priority(capacity, &THRESHOLDS, |(_, level)| *level)
            .on_dropped(move |item| sink.lock().unwrap().push(item));
        let counts = shed.counts();
        let ts = TestSubscriber::new(0);
        shed.subscribe(ts.clone());
        for n in requests.into_iter().filter(|&n| n > 0) {
            ts.request(n);
        }
        ts.request(u64::MAX >> 1);
        ts.assert_complete().assert_no_violations();

        let shed_items = shed_items.lock().unwrap().clone();
        prop_assert!(shed_items.iter().all(|(_, level)| *level < THRESHOLDS.len()));
        prop_assert_eq!(counts.dropped(3) + counts.dropped(4), 0);
        for level in 0..THRESHOLDS.len() {
            let handed = shed_items.iter().filter(|(_, l)| *l == level).count() as u64;
            prop_assert_eq!(counts.dropped(level), handed);
        }
        let delivered = ts.values();
        prop_assert!(delivered.windows(2).all(|w| w[0].0 < w[1].0), "out of order");
        let mut all: Vec<_> = delivered.iter().chain(shed_items.iter()).copied().collect();
        all.sort_unstable();
        prop_assert_eq!(all, items);
    }
}
