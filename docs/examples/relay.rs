use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

use reactive_streams::author::{subscribe_pull, Pull, Replenish, Step};
use reactive_streams::{source, Error, Publisher, Subscriber, Subscription};

/// An identity processor: subscribe it to an upstream and one subscriber
/// to it, in either order; items pass through a buffer of `capacity` that
/// the relay keeps topped up from upstream (the 75% rule), so a slow
/// subscriber slows upstream down. A second subscriber is refused (§1.9).
///
/// The relay is a handle: clones share one stream.
pub struct Relay<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Relay<T> {
    fn clone(&self) -> Self {
        Relay {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<T> {
    state: Mutex<State<T>>,
}

struct State<T> {
    queue: VecDeque<T>,
    /// Upstream's terminal signal, delivered after the queued items.
    end: Option<Result<(), Error>>,
    upstream: Option<Arc<dyn Subscription>>,
    replenish: Replenish,
    /// The downstream emitter's waker, once a subscriber arrived.
    waker: Option<Waker>,
    subscribed: bool,
    /// The subscriber cancelled (or the stream ended): upstream is not wanted.
    closed: bool,
}

impl<T: Send + 'static> Relay<T> {
    /// A relay that buffers up to `capacity` (at least 1) items.
    pub fn new(capacity: usize) -> Self {
        Relay {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    end: None,
                    upstream: None,
                    replenish: Replenish::new(capacity as u64),
                    waker: None,
                    subscribed: false,
                    closed: false,
                }),
            }),
        }
    }
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Our code never panics while holding the lock.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Wakes the emitter, if there is one. Never called with the lock held:
    /// waking may emit at once, and the emitter's pull takes the lock.
    fn wake(waker: Option<Waker>) {
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The upstream side: record, then wake the emitter.
impl<T: Send + 'static> Subscriber<T> for Relay<T> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let mut state = self.shared.lock();
        if state.upstream.is_some() || state.closed || state.end.is_some() {
            drop(state);
            subscription.cancel(); // §2.5: one upstream at a time
            return;
        }
        let prefetch = state.replenish.prefetch();
        state.upstream = Some(Arc::clone(&subscription));
        drop(state);
        subscription.request(prefetch); // outside the lock: it may emit at once
    }

    fn on_next(&mut self, item: T) {
        let mut state = self.shared.lock();
        if state.closed {
            return; // cancelled meanwhile: drop the item
        }
        state.queue.push_back(item);
        let waker = state.waker.clone();
        drop(state);
        Shared::<T>::wake(waker);
    }

    fn on_error(&mut self, error: Error) {
        self.end(Err(error));
    }

    fn on_complete(&mut self) {
        self.end(Ok(()));
    }
}

impl<T> Relay<T> {
    fn end(&self, end: Result<(), Error>) {
        let mut state = self.shared.lock();
        if state.end.is_some() {
            return;
        }
        state.end = Some(end);
        state.upstream = None; // §2.4: upstream is done
        let waker = state.waker.clone();
        drop(state);
        Shared::<T>::wake(waker);
    }
}

/// The downstream side: one subscriber, served by the emitter.
impl<T: Send + 'static> Publisher for Relay<T> {
    type Item = T;

    fn subscribe<S: Subscriber<T> + 'static>(&self, subscriber: S) {
        let mut state = self.shared.lock();
        if state.subscribed {
            drop(state);
            let refusal = Error::new("Relay: a second subscriber (§1.9: one at a time)");
            return source::error(refusal).subscribe(subscriber);
        }
        state.subscribed = true;
        drop(state);
        let pull = RelayPull {
            shared: Arc::clone(&self.shared),
        };
        subscribe_pull(pull, subscriber);
    }
}

/// The emitter's view of the buffer.
struct RelayPull<T> {
    shared: Arc<Shared<T>>,
}

impl<T: Send + 'static> Pull for RelayPull<T> {
    type Item = T;

    fn next(&mut self) -> Step<T> {
        let mut state = self.shared.lock();
        match state.queue.pop_front() {
            Some(item) => {
                // Consumed: top upstream up at 75% (outside the lock).
                let more = state.replenish.consumed_one();
                let upstream = state.upstream.clone();
                drop(state);
                if let (Some(n), Some(upstream)) = (more, upstream) {
                    upstream.request(n);
                }
                Step::Next(item)
            }
            None => match state.end.take() {
                Some(end) => Step::End(end),
                None => Step::Pending, // on_next will wake us
            },
        }
    }

    fn finished(&mut self) -> Option<Result<(), Error>> {
        let mut state = self.shared.lock();
        if state.queue.is_empty() {
            state.end.take()
        } else {
            None
        }
    }

    fn wants_waker(&self) -> bool {
        true
    }

    fn set_waker(&mut self, waker: Waker) {
        self.shared.lock().waker = Some(waker);
    }
}

/// The emitter drops the pull on cancel and at the end (§3.13): stop
/// upstream, free the buffer, and let go of the waker (which holds the
/// emitter, and with it the subscriber).
impl<T> Drop for RelayPull<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closed = true;
        let upstream = state.upstream.take();
        let queue = std::mem::take(&mut state.queue);
        let waker = state.waker.take();
        drop(state);
        drop((queue, waker));
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
    }
}
