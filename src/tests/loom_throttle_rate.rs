//! Loom model of `throttle_rate` (`ops/rate/throttle_rate.rs`): its timer
//! firing on one thread while downstream requests on another. Timers run
//! on a [`ManualExecutor`], whose clock the model sets.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! cargo test --release --lib loom_throttle_rate`

use std::time::{Duration, Instant};

use loom::thread;

use crate::ops::{PublisherExt, Rate};
use crate::scheduler::ExecutorScheduler;
use crate::sync::Arc;
use crate::tests::manual_executor::ManualExecutor;
use crate::tests::manual_upstream::Manual;
use crate::tests::recording::Recorder;
use crate::traits::Publisher;

const SECOND: Duration = Duration::from_secs(1);

/// Race 1: one request waits for a token; the timer that grants it fires
/// while another request comes. Neither grant is lost (each request gets
/// its token when one is back), none is made early, and at most one timer
/// is ever armed.
#[test]
fn loom_throttle_rate_a_request_races_the_timer() {
    loom::model(|| {
        let executor = Arc::new(ManualExecutor::default());
        let scheduler = ExecutorScheduler::new("manual", Arc::clone(&executor));
        let start = Instant::now();
        executor.set_now(start);
        let upstream = Manual::new();
        let (recorder, log) = Recorder::new(0, 0);
        upstream
            .clone()
            .throttle_rate_on(Rate::per_second(1), 1, &scheduler)
            .subscribe(recorder);
        let granted = upstream.subscription(0);
        let subscription = log.subscription();
        subscription.request(2); // one token now, a timer for the second
        assert_eq!(granted.requested(), 1);
        upstream.next(0); // the first arrived: nothing in flight
        executor.set_now(start + SECOND);
        let timer = executor.take();
        let worker = thread::spawn(move || timer.run());
        subscription.request(1);
        worker.join().unwrap();
        assert_eq!(granted.requested(), 2, "a grant made early, or lost");
        assert!(executor.live() <= 1, "two timers armed");
        upstream.next(1);
        executor.set_now(start + 2 * SECOND);
        executor.run_all();
        assert_eq!(granted.requested(), 3, "the last request was stranded");
        subscription.cancel();
        assert_eq!(executor.live(), 0, "a timer outlived the cancel");
    });
}
