use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use super::support::*;

#[test]
fn scenarios() {
    // Ticks every 4 ms, windows of 3 ms: each window holds one tick.
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(4), vts)
                .take(5)
                .throttle_last_on(ms(3), vts)
                .boxed()
        },
        &[0, 1, 2, 3, 4],
        ms(1),
    );
}

#[test]
fn no_timer_runs_while_no_item_comes() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .throttle_last_on(ms(10), &vts)
        .subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 0);
    let emitter = manual.emitter();
    emitter.next(1u64).unwrap();
    assert_eq!(vts.pending_tasks(), 1);
    vts.advance_by(ms(5));
    emitter.next(2).unwrap(); // same window: no new timer
    assert_eq!(vts.pending_tasks(), 1);
    vts.advance_by(ms(5));
    ts.assert_values(&[2]);
    assert_eq!(vts.pending_tasks(), 0);
    emitter.complete();
    ts.assert_complete();
}

#[test]
fn no_demand_error_fails_with_overflow() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::<u64>::new(0);
    manual
        .publisher()
        .throttle_last_on(ms(10), &vts)
        .subscribe(ts.clone());
    manual.emitter().next(1).unwrap();
    vts.advance_by(ms(10));
    ts.assert_error_kind(ErrorKind::Overflow);
    assert!(manual.emitter().is_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_latest_waits_for_a_request() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::new(0);
    manual
        .publisher()
        .throttle_last_on(ms(10), &vts)
        .on_no_demand(NoDemand::Latest)
        .subscribe(ts.clone());
    manual.emitter().next(1u64).unwrap();
    vts.advance_by(ms(10));
    manual.emitter().next(2).unwrap();
    vts.advance_by(ms(10)); // 2 replaces 1
    ts.request(5);
    ts.assert_values(&[2]).assert_no_violations();
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| {
            source::just(1u64)
                .concat_with(source::never())
                .throttle_last_on(ms(10), vts)
                .boxed()
        },
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals, unbounded demand: a window opens with an item when
    /// none is open, and at its end (10 ms later) the latest item of the
    /// window goes out; the end flushes an open window.
    #[test]
    fn emits_the_latest_item_of_each_window(steps in timeline()) {
        let (played, got) = run_timeline(&steps, |up, vts| up.throttle_last_on(ms(10), vts))?;
        let mut expected = Vec::new();
        let mut window: Option<(u64, u64)> = None; // (closes at, latest)
        for (i, t) in played.emitted_at.iter().enumerate() {
            if let Some((closes, x)) = window {
                if closes <= *t {
                    expected.push((closes, x));
                    window = None;
                }
            }
            window = Some(match window {
                Some((closes, _)) => (closes, i as u64),
                None => (t + 10, i as u64),
            });
        }
        if let Some((closes, x)) = window {
            expected.push((closes.min(played.end_at), x));
        }
        proptest::prop_assert_eq!(got, expected);
    }
}
