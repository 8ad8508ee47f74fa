//! `create`: a push source fed through [`Emitter`]s, from any number of
//! threads, with an [`Overflow`] strategy for items that arrive without demand.
//!
//! For each subscriber, `create` calls the user's producer once with an
//! [`Emitter`]. The producer (or any thread it hands a clone to) pushes items
//! with [`Emitter::next`] and ends the stream with [`Emitter::complete`] or
//! [`Emitter::error`]. This is the bridge from callback and listener APIs,
//! which push at their own pace, to a stream whose subscriber sets the pace.
//!
//! Emission is serialized by the source whatever threads emit (§1.3): every
//! signal to the subscriber happens inside one drain (`drain.rs`), and the
//! thread that enters it delivers what the others queued.
//!
//! # Demand
//!
//! Items are delivered while there is outstanding demand, in the order they
//! were accepted. An item that arrives without demand is handled by the
//! [`Overflow`] strategy chosen at creation: buffered (bounded or not),
//! dropped, kept as the latest, or an overflow error. Every item that is not
//! going to be delivered is handed back to the producer in an [`EmitError`];
//! nothing is lost silently. `complete` and `error` are delivered after the
//! items accepted before them; `request(0)` and `cancel` act at once and drop
//! the buffer (§3.9, §3.13). A cooperative producer follows
//! [`Emitter::requested`] or registers [`Emitter::on_request`].
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: requested minus *taken* items (an item is taken, and its
//! demand subtracted, when the drainer pops it), plus the cancelled bit, which
//! `request(0)` sets too (`demand.rs`).
//!
//! `buffer: Mutex<Buffer<T>>`: `items`, accepted but not yet taken; `end`,
//! the terminal signal to deliver once `items` is empty; `closed`, set once
//! `next` must refuse items (after `complete`, `error`, an `Overflow::Error`
//! overflow, or the drainer's handling of a cancel).
//!
//! `hooks: Mutex<Hooks>`: the producer's `on_request` and `on_cancel`
//! callbacks, and whether they are closed (cancelled or terminated).
//!
//! `emitters: AtomicUsize`: live [`Emitter`] handles; the last one dropped
//! completes the stream.
//!
//! `drain: Drain<Option<S>>`: the subscriber; `None` once terminated or
//! cancelled, so that it is dropped (§3.13).
//!
//! ## Field access rules
//! 1. The subscriber: the drainer only (`drain.rs`). `subscribe` enters the
//!    drain before handing out the subscription, so `on_subscribe` runs as
//!    the first drainer and a `request` inside it only records demand.
//! 2. `demand` is decreased (`produced`) only by the drainer and only while it
//!    holds the `buffer` lock, together with popping the item. So under the
//!    lock, `demand.get() - items.len()` is exactly the demand that no
//!    accepted item covers yet; `request` may raise `demand` at any time, and
//!    that only ever makes an emitter's view too cautious, never too generous.
//! 3. No user code runs while a lock of ours is held: items, errors and hooks
//!    are moved out and dropped or called after unlocking, because their
//!    `Drop` may hold an [`Emitter`] (whose last drop completes the stream and
//!    so takes the `buffer` lock) and a hook may emit or request.
//! 4. Lock order: `hooks` before `buffer` (only `on_request` registration
//!    nests them). The drainer never holds both.
//!
//! ## Races considered
//! 1. Two emitters: each pushes under the lock, then tries to enter the
//!    drain; whichever enters delivers both items, and an emitter that did
//!    not enter is sure the drainer sees its item (`drain.rs`, race 1).
//! 2. `request` vs `next`: the requester adds demand, then tries to enter;
//!    the emitter pushes, then tries to enter. The last to enter (or the
//!    drainer, on its next round) sees both, so an item accepted with or
//!    without demand is delivered once demand exists. An emitter that read
//!    the demand just before a request lands treats its item as excess, which
//!    is the strategy's business (buffered, or handed back).
//! 3. `cancel` vs `next`: `cancel` sets the bit, then tries to enter; the
//!    drainer checks the bit before every item, and whoever holds the drain
//!    when the bit is seen sets `closed` and takes the buffer under the lock.
//!    An emitter that pushed before that is drained with the buffer; one that
//!    comes after sees `closed` (or the bit) and gets its item back as
//!    `Closed`. Either way nothing is left in the buffer of a cancelled
//!    stream, and the subscriber is dropped (§3.13).
//! 4. `complete` vs `next`: both go through the lock; an item accepted before
//!    `closed` was set is delivered before the terminal signal, which the
//!    drainer delivers only when it finds `items` empty and `end` set under
//!    one lock (the "done, then empty" snapshot of B7 is a single critical
//!    section here).
//! 5. The last emitter dropped vs a racing `next` on another clone: cannot
//!    happen, the other clone is alive. The `emitters` decrement is AcqRel, so
//!    the last dropper's `complete` is ordered after every other clone's
//!    emissions.
//! 6. `on_request` registration vs `request`: `request` adds demand while
//!    holding the `hooks` lock, so each request is either counted in the
//!    registration's initial call or reported to the hook on its own, never
//!    both, never neither.
//! 7. A subscriber that panics in a signal (breaking §2.13): the panic
//!    unwinds into the emitting thread and the drain closes for good
//!    (`drain.rs`, rule 2); later items are buffered or refused by the
//!    strategy, never delivered. Not undefined behaviour, and not recovered.
//!
//! ## Cost
//! An accepted item takes the `buffer` lock twice (accept, take), the
//! drain's counter twice, and one `produced` CAS (none under unbounded
//! demand); `Emitter` calls go through one indirect call, which keeps the
//! subscriber type out of `Emitter<T>`.

use core::fmt;
use core::marker::PhantomData;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::{Demand, UNBOUNDED};
use crate::drain::{After, Drain, Entered};
use crate::error::Error;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// What [`create`] does with an item that arrives when the subscriber has not
/// asked for it (no outstanding demand, once the items already accepted are
/// counted).
///
/// Items that arrive *with* demand are always accepted and delivered in
/// order. Every strategy hands an item that will not be delivered back to the
/// producer in an [`EmitError`]; none loses an item silently.
///
/// # Examples
///
/// ```
/// use reactive_streams::source::Overflow;
///
/// let strategy = Overflow::Buffer(64);
/// assert_ne!(strategy, Overflow::Unbounded);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Overflow {
    /// Keeps up to `capacity` items beyond demand in a buffer, delivered as
    /// demand arrives. When the buffer is full, [`Emitter::next`] refuses the
    /// item and hands it back as [`EmitError::Full`], so the producer can slow
    /// down and retry (for instance when [`Emitter::requested`] is positive
    /// again, or from an [`Emitter::on_request`] hook). `Buffer(0)` accepts
    /// only items that have demand.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, EmitError, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let numbers = source::create(Overflow::Buffer(2), move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(1);
    /// numbers.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.next(1), Ok(())); // delivered: there was demand for one
    /// assert_eq!(emitter.next(2), Ok(())); // buffered
    /// assert_eq!(emitter.next(3), Ok(())); // buffered
    /// assert_eq!(emitter.next(4), Err(EmitError::Full(4))); // refused, handed back
    /// ts.assert_values(&[1]);
    ///
    /// ts.request(3);
    /// ts.assert_values(&[1, 2, 3]);
    /// assert_eq!(emitter.next(4), Ok(())); // the retry finds demand
    /// ts.assert_values(&[1, 2, 3, 4]);
    /// ```
    Buffer(usize),

    /// Buffers every item beyond demand, without a bound. Use it only when
    /// the producer is known to be finite or slower than the subscriber:
    /// memory is the limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let numbers = source::create(Overflow::Unbounded, |emitter| {
    ///     for i in 0..1000 {
    ///         emitter.next(i).unwrap(); // never refused
    ///     }
    ///     emitter.complete();
    /// });
    /// let ts = TestSubscriber::new(0);
    /// numbers.subscribe(ts.clone());
    /// ts.assert_no_values().assert_not_terminated(); // all 1000 wait for demand
    /// ts.request(1000);
    /// ts.assert_values(&(0..1000).collect::<Vec<_>>()).assert_complete();
    /// ```
    Unbounded,

    /// Drops an item that arrives without demand, and hands it back as
    /// [`EmitError::Dropped`]: the subscriber sees only items emitted while
    /// it wanted them.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, EmitError, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let ticks = source::create(Overflow::DropNewest, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(1);
    /// ticks.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.next("a"), Ok(()));
    /// assert_eq!(emitter.next("b"), Err(EmitError::Dropped("b")));
    /// ts.request(1);
    /// assert_eq!(emitter.next("c"), Ok(()));
    /// ts.assert_values(&["a", "c"]);
    /// ```
    DropNewest,

    /// Keeps only the most recent item that arrived without demand, and
    /// delivers it when demand arrives: a subscriber that falls behind skips
    /// to the latest value. The item it replaces is handed back as
    /// [`EmitError::Dropped`] (so under `Latest`, `Dropped` carries the
    /// *older* item, and the one just passed to `next` was kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, EmitError, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let prices = source::create(Overflow::Latest, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(0);
    /// prices.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.next(100), Ok(())); // kept as the latest
    /// assert_eq!(emitter.next(101), Err(EmitError::Dropped(100))); // 101 replaces 100
    /// assert_eq!(emitter.next(102), Err(EmitError::Dropped(101)));
    /// ts.request(5);
    /// ts.assert_values(&[102]);
    /// ```
    Latest,

    /// Treats an item that arrives without demand as a failure: the stream
    /// stops accepting items and ends with an [`ErrorKind::Overflow`] error,
    /// delivered after the items accepted before (which all had demand). The
    /// item is handed back as [`EmitError::Overflow`]; later calls get
    /// [`EmitError::Closed`].
    ///
    /// [`ErrorKind::Overflow`]: crate::ErrorKind::Overflow
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, EmitError, Overflow};
    /// use reactive_streams::{ErrorKind, Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let strict = source::create(Overflow::Error, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(1);
    /// strict.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.next(1), Ok(()));
    /// assert_eq!(emitter.next(2), Err(EmitError::Overflow(2)));
    /// assert_eq!(emitter.next(3), Err(EmitError::Closed(3)));
    /// ts.assert_values(&[1]).assert_error_kind(ErrorKind::Overflow);
    /// ```
    Error,
}

