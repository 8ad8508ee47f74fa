use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};

use crate::async_work::later;
use crate::harness::*;

#[test]
fn scenarios_with_a_ready_future() {
    assert_emits(|| source::from_future(async { 5u64 }).boxed(), &[5]);
}

#[test]
fn scenarios_with_a_future_finished_on_another_thread() {
    assert_emits(|| source::from_future(later(5u64)).boxed(), &[5]);
}

/// A future that counts its polls and says when it is dropped.
struct Probe<F> {
    inner: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
    dropped: Arc<AtomicBool>,
}

impl<F: Future> Future for Probe<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        self.inner.as_mut().poll(cx)
    }
}

impl<F> Drop for Probe<F> {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

fn probe<F: Future>(inner: F) -> (Probe<F>, Arc<AtomicUsize>, Arc<AtomicBool>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    let future = Probe {
        inner: Box::pin(inner),
        polls: Arc::clone(&polls),
        dropped: Arc::clone(&dropped),
    };
    (future, polls, dropped)
}

#[test]
fn the_future_runs_only_after_the_first_request() {
    let (future, polls, dropped) = probe(async { 1u64 });
    let ts = TestSubscriber::new(0);
    source::from_future(future).subscribe(ts.clone());
    assert_eq!(polls.load(Ordering::SeqCst), 0);
    ts.request(1);
    ts.assert_values(&[1]).assert_complete();
    assert_eq!(polls.load(Ordering::SeqCst), 1);
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn a_panicking_future_becomes_an_error() {
    let ts = TestSubscriber::<u64>::unbounded();
    source::from_future(async { panic!("the future failed") }).subscribe(ts.clone());
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("the future failed");
}

#[test]
fn cancel_frees_a_future_that_never_completes() {
    let (future, polls, dropped) = probe(std::future::pending::<u64>());
    let ts = TestSubscriber::new(1);
    source::from_future(future).subscribe(ts.clone());
    assert!(polls.load(Ordering::SeqCst) >= 1, "never polled");
    ts.cancel();
    assert!(
        dropped.load(Ordering::SeqCst),
        "the future outlived the cancel"
    );
    ts.assert_no_values().assert_not_terminated();
}

#[test]
fn a_second_subscriber_gets_an_error() {
    let publisher = source::from_future(async { 1u64 });
    let first = TestSubscriber::unbounded();
    publisher.subscribe(first.clone());
    first.assert_values(&[1]).assert_complete();
    let second = TestSubscriber::<u64>::unbounded();
    publisher.subscribe(second.clone());
    second.assert_error_message("from_future: already subscribed");
}

#[test]
fn request_zero_is_the_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(0);
    source::from_future(later(1u64)).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(reactive_streams::Rule::NON_POSITIVE_REQUEST));
}
