//! Loom models of `concat`: the arbiter's demand carried across a switch
//! while `request` and `cancel` race it, and the trampoline when a source
//! completes on another thread while its `subscribe` is still running.
//!
//! Run with:
//! `CARGO_TARGET_DIR=target/loom RUSTFLAGS="--cfg reactive_streams_loom -C debug_assertions"
//! LOOM_MAX_PREEMPTIONS=3 cargo test --release --lib loom_concat`

use loom::thread;

use crate::ops::concat;
use crate::sync::{Arc, Mutex};
use crate::tests::manual_source::Manual;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::{Publisher, Subscriber, Subscription};

#[test]
fn request_races_the_switch_and_the_next_source_gets_what_is_left() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(1, 0);
        concat([first.clone(), second.clone()]).subscribe(recorder);
        assert_eq!(first.requested(), 1);
        let mut upstream = first.subscriber();
        let a = thread::spawn(move || {
            upstream.on_next(10);
            upstream.on_complete(); // the switch, on this thread
        });
        let subscription = log.subscription();
        let b = thread::spawn(move || subscription.request(1));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(log.items(), [10]);
        // Two requested, one delivered by the first: the second is asked for
        // exactly one, whether the request came before the switch (and was
        // carried over) or after (and went to it directly).
        assert_eq!(second.subscribed(), 1);
        assert_eq!(second.requested(), 1);
        let mut upstream = second.subscriber();
        upstream.on_next(20);
        upstream.on_complete();
        assert_eq!(
            log.signals(),
            [
                Signal::Subscribe,
                Signal::Next(10),
                Signal::Next(20),
                Signal::Complete
            ]
        );
    });
}

#[test]
fn cancel_races_the_switch_and_nothing_is_left_running() {
    loom::model(|| {
        let first = Manual::<u64>::new();
        let second = Manual::<u64>::new();
        let (recorder, log) = Recorder::new(2, 0);
        concat([first.clone(), second.clone()]).subscribe(recorder);
        let mut upstream = first.subscriber();
        let a = thread::spawn(move || {
            upstream.on_next(10);
            upstream.on_complete();
        });
        let subscription = log.subscription();
        let b = thread::spawn(move || subscription.cancel());
        a.join().unwrap();
        b.join().unwrap();
        // The second source is either never subscribed or cancelled.
        assert!(second.subscribed() == 0 || second.is_cancelled());
        let signals = log.signals();
        assert!(!signals.contains(&Signal::Complete), "{signals:?}");
        assert!(log.items().len() <= 1);
    });
}

/// A source that completes from a thread of its own, spawned inside
/// `subscribe`: its completion races the rest of the `subscribe` call.
struct CompletesOnAThread {
    threads: Arc<Mutex<Vec<thread::JoinHandle<()>>>>,
}

struct Nothing;

impl Subscription for Nothing {
    fn request(&self, _: u64) {}
    fn cancel(&self) {}
}

impl Publisher for CompletesOnAThread {
    type Item = u64;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<u64> + 'static,
    {
        subscriber.on_subscribe(Arc::new(Nothing));
        let handle = thread::spawn(move || subscriber.on_complete());
        self.threads.lock().push(handle);
    }
}

#[test]
fn a_completion_on_another_thread_during_subscribe_moves_on_once() {
    loom::model(|| {
        let threads = Arc::new(Mutex::new(Vec::new()));
        let source = || CompletesOnAThread {
            threads: Arc::clone(&threads),
        };
        let (recorder, log) = Recorder::new(1, 0);
        concat([source(), source()]).subscribe(recorder);
        // Join the completing threads until none is left (the second source
        // may be subscribed by the first one's thread).
        loop {
            let next = threads.lock().pop();
            match next {
                Some(handle) => handle.join().unwrap(),
                None => break,
            }
        }
        assert_eq!(log.signals(), [Signal::Subscribe, Signal::Complete]);
    });
}
