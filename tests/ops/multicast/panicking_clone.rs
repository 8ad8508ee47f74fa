//! An item whose `Clone` panics, in every multicast stage (issue 10, bug 1):
//! every subscriber gets `on_error` of kind `Panic`, upstream is cancelled,
//! and the stage is not wedged (a late subscriber gets the end at once, and
//! `disconnect` returns).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::processor::MulticastProcessor;
use reactive_streams::{source, BoxPublisher, ErrorKind, Publisher, PublisherExt, TestSubscriber};

/// An item whose clone panics when its value is 2 (the third item).
#[derive(Debug, PartialEq)]
struct Bomb(u64);

impl Clone for Bomb {
    fn clone(&self) -> Self {
        if self.0 == 2 {
            panic!("Bomb::clone on item 2");
        }
        Bomb(self.0)
    }
}

/// `range(0..1000).map(Bomb)` (longer than a prefetch, so upstream is live
/// at the panic), and the flag its cancel sets.
fn bombs() -> (BoxPublisher<Bomb>, Arc<AtomicBool>) {
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancelled);
    let upstream = source::range(0..1000u64)
        .do_on_cancel(move || flag.store(true, Ordering::SeqCst))
        .map(Bomb)
        .boxed();
    (upstream, cancelled)
}

fn assert_failed_with_panic(subscribers: &[&TestSubscriber<Bomb>]) {
    for ts in subscribers {
        ts.assert_error_kind(ErrorKind::Panic);
        assert!(ts.item_count() <= 2, "nothing after the panicking item");
        ts.assert_no_violations();
    }
}

#[test]
fn publish_fails_every_subscriber_and_cancels_upstream() {
    let (upstream, cancelled) = bombs();
    let published = upstream.publish();
    let (a, b) = (TestSubscriber::unbounded(), TestSubscriber::unbounded());
    published.subscribe(a.clone());
    published.subscribe(b.clone());
    let connection = published.connect();
    assert_failed_with_panic(&[&a, &b]);
    assert!(cancelled.load(Ordering::SeqCst), "upstream cancelled");
    // Not wedged: a late subscriber gets the end at once, disconnect returns.
    let late = TestSubscriber::unbounded();
    published.subscribe(late.clone());
    late.assert_error_kind(ErrorKind::Panic);
    connection.disconnect();
}

#[test]
fn share_fails_every_subscriber_and_cancels_upstream() {
    let (upstream, cancelled) = bombs();
    let shared = upstream.share();
    let (a, b) = (TestSubscriber::new(0), TestSubscriber::new(0));
    shared.subscribe(a.clone());
    shared.subscribe(b.clone());
    a.request(10);
    b.request(10);
    assert_failed_with_panic(&[&a, &b]);
    assert!(cancelled.load(Ordering::SeqCst), "upstream cancelled");
}

#[test]
fn replay_fails_every_subscriber_and_cancels_upstream() {
    let (upstream, cancelled) = bombs();
    let replayed = upstream.replay(16);
    let (a, b) = (TestSubscriber::unbounded(), TestSubscriber::unbounded());
    replayed.subscribe(a.clone());
    replayed.subscribe(b.clone());
    let connection = replayed.connect();
    assert_failed_with_panic(&[&a, &b]);
    assert!(cancelled.load(Ordering::SeqCst), "upstream cancelled");
    let late = TestSubscriber::unbounded();
    replayed.subscribe(late.clone());
    late.assert_error_kind(ErrorKind::Panic);
    connection.disconnect();
}

#[test]
fn multicast_processor_fails_every_subscriber_and_cancels_upstream() {
    let (upstream, cancelled) = bombs();
    let processor = MulticastProcessor::new();
    let (a, b) = (TestSubscriber::unbounded(), TestSubscriber::unbounded());
    processor.subscribe(a.clone());
    processor.subscribe(b.clone());
    upstream.subscribe(processor.clone());
    assert_failed_with_panic(&[&a, &b]);
    assert!(cancelled.load(Ordering::SeqCst), "upstream cancelled");
    let late = TestSubscriber::unbounded();
    processor.subscribe(late.clone());
    late.assert_error_kind(ErrorKind::Panic);
}
