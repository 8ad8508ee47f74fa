//! Running user closures so that a panic becomes an [`Error`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;

/// Runs `f`, turning a panic into an error of kind
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
///
/// Operators call every user closure through this: the caller then cancels
/// upstream and signals the error downstream, and nothing follows it.
/// `AssertUnwindSafe` is sound here because an operator never touches the
/// closure or its state again after a panic.
#[inline(always)]
pub(crate) fn guard<R>(f: impl FnOnce() -> R) -> Result<R, Error> {
    catch_unwind(AssertUnwindSafe(f)).map_err(Error::from_panic)
}

/// Runs `clear` until it returns without a panic: for dropping what a stage
/// still holds after a failure, when an item's `Drop` may panic. `clear`
/// must remove an item before dropping it, so that every retry makes
/// progress (as `Consumer::clear` and `VecDeque::clear` do).
#[cold]
pub(crate) fn clear_despite_panics(mut clear: impl FnMut()) {
    while catch_unwind(AssertUnwindSafe(&mut clear)).is_err() {}
}
