//! Auto traits of the aggregate operators.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{All, Any, Collect, Count, Reduce};
use reactive_streams::source::Range;

type Pred = fn(&u64) -> bool;
type Add = fn(u64, u64) -> u64;

// Aggregates are publishers: shared between threads, subscribed from any.
assert_impl_all!(Reduce<Range<u64>, Add>: Send, Sync, Unpin, Clone);
assert_impl_all!(Collect<Range<u64>, Vec<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Count<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(All<Range<u64>, Pred>: Send, Sync, Unpin, Clone);
assert_impl_all!(Any<Range<u64>, Pred>: Send, Sync, Unpin, Clone);

/// A collection that must stay on its thread.
#[derive(Default)]
struct Local(Vec<u64>, std::marker::PhantomData<*const ()>);

impl Extend<u64> for Local {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

// `Collect` stores no collection (each subscriber gets a fresh one), so a
// collection that is neither Send nor Sync leaves it both...
assert_impl_all!(Collect<Range<u64>, Local>: Send, Sync);
// ...but it is then no publisher: the collection crosses threads as the item.
assert_not_impl_any!(Collect<Range<u64>, Local>: reactive_streams::Publisher);

#[test]
fn local_collects() {
    let mut local = Local::default();
    local.extend([1, 2]);
    assert_eq!(local.0, [1, 2]);
}
