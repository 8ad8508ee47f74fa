//! A bounded single-producer single-consumer queue, split into a
//! [`Producer`] and a [`Consumer`] handle: a lock-free ring buffer.
//!
//! The producer is usually an operator's inner subscriber (its `on_next` is
//! serial, §1.3); the consumer lives in the drain state of the operator, so
//! only the drainer pops. Taking `&mut self` on both sides makes "single"
//! a compile-time fact.
//!
//! Both `push` and `pop` are wait-free: a handful of instructions, one
//! `Release` store of the caller's own index, and a load of the other side's
//! index only when the cached copy of it says "full" (or "empty").
//!
//! Bounded SPSC ring after Lamport / Vyukov:
//! * L. Lamport, "Specifying Concurrent Program Modules", ACM TOPLAS 5(2),
//!   1983, <https://doi.org/10.1145/69624.357207>: the ring whose two indices
//!   each have a single writer, so no read-modify-write is ever needed.
//! * D. Vyukov, "Unbounded SPSC queue",
//!   <https://www.1024cores.net/home/lock-free-algorithms/queues/unbounded-spsc-queue>:
//!   acquire/release publication, producer and consumer data on separate
//!   cache lines, and each side keeping a private copy of the other side's
//!   position so that the hot path touches only its own line (the same idea
//!   as the "local control variables" of Lee, Bu and Chandranmenon's
//!   MCRingBuffer, IPDPS 2010).
//!
//! # Capacity
//!
//! The ring has `capacity.next_power_of_two()` slots, so that a position maps
//! to a slot with a mask, but [`Producer::push`] refuses an item once
//! `capacity` items are waiting: the bound operators rely on ("at most
//! `prefetch` items buffered") is exactly the one they asked for. The slots
//! are allocated up front; this queue is for bounded prefetch buffers, not for
//! "unbounded" ones.
//!
//! # Implementation notes
//!
//! ## State
//! `head: AtomicUsize` (in [`Shared`]): the position of the next item to pop.
//! `tail: AtomicUsize`: the position the next pushed item will take.
//! Positions count items since the queue was made and wrap around at
//! `usize::MAX`; position `i` lives in slot `i & mask`. All index arithmetic
//! is wrapping, and `tail - head` (the length) is always in `0..=capacity`.
//! Because the number of slots is a power of two, it divides `2^usize::BITS`,
//! so `i & mask` stays continuous when a position wraps.
//!
//! Each handle keeps its own index in a plain field (`Producer::tail`,
//! `Consumer::head`, always equal to the atomic, which only it writes) and a
//! cache of the other side's index (`Producer::head_cache`,
//! `Consumer::tail_cache`), refreshed only when the cached value would make
//! the operation fail. A cached index is an old value of a counter that only
//! grows, so it can only make the queue look fuller (to the producer) or
//! emptier (to the consumer) than it is: the handle then reloads, and never
//! acts on a slot it does not own.
//!
//! ## Field access rules
//! 1. Slots at positions `head..tail` hold initialized items. Only the
//!    consumer touches them: it reads, moves out of or drops the slot at
//!    `head` (having seen `tail > head` through an `Acquire` load of `tail`),
//!    then publishes `head + 1` with a `Release` store.
//! 2. Every other slot is uninitialized (never written, or moved out of).
//!    Only the producer touches them: it writes the slot at `tail`, and only
//!    when `tail - head < capacity` for a `head` it read with `Acquire` (the
//!    slot's previous item, at position `tail - slots`, was then popped), then
//!    publishes `tail + 1` with a `Release` store.
//! 3. `tail` is stored only by the producer, `head` only by the consumer; a
//!    handle's plain copy of its own index is always equal to the atomic.
//!    (This is not checked with a `debug_assert!` that loads the atomic: loom
//!    backtracks only against the last access to an atomic, so an extra load
//!    by the owner just before its store hides the other side's loads, and
//!    the model silently stops exploring the race.)
//! 4. `Shared::drop` runs when both handles are gone, with `&mut self`, and
//!    drops the items at `head..tail`.
//!
//! ## Races considered
//! 1. `push` into a full queue vs `pop`: the producer overwrites slot
//!    `t & mask` only after its `Acquire` load of `head` returned more than
//!    `t - capacity`, so it read the consumer's `Release` store made after
//!    the consumer moved the old item out of that slot. The move happens
//!    before the overwrite; no item is overwritten while being read.
//! 2. `pop` from an empty queue vs `push`: the consumer reads slot `h & mask`
//!    only after its `Acquire` load of `tail` returned more than `h`, so it
//!    read the producer's `Release` store made after the item was written.
//!    No half-written item is read, and no item is read twice, because
//!    `head` moves past it before anyone could look again.
//! 3. [`Consumer::peek`] vs `push`: the reference points at slot `head`,
//!    which the producer leaves alone until `head` moves (rule 2), and `head`
//!    cannot move while the reference borrows the `Consumer`.
//! 4. Both handles dropped at once, on two threads: they share the ring
//!    through an `Arc`, whose last drop runs `Shared::drop` after an
//!    `Acquire` fence that pairs with the other handle's `Release`
//!    decrement, so the final `head`, `tail` and slot contents are visible
//!    (rule 4). (Under loom, `crate::sync::Arc` is std's, so the models join
//!    the threads before the last handle is dropped.)
#![allow(unsafe_code)] // the slots are `UnsafeCell<MaybeUninit<T>>`; see the field access rules above.

