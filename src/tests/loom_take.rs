//! Loom model of `take`'s demand cap (`take.rs`): requests from two threads
//! never ask upstream for more than `n` in total, and lose nothing below it.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_take`

use loom::thread;

use crate::ops::PublisherExt;
use crate::tests::manual::Manual;
use crate::tests::recording::Recorder;
use crate::traits::Publisher;

#[test]
fn racing_requests_ask_upstream_for_at_most_n() {
    loom::model(|| {
        let upstream = Manual::<u64>::new(true);
        let (recorder, log) = Recorder::new(0, 0);
        upstream.clone().take(3).subscribe(recorder);
        let first = log.subscription();
        let second = log.subscription();
        let a = thread::spawn(move || first.request(2));
        let b = thread::spawn(move || second.request(2));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(upstream.subscription().requested(), 3);
    });
}
