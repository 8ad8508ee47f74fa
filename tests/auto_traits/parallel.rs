//! Auto traits of the parallel rails.

use std::rc::Rc;

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    Ordered, Parallel, ParallelFilter, ParallelFlatMap, ParallelMap, ParallelReduce, RunOn,
    Sequential,
};
use reactive_streams::source::{Just, Range};

type Split = Parallel<Range<u64>>;
type Double = fn(u64) -> u64;
type Even = fn(&u64) -> bool;
type ToJust = fn(u64) -> Just<u64>;
type Add = fn(u64, u64) -> u64;

// Publishers are shared between threads and subscribed from any of them.
assert_impl_all!(Split: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(RunOn<Split>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ParallelMap<Split, Double>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ParallelFilter<Split, Even>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ParallelFlatMap<Split, ToJust>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ParallelReduce<Split, Add>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Sequential<Split>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Ordered<Split>: Send, Sync, Unpin, Clone, std::fmt::Debug);

// Negative: a closure that is not Send + Sync makes rails that are neither
// (each rail's thread calls it).
type NotSync = Box<dyn Fn(u64) -> u64>;
assert_not_impl_any!(ParallelMap<Split, NotSync>: Send, Sync);

// Negative: the upstream's auto traits carry through.
assert_not_impl_any!(Parallel<Rc<Range<u64>>>: Send, Sync);
assert_not_impl_any!(Sequential<Parallel<Rc<Range<u64>>>>: Send, Sync);
