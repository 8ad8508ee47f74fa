//! The serialized emitter: a subscription that pulls one item at a time from
//! a [`Pull`] and pushes it downstream within demand, with every signal
//! serialized through one drain (`drain.rs`).
//!
//! `range`, `from_iter`, `just`, `empty`, `error`, `never` and `generate` are
//! each a small `Pull`; this file holds the one drain loop they share. So do
//! `from_stream` and `from_future` (`interop/`), whose pull polls a `Stream`:
//! it may say "nothing for now", and the subscription is then its `Waker`
//! (see [`Pull::wants_waker`]). Authors get the same loop through
//! [`subscribe_pull`], which only adds a panic guard around their pull.
//!
//! Demand: emits exactly what is requested, pulling one item per unit of
//! demand (an item the subscriber rejects through `try_on_next` does not
//! count); terminates as soon as the `Pull` knows it has ended, without
//! waiting for more demand. Threads: runs on whichever thread calls
//! `subscribe` or `request`, or wakes the pull's waker; never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: outstanding requests and the cancelled bit (`demand.rs`).
//! `drain: Drain<Option<Active>>`: the pull and the downstream subscriber;
//! `None` once terminated or cancelled, so both are dropped (§3.13), and
//! while a drain round runs (the drainer holds them as locals meanwhile).
//!
//! ## Field access rules
//! * `drain`'s state: the drainer only (`drain.rs`). `subscribe` enters the
//!   drain before handing out the subscription, so `on_subscribe` runs as the
//!   first drainer and a `request` made inside it only records demand.
//! * `emitted`: a local of the drainer, folded into `demand` through
//!   `produced` before the drainer leaves.
//! * The pull and the subscriber: moved out of the drain's state at the start
//!   of each round and back before `leave` (or dropped at the end), so they
//!   are never in two places, and the next drainer finds them in the state.
//!
//! ## Races considered
//! 1. `request` vs emission: the requester adds demand, then tries to enter;
//!    the drainer sees the new demand either in `produced` or on its next
//!    round (`drain.rs`, race 1).
//! 2. `cancel` during drain: `cancel` sets the bit and tries to enter; the
//!    drainer checks the bit before every item and before a terminal signal
//!    that follows an item, and whoever holds the drain when the bit is seen
//!    drops the subscriber. So a cancel made inside `on_next` stops the stream
//!    there, even after the last item (no `on_complete` follows it).
//! 3. `request(0)`: recorded in `demand` together with the cancelled bit, so
//!    the per-item check that stops a cancelled stream also stops this one,
//!    and the drainer signals the §3.9 error.
//! 4. A wake vs the drain (pulls that want a waker): the waker's call enters
//!    the drain as a `request` does. If it finds the drain busy (the drainer
//!    is between a `Pending` and `leave`, on another thread or inside the
//!    poll itself), it only bumps the count, and the drainer goes round again
//!    and asks the pull once more (`drain.rs`, race 1): the pull registers
//!    the waker before it answers `Pending`, so a wake that comes after it is
//!    never lost. Loom: `loom_from_stream`.
//!
//! ## Fusion
//! Items go out through [`Subscriber::try_on_next_fused`]: this loop checks
//! the cancelled bit before every item and sends nothing after a terminal
//! signal, so `map`, `filter` and `filter_map` behind it skip their own
//! "already failed" flags, and the one check here guards the whole chain
//! (that took `range -> map -> filter` from 2.3x to 1.2x-1.4x a plain loop,
//! `benches/ops_transform.rs`). Anything that breaks "checked before every
//! item" here breaks those operators' promise that nothing follows a panic.

use core::fmt;
use core::task::Waker;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Wake;

use crate::author::demand::{Demand, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber, Subscription};

