//! A bounded single-producer single-consumer queue, split into a
//! [`Producer`] and a [`Consumer`] handle.
//!
//! The producer is usually an operator's inner subscriber (its `on_next` is
//! serial, §1.3); the consumer lives in the drain state of the operator, so
//! only the drainer pops. Taking `&mut self` on both sides makes "single"
//! a compile-time fact.
//!
//! PLACEHOLDER implementation behind a lock, with the final API; the
//! lock-free ring replaces it.

use std::collections::VecDeque;

use crate::sync::{Arc, Mutex};

/// Makes a queue of at most `capacity` items (at least 1).
pub(crate) fn spsc<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    let capacity = capacity.max(1);
    let shared = Arc::new(Shared {
        items: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        capacity,
    });
    (
        Producer {
            shared: Arc::clone(&shared),
        },
        Consumer { shared },
    )
}

#[derive(Debug)]
struct Shared<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
}

/// The pushing end of an [`spsc`] queue.
#[derive(Debug)]
pub(crate) struct Producer<T> {
    shared: Arc<Shared<T>>,
}

/// The popping end of an [`spsc`] queue.
#[derive(Debug)]
pub(crate) struct Consumer<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Producer<T> {
    /// Appends `item`, or hands it back when the queue is full.
    pub(crate) fn push(&mut self, item: T) -> Result<(), T> {
        let mut items = self.shared.items.lock();
        if items.len() >= self.shared.capacity {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }

    /// The queue's capacity.
    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity
    }
}

impl<T> Consumer<T> {
    /// Removes the oldest item.
    pub(crate) fn pop(&mut self) -> Option<T> {
        self.shared.items.lock().pop_front()
    }

    /// True when no item is waiting (a snapshot: the producer may push right
    /// after).
    pub(crate) fn is_empty(&self) -> bool {
        self.shared.items.lock().is_empty()
    }

    /// The number of items waiting (a snapshot).
    pub(crate) fn len(&self) -> usize {
        self.shared.items.lock().len()
    }

    /// Drops every waiting item (on cancel, §3.13).
    pub(crate) fn clear(&mut self) {
        let drained: Vec<T> = self.shared.items.lock().drain(..).collect();
        drop(drained); // outside the lock: an item's Drop may do anything
    }

    /// The queue's capacity.
    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity
    }
}
