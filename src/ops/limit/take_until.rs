//! `take_until`: passes items until another publisher signals, then
//! completes.
//!
//! The other publisher's first item, or its completion, cancels both
//! upstreams and completes the stream; its error cancels the main upstream
//! and fails the stream. As Reactor's `takeUntilOther`: the other publisher
//! is subscribed first, so one that signals at once ends the stream before
//! any item; the main upstream is then not subscribed at all.
//!
//! # Demand
//!
//! One for one: each request goes to the main upstream (a request made
//! before it is subscribed waits and is passed on when it is). The other
//! publisher is asked for [`UNBOUNDED`](crate::UNBOUNDED): its items are
//! only a signal.
//!
//! Threads: items pass on the main upstream's thread; the end may come from
//! the other publisher's thread. Signals downstream stay serial (§1.3)
//! through the half-serializer (`serializer.rs`); `until.rs` holds the
//! shared state, its implementation notes and races.

use core::fmt;

use crate::error::Error;
use crate::ops::support::serializer::End;
use crate::ops::support::until::{EndedBy, UntilInner};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`take_until`](crate::PublisherExt::take_until) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct TakeUntil<P, O> {
    upstream: P,
    other: O,
}

impl<P: fmt::Debug, O: fmt::Debug> fmt::Debug for TakeUntil<P, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TakeUntil")
            .field("upstream", &self.upstream)
            .field("other", &self.other)
            .finish()
    }
}

impl<P, O> TakeUntil<P, O> {
    pub(crate) fn new(upstream: P, other: O) -> Self {
        TakeUntil { upstream, other }
    }
}

impl<P, O> Publisher for TakeUntil<P, O>
where
    P: Publisher,
    O: Publisher,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let Some(inner) = UntilInner::start(subscriber) else {
            return; // cancelled inside on_subscribe
        };
        self.other.subscribe(TakeUntilOther {
            inner: Arc::clone(&inner),
        });
        if !inner.is_ended() {
            self.upstream.subscribe(TakeUntilMain { inner });
        }
    }
}

/// `take_until`'s subscriber to the main upstream.
pub(crate) struct TakeUntilMain<S, T> {
    inner: Arc<UntilInner<S, T>>,
}

impl<S, T> Subscriber<T> for TakeUntilMain<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        // Passes on what downstream requested meanwhile; cancelled on
        // arrival if the stream has ended (§2.5 for a second one).
        self.inner.main.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if !self.inner.serializer.next(item) {
            // Downstream dropped it (`try_on_next` said so) and upstream
            // counted it: ask for its replacement.
            self.inner.main.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.inner.serializer.next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.inner.end(End::Error(error), EndedBy::MainTerminal);
    }

    fn on_complete(&mut self) {
        self.inner.end(End::Complete, EndedBy::MainTerminal);
    }
}

/// `take_until`'s subscriber to the other publisher.
pub(crate) struct TakeUntilOther<S, T> {
    inner: Arc<UntilInner<S, T>>,
}

impl<S, T, U> Subscriber<U> for TakeUntilOther<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.other.set(&subscription);
    }

    fn on_next(&mut self, _item: U) {
        self.inner.end(End::Complete, EndedBy::Signal);
    }

    fn on_error(&mut self, error: Error) {
        self.inner.end(End::Error(error), EndedBy::OtherTerminal);
    }

    fn on_complete(&mut self) {
        self.inner.end(End::Complete, EndedBy::OtherTerminal);
    }
}
