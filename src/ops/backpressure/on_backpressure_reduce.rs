//! `on_backpressure_reduce`: requests without bound upstream and, while the
//! downstream has no demand, merges the items that wait into one with a
//! reducer: `pending = f(pending, new)`.
//!
//! Nothing is dropped: every item reaches the downstream, alone or folded
//! into a reduction. With enough demand the operator passes items through
//! unchanged.
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream, once the downstream has
//! its subscription; the pending reduction is delivered at the downstream's
//! next demand. Completion is delivered after it; an error at once, dropping
//! it. Threads: the reducer runs on the upstream's thread; items are
//! delivered by whichever thread drains: the upstream's, or the requester's.
//!
//! # Implementation notes
//!
//! The drain loop, the terminal rule and the races live in `buffered.rs`
//! (State, Field access rules and Races considered there); this file holds
//! the policy. An arriving item takes the pending one out of the slot under
//! the engine's lock, and the reducer runs after unlocking (field access rule
//! 3), so the drainer never waits for user code; the result goes back into
//! the slot, which nobody else fills meanwhile (only the upstream's serial
//! `on_next` puts items in). While the reducer runs the slot is empty, so a
//! drainer that looks then finds nothing and leaves; the `offer` that puts
//! the result back drains again.

use core::fmt;
use core::marker::PhantomData;

use super::on_backpressure_latest::Slot;
use crate::error::Error;
use crate::ops::support::buffered::{Buffered, BufferedSubscriber, Policy};
use crate::ops::support::guard::guard;
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`on_backpressure_reduce`](crate::PublisherExt::on_backpressure_reduce)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnBackpressureReduce<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for OnBackpressureReduce<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBackpressureReduce")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for OnBackpressureReduce<P, F> {
    fn clone(&self) -> Self {
        OnBackpressureReduce {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> OnBackpressureReduce<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        OnBackpressureReduce {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F> Publisher for OnBackpressureReduce<P, F>
where
    P: Publisher,
    F: Fn(P::Item, P::Item) -> P::Item + Send + Sync + 'static,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let policy = ReducePolicy {
            f: Arc::clone(&self.f),
            _item: PhantomData,
        };
        self.upstream
            .subscribe(BufferedSubscriber::new(policy, subscriber));
    }
}

/// Merge into the pending item.
struct ReducePolicy<F, T> {
    f: Arc<F>,
    _item: PhantomData<fn(T) -> T>,
}

impl<T, F> Policy for ReducePolicy<F, T>
where
    T: Send + 'static,
    F: Fn(T, T) -> T + Send + Sync + 'static,
{
    type Store = Slot<T>;

    fn on_next<S>(&mut self, buffered: &Buffered<Slot<T>, S>, item: T) -> Result<(), Error>
    where
        S: Subscriber<T> + 'static,
    {
        // One critical section when nothing is pending: store the item as it
        // is. Otherwise take both out and reduce them unlocked.
        let taken = buffered.offer(move |slot| match slot.0.take() {
            None => {
                slot.0 = Some(item);
                None
            }
            Some(pending) => Some((pending, item)),
        });
        let Some(Some((pending, item))) = taken else {
            return Ok(());
        };
        let f = &self.f;
        let reduced = guard(|| f(pending, item))?;
        buffered.offer(move |slot| {
            debug_assert!(slot.0.is_none(), "only on_next fills the slot");
            slot.0 = Some(reduced);
        });
        Ok(())
    }
}
