//! `with_latest_from`: each item of the main publisher, combined with the
//! latest item of another.
//!
//! The other publisher is subscribed first, with unbounded demand; its items
//! only replace the latest value. Each main item is combined with that
//! latest value by the function (the main item by value, the latest by
//! reference, so the other's items need not be `Clone`). A main item that
//! arrives before the other has emitted anything is dropped.
//!
//! The stream ends with the main publisher. It also ends when the other
//! fails, or completes without having emitted anything (no main item could
//! ever be combined); when the other completes after emitting, its last item
//! stays the latest for good (Reactor's `Flux.withLatestFrom`).
//!
//! # Demand
//!
//! Downstream's requests go to the main publisher one for one. A dropped main
//! item is replaced without a request when the main publisher emits through
//! [`try_on_next`](crate::Subscriber::try_on_next) (every synchronous source
//! and operator of this crate does), otherwise with a `request(1)`. The other
//! publisher is asked for [`UNBOUNDED`](crate::UNBOUNDED) items at once.
//! Threads: items go downstream on the main publisher's thread; a terminal
//! signal caused by the other publisher, on the other's.
//!
//! # Implementation notes
//!
//! ## State
//! `main`, `other`: each source's upstream [`Arbiter`]. Downstream requests
//! made before the main publisher's `on_subscribe` wait in `main`.
//! `latest: Mutex<Option<Arc<U>>>`: the other's latest item.
//! `end: Mutex<Ending>`: a terminal signal waiting for delivery (from either
//! source, a panic, or a cancel), and whether one was ever recorded.
//! `drain: Drain<Option<S>>`: the downstream; `None` once terminated or
//! cancelled (§3.13).
//!
//! ## Field access rules
//! 1. The downstream: the drainer only (`drain.rs`). `subscribe` enters the
//!    drain for `on_subscribe`, before either source is subscribed, so
//!    nothing can reach downstream before it (§1.9).
//! 2. Main items enter the drain to go downstream. The only other signals
//!    that enter it are terminal ones (and `cancel`): when a main item finds
//!    the drain taken, the stream is ending on another thread, and the item
//!    is dropped with it. (Two main items never race: the main publisher's
//!    signals are serial, §1.3.)
//! 3. `latest` and `end`: under their locks; no user code runs under them
//!    (the latest item is wrapped in its `Arc` before, replaced ones dropped
//!    after).
//!
//! ## Races considered
//! 1. A main item vs the other's item: the main item combines with whichever
//!    value the `latest` lock gives it, or is dropped if there is none yet.
//! 2. A main item vs the other's error: the error is recorded, both sources
//!    are cancelled, and the drain is signalled. If the main item holds the
//!    drain, it sees the signal when leaving and delivers the error after the
//!    item; otherwise the error goes first and the item is dropped. Never
//!    both at once (§1.3), and nothing after the error (§1.7).
//! 3. `cancel` during a main item: recorded in `end` and signalled like a
//!    terminal, so whoever holds the drain drops the downstream.

use core::fmt;
use core::marker::PhantomData;

use crate::author::UNBOUNDED;
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::ops::support::guard::guard;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`with_latest_from`](crate::PublisherExt::with_latest_from)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct WithLatestFrom<P, O, F> {
    main: P,
    other: O,
    f: Arc<F>,
}

