//! `defer`: a publisher made anew for each subscriber.

use core::fmt;
use core::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::pull;
use crate::error::Error;
use crate::source::error::FailPull;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`defer`] function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Defer<F> {
    factory: F,
}

/// Calls `factory` at each `subscribe` and subscribes to the publisher it
/// returns, so that set-up (opening a file, reading a clock) happens per
/// subscriber, at subscription time.
///
/// A panic in `factory` becomes `on_subscribe` followed by `on_error` with
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic) (§1.9).
///
/// # Demand
///
/// That of the publisher `factory` returns.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let calls = AtomicU32::new(0);
/// let fresh = source::defer(move || source::just(calls.fetch_add(1, Ordering::SeqCst)));
/// for expected in 0..3 {
///     let ts = TestSubscriber::unbounded();
///     fresh.subscribe(ts.clone());
///     ts.assert_values(&[expected]).assert_complete();
/// }
/// ```
pub fn defer<F, P>(factory: F) -> Defer<F>
where
    F: Fn() -> P + Send + Sync + 'static,
    P: Publisher,
{
    Defer { factory }
}

impl<F> fmt::Debug for Defer<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Defer").finish_non_exhaustive()
    }
}

impl<F, P> Publisher for Defer<F>
where
    F: Fn() -> P + Send + Sync + 'static,
    P: Publisher,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        match catch_unwind(AssertUnwindSafe(|| (self.factory)())) {
            Ok(publisher) => publisher.subscribe(subscriber),
            Err(payload) => pull::subscribe(
                FailPull::<P::Item>(Error::from_panic(payload), PhantomData),
                subscriber,
            ),
        }
    }
}
