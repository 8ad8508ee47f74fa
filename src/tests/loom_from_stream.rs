//! Loom models of `from_stream`: the stream's waker (the subscription)
//! against the drain that polls it, with the stream fed from another thread.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_from_stream`

use loom::thread;

use crate::source;
use crate::sync::Arc;
use crate::tests::manual_future::Gate;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

/// `source/pull.rs`, race 4: the stream answers `Pending` to a request's
/// drain while another thread lets an item through and wakes it. Either the
/// wake finds the drain free and polls, or the drainer is told and polls
/// again: the item is delivered.
#[test]
fn a_wake_racing_the_drain_delivers_the_item() {
    loom::model(|| {
        let gate = Gate::new();
        let (recorder, log) = Recorder::new(0, 0);
        source::from_stream(gate.gated()).subscribe(recorder);
        let opener = Arc::clone(&gate);
        let t = thread::spawn(move || opener.open(5));
        log.subscription().request(1);
        t.join().unwrap();
        assert_eq!(log.items(), [5]);
    });
}

/// The look-ahead: after the one requested item, the stream is polled once
/// more and answers `Pending`; its end arrives from another thread, through
/// the waker, with no demand left. The stream must still complete.
#[test]
fn the_end_through_the_waker_completes_without_demand() {
    loom::model(|| {
        let gate = Gate::new();
        let (recorder, log) = Recorder::new(0, 0);
        source::from_stream(gate.gated()).subscribe(recorder);
        gate.open(1);
        let closer = Arc::clone(&gate);
        let t = thread::spawn(move || closer.close());
        log.subscription().request(1);
        t.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
        // §3.13: the stream was dropped at the end.
        assert!(gate.was_dropped());
    });
}

/// A wake racing a cancel: the cancel drops the stream (and with it the
/// stream's hold on the waker); once both are over, nothing more comes,
/// whatever is requested or woken.
#[test]
fn a_wake_racing_cancel_stops_the_stream() {
    loom::model(|| {
        let gate = Gate::new();
        let (recorder, log) = Recorder::new(1, 0);
        source::from_stream(gate.gated()).subscribe(recorder);
        let opener = Arc::clone(&gate);
        let t = thread::spawn(move || opener.open(5));
        log.subscription().cancel();
        t.join().unwrap();
        assert!(gate.was_dropped());
        let before = log.signals();
        assert!(log.items().len() <= 1);
        assert!(!before.contains(&Signal::Complete));
        log.subscription().request(5);
        gate.open(6);
        assert_eq!(log.signals(), before);
    });
}
