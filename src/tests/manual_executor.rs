//! An executor for loom models whose tasks wait until a model thread runs
//! them, so that drains and timers can run on different threads, at once.
//! Deadlines are ignored: a timer task runs when the model runs it. Its
//! clock is the real one, or one the model sets ([`ManualExecutor::set_now`]).

use std::time::Instant;

use crate::scheduler::{Executor, RejectReason, Task};
use crate::sync::Mutex;

#[derive(Debug, Default)]
pub(crate) struct ManualExecutor {
    pub(crate) tasks: Mutex<Vec<Task>>,
    shut: Mutex<bool>,
    clock: Mutex<Option<Instant>>,
}

impl ManualExecutor {
    /// From now on, the clock reads `now`.
    pub(crate) fn set_now(&self, now: Instant) {
        *self.clock.lock() = Some(now);
    }

    /// Runs the tasks queued now, and those they queue.
    pub(crate) fn run_all(&self) {
        loop {
            let batch = std::mem::take(&mut *self.tasks.lock());
            if batch.is_empty() {
                return;
            }
            for task in batch {
                task.run();
            }
        }
    }

    /// Runs the tasks queued now, not those they queue (a periodic timer
    /// re-arms itself).
    pub(crate) fn run_queued(&self) {
        let batch = std::mem::take(&mut *self.tasks.lock());
        for task in batch {
            task.run();
        }
    }

    /// Takes the oldest queued task out, to run it on a thread of the
    /// model's choosing.
    pub(crate) fn take(&self) -> Task {
        let mut tasks = self.tasks.lock();
        assert!(!tasks.is_empty(), "no task queued");
        tasks.remove(0)
    }

    /// Queued tasks not cancelled.
    pub(crate) fn live(&self) -> usize {
        self.tasks
            .lock()
            .iter()
            .filter(|task| !task.is_cancelled())
            .count()
    }
}

impl Executor for ManualExecutor {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        if *self.shut.lock() {
            return Err(RejectReason::Disposed);
        }
        self.tasks.lock().push(task);
        Ok(())
    }

    fn execute_at(&self, _: Instant, task: Task) -> Result<(), RejectReason> {
        self.execute(task)
    }

    fn now(&self) -> Instant {
        self.clock.lock().unwrap_or_else(Instant::now)
    }

    fn shutdown(&self) {
        *self.shut.lock() = true;
        let dropped = std::mem::take(&mut *self.tasks.lock());
        drop(dropped);
    }
}
