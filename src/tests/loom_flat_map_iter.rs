//! Loom models of `flat_map_iter`: requests race each other and an upstream
//! item pushed from another thread; completion races the last item; a cancel
//! during the drain drops the iterator and the subscriber (§3.13). The
//! recording subscriber's log is a loom `UnsafeCell`, so overlapping signals
//! (a §1.3 violation) fail the model.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_flat_map_iter`

use crate::ops::PublisherExt;
use crate::source::{self, create, Emitter, Overflow};
use crate::sync::{Arc, Mutex};
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::Publisher;

/// `create(..).flat_map_iter(|x| [x, x + 10])`, subscribed with no demand;
/// returns the log and the emitter that feeds upstream.
fn pushed() -> (Arc<Log>, Emitter<u64>) {
    let slot = Arc::new(Mutex::new(None));
    let stash = Arc::clone(&slot);
    let upstream = create(Overflow::Buffer(1), move |emitter| {
        *stash.lock() = Some(emitter)
    });
    let (recorder, log) = Recorder::new(0, 0);
    upstream.flat_map_iter(|x| [x, x + 10]).subscribe(recorder);
    let emitter = slot.lock().take().expect("the producer runs in subscribe");
    (log, emitter)
}

#[test]
fn requests_race_and_emit_exactly_the_demand() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..3u64)
            .flat_map_iter(|x| [x, x])
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.request(1));
        subscription.request(2);
        t.join().unwrap();
        assert_eq!(log.items(), [0, 0, 1]);
        subscription.cancel();
    });
}

#[test]
fn an_upstream_item_races_the_request_and_completion_follows_it() {
    loom::model(|| {
        let (log, emitter) = pushed();
        let subscription = log.subscription();
        let t = loom::thread::spawn(move || {
            emitter.next(1).expect("one slot, one item");
            emitter.complete();
        });
        subscription.request(2);
        t.join().unwrap();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(1),
                Signal::Next(11),
                Signal::Complete
            ]
        );
    });
}

#[test]
fn cancel_races_the_drain_and_drops_everything() {
    loom::model(|| {
        let (recorder, log) = Recorder::new(0, 0);
        source::range(0..10u64)
            .flat_map_iter(|x| [x, x])
            .subscribe(recorder);
        let subscription = log.subscription();
        let s = Arc::clone(&subscription);
        let t = loom::thread::spawn(move || s.cancel());
        subscription.request(3);
        t.join().unwrap();
        let before = log.items();
        subscription.request(5);
        assert_eq!(log.items(), before);
        assert!(before.len() <= 3);
        assert!(!log.signals().contains(&Signal::Complete));
        // §3.13: the subscriber is gone (only this test's handle is left).
        assert_eq!(Arc::strong_count(&log), 1);
    });
}
