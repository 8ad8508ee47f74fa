use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::support::*;
use crate::harness::{assert_emits, assert_error_passes_through};

#[test]
fn scenarios() {
    let vts = VirtualTimeScheduler::new();
    assert_emits(
        || source::range(0..4u64).elapsed_on(&vts).boxed(),
        &[(ms(0), 0), (ms(0), 1), (ms(0), 2), (ms(0), 3)],
    );
}

#[test]
fn error_passes_through() {
    let vts = VirtualTimeScheduler::new();
    assert_error_passes_through(
        move |up| up.elapsed_on(&vts).map(|(_, x)| x).boxed(),
        &[0, 1, 2],
    );
}

#[test]
fn the_first_gap_is_from_subscription_then_between_items() {
    let vts = VirtualTimeScheduler::new();
    let manual = Manual::new();
    let ts = TestSubscriber::unbounded();
    manual.publisher().elapsed_on(&vts).subscribe(ts.clone());
    vts.advance_by(ms(3));
    manual.emitter().next('a').unwrap();
    vts.advance_by(ms(7));
    manual.emitter().next('b').unwrap();
    manual.emitter().next('c').unwrap();
    ts.assert_values(&[(ms(3), 'a'), (ms(7), 'b'), (ms(0), 'c')]);
    assert_eq!(vts.pending_tasks(), 0, "no timer, ever");
}
