use reactive_streams::{
    source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(|| source::range(0..10u64).ignore_elements().boxed(), &[]);
    assert_emits(|| pushed((0..10).collect()).ignore_elements().boxed(), &[]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.ignore_elements().boxed(), &[]);
}

#[test]
fn asks_upstream_for_everything_whatever_downstream_asks() {
    let probe = DemandProbe::new(source::range(0..1_000u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().ignore_elements().subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert_eq!(probe.requests(), [UNBOUNDED]);
    assert_eq!(probe.emitted(), 1_000);
}

#[test]
fn cancel_and_request_zero_reach_upstream() {
    let probe = DemandProbe::new(source::never::<u64>());
    let ts = TestSubscriber::new(0);
    probe.publisher().ignore_elements().subscribe(ts.clone());
    ts.cancel();
    assert!(probe.was_cancelled());

    let ts = TestSubscriber::<u64>::new(0);
    source::never().ignore_elements().subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Nothing but the end, under random demand.
    #[test]
    fn passes_only_the_end(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).ignore_elements().boxed(),
            &[],
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
