use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(1..6u64).reduce(|a, b| a * b).boxed(),
        &[120],
    );
    assert_emits(|| source::just(7u64).reduce(|a, b| a + b).boxed(), &[7]);
    assert_emits(|| source::empty::<u64>().reduce(|a, b| a + b).boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.reduce(|a, b| a + b).boxed(), &[]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.reduce(|a, b| a + panic_on_2(b)).boxed());
}

#[test]
fn asks_upstream_for_everything_and_emits_once_requested() {
    let probe = DemandProbe::new(source::range(0..5u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().reduce(|a, b| a + b).subscribe(ts.clone());
    assert_eq!(probe.requests(), [UNBOUNDED]);
    ts.assert_no_values().assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[10])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn a_request_before_the_end_releases_the_result_at_the_end() {
    let slot = std::sync::Arc::new(std::sync::Mutex::new(None));
    let stash = std::sync::Arc::clone(&slot);
    let upstream = source::create(Overflow::Unbounded, move |emitter: Emitter<u64>| {
        *stash.lock().unwrap() = Some(emitter);
    });
    let ts = TestSubscriber::new(1);
    upstream.reduce(|a, b| a + b).subscribe(ts.clone());
    let emitter = slot.lock().unwrap().take().unwrap();
    for i in 1..=3 {
        emitter.next(i).unwrap();
    }
    ts.assert_no_values().assert_not_terminated();
    emitter.complete();
    ts.assert_values(&[6])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn the_result_goes_out_on_the_requesting_thread_when_it_waited() {
    let ts = TestSubscriber::new(0);
    source::range(0..4u64)
        .reduce(|a, b| a + b)
        .subscribe(ts.clone());
    let requester = ts.clone();
    std::thread::spawn(move || requester.request(1))
        .join()
        .unwrap();
    ts.assert_values(&[6])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn cancel_cancels_upstream_and_drops_the_result() {
    let probe = DemandProbe::new(source::never::<u64>());
    let ts = TestSubscriber::new(1);
    probe.publisher().reduce(|a, b| a + b).subscribe(ts.clone());
    ts.cancel();
    assert!(probe.was_cancelled());

    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..4u64)
        .reduce(|a, b| a + b)
        .subscribe(ts.clone());
    ts.cancel();
    ts.request(1);
    ts.assert_no_values()
        .assert_not_terminated()
        .assert_no_violations();
}

#[test]
fn request_zero_fails_with_rule_3_9_and_cancels_upstream() {
    // Result waiting.
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..4u64)
        .reduce(|a, b| a + b)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    // Upstream still running.
    let probe = DemandProbe::new(source::never::<u64>());
    let ts = TestSubscriber::<u64>::new(0);
    probe.publisher().reduce(|a, b| a + b).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::reduce`, under random demand.
    #[test]
    fn matches_iterator_reduce(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().reduce(|a, b| a.max(b) - b / 2).into_iter().collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).reduce(|a, b| a.max(b) - b / 2).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
