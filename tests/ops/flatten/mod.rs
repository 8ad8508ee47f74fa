//! Flat_map, concat_map, switch_map.

mod concat_map;
mod flat_map;
mod probe;
mod switch_map;

use std::thread;

use reactive_streams::source::{self, Overflow};
use reactive_streams::{BoxPublisher, Error, Publisher, PublisherExt, TestSubscriber};

use crate::harness::CancelProbe;

/// A publisher that sends `items` from a thread of its own, as fast as it can
/// (the `create` buffer keeps what has no demand yet), then completes; it
/// stops early when cancelled.
pub(crate) fn threaded(items: Vec<u64>) -> BoxPublisher<u64> {
    source::create(Overflow::Unbounded, move |emitter| {
        let items = items.clone();
        thread::spawn(move || {
            for item in items {
                if emitter.next(item).is_err() {
                    return;
                }
                if item % 7 == 0 {
                    thread::yield_now(); // let other inners interleave
                }
            }
        });
    })
    .boxed()
}

/// Waits (up to the harness's `WAIT`) until `condition` holds; for effects
/// that another thread carries out.
pub(crate) fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + crate::harness::WAIT;
    while !condition() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        thread::sleep(std::time::Duration::from_millis(1));
    }
    true
}

/// Inner `x` of [`assert_a_failing_fused_inner_fails_the_stream`]: a
/// `generate`, a fused source (run inside the operator's drain), that emits
/// `x` and completes, except inner 2, which fails with `failure`.
pub(crate) fn fused_inner_failing_at_2(x: u64, failure: Error) -> impl Publisher<Item = u64> {
    source::generate(
        || 0u32,
        move |step, sink| match (x, *step) {
            (2, _) => sink.error(failure.clone()),
            (_, 0) => {
                sink.next(x);
                *step = 1;
            }
            _ => sink.complete(),
        },
    )
}

/// Checks that a fused inner that fails fails the stream with its own error,
/// after the items before it, and cancels upstream. `make` applies the
/// operator under test to the upstream, with [`fused_inner_failing_at_2`]
/// for inners.
pub(crate) fn assert_a_failing_fused_inner_fails_the_stream<F>(make: F)
where
    F: Fn(BoxPublisher<u64>, Error) -> BoxPublisher<u64>,
{
    let error = Error::new("inner 2 failed");
    let upstream = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    make(upstream.publisher(), error.clone()).subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_no_violations();
    assert!(
        ts.error().is_some_and(|e| e.ptr_eq(&error)),
        "{:?}",
        ts.error()
    );
    assert!(upstream.was_cancelled(), "upstream was not cancelled");
}
