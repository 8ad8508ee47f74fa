use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use reactive_streams::ops::{HOP_PREFETCH, MAX_HOP_PREFETCH};
use reactive_streams::scheduler::{self, Scheduler, SingleScheduler, VirtualTimeScheduler};
use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber, Subscription,
    TestSubscriber, UNBOUNDED,
};

use crate::backpressure::support::{lock, RequestProbe};
use crate::harness::{assert_emits, assert_error_passes_through, items_then_error, WAIT};
use crate::model::{check_model, config, schedule, Mode, ModelEnd};
use crate::time::support::{assert_emits_in_virtual_time, ms};

fn thread_name() -> Option<String> {
    std::thread::current().name().map(String::from)
}

#[test]
fn scenarios_on_a_real_scheduler() {
    let expected: Vec<u64> = (0..600).collect();
    // Fused (range), queued (from_iter, a map over range), a tiny prefetch.
    assert_emits(
        || {
            source::range(0..600u64)
                .publish_on(scheduler::single())
                .boxed()
        },
        &expected,
    );
    assert_emits(
        || {
            source::from_iter((0..600u64).collect::<Vec<_>>())
                .publish_on(scheduler::parallel())
                .boxed()
        },
        &expected,
    );
    assert_emits(
        || {
            source::range(0..600u64)
                .map(|x| x)
                .publish_on_with(scheduler::single(), 3)
                .boxed()
        },
        &expected,
    );
    assert_error_passes_through(
        |upstream| upstream.publish_on(scheduler::single()).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn scenarios_in_virtual_time() {
    assert_emits_in_virtual_time(
        |vts| source::range(0..10u64).publish_on(vts).boxed(),
        &(0..10).collect::<Vec<_>>(),
        ms(1),
    );
    assert_emits_in_virtual_time(
        |vts| {
            source::range(0..10u64)
                .map(|x| x * 2)
                .publish_on_with(vts, 2)
                .boxed()
        },
        &(0..10).map(|x| x * 2).collect::<Vec<_>>(),
        ms(1),
    );
}

#[test]
fn signals_arrive_on_the_worker() {
    let sink = SingleScheduler::new("hop-sink");
    for queued in [false, true] {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let upstream = if queued {
            source::from_iter(vec![1u8, 2, 3]).boxed()
        } else {
            source::range(1..4u8).boxed()
        };
        let ts = TestSubscriber::unbounded();
        upstream
            .publish_on(&sink)
            .inspect(move |_| lock(&record).push(thread_name()))
            .subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_values(&[1, 2, 3])
            .assert_complete();
        assert!(lock(&seen)
            .iter()
            .all(|name| name.as_deref() == Some("hop-sink")));
    }
}

#[test]
fn a_fused_source_is_pulled_on_the_worker_within_demand() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(2);
    source::range(0..1_000_000u64)
        .publish_on(&vts)
        .subscribe(ts.clone());
    ts.assert_no_values();
    vts.run_due();
    ts.assert_values(&[0, 1]).assert_not_terminated();
    ts.request(3);
    vts.run_due();
    ts.assert_values(&[0, 1, 2, 3, 4]);
    ts.cancel();
    vts.run_due();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_map_over_a_fused_source_is_not_fused_onto_the_worker() {
    // Unfused, the first batch (the prefetch) is requested from the
    // subscribing thread, so map's closure runs there, not on the worker.
    let hop = SingleScheduler::new("hop-map");
    let caller = thread_name();
    let ts = TestSubscriber::unbounded();
    source::range(0..10u8)
        .map(|_| thread_name())
        .publish_on(&hop)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_complete();
    assert!(
        ts.values().iter().all(|name| *name == caller),
        "{:?}",
        ts.values()
    );
}

#[test]
fn prefetch_then_75_percent_and_never_more_in_flight() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .publish_on_with(&vts, 8)
        .subscribe(ts.clone());
    vts.run_due();
    // A slow consumer: nothing delivered, and only the prefetch requested.
    assert_eq!(probe.requests(), [8]);
    assert_eq!(probe.emitted(), 8);
    ts.request(5);
    vts.run_due();
    ts.assert_value_count(5);
    assert_eq!(probe.requests(), [8], "replenished before 6 were taken");
    ts.request(1);
    vts.run_due();
    assert_eq!(probe.requests(), [8, 6]);
    ts.request(UNBOUNDED);
    vts.run_due();
    ts.assert_values(&(0..100).collect::<Vec<_>>())
        .assert_complete();
    let requests = probe.requests();
    assert!(requests[1..].iter().all(|&n| n == 6), "{requests:?}");
}

#[test]
fn the_default_prefetch_is_256() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10_000u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().publish_on(&vts).subscribe(ts.clone());
    vts.run_due();
    assert_eq!(probe.requests(), [HOP_PREFETCH as u64]);
    ts.request(HOP_PREFETCH as u64);
    vts.run_due();
    assert_eq!(probe.requests(), [256, 192]);
}

#[test]
fn zero_and_absurd_prefetches_are_clamped() {
    for prefetch in [0, usize::MAX] {
        let vts = VirtualTimeScheduler::new();
        let probe = RequestProbe::new(source::range(0..10u64));
        let ts = TestSubscriber::unbounded();
        probe
            .publisher()
            .publish_on_with(&vts, prefetch)
            .subscribe(ts.clone());
        vts.run_due();
        ts.assert_values(&(0..10).collect::<Vec<_>>())
            .assert_complete();
        let first = probe.requests()[0];
        assert_eq!(
            first,
            if prefetch == 0 {
                1
            } else {
                MAX_HOP_PREFETCH as u64
            }
        );
    }
}

