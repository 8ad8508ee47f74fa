use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(
        |vts| {
            source::range(0..6u64)
                .delay_subscription_on(ms(5), vts)
                .boxed()
        },
        &(0..6).collect::<Vec<_>>(),
        ms(1),
    );
    // With a zero delay on a clock that moves by itself.
    assert_emits(
        || source::range(0..6u64).delay_subscription(ms(0)).boxed(),
        &(0..6).collect::<Vec<_>>(),
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.delay_subscription(ms(1)).boxed(), &[0, 1, 2]);
}

#[test]
fn upstream_is_subscribed_after_the_delay_with_the_demand_so_far() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .delay_subscription_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.request(3);
    vts.advance_by(ms(4));
    assert_eq!(probe.subscribed(), 0);
    vts.advance_by(ms(1));
    assert_eq!(probe.subscribed(), 1);
    assert_eq!(probe.requests(), [5]);
    ts.assert_values(&[0, 1, 2, 3, 4]);
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn cancel_before_the_delay_never_subscribes_and_drops_the_subscriber() {
    let vts = VirtualTimeScheduler::new();
    let subscribed = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&subscribed);
    let upstream = source::defer(move || {
        count.fetch_add(1, Ordering::SeqCst);
        source::range(0..3u64)
    });
    let ts = TestSubscriber::unbounded();
    upstream
        .delay_subscription_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
    vts.advance_by(ms(10));
    assert_eq!(subscribed.load(Ordering::SeqCst), 0);
    ts.assert_no_values().assert_not_terminated();
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..3u64)
        .delay_subscription_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.request(0);
    vts.advance_by(ms(5));
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| {
            source::range(0..3u64)
                .delay_subscription_on(ms(10), vts)
                .boxed()
        },
        ms(5),
    );
}
