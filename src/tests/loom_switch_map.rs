//! Loom models of `switch_map`: a request against the inner's emission, a
//! cancel during the drain, upstream's completion racing the inner's last
//! item, and a switch racing an emission of the inner it replaces. The inners
//! and the upstream are driven by hand ([`Manual`]).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_switch_map`

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
            .switch_map(move |_| make.clone())
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
            .switch_map(move |_| make.clone())
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
            .switch_map(move |_| make.clone())
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        outer.on_next(0);
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

#[test]
fn switch_races_an_emission_of_the_replaced_inner() {
    loom::model(|| {
        let upstream = Manual::new();
        let inners = [Manual::new(), Manual::new()];
        let (recorder, log) = Recorder::new(2, 0);
        let make = inners.clone();
        upstream
            .clone()
            .switch_map(move |x| make[x as usize].clone())
            .subscribe(recorder);
        let mut outer = upstream.take_subscriber();
        outer.on_next(0);
        let mut old = inners[0].take_subscriber();
        let replaced = inners[0].clone();
        let t = thread::spawn(move || {
            // If the switch's cancel was seen first, the item must not get
            // through (the generation check).
            let cancelled_before = replaced.is_cancelled();
            old.on_next(10);
            cancelled_before
        });
        outer.on_next(1); // the switch
        let cancelled_before = t.join().unwrap();
        let mut new = inners[1].take_subscriber();
        new.on_next(20);
        new.on_complete();
        outer.on_complete();
        let items = log.items();
        if cancelled_before {
            assert_eq!(items, [20]);
        } else {
            assert!(items == [10, 20] || items == [20], "{items:?}");
        }
        assert!(inners[0].is_cancelled());
        // The new inner is asked for what the old one left: 2 or 1.
        assert_eq!(inners[1].requested(), 2 - (items.len() as u64 - 1));
        assert_eq!(log.signals().last(), Some(&Signal::Complete));
    });
}
