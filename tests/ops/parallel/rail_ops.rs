use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

use super::{sorted, Rails};
use crate::harness::*;
use crate::on_rails;

#[test]
fn filter_keeps_what_the_predicate_accepts_in_order() {
    for rails in Rails::ALL {
        assert_emits(
            || {
                on_rails!(rails, source::range(0..60u64).parallel(3), |p| p
                    .filter(|x| x % 3 == 1)
                    .ordered())
            },
            &(0..60u64).filter(|x| x % 3 == 1).collect::<Vec<_>>(),
        );
    }
}

/// A filter that rejects everything on one rail (every item of rail 0 is a
/// multiple of 2 with two rails): `ordered` still completes, and the other
/// rail's items all come.
#[test]
fn filter_that_empties_a_rail() {
    for rails in Rails::ALL {
        let ts = TestSubscriber::unbounded();
        on_rails!(rails, source::range(0..100u64).parallel(2), |p| p
            .filter(|x| x % 2 == 1)
            .ordered())
        .subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_values(&(0..100u64).filter(|x| x % 2 == 1).collect::<Vec<_>>())
            .assert_complete()
            .assert_no_violations();
    }
}

#[test]
fn flat_map_puts_each_inner_at_its_source_place() {
    let expected: Vec<u64> = (0..12u64)
        .flat_map(|x| (0..x % 4).map(move |i| x * 10 + i))
        .collect();
    for rails in Rails::ALL {
        assert_emits(
            || {
                on_rails!(rails, source::range(0..12u64).parallel(3), |p| p
                    .flat_map(|x| source::range(x * 10..x * 10 + x % 4))
                    .ordered())
            },
            &expected,
        );
    }
}

/// Inners that emit on threads of their own.
#[test]
fn flat_map_with_asynchronous_inners() {
    let expected: Vec<u64> = (0..6u64)
        .flat_map(|x| (0..30).map(move |i| x * 1000 + i))
        .collect();
    for rails in Rails::ALL {
        let out = on_rails!(rails, source::range(0..6u64).parallel(2), |p| p
            .flat_map(|x| crate::flatten::threaded((0..30).map(|i| x * 1000 + i).collect()))
            .ordered())
        .blocking_collect()
        .unwrap();
        assert_eq!(out, expected, "{rails:?}");
    }
}

#[test]
fn reduce_folds_each_rail() {
    for rails in Rails::ALL {
        for n in [1usize, 2, 5] {
            let per_rail = on_rails!(rails, source::range(1..101u64).parallel(n), |p| p
                .reduce(|a, b| a + b)
                .sequential())
            .blocking_collect()
            .unwrap();
            assert_eq!(per_rail.len(), n, "{rails:?}");
            assert_eq!(per_rail.iter().sum::<u64>(), 5050, "{rails:?}");
        }
    }
}

/// A rail that receives nothing emits nothing; `ordered` gives the rails'
/// values in the order of their first items.
#[test]
fn reduce_of_fewer_items_than_rails() {
    for rails in Rails::ALL {
        let out = on_rails!(rails, source::range(0..2u64).parallel(4), |p| p
            .map(|x| x + 1)
            .reduce(|a, b| a + b)
            .ordered())
        .blocking_collect()
        .unwrap();
        assert_eq!(out, [1, 2], "{rails:?}");
    }
}

/// Operators chained on the rails, then both merges.
#[test]
fn a_chain_of_rail_operators() {
    let expected: Vec<u64> = (0..300u64)
        .map(|x| x * 7)
        .filter(|x| x % 2 == 0)
        .flat_map(|x| [x, x + 1])
        .collect();
    for rails in Rails::ALL {
        let ordered = on_rails!(rails, source::range(0..300u64).parallel(3), |p| p
            .map(|x| x * 7)
            .filter(|x| x % 2 == 0)
            .flat_map(|x| source::from_iter([x, x + 1]))
            .ordered())
        .blocking_collect()
        .unwrap();
        assert_eq!(ordered, expected, "{rails:?}");
        let sequential = on_rails!(rails, source::range(0..300u64).parallel(3), |p| p
            .map(|x| x * 7)
            .filter(|x| x % 2 == 0)
            .flat_map(|x| source::from_iter([x, x + 1]))
            .sequential())
        .blocking_collect()
        .unwrap();
        assert_eq!(sorted(sequential), sorted(expected.clone()), "{rails:?}");
    }
}
