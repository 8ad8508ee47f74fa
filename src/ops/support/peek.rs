//! The taps, `inspect` and the `do_on_*` operators, built from one generic
//! operator: [`Peek`] calls a [`Hook`] beside each signal and passes the
//! signal on unchanged.
//!
//! Each public tap (`Inspect`, `DoOnNext`, ..., `DoOnCancel`) is a newtype
//! over `Peek<P, H>` with one of the hook types below, stamped out by
//! [`tap_publisher!`] in the tap's own file. A hook sees one kind of signal;
//! the others are no-ops that the compiler removes.
//!
//! There are two ways through, chosen by [`Hook::WATCHES_SUBSCRIPTION`]:
//!
//! - Signal taps (`inspect`, `do_on_next`, `do_on_error`, `do_on_complete`,
//!   `do_on_subscribe`) run on the thread that signals. [`PeekSubscriber`]
//!   hands the upstream subscription itself downstream, so such a tap costs
//!   the closure call and nothing else.
//! - Subscription taps (`do_on_request`, `do_on_cancel`) run on whichever
//!   thread calls `request` or `cancel`, so the subscription handed
//!   downstream is a [`Watched`] wrapper. When their closure panics, the
//!   error must reach the downstream from that thread while upstream may be
//!   emitting on another one; so for these taps every signal to the
//!   downstream goes through a drain (`drain.rs`): one uncontended
//!   enter/leave per signal.
//!
//! A panic in a hook becomes `on_error` downstream ([`ErrorKind::Panic`]) and
//! cancels upstream, as for every user closure; a panic in the `on_error` or
//! `on_complete` hook replaces the terminal signal with that error (upstream
//! is done already).
//!
//! [`ErrorKind::Panic`]: crate::ErrorKind::Panic
//!
//! # Implementation notes (subscription taps)
//!
//! ## State
//! `drain: Drain<Option<S>>`: the downstream; `None` once it has had its
//! terminal signal or was cancelled (then it is dropped, §3.13).
//!
//! `flags: AtomicUsize`: [`CANCELLING`] (the first `cancel` claimed the
//! cancel hook, §3.7), [`CANCELLED`] (drop the downstream), [`FAILED`] (a
//! hook panicked in `request` or `cancel`: deliver `failure`). Bits are only
//! ever set.
//!
//! `failure: Mutex<Option<Error>>`: the first such panic, until delivered.
//!
//! ## Field access rules
//! 1. The downstream: only whoever holds the drain. Upstream's signals enter
//!    it for each signal; `request` and `cancel` enter it only after setting
//!    `CANCELLED` or `FAILED`, that is, only to end the stream.
//! 2. `failure` is written under its lock before `FAILED` is set (Release),
//!    and read under the lock by a drainer that saw `FAILED` (Acquire).
//! 3. Every drainer reads `flags` before it leaves (in [`Watched::settle`]),
//!    so a flag set before a signaller's `try_enter` is seen by the drainer
//!    that was in the drain then, or by the signaller itself.
//!
//! ## Races considered
//! 1. A request hook panics while upstream emits on another thread: the
//!    requester cancels upstream, records the failure, then tries to enter.
//!    If the upstream signal holds the drain, its `settle` sees `FAILED` and
//!    delivers `on_error` after the item; otherwise the requester enters and
//!    delivers it, and an upstream signal that then finds the drain taken
//!    (or closed) drops its item: the stream has failed, and items after our
//!    own cancel may be ignored (§2.8).
//! 2. The same hook panics in a `request` made from inside `on_next`: the
//!    requester's `try_enter` fails (the upstream signal holds the drain) and
//!    the error follows when `on_next` returns.
//! 3. `cancel` vs an upstream signal: as 1, with the downstream dropped
//!    instead of failed.
//! 4. A terminal signal from upstream vs `cancel`: whoever holds the drain
//!    first ends the stream; the other finds it closed.

use core::marker::PhantomData;

