//! `empty`: no items, then completion.

use core::fmt;
use core::marker::PhantomData;

use crate::author::pull::{self, Pull, Step};
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`empty`] function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Empty<T> {
    _item: PhantomData<fn() -> T>,
}

/// Completes straight after `on_subscribe`, without waiting for demand (§1.5,
/// §2.9).
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::<u32>::new(0);
/// source::empty().subscribe(ts.clone());
/// ts.assert_no_values().assert_complete();
/// ```
pub fn empty<T: Send + 'static>() -> Empty<T> {
    Empty { _item: PhantomData }
}

impl<T> Clone for Empty<T> {
    fn clone(&self) -> Self {
        Empty { _item: PhantomData }
    }
}

impl<T> fmt::Debug for Empty<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Empty")
    }
}

impl<T: Send + 'static> Publisher for Empty<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(EmptyPull(PhantomData), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<T>> {
        Some(FusedSource::new(EmptyPull(PhantomData)))
    }
}

struct EmptyPull<T>(PhantomData<fn() -> T>);

impl<T: Send + 'static> Pull for EmptyPull<T> {
    type Item = T;

    fn next(&mut self) -> Step<T> {
        Step::End(Ok(()))
    }

    fn finished(&mut self) -> Option<Result<(), crate::Error>> {
        Some(Ok(()))
    }
}
