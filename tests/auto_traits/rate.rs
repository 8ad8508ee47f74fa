//! Auto traits of the rate family and the adaptive polling source.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    Aimd, AimdConfig, AimdHandle, Rate, ShedByPriority, ShedCounts, ThrottleRate,
};
use reactive_streams::source::{PollAdaptive, PollConfig, Range};
use reactive_streams::Error;

type Level = fn(&u64) -> usize;
type Poll = fn() -> Result<Option<u64>, Error>;

// Publishers are shared between threads and subscribed from any of them.
assert_impl_all!(ThrottleRate<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Aimd<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ShedByPriority<Range<u64>, Level>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(PollAdaptive<Poll>: Send, Sync, Unpin, Clone, std::fmt::Debug);
// Handles and settings are small values, read from any thread.
assert_impl_all!(AimdHandle: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ShedCounts: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Rate: Send, Sync, Unpin, Copy, Eq, std::hash::Hash, std::fmt::Debug);
assert_impl_all!(AimdConfig: Send, Sync, Unpin, Copy, PartialEq, std::fmt::Debug);
assert_impl_all!(PollConfig: Send, Sync, Unpin, Copy, PartialEq, std::fmt::Debug);

// Negative: an upstream that is not Send makes an operator that is not.
assert_not_impl_any!(ThrottleRate<std::rc::Rc<u8>>: Send, Sync);
assert_not_impl_any!(Aimd<std::rc::Rc<u8>>: Send, Sync);