use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// What a tap does beside the signals it passes on. Every method defaults to
/// doing nothing.
pub(crate) trait Hook<T>: Send + Sync + 'static {
    /// True for hooks that watch `request` or `cancel`: the subscription is
    /// then wrapped (see the module docs).
    const WATCHES_SUBSCRIPTION: bool = false;

    /// Sees the upstream subscription before the downstream does.
    #[inline]
    fn on_subscribe(&self, _subscription: &Arc<dyn Subscription>) {}

    /// Sees each item before the downstream does.
    #[inline]
    fn on_next(&self, _item: &T) {}

    /// Sees the error before the downstream does.
    #[inline]
    fn on_error(&self, _error: &Error) {}

    /// Runs before `on_complete` goes downstream.
    #[inline]
    fn on_complete(&self) {}

    /// Sees each `request(n)` before it goes upstream.
    #[inline]
    fn on_request(&self, _n: u64) {}

    /// Runs once, on the first `cancel`, before it goes upstream.
    #[inline]
    fn on_cancel(&self) {}
}

/// The hook of `inspect` and `do_on_next`: each item, by reference.
#[derive(Debug)]
pub(crate) struct OnNext<F>(pub(crate) F);

impl<T, F> Hook<T> for OnNext<F>
where
    F: Fn(&T) + Send + Sync + 'static,
{
    #[inline]
    fn on_next(&self, item: &T) {
        (self.0)(item)
    }
}

/// The hook of `do_on_error`.
#[derive(Debug)]
pub(crate) struct OnError<F>(pub(crate) F);

impl<T, F> Hook<T> for OnError<F>
where
    F: Fn(&Error) + Send + Sync + 'static,
{
    fn on_error(&self, error: &Error) {
        (self.0)(error)
    }
}

/// The hook of `do_on_complete`.
#[derive(Debug)]
pub(crate) struct OnComplete<F>(pub(crate) F);

impl<T, F> Hook<T> for OnComplete<F>
where
    F: Fn() + Send + Sync + 'static,
{
    fn on_complete(&self) {
        (self.0)()
    }
}

/// The hook of `do_on_subscribe`.
#[derive(Debug)]
pub(crate) struct OnSubscribe<F>(pub(crate) F);

impl<T, F> Hook<T> for OnSubscribe<F>
where
    F: Fn(&Arc<dyn Subscription>) + Send + Sync + 'static,
{
    fn on_subscribe(&self, subscription: &Arc<dyn Subscription>) {
        (self.0)(subscription)
    }
}

/// The hook of `do_on_request`.
#[derive(Debug)]
pub(crate) struct OnRequest<F>(pub(crate) F);

impl<T, F> Hook<T> for OnRequest<F>
where
    F: Fn(u64) + Send + Sync + 'static,
{
    const WATCHES_SUBSCRIPTION: bool = true;

    fn on_request(&self, n: u64) {
        (self.0)(n)
    }
}

/// The hook of `do_on_cancel`.
#[derive(Debug)]
pub(crate) struct OnCancel<F>(pub(crate) F);

impl<T, F> Hook<T> for OnCancel<F>
where
    F: Fn() + Send + Sync + 'static,
{
    const WATCHES_SUBSCRIPTION: bool = true;

    fn on_cancel(&self) {
        (self.0)()
    }
}

/// The generic tap: `upstream` with `hook` beside its signals.
pub(crate) struct Peek<P, H> {
    pub(crate) upstream: P,
    pub(crate) hook: Arc<H>,
}

impl<P: Clone, H> Clone for Peek<P, H> {
    fn clone(&self) -> Self {
        Peek {
            upstream: self.upstream.clone(),
            hook: Arc::clone(&self.hook),
        }
    }
}

impl<P, H> Peek<P, H> {
    pub(crate) fn new(upstream: P, hook: H) -> Self {
        Peek {
            upstream,
            hook: Arc::new(hook),
        }
    }
}

impl<P, H> Publisher for Peek<P, H>
where
    P: Publisher,
    H: Hook<P::Item>,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let hook = Arc::clone(&self.hook);
        if H::WATCHES_SUBSCRIPTION {
            self.upstream.subscribe(WatchSubscriber {
                hook,
                downstream: Some(subscriber),
                watched: None,
                done: false,
            });
        } else {
            self.upstream.subscribe(PeekSubscriber {
                relay: Relay::new(subscriber),
                hook,
            });
        }
    }
}

