//! Auto traits of the backpressure operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    BufferOverflow, LimitRate, OnBackpressureBuffer, OnBackpressureDrop, OnBackpressureError,
    OnBackpressureLatest, OnBackpressureReduce,
};
use reactive_streams::source::Range;

type Sum = fn(u64, u64) -> u64;

// Publishers are shared between threads and subscribed from any of them;
// cloning one shares its callbacks.
assert_impl_all!(OnBackpressureBuffer<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(OnBackpressureDrop<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(OnBackpressureLatest<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(OnBackpressureError<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(OnBackpressureReduce<Range<u64>, Sum>: Send, Sync, Unpin, Clone);
assert_impl_all!(LimitRate<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(BufferOverflow: Send, Sync, Unpin, Copy, Eq, std::hash::Hash);

// Negative: a reducer that is not Sync makes an operator that is not either.
assert_not_impl_any!(OnBackpressureReduce<Range<u64>, std::cell::Cell<u8>>: Sync);
assert_not_impl_any!(LimitRate<std::rc::Rc<u8>>: Send, Sync);
