//! `LambdaSubscriber`: a subscriber made of closures.
//!
//! Demand: [`UNBOUNDED`] at once by default; with
//! [`prefetch(n)`](LambdaSubscriber::prefetch), `n` at first and then
//! `limit = n - n / 4` each time `limit` items were consumed (the 75% rule).
//! Threads: the closures run on whichever thread signals; nothing is spawned.
//!
//! # Implementation notes
//!
//! The subscriber shares one state machine with its [`CancelHandle`] (see
//! `cancel_handle.rs`): a terminal signal, a failure found here (a panic in
//! `on_next`, an `on_next` before `on_subscribe`) and a cancel from the handle
//! all race for the one transition out of "active", and only the winner acts.
//! Everything else (`replenish`, `upstream`) is touched only through
//! `&mut self`, which the publisher hands to one signal at a time (§1.3).
//!
//! ## Why no overflow check
//! A subscriber that buffers (the blocking iterator, the test subscriber)
//! counts outstanding demand and fails on an item beyond it. This one consumes
//! each item inside `on_next` and replenishes before returning, so demand can
//! never run out between two signals: before the `(k+1)`-th `on_next` it has
//! requested `prefetch + limit * floor(k / limit)` items, which is more than
//! `k + prefetch - limit >= k`, so at least `k + 1`. A publisher that ignores
//! demand is therefore indistinguishable from one that honours it, and a count
//! would be dead code on the hot path.

use core::fmt;
use core::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::{Replenish, UNBOUNDED};
use crate::error::{Error, Rule};
use crate::subscriber::CancelHandle;
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// A [`Subscriber`] made of closures: one for each item, and optionally one
/// for the error and one for completion.
///
/// Built with [`new`](LambdaSubscriber::new) and the builder methods
/// [`with_error`](LambdaSubscriber::with_error),
/// [`with_complete`](LambdaSubscriber::with_complete) and
/// [`prefetch`](LambdaSubscriber::prefetch); take a
/// [`handle`](LambdaSubscriber::handle) before moving it into
/// [`subscribe`](crate::Publisher::subscribe) to cancel it later.
/// [`PublisherExt::subscribe_with`](crate::PublisherExt::subscribe_with) is the
/// short form for an `on_next` closure alone.
///
/// The closures are type parameters (`N`, `E`, `C`), so `on_next` is called
/// directly, without a box or an indirect call per item. The error and
/// completion callbacks default to doing nothing.
///
/// # Reactive Streams rules
///
/// - §2.5: a second `on_subscribe` is answered by cancelling that subscription.
/// - §2.3: nothing is called on the subscription from `on_error` or
///   `on_complete`.
/// - §1.7: signals after a terminal one are ignored.
/// - §1.9: an `on_next` before `on_subscribe` (when nothing was requested
///   yet) delivers a spec-violation error to the `on_error` callback, and the
///   subscription that arrives later is cancelled.
/// - §1.1: items are consumed inside `on_next` and demand is replenished
///   before it returns, so a bounded prefetch is never exceeded by a serial
///   publisher: the items are never buffered.
/// - §2.13: the callbacks never unwind into the publisher. A panic in
///   `on_next` cancels upstream and delivers
///   [`ErrorKind::Panic`](crate::ErrorKind::Panic) to the `on_error` callback;
///   nothing is delivered after it. A panic in the `on_error` or `on_complete`
///   callback is caught and dropped (the panic hook still reports it), since
///   the stream is over and there is nobody left to tell.
///
/// # Examples
///
/// ```
/// use std::sync::mpsc;
/// use reactive_streams::{source, LambdaSubscriber, Publisher};
///
/// let (tx, rx) = mpsc::channel();
/// let done = tx.clone();
/// let subscriber = LambdaSubscriber::new(move |x: u32| tx.send(Some(x)).unwrap())
///     .with_complete(move || done.send(None).unwrap())
///     .prefetch(2);
/// source::range(0..3u32).subscribe(subscriber);
/// let seen: Vec<Option<u32>> = rx.try_iter().collect();
/// assert_eq!(seen, [Some(0), Some(1), Some(2), None]);
/// ```
pub struct LambdaSubscriber<T, N, E = fn(Error), C = fn()> {
    on_next: N,
    on_error: E,
    on_complete: C,
    /// The first request; [`UNBOUNDED`] for no limit.
    prefetch: u64,
    /// When to request more: the 75% rule.
    replenish: Replenish,
    /// The subscription, from `on_subscribe` until a terminal signal.
    upstream: Option<Arc<dyn Subscription>>,
    /// True once an `on_subscribe` arrived (§2.5: any later one is cancelled).
    subscribed: bool,
    /// Shared with the handles: the cancel/terminate state machine.
    handle: CancelHandle,
    _item: PhantomData<fn(T)>,
}

