//! The engine behind every synchronous source: a subscription that pulls one
//! item at a time from a [`Pull`] and pushes it downstream within demand.
//!
//! `range`, `from_iter`, `just`, `empty`, `error`, `never` and `generate` are
//! each a small `Pull`; this file holds the one drain loop they share. So do
//! `from_stream` and `from_future` (`interop/`), whose pull polls a `Stream`:
//! it may say "nothing for now", and the subscription is then its `Waker`
//! (see [`Pull::wants_waker`]).
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

use core::task::Waker;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Wake;

use crate::demand::{Demand, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::sync::Arc;
use crate::traits::{Fused, Subscriber, Subscription};

/// A synchronous producer of items, pulled once per unit of demand.
pub(crate) trait Pull: Send + 'static {
    /// The type of the items.
    type Item: Send + 'static;

    /// The next item, or no item for now, or the end. Called only when there
    /// is demand.
    fn next(&mut self) -> Step<Self::Item>;

    /// The end of the stream, when it is known without pulling: `Ok(())` to
    /// complete, `Err` to fail. Lets a source terminate without waiting for
    /// demand (an empty source completes straight after `on_subscribe`, a
    /// failed one errors, §1.4, §1.5). Checked at the start of each drain
    /// round and whenever demand runs out, so `next` must report the end
    /// too. The default says "not known".
    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        None
    }

    /// Whether this pull may say [`Step::Pending`] and later learn, through
    /// a [`Waker`], that it has more: then [`set_waker`](Pull::set_waker)
    /// hands it one that re-enters the drain. False by default: the
    /// synchronous sources never wait (`never` waits for nothing).
    #[inline]
    fn wants_waker(&self) -> bool {
        false
    }

    /// Receives the waker that re-enters the drain, once, before the first
    /// `next` or `finished`; only if [`wants_waker`](Pull::wants_waker).
    /// Waking it drains as a `request` does: the pull is asked again if there
    /// is demand, and `finished` is asked in any case.
    #[inline]
    fn set_waker(&mut self, _waker: Waker) {}
}

/// What one pull gave.
pub(crate) enum Step<T> {
    /// An item to emit.
    Next(T),
    /// No item for now: stop emitting until the next `request` (`never`), or
    /// until the pull's waker is woken (`from_stream`).
    Pending,
    /// The end: `Ok(())` completes, `Err` fails.
    End(Result<(), Error>),
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
