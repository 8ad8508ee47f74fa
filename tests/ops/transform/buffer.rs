use reactive_streams::{
    source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..7u64).buffer(3).boxed(),
        &[vec![0, 1, 2], vec![3, 4, 5], vec![6]],
    );
    assert_emits(
        || source::range(0..6u64).buffer(2).boxed(),
        &[vec![0, 1], vec![2, 3], vec![4, 5]],
    );
    assert_emits(
        || source::range(0..3u64).buffer(1).boxed(),
        &[vec![0], vec![1], vec![2]],
    );
    assert_emits(|| source::empty::<u64>().buffer(4).boxed(), &[]);
}

#[test]
fn an_error_drops_the_partial_chunk() {
    // Items 0, 1, 2, then the error: one full chunk, and [2] is dropped.
    assert_error_passes_through(|up| up.buffer(2).boxed(), &[vec![0, 1]]);
}

#[test]
fn demand_for_chunks_becomes_demand_for_items() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(2);
    probe.publisher().buffer(3).subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1, 2], vec![3, 4, 5]]);
    ts.request(1);
    assert_eq!(probe.requests(), [6, 3]);
}

#[test]
fn unbounded_demand_saturates() {
    let probe = CancelProbe::new(source::range(0..5u64));
    let ts = TestSubscriber::unbounded();
    probe.publisher().buffer(2).subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1], vec![2, 3], vec![4]])
        .assert_complete();
    // UNBOUNDED * 2 saturates, and upstream treats it as unbounded (§3.17).
    assert_eq!(probe.requests(), [UNBOUNDED.saturating_mul(2)]);
}

#[test]
fn request_zero_fails_with_rule_3_9() {
    let ts = TestSubscriber::<Vec<u64>>::new(0);
    source::range(0..10u64).buffer(3).subscribe(ts.clone());
    ts.request(0);
    ts.assert_no_values()
        .assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_chunk_rejected_downstream_is_replaced() {
    // Through try_on_next (synchronous source) ...
    let ts = TestSubscriber::new(2);
    source::range(0..20u64)
        .buffer(2)
        .filter(|chunk| chunk[0] % 4 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1], vec![4, 5]])
        .assert_no_violations();
    // ... and through plain on_next.
    let probe = CancelProbe::new(source::range(0..20u64));
    let ts = TestSubscriber::new(2);
    plain_on_next(probe.publisher())
        .buffer(2)
        .filter(|chunk| chunk[0] % 4 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[vec![0, 1], vec![4, 5]])
        .assert_no_violations();
    assert_eq!(probe.requests(), [4, 2]);
}

#[test]
#[should_panic(expected = "buffer: the chunk size must be at least 1")]
fn a_chunk_size_of_zero_panics() {
    let _ = source::range(0..3u64).buffer(0);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `slice::chunks`, under random demand.
    #[test]
    fn matches_slice_chunks(size in 1usize..5, items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        let reference: Vec<Vec<u64>> = items.chunks(size).map(<[u64]>::to_vec).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).buffer(size).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}

/// Issue 10, bug 2: a huge chunk size reserves at most `MAX_CAPACITY` slots
/// up front (it used to abort on a failed allocation at the first item).
#[test]
fn a_huge_size_reserves_no_huge_chunk() {
    for size in [usize::MAX, 1 << 40] {
        let ts = TestSubscriber::unbounded();
        source::range(0..5u64).buffer(size).subscribe(ts.clone());
        ts.assert_values(&[vec![0, 1, 2, 3, 4]]).assert_complete();
    }
}
