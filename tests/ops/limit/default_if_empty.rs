use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..5u64).default_if_empty(99).boxed(),
        &[0, 1, 2, 3, 4],
    );
    assert_emits(|| source::empty().default_if_empty(99u64).boxed(), &[99]);
}

#[test]
fn error_passes_through_without_a_default() {
    assert_error_passes_through(|up| up.default_if_empty(99).boxed(), &[0, 1, 2]);
    let ts = TestSubscriber::<u64>::unbounded();
    source::error(Error::new("boom"))
        .default_if_empty(99)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_error_message("boom");
}

#[test]
fn the_default_waits_for_a_request() {
    let ts = TestSubscriber::new(0);
    source::empty()
        .default_if_empty(99u64)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    ts.request(1);
    ts.assert_values(&[99])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn a_request_before_the_empty_completion_releases_the_default_at_completion() {
    let slot = std::sync::Arc::new(std::sync::Mutex::new(None));
    let stash = std::sync::Arc::clone(&slot);
    let upstream = source::create(Overflow::Unbounded, move |emitter: Emitter<u64>| {
        *stash.lock().unwrap() = Some(emitter);
    });
    let ts = TestSubscriber::new(3);
    upstream.default_if_empty(99).subscribe(ts.clone());
    ts.assert_not_terminated();
    slot.lock().unwrap().take().unwrap().complete();
    ts.assert_values(&[99])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn demand_passes_upstream_one_for_one() {
    let probe = DemandProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(2);
    probe.publisher().default_if_empty(99).subscribe(ts.clone());
    ts.request(3);
    ts.assert_values(&[0, 1, 2, 3, 4]);
    assert_eq!(probe.requests(), [2, 3]);
}

#[test]
fn cancel_before_the_request_drops_the_default() {
    let ts = TestSubscriber::<u64>::new(0);
    source::empty().default_if_empty(99).subscribe(ts.clone());
    ts.cancel();
    ts.request(1);
    ts.assert_no_values()
        .assert_not_terminated()
        .assert_no_violations();
}

#[test]
fn request_zero_fails_with_rule_3_9() {
    // Waiting with the default: the error comes from the operator.
    let ts = TestSubscriber::<u64>::new(0);
    source::empty().default_if_empty(99).subscribe(ts.clone());
    ts.request(0);
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    // Items still flowing: from upstream, through.
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..10u64)
        .default_if_empty(99)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// The items, or `[default]` for none, under random demand.
    #[test]
    fn matches_the_items_or_the_default(items in proptest::collection::vec(0u64..1000, 0..6), schedule in crate::model::schedule()) {
        let reference = if items.is_empty() { vec![99] } else { items.clone() };
        crate::model::check_model(
            || source::from_iter(items.clone()).default_if_empty(99).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
