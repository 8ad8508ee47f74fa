//! Loom models of the parallel rails: the split's per-rail demand (two rails
//! requesting on two threads while upstream pushes on a third, and upstream
//! completing against a rail's request), and the merges' drain (two rails
//! on two threads feeding `ordered` and `sequential`, completion racing the
//! last items). The recording subscribers flag overlapping signals (§1.3).
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_parallel`

use loom::thread;

use crate::error::Error;
use crate::ops::ParallelPublisher;
use crate::sync::{Arc, Mutex};
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Log, Recorder, Signal};
use crate::traits::{BoxSubscriber, Fused, Publisher, Subscriber, Subscription};
use crate::PublisherExt;

/// A rail's recorder: records the source position of each item.
struct Positions(Recorder);

impl Subscriber<(u64, u64)> for Positions {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        Subscriber::<u64>::on_subscribe(&mut self.0, subscription);
    }
    fn on_next(&mut self, (position, _): (u64, u64)) {
        Subscriber::<u64>::on_next(&mut self.0, position);
    }
    fn on_error(&mut self, error: Error) {
        Subscriber::<u64>::on_error(&mut self.0, error);
    }
    fn on_complete(&mut self) {
        Subscriber::<u64>::on_complete(&mut self.0);
    }
}

/// Splits `upstream` into two rails that request nothing by themselves.
fn split_two(upstream: &Manual<u64>, prefetch: usize) -> (Arc<Log>, Arc<Log>) {
    let (first, first_log) = Recorder::new(0, 0);
    let (second, second_log) = Recorder::new(0, 0);
    upstream
        .clone()
        .parallel_with(2, prefetch)
        .subscribe_rails(vec![Positions(first), Positions(second)], Fused(()));
    (first_log, second_log)
}

#[test]
fn two_rails_request_while_upstream_pushes_and_each_gets_its_demand() {
    loom::model(|| {
        let upstream = Manual::<u64>::new();
        let (first, second) = split_two(&upstream, 2);
        let mut source = upstream.subscriber();
        let (a, b) = (first.subscription(), second.subscription());
        let ta = thread::spawn(move || a.request(1));
        let tb = thread::spawn(move || b.request(1));
        source.on_next(10);
        source.on_next(11);
        ta.join().unwrap();
        tb.join().unwrap();
        // Each rail asked for one: each got exactly one, none twice.
        let (x, y) = (first.items(), second.items());
        assert_eq!((x.len(), y.len()), (1, 1), "{x:?} {y:?}");
        let mut all = [x[0], y[0]];
        all.sort_unstable();
        assert_eq!(all, [0, 1]);
    });
}

#[test]
fn upstream_completes_while_a_rail_requests_and_the_item_comes_first() {
    loom::model(|| {
        let upstream = Manual::<u64>::new();
        let (first, second) = split_two(&upstream, 2);
        let mut source = upstream.subscriber();
        let a = first.subscription();
        let ta = thread::spawn(move || a.request(5));
        source.on_next(10);
        source.on_complete();
        ta.join().unwrap();
        assert_eq!(
            first.signals(),
            [Signal::Subscribe, Signal::Next(0), Signal::Complete]
        );
        assert_eq!(second.signals(), [Signal::Subscribe, Signal::Complete]);
    });
}

/// Two rails the test drives by hand: `subscribe_rails` parks the rails'
/// subscribers, each with a subscription that records nothing.
#[derive(Clone, Default)]
struct ManualRails {
    parked: Arc<Mutex<Vec<BoxSubscriber<(u64, u64)>>>>,
}

struct Ignore;

impl Subscription for Ignore {
    fn request(&self, _: u64) {}
    fn cancel(&self) {}
}

impl ParallelPublisher for ManualRails {
    type Item = u64;

    fn rails(&self) -> usize {
        2
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, _: Fused)
    where
        S: Subscriber<(u64, u64)> + 'static,
    {
        for rail in rails {
            let mut rail: BoxSubscriber<(u64, u64)> = Box::new(rail);
            rail.on_subscribe(Arc::new(Ignore));
            self.parked.lock().push(rail);
        }
    }
}

impl ManualRails {
    fn take(&self) -> (BoxSubscriber<(u64, u64)>, BoxSubscriber<(u64, u64)>) {
        let mut parked = self.parked.lock();
        let second = parked.pop().unwrap();
        let first = parked.pop().unwrap();
        (first, second)
    }
}

#[test]
fn ordered_merges_two_rails_on_two_threads_in_source_order() {
    three_threads(|| {
        let rails = ManualRails::default();
        let (recorder, log) = Recorder::new(0, 0);
        rails.clone().ordered_with(2).subscribe(recorder);
        let (mut a, mut b) = rails.take();
        let ta = thread::spawn(move || {
            a.on_next((0, 10));
            a.on_next((2, 12));
            a.on_complete();
        });
        let tb = thread::spawn(move || {
            b.on_next((1, 11));
            b.on_complete();
        });
        log.subscription().request(3);
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(10),
                Signal::Next(11),
                Signal::Next(12),
                Signal::Complete
            ]
        );
    });
}

#[test]
fn sequential_merges_two_rails_and_none_is_stranded() {
    three_threads(|| {
        let rails = ManualRails::default();
        let (recorder, log) = Recorder::new(0, 0);
        rails.clone().sequential_with(2).subscribe(recorder);
        let (mut a, mut b) = rails.take();
        let ta = thread::spawn(move || {
            a.on_next((0, 10));
            a.on_complete();
        });
        let tb = thread::spawn(move || {
            b.on_next((1, 11));
            b.on_complete();
        });
        log.subscription().request(2);
        ta.join().unwrap();
        tb.join().unwrap();
        let signals = log.signals();
        assert_eq!(signals.last(), Some(&Signal::Complete), "{signals:?}");
        let mut items = log.items();
        items.sort_unstable();
        assert_eq!(items, [10, 11]);
    });
}

/// Runs a model of three threads (two rails and the requester) with at most
/// two preemptions, so that CI can afford them: at CI's three they take
/// about 12 minutes each (run them at three by hand after changing the merge).
fn three_threads(model: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(builder.preemption_bound.map_or(2, |bound| bound.min(2)));
    builder.check(model);
}
