use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::ops::{ParallelPublisher, MAX_RAILS};
use reactive_streams::scheduler::Scheduler;
use reactive_streams::scheduler::SingleScheduler;
use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use super::Rails;
use crate::harness::*;
use crate::on_rails;

/// A panic in a rail's closure: `on_error` (kind Panic) once, every rail
/// and the upstream cancelled, nothing after the error.
#[test]
fn a_panic_in_a_rail_closure_fails_the_stream_once() {
    for rails in Rails::ALL {
        for ordered in [false, true] {
            let probe = CancelProbe::new(source::range(0..1_000_000u64));
            let ts = TestSubscriber::unbounded();
            let publisher = on_rails!(rails, probe.publisher().parallel(3), |p| {
                let p = p.map(|x| {
                    assert!(x != 500, "the rail closure failed on 500");
                    x
                });
                if ordered {
                    p.ordered().boxed()
                } else {
                    p.sequential().boxed()
                }
            });
            publisher.subscribe(ts.clone());
            ts.await_terminal(WAIT)
                .assert_error_kind(ErrorKind::Panic)
                .assert_error_message("failed on 500")
                .assert_no_violations();
            assert!(
                crate::flatten::eventually(|| probe.was_cancelled()),
                "{rails:?}: upstream not cancelled"
            );
            assert!(
                probe.emitted() < 1_000_000,
                "{rails:?}: upstream ran to the end"
            );
            if ordered {
                // In order up to the failure: nothing after it, nothing lost before.
                let values = ts.values();
                assert_eq!(values, (0..values.len() as u64).collect::<Vec<_>>());
            }
        }
    }
}

#[test]
fn panics_in_filter_flat_map_and_reduce_fail_the_stream() {
    for rails in Rails::ALL {
        let filter = on_rails!(rails, source::range(0..100u64).parallel(2), |p| p
            .filter(|x| panic_on_2(*x) < 1000)
            .sequential());
        let flat_map = on_rails!(rails, source::range(0..100u64).parallel(2), |p| p
            .flat_map(|x| source::just(panic_on_2(x)))
            .sequential());
        let reduce = on_rails!(rails, source::range(0..100u64).parallel(2), |p| p
            .reduce(|a, b| panic_on_2(a + b))
            .sequential());
        for publisher in [filter, flat_map, reduce] {
            let ts = TestSubscriber::unbounded();
            publisher.subscribe(ts.clone());
            ts.await_terminal(WAIT)
                .assert_error_kind(ErrorKind::Panic)
                .assert_no_violations();
        }
    }
}

/// Upstream's error reaches the merged stream as the same error, once.
#[test]
fn an_upstream_error_passes_through_once() {
    for rails in Rails::ALL {
        for n in [1usize, 4] {
            let error = Error::new("upstream failed");
            let ts = TestSubscriber::unbounded();
            on_rails!(
                rails,
                items_then_error(50, error.clone()).parallel(n),
                |p| p.ordered()
            )
            .subscribe(ts.clone());
            ts.await_terminal(WAIT).assert_no_violations();
            assert!(ts.error().expect("the error").ptr_eq(&error), "{rails:?}");
            let values = ts.values();
            assert_eq!(values, (0..values.len() as u64).collect::<Vec<_>>());
        }
    }
}

/// An inner's error on one rail fails the merged stream.
#[test]
fn an_inner_error_fails_the_stream() {
    for rails in Rails::ALL {
        let ts = TestSubscriber::unbounded();
        on_rails!(rails, source::range(0..100u64).parallel(3), |p| p
            .flat_map(|x| if x == 40 {
                source::error(Error::new("inner 40 failed")).boxed()
            } else {
                source::just(x).boxed()
            })
            .sequential())
        .subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_error_message("inner 40 failed")
            .assert_no_violations();
    }
}

/// A disposed scheduler: `on_error` of kind Rejected, never a hang.
#[test]
fn a_disposed_scheduler_fails_the_stream() {
    let scheduler = SingleScheduler::new("rails-disposed");
    scheduler.dispose();
    for ordered in [false, true] {
        let rails = source::range(0..100u64)
            .parallel(2)
            .run_on(&scheduler)
            .map(|x| x);
        let ts = TestSubscriber::unbounded();
        if ordered {
            rails.ordered().subscribe(ts.clone());
        } else {
            rails.sequential().subscribe(ts.clone());
        }
        ts.await_terminal(WAIT)
            .assert_error_kind(ErrorKind::Rejected)
            .assert_no_violations();
    }
}

/// `request(0)` on the merged stream: the §3.9 error.
#[test]
fn request_zero_is_the_rule_3_9_error() {
    for rails in Rails::ALL {
        let ts = TestSubscriber::new(0);
        on_rails!(rails, source::range(0..100u64).parallel(2), |p| p
            .sequential())
        .subscribe(ts.clone());
        ts.request(0);
        ts.await_terminal(WAIT)
            .assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    }
}

/// Zero rails is one rail; a huge count is clamped; zero prefetches are
/// clamped to one; all still deliver everything in order.
#[test]
fn absurd_sizes_are_clamped() {
    assert_eq!(source::range(0..5u64).parallel(0).rails(), 1);
    assert_eq!(
        source::range(0..5u64).parallel(usize::MAX).rails(),
        MAX_RAILS
    );
    for rails in Rails::ALL {
        let out = on_rails!(rails, source::range(0..50u64).parallel_with(0, 0), |p| p
            .ordered_with(0))
        .blocking_collect()
        .unwrap();
        assert_eq!(out, (0..50u64).collect::<Vec<_>>());
        let out = on_rails!(
            rails,
            source::range(0..50u64).parallel_with(usize::MAX, usize::MAX),
            |p| p.ordered_with(usize::MAX)
        )
        .blocking_collect()
        .unwrap();
        assert_eq!(out, (0..50u64).collect::<Vec<_>>());
    }
}

/// Each rail's closure runs on its own worker: with `parallel()` and two
/// rails, on more than one thread (when the machine has two cores).
#[test]
fn rails_on_parallel_run_on_their_workers() {
    let threads = Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    let seen = Arc::clone(&threads);
    let caller = std::thread::current().id();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let out = source::range(0..2000u64)
        .parallel(2)
        .run_on(reactive_streams::scheduler::parallel())
        .map(move |x| {
            seen.lock().unwrap().insert(std::thread::current().id());
            counter.fetch_add(1, Ordering::Relaxed);
            x
        })
        .sequential()
        .blocking_collect()
        .unwrap();
    assert_eq!(out.len(), 2000);
    assert_eq!(calls.load(Ordering::Relaxed), 2000);
    let threads = threads.lock().unwrap();
    assert!(!threads.contains(&caller), "a rail ran on the caller");
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores >= 2 {
        assert_eq!(threads.len(), 2, "two rails, two event loops");
    }
}
