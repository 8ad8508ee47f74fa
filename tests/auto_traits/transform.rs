//! Auto traits of the transform operators.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    Buffer, Distinct, DistinctUntilChanged, DoOnCancel, DoOnComplete, DoOnError, DoOnNext,
    DoOnRequest, DoOnSubscribe, Filter, FilterMap, FlatMapIter, Inspect, Map, MapErr, Scan,
};
use reactive_streams::source::Range;
use reactive_streams::{Error, Subscription};

type Up = Range<u64>;

// Publishers are shared between threads and subscribed from any of them;
// each is Clone when its upstream is (closures are shared behind an Arc).
assert_impl_all!(Map<Up, fn(u64) -> u64>: Send, Sync, Unpin, Clone);
assert_impl_all!(Filter<Up, fn(&u64) -> bool>: Send, Sync, Unpin, Clone);
assert_impl_all!(FilterMap<Up, fn(u64) -> Option<u8>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Scan<Up, u64, fn(u64, u64) -> u64>: Send, Sync, Unpin, Clone);
assert_impl_all!(FlatMapIter<Up, fn(u64) -> Vec<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Buffer<Up>: Send, Sync, Unpin, Clone);
assert_impl_all!(Distinct<Up>: Send, Sync, Unpin, Clone);
assert_impl_all!(DistinctUntilChanged<Up>: Send, Sync, Unpin, Clone);
assert_impl_all!(Inspect<Up, fn(&u64)>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnNext<Up, fn(&u64)>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnError<Up, fn(&Error)>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnComplete<Up, fn()>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnRequest<Up, fn(u64)>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnCancel<Up, fn()>: Send, Sync, Unpin, Clone);
assert_impl_all!(DoOnSubscribe<Up, fn(&Arc<dyn Subscription>)>: Send, Sync, Unpin, Clone);
assert_impl_all!(MapErr<Up, fn(Error) -> Error>: Send, Sync, Unpin, Clone);

// Also with a capturing closure that is not `Clone` itself: the publisher
// still is (the closure is shared behind an `Arc`).
fn not_clone() -> impl Fn(u64) -> u64 + Send + Sync {
    let k = std::sync::Mutex::new(3u64);
    move |x| x * *k.lock().unwrap()
}

#[test]
fn a_publisher_with_a_closure_that_is_not_clone_is_clone() {
    use reactive_streams::{Publisher, PublisherExt, TestSubscriber};
    let tripled = reactive_streams::source::range(0..3u64).map(not_clone());
    let copy = tripled.clone();
    let ts = TestSubscriber::unbounded();
    copy.subscribe(ts.clone());
    ts.assert_values(&[0, 3, 6]);
}

// Negative: a closure that is not Sync makes a publisher that is not Sync
// (so not a Publisher at all); a seed that is not Send + Sync likewise.
type NotSync = Box<dyn Fn(u64) -> u64 + Send>;
assert_not_impl_any!(Map<Up, NotSync>: Sync);
assert_not_impl_any!(Inspect<Up, Box<dyn Fn(&u64) + Send>>: Sync);
assert_not_impl_any!(Scan<Up, Rc<u64>, fn(Rc<u64>, u64) -> Rc<u64>>: Send, Sync);
assert_not_impl_any!(Scan<Up, Cell<u64>, fn(Cell<u64>, u64) -> Cell<u64>>: Sync);

// `Buffer` of an upstream that is not Clone is not Clone.
assert_not_impl_any!(Buffer<reactive_streams::source::Defer<fn() -> Up>>: Clone);
