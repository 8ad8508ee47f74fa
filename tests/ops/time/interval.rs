use std::sync::Arc;
use std::time::Duration;

use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::{self, VirtualTimeScheduler, MAX_DELAY};
use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber, Subscription,
    TestSubscriber, UNBOUNDED,
};

use super::support::*;

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(
        |vts| source::interval_on(ms(10), vts).take(5).boxed(),
        &[0, 1, 2, 3, 4],
        ms(1),
    );
}

#[test]
fn ticks_at_a_fixed_rate_and_a_late_advance_gets_every_tick() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::interval_on(ms(10), &vts).subscribe(ts.clone());
    vts.advance_by(ms(9));
    ts.assert_no_values();
    vts.advance_by(ms(1));
    ts.assert_values(&[0]);
    vts.advance_by(ms(95)); // one advance crossing nine periods
    ts.assert_values(&(0..10).collect::<Vec<_>>());
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_error_fails_with_overflow_and_cancels_the_timer() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(2);
    source::interval_on(ms(10), &vts).subscribe(ts.clone());
    vts.advance_by(ms(30));
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Overflow)
        .assert_error_message("interval")
        .assert_no_violations();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_drop_skips_ticks_and_numbers_show_the_gap() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(1);
    source::interval_on(ms(10), &vts)
        .on_no_demand(NoDemand::Drop)
        .subscribe(ts.clone());
    vts.advance_by(ms(50));
    ts.assert_values(&[0]);
    ts.request(2);
    ts.assert_values(&[0]); // dropped ticks are gone
    vts.advance_by(ms(20));
    ts.assert_values(&[0, 5, 6]).assert_no_violations();
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn no_demand_latest_keeps_one_tick_waiting() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::new(0);
    source::interval_on(ms(10), &vts)
        .on_no_demand(NoDemand::Latest)
        .subscribe(ts.clone());
    vts.advance_by(ms(1000));
    ts.assert_no_values();
    ts.request(3);
    ts.assert_values(&[99]); // only the latest waited
    vts.advance_by(ms(20));
    ts.assert_values(&[99, 100, 101]).assert_no_violations();
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_zero_period_is_a_clear_error() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::unbounded();
    source::interval_on(Duration::ZERO, &vts).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_error_message("a periodic task needs a period above zero");
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn the_immediate_scheduler_is_a_clear_error() {
    let ts = TestSubscriber::<u64>::unbounded();
    source::interval_on(ms(1), scheduler::immediate()).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected)
        .assert_error_message("never after a delay");
}

#[test]
fn an_absurd_period_is_clamped_not_a_panic() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::unbounded();
    source::interval_on(Duration::MAX, &vts).subscribe(ts.clone());
    assert_eq!(vts.pending_tasks(), 1);
    vts.advance_by(MAX_DELAY);
    ts.assert_values(&[0]);
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_disposed_scheduler_fails_the_stream() {
    assert_disposal_fails(|vts| source::interval_on(ms(10), vts).boxed(), ms(5));
}

#[test]
fn request_zero_is_answered_with_the_rule_3_9_error_and_the_timer_goes() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::new(0);
    source::interval_on(ms(10), &vts).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_cancel_from_inside_on_next_stops_the_ticks() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::unbounded();
    source::interval_on(ms(10), &vts)
        .take(3)
        .subscribe(ts.clone());
    vts.advance_by(ms(100));
    ts.assert_values(&[0, 1, 2]).assert_complete();
    assert_eq!(vts.pending_tasks(), 0);
}

/// Panics on its second item.
struct Panicky(Option<Arc<dyn Subscription>>);

impl Subscriber<u64> for Panicky {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
        self.0 = Some(subscription);
    }
    fn on_next(&mut self, item: u64) {
        assert!(item < 1, "subscriber failed on item {item}");
    }
    fn on_error(&mut self, _: Error) {}
    fn on_complete(&mut self) {}
}

#[test]
fn a_panicking_subscriber_ends_the_stream_and_its_timer_not_the_worker() {
    let vts = VirtualTimeScheduler::new();
    source::interval_on(ms(10), &vts).subscribe(Panicky(None));
    vts.advance_by(ms(100)); // the worker contained the panic
    assert_eq!(
        vts.pending_tasks(),
        0,
        "the periodic timer outlived the stream"
    );
    // The scheduler still works.
    let ts = TestSubscriber::unbounded();
    source::timer_on(ms(1), &vts).subscribe(ts.clone());
    vts.advance_by(ms(1));
    ts.assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Under random requests and waits, with ticks dropped when there is no
    /// demand: never beyond demand, tick numbers increase, tick `n` comes
    /// no earlier than `(n + 1)` periods.
    #[test]
    fn dropping_ticks_keeps_the_invariants(steps in script()) {
        let vts = VirtualTimeScheduler::new();
        let start = reactive_streams::scheduler::Scheduler::now(&vts);
        let ts = TestSubscriber::new(0);
        source::interval_on(ms(7), &vts)
            .on_no_demand(NoDemand::Drop)
            .timestamp_on(&vts)
            .subscribe(ts.clone());
        for step in &steps {
            match step {
                Step::Wait(n) => vts.advance_by(ms(*n)),
                Step::Request(n) => ts.request(*n),
                Step::Emit => {}
            }
        }
        ts.cancel();
        proptest::prop_assert!(ts.violations().is_empty(), "{:?}", ts.violations());
        let values = ts.values();
        for pair in values.windows(2) {
            proptest::prop_assert!(pair[0].1 < pair[1].1);
        }
        for (at, tick) in &values {
            proptest::prop_assert_eq!(*at - start, ms(7 * (tick + 1)));
        }
        proptest::prop_assert_eq!(vts.pending_tasks(), 0);
    }
}