/// Why [`Emitter::next`] did not accept an item, with the item that will not
/// be delivered.
///
/// # Examples
///
/// ```
/// use reactive_streams::source::EmitError;
///
/// let refused = EmitError::Full(String::from("frame 7"));
/// assert_eq!(refused.to_string(), "create: the buffer is full");
/// assert_eq!(refused.into_inner(), "frame 7");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmitError<T> {
    /// [`Overflow::Buffer`]: the buffer is full; this item was not accepted,
    /// and may be emitted again later.
    Full(T),
    /// [`Overflow::DropNewest`]: this item arrived without demand and was
    /// dropped. [`Overflow::Latest`]: the item passed to `next` was kept, and
    /// this older one, which it replaced, will not be delivered.
    Dropped(T),
    /// [`Overflow::Error`]: this item arrived without demand, so the stream
    /// now ends with an overflow error.
    Overflow(T),
    /// The stream no longer accepts items: it was completed or failed (by
    /// this emitter or a clone), or the subscriber cancelled.
    Closed(T),
}

impl<T> EmitError<T> {
    /// The item that will not be delivered.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source::EmitError;
    ///
    /// assert_eq!(EmitError::Closed(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            EmitError::Full(item)
            | EmitError::Dropped(item)
            | EmitError::Overflow(item)
            | EmitError::Closed(item) => item,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            EmitError::Full(_) => "Full",
            EmitError::Dropped(_) => "Dropped",
            EmitError::Overflow(_) => "Overflow",
            EmitError::Closed(_) => "Closed",
        }
    }
}

