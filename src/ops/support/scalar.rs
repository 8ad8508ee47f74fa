//! `ScalarSubscription`: the subscription of a stage that ends with at most
//! one item of its own (the aggregates, `last`, `default_if_empty`). The item
//! is emitted only once downstream has requested (§1.1), which may happen
//! before or after the item is ready, on another thread.
//!
//! Reactor's "deferred scalar subscription" (`Operators.MonoSubscriber`)
//! keeps this in one atomic word with HAS_REQUEST and HAS_VALUE bits, and the
//! value in a plain field that the bits publish. Operators here are safe code
//! (no `UnsafeCell`), so the value must live behind a lock anyway; the whole
//! state therefore sits in one small `Mutex`. Uncontended, it costs the one
//! compare-and-swap the atomic word would, and it is taken a few times per
//! subscription, never per item.
//!
//! # Implementation notes
//!
//! ## State (all of it behind `state: Mutex<State>`)
//! * `downstream: Option<S>`: the subscriber, while parked here. A stage
//!   parks it once it has no more use for it: an aggregate right after
//!   `on_subscribe`, `default_if_empty` when upstream completes empty.
//! * `outcome: Option<Outcome<T>>`: the result, once upstream has ended.
//! * `requested`: a `request(n >= 1)` arrived.
//! * `cancelled`; `invalid`: a `request(0)` arrived (§3.9).
//! * `upstream`: the upstream subscription, until the end or the cancel
//!   (then dropped, §3.13).
//!
//! ## Field access rules
//! * Everything is read and written under the lock.
//! * Whoever takes `downstream` out of the state (only `State::step` does)
//!   is the one party that signals it, and it signals after releasing the
//!   lock, because a signal may call back into `request` or `cancel`. So the
//!   subscriber is never signalled concurrently (§1.3), and the lock hands
//!   it over with happens-before.
//!
//! ## Races considered
//! 1. The result vs the request, on two threads: each records its part under
//!    the lock, then runs `step`. Whichever locks second finds both parts and
//!    emits; neither can miss the other, since both are written and read
//!    under one lock.
//! 2. `cancel` vs the result: a cancel takes a parked subscriber and drops it
//!    (§3.13); a result that comes later finds `cancelled` and is dropped. A
//!    result that took the subscriber first is emitted: the cancel came too
//!    late to stop it (§3.12 allows that). A cancel from inside the item's
//!    `on_next` is seen before `on_complete`, which then is not signalled.
//! 3. `request(0)` (§3.9): like a cancel, except that the one who takes the
//!    subscriber signals the §3.9 error. When the subscriber is not parked
//!    (`default_if_empty` still passing items, or an aggregate inside its
//!    `on_subscribe`), the `request(0)` also goes upstream, whose error
//!    passes through; `invalid` stays set, so a result that arrives first is
//!    replaced by the §3.9 error.

use core::fmt;

use crate::error::Error;
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// How a one-item stage ended.
pub(crate) enum Outcome<T> {
    /// Emit this item (once requested), then complete.
    Value(T),
    /// Complete without an item.
    Empty,
    /// Fail.
    Failed(Error),
}

/// The subscription a one-item stage hands downstream; see the module docs.
pub(crate) struct ScalarSubscription<S, T> {
    state: Mutex<State<S, T>>,
    /// Pass each request upstream (`default_if_empty`, whose items flow one
    /// for one) or not (aggregates, which requested `UNBOUNDED` themselves).
    forward: bool,
}

struct State<S, T> {
    downstream: Option<S>,
    outcome: Option<Outcome<T>>,
    upstream: Option<Arc<dyn Subscription>>,
    requested: bool,
    cancelled: bool,
    invalid: bool,
}

/// What `step` decided; carried out after the lock is released.
enum Action<S, T> {
    Nothing,
    Emit(S, T),
    Complete(S),
    /// Signal the error; cancel upstream first if given (§3.9 path).
    Fail(S, Error, Option<Arc<dyn Subscription>>),
    /// Drop the subscriber (§3.13).
    Release(S),
}

