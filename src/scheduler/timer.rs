//! The scheduler-owned timer: a binary min-heap of deadlines.
//!
//! **Why a heap, not a hierarchical wheel.** A wheel wins when very many
//! timers are armed and cancelled at a fixed resolution (a network stack's
//! retransmit timers). Ours belong to one event loop or to the virtual clock:
//! a handful to thousands of entries, where a heap's `O(log n)` push and pop
//! cost tens of nanoseconds, ordering is exact (no tick rounding, which the
//! virtual clock could not accept: a task due at 1.5 ms must run at 1.5 ms,
//! not at the next tick), and ties break by scheduling order through a
//! sequence number, which makes virtual time deterministic.
//!
//! Cancelled entries are not searched for (a heap cannot remove from the
//! middle cheaply); they are dropped lazily: when the heap has doubled since
//! the last sweep, one `O(n)` pass drops every cancelled entry. A stream that
//! arms and cancels a timeout per item therefore keeps at most about twice
//! its live timers (plus [`SWEEP_MIN`]), never one entry per item it ever saw.

use std::cmp::Ordering as CmpOrdering;
use std::collections::BinaryHeap;
use std::time::Instant;

use super::task::Task;

/// Below this many entries the heap is never swept.
pub(crate) const SWEEP_MIN: usize = 64;

/// Deadlines in time order, ties in insertion order.
#[derive(Debug)]
pub(crate) struct TimerHeap {
    heap: BinaryHeap<Entry>,
    next_seq: u64,
    /// Sweep cancelled entries when the heap reaches this length.
    sweep_at: usize,
}

#[derive(Debug)]
struct Entry {
    at: Instant,
    seq: u64,
    task: Task,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    // Reversed: `BinaryHeap` is a max-heap, we pop the earliest (then the
    // first inserted) entry.
    fn cmp(&self, other: &Self) -> CmpOrdering {
        other
            .at
            .cmp(&self.at)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

impl Default for TimerHeap {
    fn default() -> Self {
        TimerHeap {
            heap: BinaryHeap::new(),
            next_seq: 0,
            sweep_at: SWEEP_MIN,
        }
    }
}

impl TimerHeap {
    /// Adds `task` for `at`. Returns the cancelled entries a sweep removed:
    /// the caller drops them **after** releasing its lock, because dropping a
    /// task may drop the last handle of a scheduler, whose shutdown takes
    /// that lock again.
    #[must_use = "drop the swept tasks outside the lock"]
    pub(crate) fn push(&mut self, at: Instant, task: Task) -> Vec<Task> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { at, seq, task });
        if self.heap.len() < self.sweep_at {
            return Vec::new();
        }
        let (live, swept): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut self.heap)
            .into_vec()
            .into_iter()
            .partition(|entry| !entry.task.is_cancelled());
        self.heap = BinaryHeap::from(live);
        self.sweep_at = (self.heap.len() * 2).max(SWEEP_MIN);
        swept.into_iter().map(|entry| entry.task).collect()
    }

    /// The earliest deadline, if any.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.heap.peek().map(|entry| entry.at)
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<(Instant, Task)> {
        if self.heap.peek()?.at > now {
            return None;
        }
        let entry = self.heap.pop()?;
        Some((entry.at, entry.task))
    }

    /// Entries whose task is not cancelled.
    pub(crate) fn live(&self) -> usize {
        self.heap
            .iter()
            .filter(|entry| !entry.task.is_cancelled())
            .count()
    }

    /// All entries, now; the caller drops them outside its lock.
    #[must_use = "drop the tasks outside the lock"]
    pub(crate) fn take_all(&mut self) -> Vec<Task> {
        std::mem::take(&mut self.heap)
            .into_vec()
            .into_iter()
            .map(|entry| entry.task)
            .collect()
    }

    /// Number of entries, cancelled ones included.
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}
