//! Auto traits of the limit operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{
    DefaultIfEmpty, ElementAt, First, IgnoreElements, IndexOutOfBounds, Last, Skip, SkipUntil,
    SkipWhile, Take, TakeUntil, TakeWhile,
};
use reactive_streams::source::{Never, Range};

type Pred = fn(&u64) -> bool;

// Operators are publishers: shared between threads, subscribed from any.
// They are `Clone` when their upstream (and closure) is.
assert_impl_all!(Take<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(TakeWhile<Range<u64>, Pred>: Send, Sync, Unpin, Clone);
assert_impl_all!(TakeUntil<Range<u64>, Never<()>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Skip<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(SkipWhile<Range<u64>, Pred>: Send, Sync, Unpin, Clone);
assert_impl_all!(SkipUntil<Range<u64>, Never<()>>: Send, Sync, Unpin, Clone);
assert_impl_all!(ElementAt<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(First<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Last<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(IgnoreElements<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(DefaultIfEmpty<Range<u64>, u64>: Send, Sync, Unpin, Clone);

// A closure is shared behind an `Arc`, so the operator is Clone even when
// the closure is not.
#[derive(Default)]
struct NotClone;
impl NotClone {
    fn test(&self, _: &u64) -> bool {
        true
    }
}
fn take_while_of_a_non_clone_closure() -> impl Clone {
    use reactive_streams::{source, PublisherExt};
    let state = NotClone;
    source::range(0..1u64).take_while(move |x| state.test(x))
}
#[test]
fn take_while_is_clone_whatever_the_closure() {
    let _ = take_while_of_a_non_clone_closure().clone();
}

// Negative: a default value that is not Sync cannot be shared by a
// publisher, so `DefaultIfEmpty` of a `Cell` is not Sync.
assert_not_impl_any!(DefaultIfEmpty<Range<u64>, std::cell::Cell<u64>>: Sync);
// Negative: the upstream's `Clone` decides the operator's.
assert_not_impl_any!(Take<reactive_streams::source::Defer<fn() -> Range<u64>>>: Clone);

// The error of `element_at` travels inside `Error` across threads.
assert_impl_all!(IndexOutOfBounds: Send, Sync, Unpin, Copy, Eq, std::error::Error);