fn ignore_error(_: Error) {}

fn ignore_complete() {}

impl<T, N> LambdaSubscriber<T, N>
where
    N: FnMut(T) + Send + 'static,
{
    /// A subscriber that calls `on_next` for each item, with unbounded demand,
    /// ignoring the error and the completion until told otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::{source, LambdaSubscriber, Publisher};
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&seen);
    /// source::from_iter(vec!['a', 'b']).subscribe(LambdaSubscriber::new(move |c| {
    ///     sink.lock().unwrap().push(c)
    /// }));
    /// assert_eq!(*seen.lock().unwrap(), ['a', 'b']);
    /// ```
    pub fn new(on_next: N) -> Self {
        LambdaSubscriber {
            on_next,
            on_error: ignore_error,
            on_complete: ignore_complete,
            prefetch: UNBOUNDED,
            replenish: Replenish::new(UNBOUNDED),
            upstream: None,
            subscribed: false,
            handle: CancelHandle::new(),
            _item: PhantomData,
        }
    }
}

impl<T, N, E, C> LambdaSubscriber<T, N, E, C> {
    /// Sets the callback for the error that ends a failed stream (§1.4), or
    /// the error this subscriber signals itself (a panic in `on_next`, a
    /// broken rule). Called at most once, and never after a cancel.
    ///
    /// A panic inside `f` is caught and dropped: the stream is already over.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use reactive_streams::{source, Error, LambdaSubscriber, Publisher};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// source::error::<u8>(Error::new("disk full"))
    ///     .subscribe(LambdaSubscriber::new(|_| {}).with_error(move |e| tx.send(e).unwrap()));
    /// assert_eq!(rx.recv().unwrap().to_string(), "disk full");
    /// ```
    pub fn with_error<E2>(self, f: E2) -> LambdaSubscriber<T, N, E2, C>
    where
        E2: FnMut(Error) + Send + 'static,
    {
        LambdaSubscriber {
            on_next: self.on_next,
            on_error: f,
            on_complete: self.on_complete,
            prefetch: self.prefetch,
            replenish: self.replenish,
            upstream: self.upstream,
            subscribed: self.subscribed,
            handle: self.handle,
            _item: PhantomData,
        }
    }

    /// Sets the callback for the end of a stream that completed (§1.5).
    /// Called at most once, and never after a cancel.
    ///
    /// A panic inside `f` is caught and dropped: the stream is already over.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use reactive_streams::{source, LambdaSubscriber, Publisher};
    ///
    /// let completed = Arc::new(AtomicBool::new(false));
    /// let flag = Arc::clone(&completed);
    /// source::empty::<u8>().subscribe(
    ///     LambdaSubscriber::new(|_| {}).with_complete(move || flag.store(true, Ordering::SeqCst)),
    /// );
    /// assert!(completed.load(Ordering::SeqCst));
    /// ```
    pub fn with_complete<C2>(self, f: C2) -> LambdaSubscriber<T, N, E, C2>
    where
        C2: FnMut() + Send + 'static,
    {
        LambdaSubscriber {
            on_next: self.on_next,
            on_error: self.on_error,
            on_complete: f,
            prefetch: self.prefetch,
            replenish: self.replenish,
            upstream: self.upstream,
            subscribed: self.subscribed,
            handle: self.handle,
            _item: PhantomData,
        }
    }

