//! Loom: concurrent `request`s saturate, never wrap, never lose an increment.

use crate::author::{Demand, UNBOUNDED};
use crate::sync::Arc;

#[test]
fn concurrent_requests_add_up_exactly() {
    loom::model(|| {
        let demand = Arc::new(Demand::new());
        let d = Arc::clone(&demand);
        let t = loom::thread::spawn(move || {
            d.add(2);
        });
        demand.add(3);
        t.join().unwrap();
        assert_eq!(demand.get(), 5);
    });
}

#[test]
fn concurrent_requests_saturate_at_unbounded() {
    loom::model(|| {
        let demand = Arc::new(Demand::new());
        let d = Arc::clone(&demand);
        let t = loom::thread::spawn(move || {
            d.add(UNBOUNDED - 1);
        });
        demand.add(UNBOUNDED - 1);
        t.join().unwrap();
        assert_eq!(demand.get(), UNBOUNDED);
        assert!(!demand.is_cancelled());
    });
}

#[test]
fn produced_racing_a_request_loses_nothing() {
    loom::model(|| {
        let demand = Arc::new(Demand::new());
        demand.add(2);
        let d = Arc::clone(&demand);
        let t = loom::thread::spawn(move || {
            d.add(3);
        });
        let left = demand.produced(2);
        t.join().unwrap();
        assert!(left == 0 || left == 3, "left {left}");
        assert_eq!(demand.get(), 3);
    });
}

#[test]
fn cancel_racing_a_request_freezes_the_count() {
    loom::model(|| {
        let demand = Arc::new(Demand::new());
        let d = Arc::clone(&demand);
        let t = loom::thread::spawn(move || {
            d.add(4);
        });
        assert!(demand.cancel());
        t.join().unwrap();
        assert!(demand.is_cancelled());
        assert_eq!(demand.get(), 0);
        assert!(!demand.cancel());
    });
}