/// What to emit now: a producer of items that the serialized emitter
/// ([`subscribe_pull`]) asks for one item per unit of demand.
///
/// Write the `Pull` and the emitter does the rest of the specification:
///
/// * §1.1: `next` is called only while there is outstanding demand, so the
///   subscriber never gets more than it asked for;
/// * §1.3, §3.3: the pull and the subscriber are touched by one thread at a
///   time; a `request` from inside `on_next` (or from any other thread while
///   an item is being emitted) only records demand, and the emitting thread
///   goes round again, so recursion stays at depth one;
/// * §1.4, §1.5, §1.7: after [`Step::End`] (or a `finished` that says so)
///   the subscriber gets exactly one terminal signal and nothing after it;
/// * §3.6, §3.7, §3.12: a cancel is seen before every item; nothing is
///   emitted after it, and cancels after the first do nothing;
/// * §3.9: `request(0)` ends the stream with the rule's error;
/// * §3.13: on cancel or at the end, the pull is dropped, then the
///   subscriber: put the clean-up of your resource (closing a file, stopping
///   a thread) in your pull's `Drop`.
///
/// A panic in `next`, `finished` or `set_waker` becomes `on_error` with an
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic) error, and the pull is
/// dropped.
///
/// # Examples
///
/// The numbers of Collatz's sequence from `start` down to 1:
///
/// ```
/// use reactive_streams::author::{subscribe_pull, Pull, Step};
/// use reactive_streams::{Publisher, Subscriber, TestSubscriber};
///
/// struct Collatz(u64);
///
/// impl Pull for Collatz {
///     type Item = u64;
///
///     fn next(&mut self) -> Step<u64> {
///         match self.0 {
///             0 => Step::End(Ok(())), // after the 1
///             1 => {
///                 self.0 = 0;
///                 Step::Next(1)
///             }
///             n => {
///                 self.0 = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
///                 Step::Next(n)
///             }
///         }
///     }
///
///     // Lets the stream complete right after its last item, without
///     // waiting for a request that may never come (§1.4, §1.5).
///     fn finished(&mut self) -> Option<Result<(), reactive_streams::Error>> {
///         (self.0 == 0).then_some(Ok(()))
///     }
/// }
///
/// struct CollatzPublisher(u64);
///
/// impl Publisher for CollatzPublisher {
///     type Item = u64;
///
///     fn subscribe<S: Subscriber<u64> + 'static>(&self, subscriber: S) {
///         subscribe_pull(Collatz(self.0), subscriber); // a fresh pull each time
///     }
/// }
///
/// let ts = TestSubscriber::new(3);
/// CollatzPublisher(6).subscribe(ts.clone());
/// ts.assert_values(&[6, 3, 10]).assert_not_terminated();
/// ts.request(10);
/// ts.assert_values(&[6, 3, 10, 5, 16, 8, 4, 2, 1]).assert_complete();
/// ```
pub trait Pull: Send + 'static {
    /// The type of the items.
    type Item: Send + 'static;

    /// The next item, or no item for now ([`Step::Pending`]), or the end.
    /// Called only when there is demand, by one thread at a time.
    fn next(&mut self) -> Step<Self::Item>;

    /// The end of the stream, when it is known without pulling: `Ok(())` to
    /// complete, `Err` to fail. Lets a source terminate without waiting for
    /// demand (an empty source completes straight after `on_subscribe`, a
    /// failed one errors, §1.4, §1.5). Checked at the start of each drain
    /// round and whenever demand runs out, so `next` must report the end
    /// too. The default says "not known".
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::author::{subscribe_pull, Pull, Step};
    /// use reactive_streams::{Error, TestSubscriber};
    ///
    /// /// Fails at once, even without demand (§1.4).
    /// struct Broken;
    ///
    /// impl Pull for Broken {
    ///     type Item = u8;
    ///     fn next(&mut self) -> Step<u8> {
    ///         Step::End(Err(Error::new("no such device")))
    ///     }
    ///     fn finished(&mut self) -> Option<Result<(), Error>> {
    ///         Some(Err(Error::new("no such device")))
    ///     }
    /// }
    ///
    /// let ts = TestSubscriber::new(0);
    /// subscribe_pull(Broken, ts.clone());
    /// ts.assert_error_message("no such device");
    /// ```
    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        None
    }

    /// Whether this pull may say [`Step::Pending`] and later learn, through
    /// a [`Waker`], that it has more: then [`set_waker`](Pull::set_waker)
    /// hands it one that re-enters the drain. False by default: a pull that
    /// says `Pending` without a waker is asked again at the next `request`.
    ///
    /// # Examples
    ///
    /// See [`set_waker`](Pull::set_waker).
    #[inline]
    fn wants_waker(&self) -> bool {
        false
    }

    /// Receives the waker that re-enters the drain, once, before the first
    /// `next` or `finished`; only if [`wants_waker`](Pull::wants_waker).
    /// Waking it (from any thread, at any time, any number of times) drains
    /// as a `request` does: the pull is asked again if there is demand, and
    /// `finished` is asked in any case. This is how items produced by
    /// another thread (a socket reader, a file watcher) reach the subscriber:
    /// that thread stores the item where the pull finds it, then wakes.
    ///
    /// The waker holds the emitter (and so the subscriber) alive: drop it
    /// when the pull is dropped, which happens at the end or on cancel.
    ///
    /// # Examples
    ///
    /// Items sent on a channel by another thread:
    ///
    /// ```
    /// use std::sync::mpsc::{channel, Receiver, TryRecvError};
    /// use std::sync::{Arc, Mutex};
    /// use std::task::Waker;
    /// use reactive_streams::author::{subscribe_pull, Pull, Step};
    /// use reactive_streams::TestSubscriber;
    ///
    /// struct FromChannel {
    ///     rx: Receiver<u32>,
    ///     waker: Arc<Mutex<Option<Waker>>>, // shared with the sending side
    /// }
    ///
    /// impl Pull for FromChannel {
    ///     type Item = u32;
    ///     fn next(&mut self) -> Step<u32> {
    ///         match self.rx.try_recv() {
    ///             Ok(item) => Step::Next(item),
    ///             Err(TryRecvError::Empty) => Step::Pending, // woken later
    ///             Err(TryRecvError::Disconnected) => Step::End(Ok(())),
    ///         }
    ///     }
    ///     fn wants_waker(&self) -> bool {
    ///         true
    ///     }
    ///     fn set_waker(&mut self, waker: Waker) {
    ///         *self.waker.lock().unwrap() = Some(waker);
    ///     }
    /// }
    ///
    /// let (tx, rx) = channel();
    /// let waker = Arc::new(Mutex::new(None::<Waker>));
    /// let ts = TestSubscriber::new(10);
    /// subscribe_pull(FromChannel { rx, waker: Arc::clone(&waker) }, ts.clone());
    ///
    /// let sender = std::thread::spawn(move || {
    ///     for i in 0..3 {
    ///         tx.send(i).unwrap();
    ///         // Wake after storing, never while holding the lock the pull takes.
    ///         let w = waker.lock().unwrap().clone();
    ///         w.map(|w| w.wake());
    ///     }
    ///     drop(tx); // disconnected: the next pull ends the stream
    ///     let w = waker.lock().unwrap().take();
    ///     w.map(|w| w.wake());
    /// });
    /// sender.join().unwrap();
    /// ts.assert_values(&[0, 1, 2]).assert_complete();
    /// ```
    #[inline]
    fn set_waker(&mut self, _waker: Waker) {}
}

