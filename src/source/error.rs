//! `error`: fails at once.

use core::fmt;
use core::marker::PhantomData;

use crate::author::pull::{self, Pull, Step};
use crate::error::Error;
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`error`] function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Fail<T> {
    error: Error,
    _item: PhantomData<fn() -> T>,
}

/// Signals `on_error(error)` straight after `on_subscribe`, without waiting
/// for demand (§1.4, §2.10). Every subscriber gets a clone of the same error.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Error, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::<u32>::new(0);
/// source::error(Error::new("no such file")).subscribe(ts.clone());
/// ts.assert_no_values().assert_error_message("no such file");
/// ```
pub fn error<T: Send + 'static>(error: Error) -> Fail<T> {
    Fail {
        error,
        _item: PhantomData,
    }
}

impl<T> Clone for Fail<T> {
    fn clone(&self) -> Self {
        Fail {
            error: self.error.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Fail<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fail").field("error", &self.error).finish()
    }
}

impl<T: Send + 'static> Publisher for Fail<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(FailPull::<T>(self.error.clone(), PhantomData), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<T>> {
        Some(FusedSource::new(FailPull::<T>(
            self.error.clone(),
            PhantomData,
        )))
    }
}

/// The pull of a failed source; also used by sources whose set-up panicked.
pub(crate) struct FailPull<T>(pub(crate) Error, pub(crate) PhantomData<fn() -> T>);

impl<T: Send + 'static> Pull for FailPull<T> {
    type Item = T;

    fn next(&mut self) -> Step<T> {
        Step::End(Err(self.0.clone()))
    }

    fn finished(&mut self) -> Option<Result<(), Error>> {
        Some(Err(self.0.clone()))
    }
}
