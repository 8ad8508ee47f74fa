//! The timer heap: time order, ties in insertion order, and the lazy sweep
//! that keeps cancelled timers from piling up.

use std::time::{Duration, Instant};

use crate::scheduler::{
    Executor, ExecutorScheduler, RejectReason, Scheduler, Task, TaskHandle, TimerHeap, SWEEP_MIN,
};
use crate::sync::{Arc, Mutex};

/// An executor that hands every timer task to the test.
#[derive(Debug, Default)]
struct Collect(Mutex<Vec<Task>>);

impl Executor for Collect {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        task.run();
        Ok(())
    }

    fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
        self.0.lock().push(task);
        Ok(())
    }
}

/// `n` real timer tasks of a worker (so their cancellation is visible to
/// the heap), with the handles that cancel them.
fn timers(n: usize) -> (Vec<Task>, Vec<TaskHandle>, ExecutorScheduler) {
    let executor = Arc::new(Collect::default());
    let scheduler = ExecutorScheduler::new("collect", Arc::clone(&executor));
    let worker = scheduler.worker();
    let handles = (0..n)
        .map(|_| {
            worker
                .schedule_after(Duration::from_secs(1), || {})
                .unwrap()
        })
        .collect();
    let tasks = std::mem::take(&mut *executor.0.lock());
    (tasks, handles, scheduler)
}

#[test]
fn pops_in_time_order_then_insertion_order() {
    let (tasks, _handles, _scheduler) = timers(5);
    let t0 = Instant::now();
    let at = [3, 1, 2, 1, 0].map(|s| t0 + Duration::from_secs(s));
    let mut heap = TimerHeap::default();
    let mut order = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        assert!(heap.push(at[i], task).is_empty());
        order.push((at[i], i));
    }
    assert_eq!(heap.next_deadline(), Some(t0));
    assert!(heap.pop_due(t0 - Duration::from_nanos(1)).is_none());
    let mut popped = Vec::new();
    while let Some((when, _task)) = heap.pop_due(t0 + Duration::from_secs(10)) {
        popped.push(when);
    }
    order.sort(); // by time, then by insertion index
    assert_eq!(popped, order.iter().map(|(t, _)| *t).collect::<Vec<_>>());
    assert_eq!(heap.len(), 0);
}

#[test]
fn pop_due_leaves_later_entries() {
    let (tasks, _handles, _scheduler) = timers(2);
    let t0 = Instant::now();
    let mut heap = TimerHeap::default();
    let mut tasks = tasks.into_iter();
    let _ = heap.push(t0 + Duration::from_secs(2), tasks.next().unwrap());
    let _ = heap.push(t0, tasks.next().unwrap());
    assert!(heap.pop_due(t0).is_some());
    assert!(heap.pop_due(t0 + Duration::from_secs(1)).is_none());
    assert_eq!(heap.len(), 1);
    assert_eq!(heap.take_all().len(), 1);
    assert_eq!(heap.len(), 0);
}

#[test]
fn cancelled_entries_are_swept_so_the_heap_stays_near_its_live_size() {
    // A timeout armed and cancelled per item: 10 000 timers, one live.
    let (tasks, handles, _scheduler) = timers(10_000);
    let t0 = Instant::now();
    let mut heap = TimerHeap::default();
    let mut swept = 0;
    let mut peak = 0;
    for (task, handle) in tasks.into_iter().zip(&handles) {
        swept += heap.push(t0, task).len();
        handle.cancel();
        peak = peak.max(heap.len());
    }
    assert!(peak <= SWEEP_MIN, "peak {peak} above the sweep bound");
    assert_eq!(swept + heap.len(), 10_000);
    assert_eq!(heap.live(), 0);
}

#[test]
fn live_entries_survive_a_sweep() {
    let (tasks, handles, _scheduler) = timers(200);
    let t0 = Instant::now();
    let mut heap = TimerHeap::default();
    let mut swept = 0;
    for (i, (task, handle)) in tasks.into_iter().zip(&handles).enumerate() {
        if i % 2 == 1 {
            handle.cancel();
        }
        swept += heap.push(t0, task).len();
    }
    assert!(swept > 0, "a sweep ran");
    assert_eq!(heap.live(), 100);
    let mut popped = 0;
    while let Some((_, task)) = heap.pop_due(t0) {
        popped += usize::from(!task.is_cancelled());
    }
    assert_eq!(popped, 100);
}
