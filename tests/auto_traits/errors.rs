//! Auto traits of the errors operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{OnErrorResume, OnErrorReturn, Retry};
use reactive_streams::source::{Just, Range};
use reactive_streams::Error;

type Fallback = fn(Error) -> u64;
type Resume = fn(Error) -> Just<u64>;

// Publishers are shared between threads and subscribed from any of them;
// cloning one clones the shared closure, not the state of a subscription.
assert_impl_all!(OnErrorReturn<Range<u64>, Fallback>: Send, Sync, Unpin, Clone);
assert_impl_all!(OnErrorResume<Range<u64>, Resume>: Send, Sync, Unpin, Clone);
assert_impl_all!(Retry<Range<u64>>: Send, Sync, Unpin, Clone);

// Negative: a closure that is not Sync makes an operator that is not either
// (it could not be a publisher).
type NotSync = std::cell::Cell<u8>;
assert_not_impl_any!(OnErrorReturn<Range<u64>, NotSync>: Sync);
assert_not_impl_any!(Retry<std::rc::Rc<u8>>: Send, Sync);
