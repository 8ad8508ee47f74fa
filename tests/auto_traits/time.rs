//! Auto traits of the time sources and operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    BufferTimeout, Debounce, Delay, DelaySubscription, Elapsed, NoDemand, Sample, TakeFor,
    ThrottleFirst, ThrottleLast, Timeout, Timestamp,
};
use reactive_streams::source::{Interval, Range, Timer};

// Publishers are shared between threads and subscribed from any of them;
// cloning one shares its scheduler.
assert_impl_all!(Interval: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Timer: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Delay<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(DelaySubscription<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Timeout<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Debounce<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Sample<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ThrottleFirst<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ThrottleLast<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(BufferTimeout<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(TakeFor<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Elapsed<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Timestamp<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(NoDemand: Send, Sync, Unpin, Copy, Eq, Default, std::hash::Hash);

// Negative: an upstream that is not Send makes an operator that is not.
assert_not_impl_any!(Delay<std::rc::Rc<u8>>: Send, Sync);
assert_not_impl_any!(Debounce<std::rc::Rc<u8>>: Send, Sync);
