//! A subscriber that keeps every `Delivery` (so the test can settle them)
//! and lets the test request and wait.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::{Error, Publisher, Subscriber, Subscription};
use reactive_streams_nats::Delivery;

#[derive(Default)]
struct State<T> {
    deliveries: Vec<Delivery<T>>,
    subscription: Option<Arc<dyn Subscription>>,
    error: Option<Error>,
    complete: bool,
}

/// Shared between the test and the subscriber it hands to a source.
pub(crate) struct Collector<T> {
    state: Arc<(Mutex<State<T>>, Condvar)>,
    initial: u64,
}

impl<T> Clone for Collector<T> {
    fn clone(&self) -> Self {
        Collector {
            state: self.state.clone(),
            initial: self.initial,
        }
    }
}

impl<T: Send + 'static> Collector<T> {
    pub(crate) fn new(initial: u64) -> Collector<T> {
        Collector {
            state: Arc::new((
                Mutex::new(State {
                    deliveries: Vec::new(),
                    subscription: None,
                    error: None,
                    complete: false,
                }),
                Condvar::new(),
            )),
            initial,
        }
    }

    /// A collector that requests `initial` at first, subscribed to `source`.
    pub(crate) fn subscribed(
        source: &impl Publisher<Item = Delivery<T>>,
        initial: u64,
    ) -> Collector<T> {
        let collector = Collector::new(initial);
        source.subscribe(collector.clone());
        collector
    }

    pub(crate) fn request(&self, n: u64) {
        let subscription = self.state.0.lock().unwrap().subscription.clone();
        subscription.expect("subscribed").request(n);
    }

    pub(crate) fn cancel(&self) {
        let subscription = self.state.0.lock().unwrap().subscription.clone();
        subscription.expect("subscribed").cancel();
    }

    /// Waits until `n` deliveries arrived (panics after 30 s).
    pub(crate) fn wait_len(&self, n: usize) {
        self.wait_until(
            |s| s.deliveries.len() >= n || s.error.is_some(),
            &format!("{n} deliveries"),
        );
        assert!(self.error().is_none(), "failed: {:?}", self.error());
    }

    /// Waits for on_complete or on_error.
    pub(crate) fn wait_terminal(&self) {
        self.wait_until(|s| s.complete || s.error.is_some(), "a terminal signal");
    }

    fn wait_until(&self, done: impl Fn(&State<T>) -> bool, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let (lock, cvar) = &*self.state;
        let mut state = lock.lock().unwrap();
        while !done(&state) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; got {}",
                state.deliveries.len()
            );
            state = cvar.wait_timeout(state, left).unwrap().0;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.state.0.lock().unwrap().deliveries.len()
    }

    pub(crate) fn error(&self) -> Option<Error> {
        self.state.0.lock().unwrap().error.clone()
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.state.0.lock().unwrap().complete
    }

    /// Runs `f` over the deliveries so far.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&[Delivery<T>]) -> R) -> R {
        f(&self.state.0.lock().unwrap().deliveries)
    }

    /// Takes the deliveries so far out (dropping them later leaves any
    /// unsettled one to the server's ack_wait).
    pub(crate) fn take(&self) -> Vec<Delivery<T>> {
        std::mem::take(&mut self.state.0.lock().unwrap().deliveries)
    }
}

impl<T: Send + 'static> Subscriber<Delivery<T>> for Collector<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.state.0.lock().unwrap().subscription = Some(subscription.clone());
        if self.initial > 0 {
            subscription.request(self.initial);
        }
    }

    fn on_next(&mut self, item: Delivery<T>) {
        self.state.0.lock().unwrap().deliveries.push(item);
        self.state.1.notify_all();
    }

    fn on_error(&mut self, error: Error) {
        self.state.0.lock().unwrap().error = Some(error);
        self.state.1.notify_all();
    }

    fn on_complete(&mut self) {
        self.state.0.lock().unwrap().complete = true;
        self.state.1.notify_all();
    }
}