/// What one [`Pull::next`] gave.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::{pull_fn, subscribe_pull, Step};
/// use reactive_streams::TestSubscriber;
///
/// let mut left = 2;
/// let countdown = pull_fn(move || {
///     if left == 0 {
///         return Step::End(Ok(()));
///     }
///     left -= 1;
///     Step::Next(left)
/// });
/// let ts = TestSubscriber::new(5);
/// subscribe_pull(countdown, ts.clone());
/// ts.assert_values(&[1, 0]).assert_complete();
/// ```
#[derive(Debug)]
pub enum Step<T> {
    /// An item to emit.
    Next(T),
    /// No item for now: stop emitting until the next `request` (`never`), or
    /// until the pull's waker is woken (`from_stream`).
    Pending,
    /// The end: `Ok(())` completes, `Err` fails.
    End(Result<(), Error>),
}

/// Subscribes `subscriber` to the items of `pull`: the serialized emitter
/// for authors of publishers.
///
/// Call it from your [`Publisher::subscribe`](crate::Publisher::subscribe)
/// with a fresh pull for each subscriber (§1.11: a cold publisher starts
/// over). It calls `on_subscribe` at once, then pulls one item per unit of
/// demand on whichever thread requests or wakes, and keeps every rule listed
/// under [`Pull`]: serial signals, no more than the demand, nothing after a
/// cancel or a terminal signal, §3.9's error for `request(0)`, and the pull
/// and the subscriber dropped at the end. No `unsafe`, no atomics and no
/// locks on your side.
///
/// The crate's own `range`, `from_iter`, `generate`, `from_stream`, ... run
/// on this same loop (without the panic guard, which theirs do not need), so
/// the TCK runs over them exercise it too.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::{pull_fn, subscribe_pull, Step};
/// use reactive_streams::TestSubscriber;
///
/// let mut lines = "alpha\nbeta\ngamma".lines().map(String::from).collect::<Vec<_>>().into_iter();
/// let pull = pull_fn(move || match lines.next() {
///     Some(line) => Step::Next(line),
///     None => Step::End(Ok(())),
/// });
/// let ts = TestSubscriber::new(2);
/// subscribe_pull(pull, ts.clone());
/// ts.assert_values(&["alpha".to_string(), "beta".to_string()]);
/// ts.request(1);
/// ts.assert_values(&["alpha".to_string(), "beta".to_string(), "gamma".to_string()]);
/// ts.assert_not_terminated(); // the end is not known until pulled
/// ts.request(1);
/// ts.assert_complete();
/// ```
pub fn subscribe_pull<P, S>(pull: P, subscriber: S)
where
    P: Pull,
    S: Subscriber<P::Item> + 'static,
{
    subscribe(Guarded { pull, failed: None }, subscriber);
}

