//! Fixed lists of publishers with one item type, subscribed by position: what
//! `concat` walks through one after another and `merge` subscribes all at
//! once.
//!
//! Two shapes: any number of publishers of one type ([`List`], behind
//! [`concat`](crate::ops::concat) and [`merge`](crate::ops::merge)), and two
//! publishers of different types ([`Pair`], behind `concat_with` and
//! `merge_with`).

use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publishers of one item type, subscribed by position.
pub(crate) trait Sources: Send + Sync {
    /// The item type they share.
    type Item: Send + 'static;

    /// How many there are.
    fn len(&self) -> usize;

    /// Subscribes `subscriber` to the publisher at `index`. An index past the
    /// end drops the subscriber (callers never pass one).
    fn subscribe_at<S>(&self, index: usize, subscriber: S)
    where
        S: Subscriber<Self::Item> + 'static;

    /// Source `index` as a fused source, if it is one of the crate's
    /// synchronous sources (`Publisher::fused_source`).
    fn fused_at(&self, index: usize) -> Option<FusedSource<Self::Item>>;
}

/// Any number of publishers of one type.
#[derive(Debug, Clone)]
pub(crate) struct List<P>(pub(crate) Vec<P>);

impl<P: Publisher> Sources for List<P> {
    type Item = P::Item;

    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }

    fn subscribe_at<S>(&self, index: usize, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        debug_assert!(index < self.0.len(), "source {index} of {}", self.0.len());
        if let Some(publisher) = self.0.get(index) {
            publisher.subscribe(subscriber);
        }
    }

    fn fused_at(&self, index: usize) -> Option<FusedSource<P::Item>> {
        self.0.get(index)?.fused_source(Fused(()))
    }
}

/// Two publishers of one item type, possibly of different types.
#[derive(Debug, Clone)]
pub(crate) struct Pair<A, B>(pub(crate) A, pub(crate) B);

impl<A, B> Sources for Pair<A, B>
where
    A: Publisher,
    B: Publisher<Item = A::Item>,
{
    type Item = A::Item;

    #[inline]
    fn len(&self) -> usize {
        2
    }

    fn subscribe_at<S>(&self, index: usize, subscriber: S)
    where
        S: Subscriber<A::Item> + 'static,
    {
        debug_assert!(index < 2, "source {index} of 2");
        match index {
            0 => self.0.subscribe(subscriber),
            1 => self.1.subscribe(subscriber),
            _ => {}
        }
    }

    fn fused_at(&self, index: usize) -> Option<FusedSource<A::Item>> {
        match index {
            0 => self.0.fused_source(Fused(())),
            1 => self.1.fused_source(Fused(())),
            _ => None,
        }
    }
}
