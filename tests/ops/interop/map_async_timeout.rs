//! `map_async`'s per-item timeout (`timeout_on`, `pass_timeouts`), in
//! virtual time: the clock starts when a future gets its slot, a future that
//! never completes is dropped when its time is up, and the stream fails
//! with a timeout or passes it on as an `Err` item.

use std::sync::Arc;
use std::time::Duration;

use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::async_work::{Gate, Gated, Running};
use crate::harness::{CancelProbe, WAIT};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// `n` gates and an `f` handing out gate `x`'s future of `x`; `running`
/// counts the futures started and not yet finished or dropped.
fn gated(
    n: usize,
) -> (
    Vec<Gate>,
    Arc<Running>,
    impl Fn(u64) -> Gated<u64> + Send + Sync,
) {
    let gates: Vec<Gate> = (0..n).map(|_| Gate::new()).collect();
    let running = Running::new();
    let (g, r) = (gates.clone(), Arc::clone(&running));
    (gates, running, move |x: u64| {
        g[x as usize].future(x, Arc::clone(&r))
    })
}

#[test]
fn a_future_that_never_completes_is_dropped_and_the_stream_times_out() {
    let vts = VirtualTimeScheduler::new();
    let (_gates, running, f) = gated(10);
    let probe = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::<u64>::unbounded();
    probe
        .publisher()
        .map_async(2, f)
        .timeout_on(secs(5), &vts)
        .subscribe(ts.clone());
    assert_eq!(running.now(), 2);
    vts.advance_by(secs(4));
    ts.assert_not_terminated();
    assert_eq!(running.now(), 2);
    vts.advance_by(secs(1));
    ts.assert_no_values().assert_error_kind(ErrorKind::Timeout);
    assert_eq!(running.now(), 0, "the timed-out futures were not dropped");
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0, "timers left armed");
}

