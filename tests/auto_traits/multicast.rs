//! Auto traits of the multicast operators and the processors.

use static_assertions::{assert_impl_all, assert_not_impl_any};

use reactive_streams::ops::{Connection, Publish, RefCount, Replay, Share};
use reactive_streams::processor::{MulticastProcessor, UnicastProcessor};
use reactive_streams::source::Range;
use reactive_streams::Processor;

// Connectable publishers are shared between threads and subscribed from any
// of them; clones share one connection.
assert_impl_all!(Publish<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Replay<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Share<Range<u64>>: Send, Sync, Unpin, Clone);
assert_impl_all!(RefCount<Replay<Range<u64>>>: Send, Sync, Unpin, Clone);

// The connection handle crosses threads (disconnect from anywhere).
assert_impl_all!(Connection: Send, Sync, Unpin, Clone);

// Processors are handles: Send + Sync + Clone, whatever the queue's halves.
assert_impl_all!(MulticastProcessor<u64>: Send, Sync, Unpin, Clone, Processor<u64, u64>);
assert_impl_all!(UnicastProcessor<u64>: Send, Sync, Unpin, Clone, Processor<u64, u64>);
// The unicast processor needs no `Clone` items (a `Box` of a non-Clone).
assert_impl_all!(UnicastProcessor<Box<dyn FnOnce() + Send>>: Send, Sync, Processor<Box<dyn FnOnce() + Send>, Box<dyn FnOnce() + Send>>);

// Negative: items that cannot cross threads make no processor at all.
assert_not_impl_any!(MulticastProcessor<std::rc::Rc<u8>>: Send, Sync);
assert_not_impl_any!(UnicastProcessor<std::rc::Rc<u8>>: Send, Sync);
// Negative: a multicast processor of non-Clone items is no publisher.
assert_not_impl_any!(MulticastProcessor<Box<dyn FnOnce() + Send>>: reactive_streams::Publisher);
