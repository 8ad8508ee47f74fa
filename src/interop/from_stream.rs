//! `from_stream`: a [`futures_core::Stream`] as a publisher.
//!
//! The stream is polled by the source engine (`source/pull.rs`), inside the
//! subscription's drain, only while there is demand: by the thread that
//! calls `request`, or by the one that wakes the stream's waker, which is the
//! subscription itself. No executor, no thread.
//!
//! Demand: one poll per unit of demand, plus a one-item look-ahead: once
//! demand runs out after an item, the stream is polled once more, so that a
//! stream that ends right after its last item completes without new demand
//! (`request(1)` on a one-item stream completes). An item found by that poll
//! waits, alone, for the next request. Before the first request, the stream
//! is not polled at all.
//!
//! A stream can be consumed once, so the publisher serves one subscriber; a
//! later one gets `on_subscribe` then `on_error` (§1.9). Wrap it in
//! [`defer`](crate::source::defer) for a fresh stream per subscriber.
//!
//! # Implementation notes
//!
//! No atomics of its own: the waker is the subscription of the source engine,
//! whose drain serializes polls, and a wake that arrives while the drain is
//! busy makes the drainer poll again (`source/pull.rs`, race 4). The pull
//! registers nothing itself: the stream registers the waker it is polled
//! with, as the `Stream` contract says, before it answers `Pending`.

use core::fmt;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use futures_core::stream::Stream;

use crate::author::pull::{self, Pull, Step};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::source::FailPull;
use crate::sync::Mutex;
use crate::traits::{Publisher, Subscriber};

/// Publisher for [`from_stream`](crate::source::from_stream): the items of a
/// [`Stream`], to one subscriber.
#[must_use = "publishers do nothing until subscribed"]
pub struct FromStream<St> {
    stream: TakeOnce<Pin<Box<St>>>,
}

/// A publisher of the items of `stream`, polled only while there is demand.
///
/// The stream is polled by the subscription itself, on the thread that
/// requests or on the thread that wakes the stream: no executor is needed,
/// and none is used. A stream whose futures need a runtime's context (a tokio
/// timer, a tokio socket) must then be woken and requested from inside that
/// runtime, which is the case when the pipeline is consumed there.
///
/// # Demand
///
/// One poll per requested item, and one more after the last requested item
/// (a look-ahead), so a stream that ends completes without waiting for a
/// request. The stream is never polled before the first request, and never
/// again after it ended.
///
/// # Errors and cancellation
///
/// A panic in `poll_next` becomes `on_error` with
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic); the stream is dropped.
/// Cancelling drops the stream (§3.13), together with the waker it holds;
/// a later wake does nothing. A second subscriber gets `on_subscribe` and
/// then `on_error`: a stream is consumed once (see
/// [`defer`](crate::source::defer) for one stream per subscriber).
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let publisher = source::from_stream(futures::stream::iter(1..4u32));
/// assert_eq!(publisher.blocking_collect().unwrap(), [1, 2, 3]);
///
/// // A fresh stream for each subscriber:
/// let cold = source::defer(|| source::from_stream(futures::stream::iter(0..2u8)));
/// assert_eq!(cold.blocking_collect().unwrap(), [0, 1]);
/// assert_eq!(cold.blocking_collect().unwrap(), [0, 1]);
/// ```
pub fn from_stream<St>(stream: St) -> FromStream<St>
where
    St: Stream + Send + 'static,
    St::Item: Send + 'static,
{
    FromStream {
        stream: TakeOnce::new(Box::pin(stream)),
    }
}

impl<St> fmt::Debug for FromStream<St> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromStream")
            .field("subscribed", &self.stream.is_taken())
            .finish()
    }
}

impl<St> Publisher for FromStream<St>
where
    St: Stream + Send + 'static,
    St::Item: Send + 'static,
{
    type Item = St::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<St::Item> + 'static,
    {
        self.stream.subscribe("from_stream", subscriber);
    }
}

/// A stream that can be taken once, by the first subscriber: what
/// `from_stream` and `from_future` share.
pub(crate) struct TakeOnce<St> {
    stream: Mutex<Option<St>>,
}

