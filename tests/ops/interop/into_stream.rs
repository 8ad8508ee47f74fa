use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use futures::executor::block_on;
use futures::stream::{FusedStream, StreamExt, TryStreamExt};
use reactive_streams::source::{self, Overflow};
use reactive_streams::{interop, Error, ErrorKind, Publisher, PublisherExt, Subscriber};

use super::Tracked;
use crate::harness::{CancelProbe, WAIT};

fn collect<P: Publisher + 'static>(publisher: P, prefetch: usize) -> Result<Vec<P::Item>, Error> {
    block_on(publisher.into_stream_with(prefetch).try_collect())
}

#[test]
fn every_item_in_order_for_any_prefetch() {
    let expected: Vec<u64> = (0..1000).collect();
    // 0 and a huge prefetch are clamped (1 and 65 536).
    for prefetch in [0, 1, 2, 3, 7, 256, 1 << 20, usize::MAX] {
        assert_eq!(
            collect(source::range(0..1000u64), prefetch).unwrap(),
            expected
        );
    }
    assert_eq!(
        block_on(
            source::range(0..1000u64)
                .into_stream()
                .try_collect::<Vec<_>>()
        )
        .unwrap(),
        expected
    );
}

#[test]
fn requests_the_prefetch_then_75_percent_batches() {
    let probe = CancelProbe::new(source::range(0..20u64));
    let items = collect(probe.publisher(), 8).unwrap();
    assert_eq!(items.len(), 20);
    // 8 at first; then 6 each time 6 were taken.
    assert_eq!(probe.requests(), [8, 6, 6, 6]);
    assert!(!probe.was_cancelled());
}

#[test]
fn nothing_is_subscribed_before_the_first_poll() {
    let probe = CancelProbe::new(source::range(0..5u64));
    let mut stream = probe.publisher().into_stream();
    assert!(
        probe.requests().is_empty(),
        "subscribed before the first poll"
    );
    assert_eq!(block_on(stream.next()).unwrap().unwrap(), 0);
    assert_eq!(probe.requests(), [256]);
    // Dropped unpolled: nothing happens at all.
    let unpolled = CancelProbe::new(source::range(0..5u64));
    drop(unpolled.publisher().into_stream());
    assert!(unpolled.requests().is_empty());
    assert!(!unpolled.was_cancelled());
}

#[test]
fn the_error_comes_once_after_the_items_then_none() {
    let failing = crate::harness::items_then_error(3, Error::new("upstream failed"));
    let mut stream = failing.into_stream_with(2);
    let got: Vec<Result<u64, Error>> = block_on((&mut stream).collect());
    assert_eq!(got.len(), 4);
    assert_eq!(
        got[..3]
            .iter()
            .map(|r| *r.as_ref().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(got[3].as_ref().unwrap_err().to_string(), "upstream failed");
    assert!(stream.is_terminated());
    assert!(block_on(stream.next()).is_none());
}

#[test]
fn dropping_the_stream_cancels_upstream_and_frees_the_buffer() {
    let live = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&live);
    let probe = CancelProbe::new(source::range(0..1_000_000u64));
    let tracked = probe.publisher().map(move |x| Tracked::new(x, &counter));
    let mut stream = tracked.into_stream_with(16);
    assert_eq!(block_on(stream.next()).unwrap().unwrap().value, 0);
    // 15 wait in the buffer.
    assert_eq!(live.load(Ordering::SeqCst), 15);
    drop(stream);
    assert!(probe.was_cancelled());
    assert_eq!(live.load(Ordering::SeqCst), 0, "buffered items were kept");
    assert!(probe.emitted() <= 16);
}

#[test]
fn a_publisher_on_another_thread_wakes_the_stream() {
    let publisher = source::create(Overflow::Error, |emitter| {
        thread::spawn(move || {
            for i in 0..10_000u64 {
                // The stream's prefetch bounds what may be sent.
                while emitter.requested() == 0 {
                    if emitter.is_cancelled() {
                        return;
                    }
                    thread::yield_now();
                }
                if emitter.next(i).is_err() {
                    return;
                }
            }
            emitter.complete();
        });
    });
    let items = collect(publisher, 32).unwrap();
    assert_eq!(items, (0..10_000).collect::<Vec<_>>());
}

#[test]
fn more_than_requested_is_an_overflow_after_the_items_within_demand() {
    // A publisher that ignores demand: 10 items to a stream of prefetch 4.
    struct Deaf;
    impl Publisher for Deaf {
        type Item = u64;
        fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
            struct Nothing;
            impl reactive_streams::Subscription for Nothing {
                fn request(&self, _: u64) {}
                fn cancel(&self) {}
            }
            subscriber.on_subscribe(Arc::new(Nothing));
            for i in 0..10 {
                subscriber.on_next(i);
            }
            subscriber.on_complete();
        }
    }
    let got: Vec<Result<u64, Error>> = block_on(Deaf.into_stream_with(4).collect());
    assert_eq!(got.len(), 5);
    assert!(got[..4].iter().all(Result::is_ok));
    assert_eq!(got[4].as_ref().unwrap_err().kind(), ErrorKind::Overflow);
}

#[test]
fn a_subscriber_dropped_without_a_terminal_signal_ends_the_stream() {
    let (subscriber, mut stream) = interop::stream_subscriber::<u64>(4);
    drop(subscriber);
    let end = block_on(stream.next()).unwrap();
    assert!(end
        .unwrap_err()
        .to_string()
        .contains("without a terminal signal"));
    assert!(block_on(stream.next()).is_none());
}

#[test]
fn polled_from_another_thread_than_the_one_that_emits() {
    let (tx, rx) = std::sync::mpsc::channel();
    let stream = source::range(0..500u64).into_stream_with(8);
    let consumer = thread::spawn(move || {
        let items: Vec<u64> = block_on(stream.try_collect()).unwrap();
        tx.send(items).unwrap();
    });
    let items = rx.recv_timeout(WAIT).expect("the stream finished");
    consumer.join().unwrap();
    assert_eq!(items, (0..500).collect::<Vec<_>>());
}
