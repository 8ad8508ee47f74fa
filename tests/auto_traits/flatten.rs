//! Auto traits of the flatten operators.

use std::rc::Rc;

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{ConcatMap, FlatMap, SwitchMap};
use reactive_streams::source::{Just, Range};

type ToJust = fn(u64) -> Just<u64>;

// Publishers are shared between threads and subscribed from any of them; the
// closure is shared by every subscription, so it must be Send + Sync.
assert_impl_all!(FlatMap<Range<u64>, ToJust>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ConcatMap<Range<u64>, ToJust>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(SwitchMap<Range<u64>, ToJust>: Send, Sync, Unpin, Clone, std::fmt::Debug);

// Negative: a closure that is not Send + Sync makes an operator that is
// neither (it could not be shared with the threads its inners run on).
type NotSync = Box<dyn Fn(u64) -> Just<u64>>;
assert_not_impl_any!(FlatMap<Range<u64>, NotSync>: Send, Sync);
assert_not_impl_any!(ConcatMap<Range<u64>, NotSync>: Send, Sync);
assert_not_impl_any!(SwitchMap<Range<u64>, NotSync>: Send, Sync);

// Negative: the upstream's auto traits carry through.
assert_not_impl_any!(FlatMap<Rc<Range<u64>>, ToJust>: Send, Sync);
