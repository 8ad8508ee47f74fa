//! `ExecutorScheduler` over executors written here: the contract of
//! `Executor` (refusing, dropping tasks, shutdown once) seen from the worker.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use reactive_streams::scheduler::{Executor, ExecutorScheduler, RejectReason, Scheduler, Task};

use crate::probe::DropProbe;

/// Keeps every task it is given, runs them when the test says, counts
/// shutdowns.
#[derive(Debug, Default)]
struct Manual {
    tasks: Mutex<Vec<Task>>,
    refuse: Mutex<Option<RejectReason>>,
    shutdowns: AtomicUsize,
}

impl Manual {
    fn run_all(&self) {
        loop {
            let batch = std::mem::take(&mut *self.tasks.lock().unwrap());
            if batch.is_empty() {
                return;
            }
            for task in batch {
                task.run();
            }
        }
    }

    fn drop_all(&self) {
        let batch = std::mem::take(&mut *self.tasks.lock().unwrap());
        drop(batch);
    }
}

impl Executor for Manual {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        if let Some(reason) = self.refuse.lock().unwrap().clone() {
            return Err(reason);
        }
        self.tasks.lock().unwrap().push(task);
        Ok(())
    }

    fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
        self.execute(task)
    }

    fn shutdown(&self) {
        self.shutdowns.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn one_drain_task_per_wake_up_not_one_per_task() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("manual", executor.clone());
    let worker = scheduler.worker();
    let runs = Arc::new(AtomicUsize::new(0));
    for _ in 0..10 {
        let runs = runs.clone();
        worker
            .schedule(move || {
                runs.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
    }
    assert_eq!(executor.tasks.lock().unwrap().len(), 1);
    executor.run_all();
    assert_eq!(runs.load(Ordering::SeqCst), 10);
    // Idle again: the next task hands over a new drain.
    worker.schedule(|| {}).unwrap();
    assert_eq!(executor.tasks.lock().unwrap().len(), 1);
}

#[test]
fn a_refused_drain_rejects_the_task_with_the_executors_reason() {
    let executor = Arc::new(Manual::default());
    *executor.refuse.lock().unwrap() = Some(RejectReason::Unavailable("no threads".into()));
    let scheduler = ExecutorScheduler::new("refusing", executor.clone());
    let worker = scheduler.worker();
    let probe = DropProbe::default();
    let guard = probe.guard();
    let rejected = worker.schedule(move || drop(guard)).unwrap_err();
    assert_eq!(
        rejected.reason(),
        &RejectReason::Unavailable("no threads".into())
    );
    assert_eq!(
        rejected.to_string(),
        "scheduler `refusing` rejected a task: it could not start a thread: no threads"
    );
    assert_eq!(probe.dropped(), 1);
    // The worker's lane is closed; a new worker may try again.
    assert!(worker.is_disposed());
    *executor.refuse.lock().unwrap() = None;
    assert!(scheduler.worker().schedule(|| {}).is_ok());
}

#[test]
fn a_drain_the_executor_drops_closes_the_worker_and_drops_its_tasks() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("dropping", executor.clone());
    let worker = scheduler.worker();
    let probe = DropProbe::default();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let guard = probe.guard();
            worker.schedule(move || drop(guard)).unwrap()
        })
        .collect();
    executor.drop_all();
    assert_eq!(probe.dropped(), 3);
    assert!(handles.iter().all(|h| h.is_cancelled()));
    assert!(worker.is_disposed());
    assert_eq!(
        worker.schedule(|| {}).unwrap_err().reason(),
        &RejectReason::Abandoned
    );
}

#[test]
fn a_dropped_timer_cancels_its_task() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("timers", executor.clone());
    let worker = scheduler.worker();
    let probe = DropProbe::default();
    let guard = probe.guard();
    let handle = worker
        .schedule_after(std::time::Duration::from_secs(1), move || drop(guard))
        .unwrap();
    executor.drop_all();
    assert_eq!(probe.dropped(), 1);
    assert!(handle.is_cancelled());
    assert!(
        !worker.is_disposed(),
        "a timer lost does not close the worker"
    );
}

#[test]
fn shutdown_is_called_once_when_disposed() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("once", executor.clone());
    scheduler.dispose();
    scheduler.dispose();
    drop(scheduler);
    assert_eq!(executor.shutdowns.load(Ordering::SeqCst), 1);
}

#[test]
fn the_last_worker_keeps_the_scheduler_alive() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("owned", executor.clone());
    let worker = scheduler.worker();
    let shared: Arc<dyn Scheduler> = (&scheduler).into();
    drop(scheduler);
    drop(shared);
    assert_eq!(executor.shutdowns.load(Ordering::SeqCst), 0);
    assert!(!worker.is_disposed());
    drop(worker);
    assert_eq!(executor.shutdowns.load(Ordering::SeqCst), 1);
}

#[test]
fn pending_tasks_do_not_keep_the_scheduler_alive() {
    let executor = Arc::new(Manual::default());
    let scheduler = ExecutorScheduler::new("pending", executor.clone());
    scheduler.worker().schedule(|| {}).unwrap();
    drop(scheduler);
    assert_eq!(executor.shutdowns.load(Ordering::SeqCst), 1);
    // A foreign executor may still run what it holds: the task is dropped,
    // not run, because its scheduler is disposed.
    let probe = DropProbe::default();
    let guard = probe.guard();
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    let scheduler = ExecutorScheduler::new("late", executor.clone());
    scheduler
        .worker()
        .schedule(move || {
            let _keep = &guard;
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    drop(scheduler);
    executor.run_all();
    assert_eq!(probe.dropped(), 1);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}
