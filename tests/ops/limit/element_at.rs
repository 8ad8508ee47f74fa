use reactive_streams::ops::IndexOutOfBounds;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(|| source::range(10..20u64).element_at(4).boxed(), &[14]);
    assert_emits(|| source::range(10..20u64).element_at(0).boxed(), &[10]);
    assert_emits(|| pushed((10..20).collect()).element_at(9).boxed(), &[19]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.element_at(5).boxed(), &[]);
}

#[test]
fn a_stream_too_short_fails_with_index_out_of_bounds() {
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..3u64).element_at(3).subscribe(ts.clone());
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::Other)
        .assert_error_message("element_at(3): the stream completed after 3 items");
    let error = ts.error().unwrap();
    assert_eq!(
        error
            .downcast_ref::<IndexOutOfBounds>()
            .map(|e| (e.index, e.len)),
        Some((3, 3))
    );
    // Without any demand too: the error needs none (§1.4).
    let ts = TestSubscriber::<u64>::new(0);
    source::empty().element_at(0).subscribe(ts.clone());
    ts.assert_error(|e| e.downcast_ref::<IndexOutOfBounds>().is_some());
}

#[test]
fn asks_upstream_for_index_plus_one_at_the_first_request_then_cancels() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(0);
    probe.publisher().element_at(7).subscribe(ts.clone());
    assert!(
        probe.requests().is_empty(),
        "nothing before downstream asks"
    );
    ts.request(1);
    ts.request(5);
    ts.assert_values(&[7])
        .assert_complete()
        .assert_no_violations();
    assert_eq!(probe.requests(), [8]);
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 8);
}

#[test]
fn request_zero_fails_with_rule_3_9() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..10u64).element_at(2).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::nth`, under random demand.
    #[test]
    fn matches_iterator_nth(items in proptest::collection::vec(0u64..1000, 0..20), index in 0u64..25, schedule in crate::model::schedule()) {
        let nth = items.iter().copied().nth(index as usize);
        let (reference, end) = match nth {
            Some(item) => (vec![item], crate::model::ModelEnd::Complete),
            None => (vec![], crate::model::ModelEnd::Error("the stream completed after")),
        };
        crate::model::check_model(
            || source::from_iter(items.clone()).element_at(index).boxed(),
            &reference,
            end,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
