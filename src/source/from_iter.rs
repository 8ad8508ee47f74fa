//! `from_iter`: the items of any cloneable iterable.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::pull::{self, Pull, Step};
use crate::error::Error;
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`from_iter`] function.
#[derive(Debug, Clone)]
#[must_use = "publishers do nothing until subscribed"]
pub struct FromIter<I> {
    iterable: I,
}

/// Publishes the items of `iterable`, then completes. Each subscriber gets a
/// clone of `iterable` and iterates it from the start.
///
/// A panic inside the iterator (in `into_iter` or `next`) becomes `on_error`
/// with [`ErrorKind::Panic`](crate::ErrorKind::Panic); nothing follows it.
///
/// # Demand
///
/// Pulls one item per unit of demand. Completes as soon as the iterator is
/// known to be exhausted: at once for iterators with an exact size hint
/// (vectors, ranges, slices); otherwise the iterator is asked for the next
/// item right after the previous one is emitted, as the JVM's `hasNext`
/// does, so that completion never waits for demand it does not need.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let words = source::from_iter(vec!["a", "b", "c"]);
/// for _ in 0..2 {
///     let ts = TestSubscriber::unbounded();
///     words.subscribe(ts.clone());
///     ts.assert_values(&["a", "b", "c"]).assert_complete();
/// }
/// ```
pub fn from_iter<I>(iterable: I) -> FromIter<I>
where
    I: IntoIterator + Clone + Send + Sync + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    FromIter { iterable }
}

impl<I> Publisher for FromIter<I>
where
    I: IntoIterator + Clone + Send + Sync + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    type Item = I::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<I::Item> + 'static,
    {
        pull::subscribe(self.pull(), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<I::Item>> {
        Some(FusedSource::new(self.pull()))
    }
}

impl<I> FromIter<I>
where
    I: IntoIterator + Clone + Send + Sync + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    /// A fresh iterator over the items, or the panic of `clone` or
    /// `into_iter` as the stream's error (§1.9: a subscriber that cannot be
    /// served gets `on_subscribe`, then `on_error`).
    fn pull(&self) -> IterPull<I::IntoIter> {
        match catch_unwind(AssertUnwindSafe(|| self.iterable.clone().into_iter())) {
            Ok(iter) => IterPull::Iterating { iter, peeked: None },
            Err(payload) => IterPull::Failed(Some(Error::from_panic(payload))),
        }
    }
}

enum IterPull<It: Iterator> {
    Iterating {
        iter: It,
        /// The item taken to learn whether the iterator had ended.
        peeked: Option<It::Item>,
    },
    Failed(Option<Error>),
}

impl<It> Pull for IterPull<It>
where
    It: Iterator + Send + 'static,
    It::Item: Send + 'static,
{
    type Item = It::Item;

    #[inline]
    fn next(&mut self) -> Step<It::Item> {
        match self {
            IterPull::Iterating { iter, peeked } => {
                if let Some(item) = peeked.take() {
                    return Step::Next(item);
                }
                match catch_unwind(AssertUnwindSafe(|| iter.next())) {
                    Ok(Some(item)) => Step::Next(item),
                    Ok(None) => Step::End(Ok(())),
                    Err(payload) => Step::End(Err(Error::from_panic(payload))),
                }
            }
            IterPull::Failed(error) => Step::End(Err(error.take().unwrap_or_else(lost_error))),
        }
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        match self {
            IterPull::Iterating { iter, peeked } => {
                if peeked.is_some() {
                    return None;
                }
                match iter.size_hint() {
                    (_, Some(0)) => Some(Ok(())),
                    (lower, _) if lower > 0 => None,
                    _ => match catch_unwind(AssertUnwindSafe(|| iter.next())) {
                        Ok(Some(item)) => {
                            *peeked = Some(item);
                            None
                        }
                        Ok(None) => Some(Ok(())),
                        Err(payload) => Some(Err(Error::from_panic(payload))),
                    },
                }
            }
            IterPull::Failed(error) => Some(Err(error.take().unwrap_or_else(lost_error))),
        }
    }
}

/// Unreachable in practice: the engine stops at the first `End`.
#[cold]
fn lost_error() -> Error {
    Error::new("from_iter: the iterator failed")
}
