//! The futures `map_async` is running: at most `concurrency` of them, each in
//! a slot with its own waker, polled by the operator's drainer when their
//! waker says so.
//!
//! A slot's waker sets the slot's bit in a [`ReadySet`] and enters the
//! operator's drain ([`WakeTarget::signal`]); the drainer takes the bits and
//! polls those futures only, so a wake costs one poll, not a scan of every
//! future. Slots are made as they are first needed, so a large
//! `concurrency` costs nothing until that many futures run.
//!
//! # Implementation notes
//!
//! ## State
//! `ReadySet::words: [AtomicU64]`: bit `i` is set when slot `i`'s waker was
//! woken since the drainer last took the bit.
//!
//! ## Field access rules
//! 1. [`InFlight`] (the futures, the free list) is owned by the drainer.
//! 2. A bit is set by any thread (a waker), and taken (swapped to 0) only by
//!    the drainer.
//!
//! ## Races considered
//! 1. A wake against the drainer leaving: the waker sets its bit, *then*
//!    enters the drain. Either it enters (and polls), or the drainer is in,
//!    and its `leave` sees the extra signal and goes round again, taking the
//!    bit (`drain.rs`, race 1). The drainer takes a bit before it polls the
//!    future, so a wake during that poll sets the bit again and is not lost.
//!    Loom: `loom_map_async`.
//! 2. A stale waker (of a future that finished, its slot reused): it sets the
//!    bit of the new future, which is polled once for nothing. A wake after
//!    the operator terminated finds the drain closed.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::task::Wake;

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::Arc;

/// Which slots were woken: one bit per slot.
#[derive(Debug)]
pub(crate) struct ReadySet {
    words: Box<[AtomicU64]>,
}

impl ReadySet {
    /// A set for `slots` slots, none woken.
    pub(crate) fn new(slots: usize) -> Self {
        ReadySet {
            words: (0..slots.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Marks slot `index` woken.
    #[inline]
    pub(crate) fn set(&self, index: usize) {
        // Ordering: Release publishes what the waking party did before it
        // woke (the future's result, as far as the future's own
        // synchronization needs this) to the drainer that takes the bit.
        // Pairs with: the Acquire swap in `take`.
        self.words[index / 64].fetch_or(1 << (index % 64), Ordering::Release);
    }

    /// Takes the woken bits of word `word`, clearing them.
    #[inline]
    pub(crate) fn take(&self, word: usize) -> u64 {
        // Ordering: Acquire pairs with the Release in `set`.
        self.words[word].swap(0, Ordering::Acquire)
    }

    /// The number of words.
    #[inline]
    pub(crate) fn words(&self) -> usize {
        self.words.len()
    }
}

/// What a slot's waker wakes: the operator, which owns the [`ReadySet`] and
/// a drain.
pub(crate) trait WakeTarget: Send + Sync + 'static {
    /// The set the waker marks.
    fn ready(&self) -> &ReadySet;

    /// Enters the drain if nobody is in it, and drains.
    fn signal(&self);
}

/// The waker of one slot.
struct SlotWaker<W> {
    target: Arc<W>,
    index: usize,
}

impl<W: WakeTarget> Wake for SlotWaker<W> {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // The bit first, then the drain (race 1).
        self.target.ready().set(self.index);
        self.target.signal();
    }
}

/// A slot's waker for `target`.
pub(crate) fn slot_waker<W: WakeTarget>(target: Arc<W>, index: usize) -> Waker {
    Waker::from(Arc::new(SlotWaker { target, index }))
}

/// What polling a future gave.
#[derive(Debug)]
pub(crate) enum Polled<O> {
    /// Still running (or the slot was empty: a stale wake).
    Pending,
    /// Item `seq`'s future finished; its slot is free again.
    Ready { seq: u64, output: O },
    /// The future panicked. It stays in its slot; the caller fails the
    /// stream and clears everything.
    Panicked(Error),
}

/// The running futures; see the module docs. Owned by the drainer.
pub(crate) struct InFlight<Fut> {
    slots: Vec<Slot<Fut>>,
    /// Slots without a future.
    free: Vec<usize>,
    running: usize,
    capacity: usize,
}

struct Slot<Fut> {
    /// `Unpin`: `map_async` boxes the user's future inside (`launch.rs`).
    future: Option<Fut>,
    /// The item the future is for.
    seq: u64,
    waker: Waker,
}

impl<Fut: Future + Unpin> InFlight<Fut> {
    /// Room for `capacity` futures at once (slots are made on first use).
    pub(crate) fn new(capacity: usize) -> Self {
        InFlight {
            slots: Vec::new(),
            free: Vec::new(),
            running: 0,
            capacity,
        }
    }

    /// True when another future may start.
    #[inline]
    pub(crate) fn has_room(&self) -> bool {
        self.running < self.capacity
    }

    /// True when no future runs.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.running == 0
    }

    /// Starts `future` for item `seq` in a free slot (making one with a waker
    /// from `waker` if none is free), and polls it once. Call only with
    /// [`has_room`](InFlight::has_room).
    pub(crate) fn start(
        &mut self,
        future: Fut,
        seq: u64,
        waker: impl FnOnce(usize) -> Waker,
    ) -> Polled<Fut::Output> {
        debug_assert!(self.has_room());
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = self.slots.len();
                self.slots.push(Slot {
                    future: None,
                    seq: 0,
                    waker: waker(index),
                });
                index
            }
        };
        let slot = &mut self.slots[index];
        slot.future = Some(future);
        slot.seq = seq;
        self.running += 1;
        self.poll(index)
    }

    /// Polls the future in slot `index`, if there is one, with its waker. A
    /// finished future is dropped and its slot freed.
    pub(crate) fn poll(&mut self, index: usize) -> Polled<Fut::Output> {
        let Some(slot) = self.slots.get_mut(index) else {
            return Polled::Pending; // a stale wake
        };
        let Some(future) = slot.future.as_mut() else {
            return Polled::Pending; // a stale wake
        };
        let mut cx = Context::from_waker(&slot.waker);
        match guard(|| Pin::new(&mut *future).poll(&mut cx)) {
            Ok(Poll::Pending) => Polled::Pending,
            Ok(Poll::Ready(output)) => {
                slot.future = None;
                self.running -= 1;
                self.free.push(index);
                Polled::Ready {
                    seq: slot.seq,
                    output,
                }
            }
            Err(panic) => Polled::Panicked(panic),
        }
    }

    /// Drops every future, and the slots' wakers with them (which breaks the
    /// cycle operator → slot → waker → operator), on termination.
    pub(crate) fn clear(&mut self) {
        self.slots = Vec::new();
        self.free = Vec::new();
        self.running = 0;
    }
}

impl<Fut> core::fmt::Debug for InFlight<Fut> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InFlight")
            .field("running", &self.running)
            .field("capacity", &self.capacity)
            .field("slots", &self.slots.len())
            .finish()
    }
}
