use std::time::Duration;

use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use super::support::*;

#[test]
fn scenarios() {
    // Ticks every 4 ms, sampled every 4 ms: the sampler's timer was armed
    // first (in its on_subscribe, inside the source's), so at each instant
    // it samples the tick before; the last tick comes with the completion,
    // at the instant of a sample, so it waits for demand (Latest).
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(4), vts)
                .take(5)
                .sample_on(ms(4), vts)
                .on_no_demand(NoDemand::Latest)
                .boxed()
        },
        &[0, 1, 2, 3, 4],
        ms(1),
    );
}

#[test]
fn each_tick_emits_the_latest_item_since_the_last_one() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual
        .publisher()
        .sample_on(ms(10), &vts)
        .subscribe(ts.clone());
    let emitter = manual.emitter();
    emitter.next(1u64).unwrap();
    emitter.next(2).unwrap();
    vts.advance_by(ms(10));
    ts.assert_values(&[2]);
    vts.advance_by(ms(10)); // nothing new: nothing emitted
    ts.assert_values(&[2]);
    emitter.next(3).unwrap();
    emitter.complete(); // the latest goes out with the completion
    ts.assert_values(&[2, 3]).assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_choices() {
    for (choice, expected, failed) in [
        (NoDemand::Error, vec![], true),
        (NoDemand::Drop, vec![3u64], false),
        (NoDemand::Latest, vec![2, 3], false),
    ] {
        let vts = VirtualTimeScheduler::new();
        let manual = Manual::new();
        let ts = TestSubscriber::new(0);
        manual
            .publisher()
            .sample_on(ms(10), &vts)
            .on_no_demand(choice)
            .subscribe(ts.clone());
        let emitter = manual.emitter();
        emitter.next(1u64).unwrap();
        emitter.next(2).unwrap();
        vts.advance_by(ms(10));
        ts.request(2);
        let _ = emitter.next(3);
        vts.advance_by(ms(10));
        ts.assert_values(&expected).assert_no_violations();
        if failed {
            ts.assert_error_kind(ErrorKind::Overflow);
        } else {
            ts.assert_not_terminated();
            ts.cancel();
        }
        assert_eq!(vts.pending_tasks(), 0, "{choice:?}");
    }
}

#[test]
fn a_zero_period_is_a_clear_error() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::unbounded();
    probe
        .publisher()
        .sample_on(Duration::ZERO, &vts)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_error_message("period above zero");
    assert!(probe.was_cancelled());
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| source::never::<u64>().sample_on(ms(10), vts).boxed(),
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals, unbounded demand: at each tick k * 10 ms, the
    /// latest item that came since the tick before (in the same advance,
    /// items come after the tick at their instant), and the latest left at
    /// the end.
    #[test]
    fn emits_the_latest_item_at_each_tick(steps in timeline()) {
        let (played, got) = run_timeline(&steps, |up, vts| up.sample_on(ms(10), vts))?;
        let mut expected = Vec::new();
        let mut pending: Option<(u64, u64)> = None;
        let mut next_tick = 10;
        for (i, t) in played.emitted_at.iter().enumerate() {
            while next_tick <= *t {
                if let Some((_, x)) = pending.take() {
                    expected.push((next_tick, x));
                }
                next_tick += 10;
            }
            pending = Some((*t, i as u64));
        }
        while next_tick <= played.end_at {
            if let Some((_, x)) = pending.take() {
                expected.push((next_tick, x));
            }
            next_tick += 10;
        }
        if let Some((_, x)) = pending {
            expected.push((played.end_at, x));
        }
        proptest::prop_assert_eq!(got, expected);
    }
}
