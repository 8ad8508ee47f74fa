//! `TaskCap`: the queued-task cap of a scheduler (the
//! [`blocking`](super::blocking) scheduler's): how many tasks it holds that
//! have not started, and the most it takes.
//!
//! A task takes a [`Permit`] when it is accepted; the permit lives inside
//! the task's closure, so it is given back when the closure is dropped
//! unrun (cancel, disposal, an executor dropping it) or when the task
//! starts (a one-shot task drops it first thing; a periodic task keeps it
//! until it ends). Counting in the closure needs no bookkeeping in the
//! worker and cannot leak a slot: every closure is dropped exactly once.
//!
//! # Implementation notes
//!
//! ## State
//! `queued: AtomicUsize`: permits out, `0..=max`. Raised only by a
//! successful compare-exchange from a value below `max`, lowered only by a
//! permit's drop.
//!
//! ## Races considered
//! 1. Two schedules race for the last slot: each reads the count and
//!    compare-exchanges it one up; the loser re-reads the raised count and
//!    is rejected. Never more than `max` permits out. Modelled in
//!    `src/tests/loom_task_cap.rs`.
//! 2. A permit dropped while a schedule finds the cap full: the schedule
//!    either reads the lowered count (and takes the slot) or is rejected
//!    with [`RejectReason::Full`](super::RejectReason::Full); a rejection
//!    is a snapshot, never a lost slot.
//!
//! The count publishes nothing: the task itself reaches the thread that
//! runs it through the worker's mutex, so every access is `Relaxed`.

use core::fmt;

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::Arc;

/// A scheduler's count of accepted, unstarted tasks, and its cap.
pub(crate) struct TaskCap {
    queued: AtomicUsize,
    max: usize,
}

/// One slot of a [`TaskCap`], given back on drop.
pub(crate) struct Permit(Arc<TaskCap>);

impl TaskCap {
    /// A cap of `max` tasks (at least one).
    pub(crate) fn new(max: usize) -> Arc<TaskCap> {
        Arc::new(TaskCap {
            queued: AtomicUsize::new(0),
            max: max.max(1),
        })
    }

    /// A slot, or `None` when `max` tasks are queued (race 1).
    pub(crate) fn acquire(self: &Arc<Self>) -> Option<Permit> {
        // Ordering: Relaxed; the count publishes nothing (module docs). The
        // compare-exchange below pairs with this load and with the
        // `fetch_sub` in `Permit::drop`.
        let mut queued = self.queued.load(Ordering::Relaxed);
        loop {
            if queued >= self.max {
                return None;
            }
            // Ordering: Relaxed, as above; the read-modify-write alone keeps
            // the count at or below `max`.
            match self.queued.compare_exchange_weak(
                queued,
                queued + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(Permit(Arc::clone(self))),
                Err(now) => {
                    queued = now;
                    crate::sync::spin_loop();
                }
            }
        }
    }

    /// Permits out now.
    pub(crate) fn queued(&self) -> usize {
        // Ordering: Relaxed; a snapshot for statistics and tests.
        self.queued.load(Ordering::Relaxed)
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        // Ordering: Relaxed; pairs with the compare-exchange in `acquire`
        // only through the count itself (race 2).
        let before = self.0.queued.fetch_sub(1, Ordering::Relaxed);
        debug_assert!(before > 0, "a permit given back twice");
    }
}

impl fmt::Debug for TaskCap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskCap")
            .field("queued", &self.queued())
            .field("max", &self.max)
            .finish()
    }
}
