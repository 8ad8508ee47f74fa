//! The blocking terminal methods: for_each, blocking_first, blocking_last,
//! blocking_collect.

use std::sync::atomic::{AtomicBool, Ordering};

use reactive_streams::source::{self, Overflow};
use reactive_streams::{Error, PublisherExt};

use crate::limit::probe::DemandProbe;

/// Items 0..n from another thread, then completion (or `error`).
fn from_a_thread(n: u64, error: Option<Error>) -> reactive_streams::BoxPublisher<u64> {
    source::create(Overflow::Buffer(8), move |emitter| {
        let error = error.clone();
        std::thread::spawn(move || {
            let mut i = 0;
            while i < n {
                match emitter.next(i) {
                    Ok(()) => i += 1,
                    Err(source::EmitError::Full(_)) => std::thread::yield_now(),
                    Err(_) => return,
                }
            }
            match error {
                Some(error) => emitter.error(error),
                None => emitter.complete(),
            }
        });
    })
    .boxed()
}

#[test]
fn for_each_sees_every_item_on_the_calling_thread() {
    let caller = std::thread::current().id();
    let mut seen = Vec::new();
    from_a_thread(1_000, None)
        .for_each(|x| {
            assert_eq!(std::thread::current().id(), caller);
            seen.push(x);
        })
        .unwrap();
    assert_eq!(seen, (0..1_000).collect::<Vec<_>>());
}

#[test]
fn for_each_returns_the_error_after_the_items() {
    let mut seen = Vec::new();
    let result = from_a_thread(3, Some(Error::new("boom"))).for_each(|x| seen.push(x));
    assert_eq!(result.unwrap_err().to_string(), "boom");
    assert_eq!(seen, [0, 1, 2]);
}

#[test]
fn a_panic_in_for_each_unwinds_here_and_cancels_upstream() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let publisher = probe.publisher();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        publisher.for_each(|x| assert!(x < 3, "for_each closure failed"))
    }));
    assert!(result.is_err());
    assert!(probe.was_cancelled());
}

#[test]
fn blocking_first() {
    assert_eq!(source::range(5..10u64).blocking_first().unwrap(), Some(5));
    assert_eq!(source::empty::<u64>().blocking_first().unwrap(), None);
    assert_eq!(from_a_thread(100, None).blocking_first().unwrap(), Some(0));
    let error = source::error::<u64>(Error::new("boom")).blocking_first();
    assert_eq!(error.unwrap_err().to_string(), "boom");

    // Only one item asked for; upstream cancelled after it.
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    assert_eq!(probe.publisher().blocking_first().unwrap(), Some(0));
    assert_eq!(probe.requests(), [1]);
    assert!(probe.was_cancelled());
}

#[test]
fn blocking_last() {
    assert_eq!(source::range(5..10u64).blocking_last().unwrap(), Some(9));
    assert_eq!(source::empty::<u64>().blocking_last().unwrap(), None);
    assert_eq!(
        from_a_thread(1_000, None).blocking_last().unwrap(),
        Some(999)
    );
    let error = from_a_thread(10, Some(Error::new("boom"))).blocking_last();
    assert_eq!(error.unwrap_err().to_string(), "boom");
}

#[test]
fn blocking_collect() {
    assert_eq!(
        source::range(0..5u64).blocking_collect().unwrap(),
        [0, 1, 2, 3, 4]
    );
    assert!(source::empty::<u64>()
        .blocking_collect()
        .unwrap()
        .is_empty());
    assert_eq!(
        from_a_thread(1_000, None).blocking_collect().unwrap(),
        (0..1_000).collect::<Vec<_>>()
    );
    let error = from_a_thread(10, Some(Error::new("boom"))).blocking_collect();
    assert_eq!(error.unwrap_err().to_string(), "boom");
}

#[test]
fn the_blocking_methods_borrow_the_publisher() {
    // `&self`: the same publisher serves several calls.
    let numbers = source::range(0..4u64);
    assert_eq!(numbers.blocking_first().unwrap(), Some(0));
    assert_eq!(numbers.blocking_last().unwrap(), Some(3));
    assert_eq!(numbers.blocking_collect().unwrap(), [0, 1, 2, 3]);
    let done = AtomicBool::new(false);
    numbers
        .for_each(|_| done.store(true, Ordering::SeqCst))
        .unwrap();
    assert!(done.load(Ordering::SeqCst));
}
