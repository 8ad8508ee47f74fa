//! `never`: no signal after `on_subscribe`, ever.

use core::fmt;
use core::marker::PhantomData;

use crate::author::pull::{self, Pull, Step};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`never`](fn@never) function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Never<T> {
    _item: PhantomData<fn() -> T>,
}

/// Signals `on_subscribe` and then nothing: no item, no completion. Useful in
/// tests and as the "other" of `take_until`. It still answers `request(0)`
/// with the §3.9 error, and drops its subscriber on `cancel` (§3.13).
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::<u32>::new(10);
/// source::never().subscribe(ts.clone());
/// ts.assert_subscribed().assert_no_values().assert_not_terminated();
/// ts.cancel();
/// ```
pub fn never<T: Send + 'static>() -> Never<T> {
    Never { _item: PhantomData }
}

impl<T> Clone for Never<T> {
    fn clone(&self) -> Self {
        Never { _item: PhantomData }
    }
}

impl<T> fmt::Debug for Never<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Never")
    }
}

impl<T: Send + 'static> Publisher for Never<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(NeverPull(PhantomData), subscriber);
    }
}

struct NeverPull<T>(PhantomData<fn() -> T>);

impl<T: Send + 'static> Pull for NeverPull<T> {
    type Item = T;

    fn next(&mut self) -> Step<T> {
        Step::Pending
    }
}
