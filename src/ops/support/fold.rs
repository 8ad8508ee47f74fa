//! The subscriber every aggregate shares (`reduce`, `collect`, `count`,
//! `all`, `any`, `last`): it folds the items into a [`Fold`] and hands the
//! result to a [`ScalarSubscription`], which emits it once downstream has
//! requested.
//!
//! Demand: [`UNBOUNDED`] upstream right after downstream's `on_subscribe`, as
//! Reactor's `MonoReduce` does: the result needs every item, and the items
//! go nowhere but into the fold, so there is nothing for demand to bound.
//! Downstream demand only releases the result. Threads: folds on the thread
//! that signals; the result goes out on that thread or on the one that
//! requests, whichever comes second (`scalar.rs`).

use core::marker::PhantomData;

use crate::author::UNBOUNDED;
use crate::error::Error;
use crate::ops::support::scalar::{Outcome, ScalarSubscription};
use crate::ops::support::upstream::Upstream;
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// The per-subscription state of an aggregate: what it does with each item,
/// and what it makes of them at the end.
pub(crate) trait Fold<T>: Send + 'static {
    /// The one item the aggregate emits.
    type Output: Send + 'static;

    /// Takes one item. `Ok(true)`: more are wanted. `Ok(false)`: the result
    /// is known already (`all` met a false, `any` a true): upstream is
    /// cancelled and [`finish`](Fold::finish) called. `Err`: a user closure
    /// panicked (see `guard.rs`).
    fn push(&mut self, item: T) -> Result<bool, Error>;

    /// The result, when upstream completed or `push` said it is known;
    /// `None` completes without an item (`reduce` and `last` of nothing).
    fn finish(&mut self) -> Option<Self::Output>;
}

/// The subscriber to upstream of every aggregate.
pub(crate) struct FoldSubscriber<S, F, T>
where
    F: Fold<T>,
{
    /// The downstream, until `on_subscribe` parks it in `scalar`.
    downstream: Option<S>,
    scalar: Option<Arc<ScalarSubscription<S, F::Output>>>,
    upstream: Upstream,
    fold: F,
    /// Upstream ended, or the result is known.
    done: bool,
    _item: PhantomData<fn(T)>,
}

impl<S, F, T> FoldSubscriber<S, F, T>
where
    S: Subscriber<F::Output> + 'static,
    F: Fold<T>,
{
    pub(crate) fn new(downstream: S, fold: F) -> Self {
        FoldSubscriber {
            downstream: Some(downstream),
            scalar: None,
            upstream: Upstream::new(),
            fold,
            done: false,
            _item: PhantomData,
        }
    }

    /// Ends with `outcome`, once.
    fn settle(&mut self, outcome: Outcome<F::Output>) {
        self.done = true;
        if let Some(scalar) = &self.scalar {
            scalar.settle(outcome);
        }
    }

    /// Ends with the fold's result.
    fn finish(&mut self) {
        let outcome = match self.fold.finish() {
            Some(value) => Outcome::Value(value),
            None => Outcome::Empty,
        };
        self.settle(outcome);
    }
}

impl<S, F, T> Subscriber<T> for FoldSubscriber<S, F, T>
where
    S: Subscriber<F::Output> + 'static,
    F: Fold<T>,
    T: Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if !self.upstream.set(&subscription) {
            return; // §2.5
        }
        let Some(mut downstream) = self.downstream.take() else {
            return;
        };
        let scalar = Arc::new(ScalarSubscription::new(Arc::clone(&subscription), false));
        downstream.on_subscribe(Arc::clone(&scalar) as Arc<dyn Subscription>);
        // From here on only the scalar signals downstream.
        scalar.park(downstream);
        let upstream = scalar.upstream(); // None if downstream cancelled already
        self.scalar = Some(scalar);
        if let Some(upstream) = upstream {
            upstream.request(UNBOUNDED);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return; // §2.8: late items after our own cancel are ignored
        }
        match self.fold.push(item) {
            Ok(true) => {}
            Ok(false) => {
                // The result is known: no more items are needed.
                self.upstream.cancel();
                self.finish();
            }
            Err(error) => {
                self.upstream.cancel();
                self.settle(Outcome::Failed(error));
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.upstream.clear();
            self.settle(Outcome::Failed(error));
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.upstream.clear();
            self.finish();
        }
    }
}