/// Defines a public tap: a newtype over [`Peek`] with the hook `$hook`, its
/// `Debug`, `Clone`, `new` and a `Publisher` impl whose bounds name the
/// closure's signature (not the crate-private [`Hook`]).
macro_rules! tap_publisher {
    (
        $(#[$attr:meta])*
        pub struct $name:ident<P, F> => $hook:ident where F: $($bound:tt)+
    ) => {
        $(#[$attr])*
        #[must_use = "publishers do nothing until subscribed"]
        pub struct $name<P, F> {
            inner: $crate::ops::support::peek::Peek<P, $crate::ops::support::peek::$hook<F>>,
        }

        impl<P: ::core::fmt::Debug, F> ::core::fmt::Debug for $name<P, F> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("upstream", &self.inner.upstream)
                    .finish_non_exhaustive()
            }
        }

        impl<P: Clone, F> Clone for $name<P, F> {
            fn clone(&self) -> Self {
                $name {
                    inner: self.inner.clone(),
                }
            }
        }

        impl<P, F> $name<P, F> {
            pub(crate) fn new(upstream: P, f: F) -> Self {
                $name {
                    inner: $crate::ops::support::peek::Peek::new(upstream, $crate::ops::support::peek::$hook(f)),
                }
            }
        }

        impl<P, F> $crate::Publisher for $name<P, F>
        where
            P: $crate::Publisher,
            F: $($bound)+,
        {
            type Item = P::Item;

            fn subscribe<S>(&self, subscriber: S)
            where
                S: $crate::Subscriber<P::Item> + 'static,
            {
                self.inner.subscribe(subscriber)
            }
        }
    };
}

pub(crate) use tap_publisher;

/// The subscriber of a signal tap: the hook, then the signal, on the
/// signalling thread.
pub(crate) struct PeekSubscriber<S, H> {
    relay: Relay<S>,
    hook: Arc<H>,
}

impl<S, H> PeekSubscriber<S, H> {
    /// Runs the `on_next` hook; false (and the stream failed) if it panicked.
    #[inline]
    fn peek<T>(&mut self, item: &T) -> bool
    where
        S: Subscriber<T>,
        H: Hook<T>,
    {
        let hook = &self.hook;
        match guard(|| hook.on_next(item)) {
            Ok(()) => true,
            Err(error) => {
                self.relay.fail(error);
                false
            }
        }
    }
}

impl<S, H, T> Subscriber<T> for PeekSubscriber<S, H>
where
    S: Subscriber<T>,
    H: Hook<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if !self.relay.keep_upstream(&subscription) {
            return; // §2.5: a second subscription, cancelled
        }
        let hook = &self.hook;
        let hooked = guard(|| hook.on_subscribe(&subscription));
        if hooked.is_err() {
            // Nothing may flow: the downstream gets the subscription (§1.9:
            // on_subscribe first), then the error.
            subscription.cancel();
        }
        self.relay.downstream.on_subscribe(subscription);
        if let Err(error) = hooked {
            self.relay.fail(error);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if !self.relay.is_done() && self.peek(&item) {
            self.relay.downstream.on_next(item);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() || !self.peek(&item) {
            return true;
        }
        self.relay.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        if self.relay.is_done() {
            return;
        }
        let hook = &self.hook;
        // A panic in the hook replaces the error.
        let error = match guard(|| hook.on_error(&error)) {
            Ok(()) => error,
            Err(panic) => panic,
        };
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        if self.relay.is_done() {
            return;
        }
        let hook = &self.hook;
        match guard(|| hook.on_complete()) {
            Ok(()) => self.relay.on_complete(),
            // Upstream is done: the error takes the place of on_complete.
            Err(panic) => self.relay.on_error(panic),
        }
    }
}