/// A [`Pull`] from a closure: `pull_fn(f).next()` calls `f()`.
///
/// # Examples
///
/// ```
/// use reactive_streams::author::{pull_fn, subscribe_pull, Step};
/// use reactive_streams::TestSubscriber;
///
/// let mut n = 0u32;
/// let squares = pull_fn(move || {
///     n += 1;
///     Step::Next(n * n) // endless: ends only by cancel
/// });
/// let ts = TestSubscriber::new(3);
/// subscribe_pull(squares, ts.clone());
/// ts.assert_values(&[1, 4, 9]);
/// ts.cancel();
/// ```
pub fn pull_fn<T, F>(f: F) -> PullFn<F>
where
    F: FnMut() -> Step<T> + Send + 'static,
    T: Send + 'static,
{
    PullFn(f)
}

/// The [`Pull`] of [`pull_fn`].
///
/// # Examples
///
/// ```
/// use reactive_streams::author::{pull_fn, PullFn, Step};
///
/// let empty: PullFn<_> = pull_fn(|| Step::<u8>::End(Ok(())));
/// ```
pub struct PullFn<F>(F);

impl<F> fmt::Debug for PullFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PullFn").finish_non_exhaustive()
    }
}

impl<T, F> Pull for PullFn<F>
where
    F: FnMut() -> Step<T> + Send + 'static,
    T: Send + 'static,
{
    type Item = T;

    #[inline]
    fn next(&mut self) -> Step<T> {
        (self.0)()
    }
}

/// An author's pull, with its panics turned into the stream's error: after
/// one, the stream ends, and the engine drops the pull.
struct Guarded<P> {
    pull: P,
    /// A panic in `set_waker`, reported by the first `finished` (which the
    /// engine asks before any `next`).
    failed: Option<Error>,
}

impl<P: Pull> Pull for Guarded<P> {
    type Item = P::Item;

    #[inline]
    fn next(&mut self) -> Step<P::Item> {
        if let Some(error) = self.failed.take() {
            return Step::End(Err(error));
        }
        match catch_unwind(AssertUnwindSafe(|| self.pull.next())) {
            Ok(step) => step,
            Err(payload) => Step::End(Err(Error::from_panic(payload))),
        }
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        if let Some(error) = self.failed.take() {
            return Some(Err(error));
        }
        match catch_unwind(AssertUnwindSafe(|| self.pull.finished())) {
            Ok(end) => end,
            Err(payload) => Some(Err(Error::from_panic(payload))),
        }
    }

    #[inline]
    fn wants_waker(&self) -> bool {
        self.pull.wants_waker()
    }

    fn set_waker(&mut self, waker: Waker) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| self.pull.set_waker(waker))) {
            self.failed = Some(Error::from_panic(payload));
        }
    }
}

