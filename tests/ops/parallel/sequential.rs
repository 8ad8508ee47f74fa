use proptest::prelude::*;
use reactive_streams::{source, Publisher, TestSubscriber};

use super::{sorted, Rails};
use crate::harness::*;
use crate::on_rails;

/// Every item once, whatever the order; within demand (checked by the
/// subscriber's own bookkeeping: no violations).
#[test]
fn delivers_every_item_once() {
    for rails in Rails::ALL {
        for n in [1usize, 2, 3, 8] {
            for request in [1u64, 5, u64::MAX] {
                let ts = TestSubscriber::new(0);
                on_rails!(rails, source::range(0..200u64).parallel_with(n, 16), |p| p
                    .map(|x| x + 1)
                    .sequential_with(4))
                .subscribe(ts.clone());
                let mut asked = 0u64;
                loop {
                    ts.request(request);
                    asked = asked.saturating_add(request);
                    if asked >= 200 {
                        break;
                    }
                    assert!(
                        ts.wait_for_count(asked as usize, WAIT),
                        "{rails:?}: items missing"
                    );
                    assert_eq!(ts.item_count() as u64, asked, "{rails:?}: beyond demand");
                }
                ts.await_terminal(WAIT);
                ts.assert_complete().assert_no_violations();
                assert_eq!(sorted(ts.values()), (1..201u64).collect::<Vec<_>>());
            }
        }
    }
}

/// One at a time: never more than was requested.
#[test]
fn one_at_a_time_never_over_delivers() {
    for rails in Rails::ALL {
        let ts = TestSubscriber::new(0);
        on_rails!(rails, source::range(0..20u64).parallel(3), |p| p
            .sequential())
        .subscribe(ts.clone());
        for i in 0..20 {
            ts.request(1);
            ts.await_count(i + 1, WAIT);
            assert_eq!(ts.item_count(), i + 1, "one item per request ({rails:?})");
        }
        ts.request(1);
        ts.await_terminal(WAIT)
            .assert_complete()
            .assert_no_violations();
        assert_eq!(sorted(ts.values()), (0..20u64).collect::<Vec<_>>());
    }
}

#[test]
fn cancel_midway_stops_the_stream() {
    for rails in Rails::ALL {
        let probe = CancelProbe::new(source::range(0..1_000_000u64));
        let ts = TestSubscriber::new(10);
        on_rails!(rails, probe.publisher().parallel(2), |p| p.sequential()).subscribe(ts.clone());
        ts.await_count(10, WAIT);
        ts.cancel();
        assert!(
            crate::flatten::eventually(|| probe.was_cancelled()),
            "upstream not cancelled ({rails:?})"
        );
        ts.assert_not_terminated().assert_no_violations();
        assert!(probe.emitted() < 1_000_000);
    }
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// The multiset of the source (a sub-multiset while running), under
    /// random demand, never more than requested.
    #[test]
    fn delivers_the_multiset_under_random_demand(
        len in 0u64..60,
        rails in 1usize..5,
        split_prefetch in prop_oneof![Just(1usize), Just(2), Just(5), Just(256)],
        merge_prefetch in prop_oneof![Just(1usize), Just(3), Just(256)],
        on_workers in any::<bool>(),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = (0..len).collect();
        let where_ = if on_workers { Rails::Parallel } else { Rails::Caller };
        let sub_multiset = |items: &[u64]| {
            let mut seen = vec![false; len as usize];
            items.iter().all(|&x| x < len && !std::mem::replace(&mut seen[x as usize], true))
        };
        crate::model::check_model_with(
            || on_rails!(where_, source::range(0..len).parallel_with(rails, split_prefetch), |p| p
                .sequential_with(merge_prefetch)),
            sub_multiset,
            |items: &[u64]| sorted(items.to_vec()) == reference,
            &format!("a permutation of 0..{len}"),
            crate::model::ModelEnd::Complete,
            if on_workers { crate::model::Mode::Async } else { crate::model::Mode::Sync },
            &schedule,
        )?;
    }
}
