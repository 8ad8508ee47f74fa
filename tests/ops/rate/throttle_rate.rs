use reactive_streams::ops::Rate;
use reactive_streams::scheduler::{self, VirtualTimeScheduler};
use reactive_streams::{
    source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::assert_error_passes_through;
use crate::time::support::*;

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(
        |vts| {
            source::range(0..10u64)
                .throttle_rate_on(Rate::per_second(100), 3, vts)
                .boxed()
        },
        &(0..10).collect::<Vec<_>>(),
        ms(1),
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(
        move |up| up.throttle_rate_on(Rate::per_second(10), 5, &vts).boxed(),
        &[0, 1, 2],
    );
}

/// The rate converges at once and holds: after the burst, exactly `rate`
/// items a second, every second (no oscillation at all: the band is 0
/// items on whole seconds, and at most one token's worth in between).
#[test]
fn the_rate_converges_and_holds_within_the_bucket_bound() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::range(0..u64::MAX)
        .throttle_rate_on(Rate::per_second(10), 5, &vts)
        .subscribe(ts.clone());
    assert_eq!(ts.item_count(), 5, "the burst at once");
    for tenth in 1..=300u64 {
        vts.advance_by(ms(100));
        let count = ts.item_count() as u64;
        // The token bucket's bound: burst + rate × t, never above.
        assert!(count <= 5 + tenth, "{count} items after {tenth} tenths");
        // Converged: one token per tenth of a second, none lost.
        assert_eq!(count, 5 + tenth, "a tick was lost at {tenth} tenths");
    }
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0, "a timer outlived the cancel");
}

#[test]
fn upstream_is_asked_for_at_most_a_burst_at_once_and_within_downstream_demand() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..1000u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .throttle_rate_on(Rate::per_second(100), 4, &vts)
        .subscribe(ts.clone());
    ts.request(3);
    assert_eq!(probe.requests(), [3], "no more than downstream wants");
    ts.request(50);
    vts.advance_by(ms(1000));
    ts.assert_values(&(0..53).collect::<Vec<_>>());
    assert!(
        probe.requests().iter().all(|&n| n <= 4),
        "{:?}",
        probe.requests()
    );
    assert_eq!(probe.requests().iter().sum::<u64>(), 53);
    vts.advance_by(ms(1000));
    assert_eq!(ts.item_count(), 53, "nothing beyond demand");
    assert_eq!(vts.pending_tasks(), 0, "no timer without wanted demand");
    ts.cancel();
}

/// An upstream that does not deliver what it was granted gets no more:
/// grants are not banked, so it cannot flood later.
#[test]
fn a_slow_upstream_cannot_bank_grants() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::<u64>::new();
    let probe = RequestProbe::new(manual.publisher());
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .throttle_rate_on(Rate::per_second(100), 8, &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(10_000));
    assert_eq!(probe.requests().iter().sum::<u64>(), 8, "banked grants");
    let emitter = manual.emitter();
    for i in 0..8 {
        emitter.next(i).unwrap();
    }
    vts.advance_by(ms(10));
    // The burst arrived; one tick's token since (the bucket was full).
    let granted: u64 = probe.requests().iter().sum();
    assert!((9..=16).contains(&granted), "{granted} granted");
    ts.cancel();
    assert!(probe.was_cancelled());
}

#[test]
fn request_zero_is_passed_upstream_which_fails_the_stream() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .throttle_rate_on(Rate::per_second(10), 2, &vts)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(probe.requests(), [0]);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_scheduler_without_timers_fails_only_when_a_timer_is_needed() {
    // Demand within the burst: no timer, no error.
    let ts = TestSubscriber::new(3);
    source::range(0..3u64)
        .throttle_rate_on(Rate::per_second(1), 3, scheduler::immediate())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]).assert_complete();
    // Past it: the immediate scheduler refuses the timer, a clear error.
    let ts = TestSubscriber::new(UNBOUNDED);
    source::range(0..10u64)
        .throttle_rate_on(Rate::per_second(1), 3, scheduler::immediate())
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_no_violations();
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| {
            source::range(0..100u64)
                .throttle_rate_on(Rate::per_second(10), 1, vts)
                .boxed()
        },
        ms(50),
    );
}

/// Items a downstream filter rejects cost a token but are replaced, so the
/// filter's demand is met.
#[test]
fn items_rejected_downstream_are_replaced() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(3);
    source::range(0..100u64)
        .throttle_rate_on(Rate::per_second(10), 2, &vts)
        .filter(|x| x % 2 == 0)
        .subscribe(ts.clone());
    vts.advance_by(ms(1000));
    ts.assert_values(&[0, 2, 4]);
    ts.cancel();
}