/// Subscribes `subscriber` to a new flow of items from `pull`.
pub(crate) fn subscribe<P, S>(pull: P, subscriber: S)
where
    P: Pull,
    S: Subscriber<P::Item> + 'static,
{
    let subscription = Arc::new(PullSubscription {
        demand: Demand::new(),
        drain: Drain::new(Some(Active {
            pull,
            downstream: subscriber,
        })),
    });
    // Nobody else holds the subscription yet, so this always enters.
    let Some(mut entered) = subscription.drain.try_enter() else {
        unreachable!("a new drain is free");
    };
    if let Some(active) = entered.state() {
        if active.pull.wants_waker() {
            // Held by the pull (and handed on to what it polls) until the
            // stream ends: a cycle that the end or a cancel breaks, as a
            // task's waker keeps its task alive.
            let waker = Waker::from(Arc::clone(&subscription));
            active.pull.set_waker(waker);
        }
        // §1.9: on_subscribe first. A request made inside it only records
        // demand; the drain loop below serves it (§3.3).
        active
            .downstream
            .on_subscribe(Arc::clone(&subscription) as Arc<dyn Subscription>);
    }
    subscription.run(entered);
}

struct PullSubscription<P, S> {
    demand: Demand,
    drain: Drain<Option<Active<P, S>>>,
}

struct Active<P, S> {
    pull: P,
    downstream: S,
}

/// How a drain round ended.
enum Stop {
    /// Demand is used up, or the pull has nothing for now; leave the drain.
    Idle,
    /// Cancelled, or `request(0)` (the cancelled bit is set).
    Cancelled,
    /// The pull ended: `Ok(())` completes, `Err` fails.
    End(Result<(), Error>),
}

