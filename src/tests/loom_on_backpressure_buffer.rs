//! Loom models of `on_backpressure_buffer` (and of the drain engine it shares
//! with `on_backpressure_latest` and `on_backpressure_reduce`, `buffered.rs`):
//! a `request` racing an item, a `cancel` racing the drain, the completion
//! racing the last item, an overflow racing the request that would have made
//! room.
//!
//! The recording subscriber keeps its log in a shim `UnsafeCell`, so
//! overlapping signals (a §1.3 violation) fail the model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_on_backpressure_buffer`

use loom::thread;

use crate::ops::{BufferOverflow, PublisherExt};
use crate::sync::Arc;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::Publisher;
use crate::UNBOUNDED;

fn subscribe(capacity: usize, overflow: BufferOverflow, initial: u64) -> (Manual, Arc<Log>) {
    let upstream = Manual::new();
    let (recorder, log) = Recorder::new(initial, 0);
    upstream
        .clone()
        .on_backpressure_buffer(capacity, overflow)
        .subscribe(recorder);
    assert_eq!(upstream.subscription(0).requested(), UNBOUNDED);
    (upstream, log)
}

#[test]
fn request_races_an_item() {
    loom::model(|| {
        let (upstream, log) = subscribe(2, BufferOverflow::Error, 0);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(1));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // Buffered then drained by the request, or delivered as it came:
        // either way exactly once, within demand.
        assert_eq!(log.items(), [1]);
        upstream.complete();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
    });
}

#[test]
fn cancel_races_the_drain() {
    loom::model(|| {
        let (upstream, log) = subscribe(2, BufferOverflow::Error, 1);
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || {
            producer.next(1);
            producer.next(2);
        });
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        assert!(upstream.subscription(0).is_cancelled());
        // §3.13: whoever drained after the cancel dropped the subscriber.
        assert_eq!(Arc::strong_count(&log), 1);
        // Item 2 never had demand; item 1 may have gone out before the cancel.
        let items = log.items();
        assert!(items.is_empty() || items == [1], "{items:?}");
        // After the cancel, nothing more: not an item, not a terminal signal.
        let before = log.signals();
        log.subscription().request(5);
        upstream.next(3);
        upstream.complete();
        assert_eq!(log.signals(), before);
        assert!(!before.contains(&Signal::Complete));
    });
}

#[test]
fn completion_races_the_last_item() {
    loom::model(|| {
        let (upstream, log) = subscribe(2, BufferOverflow::Error, 0);
        upstream.next(1); // buffered: no demand yet
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.complete());
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        // The completion never overtakes the buffered item.
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
    });
}

#[test]
fn an_overflow_races_the_request_that_makes_room() {
    loom::model(|| {
        let (upstream, log) = subscribe(1, BufferOverflow::Error, 0);
        upstream.next(1); // fills the buffer
        let subscription = log.subscription();
        let producer = upstream.clone();
        let a = thread::spawn(move || producer.next(2));
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        let signals = log.signals();
        let failed = signals
            .iter()
            .any(|s| matches!(s, Signal::Error(m) if m.contains("BufferOverflow::Error")));
        if failed {
            // Item 2 found the buffer full: upstream cancelled, error at
            // once (item 1 may have been delivered by the request first).
            assert!(upstream.subscription(0).is_cancelled());
            assert!(signals.len() <= 3, "{signals:?}");
        } else {
            // The request made room first: 1 delivered, 2 buffered.
            assert_eq!(signals, [Signal::Subscribe, Signal::Next(1)]);
            upstream.complete();
            log.subscription().request(1);
            assert_eq!(log.items(), [1, 2]);
        }
    });
}