/// [`Watched::flags`]: the first `cancel` claimed the cancel hook.
const CANCELLING: usize = 1;
/// [`Watched::flags`]: cancelled; whoever holds the drain drops the downstream.
const CANCELLED: usize = 1 << 1;
/// [`Watched::flags`]: a hook panicked in `request` or `cancel`; whoever
/// holds the drain delivers [`Watched::failure`].
const FAILED: usize = 1 << 2;

/// The shared part of a subscription tap: the downstream (behind the drain)
/// and the subscription handed to it. See the module docs.
pub(crate) struct Watched<S, H, T> {
    hook: Arc<H>,
    upstream: Arc<dyn Subscription>,
    flags: AtomicUsize,
    failure: Mutex<Option<Error>>,
    drain: Drain<Option<S>>,
    _item: PhantomData<fn(T)>,
}

impl<S, H, T> Watched<S, H, T>
where
    S: Subscriber<T>,
{
    /// Records a hook's panic, cancels upstream and ends the stream (field
    /// access rules 2 and 3).
    #[cold]
    fn fail(&self, error: Error) {
        self.upstream.cancel();
        {
            let mut failure = self.failure.lock();
            if failure.is_none() {
                *failure = Some(error);
            }
        }
        // Ordering: Release publishes `failure` (written above) to a drainer
        // that sees the bit. Pairs with: the Acquire load in `settle`.
        self.flags.fetch_or(FAILED | CANCELLED, Ordering::Release);
        self.signal();
    }

    /// Enters the drain if it is free, to act on the flags.
    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.settle(entered);
        }
    }

    /// Acts on the flags, then leaves the drain; again for every signal that
    /// arrived meanwhile (field access rule 3).
    #[inline]
    fn settle(&self, mut entered: Entered<'_, Option<S>>) {
        loop {
            // Ordering: Acquire pairs with the Release `fetch_or`s in `fail`
            // and `cancel`, so `failure` is visible once `FAILED` is.
            let flags = self.flags.load(Ordering::Acquire);
            if flags & (FAILED | CANCELLED) != 0 {
                return self.end(entered, flags);
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    /// Ends the stream from the subscription side: the failure downstream,
    /// or just the downstream dropped (§3.13).
    #[cold]
    fn end(&self, mut entered: Entered<'_, Option<S>>, flags: usize) {
        let downstream = entered.state().take();
        entered.close();
        if flags & FAILED != 0 {
            let failure = self.failure.lock().take();
            if let (Some(mut downstream), Some(error)) = (downstream, failure) {
                downstream.on_error(error);
            }
        }
    }
}

impl<S, H, T> Subscription for Watched<S, H, T>
where
    S: Subscriber<T> + 'static,
    H: Hook<T>,
    T: 'static,
{
    fn request(&self, n: u64) {
        // Ordering: Relaxed; only skips the hook after a cancel (§3.6), which
        // upstream ignores anyway.
        if self.flags.load(Ordering::Relaxed) & (CANCELLING | CANCELLED) != 0 {
            return;
        }
        let hook = &self.hook;
        match guard(|| hook.on_request(n)) {
            Ok(()) => self.upstream.request(n),
            Err(error) => self.fail(error),
        }
    }

    fn cancel(&self) {
        // §3.7: only the first cancel runs the hook. Ordering: Relaxed; the
        // RMW alone decides who is first.
        if self.flags.fetch_or(CANCELLING, Ordering::Relaxed) & CANCELLING != 0 {
            return;
        }
        let hook = &self.hook;
        match guard(|| hook.on_cancel()) {
            Ok(()) => {
                self.upstream.cancel();
                // Ordering: Release, so the drainer that sees the bit (Acquire
                // in `settle`) sees everything before the cancel.
                self.flags.fetch_or(CANCELLED, Ordering::Release);
                self.signal();
            }
            Err(error) => self.fail(error),
        }
    }
}

/// The shared state of a subscription tap, with its drain entered.
type Held<'a, S, H, T> = (&'a Watched<S, H, T>, Entered<'a, Option<S>>);

/// The subscriber of a subscription tap: every signal to the downstream goes
/// through [`Watched`]'s drain.
pub(crate) struct WatchSubscriber<S, H, T> {
    hook: Arc<H>,
    /// The downstream until `on_subscribe` moves it into `watched`.
    downstream: Option<S>,
    watched: Option<Arc<Watched<S, H, T>>>,
    /// A terminal signal went downstream, or this side failed.
    done: bool,
}

impl<S, H, T> WatchSubscriber<S, H, T>
where
    S: Subscriber<T>,
{
    /// Enters the drain for an upstream signal. `None` when the stream is
    /// being ended from the subscription side (field access rule 1): the
    /// signal is dropped.
    #[inline]
    fn enter(&self) -> Option<Held<'_, S, H, T>> {
        let watched = self.watched.as_deref()?;
        let entered = watched.drain.try_enter()?;
        Some((watched, entered))
    }

    /// A hook on this side panicked: cancel upstream, fail downstream.
    #[cold]
    fn fail(&mut self, error: Error) {
        self.done = true;
        if let Some((watched, mut entered)) = self.enter() {
            watched.upstream.cancel();
            let downstream = entered.state().take();
            entered.close();
            if let Some(mut downstream) = downstream {
                downstream.on_error(error);
            }
        }
    }

    /// Delivers a terminal signal from upstream (or the hook's panic in its
    /// place), through the drain.
    fn terminate(&mut self, end: Result<(), Error>) {
        self.done = true;
        if let Some((_, mut entered)) = self.enter() {
            let downstream = entered.state().take();
            entered.close();
            if let Some(mut downstream) = downstream {
                match end {
                    Ok(()) => downstream.on_complete(),
                    Err(error) => downstream.on_error(error),
                }
            }
        }
    }
}

impl<S, H, T> Subscriber<T> for WatchSubscriber<S, H, T>
where
    S: Subscriber<T> + 'static,
    H: Hook<T>,
    T: 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some(downstream) = self.downstream.take() else {
            subscription.cancel(); // §2.5
            return;
        };
        let hook = &self.hook;
        let hooked = guard(|| hook.on_subscribe(&subscription));
        let watched = Arc::new(Watched {
            hook: Arc::clone(&self.hook),
            upstream: subscription,
            flags: AtomicUsize::new(0),
            failure: Mutex::new(None),
            drain: Drain::new(Some(downstream)),
            _item: PhantomData,
        });
        self.watched = Some(Arc::clone(&watched));
        // Nobody else holds `watched` yet, so this always enters; a request
        // or cancel made inside on_subscribe finds the drain taken and is
        // acted on in `settle` below.
        let Some(mut entered) = watched.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if hooked.is_err() {
            watched.upstream.cancel();
        }
        if let Some(downstream) = entered.state() {
            downstream.on_subscribe(Arc::clone(&watched) as Arc<dyn Subscription>);
        }
        match hooked {
            Ok(()) => watched.settle(entered),
            Err(error) => {
                self.done = true;
                let downstream = entered.state().take();
                entered.close();
                if let Some(mut downstream) = downstream {
                    downstream.on_error(error);
                }
            }
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return;
        }
        let hook = &self.hook;
        if let Err(error) = guard(|| hook.on_next(&item)) {
            return self.fail(error);
        }
        if let Some((watched, mut entered)) = self.enter() {
            if let Some(downstream) = entered.state() {
                downstream.on_next(item);
            }
            watched.settle(entered);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.done {
            return true;
        }
        let hook = &self.hook;
        if let Err(error) = guard(|| hook.on_next(&item)) {
            self.fail(error);
            return true;
        }
        let Some((watched, mut entered)) = self.enter() else {
            return true;
        };
        let accepted = match entered.state() {
            Some(downstream) => downstream.try_on_next(item),
            None => true,
        };
        watched.settle(entered);
        accepted
    }

    fn on_error(&mut self, error: Error) {
        if self.done {
            return;
        }
        let hook = &self.hook;
        let error = match guard(|| hook.on_error(&error)) {
            Ok(()) => error,
            Err(panic) => panic,
        };
        self.terminate(Err(error));
    }

    fn on_complete(&mut self) {
        if self.done {
            return;
        }
        let hook = &self.hook;
        let end = guard(|| hook.on_complete());
        self.terminate(end);
    }
}