// By hand, without `T: Debug`, so that `emitter.next(x).unwrap()` works for
// any item type (as `std::sync::mpsc::SendError` does).
impl<T> fmt::Debug for EmitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(..)", self.name())
    }
}

impl<T> fmt::Display for EmitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmitError::Full(_) => "create: the buffer is full",
            EmitError::Dropped(_) => "create: an item was dropped by the overflow strategy",
            EmitError::Overflow(_) => {
                "create: an item arrived without demand; the stream fails with an overflow error"
            }
            EmitError::Closed(_) => "create: the stream is closed",
        })
    }
}

impl<T> std::error::Error for EmitError<T> {}

/// Publisher for the [`create`] function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Create<T, F> {
    producer: Arc<F>,
    overflow: Overflow,
    _item: PhantomData<fn() -> T>,
}

/// Publishes what a producer pushes through an [`Emitter`]: the bridge from
/// callbacks, listeners and threads to a stream with back-pressure.
///
/// For each subscriber, after its `on_subscribe`, `producer` is called once
/// with a fresh [`Emitter`]. The emitter is `Clone + Send + Sync`: it may be
/// stored, handed to other threads and used long after `producer` returns.
/// Signals reach the subscriber one at a time (§1.3), whatever threads emit;
/// a thread that emits while another delivers only queues its item, and the
/// delivering thread passes it on.
///
/// The stream ends with the first of:
/// - [`Emitter::complete`] or [`Emitter::error`], delivered after the items
///   accepted before it;
/// - dropping the last [`Emitter`] (see below);
/// - an item that overflows under [`Overflow::Error`];
/// - a panic in `producer` or in an [`on_request`](Emitter::on_request) hook,
///   which becomes `on_error` with [`ErrorKind::Panic`], as if the producer
///   had called [`Emitter::error`];
/// - the subscriber's `cancel` or `request(0)`, which act at once: the
///   buffered items are dropped, `request(0)` is answered with the §3.9 error,
///   and the subscriber is dropped (§3.13). The producer learns of it from
///   [`Emitter::is_cancelled`], from [`EmitError::Closed`], or from an
///   [`on_cancel`](Emitter::on_cancel) hook.
///
/// **Dropping every emitter completes the stream**, as dropping every sender
/// of a channel ends it: no item can arrive any more, and a stream left open
/// would hold its subscriber forever. If the last emitter is dropped by a
/// thread that is panicking, the stream fails with [`ErrorKind::Panic`]
/// instead, so a crashed producer is not mistaken for a finished one. An
/// emitter captured by an `on_request` hook counts as live until the stream
/// ends.
///
/// `create` is cold: each subscriber gets its own emitter, buffer and call of
/// `producer`, which is called even if the subscriber cancelled inside
/// `on_subscribe` (the emitter is then closed).
///
/// [`ErrorKind::Panic`]: crate::ErrorKind::Panic
///
/// # Demand
///
/// Items emitted while the subscriber has outstanding demand are delivered at
/// once, in the order they were accepted. What happens to an item that
/// arrives without demand is the `overflow` strategy's choice (see
/// [`Overflow`]); any item that will not be delivered comes back to the
/// producer in an [`EmitError`]. A cooperative producer emits no more than
/// [`Emitter::requested`], or produces from an
/// [`on_request`](Emitter::on_request) hook.
///
/// # Examples
///
/// A producer thread that ignores demand, feeding an unbounded buffer:
///
/// ```
/// use std::sync::mpsc;
/// use std::thread;
/// use reactive_streams::source::{self, Overflow};
/// use reactive_streams::{Publisher, TestSubscriber};
///
/// let (done_tx, done_rx) = mpsc::channel();
/// let lines = source::create(Overflow::Unbounded, move |emitter| {
///     let done = done_tx.clone();
///     thread::spawn(move || {
///         for line in ["GET /", "GET /about", "POST /login"] {
///             emitter.next(line).unwrap();
///         }
///         emitter.complete();
///         done.send(()).unwrap();
///     });
/// });
/// let ts = TestSubscriber::new(1);
/// lines.subscribe(ts.clone());
/// done_rx.recv().unwrap(); // the producer thread has finished
/// ts.assert_values(&["GET /"]).assert_not_terminated(); // demand was 1
/// ts.request(10);
/// ts.assert_values(&["GET /", "GET /about", "POST /login"]).assert_complete();
/// ```
pub fn create<T, F>(overflow: Overflow, producer: F) -> Create<T, F>
where
    T: Send + 'static,
    F: Fn(Emitter<T>) + Send + Sync + 'static,
{
    Create {
        producer: Arc::new(producer),
        overflow,
        _item: PhantomData,
    }
}

