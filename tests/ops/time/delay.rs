use reactive_streams::ops::DELAY_PREFETCH;
use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use super::support::*;
use crate::harness::items_then_error;

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(
        |vts| source::range(0..10u64).delay_on(ms(5), vts).boxed(),
        &(0..10).collect::<Vec<_>>(),
        ms(1),
    );
}

#[test]
fn each_item_is_shifted_by_the_delay() {
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .delay_on(ms(10), &vts)
        .timestamp_on(&vts)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(0u64).unwrap();
    vts.advance_by(ms(3));
    emitter.next(1).unwrap();
    vts.advance_by(ms(30));
    let at: Vec<_> = ts.values().iter().map(|(at, _)| *at - start).collect();
    assert_eq!(at, [ms(10), ms(13)]);
    emitter.complete();
    ts.assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn due_items_wait_for_demand() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(0);
    source::range(0..3u64)
        .delay_on(ms(5), &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(100));
    ts.assert_no_values().assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[0, 1, 2])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn at_most_the_prefetch_waits_and_upstream_is_asked_at_75_percent() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10_000u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .delay_on(ms(5), &vts)
        .subscribe(ts.clone());
    assert_eq!(probe.requests(), [DELAY_PREFETCH]);
    assert_eq!(
        probe.emitted(),
        DELAY_PREFETCH,
        "no more than the prefetch is in flight"
    );
    vts.advance_by(ms(5));
    let limit = DELAY_PREFETCH - DELAY_PREFETCH / 4;
    assert_eq!(probe.requests()[1], limit);
    assert!(probe.emitted() - ts.item_count() as u64 <= DELAY_PREFETCH);
    run_to_end(&vts, &ts, ms(5));
    assert_eq!(ts.item_count(), 10_000);
    ts.assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn an_error_goes_at_once_and_drops_the_waiting_items() {
    let vts = VirtualTimeScheduler::new();
    let error = Error::new("boom");
    let ts = TestSubscriber::unbounded();
    items_then_error(3, error.clone())
        .delay_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn completion_follows_the_last_item() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::just(1u8)
        .delay_on(ms(5), &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(4));
    ts.assert_no_values().assert_not_terminated();
    vts.advance_by(ms(1));
    ts.assert_values(&[1]).assert_complete();
    // An empty source completes at once.
    let ts = TestSubscriber::<u8>::unbounded();
    source::empty().delay_on(ms(5), &vts).subscribe(ts.clone());
    ts.assert_complete();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .delay_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| source::range(0..3u64).delay_on(ms(10), vts).boxed(),
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals and requests: every item, in order, none before its
    /// time, none beyond demand; under unbounded demand, exactly at its
    /// time.
    #[test]
    fn shifts_the_timeline(steps in script(), unbounded in proptest::bool::ANY) {
        let vts = VirtualTimeScheduler::new();
        let start = vts.now();
        let manual = Manual::new();
        let ts = TestSubscriber::new(if unbounded { reactive_streams::UNBOUNDED } else { 0 });
        manual.publisher().delay_on(ms(10), &vts).timestamp_on(&vts).subscribe(ts.clone());
        let played = play(&vts, &manual.emitter(), &ts, &steps);
        ts.request(reactive_streams::UNBOUNDED);
        run_to_end(&vts, &ts, ms(1));
        proptest::prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
        ts.assert_complete();
        let values = ts.values();
        proptest::prop_assert_eq!(
            values.iter().map(|(_, x)| *x).collect::<Vec<_>>(),
            (0..played.emitted_at.len() as u64).collect::<Vec<_>>()
        );
        for ((at, x), sent) in values.iter().zip(&played.emitted_at) {
            let at = (*at - start).as_millis() as u64;
            proptest::prop_assert!(at >= sent + 10, "item {} early", x);
            if unbounded {
                proptest::prop_assert_eq!(at, sent + 10);
            }
        }
        proptest::prop_assert_eq!(vts.pending_tasks(), 0);
    }
}
