//! Flat_map, concat_map, switch_map.

mod concat_map;
mod flat_map;
mod probe;
mod switch_map;

use std::thread;

use reactive_streams::source::{self, Overflow};
use reactive_streams::{BoxPublisher, PublisherExt};

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
