use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source::{self, EmitError, Emitter, Overflow};
use reactive_streams::{
    BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;
use crate::limit::trigger::main_and_other;

/// Where [`manual_other`] puts its emitter.
type EmitterSlot = Arc<Mutex<Option<Emitter<()>>>>;

/// A publisher of `()` whose emitter the test drives.
fn manual_other() -> (BoxPublisher<()>, EmitterSlot) {
    let slot = Arc::new(Mutex::new(None));
    let stash = Arc::clone(&slot);
    let other = source::create(Overflow::Unbounded, move |emitter| {
        *stash.lock().unwrap() = Some(emitter);
    });
    (other.boxed(), slot)
}

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::range(0..5u64)
                .skip_until(source::empty::<()>())
                .boxed()
        },
        &[0, 1, 2, 3, 4],
    );
    assert_emits(
        || source::range(0..5u64).skip_until(source::just(1u8)).boxed(),
        &[0, 1, 2, 3, 4],
    );
    assert_emits(
        || {
            source::range(0..5u64)
                .skip_until(source::never::<()>())
                .boxed()
        },
        &[],
    );
    assert_emits(
        || {
            let (main, other) = main_and_other((10..20).collect(), 6);
            main.skip_until(other).boxed()
        },
        &[16, 17, 18, 19],
    );
}

#[test]
fn error_passes_through_and_cancels_other() {
    assert_error_passes_through(
        |up| up.skip_until(source::empty::<()>()).boxed(),
        &[0, 1, 2],
    );
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(2, Error::new("main failed"))
        .skip_until(other.publisher())
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_message("main failed");
    assert!(other.was_cancelled());
}

#[test]
fn the_gate_opens_at_the_others_first_item_and_the_other_is_cancelled() {
    let (other, slot) = manual_other();
    let other = DemandProbe::new(other);
    let main = DemandProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(0);
    main.publisher()
        .skip_until(other.publisher())
        .subscribe(ts.clone());
    assert_eq!(other.requests(), [UNBOUNDED]);
    let emitter = slot.lock().unwrap().take().unwrap();
    assert!(emitter.next(()).is_ok());
    assert!(other.was_cancelled(), "the other's job is done");
    ts.request(2);
    ts.assert_values(&[0, 1]).assert_not_terminated();
    assert_eq!(main.requests(), [2]);
}

#[test]
fn while_the_gate_is_shut_a_synchronous_source_runs_without_requests() {
    // Dropped through try_on_next: the source does not count them, so one
    // request lets it run to its end while the gate stays shut.
    let (other, _slot) = manual_other();
    let main = DemandProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(1);
    main.publisher().skip_until(other).subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert_eq!(main.requests(), [1]);
    assert_eq!(main.emitted(), 100);
}

#[test]
fn items_before_the_signal_are_dropped_with_replacements() {
    let (other, slot) = manual_other();
    let ts = TestSubscriber::new(0);
    let main = DemandProbe::new(pushed((0..10).collect()));
    main.publisher().skip_until(other).subscribe(ts.clone());
    ts.request(1);
    // Every item so far was dropped, and each replaced by a request(1):
    // with the gate shut, pushed runs to its end.
    ts.assert_no_values().assert_complete();
    assert_eq!(main.requests()[0], 1);
    assert_eq!(main.emitted(), 10);
    drop(slot);
}

#[test]
fn an_error_from_other_before_the_gate_fails_the_stream() {
    let (other, slot) = manual_other();
    let main = DemandProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::unbounded();
    main.publisher().skip_until(other).subscribe(ts.clone());
    let boom = Error::new("other failed");
    slot.lock().unwrap().take().unwrap().error(boom.clone());
    assert!(ts.error().unwrap().ptr_eq(&boom));
    assert!(main.was_cancelled());
    ts.assert_no_violations();
}

#[test]
fn cancel_and_request_zero_cancel_both() {
    let main = DemandProbe::new(source::never::<u64>());
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::<u64>::new(1);
    main.publisher()
        .skip_until(other.publisher())
        .subscribe(ts.clone());
    ts.cancel();
    assert!(main.was_cancelled() && other.was_cancelled());

    let main = DemandProbe::new(source::never::<u64>());
    let other = DemandProbe::new(source::never::<()>());
    let ts = TestSubscriber::<u64>::new(1);
    main.publisher()
        .skip_until(other.publisher())
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(main.was_cancelled() && other.was_cancelled());
}

#[test]
fn the_other_signalling_from_another_thread_opens_the_gate_serially() {
    // The items that pass are a suffix of main's, then one on_complete.
    for round in 0..200u64 {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let main = source::create(Overflow::Buffer(16), move |emitter| {
            let flag = Arc::clone(&flag);
            std::thread::spawn(move || {
                let mut i = 0u64;
                while !flag.load(Ordering::SeqCst) && i < 2_000 {
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
        main.skip_until(other).subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_complete()
            .assert_no_violations();
        stop.store(true, Ordering::SeqCst);
        let values = ts.values();
        if let Some(&first) = values.first() {
            assert_eq!(
                values,
                (first..first + values.len() as u64).collect::<Vec<_>>()
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::skip`, with the other publisher signalling just
    /// before item `k` (or never), under random demand.
    #[test]
    fn matches_iterator_skip_at_the_signal(items in proptest::collection::vec(0u64..1000, 0..40), k in 0usize..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().skip(k).collect();
        crate::model::check_model(
            || {
                let (main, other) = main_and_other(items.clone(), k);
                main.skip_until(other).boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
