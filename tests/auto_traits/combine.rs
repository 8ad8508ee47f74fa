//! Auto traits of the combine operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    CombineLatest, Concat, ConcatWith, Merge, MergeWith, WithLatestFrom, Zip, ZipWith,
};
use reactive_streams::source::{FromIter, Just, Range};
use reactive_streams::BoxPublisher;

type Add = fn(u64, u64) -> u64;
type AddRef = fn(&u64, &u64) -> u64;
type AddLatest = fn(u64, &u64) -> u64;
type NotSend = std::rc::Rc<u8>;

// Publishers are shared between threads and subscribed from any of them;
// they are as cloneable as what they combine.
assert_impl_all!(Concat<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Concat<BoxPublisher<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(ConcatWith<Range<u64>, Just<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ConcatWith<FromIter<Vec<u64>>, Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Merge<Range<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(MergeWith<Range<u64>, Just<u64>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(Zip<Range<u64>, Just<String>>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(ZipWith<Range<u64>, Range<u64>, Add>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(CombineLatest<Range<u64>, Range<u64>, AddRef>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(WithLatestFrom<Range<u64>, Range<u64>, AddLatest>: Send, Sync, Unpin, Clone, std::fmt::Debug);

// `Concat` and `ConcatWith` share their sources behind an `Arc`: cloneable
// even when the sources are not.
type NotClone = reactive_streams::source::Defer<fn() -> Range<u64>>;
assert_impl_all!(Concat<NotClone>: Clone);
assert_impl_all!(ConcatWith<NotClone, Range<u64>>: Clone);
assert_not_impl_any!(Merge<NotClone>: Clone);

// Negative: a closure that is not Send + Sync makes the publisher neither;
// so does a source that is not.
assert_not_impl_any!(ZipWith<Range<u64>, Range<u64>, NotSend>: Send, Sync);
assert_not_impl_any!(CombineLatest<Range<u64>, Range<u64>, NotSend>: Send, Sync);
assert_not_impl_any!(WithLatestFrom<Range<u64>, Range<u64>, NotSend>: Send, Sync);
assert_not_impl_any!(Merge<FromIter<Vec<NotSend>>>: Send, Sync);
assert_not_impl_any!(Concat<FromIter<Vec<NotSend>>>: Send, Sync);
assert_not_impl_any!(Zip<FromIter<Vec<NotSend>>, Range<u64>>: Send, Sync);