impl<P, S> PullSubscription<P, S>
where
    P: Pull,
    S: Subscriber<P::Item>,
{
    /// The drain loop: runs while there is demand, then leaves.
    fn run(&self, mut entered: Entered<'_, Option<Active<P, S>>>) {
        loop {
            // For the round, the pull and the subscriber move out of the cell
            // into locals (nobody else touches the cell while we hold the
            // drain) and go back only if the stream goes on. Locals whose
            // address nothing else holds can stay in registers across the
            // subscriber's code, whereas fields behind the cell must be
            // reloaded after every call the optimizer cannot see through (a
            // `black_box`, a dynamic `request`): that made `range` 1.7x slower
            // per item (benches/range.rs). `catch_unwind` (one per round, not
            // per item) keeps the locals unescaped on the unwinding path too,
            // and catches a panic out of the subscriber chain: see `panicked`.
            let Some(Active {
                mut pull,
                mut downstream,
            }) = entered.state().take()
            else {
                return entered.close();
            };
            let round = catch_unwind(AssertUnwindSafe(|| self.emit(&mut pull, &mut downstream)));
            let active = Active { pull, downstream };
            let stop = match round {
                Ok(stop) => stop,
                Err(payload) => {
                    self.panicked(active, Error::from_panic(payload));
                    return entered.close();
                }
            };
            match stop {
                Stop::Idle => {
                    *entered.state() = Some(active);
                    match entered.leave() {
                        Some(again) => entered = again,
                        None => return,
                    }
                }
                Stop::Cancelled => {
                    self.cancelled(active);
                    return entered.close();
                }
                Stop::End(end) => {
                    terminate(active, end);
                    return entered.close();
                }
            }
        }
    }

    /// Emits within the current demand.
    #[inline]
    fn emit(&self, pull: &mut P, downstream: &mut S) -> Stop {
        if self.demand.is_cancelled() {
            return Stop::Cancelled;
        }
        if let Some(end) = pull.finished() {
            return Stop::End(end);
        }
        let mut requested = self.demand.get();
        loop {
            if requested == UNBOUNDED {
                // Fast path: no counting (§3.17: unbounded demand is never
                // decremented), and no `finished` check either: with demand
                // that never runs out, the next `pull.next()` reports the end.
                loop {
                    if self.demand.is_cancelled() {
                        return Stop::Cancelled;
                    }
                    match pull.next() {
                        // With no limit there is nothing to count.
                        Step::Next(item) => {
                            downstream.try_on_next_fused(item, Fused(()));
                        }
                        Step::Pending => return Stop::Idle,
                        Step::End(end) => return Stop::End(end),
                    }
                }
            }
            // Counted down rather than up: one instruction less per item.
            let mut left = requested;
            while left != 0 {
                // §3.12: a cancel (or a request(0)) is seen before every item.
                if self.demand.is_cancelled() {
                    return Stop::Cancelled;
                }
                match pull.next() {
                    // `try_on_next`, so a dropping stage asks for no
                    // replacement: a rejected item (a filter said no) does not
                    // count against demand, and the next one is pulled at once.
                    // Fused, because this loop stops at once on cancel.
                    Step::Next(item) => {
                        left -= u64::from(downstream.try_on_next_fused(item, Fused(())));
                    }
                    Step::Pending => break,
                    Step::End(end) => return Stop::End(end),
                }
            }
            let pending = left != 0;
            if !pending {
                // Demand is used up: complete now if the end is known, rather
                // than wait for a request that may never come (§1.4, §1.5).
                if let Some(end) = pull.finished() {
                    return self.ended_after_item(end);
                }
            }
            // Account for what was delivered, and carry on if more demand
            // arrived meanwhile (from inside on_next, or from elsewhere).
            requested = self.demand.produced(requested - left);
            if requested == 0 || pending {
                return Stop::Idle;
            }
        }
    }

    /// The pull ended right after an item. A `cancel` or `request(0)` made
    /// inside that item's `on_next` still wins (§3.12, §3.9): once `cancel`
    /// has returned on the emitting thread, nothing more is signalled, not
    /// even `on_complete`.
    #[cold]
    fn ended_after_item(&self, end: Result<(), Error>) -> Stop {
        if self.demand.is_cancelled() {
            return Stop::Cancelled;
        }
        Stop::End(end)
    }

    /// A panic came out of the subscriber chain during a round (§2.13
    /// broken: a raw subscriber's `on_next`, an item's `Drop` in a stage).
    /// The stream ends as if a stage had failed: the pull (our upstream) is
    /// dropped, the chain gets `on_error` of kind `Panic` (a second panic
    /// from it is caught too), and the subscriber is dropped, so nothing is
    /// left wedged or alive (the subscriber holds this subscription: keeping
    /// it would be a cycle). The panic hook has reported the panic already.
    #[cold]
    fn panicked(&self, active: Active<P, S>, error: Error) {
        self.demand.cancel();
        let Active {
            pull,
            mut downstream,
        } = active;
        let _ = catch_unwind(AssertUnwindSafe(move || drop(pull)));
        let _ = catch_unwind(AssertUnwindSafe(|| downstream.on_error(error)));
        let _ = catch_unwind(AssertUnwindSafe(move || drop(downstream)));
    }

    /// The cancelled bit is set: either a real cancel, or a `request(0)`.
    #[cold]
    fn cancelled(&self, active: Active<P, S>) {
        let Active {
            pull,
            mut downstream,
        } = active;
        // §3.13: the pull is dropped first, then the subscriber, after the
        // §3.9 error if this was a `request(0)`.
        drop(pull);
        if let Some(error) = self.demand.take_invalid() {
            downstream.on_error(error);
        }
    }
}

/// The stream ended: §1.5 `on_complete` or §1.4 `on_error`, then the pull and
/// the subscriber are dropped (§1.6, §3.13).
#[cold]
fn terminate<P, S>(active: Active<P, S>, end: Result<(), Error>)
where
    P: Pull,
    S: Subscriber<P::Item>,
{
    let Active {
        pull,
        mut downstream,
    } = active;
    drop(pull);
    match end {
        Ok(()) => downstream.on_complete(),
        Err(error) => downstream.on_error(error),
    }
}

impl<P, S> Subscription for PullSubscription<P, S>
where
    P: Pull,
    S: Subscriber<P::Item> + 'static,
{
    #[inline]
    fn request(&self, n: u64) {
        self.demand.request(n);
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            if let Some(entered) = self.drain.try_enter() {
                self.run(entered);
            }
        }
    }
}

/// The waker of a pull that can wait (`from_stream`): waking drains, as a
/// `request` does. Called from any thread, at any time: while another party
/// drains it only records the signal (`drain.rs`, race 1), so the drainer
/// goes round again and asks the pull once more; after the end it finds the
/// drain closed and does nothing.
impl<P, S> Wake for PullSubscription<P, S>
where
    P: Pull,
    S: Subscriber<P::Item> + 'static,
{
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }
}