impl<T, F> Create<T, F> {
    /// The overflow strategy this source was created with.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::source::{self, Emitter, Overflow};
    ///
    /// let source = source::create(Overflow::Latest, |emitter: Emitter<u8>| emitter.complete());
    /// assert_eq!(source.overflow(), Overflow::Latest);
    /// ```
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }
}

impl<T, F> Clone for Create<T, F> {
    fn clone(&self) -> Self {
        Create {
            producer: Arc::clone(&self.producer),
            overflow: self.overflow,
            _item: PhantomData,
        }
    }
}

impl<T, F> fmt::Debug for Create<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Create")
            .field("overflow", &self.overflow)
            .finish_non_exhaustive()
    }
}

impl<T, F> Publisher for Create<T, F>
where
    T: Send + 'static,
    F: Fn(Emitter<T>) + Send + Sync + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let inner = Arc::new(CreateInner {
            demand: Demand::new(),
            overflow: self.overflow,
            buffer: Mutex::new(Buffer {
                items: VecDeque::new(),
                end: None,
                closed: false,
            }),
            hooks: Mutex::new(Hooks {
                on_request: None,
                on_cancel: Vec::new(),
                state: HooksState::Open,
            }),
            // The emitter made below.
            emitters: AtomicUsize::new(1),
            drain: Drain::new(Some(subscriber)),
        });
        // Nobody else holds `inner` yet, so this always enters.
        let Some(mut entered) = inner.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state() {
            // §1.9: on_subscribe first. A request made inside it only records
            // demand (§3.3); a cancel or request(0) is handled by `run`.
            downstream.on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        }
        inner.run(entered);

        let emitter = Emitter {
            inner: inner as Arc<dyn Sink<T>>,
        };
        // Held across the call, so that the producer's emitter, dropped while
        // a panic unwinds, is not the last one: the panic's own message
        // becomes the error, not the generic "dropped while panicking".
        let guard = emitter.clone();
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (self.producer)(emitter))) {
            guard.error(Error::from_panic(payload));
        }
        // If the producer kept no emitter, this drop completes the stream.
        drop(guard);
    }
}

/// The producer's handle on one subscriber's stream of a [`create`] source.
///
/// `Clone + Send + Sync`: clones share the stream, any number of threads may
/// emit at once, and the subscriber still receives one signal at a time
/// (§1.3). Dropping the last clone completes the stream (see [`create`]).
///
/// # Examples
///
/// ```
/// use std::thread;
/// use reactive_streams::source::{self, Overflow};
/// use reactive_streams::{Publisher, TestSubscriber};
///
/// let numbers = source::create(Overflow::Unbounded, |emitter| {
///     let workers: Vec<_> = (0..4u32)
///         .map(|w| {
///             let emitter = emitter.clone();
///             thread::spawn(move || emitter.next(w).unwrap())
///         })
///         .collect();
///     for worker in workers {
///         worker.join().unwrap();
///     }
///     emitter.complete();
/// });
/// let ts = TestSubscriber::unbounded();
/// numbers.subscribe(ts.clone());
/// ts.assert_complete();
/// ```
pub struct Emitter<T> {
    inner: Arc<dyn Sink<T>>,
}

