//! `VirtualTimeScheduler`: time moves only when the test moves it, tasks run
//! on the advancing thread in time order, ties in scheduling order.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::scheduler::{RejectReason, Scheduler, VirtualTimeScheduler, MAX_DELAY};

use crate::probe::{DropProbe, Log};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn nothing_runs_until_the_clock_is_moved() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let log = Log::default();
    let (now_log, later_log) = (log.clone(), log.clone());
    worker.schedule(move || now_log.push("now")).unwrap();
    worker
        .schedule_after(secs(1), move || later_log.push("later"))
        .unwrap();
    assert!(log.get().is_empty());
    vts.run_due();
    assert_eq!(log.get(), ["now"]);
    vts.advance_by(Duration::from_millis(999));
    assert_eq!(log.get(), ["now"]);
    vts.advance_by(Duration::from_millis(1));
    assert_eq!(log.get(), ["now", "later"]);
}

#[test]
fn tasks_run_on_the_advancing_thread_with_the_clock_at_their_due_time() {
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let log = Log::default();
    for (worker, delay) in [(vts.worker(), 3), (vts.worker(), 1), (vts.worker(), 2)] {
        let (log, clock) = (log.clone(), worker.clone());
        worker
            .schedule_after(secs(delay), move || {
                log.push((clock.now() - start, std::thread::current().id()));
            })
            .unwrap();
    }
    vts.advance_by(secs(10));
    let me = std::thread::current().id();
    assert_eq!(log.get(), [(secs(1), me), (secs(2), me), (secs(3), me)]);
    assert_eq!(vts.elapsed(), secs(10));
    assert_eq!(vts.now(), start + secs(10));
}

#[test]
fn ties_run_in_scheduling_order_across_workers() {
    let vts = VirtualTimeScheduler::new();
    let (a, b) = (vts.worker(), vts.worker());
    let log = Log::default();
    for (worker, name) in [(&a, "a1"), (&b, "b1"), (&a, "a2"), (&b, "b2"), (&a, "a3")] {
        let log = log.clone();
        worker
            .schedule_after(secs(5), move || log.push(name))
            .unwrap();
    }
    vts.advance_by(secs(5));
    assert_eq!(log.get(), ["a1", "b1", "a2", "b2", "a3"]);
}

#[test]
fn a_task_scheduled_for_a_time_already_reached_runs_within_the_same_advance() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let start = vts.now();
    let log = Log::default();
    let (inner, inner_log) = (worker.clone(), log.clone());
    worker
        .schedule_after(secs(1), move || {
            inner_log.push(("outer", inner.now() - start));
            for (name, delay) in [("now", 0), ("+2s", 2), ("+20s", 20)] {
                let (log, clock) = (inner_log.clone(), inner.clone());
                inner
                    .schedule_after(secs(delay), move || log.push((name, clock.now() - start)))
                    .unwrap();
            }
        })
        .unwrap();
    vts.advance_by(secs(10));
    assert_eq!(
        log.get(),
        [("outer", secs(1)), ("now", secs(1)), ("+2s", secs(3))]
    );
    vts.advance_by(secs(11));
    assert_eq!(log.get().last(), Some(&("+20s", secs(21))));
}

#[test]
fn a_periodic_task_runs_once_per_period_crossed_at_fixed_rate() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let start = vts.now();
    let log = Log::default();
    let (inner_log, clock) = (log.clone(), worker.clone());
    let handle = worker
        .schedule_periodically(Duration::from_millis(500), secs(2), move || {
            inner_log.push(clock.now() - start);
        })
        .unwrap();
    vts.advance_by(secs(7));
    let ms = Duration::from_millis;
    assert_eq!(log.get(), [ms(500), ms(2500), ms(4500), ms(6500)]);
    assert_eq!(vts.pending_tasks(), 1);
    handle.cancel();
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(secs(100));
    assert_eq!(log.get().len(), 4);
}

#[test]
fn a_periodic_task_can_cancel_itself() {
    let vts = VirtualTimeScheduler::new();
    let count = Arc::new(AtomicU32::new(0));
    let slot: Arc<Mutex<Option<reactive_streams::scheduler::TaskHandle>>> = Arc::default();
    let (counter, own) = (count.clone(), slot.clone());
    let probe = DropProbe::default();
    let guard = probe.guard();
    let handle = vts
        .worker()
        .schedule_periodically(secs(1), secs(1), move || {
            let _keep = &guard;
            if counter.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
                own.lock().unwrap().as_ref().unwrap().cancel();
            }
        })
        .unwrap();
    *slot.lock().unwrap() = Some(handle.clone());
    vts.advance_by(secs(10));
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert!(handle.is_cancelled());
    assert_eq!(
        probe.dropped(),
        1,
        "the closure was dropped after its last run"
    );
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_zero_period_is_rejected() {
    let vts = VirtualTimeScheduler::new();
    let rejected = vts
        .worker()
        .schedule_periodically(secs(1), Duration::ZERO, || {})
        .unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::ZeroPeriod);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn huge_delays_and_advances_are_clamped_not_panics() {
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let log = Log::default();
    let inner = log.clone();
    vts.worker()
        .schedule_after(Duration::MAX, move || inner.push("far"))
        .unwrap();
    vts.advance_by(Duration::MAX);
    assert_eq!(log.get(), ["far"]);
    assert_eq!(vts.now(), start + MAX_DELAY);
    vts.advance_to(start); // the past: the clock stays
    assert_eq!(vts.now(), start + MAX_DELAY);
}

