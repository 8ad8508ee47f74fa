use std::sync::{Arc, Mutex};

use reactive_streams::author::Replenish;
use reactive_streams::{Error, Subscriber, Subscription};

/// Where batches go: a database's bulk insert, a file, a socket.
pub trait Sink<T>: Send + 'static {
    /// Writes one batch; an error stops the stream.
    fn write(&mut self, batch: Vec<T>) -> Result<(), Error>;
}

/// How the stream ended, once it has: shared with whoever waits on it.
pub type Outcome = Arc<Mutex<Option<Result<(), Error>>>>;

/// Collects items into batches of `size` and writes each full batch (and the
/// rest at the end) to a [`Sink`], with at most `2 * size` items requested at
/// a time. If the sink fails, it cancels upstream and keeps the error.
pub struct Batcher<T, K> {
    sink: K,
    size: usize,
    batch: Vec<T>,
    replenish: Replenish,
    upstream: Option<Arc<dyn Subscription>>,
    /// Finished: by upstream's terminal signal, or by our own cancel.
    done: bool,
    /// How the stream ended, for whoever waits on it.
    outcome: Outcome,
}

impl<T, K: Sink<T>> Batcher<T, K> {
    /// A batcher writing batches of `size` (at least 1) to `sink`, and a
    /// handle on how the stream ended.
    pub fn new(sink: K, size: usize) -> (Self, Outcome) {
        let size = size.max(1);
        let outcome: Outcome = Arc::new(Mutex::new(None));
        let batcher = Batcher {
            sink,
            size,
            batch: Vec::with_capacity(size),
            replenish: Replenish::new(2 * size as u64),
            upstream: None,
            done: false,
            outcome: Arc::clone(&outcome),
        };
        (batcher, outcome)
    }

    fn finish(&mut self, outcome: Result<(), Error>) {
        // §2.4 / §3.13: we are done with upstream; drop it, and what we hold.
        self.done = true;
        self.upstream = None;
        self.batch = Vec::new();
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
    }
}

impl<T: Send + 'static, K: Sink<T>> Subscriber<T> for Batcher<T, K> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.upstream.is_some() || self.done {
            subscription.cancel(); // §2.5: one subscription only
            return;
        }
        // §2.1: ask for something, or nothing ever comes.
        subscription.request(self.replenish.prefetch());
        self.upstream = Some(subscription);
    }

    fn on_next(&mut self, item: T) {
        if self.done {
            return; // cancelled: items in flight may still arrive (§2.8)
        }
        self.batch.push(item);
        if self.batch.len() == self.size {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.size));
            if let Err(error) = self.sink.write(batch) {
                // §2.13 forbids panicking or returning the error to upstream:
                // cancel, and keep it for our owner.
                if let Some(upstream) = self.upstream.take() {
                    upstream.cancel();
                }
                return self.finish(Err(error));
            }
        }
        // Count the item as consumed only once we are done with it.
        if let Some(n) = self.replenish.consumed_one() {
            if let Some(upstream) = &self.upstream {
                upstream.request(n);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        // §2.3: no calls on the subscription from here.
        if !self.done {
            self.finish(Err(error));
        }
    }

    fn on_complete(&mut self) {
        if self.done {
            return; // after our own cancel: the outcome is already set
        }
        let rest = std::mem::take(&mut self.batch);
        let outcome = if rest.is_empty() {
            Ok(())
        } else {
            self.sink.write(rest)
        };
        self.finish(outcome);
    }
}