impl<T> Emitter<T> {
    /// Emits `item`: delivered now if the subscriber has outstanding demand
    /// (and no earlier item is waiting), else handled by the [`Overflow`]
    /// strategy.
    ///
    /// # Errors
    ///
    /// Hands back the item that will not be delivered:
    /// [`EmitError::Full`] (a full [`Overflow::Buffer`]),
    /// [`EmitError::Dropped`] ([`Overflow::DropNewest`], or the replaced item
    /// under [`Overflow::Latest`]), [`EmitError::Overflow`] (the item that
    /// failed an [`Overflow::Error`] stream), or [`EmitError::Closed`] (after
    /// completion, an error or a cancel).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, EmitError, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let words = source::create(Overflow::Buffer(8), move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::unbounded();
    /// words.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.next("hello"), Ok(()));
    /// emitter.complete();
    /// assert_eq!(emitter.next("late"), Err(EmitError::Closed("late")));
    /// ts.assert_values(&["hello"]).assert_complete();
    /// ```
    pub fn next(&self, item: T) -> Result<(), EmitError<T>> {
        self.inner.next(item)
    }

    /// Completes the stream once the items accepted before this call have
    /// been delivered (§1.5). After it, `next` returns
    /// [`EmitError::Closed`]; a second `complete` or `error` is ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let numbers = source::create(Overflow::Unbounded, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(0);
    /// numbers.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// emitter.next(1).unwrap();
    /// emitter.complete();
    /// ts.assert_not_terminated(); // item 1 is still waiting for demand
    /// ts.request(1);
    /// ts.assert_values(&[1]).assert_complete();
    /// ```
    pub fn complete(&self) {
        self.inner.end(Ok(()));
    }

    /// Fails the stream with `error` once the items accepted before this call
    /// have been delivered (§1.4), as `complete` does: an error takes its
    /// place after the items, so nothing emitted before it is lost. After it,
    /// `next` returns [`EmitError::Closed`]; a second `complete` or `error`
    /// is ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Error, ErrorKind, Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let readings = source::create(Overflow::Unbounded, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(0);
    /// readings.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// emitter.next(20.5).unwrap();
    /// emitter.error(Error::new("sensor unplugged"));
    /// ts.assert_not_terminated();
    /// ts.request(1);
    /// ts.assert_values(&[20.5]).assert_error_kind(ErrorKind::Other);
    /// ```
    pub fn error(&self, error: Error) {
        self.inner.end(Err(error));
    }

    /// The demand not yet covered by accepted items: how many more items
    /// `next` would deliver right away. [`UNBOUNDED`] when the subscriber
    /// asked for everything; 0 once the stream is closed.
    ///
    /// Another thread may change it at any moment (a `request` raises it,
    /// another emitter lowers it), so it is a hint for a cooperative producer,
    /// not a promise.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber, UNBOUNDED};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let numbers = source::create(Overflow::Buffer(4), move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::new(3);
    /// numbers.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert_eq!(emitter.requested(), 3);
    /// emitter.next(1).unwrap();
    /// assert_eq!(emitter.requested(), 2);
    /// ts.request(UNBOUNDED);
    /// assert_eq!(emitter.requested(), UNBOUNDED);
    /// ```
    pub fn requested(&self) -> u64 {
        self.inner.requested()
    }

    /// True once the subscriber cancelled, or broke §3.9 with `request(0)`:
    /// nothing more will be delivered, and the producer should stop.
    ///
    /// It stays false after `complete` or `error`; see
    /// [`is_closed`](Emitter::is_closed) for "`next` would refuse".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let numbers = source::create(Overflow::Unbounded, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::<u32>::unbounded();
    /// numbers.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert!(!emitter.is_cancelled());
    /// ts.cancel();
    /// assert!(emitter.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }

    /// True once `next` refuses every item with [`EmitError::Closed`]: after
    /// `complete`, `error`, an [`Overflow::Error`] overflow, a cancel or a
    /// `request(0)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let numbers = source::create(Overflow::Unbounded, move |emitter| tx.send(emitter).unwrap());
    /// let ts = TestSubscriber::<u32>::unbounded();
    /// numbers.subscribe(ts.clone());
    /// let emitter = rx.recv().unwrap();
    ///
    /// assert!(!emitter.is_closed());
    /// emitter.clone().complete();
    /// assert!(emitter.is_closed());
    /// assert!(!emitter.is_cancelled());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Calls `hook(n)` each time the subscriber requests `n > 0` more items
    /// (`n` capped at [`UNBOUNDED`]), on the requesting thread, after the
    /// buffered items have been offered the new demand: a producer that
    /// makes items on demand emits from here, and its items queue behind
    /// those already buffered. If demand is already outstanding when the
    /// hook is registered, it is called at once with
    /// [`requested`](Emitter::requested).
    ///
    /// A second registration replaces the first. The hook is dropped when the
    /// stream ends; a panic in it fails the stream, as a panic in the
    /// producer does. The hook may capture a clone of this emitter (that
    /// clone then keeps the stream open until it ends).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use reactive_streams::source::{self, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// // Makes exactly what is asked for, and completes after 5 items.
    /// let counter = source::create(Overflow::Error, |emitter| {
    ///     let next = AtomicU32::new(0);
    ///     let sink = emitter.clone();
    ///     emitter.on_request(move |n| {
    ///         for _ in 0..n {
    ///             let i = next.fetch_add(1, Ordering::Relaxed);
    ///             if i == 5 {
    ///                 return sink.complete();
    ///             }
    ///             sink.next(i).unwrap();
    ///         }
    ///     });
    /// });
    /// let ts = TestSubscriber::new(2);
    /// counter.subscribe(ts.clone());
    /// ts.assert_values(&[0, 1]).assert_not_terminated();
    /// ts.request(10);
    /// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    /// ```
    pub fn on_request<F>(&self, hook: F)
    where
        F: Fn(u64) + Send + Sync + 'static,
    {
        self.inner.on_request(Arc::new(hook));
    }

