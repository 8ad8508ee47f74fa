//! Where `map_async`'s finished results wait for the downstream: in item
//! order (`map_async`) or in the order they finished (`map_async_unordered`).
//!
//! Owned by the operator's drainer; no atomics. The operator bounds it: every
//! result here came from an item requested of upstream and not yet emitted,
//! and those are at most the window (`concurrency + buffer`), because
//! upstream is asked for more only as results leave. So the ordered ring
//! (one slot per item started and not yet emitted) and the unordered queue
//! never hold more than the window, however slow the head item or the
//! downstream.

use std::collections::VecDeque;

/// The finished results of one `map_async` subscription.
#[derive(Debug)]
pub(crate) enum Finished<U> {
    /// Item order: a slot per item from `head` on, `None` until its future
    /// finishes; results leave from the front only, once it is `Some`.
    Ordered {
        /// The sequence number of the front slot.
        head: u64,
        slots: VecDeque<Option<U>>,
    },
    /// Finishing order: results leave as they came.
    Unordered(VecDeque<U>),
}

impl<U> Finished<U> {
    pub(crate) fn new(ordered: bool) -> Self {
        if ordered {
            Finished::Ordered {
                head: 0,
                slots: VecDeque::new(),
            }
        } else {
            Finished::Unordered(VecDeque::new())
        }
    }

    /// The future of item `seq` started; sequence numbers start at 0 and go
    /// up by one.
    #[inline]
    pub(crate) fn started(&mut self, seq: u64) {
        if let Finished::Ordered { head, slots } = self {
            debug_assert_eq!(seq, *head + slots.len() as u64, "items start in order");
            slots.push_back(None);
        }
    }

    /// The future of item `seq` finished with `result`.
    #[inline]
    pub(crate) fn finished(&mut self, seq: u64, result: U) {
        match self {
            Finished::Ordered { head, slots } => {
                let slot = &mut slots[(seq - *head) as usize];
                debug_assert!(slot.is_none(), "item {seq} finished twice");
                *slot = Some(result);
            }
            Finished::Unordered(queue) => queue.push_back(result),
        }
    }

    /// The next result to emit, if it has finished.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<U> {
        match self {
            Finished::Ordered { head, slots } => {
                if !matches!(slots.front(), Some(Some(_))) {
                    return None;
                }
                *head += 1;
                slots.pop_front().flatten()
            }
            Finished::Unordered(queue) => queue.pop_front(),
        }
    }

    /// True when nothing waits here (and, in item order, nothing started is
    /// unfinished).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Finished::Ordered { slots, .. } => slots.is_empty(),
            Finished::Unordered(queue) => queue.is_empty(),
        }
    }

    /// Drops every result (on cancel or failure, §3.13).
    pub(crate) fn clear(&mut self) {
        match self {
            Finished::Ordered { slots, .. } => *slots = VecDeque::new(),
            Finished::Unordered(queue) => *queue = VecDeque::new(),
        }
    }
}
