//! Loom models of the `CancelHandle` state machine shared with
//! `LambdaSubscriber` (races 1 and 2 in `subscriber/cancel_handle.rs`).

use loom::thread;

use crate::subscriber::LambdaSubscriber;
use crate::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// Counts the calls it receives.
#[derive(Default)]
struct Probe {
    requests: AtomicUsize,
    cancels: AtomicUsize,
}

impl Subscription for Probe {
    fn request(&self, _: u64) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    fn cancel(&self) {
        self.cancels.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn loom_cancel_races_on_subscribe() {
    loom::model(|| {
        let probe = Arc::new(Probe::default());
        let mut subscriber = LambdaSubscriber::new(|_: u8| {});
        let handle = subscriber.handle();
        let canceller = thread::spawn(move || handle.cancel());
        subscriber.on_subscribe(Arc::clone(&probe) as Arc<dyn Subscription>);
        canceller.join().unwrap();
        // Cancelled exactly once, whoever came first.
        assert_eq!(probe.cancels.load(Ordering::Relaxed), 1);
        assert!(subscriber.handle().is_cancelled());
    });
}

#[test]
fn loom_cancel_races_on_complete() {
    loom::model(|| {
        let probe = Arc::new(Probe::default());
        let completed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&completed);
        let mut subscriber = LambdaSubscriber::new(|_: u8| {})
            .with_complete(move || flag.store(true, Ordering::Relaxed));
        let handle = subscriber.handle();
        subscriber.on_subscribe(Arc::clone(&probe) as Arc<dyn Subscription>);
        let canceller = thread::spawn({
            let handle = handle.clone();
            move || handle.cancel()
        });
        Subscriber::on_complete(&mut subscriber); // not the builder method
        canceller.join().unwrap();
        // Exactly one wins: the completion callback, or the cancel.
        let cancelled = handle.is_cancelled();
        assert_ne!(completed.load(Ordering::Relaxed), cancelled);
        assert_eq!(
            probe.cancels.load(Ordering::Relaxed),
            usize::from(cancelled)
        );
        assert!(handle.is_terminated());
    });
}
