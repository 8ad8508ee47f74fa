use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Subscriber, Subscription, TestSubscriber,
};

use crate::harness::*;

/// `x` copies of `x`.
fn repeat_self(x: u64) -> Vec<u64> {
    vec![x; x as usize]
}

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..5u64).flat_map_iter(repeat_self).boxed(),
        &[1, 2, 2, 3, 3, 3, 4, 4, 4, 4],
    );
}

#[test]
fn empty_iterables_are_skipped() {
    assert_emits(
        || {
            source::range(0..8u64)
                .flat_map_iter(|x| if x % 3 == 0 { None } else { Some(x) })
                .boxed()
        },
        &[1, 2, 4, 5, 7],
    );
    assert_emits(
        || {
            source::range(0..50u64)
                .flat_map_iter(|_| Vec::<u64>::new())
                .boxed()
        },
        &[],
    );
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.flat_map_iter(|x| [x, x]).boxed(),
        &[0, 0, 1, 1, 2, 2],
    );
}

#[test]
fn an_error_drops_the_rest_of_the_current_iterator() {
    // Upstream emits 0, then fails once the test says so; the iterator for 0
    // still holds two items then, and the error goes first.
    let error = Error::new("upstream failed");
    let go = Arc::new(AtomicBool::new(false));
    let (failure, signal) = (error.clone(), Arc::clone(&go));
    let upstream = source::create(source::Overflow::Buffer(4), move |emitter| {
        let (failure, signal) = (failure.clone(), Arc::clone(&signal));
        std::thread::spawn(move || {
            let _ = emitter.next(0u64);
            while !signal.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            emitter.error(failure);
        });
    });
    let ts = TestSubscriber::new(1);
    upstream
        .flat_map_iter(|x| [x, x + 1, x + 2])
        .subscribe(ts.clone());
    ts.await_count(1, WAIT);
    go.store(true, Ordering::SeqCst);
    ts.await_terminal(WAIT).assert_values(&[0]);
    assert!(ts.error().expect("the error").ptr_eq(&error));
    ts.request(5);
    ts.assert_values(&[0]).assert_no_violations();
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.flat_map_iter(|x| [panic_on_2(x)]).boxed());
}

#[test]
fn panic_in_the_iterator_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| {
        up.flat_map_iter(|x| (0..3u64).map(move |i| if i == 1 { panic_on_2(x) } else { x }))
            .boxed()
    });
}

#[test]
fn asks_upstream_for_one_item_only_when_the_iterator_is_exhausted() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::new(4);
    probe
        .publisher()
        .flat_map_iter(|x| [x; 3])
        .subscribe(ts.clone());
    ts.assert_values(&[0, 0, 0, 1]);
    assert_eq!(probe.requests(), [1, 1]);
    // The iterator of 1 still holds two items: no request upstream.
    ts.request(2);
    ts.assert_values(&[0, 0, 0, 1, 1, 1]);
    assert_eq!(probe.requests(), [1, 1]);
    ts.request(1);
    ts.assert_values(&[0, 0, 0, 1, 1, 1, 2]);
    assert_eq!(probe.requests(), [1, 1, 1]);
}

#[test]
fn completes_right_after_the_last_item_without_more_demand() {
    let ts = TestSubscriber::new(2);
    source::just(7u64)
        .flat_map_iter(|x| [x, x])
        .subscribe(ts.clone());
    ts.assert_values(&[7, 7]).assert_complete();
}

#[test]
fn items_rejected_downstream_cost_no_demand() {
    let ts = TestSubscriber::new(2);
    source::range(0..3u64)
        .flat_map_iter(|x| 0..10 * (x + 1))
        .filter(|x| x % 7 == 6)
        .subscribe(ts.clone());
    ts.assert_values(&[6, 6]);
    assert_eq!(ts.requests(), [2]);
}

#[test]
fn works_with_an_asynchronous_upstream() {
    let ts = TestSubscriber::new(0);
    let upstream = source::create(source::Overflow::Buffer(4), |emitter| {
        std::thread::spawn(move || {
            for i in 1..5u64 {
                let mut item = i;
                while let Err(source::EmitError::Full(back)) = emitter.next(item) {
                    item = back;
                    std::thread::yield_now();
                }
            }
            emitter.complete();
        });
    });
    upstream.flat_map_iter(repeat_self).subscribe(ts.clone());
    for _ in 0..10 {
        ts.request(1);
    }
    ts.await_terminal(WAIT)
        .assert_values(&[1, 2, 2, 3, 3, 3, 4, 4, 4, 4])
        .assert_complete()
        .assert_no_violations();
}

#[test]
fn cancel_drops_the_current_iterator() {
    struct Flagged(Arc<AtomicBool>, std::ops::Range<u64>);
    impl Iterator for Flagged {
        type Item = u64;
        fn next(&mut self) -> Option<u64> {
            self.1.next()
        }
    }
    impl Drop for Flagged {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&dropped);
    let ts = TestSubscriber::new(2);
    source::just(0u64)
        .flat_map_iter(move |_| Flagged(Arc::clone(&flag), 0..100))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]);
    assert!(!dropped.load(Ordering::SeqCst));
    ts.cancel();
    assert!(
        dropped.load(Ordering::SeqCst),
        "the iterator outlived the cancel"
    );
}

#[test]
fn an_upstream_that_ignores_demand_gets_an_overflow_error() {
    /// Emits two items for every request, whatever was asked.
    struct Greedy;
    struct GreedySubscription(Mutex<Option<Box<dyn Subscriber<u64>>>>);
    impl Subscription for GreedySubscription {
        fn request(&self, _n: u64) {
            let taken = self.0.lock().unwrap().take();
            if let Some(mut subscriber) = taken {
                subscriber.on_next(1);
                subscriber.on_next(2);
                *self.0.lock().unwrap() = Some(subscriber);
            }
        }
        fn cancel(&self) {
            self.0.lock().unwrap().take();
        }
    }
    impl Publisher for Greedy {
        type Item = u64;
        fn subscribe<S: Subscriber<u64> + 'static>(&self, subscriber: S) {
            let subscription = Arc::new(GreedySubscription(Mutex::new(None)));
            let mut subscriber: Box<dyn Subscriber<u64>> = Box::new(subscriber);
            subscriber.on_subscribe(Arc::clone(&subscription) as Arc<dyn Subscription>);
            *subscription.0.lock().unwrap() = Some(subscriber);
        }
    }
    let ts = TestSubscriber::new(0);
    Greedy.flat_map_iter(|x| [x]).subscribe(ts.clone());
    ts.request(1);
    // The error is delivered at once; the item in hand may go with it.
    ts.assert_error_kind(ErrorKind::Overflow);
    assert!(ts.item_count() <= 1);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::flat_map`, under random demand.
    #[test]
    fn matches_iterator_flat_map(items in proptest::collection::vec(0u64..5, 0..30), schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().flat_map(repeat_self).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).flat_map_iter(repeat_self).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
