//! Real threads: a slow consumer on a worker, requested from one thread and
//! cancelled from another, while a fast producer on its own thread fills
//! the hop. No timing is asserted: only the rules (nothing beyond demand,
//! nothing lost or doubled before the cancel, nothing after a terminal
//! signal, the subscriber dropped after the cancel).

use std::thread;

use reactive_streams::scheduler::{Scheduler, SingleScheduler};
use reactive_streams::{Publisher, PublisherExt, TestSubscriber};

use crate::backpressure::support::fast_producer;
use crate::harness::WAIT;

const ROUNDS: usize = if cfg!(miri) { 2 } else { 40 };

#[test]
fn a_slow_consumer_on_a_worker_with_cancels_from_other_threads() {
    let consumer = SingleScheduler::new("hop-stress-consumer");
    let producer = SingleScheduler::new("hop-stress-producer");
    for round in 0..ROUNDS {
        let (source, _done) = fast_producer(100_000, None);
        let ts = TestSubscriber::new(1);
        let publisher = if round % 2 == 0 {
            source.publish_on_with(&consumer, 16).boxed()
        } else {
            // Through subscribe_on too: requests forwarded to the producer's
            // worker, items hopping to the consumer's.
            source
                .subscribe_on(&producer)
                .publish_on_with(&consumer, 16)
                .inspect(|_| thread::yield_now()) // slow
                .boxed()
        };
        publisher.subscribe(ts.clone());
        ts.await_count(1, WAIT);
        let requester = {
            let ts = ts.clone();
            thread::spawn(move || {
                for _ in 0..50 {
                    ts.request(3);
                    thread::yield_now();
                }
            })
        };
        let canceller = {
            let ts = ts.clone();
            thread::spawn(move || {
                for _ in 0..round % 7 {
                    thread::yield_now();
                }
                ts.cancel();
            })
        };
        requester.join().unwrap();
        canceller.join().unwrap();
        // Whatever arrived is a prefix of the source, within demand.
        let values = ts.values();
        let expected: Vec<u64> = (0..values.len() as u64).collect();
        assert_eq!(
            values, expected,
            "round {round}: lost, doubled or reordered"
        );
        assert!(values.len() as u64 <= 1 + 50 * 3);
        ts.assert_not_terminated().assert_no_violations();
    }
    // The workers survived: both schedulers still run a stream.
    let ts = TestSubscriber::unbounded();
    reactive_streams::source::range(0..3u64)
        .subscribe_on(&producer)
        .publish_on(&consumer)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_values(&[0, 1, 2])
        .assert_complete();
    assert!(!consumer.is_disposed());
}
