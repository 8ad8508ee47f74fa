use std::time::Duration;

use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use super::support::*;

#[test]
fn scenarios() {
    // By size.
    assert_emits_in_virtual_time(
        |vts| {
            source::range(0..7u64)
                .buffer_timeout_on(3, ms(50), vts)
                .boxed()
        },
        &[vec![0, 1, 2], vec![3, 4, 5], vec![6]],
        ms(1),
    );
    // By time: ticks every 4 ms, a wait of 10 ms from each buffer's first.
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(4), vts)
                .take(6)
                .buffer_timeout_on(100, ms(10), vts)
                .boxed()
        },
        &[vec![0, 1, 2], vec![3, 4, 5]],
        ms(1),
    );
}

/// The classic bug: the timer fires when downstream has no demand. Here the
/// buffer waits (never more than `max_items`, nothing more requested), and
/// goes out at the next request; no overflow, no hang.
#[test]
fn a_timeout_without_demand_holds_at_most_one_buffer_and_asks_for_nothing() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let probe = RequestProbe::new(manual.publisher());
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .buffer_timeout_on(4, ms(10), &vts)
        .subscribe(ts.clone());
    assert_eq!(probe.requests(), [4], "one buffer's worth");
    let emitter = manual.emitter();
    emitter.next(0u64).unwrap();
    vts.advance_by(ms(10)); // timed out, with demand: a short buffer
    ts.assert_values(&[vec![0]]);
    assert_eq!(probe.requests(), [4], "3 still owed: nothing more asked");
    for i in 1..10 {
        let _ = emitter.next(i); // create buffers what was not requested
    }
    vts.advance_by(ms(100)); // the next buffer times out: no demand
    ts.assert_values(&[vec![0]])
        .assert_not_terminated()
        .assert_no_violations();
    assert_eq!(probe.emitted(), 4, "the 3 owed came, no more");
    assert_eq!(vts.pending_tasks(), 0, "the fired timer is not re-armed");
    ts.request(1); // the overdue buffer goes out at once
    ts.assert_values(&[vec![0], vec![1, 2, 3]]);
    assert_eq!(probe.requests(), [4], "no demand left: nothing asked");
    ts.request(10);
    assert_eq!(probe.requests(), [4, 4, 4]);
    vts.advance_by(ms(10));
    emitter.complete();
    ts.assert_values(&[vec![0], vec![1, 2, 3], vec![4, 5, 6, 7], vec![8, 9]])
        .assert_complete()
        .assert_no_violations();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn without_demand_upstream_is_asked_for_nothing() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .buffer_timeout_on(3, ms(10), &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1, 2]]);
    assert_eq!(probe.emitted(), 3, "no demand: nothing more asked");
    vts.advance_by(ms(1000));
    assert_eq!(probe.emitted(), 3);
    ts.request(1);
    ts.assert_values(&[vec![0, 1, 2], vec![3, 4, 5]]);
    assert_eq!(probe.requests(), [3, 3]);
    ts.cancel();
    assert!(probe.was_cancelled());
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn completion_waits_for_demand_for_the_last_buffer() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(1);
    source::range(0..4u64)
        .buffer_timeout_on(3, ms(10), &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1, 2]]).assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[vec![0, 1, 2], vec![3]])
        .assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn an_error_goes_at_once_and_drops_the_buffer() {
    let vts = VirtualTimeScheduler::new();
    let error = Error::new("boom");
    let ts = TestSubscriber::unbounded();
    crate::harness::items_then_error(2, error.clone())
        .buffer_timeout_on(3, ms(10), &vts)
        .subscribe(ts.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn zero_max_items_is_one_and_a_huge_one_allocates_nothing_ahead() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .buffer_timeout_on(0, ms(10), &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0], vec![1], vec![2]])
        .assert_complete();
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .buffer_timeout_on(usize::MAX, Duration::MAX, &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1, 2]]).assert_complete();
    assert!(ts.values()[0].capacity() < 1024);
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<Vec<u64>>::new(0);
    source::range(0..3u64)
        .buffer_timeout_on(2, ms(10), &vts)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(
        |vts| {
            source::just(1u64)
                .concat_with(source::never())
                .buffer_timeout_on(10, ms(10), vts)
                .boxed()
        },
        ms(5),
    );
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals and requests: buffers never beyond demand, none
    /// longer than 4, upstream never owed more than one buffer's worth
    /// (the source buffers the rest), nothing lost or reordered.
    #[test]
    fn never_overflows_never_loses(steps in script()) {
        let vts = VirtualTimeScheduler::new();
        let manual = Manual::new();
        let probe = RequestProbe::new(manual.publisher());
        let ts = TestSubscriber::new(0);
        probe.publisher().buffer_timeout_on(4, ms(10), &vts).subscribe(ts.clone());
        let emitter = manual.emitter();
        let mut sent = 0u64;
        for step in &steps {
            match step {
                Step::Wait(n) => vts.advance_by(ms(*n)),
                Step::Emit => {
                    let _ = emitter.next(sent);
                    sent += 1;
                }
                Step::Request(n) => ts.request(*n),
            }
            let delivered: usize = ts.values().iter().map(Vec::len).sum();
            proptest::prop_assert!(probe.emitted() as usize - delivered <= 4, "held more than a buffer");
        }
        emitter.complete();
        ts.request(reactive_streams::UNBOUNDED);
        run_to_end(&vts, &ts, ms(1));
        proptest::prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
        ts.assert_complete();
        let values = ts.values();
        proptest::prop_assert!(values.iter().all(|b| !b.is_empty() && b.len() <= 4));
        proptest::prop_assert_eq!(values.concat(), (0..sent).collect::<Vec<_>>());
        proptest::prop_assert_eq!(vts.pending_tasks(), 0);
        let _ = vts.now();
    }
}
