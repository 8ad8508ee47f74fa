//! `collect`: gathers every item into a collection, emitted as one item.
//!
//! The collection is any `C: Default + Extend<T>` (`Vec`, `VecDeque`,
//! `String` from chars, `HashSet`, `BTreeMap` from pairs, ...), made fresh
//! for each subscriber. An empty stream gives an empty collection.
//!
//! # Demand
//!
//! [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
//! collection goes out when upstream completes and downstream has requested
//! (any `n >= 1`), whichever comes second (`fold.rs`, `scalar.rs`).
//!
//! Threads: collects on the thread that signals; the result goes out on that
//! thread or on the one that requests.

use core::fmt;
use core::marker::PhantomData;

use crate::error::Error;
use crate::ops::support::fold::{Fold, FoldSubscriber};
use crate::ops::support::guard::guard;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`collect`](crate::PublisherExt::collect) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Collect<P, C> {
    upstream: P,
    _collection: PhantomData<fn() -> C>,
}

impl<P: fmt::Debug, C> fmt::Debug for Collect<P, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Collect")
            .field("upstream", &self.upstream)
            .field("collection", &core::any::type_name::<C>())
            .finish()
    }
}

impl<P: Clone, C> Clone for Collect<P, C> {
    fn clone(&self) -> Self {
        Collect {
            upstream: self.upstream.clone(),
            _collection: PhantomData,
        }
    }
}

impl<P, C> Collect<P, C> {
    pub(crate) fn new(upstream: P) -> Self {
        Collect {
            upstream,
            _collection: PhantomData,
        }
    }
}

impl<P, C> Publisher for Collect<P, C>
where
    P: Publisher,
    C: Default + Extend<P::Item> + Send + 'static,
{
    type Item = C;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<C> + 'static,
    {
        let fold = CollectFold {
            collection: Some(C::default()),
        };
        self.upstream
            .subscribe(FoldSubscriber::new(subscriber, fold));
    }
}

/// `collect`'s fold: the collection so far.
struct CollectFold<C> {
    collection: Option<C>,
}

impl<T, C> Fold<T> for CollectFold<C>
where
    C: Default + Extend<T> + Send + 'static,
{
    type Output = C;

    #[inline]
    fn push(&mut self, item: T) -> Result<bool, Error> {
        if let Some(collection) = &mut self.collection {
            // `Extend` is user code for a user collection: a panic fails the
            // stream like any closure's.
            guard(|| collection.extend(core::iter::once(item)))?;
        }
        Ok(true)
    }

    fn finish(&mut self) -> Option<C> {
        self.collection.take()
    }
}
