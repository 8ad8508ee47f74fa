//! Auto traits of the core types, sources and subscribers.

use static_assertions::{assert_impl_all, assert_not_impl_any, assert_obj_safe};

use reactive_streams::source::{
    Create, Defer, EmitError, Emitter, Empty, Fail, FromIter, Generate, GenerateSink, Just, Never,
    Overflow, Range,
};
use reactive_streams::{
    BlockingIter, BoxPublisher, BoxSubscriber, CancelHandle, DynPublisher, Error, ErrorKind,
    LambdaSubscriber, Rule, Subscription, TestSubscriber,
};

type Func = fn() -> u32;
type Step = fn(&mut u32, &mut GenerateSink<u32>);

// Publishers are shared between threads and subscribed from any of them.
assert_impl_all!(Range<u64>: Send, Sync, Unpin, Clone);
assert_impl_all!(FromIter<Vec<u8>>: Send, Sync, Unpin, Clone);
assert_impl_all!(Just<String>: Send, Sync, Unpin, Clone);
assert_impl_all!(Empty<u8>: Send, Sync, Unpin, Clone);
assert_impl_all!(Fail<u8>: Send, Sync, Unpin, Clone);
assert_impl_all!(Never<u8>: Send, Sync, Unpin, Clone);
assert_impl_all!(Defer<fn() -> Just<u8>>: Send, Sync, Unpin);
assert_impl_all!(Generate<u32, Func, Step>: Send, Sync, Unpin, Clone);
assert_impl_all!(BoxPublisher<u8>: Send, Sync, Unpin, Clone);

// `Empty`, `Never` and `Fail` hold no `T`, so they are Send + Sync even for a
// `T` that is not (the item type is only produced, never stored).
assert_impl_all!(Empty<std::rc::Rc<u8>>: Send, Sync);

// `create`: the emitter is handed to any number of threads.
assert_impl_all!(Create<u32, fn(Emitter<u32>)>: Send, Sync, Clone, std::fmt::Debug);
assert_impl_all!(Emitter<u32>: Send, Sync, Clone, std::fmt::Debug);
assert_impl_all!(EmitError<std::rc::Rc<u8>>: std::error::Error);
assert_impl_all!(Overflow: Send, Sync, Copy, std::fmt::Debug);

// Subscribers move into publishers on other threads; the handles are shared.
assert_impl_all!(CancelHandle: Clone, Send, Sync, std::fmt::Debug);
assert_impl_all!(TestSubscriber<u8>: Clone, Send, Sync, std::fmt::Debug);
assert_impl_all!(BlockingIter<u8>: Send, std::fmt::Debug);
assert_impl_all!(LambdaSubscriber<u8, fn(u8)>: Send, std::fmt::Debug);

// Errors cross threads and are cloned for every multicast subscriber.
assert_impl_all!(Error: Send, Sync, Unpin, Clone, std::error::Error);
assert_impl_all!(ErrorKind: Send, Sync, Copy, Eq);
assert_impl_all!(Rule: Send, Sync, Copy, Ord);

// The sink lives inside one generator call only.
assert_impl_all!(GenerateSink<u32>: Send);

// Boxed subscribers move into publishers on other threads; they are not
// shared, so they need not be Sync.
assert_impl_all!(BoxSubscriber<u8>: Send);
assert_not_impl_any!(BoxSubscriber<u8>: Sync);

// Negative: a publisher of a non-Send iterable is not a publisher at all, so
// `FromIter` of an `Rc` is neither Send nor Sync.
assert_not_impl_any!(FromIter<Vec<std::rc::Rc<u8>>>: Send, Sync);

// Object safety: the dynamic forms.
assert_obj_safe!(Subscription);
assert_obj_safe!(DynPublisher<u8>);
assert_impl_all!(std::sync::Arc<dyn Subscription>: Send, Sync, Clone);

#[test]
fn dyn_subscription_and_dyn_publisher_are_usable_as_trait_objects() {
    use reactive_streams::{source, Publisher};
    let publishers: Vec<Box<dyn DynPublisher<u64>>> = vec![
        Box::new(source::range(0..2u64)),
        Box::new(source::just(7u64)),
    ];
    let boxed = BoxPublisher::new(source::range(0..3u64));
    let (tx, rx) = std::sync::mpsc::channel();
    struct Collect(std::sync::mpsc::Sender<u64>);
    impl reactive_streams::Subscriber<u64> for Collect {
        fn on_subscribe(&mut self, s: std::sync::Arc<dyn Subscription>) {
            s.request(reactive_streams::UNBOUNDED);
        }
        fn on_next(&mut self, item: u64) {
            self.0.send(item).unwrap();
        }
        fn on_error(&mut self, _: Error) {}
        fn on_complete(&mut self) {}
    }
    for p in &publishers {
        p.subscribe_dyn(Box::new(Collect(tx.clone())));
    }
    boxed.subscribe(Collect(tx));
    let got: Vec<u64> = rx.iter().collect();
    assert_eq!(got, [0, 1, 7, 0, 1, 2]);
}