#[test]
fn the_end_comes_without_demand_after_the_queued_items() {
    let vts = VirtualTimeScheduler::new();
    for fused in [true, false] {
        let ts = TestSubscriber::<u64>::new(0);
        if fused {
            source::empty().publish_on(&vts).subscribe(ts.clone());
        } else {
            source::from_iter(Vec::<u64>::new())
                .publish_on(&vts)
                .subscribe(ts.clone());
        }
        vts.run_due();
        ts.assert_complete();
    }
    // The error waits behind the items that came before it.
    let ts = TestSubscriber::new(0);
    items_then_error(3, Error::new("boom"))
        .publish_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_not_terminated();
    ts.request(3);
    vts.run_due();
    ts.assert_values(&[0, 1, 2]).assert_error_message("boom");
    let ts = TestSubscriber::<u64>::new(0);
    source::error(Error::new("at once"))
        .publish_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_error_message("at once");
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_upstream() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().publish_on(&vts).subscribe(ts.clone());
    ts.request(0);
    vts.run_due();
    ts.assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

#[test]
fn an_upstream_that_ignores_demand_is_an_overflow() {
    /// Sends `n` items whatever was requested.
    struct Deaf(u64);
    impl Publisher for Deaf {
        type Item = u64;
        fn subscribe<S: Subscriber<u64> + 'static>(&self, mut subscriber: S) {
            struct Nothing;
            impl Subscription for Nothing {
                fn request(&self, _: u64) {}
                fn cancel(&self) {}
            }
            subscriber.on_subscribe(Arc::new(Nothing));
            for i in 0..self.0 {
                subscriber.on_next(i);
            }
        }
    }
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    Deaf(10).publish_on_with(&vts, 4).subscribe(ts.clone());
    vts.run_due();
    ts.assert_values(&[0, 1, 2, 3])
        .assert_error(Error::is_overflow);
}

#[test]
fn a_disposed_scheduler_fails_the_stream_and_cancels_upstream() {
    // Disposed before the subscription.
    let hop = SingleScheduler::new("hop-disposed");
    hop.dispose();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    probe.publisher().publish_on(&hop).subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_no_values()
        .assert_error_kind(ErrorKind::Rejected);
    assert!(probe.was_cancelled());

    // Disposed while a drain task waits: the task is dropped unrun.
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    probe.publisher().publish_on(&vts).subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 1);
    vts.dispose();
    ts.assert_no_values().assert_error_kind(ErrorKind::Rejected);
    assert!(probe.was_cancelled());

    // Disposed mid-stream, idle: the next wake-up is refused.
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(2);
    source::range(0..10u64)
        .publish_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_values(&[0, 1]);
    vts.dispose();
    ts.request(1);
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Rejected);
}

#[test]
fn a_panicking_downstream_cancels_upstream_and_the_worker_survives() {
    struct Panics;
    impl Subscriber<u64> for Panics {
        fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
            s.request(UNBOUNDED);
        }
        fn on_next(&mut self, item: u64) {
            assert!(item < 3, "downstream failed at {item}");
        }
        fn on_error(&mut self, _: Error) {}
        fn on_complete(&mut self) {}
    }
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..1000u64));
    probe.publisher().publish_on(&vts).subscribe(Panics);
    vts.run_due();
    assert!(probe.was_cancelled());
    assert!(probe.emitted() <= HOP_PREFETCH as u64 + 256);
    assert_eq!(vts.pending_tasks(), 0);
    // The same scheduler goes on.
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .publish_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn cancel_drops_the_subscriber_and_the_queue() {
    struct Dropped(Arc<AtomicUsize>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let vts = VirtualTimeScheduler::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let ts = TestSubscriber::new(1);
    source::range(0..10u64)
        .map(move |_| Dropped(Arc::clone(&counter)))
        .publish_on(&vts)
        .subscribe(ts.clone());
    vts.run_due();
    ts.assert_value_count(1);
    ts.cancel();
    vts.run_due();
    // The nine queued items were dropped with the queue (the delivered
    // one lives in the TestSubscriber).
    assert_eq!(drops.load(Ordering::Relaxed), 9);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn one_drain_task_per_wake_up_not_per_item() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::from_iter((0..200u64).collect::<Vec<_>>())
        .publish_on(&vts)
        .subscribe(ts.clone());
    // 200 items were queued, by one wake-up.
    assert_eq!(vts.pending_tasks(), 1);
    vts.run_due();
    ts.assert_value_count(200).assert_complete();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_demand_loses_nothing_and_keeps_order(
        items in proptest::collection::vec(0u64..1000, 0..600),
        prefetch in 1usize..20,
        fused in any::<bool>(),
        schedule in schedule(),
    ) {
        let source_items = items.clone();
        check_model(
            move || {
                if fused {
                    source::range(0..source_items.len() as u64)
                        .map({
                            let items = source_items.clone();
                            move |i| items[i as usize]
                        })
                        .publish_on_with(scheduler::single(), prefetch)
                        .boxed()
                } else {
                    source::from_iter(source_items.clone())
                        .publish_on_with(scheduler::parallel(), prefetch)
                        .boxed()
                }
            },
            &items,
            ModelEnd::Complete,
            Mode::Async,
            &schedule,
        )?;
    }

    #[test]
    fn random_demand_on_the_fused_path(
        n in 0u64..600,
        schedule in schedule(),
    ) {
        check_model(
            move || source::range(0..n).publish_on(scheduler::single()).boxed(),
            &(0..n).collect::<Vec<_>>(),
            ModelEnd::Complete,
            Mode::Async,
            &schedule,
        )?;
    }
}
