use std::time::Duration;

use reactive_streams::scheduler::{self, VirtualTimeScheduler};
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use super::support::*;

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(|vts| source::timer_on(ms(5), vts).boxed(), &[()], ms(1));
}

#[test]
fn due_before_a_request_it_waits_then_completes() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(0);
    source::timer_on(ms(5), &vts).subscribe(ts.clone());
    vts.advance_by(ms(100));
    ts.assert_no_values().assert_not_terminated();
    assert_eq!(
        vts.pending_tasks(),
        0,
        "fired: nothing armed while it waits"
    );
    ts.request(1);
    ts.assert_values(&[()])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn cancel_before_it_fires_cancels_the_timer() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<()>::unbounded();
    source::timer_on(ms(5), &vts).subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 1);
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(ms(10));
    ts.assert_no_values().assert_not_terminated();
}

#[test]
fn a_zero_delay_fires_when_the_worker_runs() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::timer_on(Duration::ZERO, &vts).subscribe(ts.clone());
    vts.run_due();
    ts.assert_values(&[()]).assert_complete();
    // On the immediate scheduler, a zero delay is no delay.
    let ts = TestSubscriber::unbounded();
    source::timer_on(Duration::ZERO, scheduler::immediate()).subscribe(ts.clone());
    ts.assert_values(&[()]).assert_complete();
}

#[test]
fn a_delay_on_the_immediate_scheduler_is_a_clear_error() {
    let ts = TestSubscriber::<()>::unbounded();
    source::timer_on(ms(1), scheduler::immediate()).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(|vts| source::timer_on(ms(10), vts).boxed(), ms(5));
}
