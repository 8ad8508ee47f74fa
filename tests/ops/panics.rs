//! Panics anywhere in user code (issue 10), over every kind of stage.
//!
//! * A raw [`Subscriber`] that panics in `on_next` (§2.13 broken): the stage
//!   that drives it catches the panic at its drain's boundary, drops its
//!   upstream, signals `on_error` of kind `Panic`, drops the subscriber, and
//!   nothing more is emitted. `subscribe` and `request` return normally.
//! * The sweep: every operator that calls user code (a closure, an item's
//!   `Clone`, `PartialEq` or `Hash`) turns a panic in it into `on_error`
//!   downstream and cancels upstream, and is not wedged.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source::{self, Overflow};
use reactive_streams::{
    ops, BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Subscriber, Subscription,
    TestSubscriber,
};

/// What a [`PanicsOnNext`] subscriber went through.
#[derive(Default)]
struct Seen {
    items: AtomicU64,
    errors: Mutex<Vec<Error>>,
    completed: AtomicBool,
    dropped: AtomicBool,
    subscription: Mutex<Option<Arc<dyn Subscription>>>,
}

/// A raw subscriber that requests `demand` and panics on its third item.
struct PanicsOnNext {
    seen: Arc<Seen>,
    demand: u64,
}

impl Subscriber<u64> for PanicsOnNext {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        *self.seen.subscription.lock().unwrap() = Some(Arc::clone(&subscription));
        subscription.request(self.demand);
    }
    fn on_next(&mut self, _: u64) {
        if self.seen.items.fetch_add(1, Ordering::SeqCst) == 2 {
            panic!("PanicsOnNext: on the third item");
        }
    }
    fn on_error(&mut self, error: Error) {
        self.seen.errors.lock().unwrap().push(error);
    }
    fn on_complete(&mut self) {
        self.seen.completed.store(true, Ordering::SeqCst);
    }
}

impl Drop for PanicsOnNext {
    fn drop(&mut self) {
        self.seen.dropped.store(true, Ordering::SeqCst);
    }
}

/// Subscribes a [`PanicsOnNext`] to `publisher` (unbounded, then again with
/// demand 5 in steps): the panic is contained, the subscriber gets the
/// `Panic` error and is dropped, and a later `request` emits nothing.
fn assert_contained(name: &str, make: &dyn Fn() -> BoxPublisher<u64>) {
    for demand in [u64::MAX, 5] {
        let seen = Arc::new(Seen::default());
        make().subscribe(PanicsOnNext {
            seen: Arc::clone(&seen),
            demand,
        });
        let subscription = seen.subscription.lock().unwrap().take();
        if let Some(subscription) = subscription {
            subscription.request(10); // the stream is over: nothing happens
        }
        assert_eq!(seen.items.load(Ordering::SeqCst), 3, "{name}: items");
        let errors = seen.errors.lock().unwrap();
        assert_eq!(errors.len(), 1, "{name}: one error");
        assert_eq!(errors[0].kind(), ErrorKind::Panic, "{name}: the panic");
        assert!(!seen.completed.load(Ordering::SeqCst), "{name}: no completion");
        assert!(seen.dropped.load(Ordering::SeqCst), "{name}: subscriber dropped");
    }
}

#[test]
fn a_subscriber_panicking_in_on_next_is_contained_by_sources() {
    assert_contained("range", &|| source::range(0..10u64).boxed());
    assert_contained("range.map.filter", &|| {
        source::range(0..20u64).map(|x| x + 1).filter(|_| true).boxed()
    });
    assert_contained("from_iter", &|| source::from_iter(0..10u64).boxed());
    assert_contained("generate", &|| {
        source::generate(
            || 0u64,
            |n: &mut u64, sink: &mut source::GenerateSink<u64>| {
                sink.next(*n);
                *n += 1;
            },
        )
        .boxed()
    });
}

#[test]
fn a_subscriber_panicking_in_on_next_is_contained_by_create() {
    assert_contained("create", &|| {
        source::create(Overflow::Unbounded, |emitter| {
            for i in 0..10u64 {
                if emitter.next(i).is_err() {
                    return;
                }
            }
            emitter.complete();
        })
        .boxed()
    });
}
