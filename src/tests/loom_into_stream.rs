//! Loom models of `into_stream`: the stream's park (register the waker, then
//! look at the queue again) against the subscriber's push and wake, and the
//! drop of the stream against a subscription arriving on another thread.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_into_stream`

use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;
use loom::thread;

use crate::interop::stream_subscriber;
use crate::tests::manual_future::Flag;
use crate::tests::manual_upstream::Manual;
use crate::traits::Publisher;

/// Race 1 (the lost wake-up): the stream polls an empty queue while the
/// publisher pushes on another thread. Either the poll returns the item, or
/// it returns `Pending` and the push wakes it.
#[test]
fn an_item_racing_the_park_is_seen_or_wakes() {
    loom::model(|| {
        let upstream = Manual::new();
        let (subscriber, mut stream) = stream_subscriber::<u64>(2);
        upstream.subscribe(subscriber);
        assert_eq!(upstream.subscription(0).requested(), 2);
        let producer = upstream.clone();
        let t = thread::spawn(move || producer.next(7));
        let (waker, woken) = Flag::waker();
        let mut cx = Context::from_waker(&waker);
        let first = Pin::new(&mut stream).poll_next(&mut cx);
        t.join().unwrap();
        match first {
            Poll::Ready(Some(Ok(7))) => {}
            Poll::Pending => {
                assert!(
                    woken.is_set(),
                    "the item arrived and nobody woke the stream"
                );
                let again = Pin::new(&mut stream).poll_next(&mut cx);
                assert!(matches!(again, Poll::Ready(Some(Ok(7)))));
            }
            other => panic!("unexpected {other:?}"),
        }
    });
}

/// Race 2: completion against the park, after an item. The item comes
/// first, then the end; a `Pending` in between is woken.
#[test]
fn completion_racing_the_park_is_seen_or_wakes() {
    loom::model(|| {
        let upstream = Manual::new();
        let (subscriber, mut stream) = stream_subscriber::<u64>(2);
        upstream.subscribe(subscriber);
        let producer = upstream.clone();
        let t = thread::spawn(move || {
            producer.next(1);
            producer.complete();
        });
        let (waker, woken) = Flag::waker();
        let mut cx = Context::from_waker(&waker);
        let mut seen = Vec::new();
        let mut ended = false;
        // Poll until the end, or until the first `Pending`.
        while !ended {
            match Pin::new(&mut stream).poll_next(&mut cx) {
                Poll::Ready(Some(Ok(x))) => seen.push(x),
                Poll::Ready(None) => ended = true,
                Poll::Ready(Some(Err(e))) => panic!("unexpected error {e}"),
                Poll::Pending => break,
            }
        }
        t.join().unwrap();
        if !ended {
            assert!(woken.is_set(), "the end arrived and nobody woke the stream");
            loop {
                match Pin::new(&mut stream).poll_next(&mut cx) {
                    Poll::Ready(Some(Ok(x))) => seen.push(x),
                    Poll::Ready(None) => break,
                    other => panic!("after the end: {other:?}"),
                }
            }
        }
        assert_eq!(seen, [1]);
    });
}

/// Race 3: the stream is dropped while the subscription arrives on another
/// thread: the subscription is cancelled either way (§3.12).
#[test]
fn drop_racing_on_subscribe_cancels() {
    loom::model(|| {
        let upstream = Manual::new();
        let (subscriber, stream) = stream_subscriber::<u64>(2);
        let publisher = upstream.clone();
        let t = thread::spawn(move || publisher.subscribe(subscriber));
        drop(stream);
        t.join().unwrap();
        assert!(upstream.subscription(0).is_cancelled());
    });
}