    /// Calls `hook` once if the subscriber cancels, or breaks §3.9 with
    /// `request(0)`: the place to unregister a listener or stop a thread.
    /// Runs at once if that has already happened; never runs if the stream
    /// ended otherwise first (the hook is then dropped).
    ///
    /// Every registered hook runs (they accumulate, so several producer
    /// threads may each register their own), on the cancelling thread. A
    /// panic in one is caught and ignored, because `cancel` must return
    /// normally (§3.15); the default panic hook still reports it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::source::{self, Emitter, Overflow};
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let (stopped_tx, stopped_rx) = mpsc::channel();
    /// let (listener_tx, listener_rx) = mpsc::channel();
    /// let feed = source::create(Overflow::Latest, move |emitter: Emitter<u32>| {
    ///     let stopped = stopped_tx.clone();
    ///     emitter.on_cancel(move || stopped.send("unsubscribed").unwrap());
    ///     // Hand the emitter to whatever produces (here, the test); an
    ///     // emitter dropped here would complete the stream at once.
    ///     listener_tx.send(emitter).unwrap();
    /// });
    /// let ts = TestSubscriber::new(1);
    /// feed.subscribe(ts.clone());
    /// let emitter = listener_rx.recv().unwrap();
    /// ts.cancel();
    /// assert_eq!(stopped_rx.try_recv(), Ok("unsubscribed"));
    /// assert!(emitter.is_cancelled());
    /// ```
    pub fn on_cancel<F>(&self, hook: F)
    where
        F: FnOnce() + Send + 'static,
    {
        self.inner.on_cancel(Box::new(hook));
    }
}