#[test]
fn an_advance_from_inside_a_task_extends_the_advance_in_progress() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let log = Log::default();
    let (inner_vts, inner_log) = (vts.clone(), log.clone());
    worker
        .schedule_after(secs(1), move || {
            inner_vts.advance_by(secs(5)); // returns at once
            inner_log.push("advanced");
        })
        .unwrap();
    let late = log.clone();
    worker
        .schedule_after(secs(4), move || late.push("at 4s"))
        .unwrap();
    vts.advance_by(secs(1));
    assert_eq!(log.get(), ["advanced", "at 4s"]);
    assert_eq!(vts.elapsed(), secs(6));
}

#[test]
fn an_advance_from_another_thread_waits_for_the_one_in_progress() {
    let vts = VirtualTimeScheduler::new();
    let log = Log::default();
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let inner = log.clone();
    vts.worker()
        .schedule_after(secs(1), move || {
            started_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            inner.push("task done");
        })
        .unwrap();
    let runner = {
        let vts = vts.clone();
        std::thread::spawn(move || vts.advance_by(secs(1)))
    };
    started_rx.recv().unwrap(); // the runner is inside the task
    let second = {
        let (vts, log) = (vts.clone(), log.clone());
        std::thread::spawn(move || {
            vts.advance_by(secs(1));
            log.push("second advance returned");
        })
    };
    // Whether or not the second advance has started waiting yet, it cannot
    // return before the task it would overlap with is done.
    release_tx.send(()).unwrap();
    runner.join().unwrap();
    second.join().unwrap();
    assert_eq!(log.get(), ["task done", "second advance returned"]);
    assert_eq!(vts.elapsed(), secs(2));
}

#[test]
fn disposal_drops_pending_tasks_and_rejects_later_ones() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let probe = DropProbe::default();
    for delay in [0, 1, 2] {
        let guard = probe.guard();
        worker
            .schedule_after(secs(delay), move || drop(guard))
            .unwrap();
    }
    let guard = probe.guard();
    let periodic = worker
        .schedule_periodically(secs(1), secs(1), move || {
            let _keep = &guard;
        })
        .unwrap();
    vts.dispose();
    assert_eq!(probe.dropped(), 4, "every closure dropped at disposal");
    assert!(periodic.is_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
    let rejected = worker.schedule(|| {}).unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::Disposed);
    assert_eq!(rejected.scheduler(), "virtual-time");
    vts.advance_by(secs(10)); // nothing left to run, no panic
}

#[test]
fn disposing_a_worker_releases_its_timers_at_once() {
    let vts = VirtualTimeScheduler::new();
    let (worker, other) = (vts.worker(), vts.worker());
    let probe = DropProbe::default();
    for _ in 0..3 {
        let guard = probe.guard();
        worker
            .schedule_after(secs(3600), move || drop(guard))
            .unwrap();
    }
    let kept = Log::default();
    let inner = kept.clone();
    other
        .schedule_after(secs(1), move || inner.push(1))
        .unwrap();
    worker.dispose();
    assert_eq!(probe.dropped(), 3);
    assert_eq!(vts.pending_tasks(), 1);
    vts.advance_by(secs(2));
    assert_eq!(kept.get(), [1]);
}

#[test]
fn runs_are_deterministic() {
    fn scenario() -> Vec<(u32, Duration)> {
        let vts = VirtualTimeScheduler::new();
        let start = vts.now();
        let log = Log::default();
        let workers: Vec<_> = (0..3).map(|_| vts.worker()).collect();
        for (i, worker) in workers.iter().enumerate() {
            let i = i as u32;
            let (ticks, clock) = (log.clone(), worker.clone());
            worker
                .schedule_periodically(secs(u64::from(i)), secs(u64::from(i) + 1), move || {
                    ticks.push((i, clock.now() - start));
                })
                .unwrap();
            let (once, clock) = (log.clone(), worker.clone());
            worker
                .schedule_after(secs(2), move || once.push((10 + i, clock.now() - start)))
                .unwrap();
        }
        vts.advance_by(secs(7));
        log.get()
    }
    let first = scenario();
    assert_eq!(first.len(), 8 + 4 + 2 + 3);
    for _ in 0..5 {
        assert_eq!(scenario(), first);
    }
}

#[test]
fn timestamps_are_instants_from_the_start() {
    let before = Instant::now();
    let vts = VirtualTimeScheduler::new();
    let after = Instant::now();
    assert!(vts.now() >= before && vts.now() <= after);
    let t0 = vts.now();
    vts.advance_by(secs(1));
    assert_eq!(vts.now(), t0 + secs(1));
}

#[test]
fn arming_and_cancelling_many_timers_leaves_none_pending() {
    let vts = VirtualTimeScheduler::new();
    let worker = vts.worker();
    let probe = DropProbe::default();
    for _ in 0..10_000 {
        let guard = probe.guard();
        worker
            .schedule_after(secs(30), move || drop(guard))
            .unwrap()
            .cancel();
    }
    assert_eq!(
        probe.dropped(),
        10_000,
        "each closure dropped at its cancel"
    );
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(secs(60));
}