#[test]
fn futures_in_time_pass_and_their_timers_are_cancelled() {
    let vts = VirtualTimeScheduler::new();
    let (gates, _running, f) = gated(3);
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .map_async(3, f)
        .timeout_on(secs(5), &vts)
        .subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 3);
    vts.advance_by(secs(4));
    for gate in &gates {
        gate.open();
    }
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(secs(10));
    ts.assert_values(&[0, 1, 2])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn the_clock_starts_when_the_future_gets_a_slot() {
    let vts = VirtualTimeScheduler::new();
    let (gates, _running, f) = gated(2);
    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .map_async(1, f)
        .timeout_on(secs(2), &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    vts.advance_by(Duration::from_millis(1500));
    gates[0].open(); // item 1 starts now, at 1.5 s
    vts.advance_by(Duration::from_millis(1500)); // 3 s: 1.5 s into item 1
    assert_eq!(ts.values().len(), 1);
    ts.assert_not_terminated();
    vts.advance_by(Duration::from_millis(500));
    let values = ts.values();
    assert_eq!(*values[0].as_ref().unwrap(), 0);
    assert_eq!(values[1].as_ref().unwrap_err().kind(), ErrorKind::Timeout);
    ts.assert_complete();
}

#[test]
fn pass_timeouts_keeps_the_stream_going_in_item_order() {
    let vts = VirtualTimeScheduler::new();
    let (gates, running, f) = gated(4);
    let ts = TestSubscriber::unbounded();
    source::range(0..4u64)
        .map_async(4, f)
        .timeout_on(secs(1), &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    gates[3].open();
    gates[0].open();
    vts.advance_by(secs(1)); // 1 and 2 time out
    let kinds: Vec<Result<u64, ErrorKind>> = ts
        .values()
        .into_iter()
        .map(|r| r.map_err(|e| e.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            Ok(0),
            Err(ErrorKind::Timeout),
            Err(ErrorKind::Timeout),
            Ok(3)
        ]
    );
    ts.assert_complete();
    assert_eq!(running.now(), 0);
}

#[test]
fn unordered_mode_emits_the_timeout_when_it_happens() {
    let vts = VirtualTimeScheduler::new();
    let (gates, _running, f) = gated(2);
    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .map_async_unordered(2, f)
        .timeout_on(secs(1), &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    vts.advance_by(secs(1));
    assert_eq!(ts.values().len(), 2);
    assert!(ts.values().iter().all(|r| r.is_err()));
    drop(gates);
    ts.assert_complete();
}

#[test]
fn with_fail_on_error_an_err_still_fails_and_a_timeout_is_passed_on() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .map_async(3, |x| async move {
            match x {
                0 => Ok(x),
                1 => {
                    std::future::pending::<()>().await;
                    Ok(x)
                }
                _ => Err("two is bad"),
            }
        })
        .fail_on_error()
        .timeout_on(secs(1), &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    // The Err of item 2 fails the stream at once; item 0 went out first.
    assert_eq!(*ts.values()[0].as_ref().unwrap(), 0);
    ts.assert_error_message("two is bad");
    assert_eq!(vts.pending_tasks(), 0);

    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .map_async(2, |x| async move {
            if x == 1 {
                std::future::pending::<()>().await;
            }
            Ok::<u64, Error>(x)
        })
        .fail_on_error()
        .timeout_on(secs(1), &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    vts.advance_by(secs(1));
    let values = ts.values();
    assert_eq!(*values[0].as_ref().unwrap(), 0);
    assert_eq!(values[1].as_ref().unwrap_err().kind(), ErrorKind::Timeout);
    ts.assert_complete();
}

#[test]
fn a_panicking_future_fails_the_stream_and_cancels_the_timers() {
    let vts = VirtualTimeScheduler::new();
    let (_gates, running, f) = gated(3);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..3u64)
        .map_async(3, move |x| {
            let gated = f(x);
            async move {
                if x == 2 {
                    panic!("boom in future 2");
                }
                gated.await
            }
        })
        .timeout_on(secs(1), &vts)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Panic);
    assert_eq!(running.now(), 0);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn cancel_drops_the_futures_and_their_timers() {
    let vts = VirtualTimeScheduler::new();
    let (_gates, running, f) = gated(4);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..4u64)
        .map_async(4, f)
        .timeout_on(secs(1), &vts)
        .subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 4);
    ts.cancel();
    assert_eq!(running.now(), 0);
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(secs(2));
    ts.assert_no_values().assert_not_terminated();
}

#[test]
fn a_scheduler_disposed_under_armed_timers_fails_the_stream() {
    let vts = VirtualTimeScheduler::new();
    let (_gates, running, f) = gated(2);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..2u64)
        .map_async(2, f)
        .timeout_on(secs(1), &vts)
        .subscribe(ts.clone());
    vts.dispose();
    ts.await_terminal(WAIT)
        .assert_error_message("dropped unrun");
    assert_eq!(running.now(), 0);
}

#[test]
fn a_disposed_scheduler_refuses_the_timer_and_the_stream_fails() {
    let vts = VirtualTimeScheduler::new();
    vts.dispose();
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..2u64)
        .map_async(2, |x| async move { x })
        .timeout_on(secs(1), &vts)
        .subscribe(ts.clone());
    // The futures were ready at their first poll: the output wins.
    ts.assert_values(&[0, 1]).assert_complete();

    let (_gates, running, f) = gated(2);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..2u64)
        .map_async(2, f)
        .timeout_on(secs(1), &vts)
        .subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected);
    assert_eq!(running.now(), 0);
}

#[test]
fn a_zero_timeout_times_out_every_pending_future() {
    let vts = VirtualTimeScheduler::new();
    let (_gates, _running, f) = gated(2);
    let ts = TestSubscriber::unbounded();
    source::range(0..2u64)
        .map_async(2, f)
        .timeout_on(Duration::ZERO, &vts)
        .pass_timeouts()
        .subscribe(ts.clone());
    vts.run_due();
    assert_eq!(ts.values().len(), 2);
    ts.assert_complete();
}

#[test]
fn the_timeout_on_a_real_scheduler_frees_a_future_that_never_completes() {
    let result = source::just(1u32)
        .map_async(1, |_| std::future::pending::<u32>())
        .timeout(Duration::from_millis(5))
        .blocking_collect();
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Timeout);
    let scheduler: Arc<dyn Scheduler> = reactive_streams::scheduler::single().into();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .map_async(2, |_| std::future::pending::<u64>())
        .timeout_on(Duration::from_millis(5), scheduler)
        .pass_timeouts()
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_complete();
    assert_eq!(ts.values().len(), 3);
}
