//! Auto traits of the `author` blocks.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::author::{Demand, PullFn, Replenish, Step};

// The counter is shared by the subscription's callers on every thread.
assert_impl_all!(Demand: Send, Sync, Unpin, Default, std::fmt::Debug);
// A subscriber's own counter: moves with it, never shared.
assert_impl_all!(Replenish: Send, Sync, Clone, std::fmt::Debug);
assert_impl_all!(Step<u8>: Send, std::fmt::Debug);
assert_impl_all!(PullFn<fn() -> Step<u8>>: Send, Sync, std::fmt::Debug);
// Shared by reference, never cloned: one counter per subscription.
assert_not_impl_any!(Demand: Clone);
