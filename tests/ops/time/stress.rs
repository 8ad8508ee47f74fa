//! Real threads: a timed stream on its own scheduler thread, requested one
//! at a time from one thread and cancelled from another. No timing is
//! asserted: only the rules (nothing beyond demand, nothing after a
//! terminal signal or a cancel, the subscriber dropped after the cancel).

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::{Scheduler, SingleScheduler};
use reactive_streams::{source, BoxPublisher, Publisher, PublisherExt, TestSubscriber};

use crate::backpressure::support::fast_producer;
use crate::harness::WAIT;

const ROUNDS: usize = if cfg!(miri) { 2 } else { 50 };

fn race_requests_and_cancel(make: impl Fn(&SingleScheduler) -> BoxPublisher<u64>) {
    let scheduler = SingleScheduler::new("time-stress");
    for _ in 0..ROUNDS {
        let ts = TestSubscriber::new(1);
        make(&scheduler).subscribe(ts.clone());
        ts.await_count(1, WAIT);
        let requester = {
            let ts = ts.clone();
            thread::spawn(move || {
                for _ in 0..20 {
                    ts.request(1);
                    thread::yield_now();
                }
            })
        };
        let canceller = {
            let ts = ts.clone();
            thread::spawn(move || {
                thread::yield_now();
                ts.cancel();
            })
        };
        requester.join().unwrap();
        canceller.join().unwrap();
        let seen = ts.item_count();
        ts.assert_no_violations();
        // After the cancel returned, the scheduler thread may finish the
        // delivery in progress, then nothing: a task run after it proves it.
        let (done, wait) = std::sync::mpsc::channel();
        scheduler
            .worker()
            .schedule(move || done.send(()).unwrap())
            .unwrap();
        wait.recv_timeout(WAIT).unwrap();
        let settled = ts.item_count();
        assert!(
            settled <= seen + 1,
            "items after the cancel: {seen} then {settled}"
        );
        ts.assert_no_violations();
    }
    scheduler.dispose();
}

#[test]
fn interval_under_racing_requests_and_cancel() {
    race_requests_and_cancel(|s| {
        source::interval_on(Duration::from_micros(20), s)
            .on_no_demand(NoDemand::Latest)
            .boxed()
    });
}

#[test]
fn sample_of_a_producer_thread_under_racing_requests_and_cancel() {
    race_requests_and_cancel(|s| {
        let (producer, _done) = fast_producer(u64::MAX, None);
        producer
            .sample_on(Duration::from_micros(20), s)
            .on_no_demand(NoDemand::Latest)
            .boxed()
    });
}

#[test]
fn buffer_timeout_under_racing_requests_and_cancel() {
    race_requests_and_cancel(|s| {
        source::interval_on(Duration::from_micros(20), s)
            .on_no_demand(NoDemand::Latest)
            .buffer_timeout_on(3, Duration::from_micros(50), s)
            .map(|buffer| buffer.len() as u64)
            .boxed()
    });
}

#[test]
fn the_subscriber_is_dropped_after_a_cancel_from_another_thread() {
    let scheduler = SingleScheduler::new("time-stress-drop");
    let ts = TestSubscriber::<u64>::new(1);
    let probe = Arc::new(());
    let held = Arc::clone(&probe);
    source::interval_on(Duration::from_micros(20), &scheduler)
        .on_no_demand(NoDemand::Drop)
        .map(move |x| {
            let _ = &held;
            x
        })
        .subscribe(ts.clone());
    ts.await_count(1, WAIT);
    let canceller = {
        let ts = ts.clone();
        thread::spawn(move || ts.cancel())
    };
    canceller.join().unwrap();
    let (done, wait) = std::sync::mpsc::channel();
    scheduler
        .worker()
        .schedule(move || done.send(()).unwrap())
        .unwrap();
    wait.recv_timeout(WAIT).unwrap();
    assert_eq!(
        Arc::strong_count(&probe),
        1,
        "the stream kept its subscriber (§3.13)"
    );
    scheduler.dispose();
}
