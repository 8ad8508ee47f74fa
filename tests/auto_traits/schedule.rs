//! Auto traits of the thread hops.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{PublishOn, SubscribeOn};
use reactive_streams::source::Range;

// Publishers are shared between threads and subscribed from any of them;
// cloning one shares its scheduler.
assert_impl_all!(PublishOn<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(SubscribeOn<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);

// Negative: an upstream that is not Send makes an operator that is not.
assert_not_impl_any!(PublishOn<std::rc::Rc<u8>>: Send, Sync);
assert_not_impl_any!(SubscribeOn<std::rc::Rc<u8>>: Send, Sync);
