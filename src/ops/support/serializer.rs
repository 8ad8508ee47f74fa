//! `HalfSerializer`: serial signals to one downstream when items come from
//! one upstream but the end may come from another, on another thread
//! (Reactor's `HalfSerializer`, built on this crate's [`Drain`]).
//!
//! `take_until` and `skip_until` pass the main upstream's items on the main
//! upstream's thread, while the other publisher (or a downstream `cancel`)
//! may end the stream at any moment from its own. Only the items are
//! ordered among themselves (§1.3 of the main upstream), so only the end
//! needs coordinating with them: a "half" serializer. An item takes the
//! drain for the time of its `on_next`; an end is recorded, then delivered
//! by whoever holds the drain, at once if nobody does.
//!
//! # Implementation notes
//!
//! ## State
//! * `drain: Drain<Option<S>>`: the downstream subscriber, `None` once the
//!   end was delivered (it is dropped then, §3.13). The drain's counter
//!   serializes the signals (`drain.rs`).
//! * `end: Mutex<Ending>`: `Open`, then the first end recorded
//!   (`Recorded`), then `Delivered`. Only the first end counts (§1.7).
//!
//! ## Field access rules
//! * `drain`'s state: the drainer only. Items enter it from the main
//!   upstream (one at a time, §1.3); an end enters it once, from the thread
//!   that recorded it.
//! * `end`: under its lock, never held while signalling.
//! * Once entered for an end, the drain is closed (never left), so no item
//!   can follow the end (§1.7).
//!
//! ## Races considered
//! 1. An end during an item's `on_next` (from another thread, or from inside
//!    it: a downstream `cancel`): the end is recorded before its `try_enter`,
//!    which fails and bumps the counter; the item's drainer then finds the
//!    counter raised when it leaves, and delivers the recorded end. Recording
//!    happens-before the bump (program order, and the lock), and the bump
//!    happens-before the drainer's `leave` sees it (the drain's AcqRel), so
//!    the drainer finds the end recorded.
//! 2. An item while an end is being delivered: its `try_enter` fails (the
//!    ender holds the drain, closed for good), and the item is dropped: the
//!    stream is over (§1.7).
//! 3. Two ends at once (the other publisher signals while the main upstream
//!    completes, or a downstream `cancel` races both): the first to record
//!    wins; the others change nothing and do not enter.

use core::fmt;
use core::marker::PhantomData;

use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// How the stream ends.
#[derive(Debug)]
pub(crate) enum End {
    /// `on_complete` downstream.
    Complete,
    /// `on_error` downstream.
    Error(Error),
    /// Downstream cancelled: nothing is signalled, the subscriber is dropped.
    Cancel,
}

enum Ending {
    Open,
    Recorded(End),
    Delivered,
}

/// Serializes a stream's items (from one party) with its end (from any);
/// see the module docs.
pub(crate) struct HalfSerializer<S, T> {
    drain: Drain<Option<S>>,
    end: Mutex<Ending>,
    _item: PhantomData<fn(T)>,
}

impl<S, T> HalfSerializer<S, T>
where
    S: Subscriber<T>,
{
    /// A serializer in front of `downstream`, before `on_subscribe`.
    pub(crate) fn new(downstream: S) -> Self {
        HalfSerializer {
            drain: Drain::new(Some(downstream)),
            end: Mutex::new(Ending::Open),
            _item: PhantomData,
        }
    }

    /// Hands `subscription` downstream (§1.9). Call once, before anything
    /// that may signal exists (before subscribing upstream); an end recorded
    /// from inside downstream's `on_subscribe` (a `cancel`) is delivered
    /// when it returns.
    pub(crate) fn on_subscribe(&self, subscription: Arc<dyn Subscription>) {
        if let Some(mut entered) = self.drain.try_enter() {
            if let Some(downstream) = entered.state() {
                downstream.on_subscribe(subscription);
            }
            self.leave(entered);
        }
    }

    /// Passes an item, unless the stream is ending. Only the main upstream
    /// calls this, one item at a time. Returns what downstream's
    /// `try_on_next` said, or true for an item dropped because the stream is
    /// over.
    #[inline]
    pub(crate) fn next(&self, item: T) -> bool {
        let Some(mut entered) = self.drain.try_enter() else {
            return true; // race 2: an end is being delivered
        };
        let accepted = match entered.state() {
            Some(downstream) => downstream.try_on_next(item),
            None => true,
        };
        self.leave(entered);
        accepted
    }

    /// Records `end` if it is the first. Returns false when another end was
    /// recorded before (race 3). After true, call [`deliver`](Self::deliver).
    pub(crate) fn record(&self, end: End) -> bool {
        let mut ending = self.end.lock();
        if matches!(*ending, Ending::Open) {
            *ending = Ending::Recorded(end);
            true
        } else {
            false
        }
    }

    /// Delivers the recorded end now, or leaves it to the party draining
    /// (race 1).
    pub(crate) fn deliver(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.finish(entered);
        }
    }

    /// True once an end was recorded.
    pub(crate) fn is_ended(&self) -> bool {
        !matches!(*self.end.lock(), Ending::Open)
    }

    fn leave(&self, entered: Entered<'_, Option<S>>) {
        if let Some(again) = entered.leave() {
            // Only an end enters while an item is out (race 1).
            self.finish(again);
        }
    }

    /// Delivers the recorded end and closes the drain for good.
    #[cold]
    fn finish(&self, mut entered: Entered<'_, Option<S>>) {
        let end = match core::mem::replace(&mut *self.end.lock(), Ending::Delivered) {
            Ending::Recorded(end) => end,
            other => {
                debug_assert!(false, "the drain was entered with no end recorded");
                drop(other);
                End::Cancel
            }
        };
        let downstream = entered.state().take();
        // Closed: no item can follow the end (§1.7). The subscriber is a
        // local now; nobody else can reach it.
        entered.close();
        if let Some(mut downstream) = downstream {
            match end {
                End::Complete => downstream.on_complete(),
                End::Error(error) => downstream.on_error(error),
                End::Cancel => {}
            }
            // Dropped here (§3.13).
        }
    }
}

impl<S, T> fmt::Debug for HalfSerializer<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ending = match &*self.end.lock() {
            Ending::Open => "open",
            Ending::Recorded(_) => "ending",
            Ending::Delivered => "ended",
        };
        f.debug_struct("HalfSerializer")
            .field("drain", &self.drain)
            .field("end", &ending)
            .finish()
    }
}
