//! `Demand`: saturation, the `produced` floor, cancellation, §3.9.

use crate::author::{replenish_limit, Demand, Replenish, UNBOUNDED};
use crate::error::Rule;

#[test]
fn add_returns_the_previous_count() {
    let d = Demand::new();
    assert_eq!(d.add(3), 0);
    assert_eq!(d.add(4), 3);
    assert_eq!(d.get(), 7);
}

#[test]
fn add_saturates_at_unbounded() {
    let d = Demand::new();
    d.add(UNBOUNDED / 2);
    d.add(UNBOUNDED / 2);
    assert_eq!(d.get(), UNBOUNDED - 1);
    d.add(1);
    assert_eq!(d.get(), UNBOUNDED);
    d.add(u64::MAX);
    assert_eq!(d.get(), UNBOUNDED);
}

#[test]
fn u64_max_is_unbounded_and_never_leaks_into_the_cancelled_bit() {
    let d = Demand::new();
    d.add(u64::MAX);
    assert_eq!(d.get(), UNBOUNDED);
    assert!(!d.is_cancelled());
    d.add(u64::MAX);
    assert!(!d.is_cancelled());
}

#[test]
fn produced_subtracts_and_returns_what_is_left() {
    let d = Demand::new();
    d.add(10);
    assert_eq!(d.produced(4), 6);
    assert_eq!(d.produced(6), 0);
    assert_eq!(d.get(), 0);
}

#[test]
fn produced_does_not_touch_unbounded_demand() {
    let d = Demand::new();
    d.add(UNBOUNDED);
    assert_eq!(d.produced(1_000), UNBOUNDED);
    assert_eq!(d.get(), UNBOUNDED);
}

#[test]
fn cancel_is_idempotent_and_freezes_the_count() {
    let d = Demand::new();
    d.add(5);
    assert!(d.cancel());
    assert!(!d.cancel());
    assert!(d.is_cancelled());
    assert_eq!(d.get(), 0);
    d.add(5); // §3.6: a no-op
    assert_eq!(d.get(), 0);
    assert_eq!(d.produced(1), 0);
}

#[test]
fn request_zero_stops_like_a_cancel_and_reports_rule_3_9_once() {
    let d = Demand::new();
    d.request(3);
    d.request(0);
    assert!(d.is_cancelled());
    let error = d.take_invalid().expect("a §3.9 error");
    assert_eq!(error.rule(), Some(Rule::NON_POSITIVE_REQUEST));
    assert!(d.take_invalid().is_none());
}

#[test]
fn request_zero_after_cancel_is_a_no_op() {
    let d = Demand::new();
    d.cancel();
    d.request(0);
    assert!(d.take_invalid().is_none());
}

#[test]
fn replenish_limit_is_seventy_five_percent() {
    assert_eq!(replenish_limit(256), 192);
    assert_eq!(replenish_limit(32), 24);
    assert_eq!(replenish_limit(4), 3);
    assert_eq!(replenish_limit(1), 1);
    assert_eq!(replenish_limit(UNBOUNDED), UNBOUNDED);
}

#[test]
fn replenish_asks_for_limit_every_limit_items() {
    let mut r = Replenish::new(8);
    let asks: Vec<Option<u64>> = (0..12).map(|_| r.consumed_one()).collect();
    let expected: Vec<Option<u64>> = (1..=12)
        .map(|i| if i % 6 == 0 { Some(6) } else { None })
        .collect();
    assert_eq!(asks, expected);
}

#[test]
fn replenish_never_asks_when_unbounded() {
    let mut r = Replenish::new(UNBOUNDED);
    assert!((0..1_000).all(|_| r.consumed_one().is_none()));
}
