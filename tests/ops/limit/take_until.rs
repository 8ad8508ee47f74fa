use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use reactive_streams::source::{self, EmitError, Overflow};
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::trigger::main_and_other;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::range(0..8u64)
                .take_until(source::never::<()>())
                .boxed()
        },
        &[0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert_emits(
        || {
            let (main, other) = main_and_other((10..20).collect(), 4);
            main.take_until(other).boxed()
        },
        &[10, 11, 12, 13],
    );
}

#[test]
fn error_passes_through_and_cancels_other() {
    assert_error_passes_through(
        |up| up.take_until(source::never::<()>()).boxed(),
        &[0, 1, 2],
    );
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(2, Error::new("main failed"))
        .take_until(other.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_message("main failed");
    assert!(other.was_cancelled());
}

#[test]
fn an_other_that_signals_at_once_ends_the_stream_before_main_is_subscribed() {
    for other in [source::just(()).boxed(), source::empty().boxed()] {
        let main = DemandProbe::new(source::range(0..10u64));
        let ts = TestSubscriber::unbounded();
        main.publisher().take_until(other).subscribe(ts.clone());
        ts.assert_subscribed()
            .assert_no_values()
            .assert_complete()
            .assert_no_violations();
        assert!(!main.was_subscribed());
    }
}

#[test]
fn an_error_from_other_fails_the_stream_and_cancels_main() {
    let boom = Error::new("other failed");
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..10u64)
        .take_until(source::error::<u8>(boom.clone()))
        .subscribe(ts.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&boom));

    // Later, while main is running.
    let main = DemandProbe::new(source::never::<u64>());
    let slot = Arc::new(std::sync::Mutex::new(None));
    let stash = Arc::clone(&slot);
    let other = source::create(Overflow::Unbounded, move |emitter| {
        *stash.lock().unwrap() = Some(emitter);
    });
    let ts = TestSubscriber::<u64>::unbounded();
    main.publisher().take_until(other).subscribe(ts.clone());
    ts.assert_not_terminated();
    let emitter: source::Emitter<()> = slot.lock().unwrap().take().unwrap();
    emitter.error(boom.clone());
    assert!(ts.error().unwrap().ptr_eq(&boom));
    assert!(main.was_cancelled());
    ts.assert_no_violations();
}

#[test]
fn cancel_cancels_both() {
    let main = DemandProbe::new(source::range(0..100u64));
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::new(3);
    main.publisher()
        .take_until(other.publisher())
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    ts.cancel();
    assert!(main.was_cancelled() && other.was_cancelled());
    ts.request(5);
    ts.assert_values(&[0, 1, 2])
        .assert_not_terminated()
        .assert_no_violations();
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_both() {
    let main = DemandProbe::new(source::range(0..100u64));
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::new(1);
    main.publisher()
        .take_until(other.publisher())
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(main.was_cancelled() && other.was_cancelled());
}

#[test]
fn demand_goes_to_main_and_other_is_asked_for_everything() {
    let main = DemandProbe::new(source::range(0..100u64));
    let other = DemandProbe::new(source::never::<()>());
    // Requested inside on_subscribe, before main exists: passed on later.
    let ts = TestSubscriber::new(3);
    main.publisher()
        .take_until(other.publisher())
        .subscribe(ts.clone());
    ts.request(2);
    ts.assert_values(&[0, 1, 2, 3, 4]);
    assert_eq!(main.requests(), [3, 2]);
    assert_eq!(other.requests(), [UNBOUNDED]);
}

#[test]
fn the_other_signalling_from_another_thread_ends_the_stream_serially() {
    // Main emits from one thread, the other signals from a second: the
    // items are a prefix of main's, then one on_complete, nothing after.
    for round in 0..200u64 {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let main = source::create(Overflow::Buffer(16), move |emitter| {
            let flag = Arc::clone(&flag);
            std::thread::spawn(move || {
                let mut i = 0u64;
                while !flag.load(Ordering::SeqCst) && i < 10_000 {
                    match emitter.next(i) {
                        Ok(()) => i += 1,
                        Err(EmitError::Full(_)) => std::thread::yield_now(),
                        Err(_) => break,
                    }
                }
                emitter.complete();
            });
        });
        let other = source::create(Overflow::Unbounded, move |emitter| {
            std::thread::spawn(move || {
                for _ in 0..(round % 7) * 20 {
                    std::thread::yield_now();
                }
                let _ = emitter.next(());
            });
        });
        let ts = TestSubscriber::unbounded();
        main.take_until(other).subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_complete()
            .assert_no_violations();
        stop.store(true, Ordering::SeqCst);
        let values = ts.values();
        assert_eq!(values, (0..values.len() as u64).collect::<Vec<_>>());
    }
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::take`, with the other publisher signalling just
    /// before item `k` (or never), under random demand.
    #[test]
    fn matches_iterator_take_at_the_signal(items in proptest::collection::vec(0u64..1000, 0..40), k in 0usize..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().take(k).collect();
        crate::model::check_model(
            || {
                let (main, other) = main_and_other(items.clone(), k);
                main.take_until(other).boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
