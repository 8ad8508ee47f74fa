//! Auto traits of the async bridges.

use std::future::Ready;
use std::rc::Rc;

use futures::stream::Iter;
use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::interop::{
    CollectFuture, FailOnError, IntoStream, ItemFuture, MapAsync, Next, PassOn, StreamSubscriber,
};
use reactive_streams::source::{FromFuture, FromStream, Range};

type Items = Iter<std::vec::IntoIter<u8>>;
type ToReady = fn(u64) -> Ready<u64>;

// Publishers are shared between threads and subscribed from any of them.
assert_impl_all!(FromStream<Items>: Send, Sync, Unpin, std::fmt::Debug);
assert_impl_all!(FromFuture<Ready<u8>>: Send, Sync, Unpin, std::fmt::Debug);
assert_impl_all!(MapAsync<Range<u64>, ToReady>: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(MapAsync<Range<u64>, ToReady, FailOnError>: Send, Sync, Unpin, Clone);
assert_impl_all!(PassOn: Send, Sync, Unpin, Copy, Default, std::fmt::Debug);
assert_impl_all!(FailOnError: Send, Sync, Unpin, Copy, Default, std::fmt::Debug);

// The stream side moves between threads with the task that polls it, and is
// Unpin (no pinning for `next`).
assert_impl_all!(IntoStream<u8>: Send, Sync, Unpin, std::fmt::Debug);
assert_impl_all!(StreamSubscriber<u8>: Send, Unpin, std::fmt::Debug);
assert_impl_all!(Next<'static, u8>: Send, Unpin, std::fmt::Debug);
assert_impl_all!(ItemFuture<u8>: Send, Unpin, std::fmt::Debug);
assert_impl_all!(CollectFuture<Vec<u8>>: Send, Unpin, std::fmt::Debug);

// Negative: items that are not Send keep everything on one thread.
assert_not_impl_any!(IntoStream<Rc<u8>>: Send, Sync);
assert_not_impl_any!(FromStream<Iter<std::vec::IntoIter<Rc<u8>>>>: Send, Sync);
// Negative: a closure that is not Send + Sync makes an operator that is
// neither (its futures are made on whichever thread drains).
type NotSync = Box<dyn Fn(u64) -> Ready<u64>>;
assert_not_impl_any!(MapAsync<Range<u64>, NotSync>: Send, Sync);