impl<St> TakeOnce<St>
where
    St: Stream + Unpin + Send + 'static,
    St::Item: Send + 'static,
{
    pub(crate) fn new(stream: St) -> Self {
        TakeOnce {
            stream: Mutex::new(Some(stream)),
        }
    }

    /// Subscribes `subscriber` to the stream, or, once it was taken, fails it
    /// (`on_subscribe`, then `on_error`, §1.9).
    pub(crate) fn subscribe<S>(&self, source: &'static str, subscriber: S)
    where
        S: Subscriber<St::Item> + 'static,
    {
        let stream = self.stream.lock().take();
        match stream {
            Some(stream) => pull::subscribe(StreamPull::new(stream), subscriber),
            None => {
                let error = Error::new(format!(
                    "{source}: already subscribed; its stream can be consumed once \
                     (wrap it in source::defer for one per subscriber)"
                ));
                pull::subscribe(FailPull(error, PhantomData), subscriber);
            }
        }
    }
}

impl<St> TakeOnce<St> {
    pub(crate) fn is_taken(&self) -> bool {
        self.stream.lock().is_none()
    }
}

/// The source engine's view of a stream. See the module docs.
struct StreamPull<St: Stream> {
    stream: St,
    /// The subscription, as a waker (set before the first pull).
    waker: Option<Waker>,
    /// An item polled when there was no demand for it (the look-ahead).
    ahead: Option<St::Item>,
    /// Demand has been seen (`next` was called): from then on the stream is
    /// looked ahead of; before, it is not polled at all.
    primed: bool,
    /// The look-ahead poll of this drain round said `Pending`: the engine's
    /// `next` right after it gets `Pending` without a second poll (the engine
    /// asks `finished` at the start of every round, so this lasts one round).
    pending: bool,
}

/// What one poll gave.
enum Polled<T> {
    Item(T),
    Pending,
    End(Result<(), Error>),
}

impl<St> StreamPull<St>
where
    St: Stream + Unpin,
{
    fn new(stream: St) -> Self {
        StreamPull {
            stream,
            waker: None,
            ahead: None,
            primed: false,
            pending: false,
        }
    }

    /// Polls the stream once with the subscription's waker; a panic ends it.
    fn poll(&mut self) -> Polled<St::Item> {
        let waker = self
            .waker
            .as_ref()
            .expect("the source engine hands the waker over before the first pull");
        let mut cx = Context::from_waker(waker);
        let stream = &mut self.stream;
        match guard(|| Pin::new(stream).poll_next(&mut cx)) {
            Ok(Poll::Ready(Some(item))) => Polled::Item(item),
            Ok(Poll::Ready(None)) => Polled::End(Ok(())),
            Ok(Poll::Pending) => Polled::Pending,
            Err(panic) => Polled::End(Err(panic)),
        }
    }
}

impl<St> Pull for StreamPull<St>
where
    St: Stream + Unpin + Send + 'static,
    St::Item: Send + 'static,
{
    type Item = St::Item;

    #[inline]
    fn next(&mut self) -> Step<St::Item> {
        self.primed = true;
        if let Some(item) = self.ahead.take() {
            return Step::Next(item);
        }
        if core::mem::take(&mut self.pending) {
            return Step::Pending;
        }
        match self.poll() {
            Polled::Item(item) => Step::Next(item),
            Polled::Pending => Step::Pending,
            Polled::End(end) => Step::End(end),
        }
    }

    /// The look-ahead: asked when demand ran out, and when a wake drains
    /// without demand.
    fn finished(&mut self) -> Option<Result<(), Error>> {
        self.pending = false;
        if !self.primed || self.ahead.is_some() {
            return None;
        }
        match self.poll() {
            Polled::Item(item) => {
                self.ahead = Some(item);
                None
            }
            Polled::Pending => {
                self.pending = true;
                None
            }
            Polled::End(end) => Some(end),
        }
    }

    fn wants_waker(&self) -> bool {
        true
    }

    fn set_waker(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }
}
