use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    // In time: everything passes.
    let vts = VirtualTimeScheduler::new();
    assert_emits(
        || source::range(0..6u64).timeout_on(ms(5), &vts).boxed(),
        &(0..6).collect::<Vec<_>>(),
    );
    assert_eq!(vts.pending_tasks(), 0);
    // Items a tick apart, each within the limit.
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(3), vts)
                .take(4)
                .timeout_on(ms(5), vts)
                .boxed()
        },
        &[0, 1, 2, 3],
        ms(1),
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(move |up| up.timeout_on(ms(5), &vts).boxed(), &[0, 1, 2]);
}

#[test]
fn the_first_item_late_fails_with_a_timeout_and_cancels_upstream() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .timeout_on(ms(5), &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(4));
    ts.assert_not_terminated();
    vts.advance_by(ms(1));
    ts.assert_error_kind(ErrorKind::Timeout)
        .assert_error_message("the first item did not arrive within 5ms");
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_later_item_late_fails_and_the_clock_restarts_with_each_item() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .timeout_on(ms(5), &vts)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    for i in 0..3u64 {
        vts.advance_by(ms(4));
        emitter.next(i).unwrap();
    }
    assert_eq!(vts.pending_tasks(), 1, "one timer at a time");
    vts.advance_by(ms(5));
    ts.assert_values(&[0, 1, 2])
        .assert_error_kind(ErrorKind::Timeout)
        .assert_error_message("the next item");
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn the_clock_runs_without_demand() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..3u64)
        .timeout_on(ms(5), &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(5));
    ts.assert_no_values().assert_error_kind(ErrorKind::Timeout);
}

#[test]
fn a_first_item_limit_of_its_own() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .timeout_on(ms(5), &vts)
        .first_item(ms(50))
        .subscribe(ts.clone());
    vts.advance_by(ms(49));
    manual.emitter().next(1u64).unwrap();
    vts.advance_by(ms(5));
    ts.assert_values(&[1]).assert_error_kind(ErrorKind::Timeout);
}

#[test]
fn the_fallback_gets_the_unserved_demand() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let fallback = RequestProbe::new(source::range(100..200u64));
    let main = RequestProbe::new(manual.publisher());
    let ts = TestSubscriber::new(5);
    main.publisher()
        .timeout_on(ms(5), &vts)
        .fallback(fallback.publisher())
        .subscribe(ts.clone());
    manual.emitter().next(1u64).unwrap();
    manual.emitter().next(2).unwrap();
    vts.advance_by(ms(5));
    assert!(main.was_cancelled());
    assert_eq!(fallback.requests(), [3]);
    ts.assert_values(&[1, 2, 100, 101, 102])
        .assert_no_violations();
    ts.request(UNBOUNDED);
    ts.assert_complete();
    assert_eq!(ts.item_count(), 102);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn cancel_cancels_upstream_and_the_timer() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .timeout_on(ms(5), &vts)
        .subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 1);
    ts.cancel();
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(ms(10));
    ts.assert_not_terminated();
}

#[test]
fn an_error_of_the_fallback_passes_through() {
    let vts = VirtualTimeScheduler::new();
    let error = Error::new("fallback failed");
    let ts = TestSubscriber::<u64>::unbounded();
    source::never()
        .timeout_on(ms(5), &vts)
        .fallback(source::error(error.clone()))
        .subscribe(ts.clone());
    vts.advance_by(ms(5));
    assert!(ts.error().unwrap().ptr_eq(&error));
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(0);
    probe
        .publisher()
        .timeout_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| source::never::<u64>().timeout_on(ms(10), vts).boxed(),
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals under unbounded demand: the items that pass are
    /// exactly those before the first gap of 15 ms or more (from the start
    /// for the first), then a timeout; or all, then completion.
    #[test]
    fn fails_at_the_first_gap(steps in timeline()) {
        let vts = VirtualTimeScheduler::new();
        let manual = Manual::new();
        let ts = TestSubscriber::unbounded();
        manual.publisher().timeout_on(ms(15), &vts).subscribe(ts.clone());
        let played = play(&vts, &manual.emitter(), &ts, &steps);
        let mut last = 0;
        let mut passed = 0;
        let mut timed_out = false;
        for at in &played.emitted_at {
            if at - last >= 15 {
                timed_out = true;
                break;
            }
            last = *at;
            passed += 1;
        }
        if !timed_out && played.end_at - last >= 15 {
            timed_out = true;
        }
        proptest::prop_assert_eq!(ts.values(), (0..passed as u64).collect::<Vec<_>>());
        if timed_out {
            proptest::prop_assert_eq!(ts.error().map(|e| e.kind()), Some(ErrorKind::Timeout));
        } else {
            proptest::prop_assert!(ts.is_complete());
        }
        proptest::prop_assert_eq!(vts.pending_tasks(), 0);
    }
}
