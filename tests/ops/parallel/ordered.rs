use proptest::prelude::*;
use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::Rails;
use crate::harness::*;
use crate::on_rails;

#[test]
fn scenarios_deliver_the_source_order() {
    for rails in Rails::ALL {
        for n in [1usize, 2, 3, 7] {
            assert_emits(
                || {
                    on_rails!(rails, source::range(0..40u64).parallel(n), |p| p
                        .map(|x| x * 3)
                        .ordered())
                },
                &(0..40u64).map(|x| x * 3).collect::<Vec<_>>(),
            );
        }
    }
}

#[test]
fn scenarios_with_the_smallest_buffers() {
    for rails in Rails::ALL {
        assert_emits(
            || {
                on_rails!(rails, source::range(0..30u64).parallel_with(3, 1), |p| p
                    .map(|x| x + 1)
                    .ordered_with(1))
            },
            &(1..31u64).collect::<Vec<_>>(),
        );
    }
}

#[test]
fn an_empty_upstream_completes() {
    for rails in Rails::ALL {
        let ts = TestSubscriber::unbounded();
        on_rails!(rails, source::empty::<u64>().parallel(3), |p| p.ordered()).subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_no_values()
            .assert_complete()
            .assert_no_violations();
    }
}

/// Many more items than any buffer: the rails refill while `ordered` waits
/// for the rail with the next position.
#[test]
fn a_long_stream_in_order_on_workers() {
    let n = 20_000u64;
    let out = on_rails!(
        Rails::Parallel,
        source::range(0..n).parallel_with(4, 16),
        |p| p.map(|x| x ^ 0x55).ordered_with(8)
    )
    .blocking_collect()
    .unwrap();
    assert_eq!(out, (0..n).map(|x| x ^ 0x55).collect::<Vec<_>>());
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// The source order, under random demand, whatever the rail count and
    /// buffer sizes, on the caller's thread and on workers.
    #[test]
    fn delivers_the_source_order_under_random_demand(
        len in 0u64..60,
        rails in 1usize..5,
        split_prefetch in prop_oneof![Just(1usize), Just(2), Just(5), Just(256)],
        merge_prefetch in prop_oneof![Just(1usize), Just(3), Just(256)],
        on_workers in any::<bool>(),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = (0..len).map(|x| x * 2).collect();
        let where_ = if on_workers { Rails::Parallel } else { Rails::Caller };
        crate::model::check_model(
            || on_rails!(where_, source::range(0..len).parallel_with(rails, split_prefetch), |p| p
                .map(|x| x * 2)
                .ordered_with(merge_prefetch)),
            &reference,
            crate::model::ModelEnd::Complete,
            if on_workers { crate::model::Mode::Async } else { crate::model::Mode::Sync },
            &schedule,
        )?;
    }
}
