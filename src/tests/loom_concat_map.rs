//! Loom models of `concat_map`: a request against the inner's emission, a
//! cancel during the drain, and upstream's completion racing the inner's last
//! item. The inners and the upstream are driven by hand ([`Manual`]).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_concat_map`

use loom::thread;

use crate::ops::PublisherExt;
use crate::source;
use crate::sync::Arc;
use crate::tests::loom_flat_map::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn request_races_inner_emission() {
    loom::model(|| {
        let inner = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        let make = inner.clone();
        source::just(0u64)
            .concat_map_with(move |_| make.clone(), 2)
            .subscribe(recorder);
        assert_eq!(inner.requested(), 1, "the inner is asked for the demand");
        let mut subscriber = inner.take_subscriber();
        // No completion after the item: nothing else would signal the drain,
        // so an item queued while the request drains must still be delivered
        // (no lost wake-up).
        let t = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber
        });
        log.subscription().request(1);
        let mut subscriber = t.join().unwrap();
        assert_eq!(log.items(), [1]);
        subscriber.on_complete();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
        // Never asked for more than the downstream wanted.
        assert!(inner.requested() <= 2);
    });
}

#[test]
fn cancel_during_drain_cancels_the_inner_and_drops_everything() {
    loom::model(|| {
        let inner = Manual::new();
        let (recorder, log) = Recorder::new(2, 0);
        let make = inner.clone();
        source::just(0u64)
            .concat_map_with(move |_| make.clone(), 2)
            .subscribe(recorder);
        let mut subscriber = inner.take_subscriber();
        let t = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber.on_next(2);
        });
        log.subscription().cancel();
        t.join().unwrap();
        assert!(!log.signals().contains(&Signal::Complete));
        assert!(inner.is_cancelled());
        assert_eq!(Arc::strong_count(&log), 1, "§3.13: the recorder is dropped");
    });
}

#[test]
fn upstream_completion_races_the_inner_last_item() {
    loom::model(|| {
        let upstream = Manual::new();
        let inner = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        let make = inner.clone();
        upstream
            .clone()
            .concat_map_with(move |_| make.clone(), 2)
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        outer.on_next(0); // the inner starts, inside this call
        let mut subscriber = inner.take_subscriber();
        let t = thread::spawn(move || {
            subscriber.on_next(1);
            subscriber.on_complete();
        });
        outer.on_complete();
        t.join().unwrap();
        assert_eq!(
            log.signals(),
            [Signal::Subscribe, Signal::Next(1), Signal::Complete]
        );
    });
}

/// Fused inners (`range`s, run inside the drain) started by the upstream's
/// thread while the model's thread requests: the demand left by the first
/// inner carries over to the second, every item arrives once and in order,
/// and the completion comes last.
#[test]
fn fused_inners_race_a_request() {
    loom::model(|| {
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(1, 0);
        upstream
            .clone()
            .concat_map_with(|x| source::range(x * 10..x * 10 + 2), 2)
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        let subscription = log.subscription();
        let t = thread::spawn(move || {
            outer.on_next(0);
            outer.on_next(1);
            outer
        });
        subscription.request(3);
        let mut outer = t.join().unwrap();
        // Before the completion, which would signal the drain anyway.
        assert_eq!(log.items(), [0, 1, 10, 11]);
        outer.on_complete();
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}
