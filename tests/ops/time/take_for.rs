use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    let vts = VirtualTimeScheduler::new();
    assert_emits(
        || source::range(0..6u64).take_for_on(ms(5), &vts).boxed(),
        &(0..6).collect::<Vec<_>>(),
    );
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(2), vts)
                .take_for_on(ms(9), vts)
                .boxed()
        },
        &[0, 1, 2, 3],
        ms(1),
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(move |up| up.take_for_on(ms(5), &vts).boxed(), &[0, 1, 2]);
}

#[test]
fn time_up_cancels_upstream_and_completes_without_demand() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::never::<u64>());
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .take_for_on(ms(5), &vts)
        .subscribe(ts.clone());
    vts.advance_by(ms(5));
    ts.assert_no_values().assert_complete();
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn completion_before_the_time_cancels_the_timer() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .take_for_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| source::never::<u64>().take_for_on(ms(10), vts).boxed(),
        ms(5),
    );
}
