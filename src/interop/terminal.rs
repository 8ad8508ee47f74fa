//! The async terminals: a publisher's first item, last item or collected
//! items as a future (`publisher.first().await`), and the next item of an
//! [`IntoStream`] (`stream.next().await`).
//!
//! [`first`](crate::PublisherExt::first), [`last`](crate::PublisherExt::last)
//! and [`collect`](crate::PublisherExt::collect) are operators that emit one
//! item; they implement [`IntoFuture`], so awaiting them subscribes an
//! [`IntoStream`] with a prefetch of 1 and resolves with that item. The folding
//! runs on the emitting thread; one item crosses to the awaiting task. Like
//! every future here, they need no runtime.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::stream::Stream;

use crate::error::Error;
use crate::interop::IntoStream;
use crate::ops::{Collect, First, Last};
use crate::traits::Publisher;

/// The future of [`IntoStream::next`]: the next item, `Err` once if the
/// publisher failed, then `None`.
#[must_use = "futures do nothing unless polled"]
pub struct Next<'a, T> {
    stream: &'a mut IntoStream<T>,
}

impl<'a, T> Next<'a, T> {
    pub(crate) fn new(stream: &'a mut IntoStream<T>) -> Self {
        Next { stream }
    }
}

impl<T: Send + 'static> Future for Next<'_, T> {
    type Output = Option<Result<T, Error>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut *self.get_mut().stream).poll_next(cx)
    }
}

impl<T> fmt::Debug for Next<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("stream", &self.stream)
            .finish()
    }
}

/// The future of an awaited [`first`](crate::PublisherExt::first) or
/// [`last`](crate::PublisherExt::last): `Ok(Some(item))`, `Ok(None)` for an
/// empty stream, or the error.
///
/// # Examples
///
/// ```
/// use futures::executor::block_on;
/// use reactive_streams::{source, PublisherExt};
///
/// block_on(async {
///     assert_eq!(source::range(3..10u32).first().await.unwrap(), Some(3));
///     assert_eq!(source::range(3..10u32).last().await.unwrap(), Some(9));
///     assert_eq!(source::empty::<u32>().first().await.unwrap(), None);
/// });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ItemFuture<T> {
    stream: IntoStream<T>,
}

impl<T: Send + 'static> Future for ItemFuture<T> {
    type Output = Result<Option<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Dropping the future afterwards cancels whatever is left (§3.12).
        Pin::new(&mut self.get_mut().stream)
            .poll_next(cx)
            .map(Option::transpose)
    }
}

impl<T> fmt::Debug for ItemFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemFuture")
            .field("stream", &self.stream)
            .finish()
    }
}

/// The future of an awaited [`collect`](crate::PublisherExt::collect): every
/// item in a collection, or the error.
///
/// # Examples
///
/// ```
/// use futures::executor::block_on;
/// use reactive_streams::{source, PublisherExt};
///
/// let evens: Vec<u32> = block_on(async {
///     source::range(0..10u32).filter(|x| x % 2 == 0).collect().await
/// })
/// .unwrap();
/// assert_eq!(evens, [0, 2, 4, 6, 8]);
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct CollectFuture<C> {
    stream: IntoStream<C>,
}

impl<C: Default + Send + 'static> Future for CollectFuture<C> {
    type Output = Result<C, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.get_mut().stream)
            .poll_next(cx)
            .map(|item| Ok(item.transpose()?.unwrap_or_default()))
    }
}

impl<C> fmt::Debug for CollectFuture<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CollectFuture")
            .field("stream", &self.stream)
            .finish()
    }
}

/// `publisher.first().await`: see [`ItemFuture`].
impl<P> IntoFuture for First<P>
where
    P: Publisher + 'static,
    First<P>: Publisher<Item = P::Item>,
{
    type Output = Result<Option<P::Item>, Error>;
    type IntoFuture = ItemFuture<P::Item>;

    fn into_future(self) -> ItemFuture<P::Item> {
        ItemFuture {
            stream: IntoStream::new(self, 1),
        }
    }
}

/// `publisher.last().await`: see [`ItemFuture`].
impl<P> IntoFuture for Last<P>
where
    P: Publisher + 'static,
    Last<P>: Publisher<Item = P::Item>,
{
    type Output = Result<Option<P::Item>, Error>;
    type IntoFuture = ItemFuture<P::Item>;

    fn into_future(self) -> ItemFuture<P::Item> {
        ItemFuture {
            stream: IntoStream::new(self, 1),
        }
    }
}

/// `publisher.collect::<C>().await`: see [`CollectFuture`].
impl<P, C> IntoFuture for Collect<P, C>
where
    P: Publisher + 'static,
    C: Default + Send + 'static,
    Collect<P, C>: Publisher<Item = C>,
{
    type Output = Result<C, Error>;
    type IntoFuture = CollectFuture<C>;

    fn into_future(self) -> CollectFuture<C> {
        CollectFuture {
            stream: IntoStream::new(self, 1),
        }
    }
}