impl<T> Clone for Emitter<T> {
    fn clone(&self) -> Self {
        self.inner.add_emitter();
        Emitter {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> Drop for Emitter<T> {
    fn drop(&mut self) {
        self.inner.remove_emitter();
    }
}

impl<T> fmt::Debug for Emitter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emitter")
            .field("cancelled", &self.is_cancelled())
            .finish_non_exhaustive()
    }
}

/// An `on_request` hook.
type RequestHook = Arc<dyn Fn(u64) + Send + Sync>;

/// An `on_cancel` hook.
type CancelHook = Box<dyn FnOnce() + Send>;

/// What an [`Emitter`] needs of its stream, without naming the subscriber
/// type: the one indirect call per emission that lets `Emitter<T>` be a plain
/// type.
trait Sink<T>: Send + Sync {
    fn next(&self, item: T) -> Result<(), EmitError<T>>;
    fn end(&self, end: Result<(), Error>);
    fn requested(&self) -> u64;
    fn is_cancelled(&self) -> bool;
    fn is_closed(&self) -> bool;
    fn on_request(&self, hook: RequestHook);
    fn on_cancel(&self, hook: CancelHook);
    fn add_emitter(&self);
    fn remove_emitter(&self);
}

/// One subscriber's stream: shared by its subscription (held by the
/// subscriber) and its emitters. See the module docs for the protocol.
struct CreateInner<T, S> {
    demand: Demand,
    overflow: Overflow,
    buffer: Mutex<Buffer<T>>,
    hooks: Mutex<Hooks>,
    emitters: AtomicUsize,
    drain: Drain<Option<S>>,
}

/// The items and terminal signal waiting for the drainer (field access rules
/// 2 and 3).
struct Buffer<T> {
    /// Accepted and not yet taken by the drainer, oldest first.
    items: VecDeque<T>,
    /// The terminal signal, delivered once `items` is empty.
    end: Option<Result<(), Error>>,
    /// `next` refuses items: set with `end`, or when the drainer handles a
    /// cancel.
    closed: bool,
}

struct Hooks {
    on_request: Option<RequestHook>,
    on_cancel: Vec<CancelHook>,
    state: HooksState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HooksState {
    Open,
    /// The subscriber cancelled (or sent `request(0)`): `on_cancel` hooks ran,
    /// later ones run at once.
    Cancelled,
    /// The stream ended otherwise: hooks were dropped, later ones are too.
    Terminated,
}

/// How a drain round ended.
enum Stop {
    /// No deliverable item; leave the drain.
    Idle,
    /// The subscriber was signalled (or cancelled) and dropped.
    Terminated,
}

impl<T, S> CreateInner<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    /// Enters the drain if nobody is in it, and drains (`drain.rs`).
    fn drain(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// The drain loop: runs rounds until nothing is deliverable and no signal
    /// was missed, or the stream ends.
    fn run(&self, entered: Entered<'_, Option<S>>) {
        entered.run_guarded(
            |slot| match self.drain_round(slot) {
                Stop::Terminated => After::Close,
                Stop::Idle => After::Leave,
            },
            |slot, error| self.panicked(slot, error),
        );
    }

    /// A panic came out of the subscriber during a round (§2.13 broken): the
    /// stream ends as if cancelled (the buffer is dropped, the producer sees
    /// the cancel and the `on_cancel` hooks run), the subscriber gets
    /// `on_error` of kind `Panic` and is dropped.
    #[cold]
    fn panicked(&self, slot: &mut Option<S>, error: Error) -> After {
        self.demand.cancel();
        let (items, end) = {
            let mut buffer = self.buffer.lock();
            buffer.closed = true;
            (core::mem::take(&mut buffer.items), buffer.end.take())
        };
        let _ = catch_unwind(AssertUnwindSafe(move || drop((items, end))));
        self.close_hooks(HooksState::Cancelled);
        if let Some(mut downstream) = slot.take() {
            let _ = catch_unwind(AssertUnwindSafe(|| downstream.on_error(error)));
            let _ = catch_unwind(AssertUnwindSafe(move || drop(downstream)));
        }
        After::Close
    }

    /// Delivers buffered items within demand, then the terminal signal once
    /// the buffer is empty.
    fn drain_round(&self, slot: &mut Option<S>) -> Stop {
        loop {
            if slot.is_none() {
                return Stop::Terminated;
            }
            // §3.12: a cancel (or a request(0)) is seen before every item.
            if self.demand.is_cancelled() {
                return self.cancelled(slot);
            }
            let item = {
                let mut buffer = self.buffer.lock();
                if buffer.items.is_empty() {
                    // B7's "done, then empty": `end` and `items` are read in
                    // one critical section, so an `end` found here follows
                    // every item accepted before it.
                    let end = buffer.end.take();
                    drop(buffer);
                    return match end {
                        Some(end) => self.terminate(slot, end),
                        None => Stop::Idle,
                    };
                }
                if self.demand.get() == 0 {
                    return Stop::Idle;
                }
                // Field access rule 2: the item's demand is subtracted in the
                // same critical section that takes it.
                self.demand.produced(1);
                buffer.items.pop_front()
            };
            if let (Some(item), Some(downstream)) = (item, slot.as_mut()) {
                downstream.on_next(item);
            }
        }
    }

    /// The cancelled bit is set: a real cancel, or a `request(0)`. Drops the
    /// buffer and the subscriber (§3.13), after the §3.9 error if it is owed.
    #[cold]
    fn cancelled(&self, slot: &mut Option<S>) -> Stop {
        let (items, end) = {
            let mut buffer = self.buffer.lock();
            buffer.closed = true;
            (core::mem::take(&mut buffer.items), buffer.end.take())
        };
        // Field access rule 3: user values are dropped outside the lock.
        drop(items);
        drop(end);
        let downstream = slot.take();
        if let (Some(error), Some(mut downstream)) = (self.demand.take_invalid(), downstream) {
            downstream.on_error(error); // §3.9
        }
        Stop::Terminated
    }

    /// Delivers the terminal signal (§1.4, §1.5) and drops the subscriber and
    /// the hooks (§3.13).
    #[cold]
    fn terminate(&self, slot: &mut Option<S>, end: Result<(), Error>) -> Stop {
        // First, so that a cancel from inside the terminal signal (a §2.3
        // violation) finds the hooks closed and runs none.
        self.close_hooks(HooksState::Terminated);
        if let Some(mut downstream) = slot.take() {
            match end {
                Ok(()) => downstream.on_complete(),
                Err(error) => downstream.on_error(error),
            }
        }
        Stop::Terminated
    }

    /// Closes the hooks once: runs the `on_cancel` hooks if `state` is
    /// `Cancelled`, and drops every hook (which breaks the cycle of a hook
    /// that captured an emitter).
    fn close_hooks(&self, state: HooksState) {
        let (on_request, on_cancel) = {
            let mut hooks = self.hooks.lock();
            if hooks.state != HooksState::Open {
                return;
            }
            hooks.state = state;
            (
                hooks.on_request.take(),
                core::mem::take(&mut hooks.on_cancel),
            )
        };
        // Field access rule 3: user closures run and drop outside the lock.
        drop(on_request);
        if state == HooksState::Cancelled {
            on_cancel.into_iter().for_each(run_cancel_hook);
        }
    }

    /// Calls the `on_request` hook; a panic in it fails the stream.
    fn call_request_hook(&self, hook: &RequestHook, n: u64) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| hook(n))) {
            self.end(Err(Error::from_panic(payload)));
        }
    }
}

/// Runs one `on_cancel` hook. A panic is dropped: `cancel` must return
/// normally (§3.15), and the subscriber that would hear of it is gone.
fn run_cancel_hook(hook: CancelHook) {
    let _ = catch_unwind(AssertUnwindSafe(hook));
}

