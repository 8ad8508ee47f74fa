use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use super::support::*;

#[test]
fn scenarios() {
    // Ticks 4 ms apart, a window of 3 ms: every tick is quiet long enough.
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(4), vts)
                .take(5)
                .debounce_on(ms(3), vts)
                .boxed()
        },
        &[0, 1, 2, 3, 4],
        ms(1),
    );
}

#[test]
fn a_burst_gives_its_last_item_after_a_quiet_window() {
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .debounce_on(ms(10), &vts)
        .timestamp_on(&vts)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    for i in 0..5u64 {
        emitter.next(i).unwrap();
        vts.advance_by(ms(9));
    }
    ts.assert_no_values();
    vts.advance_by(ms(1));
    assert_eq!(ts.values(), [(start + ms(46), 4)]);
    assert_eq!(vts.pending_tasks(), 0);
    emitter.complete();
    ts.assert_complete();
}

#[test]
fn completion_emits_the_waiting_item_at_once() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::range(0..5u64)
        .debounce_on(ms(10), &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[4]).assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_error_fails_with_overflow_and_cancels_upstream() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let probe = RequestProbe::new(manual.publisher());
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .debounce_on(ms(10), &vts)
        .subscribe(ts.clone());
    manual.emitter().next(1u64).unwrap();
    vts.advance_by(ms(10));
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("debounce");
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_drop_and_latest() {
    for (choice, expected) in [(NoDemand::Drop, vec![2u64]), (NoDemand::Latest, vec![1, 2])] {
        let vts = VirtualTimeScheduler::new();
        let manual = Manual::new();
        let ts = TestSubscriber::new(0);
        manual
            .publisher()
            .debounce_on(ms(10), &vts)
            .on_no_demand(choice)
            .subscribe(ts.clone());
        let emitter = manual.emitter();
        emitter.next(1u64).unwrap();
        vts.advance_by(ms(10)); // 1 falls due: no demand
        ts.request(2);
        emitter.next(2).unwrap();
        vts.advance_by(ms(10));
        ts.assert_values(&expected).assert_no_violations();
        emitter.complete();
        ts.assert_complete();
    }
}

#[test]
fn an_upstream_error_goes_at_once() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::<u64>::unbounded();
    manual
        .publisher()
        .debounce_on(ms(10), &vts)
        .subscribe(ts.clone());
    manual.emitter().next(1).unwrap();
    let error = Error::new("boom");
    manual.emitter().error(error.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| {
            source::just(1u64)
                .concat_with(source::never())
                .debounce_on(ms(10), vts)
                .boxed()
        },
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals, unbounded demand: exactly the items followed by a
    /// gap of 10 ms or more (or by the end), each 10 ms after it came (the
    /// last at the end, if sooner).
    #[test]
    fn emits_the_items_followed_by_a_quiet_window(steps in timeline()) {
        let (played, got) = run_timeline(&steps, |up, vts| up.debounce_on(ms(10), vts))?;
        let at = &played.emitted_at;
        let mut expected = Vec::new();
        for (i, t) in at.iter().enumerate() {
            let next = at.get(i + 1).copied().unwrap_or(u64::MAX);
            if next - t >= 10 {
                expected.push(((t + 10).min(played.end_at), i as u64));
            } else if i + 1 == at.len() {
                expected.push((played.end_at, i as u64));
            }
        }
        proptest::prop_assert_eq!(got, expected);
    }
}
