//! Panics anywhere in user code (issue 10), over every kind of stage.
//!
//! * A raw [`Subscriber`] that panics in `on_next` (§2.13 broken): the stage
//!   that drives it catches the panic at its drain's boundary, drops its
//!   upstream, signals `on_error` of kind `Panic`, drops the subscriber, and
//!   nothing more is emitted. `subscribe` and `request` return normally.
//! * The sweep: every operator that calls user code (a closure, an item's
//!   `Clone`, `PartialEq` or `Hash`) turns a panic in it into `on_error`
//!   downstream and cancels upstream, and is not wedged.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reactive_streams::source::{self, Overflow};
use reactive_streams::{
    BoxPublisher, Error, ErrorKind, Publisher, PublisherExt, Subscriber, Subscription,
    TestSubscriber,
};

use crate::harness::{items_then_error, CancelProbe, WAIT};

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
        assert!(
            !seen.completed.load(Ordering::SeqCst),
            "{name}: no completion"
        );
        assert!(
            seen.dropped.load(Ordering::SeqCst),
            "{name}: subscriber dropped"
        );
    }
}

#[test]
fn a_subscriber_panicking_in_on_next_is_contained_by_sources() {
    assert_contained("range", &|| source::range(0..10u64).boxed());
    assert_contained("range.map.filter", &|| {
        source::range(0..20u64)
            .map(|x| x + 1)
            .filter(|_| true)
            .boxed()
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

// ---- The sweep: user code that panics, in every operator that runs it ----

/// The item at which user code panics.
const BOOM: u64 = 2;

fn boom(x: u64) -> u64 {
    if x == BOOM {
        panic!("user code panicked on {x}");
    }
    x
}

/// Runs `make` over a probed `range(0..100)`: the panic at item [`BOOM`]
/// must reach the subscriber as `on_error` of kind `Panic`, upstream must
/// stop (it had 97 more items), and nothing may follow the error.
fn check_panic_in_user_code(name: &str, make: impl Fn(BoxPublisher<u64>) -> BoxPublisher<u64>) {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::unbounded();
    make(probe.publisher()).subscribe(ts.clone());
    ts.await_terminal(WAIT);
    assert_eq!(
        ts.error().map(|e| e.kind()),
        Some(ErrorKind::Panic),
        "{name}: on_error(Panic), got {:?}",
        ts.error()
    );
    // Cancelled by the operator, or stopped by the source itself when the
    // panic came back through its `on_next` (the pull engine's catch): either
    // way it did not run to its end.
    assert!(
        probe.was_cancelled() || probe.emitted() < 100,
        "{name}: upstream cancelled"
    );
    ts.assert_no_violations();
}

/// The operators that failed a check, so that one run names them all.
#[derive(Default)]
struct Sweep(Vec<String>);

impl Sweep {
    /// Runs one check; a failed assertion, or a panic that escaped the
    /// operator, records `name`.
    fn check(&mut self, name: &str, make: impl Fn(BoxPublisher<u64>) -> BoxPublisher<u64>) {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_panic_in_user_code(name, make)
        }));
        if run.is_err() {
            self.0.push(name.to_owned());
        }
    }

    fn assert_none_failed(self) {
        assert!(self.0.is_empty(), "failed: {:?}", self.0);
    }
}

#[test]
fn sweep_user_closures_that_panic() {
    let mut sweep = Sweep::default();
    sweep.check("map", |up| up.map(boom).boxed());
    sweep.check("filter", |up| up.filter(|&x| boom(x) < 1000).boxed());
    sweep.check("filter_map", |up| up.filter_map(|x| Some(boom(x))).boxed());
    sweep.check("scan", |up| up.scan(0u64, |a, x| a + boom(x)).boxed());
    sweep.check("flat_map_iter", |up| {
        up.flat_map_iter(|x| [boom(x)]).boxed()
    });
    sweep.check("inspect", |up| {
        up.inspect(|&x| {
            boom(x);
        })
        .boxed()
    });
    sweep.check("do_on_next", |up| {
        up.do_on_next(|&x| {
            boom(x);
        })
        .boxed()
    });
    sweep.check("take_while", |up| {
        up.take_while(|&x| boom(x) < 1000).boxed()
    });
    sweep.check("skip_while", |up| {
        up.skip_while(|&x| boom(x) < 1000).boxed()
    });
    sweep.check("reduce", |up| up.reduce(|a, x| a + boom(x)).boxed());
    sweep.check("all", |up| {
        up.all(|&x| boom(x) < 1000).map(u64::from).boxed()
    });
    sweep.check("any", |up| {
        up.any(|&x| boom(x) > 1000).map(u64::from).boxed()
    });
    sweep.check("flat_map", |up| {
        up.flat_map(|x| source::just(boom(x))).boxed()
    });
    sweep.check("concat_map", |up| {
        up.concat_map(|x| source::just(boom(x))).boxed()
    });
    sweep.check("switch_map", |up| {
        up.switch_map(|x| source::just(boom(x))).boxed()
    });
    sweep.check("zip_with", |up| {
        up.zip_with(source::range(0..100u64), |a, b| boom(a) + b)
            .boxed()
    });
    sweep.check("combine_latest", |up| {
        // `just` first: it is the latest of its side when `up` starts.
        source::just(0u64)
            .combine_latest(up, |&a, &b| a + boom(b))
            .boxed()
    });
    sweep.check("with_latest_from", |up| {
        up.with_latest_from(source::just(0u64), |a, &b| boom(a) + b)
            .boxed()
    });
    sweep.check("on_backpressure_reduce", |up| {
        up.on_backpressure_reduce(|a, b| a + b).map(boom).boxed()
    });
    sweep.check("do_on_request", |up| {
        up.do_on_request(|n| {
            boom(if n > 1 { BOOM } else { n });
        })
        .boxed()
    });
    sweep.assert_none_failed();
}

