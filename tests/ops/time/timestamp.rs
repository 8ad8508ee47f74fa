use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    let vts = VirtualTimeScheduler::new();
    let now = vts.now();
    assert_emits(
        || source::range(0..4u64).timestamp_on(&vts).boxed(),
        &[(now, 0), (now, 1), (now, 2), (now, 3)],
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(
        move |up| up.timestamp_on(&vts).map(|(_, x)| x).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn each_item_gets_the_clock_at_its_arrival() {
    let vts = VirtualTimeScheduler::new();
    let start = vts.now();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual.publisher().timestamp_on(&vts).subscribe(ts.clone());
    manual.emitter().next(1u8).unwrap();
    vts.advance_by(ms(5));
    manual.emitter().next(2).unwrap();
    ts.assert_values(&[(start, 1), (start + ms(5), 2)]);
}
