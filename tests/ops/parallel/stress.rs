//! Many subscriptions at once on real workers, with cancels from other
//! threads at random points: every stream either completes with everything
//! or stops after its cancel, never over-delivers, never hangs.

use std::thread;

use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::{sorted, Rails};
use crate::harness::*;
use crate::on_rails;

#[test]
fn cancels_from_other_threads_race_the_rails() {
    let rounds = if cfg!(miri) { 2 } else { 60 };
    for round in 0..rounds {
        let ordered = round % 2 == 0;
        let n = 1 + round % 4;
        let ts = TestSubscriber::new(0);
        let publisher = on_rails!(
            Rails::Parallel,
            source::range(0..5_000u64).parallel_with(n, 32),
            |p| {
                let p = p.map(|x| x + 1);
                if ordered {
                    p.ordered_with(8).boxed()
                } else {
                    p.sequential_with(8).boxed()
                }
            }
        );
        publisher.subscribe(ts.clone());
        let requester = {
            let ts = ts.clone();
            thread::spawn(move || {
                for _ in 0..50 {
                    ts.request(97);
                    thread::yield_now();
                }
            })
        };
        let canceller = {
            let ts = ts.clone();
            thread::spawn(move || {
                for _ in 0..(round * 13) % 200 {
                    thread::yield_now();
                }
                if round % 3 != 0 {
                    ts.cancel();
                }
            })
        };
        requester.join().unwrap();
        canceller.join().unwrap();
        ts.assert_no_violations();
        let values = ts.values();
        assert!(values.len() <= 50 * 97, "beyond demand");
        ts.assert_no_violations();
        if ordered {
            assert_eq!(
                values,
                (1..=values.len() as u64).collect::<Vec<_>>(),
                "out of order"
            );
        } else {
            let mut seen = sorted(values.clone());
            seen.dedup();
            assert_eq!(seen.len(), values.len(), "an item twice");
        }
        if round % 3 == 0 {
            ts.request(u64::MAX); // the rest (50 * 97 is short of 5000)
            ts.await_terminal(WAIT).assert_complete();
            assert_eq!(sorted(ts.values()), (1..=5_000u64).collect::<Vec<_>>());
        }
    }
}

/// Several streams share the process-wide `parallel()` loops at once.
#[test]
fn many_streams_share_the_workers() {
    let handles: Vec<_> = (0..6u64)
        .map(|k| {
            thread::spawn(move || {
                on_rails!(
                    Rails::Parallel,
                    source::range(0..3_000u64).parallel(2),
                    |p| p.map(move |x| x * k).ordered()
                )
                .blocking_collect()
                .unwrap()
            })
        })
        .collect();
    for (k, handle) in handles.into_iter().enumerate() {
        assert_eq!(
            handle.join().unwrap(),
            (0..3_000u64).map(|x| x * k as u64).collect::<Vec<_>>()
        );
    }
}