impl<S, T> State<S, T> {
    /// Takes the subscriber out when there is something to signal (field
    /// access rules in the module docs).
    fn step(&mut self) -> Action<S, T> {
        let Some(downstream) = self.downstream.take() else {
            return Action::Nothing; // not parked, or already signalled
        };
        if self.invalid {
            self.invalid = false;
            self.cancelled = true;
            self.outcome = None;
            let upstream = self.upstream.take();
            return Action::Fail(downstream, Error::non_positive_request(), upstream);
        }
        if self.cancelled {
            self.outcome = None;
            return Action::Release(downstream);
        }
        match self.outcome.take() {
            Some(Outcome::Value(value)) if self.requested => Action::Emit(downstream, value),
            Some(Outcome::Empty) => Action::Complete(downstream),
            Some(Outcome::Failed(error)) => Action::Fail(downstream, error, None),
            waiting => {
                // No result yet, or a value without demand: stay parked.
                self.outcome = waiting;
                self.downstream = Some(downstream);
                Action::Nothing
            }
        }
    }
}

impl<S, T> ScalarSubscription<S, T>
where
    S: Subscriber<T>,
{
    /// A subscription for a stage subscribed to `upstream`.
    pub(crate) fn new(upstream: Arc<dyn Subscription>, forward: bool) -> Self {
        ScalarSubscription {
            state: Mutex::new(State {
                downstream: None,
                outcome: None,
                upstream: Some(upstream),
                requested: false,
                cancelled: false,
                invalid: false,
            }),
            forward,
        }
    }

    /// The upstream subscription, unless the stage was cancelled or has
    /// ended.
    pub(crate) fn upstream(&self) -> Option<Arc<dyn Subscription>> {
        let state = self.state.lock();
        if state.cancelled {
            None
        } else {
            state.upstream.clone()
        }
    }

    /// Hands the subscriber over: the stage will not signal it again.
    pub(crate) fn park(&self, downstream: S) {
        self.update(|state| state.downstream = Some(downstream));
    }

    /// The result is known (the subscriber was parked before).
    pub(crate) fn settle(&self, outcome: Outcome<T>) {
        self.update(|state| {
            state.outcome = Some(outcome);
            state.upstream = None; // §3.13: upstream has ended or was cancelled
        });
    }

    /// Hands the subscriber over together with the result.
    pub(crate) fn settle_with(&self, downstream: S, outcome: Outcome<T>) {
        self.update(|state| {
            state.downstream = Some(downstream);
            state.outcome = Some(outcome);
            state.upstream = None;
        });
    }

    fn update(&self, record: impl FnOnce(&mut State<S, T>)) {
        let action = {
            let mut state = self.state.lock();
            record(&mut state);
            state.step()
        };
        self.run(action);
    }

    /// Carries out `action`, with the lock released.
    fn run(&self, action: Action<S, T>) {
        match action {
            Action::Nothing => {}
            Action::Emit(mut downstream, value) => {
                downstream.on_next(value);
                // A cancel from inside that on_next wins (race 2).
                if !self.state.lock().cancelled {
                    downstream.on_complete();
                }
            }
            Action::Complete(mut downstream) => downstream.on_complete(),
            Action::Fail(mut downstream, error, upstream) => {
                if let Some(upstream) = upstream {
                    upstream.cancel();
                }
                downstream.on_error(error);
            }
            Action::Release(downstream) => drop(downstream),
        }
    }
}

impl<S, T> Subscription for ScalarSubscription<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn request(&self, n: u64) {
        let (action, forward) = {
            let mut state = self.state.lock();
            if n == 0 {
                state.invalid = true;
            } else {
                state.requested = true;
            }
            let action = state.step();
            // Pass the request on: always for a one-for-one stage; for
            // `request(0)` also when the subscriber is not parked here (race
            // 3), so that upstream fails the stream.
            let forward =
                (self.forward || (n == 0 && matches!(action, Action::Nothing))) && !state.cancelled;
            (action, forward.then(|| state.upstream.clone()).flatten())
        };
        self.run(action);
        if let Some(upstream) = forward {
            upstream.request(n);
        }
    }

    fn cancel(&self) {
        let (action, upstream) = {
            let mut state = self.state.lock();
            if state.cancelled {
                return; // §3.7
            }
            state.cancelled = true;
            let upstream = state.upstream.take();
            (state.step(), upstream)
        };
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
        self.run(action);
    }
}

impl<S, T> fmt::Debug for ScalarSubscription<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        f.debug_struct("ScalarSubscription")
            .field("parked", &state.downstream.is_some())
            .field("settled", &state.outcome.is_some())
            .field("requested", &state.requested)
            .field("cancelled", &state.cancelled)
            .finish()
    }
}
