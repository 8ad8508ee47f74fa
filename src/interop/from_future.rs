//! `from_future`: a [`Future`] as a publisher of its one output.
//!
//! A one-item stream over the future, run by the same pull as
//! [`from_stream`](crate::source::from_stream): polled by the subscription
//! itself, only once there is demand, woken through the subscription.
//!
//! Demand: the future is first polled at the first request; its output goes
//! out at once, followed by `on_complete` (the look-ahead sees the end).

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::stream::Stream;

use crate::interop::from_stream::TakeOnce;
use crate::traits::{Publisher, Subscriber};

/// Publisher for [`from_future`](crate::source::from_future): the output of
/// a [`Future`], to one subscriber.
#[must_use = "publishers do nothing until subscribed"]
pub struct FromFuture<F> {
    stream: TakeOnce<FutureStream<F>>,
}

/// A publisher of the output of `future`, then completion.
///
/// The future is polled by the subscription itself, first at the first
/// request, then each time its waker is woken (on the waking thread): no
/// executor is needed, and none is used.
///
/// # Demand
///
/// Nothing happens before the first request; then the future runs, and its
/// output is delivered as soon as it is ready, followed by `on_complete`.
///
/// # Errors and cancellation
///
/// A panic in the future becomes `on_error` with
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic). Cancelling drops the future
/// (a future that never completes is freed that way). A future runs once, so
/// a second subscriber gets `on_subscribe` and then `on_error`; use
/// [`defer`](crate::source::defer) to make a future per subscriber.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
///
/// let answer = source::from_future(async { 6 * 7 });
/// assert_eq!(answer.blocking_first().unwrap(), Some(42));
/// ```
pub fn from_future<F>(future: F) -> FromFuture<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    FromFuture {
        stream: TakeOnce::new(FutureStream {
            future: Some(Box::pin(future)),
        }),
    }
}

impl<F> fmt::Debug for FromFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromFuture")
            .field("subscribed", &self.stream.is_taken())
            .finish()
    }
}

impl<F> Publisher for FromFuture<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Item = F::Output;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<F::Output> + 'static,
    {
        self.stream.subscribe("from_future", subscriber);
    }
}

/// A future as a stream of one item; dropped as soon as it is ready.
struct FutureStream<F> {
    future: Option<Pin<Box<F>>>,
}

impl<F: Future> Stream for FutureStream<F> {
    type Item = F::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(None);
        };
        let output = match future.as_mut().poll(cx) {
            Poll::Ready(output) => output,
            Poll::Pending => return Poll::Pending,
        };
        this.future = None;
        Poll::Ready(Some(output))
    }
}
