//! Unit tests of the pieces behind `map_async`: the results' order
//! (`interop/reorder.rs`) and the woken-slot set (`interop/in_flight.rs`).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::task::Wake;

use crate::interop::in_flight::{InFlight, Polled, ReadySet};
use crate::interop::reorder::Finished;
use crate::sync::Arc;

/// A waker that does nothing (`Waker::noop` is newer than the MSRV).
fn noop_waker() -> Waker {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    Waker::from(Arc::new(Noop))
}

#[test]
fn ordered_results_leave_in_item_order_only() {
    let mut finished = Finished::new(true);
    for seq in 0..4 {
        finished.started(seq);
    }
    finished.finished(2, "c");
    finished.finished(1, "b");
    assert_eq!(finished.pop(), None, "the head has not finished");
    finished.finished(0, "a");
    assert_eq!(finished.pop(), Some("a"));
    assert_eq!(finished.pop(), Some("b"));
    assert_eq!(finished.pop(), Some("c"));
    assert_eq!(finished.pop(), None);
    assert!(!finished.is_empty(), "item 3 is still running");
    finished.started(4);
    finished.finished(4, "e");
    finished.finished(3, "d");
    assert_eq!(finished.pop(), Some("d"));
    assert_eq!(finished.pop(), Some("e"));
    assert!(finished.is_empty());
}

#[test]
fn unordered_results_leave_as_they_finished() {
    let mut finished = Finished::new(false);
    for seq in 0..3 {
        finished.started(seq);
    }
    finished.finished(2, "c");
    finished.finished(0, "a");
    assert_eq!(finished.pop(), Some("c"));
    assert_eq!(finished.pop(), Some("a"));
    assert!(finished.is_empty());
    finished.finished(1, "b");
    finished.clear();
    assert!(finished.is_empty());
}

#[test]
fn the_ready_set_hands_out_each_bit_once() {
    let ready = ReadySet::new(130);
    assert_eq!(ready.words(), 3);
    ready.set(0);
    ready.set(63);
    ready.set(64);
    ready.set(129);
    ready.set(0);
    assert_eq!(ready.take(0), 1 | 1 << 63);
    assert_eq!(ready.take(0), 0);
    assert_eq!(ready.take(1), 1);
    assert_eq!(ready.take(2), 1 << 1);
}

/// Ready at the second poll.
struct Twice(bool);

impl Future for Twice {
    type Output = u8;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u8> {
        if self.0 {
            Poll::Ready(7)
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

#[test]
fn slots_are_reused_and_bounded() {
    let mut in_flight = InFlight::new(2);
    let mut made = 0;
    let mut waker = |_| {
        made += 1;
        noop_waker()
    };
    assert!(matches!(
        in_flight.start(Twice(false), 0, &mut waker),
        Polled::Pending
    ));
    assert!(matches!(
        in_flight.start(Twice(false), 1, &mut waker),
        Polled::Pending
    ));
    assert!(!in_flight.has_room());
    assert!(matches!(
        in_flight.poll(1),
        Polled::Ready { seq: 1, output: 7 }
    ));
    assert!(in_flight.has_room());
    // A stale wake of the freed slot polls nothing.
    assert!(matches!(in_flight.poll(1), Polled::Pending));
    assert!(matches!(in_flight.poll(9), Polled::Pending));
    assert!(matches!(
        in_flight.start(Twice(true), 2, &mut waker),
        Polled::Ready { seq: 2, output: 7 }
    ));
    assert_eq!(made, 2, "a freed slot's waker is reused");
    in_flight.clear();
    assert!(in_flight.is_empty());
}

#[test]
fn a_panicking_future_is_reported() {
    struct Boom;
    impl Future for Boom {
        type Output = u8;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u8> {
            panic!("boom in poll");
        }
    }
    let mut in_flight = InFlight::new(1);
    match in_flight.start(Boom, 0, |_| noop_waker()) {
        Polled::Panicked(error) => assert_eq!(error.to_string(), "panicked: boom in poll"),
        other => panic!("unexpected {other:?}"),
    }
}