#[test]
fn sweep_error_handlers_that_panic() {
    for (name, make) in [
        (
            "map_err",
            (|up: BoxPublisher<u64>| up.map_err(|_| panic!("map_err")).boxed())
                as fn(BoxPublisher<u64>) -> BoxPublisher<u64>,
        ),
        ("on_error_return", |up| {
            up.on_error_return(|_| panic!("on_error_return")).boxed()
        }),
        ("on_error_resume", |up| {
            up.on_error_resume(|_| -> BoxPublisher<u64> { panic!("on_error_resume") })
                .boxed()
        }),
        ("do_on_error", |up| {
            up.do_on_error(|_| panic!("do_on_error")).boxed()
        }),
    ] {
        let ts = TestSubscriber::unbounded();
        make(items_then_error(3, Error::new("upstream failed"))).subscribe(ts.clone());
        ts.await_terminal(WAIT);
        assert_eq!(
            ts.error().map(|e| e.kind()),
            Some(ErrorKind::Panic),
            "{name}: on_error(Panic)"
        );
        ts.assert_no_violations();
    }
}

/// An item whose `Clone`, `PartialEq` or `Hash` panics at value [`BOOM`],
/// as its flags say. (The multicast stages, where `Clone` runs once per
/// subscriber, have their own tests: `multicast/panicking_clone.rs`.)
#[derive(Debug)]
struct Bomb {
    v: u64,
    clone: bool,
    eq: bool,
    hash: bool,
}

impl Bomb {
    fn armed(self, v: u64) -> Bomb {
        Bomb { v, ..self }
    }
}

impl Clone for Bomb {
    fn clone(&self) -> Self {
        if self.clone && self.v == BOOM {
            panic!("Bomb::clone");
        }
        Bomb { ..*self }
    }
}

impl PartialEq for Bomb {
    fn eq(&self, other: &Self) -> bool {
        if self.eq && (self.v == BOOM || other.v == BOOM) {
            panic!("Bomb::eq");
        }
        self.v == other.v
    }
}

impl Eq for Bomb {}

impl Hash for Bomb {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if self.hash && self.v == BOOM {
            panic!("Bomb::hash");
        }
        // With `eq` armed every item hashes alike, so that a set runs `eq`.
        if !self.eq {
            self.v.hash(state);
        }
    }
}

/// `assert_panic_in_user_code` for operators that run an item's traits:
/// `make` gets the upstream as `Bomb`s armed by `bomb`.
fn check_panic_in_item_traits(
    sweep: &mut Sweep,
    name: &str,
    bomb: Bomb,
    make: impl Fn(BoxPublisher<Bomb>) -> BoxPublisher<Bomb>,
) {
    let template = Arc::new(bomb);
    sweep.check(name, move |up| {
        let template = Arc::clone(&template);
        let bombs = up.map(move |v| Bomb { ..*template }.armed(v)).boxed();
        make(bombs).map(|b| b.v).boxed()
    });
}

#[test]
fn sweep_item_traits_that_panic() {
    let off = Bomb {
        v: 0,
        clone: false,
        eq: false,
        hash: false,
    };
    let clone = Bomb { clone: true, ..off };
    let eq = Bomb { eq: true, ..off };
    let hash = Bomb { hash: true, ..off };
    let mut sweep = Sweep::default();
    check_panic_in_item_traits(&mut sweep, "distinct (Hash)", hash, |up| {
        up.distinct().boxed()
    });
    check_panic_in_item_traits(&mut sweep, "distinct (Clone)", clone.clone(), |up| {
        up.distinct().boxed()
    });
    check_panic_in_item_traits(&mut sweep, "distinct (PartialEq)", eq.clone(), |up| {
        up.distinct().boxed()
    });
    check_panic_in_item_traits(&mut sweep, "distinct_until_changed (PartialEq)", eq, |up| {
        up.distinct_until_changed().boxed()
    });
    check_panic_in_item_traits(
        &mut sweep,
        "distinct_until_changed (Clone)",
        clone.clone(),
        |up| up.distinct_until_changed().boxed(),
    );
    check_panic_in_item_traits(&mut sweep, "combine_latest (Clone)", clone.clone(), |up| {
        source::just(0u64)
            .combine_latest(up, |_, b| b.clone())
            .boxed()
    });
    check_panic_in_item_traits(&mut sweep, "scan (Clone of the accumulator)", clone, |up| {
        up.scan(None::<Bomb>, |_, b| Some(b))
            .filter_map(|b| b)
            .boxed()
    });
    sweep.assert_none_failed();
}