impl<T, S> Sink<T> for CreateInner<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    fn next(&self, item: T) -> Result<(), EmitError<T>> {
        let mut buffer = self.buffer.lock();
        if buffer.closed || self.demand.is_cancelled() {
            return Err(EmitError::Closed(item));
        }
        // Field access rule 2: under the lock, `demand - queued` is the
        // demand no accepted item covers yet (a racing request only adds).
        let demand = self.demand.get();
        let queued = buffer.items.len() as u64;
        if queued >= demand {
            // No demand for this item: the strategy decides.
            let excess = queued - demand;
            match self.overflow {
                Overflow::Unbounded => {}
                Overflow::Buffer(capacity) => {
                    if excess >= capacity as u64 {
                        return Err(EmitError::Full(item));
                    }
                }
                Overflow::DropNewest => return Err(EmitError::Dropped(item)),
                Overflow::Latest => {
                    if let (true, Some(latest)) = (excess > 0, buffer.items.back_mut()) {
                        // The one undelivered item is the latest; no new
                        // demand, so no drain.
                        return Err(EmitError::Dropped(core::mem::replace(latest, item)));
                    }
                }
                Overflow::Error => {
                    buffer.closed = true;
                    buffer.end = Some(Err(Error::overflow(
                        "create: an item was emitted with no outstanding demand (Overflow::Error)",
                    )));
                    drop(buffer);
                    self.drain();
                    return Err(EmitError::Overflow(item));
                }
            }
        }
        buffer.items.push_back(item);
        drop(buffer);
        self.drain();
        Ok(())
    }

    fn end(&self, end: Result<(), Error>) {
        let mut buffer = self.buffer.lock();
        if buffer.closed || self.demand.is_cancelled() {
            drop(buffer);
            return; // `end` is dropped outside the lock (field access rule 3)
        }
        buffer.closed = true;
        buffer.end = Some(end);
        drop(buffer);
        self.drain();
    }

    fn requested(&self) -> u64 {
        let buffer = self.buffer.lock();
        if buffer.closed {
            return 0;
        }
        match self.demand.get() {
            UNBOUNDED => UNBOUNDED,
            // 0 when cancelled (`Demand::get`).
            demand => demand.saturating_sub(buffer.items.len() as u64),
        }
    }

    fn is_cancelled(&self) -> bool {
        self.demand.is_cancelled()
    }

    fn is_closed(&self) -> bool {
        self.buffer.lock().closed || self.demand.is_cancelled()
    }

    fn on_request(&self, hook: RequestHook) {
        let (replaced, initial) = {
            let mut hooks = self.hooks.lock();
            if hooks.state != HooksState::Open {
                drop(hooks);
                return; // the stream is over; `hook` is dropped unlocked
            }
            let replaced = hooks.on_request.replace(Arc::clone(&hook));
            // Race 6: `request` adds demand under the `hooks` lock, so this
            // count and the later per-request calls never overlap.
            (replaced, self.requested())
        };
        drop(replaced);
        if initial > 0 {
            self.call_request_hook(&hook, initial);
        }
    }

    fn on_cancel(&self, hook: CancelHook) {
        let mut hooks = self.hooks.lock();
        match hooks.state {
            HooksState::Open => hooks.on_cancel.push(hook),
            HooksState::Cancelled => {
                drop(hooks);
                run_cancel_hook(hook);
            }
            HooksState::Terminated => {
                drop(hooks);
                drop(hook);
            }
        }
    }

    fn add_emitter(&self) {
        // Relaxed: a new handle is made from a live one, as `Arc::clone`.
        self.emitters.fetch_add(1, Ordering::Relaxed);
    }

    fn remove_emitter(&self) {
        // Ordering: AcqRel. Release publishes this handle's emissions; the
        // Acquire of the last decrement sees every other handle's, so its
        // `complete` is ordered after them (race 5). Pairs with: this same
        // `fetch_sub` in the other handles' drops.
        if self.emitters.fetch_sub(1, Ordering::AcqRel) == 1 {
            if std::thread::panicking() {
                self.end(Err(Error::from_panic(Box::new(
                    "create: the last Emitter was dropped by a panicking thread",
                ))));
            } else {
                self.end(Ok(()));
            }
        }
    }
}

impl<T, S> Subscription for CreateInner<T, S>
where
    T: Send + 'static,
    S: Subscriber<T> + 'static,
{
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: recorded with the cancelled bit; the drainer signals the
            // error and drops the buffer. The producer hears of it as a cancel.
            self.demand.request(0);
            self.drain();
            self.close_hooks(HooksState::Cancelled);
            return;
        }
        let hook = {
            let hooks = self.hooks.lock();
            self.demand.request(n); // §3.8, saturating at UNBOUNDED (§3.17)
            hooks.on_request.clone()
        };
        // Buffered items first, then the producer's hook.
        self.drain();
        if let Some(hook) = hook {
            if !self.demand.is_cancelled() {
                self.call_request_hook(&hook, n.min(UNBOUNDED));
            }
        }
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            // §3.13: whoever holds the drain drops the buffer and subscriber.
            self.drain();
            self.close_hooks(HooksState::Cancelled);
        }
    }
}
