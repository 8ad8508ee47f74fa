//! `Paced`: a hot source that happens to keep pace with its end subscriber.
//!
//! The backpressure operators request without bound upstream, so a cold
//! synchronous source emits everything into them at once, and dropping
//! operators drop most of it. To check such an operator where nothing should
//! be dropped (the TCK, the shared scenarios), `Paced` puts it behind a `create`
//! source that emits `0..n` only as fast as the *end* subscriber requests: it
//! watches the requests the subscriber makes to the operator, and emits one
//! item per unit of demand, from a loop that a request made inside `on_next`
//! only adds to (so recursion stays bounded, §3.3).
//!
//! [`lockstep`] is stricter, for the timed lossy operators (`debounce`,
//! `sample`, `throttle_last`), which merge items that come close together:
//! it emits the next item only once the one before reached the end
//! subscriber.
//!
//! Used by `tests/ops` and, through `#[path]`, by `tests/tck`.
#![allow(dead_code)] // each test binary uses part of it

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A publisher of what `make` makes of `0..n`: `make` applied to a hot
/// source paced by the end subscriber's demand.
pub(crate) struct Paced<F> {
    n: u64,
    make: Arc<F>,
    lockstep: bool,
}

/// `make(hot source of 0..n)`, the source paced by the end subscriber.
pub(crate) fn paced<T, F, P>(n: u64, make: F) -> BoxPublisher<T>
where
    T: Send + 'static,
    F: Fn(BoxPublisher<u64>) -> P + Send + Sync + 'static,
    P: Publisher<Item = T> + 'static,
{
    Paced {
        n,
        make: Arc::new(make),
        lockstep: false,
    }
    .boxed()
}

/// As [`paced`], and the next item is emitted only once the end subscriber
/// received the one before: no two items are ever in flight.
pub(crate) fn lockstep<T, F, P>(n: u64, make: F) -> BoxPublisher<T>
where
    T: Send + 'static,
    F: Fn(BoxPublisher<u64>) -> P + Send + Sync + 'static,
    P: Publisher<Item = T> + 'static,
{
    Paced {
        n,
        make: Arc::new(make),
        lockstep: true,
    }
    .boxed()
}

impl<T, F, P> Publisher for Paced<F>
where
    T: Send + 'static,
    F: Fn(BoxPublisher<u64>) -> P + Send + Sync + 'static,
    P: Publisher<Item = T> + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let slot: Arc<Mutex<Option<Emitter<u64>>>> = Arc::new(Mutex::new(None));
        let stash = Arc::clone(&slot);
        let hot = source::create(Overflow::Unbounded, move |emitter| {
            *lock(&stash) = Some(emitter);
        })
        .boxed();
        let pacer = Arc::new(Pacer {
            emitter: slot,
            state: Mutex::new(PacerState {
                next: 0,
                end: self.n,
                pending: 0,
                emitting: false,
                completed: false,
                lockstep: self.lockstep,
                in_flight: false,
            }),
        });
        (self.make)(hot).subscribe(PacedSubscriber {
            downstream: subscriber,
            pacer: Arc::clone(&pacer),
        });
        // Serves a request made inside on_subscribe, before the emitter
        // existed; completes an empty stream.
        pacer.pump();
    }
}

struct Pacer {
    emitter: Arc<Mutex<Option<Emitter<u64>>>>,
    state: Mutex<PacerState>,
}

struct PacerState {
    next: u64,
    end: u64,
    /// Requested by the end subscriber and not yet emitted.
    pending: u64,
    /// A pump loop is running (on some thread): others only add demand.
    emitting: bool,
    completed: bool,
    /// One item at a time: wait for `in_flight` to clear.
    lockstep: bool,
    /// Emitted, not yet received by the end subscriber (lockstep only).
    in_flight: bool,
}

impl Pacer {
    fn request(&self, n: u64) {
        {
            let mut state = lock(&self.state);
            state.pending = state.pending.saturating_add(n);
        }
        self.pump();
    }

    fn pump(&self) {
        let Some(emitter) = lock(&self.emitter).clone() else {
            return;
        };
        loop {
            let item = {
                let mut state = lock(&self.state);
                if state.emitting || state.in_flight {
                    return;
                }
                if state.next == state.end {
                    if !state.completed {
                        state.completed = true;
                        drop(state);
                        emitter.complete();
                    }
                    return;
                }
                if state.pending == 0 || emitter.is_cancelled() {
                    return;
                }
                state.pending -= 1;
                state.emitting = true;
                state.in_flight = state.lockstep;
                state.next += 1;
                state.next - 1
            };
            let sent = emitter.next(item);
            lock(&self.state).emitting = false;
            if sent.is_err() {
                return;
            }
        }
    }
}

struct PacedSubscriber<S> {
    downstream: S,
    pacer: Arc<Pacer>,
}

struct PacedSubscription {
    inner: Arc<dyn Subscription>,
    pacer: Arc<Pacer>,
}

impl Subscription for PacedSubscription {
    fn request(&self, n: u64) {
        // The operator first, so the demand is in place when the item comes.
        self.inner.request(n);
        if n > 0 {
            self.pacer.request(n);
        }
    }

    fn cancel(&self) {
        self.inner.cancel();
    }
}

impl Pacer {
    /// The end subscriber received an item: in lockstep, the next may go.
    fn delivered(&self) {
        let lockstep = {
            let mut state = lock(&self.state);
            state.in_flight = false;
            state.lockstep
        };
        if lockstep {
            self.pump();
        }
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for PacedSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(PacedSubscription {
            inner: subscription,
            pacer: Arc::clone(&self.pacer),
        }));
    }

    fn on_next(&mut self, item: T) {
        self.downstream.on_next(item);
        self.pacer.delivered();
    }

    fn try_on_next(&mut self, item: T) -> bool {
        let accepted = self.downstream.try_on_next(item);
        self.pacer.delivered();
        accepted
    }

    fn on_error(&mut self, error: Error) {
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.downstream.on_complete();
    }
}