use core::fmt;
use core::mem::{self, MaybeUninit};

use crossbeam_utils::CachePadded;

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::Arc;

/// Makes a queue of at most `capacity` items (at least 1).
///
/// # Panics
///
/// If `capacity` rounded up to a power of two does not fit in a `usize`.
/// The slots are allocated here, all at once: like `Vec::with_capacity`, it
/// panics if their size overflows, and aborts if the allocation fails.
pub(crate) fn spsc<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    spsc_from(capacity, 0)
}

/// [`spsc`], with the positions starting at `start` instead of 0, so that
/// tests reach the wrap-around of the indices at `usize::MAX`.
#[cfg(test)]
pub(crate) fn spsc_starting_at<T>(capacity: usize, start: usize) -> (Producer<T>, Consumer<T>) {
    spsc_from(capacity, start)
}

fn spsc_from<T>(capacity: usize, start: usize) -> (Producer<T>, Consumer<T>) {
    let capacity = capacity.max(1);
    let slots = capacity
        .checked_next_power_of_two()
        .unwrap_or_else(|| panic!("spsc capacity {capacity} is too large"));
    let shared = Arc::new(Shared {
        head: CachePadded::new(AtomicUsize::new(start)),
        tail: CachePadded::new(AtomicUsize::new(start)),
        slots: (0..slots)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect(),
        mask: slots - 1,
        capacity,
    });
    (
        Producer {
            shared: Arc::clone(&shared),
            tail: start,
            head_cache: start,
        },
        Consumer {
            shared,
            head: start,
            tail_cache: start,
        },
    )
}

/// The ring both handles point to.
///
/// # Invariant
///
/// `tail - head` (wrapping) is in `0..=capacity`; the slots at positions
/// `head..tail` are initialized and belong to the consumer, all others are
/// uninitialized and belong to the producer (field access rules 1 and 2 in
/// the module docs).
struct Shared<T> {
    /// Position of the next item to pop. Stored only by the consumer.
    head: CachePadded<AtomicUsize>,
    /// Position the next pushed item takes. Stored only by the producer.
    tail: CachePadded<AtomicUsize>,
    /// `mask + 1` slots, a power of two; position `i` is slot `i & mask`.
    ///
    /// # Safety
    ///
    /// A slot is accessed only by the side that owns it (rules 1 and 2).
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
    /// `slots.len() - 1`.
    mask: usize,
    /// The most items waiting at once; `capacity <= slots.len()`.
    capacity: usize,
}

// SAFETY: the slots are `T`s moved from the producer's thread to the
// consumer's (rules 1 and 2 give each slot one owner at a time, handed over
// with Release/Acquire), so sharing `Shared` needs `T: Send`. No `&T` is ever
// reachable from two threads: `Consumer::peek` takes `&mut Consumer`.
// (`Send` is derived: the waiting `T`s are owned, and `drop` may drop them on
// any thread, which `T: Send` allows.)
unsafe impl<T: Send> Sync for Shared<T> {}

