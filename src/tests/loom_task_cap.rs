//! Loom: the queued-task cap (`scheduler/cap.rs`) seen through a worker: a
//! schedule takes a slot, a task that starts or is dropped gives it back.

use loom::thread;

use super::loom_worker::{Manual, Shared};
use crate::scheduler::{ExecutorScheduler, Extras, RejectReason, Scheduler};
use crate::sync::Arc;

/// A scheduler over a hand-driven executor, with a cap of `max` tasks.
fn capped(max: usize) -> (Arc<Manual>, ExecutorScheduler) {
    let executor = Arc::new(Manual::default());
    let extras = Extras {
        task_cap: Some(max),
        queue_timers: false,
        take_turns: false,
    };
    let scheduler = ExecutorScheduler::with_extras("capped", Arc::clone(&executor), extras);
    (executor, scheduler)
}

/// Race 1 of cap.rs: two schedules from two threads race for the one slot.
/// Exactly one is accepted, the other is rejected as `Full` (and its task
/// dropped unrun); the slot comes back when the accepted task starts.
#[test]
fn loom_task_cap_two_schedules_race_for_the_last_slot() {
    loom::model(|| {
        let (executor, scheduler) = capped(1);
        let shared = Arc::new(Shared::default());
        let other = {
            let (worker, shared) = (scheduler.worker(), Arc::clone(&shared));
            thread::spawn(move || {
                worker
                    .schedule(shared.task())
                    .map_err(|r| r.reason().clone())
            })
        };
        let mine = scheduler
            .worker()
            .schedule(shared.task())
            .map_err(|r| r.reason().clone());
        let theirs = other.join().unwrap();
        let accepted = [mine.is_ok(), theirs.is_ok()];
        assert_eq!(
            accepted.iter().filter(|a| **a).count(),
            1,
            "one slot, one task"
        );
        for outcome in [&mine, &theirs] {
            if let Err(reason) = outcome {
                assert_eq!(reason, &RejectReason::Full);
            }
        }
        assert_eq!(scheduler.queued_tasks(), Some(1));
        executor.run_all();
        assert_eq!(shared.runs(), 1);
        assert_eq!(shared.dropped(), 2, "the rejected task was dropped");
        assert_eq!(scheduler.queued_tasks(), Some(0), "the slot came back");
    });
}

/// Race 2 of cap.rs: a cancel gives a slot back while another thread
/// schedules into the full cap. The schedule is accepted or rejected as
/// `Full`; never are two tasks out under a cap of one, and every slot comes
/// back.
#[test]
fn loom_task_cap_cancel_races_a_schedule_at_the_cap() {
    loom::model(|| {
        let (executor, scheduler) = capped(1);
        let shared = Arc::new(Shared::default());
        let worker = scheduler.worker();
        let first = worker.schedule(shared.task()).unwrap();
        let canceller = thread::spawn(move || first.cancel());
        let second = worker.schedule(shared.task());
        canceller.join().unwrap();
        match &second {
            Ok(_) => assert_eq!(scheduler.queued_tasks(), Some(1)),
            Err(rejected) => {
                assert_eq!(rejected.reason(), &RejectReason::Full);
                assert_eq!(scheduler.queued_tasks(), Some(0));
            }
        }
        executor.run_all();
        assert_eq!(shared.runs(), usize::from(second.is_ok()));
        assert_eq!(shared.dropped(), 2);
        assert_eq!(scheduler.queued_tasks(), Some(0));
    });
}
