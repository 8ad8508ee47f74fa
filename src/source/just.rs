//! `just`: one item.

use crate::author::pull::{self, Pull, Step};
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`just`] function.
#[derive(Debug, Clone)]
#[must_use = "publishers do nothing until subscribed"]
pub struct Just<T> {
    item: T,
}

/// Publishes `item` (a clone of it for each subscriber), then completes.
///
/// # Demand
///
/// Emits on the first request and completes with it.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::new(0);
/// source::just("hello").subscribe(ts.clone());
/// ts.assert_no_values().assert_not_terminated();
/// ts.request(1);
/// ts.assert_values(&["hello"]).assert_complete();
/// ```
pub fn just<T>(item: T) -> Just<T>
where
    T: Clone + Send + Sync + 'static,
{
    Just { item }
}

impl<T> Publisher for Just<T>
where
    T: Clone + Send + Sync + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(JustPull(Some(self.item.clone())), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<T>> {
        Some(FusedSource::new(JustPull(Some(self.item.clone()))))
    }
}

struct JustPull<T>(Option<T>);

impl<T: Send + 'static> Pull for JustPull<T> {
    type Item = T;

    fn next(&mut self) -> Step<T> {
        match self.0.take() {
            Some(item) => Step::Next(item),
            None => Step::End(Ok(())),
        }
    }

    fn finished(&mut self) -> Option<Result<(), crate::Error>> {
        self.0.is_none().then_some(Ok(()))
    }
}
