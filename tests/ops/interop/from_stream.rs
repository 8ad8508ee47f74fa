use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;

use futures::stream::{self, Stream, StreamExt};
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::async_work::channel_stream;
use crate::harness::*;

#[test]
fn scenarios_with_a_ready_stream() {
    assert_emits(
        || source::from_stream(stream::iter(0..10u64)).boxed(),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn scenarios_with_a_stream_fed_from_another_thread() {
    assert_emits(
        || source::from_stream(channel_stream(0..10u64, 2)).boxed(),
        &(0..10).collect::<Vec<_>>(),
    );
}

#[test]
fn an_empty_stream_completes_at_the_first_request() {
    let ts = TestSubscriber::<u64>::new(1);
    source::from_stream(stream::iter(Vec::<u64>::new())).subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
}

/// The look-ahead: one request, one item, and the end without a second
/// request, for a ready stream and for one whose end comes later.
#[test]
fn request_1_on_a_one_item_stream_completes() {
    let ts = TestSubscriber::new(1);
    source::from_stream(stream::iter([7u64])).subscribe(ts.clone());
    ts.assert_values(&[7]).assert_complete();

    let ts = TestSubscriber::new(1);
    source::from_stream(channel_stream([7u64], 1)).subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_values(&[7])
        .assert_complete()
        .assert_no_violations();
}

/// A stream that counts its polls and drops.
struct Counted<St> {
    inner: St,
    polls: Arc<AtomicUsize>,
    dropped: Arc<AtomicBool>,
}

impl<St: Stream + Unpin> Stream for Counted<St> {
    type Item = St::Item;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<St::Item>> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

impl<St> Drop for Counted<St> {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

fn counted<St>(inner: St) -> (Counted<St>, Arc<AtomicUsize>, Arc<AtomicBool>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    let stream = Counted {
        inner,
        polls: Arc::clone(&polls),
        dropped: Arc::clone(&dropped),
    };
    (stream, polls, dropped)
}

#[test]
fn polls_only_while_there_is_demand_plus_one_look_ahead() {
    let (stream, polls, _) = counted(stream::iter(0..100u64));
    let ts = TestSubscriber::new(0);
    source::from_stream(stream).subscribe(ts.clone());
    assert_eq!(polls.load(Ordering::SeqCst), 0, "polled before any request");
    ts.request(3);
    ts.assert_values(&[0, 1, 2]);
    // Three items and one look-ahead.
    assert_eq!(polls.load(Ordering::SeqCst), 4);
    // The looked-ahead item goes out at the next request, without a poll
    // for it; then one more look-ahead.
    ts.request(1);
    ts.assert_values(&[0, 1, 2, 3]);
    assert_eq!(polls.load(Ordering::SeqCst), 5);
}

#[test]
fn a_panic_in_poll_next_becomes_an_error_and_drops_the_stream() {
    let (inner, _, dropped) = counted(stream::iter(0..10u64).map(|x| {
        assert!(x != 2, "poll_next failed on item 2");
        x
    }));
    let ts = TestSubscriber::unbounded();
    source::from_stream(inner).subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("poll_next failed on item 2")
        .assert_no_violations();
    assert!(dropped.load(Ordering::SeqCst), "the stream was kept");
}

#[test]
fn a_second_subscriber_gets_an_error() {
    let publisher = source::from_stream(stream::iter(0..3u64));
    let first = TestSubscriber::unbounded();
    publisher.subscribe(first.clone());
    first.assert_values(&[0, 1, 2]).assert_complete();
    let second = TestSubscriber::<u64>::unbounded();
    publisher.subscribe(second.clone());
    second
        .assert_subscribed()
        .assert_no_values()
        .assert_error_message("consumed once");
}

#[test]
fn defer_makes_a_stream_per_subscriber() {
    let cold = source::defer(|| source::from_stream(stream::iter(0..3u64)));
    for _ in 0..3 {
        assert_eq!(cold.blocking_collect().unwrap(), [0, 1, 2]);
    }
}

/// A stream that never yields and hands out its waker, for a test to wake
/// whenever it likes.
struct Forever {
    waker: Arc<Mutex<Option<Waker>>>,
    dropped: Arc<AtomicBool>,
}

impl Stream for Forever {
    type Item = u64;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Forever {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

#[test]
fn cancel_drops_a_pending_stream_and_later_wakes_do_nothing() {
    let waker = Arc::new(Mutex::new(None));
    let dropped = Arc::new(AtomicBool::new(false));
    let forever = Forever {
        waker: Arc::clone(&waker),
        dropped: Arc::clone(&dropped),
    };
    let ts = TestSubscriber::<u64>::new(5);
    source::from_stream(forever).subscribe(ts.clone());
    let kept = waker.lock().unwrap().clone().expect("polled once");
    // Wakes from another thread while pending: polled again, still nothing.
    let from_thread = kept.clone();
    thread::spawn(move || from_thread.wake()).join().unwrap();
    ts.assert_no_values().assert_not_terminated();
    ts.cancel();
    assert!(
        dropped.load(Ordering::SeqCst),
        "the stream outlived the cancel"
    );
    // The waker outlives the stream: waking it, here and elsewhere, is a no-op.
    kept.wake_by_ref();
    thread::spawn(move || kept.wake()).join().unwrap();
    ts.assert_no_values()
        .assert_not_terminated()
        .assert_no_violations();
}

#[test]
fn a_slow_consumer_bounds_the_channel_producer() {
    // The producer thread may run at most the channel's capacity (plus one
    // look-ahead) ahead of the demand.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let items = (0..1000u64).inspect(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let ts = TestSubscriber::new(5);
    source::from_stream(channel_stream(items, 4)).subscribe(ts.clone());
    ts.await_count(5, WAIT);
    // Give the producer the chance to run ahead, if it could (the bound
    // below holds whatever the timing).
    thread::sleep(std::time::Duration::from_millis(20));
    // 5 delivered + 1 looked ahead, 5 in the channel (capacity 4 + one per
    // sender), 1 taken from the iterator and waiting to be sent.
    let sent_now = sent.load(Ordering::SeqCst);
    assert!(
        sent_now <= 5 + 1 + 5 + 1,
        "the producer ran {sent_now} items ahead"
    );
    ts.request(u64::MAX);
    ts.await_terminal(WAIT)
        .assert_value_count(1000)
        .assert_complete();
}