    /// Bounds the demand: request `n` items at first, then
    /// `limit = n - n / 4` more each time `limit` items have been consumed
    /// (the 75% rule), so at most `n` items are ever outstanding.
    /// [`UNBOUNDED`](crate::UNBOUNDED) (the default) requests once, without
    /// limit.
    ///
    /// # Panics
    ///
    /// If `n` is 0: a subscriber that never requests anything would wait
    /// forever.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::{source, LambdaSubscriber, Publisher};
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&seen);
    /// // Requests 4, then 3 after every 3 items: the range still arrives whole.
    /// let subscriber = LambdaSubscriber::new(move |x| sink.lock().unwrap().push(x)).prefetch(4);
    /// source::range(0..10u32).subscribe(subscriber);
    /// assert_eq!(*seen.lock().unwrap(), (0..10).collect::<Vec<_>>());
    /// ```
    #[track_caller]
    pub fn prefetch(mut self, n: u64) -> Self {
        assert!(n > 0, "LambdaSubscriber::prefetch: n must be at least 1");
        self.prefetch = n.min(UNBOUNDED);
        self.replenish = Replenish::new(self.prefetch);
        self
    }

    /// A handle that cancels this subscriber's subscription and tells whether
    /// the stream is over. Take it before moving the subscriber into
    /// [`subscribe`](crate::Publisher::subscribe).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, LambdaSubscriber, Publisher};
    ///
    /// let subscriber = LambdaSubscriber::new(|_: u64| {});
    /// let handle = subscriber.handle();
    /// source::never().subscribe(subscriber);
    /// assert!(!handle.is_terminated());
    /// handle.cancel();
    /// assert!(handle.is_terminated());
    /// ```
    pub fn handle(&self) -> CancelHandle {
        self.handle.clone()
    }
}

impl<T, N, E, C> LambdaSubscriber<T, N, E, C>
where
    E: FnMut(Error),
{
    /// Ends the stream from this side: cancels upstream, then delivers
    /// `error`, unless a cancel from the handle got there first.
    #[cold]
    fn fail(&mut self, error: Error) {
        let upstream = self.upstream.take();
        if !self.handle.terminate() {
            return; // cancelled meanwhile: the handle cancelled upstream
        }
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
        self.deliver_error(error);
    }

    fn deliver_error(&mut self, error: Error) {
        let on_error = &mut self.on_error;
        // §2.13: a panic in the callback must not unwind into the publisher;
        // the stream is over, so it is dropped.
        let _ = catch_unwind(AssertUnwindSafe(|| on_error(error)));
    }
}

impl<T, N, E, C> Subscriber<T> for LambdaSubscriber<T, N, E, C>
where
    N: FnMut(T) + Send,
    E: FnMut(Error) + Send,
    C: FnMut() + Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            // §2.5: already subscribed (or already over): refuse the new one.
            subscription.cancel();
            return;
        }
        self.subscribed = true;
        if !self.handle.attach(&subscription) {
            // Cancelled through the handle before the subscription arrived,
            // or failed by an early on_next (§1.9).
            subscription.cancel();
            return;
        }
        self.upstream = Some(Arc::clone(&subscription));
        subscription.request(self.prefetch);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.handle.is_terminated() {
            // §2.8: cancelled, items in flight are dropped; §1.7: or over.
            return;
        }
        if !self.subscribed {
            return self.fail(Error::spec_violation(
                Rule::new(1, 9),
                "on_next before on_subscribe",
            ));
        }
        let on_next = &mut self.on_next;
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| on_next(item))) {
            return self.fail(Error::from_panic(payload));
        }
        if let Some(n) = self.replenish.consumed_one() {
            if let Some(upstream) = &self.upstream {
                // A no-op if the handle cancelled meanwhile (§3.6).
                upstream.request(n);
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.handle.terminate() {
            return; // §1.7: after a terminal signal, or cancelled
        }
        // §2.3: the subscription is dropped, never called.
        self.upstream = None;
        self.deliver_error(error);
    }

    fn on_complete(&mut self) {
        if !self.handle.terminate() {
            return; // §1.7: after a terminal signal, or cancelled
        }
        // §2.3: the subscription is dropped, never called.
        self.upstream = None;
        let on_complete = &mut self.on_complete;
        // §2.13: a panic in the callback must not unwind into the publisher;
        // the stream is over, so it is dropped.
        let _ = catch_unwind(AssertUnwindSafe(on_complete));
    }
}

impl<T, N, E, C> fmt::Debug for LambdaSubscriber<T, N, E, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LambdaSubscriber")
            .field("prefetch", &self.prefetch)
            .field("subscribed", &self.subscribed)
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}
