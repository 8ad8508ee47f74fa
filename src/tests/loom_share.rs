//! Loom model of `share`'s reference count: the last subscriber cancelling
//! races a new subscriber, which must never join the connection being
//! disconnected.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_share`

use loom::thread;

use crate::ops::PublisherExt;
use crate::source;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;

#[test]
fn the_last_cancel_races_a_new_subscriber_which_gets_a_live_connection() {
    loom::model(|| {
        let shared = source::never::<u64>().share();
        let (first, first_log) = Recorder::new(1, 0);
        shared.subscribe(first);
        let leaving = first_log.subscription();
        let t = thread::spawn(move || leaving.cancel());
        let (next, next_log) = Recorder::new(1, 0);
        shared.subscribe(next);
        t.join().unwrap();
        // Either it joined before the cancel (the count did not reach 0) or
        // it started a new connection: never a disconnect error.
        assert_eq!(next_log.signals(), [Signal::Subscribe]);
        next_log.subscription().cancel();
    });
}
