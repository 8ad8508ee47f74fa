use std::collections::{BTreeMap, VecDeque};

use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};

use crate::harness::*;
use crate::limit::probe::DemandProbe;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..4u64).collect::<Vec<_>>().boxed(),
        &[vec![0, 1, 2, 3]],
    );
    assert_emits(
        || source::empty::<u64>().collect::<Vec<_>>().boxed(),
        &[vec![]],
    );
    assert_emits(
        || {
            source::from_iter(vec!['h', 'i'])
                .collect::<String>()
                .boxed()
        },
        &["hi".to_owned()],
    );
    assert_emits(
        || {
            source::from_iter(vec![(2, 'b'), (1, 'a')])
                .collect::<BTreeMap<_, _>>()
                .boxed()
        },
        &[BTreeMap::from([(1, 'a'), (2, 'b')])],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.collect::<VecDeque<_>>().boxed(), &[]);
}

/// A collection whose `extend` panics on item 2.
#[derive(Default, Debug, Clone, PartialEq)]
struct Picky(Vec<u64>);

impl Extend<u64> for Picky {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, iter: I) {
        for item in iter {
            self.0.push(panic_on_2(item));
        }
    }
}

#[test]
fn panic_in_extend_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.collect::<Picky>().boxed());
}

#[test]
fn each_subscriber_gets_a_fresh_collection() {
    let collected = source::range(0..3u64).collect::<Vec<_>>();
    for _ in 0..2 {
        let ts = TestSubscriber::unbounded();
        collected.subscribe(ts.clone());
        ts.assert_values(&[vec![0, 1, 2]]).assert_complete();
    }
}

#[test]
fn asks_upstream_for_everything() {
    let probe = DemandProbe::new(source::range(0..5u64));
    let ts = TestSubscriber::new(1);
    probe.publisher().collect::<Vec<_>>().subscribe(ts.clone());
    assert_eq!(probe.requests(), [UNBOUNDED]);
    ts.assert_values(&[vec![0, 1, 2, 3, 4]]).assert_complete();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::collect`, under random demand.
    #[test]
    fn matches_iterator_collect(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).collect::<Vec<_>>().boxed(),
            std::slice::from_ref(&items),
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