impl<P: fmt::Debug, O: fmt::Debug, F> fmt::Debug for WithLatestFrom<P, O, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithLatestFrom")
            .field("main", &self.main)
            .field("other", &self.other)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, O: Clone, F> Clone for WithLatestFrom<P, O, F> {
    fn clone(&self) -> Self {
        WithLatestFrom {
            main: self.main.clone(),
            other: self.other.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, O, F> WithLatestFrom<P, O, F> {
    pub(crate) fn new(main: P, other: O, f: F) -> Self {
        WithLatestFrom {
            main,
            other,
            f: Arc::new(f),
        }
    }
}

impl<P, O, F, R> Publisher for WithLatestFrom<P, O, F>
where
    P: Publisher,
    O: Publisher,
    O::Item: Sync,
    F: Fn(P::Item, &O::Item) -> R + Send + Sync + 'static,
    R: Send + 'static,
{
    type Item = R;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<R> + 'static,
    {
        let shared = Arc::new(WithLatestShared {
            main: Arbiter::new(),
            other: Arbiter::with_demand(UNBOUNDED),
            latest: Mutex::new(None),
            end: Mutex::new(Ending {
                pending: None,
                recorded: false,
            }),
            drain: Drain::new(Some(subscriber)),
            _output: PhantomData,
        });
        // Nobody else holds `shared` yet, so this always enters.
        let Some(mut entered) = shared.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(downstream) = entered.state() {
            // §1.9: on_subscribe first (rule 1). Requests made in it wait in
            // the `main` arbiter.
            downstream.on_subscribe(Arc::clone(&shared) as Arc<dyn Subscription>);
        }
        shared.run(entered);
        // The other first, so that its items (a synchronous source's, at
        // least) are there for the main's first.
        self.other.subscribe(OtherSubscriber {
            shared: Arc::clone(&shared),
            subscribed: false,
            done: false,
        });
        if !shared.end.lock().recorded {
            self.main.subscribe(MainSubscriber {
                shared,
                f: Arc::clone(&self.f),
                upstream: None,
                done: false,
            });
        }
    }
}

/// One subscription's shared state. See the module docs.
struct WithLatestShared<U, R, S> {
    main: Arbiter,
    other: Arbiter,
    latest: Mutex<Option<Arc<U>>>,
    end: Mutex<Ending>,
    drain: Drain<Option<S>>,
    /// The item type downstream receives.
    _output: PhantomData<fn() -> R>,
}

/// The terminal signal, first come first served.
struct Ending {
    /// Waiting for the drainer.
    pending: Option<End>,
    /// Some end was recorded: later ones are dropped.
    recorded: bool,
}

enum End {
    Complete,
    Error(Error),
    Cancelled,
}

impl<U, R, S> WithLatestShared<U, R, S>
where
    U: Send + Sync + 'static,
    S: Subscriber<R>,
{
    /// Records `end` unless an end was recorded before, cancels both sources,
    /// and signals the drain.
    fn terminate(&self, end: End) {
        {
            let mut ending = self.end.lock();
            if ending.recorded {
                drop(ending);
                return; // `end` is dropped here, unlocked
            }
            ending.recorded = true;
            ending.pending = Some(end);
        }
        self.main.cancel();
        self.other.cancel();
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    /// Delivers a pending end, if any, and leaves. See rule 2.
    fn run(&self, mut entered: Entered<'_, Option<S>>) {
        loop {
            let pending = self.end.lock().pending.take();
            if let Some(end) = pending {
                let latest = self.latest.lock().take();
                drop(latest); // rule 3: outside the lock
                if let Some(mut downstream) = entered.state().take() {
                    match end {
                        End::Complete => downstream.on_complete(),
                        End::Error(error) => downstream.on_error(error),
                        End::Cancelled => {} // §3.13: dropped here
                    }
                }
                return entered.close();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    /// Hands `item` downstream (rule 2). Returns whether downstream accepted
    /// it; an item dropped because the stream is ending counts as accepted.
    #[inline]
    fn emit(&self, item: R) -> bool {
        let Some(mut entered) = self.drain.try_enter() else {
            return true; // ending on another thread: dropped with the stream
        };
        let accepted = match entered.state() {
            Some(downstream) => downstream.try_on_next(item),
            None => true,
        };
        self.run(entered);
        accepted
    }
}

impl<U, R, S> Subscription for WithLatestShared<U, R, S>
where
    U: Send + Sync + 'static,
    S: Subscriber<R>,
{
    fn request(&self, n: u64) {
        // One for one, to the main publisher; `request(0)` goes there too,
        // and comes back as its §3.9 error.
        self.main.request(n);
    }

    fn cancel(&self) {
        // Race 3: like a terminal signal, so that whoever holds the drain
        // drops the downstream (§3.13). §3.7: a second cancel does nothing.
        self.terminate(End::Cancelled);
    }
}

/// `with_latest_from`'s subscriber to the main publisher.
struct MainSubscriber<U, R, S, F> {
    shared: Arc<WithLatestShared<U, R, S>>,
    f: Arc<F>,
    upstream: Option<Arc<dyn Subscription>>,
    done: bool,
}

impl<T, U, R, S, F> Subscriber<T> for MainSubscriber<U, R, S, F>
where
    U: Send + Sync + 'static,
    S: Subscriber<R>,
    F: Fn(T, &U) -> R + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.upstream.is_some() {
            subscription.cancel(); // §2.5
            return;
        }
        self.upstream = Some(Arc::clone(&subscription));
        self.shared.main.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // The main publisher counted the item: replace a dropped one.
        if !self.try_on_next(item) {
            if let Some(upstream) = &self.upstream {
                upstream.request(1);
            }
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.done {
            return true; // §2.8: late items after our own cancel
        }
        let latest = self.shared.latest.lock().clone();
        let Some(latest) = latest else {
            return false; // the other has not emitted yet: dropped
        };
        let f = &self.f;
        match guard(|| f(item, &latest)) {
            Ok(combined) => self.shared.emit(combined),
            Err(error) => {
                self.done = true;
                self.shared.terminate(End::Error(error));
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.upstream = None;
            self.shared.terminate(End::Error(error));
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.upstream = None;
            self.shared.terminate(End::Complete);
        }
    }
}

/// `with_latest_from`'s subscriber to the other publisher.
struct OtherSubscriber<U, R, S> {
    shared: Arc<WithLatestShared<U, R, S>>,
    subscribed: bool,
    done: bool,
}

impl<U, R, S> Subscriber<U> for OtherSubscriber<U, R, S>
where
    U: Send + Sync + 'static,
    S: Subscriber<R>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.shared.other.set(&subscription); // asks for UNBOUNDED
    }

    fn on_next(&mut self, item: U) {
        if self.done {
            return;
        }
        let item = Arc::new(item); // rule 3: allocated outside the lock
        let replaced = self.shared.latest.lock().replace(item);
        drop(replaced);
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.shared.terminate(End::Error(error));
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.shared.other.clear(); // §2.4: it is done
            if self.shared.latest.lock().is_none() {
                // No main item can ever be combined: end now.
                self.shared.terminate(End::Complete);
            }
        }
    }
}