impl<T> Shared<T> {
    /// The cell of position `index`.
    #[inline]
    fn slot(&self, index: usize) -> &UnsafeCell<MaybeUninit<T>> {
        &self.slots[index & self.mask]
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() {
            return;
        }
        // Ordering: Relaxed (both). We have `&mut self`: the last `Arc` drop
        // ran an Acquire fence that makes every store of both handles visible.
        // Pairs with: the Release decrement of the other handle's `Arc`.
        let mut head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        debug_assert!(tail.wrapping_sub(head) <= self.capacity);
        while head != tail {
            self.slot(head).with_mut(|slot| {
                // SAFETY: rule 4: position `head` is in `head..tail`, so the
                // slot holds an item (rule 1) and nobody else can reach it.
                // It is dropped once: `head` moves past it right below. (If
                // that drop panics, the items after it are leaked, not
                // dropped twice.)
                unsafe { slot.cast::<T>().drop_in_place() }
            });
            head = head.wrapping_add(1);
        }
    }
}

/// The pushing end of an [`spsc`] queue.
pub(crate) struct Producer<T> {
    shared: Arc<Shared<T>>,
    /// Our copy of `shared.tail`, which only we store (rule 3).
    tail: usize,
    /// A past value of `shared.head`: `tail - head_cache` is at least the
    /// real length.
    head_cache: usize,
}

impl<T> Producer<T> {
    /// Appends `item`, or hands it back when `capacity` items are waiting.
    #[inline]
    pub(crate) fn push(&mut self, item: T) -> Result<(), T> {
        let shared = &*self.shared;
        let tail = self.tail;
        if tail.wrapping_sub(self.head_cache) == shared.capacity {
            // Ordering: Acquire. The consumer moved items out of the slots
            // before storing this `head`; acquiring it makes those moves
            // happen before our write into a freed slot (race 1).
            // Pairs with: the Release store of `head` in `Consumer::pop`.
            self.head_cache = shared.head.load(Ordering::Acquire);
            if tail.wrapping_sub(self.head_cache) == shared.capacity {
                return Err(item);
            }
        }
        debug_assert!(tail.wrapping_sub(self.head_cache) < shared.capacity);
        shared.slot(tail).with_mut(|slot| {
            // SAFETY: rule 2: `tail - head < capacity` for a `head` acquired
            // above (or earlier: it only grows), so the slot at `tail` is
            // uninitialized and ours; writing does not drop anything.
            unsafe { slot.cast::<T>().write(item) }
        });
        let next = tail.wrapping_add(1);
        // Ordering: Release. Publishes the item written above to the consumer
        // (race 2). Pairs with: the Acquire loads of `tail` in
        // `Consumer::refresh` (behind `pop`, `peek`, `clear`).
        shared.tail.store(next, Ordering::Release);
        self.tail = next;
        Ok(())
    }

    /// True when `capacity` items are waiting, so that [`push`](Self::push)
    /// would hand its item back (a snapshot: the consumer may pop right
    /// after). A `false` is reliable: only this producer adds items.
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        let shared = &*self.shared;
        if self.tail.wrapping_sub(self.head_cache) < shared.capacity {
            return false;
        }
        // Ordering: Relaxed: a count only; `push` acquires `head` itself
        // before it writes a slot, and coherence makes that load see at least
        // this value.
        let head = shared.head.load(Ordering::Relaxed);
        self.tail.wrapping_sub(head) == shared.capacity
    }

    /// The queue's capacity: the most items that can wait at once.
    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity
    }
}

impl<T> fmt::Debug for Producer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("capacity", &self.shared.capacity)
            .field("full", &self.is_full())
            .finish()
    }
}

/// The popping end of an [`spsc`] queue.
pub(crate) struct Consumer<T> {
    shared: Arc<Shared<T>>,
    /// Our copy of `shared.head`, which only we store (rule 3).
    head: usize,
    /// A past value of `shared.tail`: `tail_cache - head` is at most the
    /// real length.
    tail_cache: usize,
}

