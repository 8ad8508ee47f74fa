use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    // With a clock that does not move, only the first item passes.
    let vts = VirtualTimeScheduler::new();
    assert_emits(
        || {
            source::range(0..5u64)
                .throttle_first_on(ms(5), &vts)
                .boxed()
        },
        &[0],
    );
    assert_emits_in_virtual_time(
        |vts| {
            source::interval_on(ms(2), vts)
                .take(10)
                .throttle_first_on(ms(5), vts)
                .boxed()
        },
        &[0, 3, 6, 9],
        ms(1),
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(move |up| up.throttle_first_on(ms(5), &vts).boxed(), &[0]);
}

#[test]
fn a_dropped_item_costs_no_request_through_try_on_next() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .throttle_first_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.assert_values(&[0]);
    ts.request(1); // range is pulled until the end: every item is dropped
    ts.assert_values(&[0]).assert_complete();
    assert_eq!(probe.requests(), [1, 1]);
    assert_eq!(vts.pending_tasks(), 0, "no timer, ever");
}

#[test]
fn a_dropped_item_is_replaced_through_plain_on_next() {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(crate::harness::plain_on_next(
        source::range(0..4u64).boxed(),
    ));
    let ts = TestSubscriber::new(1);
    probe
        .publisher()
        .throttle_first_on(ms(5), &vts)
        .subscribe(ts.clone());
    ts.request(1);
    ts.assert_values(&[0]).assert_complete();
    assert_eq!(probe.requests(), [1, 1, 1, 1, 1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Random arrivals, unbounded demand: an item passes iff it came at
    /// least 10 ms after the last one that passed.
    #[test]
    fn passes_the_first_item_of_each_window(steps in timeline()) {
        let (played, got) = run_timeline(&steps, |up, vts| up.throttle_first_on(ms(10), vts))?;
        let mut expected = Vec::new();
        let mut open_at = 0;
        for (i, t) in played.emitted_at.iter().enumerate() {
            if expected.is_empty() || *t >= open_at {
                expected.push((*t, i as u64));
                open_at = t + 10;
            }
        }
        proptest::prop_assert_eq!(got, expected);
    }
}