impl<T> Consumer<T> {
    /// True when an item is waiting at `head`; reloads `tail` only when the
    /// cached copy says the queue is empty.
    #[inline]
    fn refresh(&mut self) -> bool {
        if self.head == self.tail_cache {
            // Ordering: Acquire. The producer wrote the items before storing
            // this `tail`; acquiring it makes those writes happen before our
            // reads (race 2). Pairs with: the Release store of `tail` in
            // `Producer::push`.
            self.tail_cache = self.shared.tail.load(Ordering::Acquire);
        }
        debug_assert!(self.tail_cache.wrapping_sub(self.head) <= self.shared.capacity);
        self.head != self.tail_cache
    }

    /// Removes the oldest item.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        if !self.refresh() {
            return None;
        }
        let head = self.head;
        let item = self.shared.slot(head).with_mut(|slot| {
            // SAFETY: rule 1: `refresh` acquired a `tail` past `head`, so the
            // slot holds an initialized item and is ours. We move it out, and
            // `head` moves past it below, so it is never read again.
            unsafe { slot.cast::<T>().read() }
        });
        let next = head.wrapping_add(1);
        // Ordering: Release. Our read of the slot above happens before the
        // producer's next write into it (race 1). Pairs with: the Acquire load
        // of `head` in `Producer::push`.
        self.shared.head.store(next, Ordering::Release);
        self.head = next;
        Some(item)
    }

    /// The oldest item, left in the queue.
    ///
    /// Takes `&mut self`, like `pop`, so that the reference ties up the
    /// consumer: `head` cannot move while it lives (race 3), and a shared
    /// `&Consumer` never hands out `&T` (so `Consumer<T>` is `Sync` for
    /// every `T: Send`, as the lock-based queue was).
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<&T> {
        if !self.refresh() {
            return None;
        }
        let item = self.shared.slot(self.head).with(|slot| {
            // SAFETY: rule 1: `refresh` acquired a `tail` past `head`, so the
            // slot holds an initialized item. The reference lives as long as
            // the `&mut self` borrow, during which `head` cannot move, so the
            // producer does not touch the slot (race 3).
            unsafe { &*slot.cast::<T>() }
        });
        Some(item)
    }

    /// True when no item is waiting (a snapshot: the producer may push right
    /// after). A `false` is reliable: only this consumer removes items.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        if self.head != self.tail_cache {
            return false;
        }
        // Ordering: Relaxed: a count only; `pop` acquires `tail` itself before
        // it reads a slot, and coherence makes that load see at least this
        // value, so a `false` here means the next `pop` returns an item.
        self.shared.tail.load(Ordering::Relaxed) == self.head
    }

    /// The number of items waiting (a snapshot: it can only grow until the
    /// next `pop`).
    pub(crate) fn len(&self) -> usize {
        // Ordering: Relaxed: a count only (see `is_empty`).
        let len = self
            .shared
            .tail
            .load(Ordering::Relaxed)
            .wrapping_sub(self.head);
        debug_assert!(len <= self.shared.capacity);
        len
    }

    /// Drops the items that are waiting when it is called (on cancel, §3.13).
    ///
    /// Items pushed while it runs are left for the next call, so a producer
    /// that keeps pushing cannot keep it busy forever. Each item is removed
    /// before it is dropped: if a `Drop` panics, the items not yet dropped
    /// stay in the queue, and none is dropped twice.
    pub(crate) fn clear(&mut self) {
        // A snapshot; each `pop` below acquires `tail` itself.
        let waiting = self.len();
        for _ in 0..waiting {
            let item = self.pop();
            debug_assert!(item.is_some(), "only the consumer removes items");
            drop(item);
        }
    }

    /// The queue's capacity: the most items that can wait at once.
    pub(crate) fn capacity(&self) -> usize {
        self.shared.capacity
    }
}

impl<T> fmt::Debug for Consumer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("capacity", &self.shared.capacity)
            .field("len", &self.len())
            .finish()
    }
}
