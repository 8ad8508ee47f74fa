//! `skip_until`: drops items until another publisher signals, then passes
//! the rest.
//!
//! The other publisher's first item, or its completion, opens the gate (and
//! the other is cancelled or done); its error before that cancels the main
//! upstream and fails the stream, and after that is not possible. As
//! Reactor's `skipUntilOther`, the other publisher is subscribed first, so
//! one that signals at once lets every item through.
//!
//! # Demand
//!
//! One for one for passed items: each request goes to the main upstream (a
//! request made before it is subscribed waits and is passed on when it is).
//! A dropped item costs no request when the main upstream emits through
//! [`try_on_next`](crate::Subscriber::try_on_next), as every synchronous
//! source and operator of this crate does; otherwise `skip_until` requests
//! one more item for each dropped one. The other publisher is asked for
//! [`UNBOUNDED`](crate::UNBOUNDED): its items are only a signal.
//!
//! Threads: items pass on the main upstream's thread; the gate opens, and
//! an error may come, on the other publisher's thread. Signals downstream
//! stay serial (§1.3) through the half-serializer (`serializer.rs`);
//! `until.rs` holds the shared state (the gate is its one atomic), its
//! implementation notes and races.

use core::fmt;

use crate::error::Error;
use crate::ops::support::serializer::End;
use crate::ops::support::until::{EndedBy, UntilInner};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`skip_until`](crate::PublisherExt::skip_until) method.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct SkipUntil<P, O> {
    upstream: P,
    other: O,
}

impl<P: fmt::Debug, O: fmt::Debug> fmt::Debug for SkipUntil<P, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SkipUntil")
            .field("upstream", &self.upstream)
            .field("other", &self.other)
            .finish()
    }
}

impl<P, O> SkipUntil<P, O> {
    pub(crate) fn new(upstream: P, other: O) -> Self {
        SkipUntil { upstream, other }
    }
}

impl<P, O> Publisher for SkipUntil<P, O>
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
        self.other.subscribe(SkipUntilOther {
            inner: Arc::clone(&inner),
        });
        if !inner.is_ended() {
            self.upstream
                .subscribe(SkipUntilMain { inner, open: false });
        }
    }
}

/// `skip_until`'s subscriber to the main upstream.
pub(crate) struct SkipUntilMain<S, T> {
    inner: Arc<UntilInner<S, T>>,
    /// The gate was seen open: no need to look again.
    open: bool,
}

impl<S, T> SkipUntilMain<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    #[inline]
    fn passes(&mut self) -> bool {
        if !self.open {
            self.open = self.inner.is_open();
        }
        self.open
    }
}

impl<S, T> Subscriber<T> for SkipUntilMain<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.main.set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Upstream counted the item against demand: replace it if it was
        // dropped, here or by downstream's `try_on_next`.
        if !self.try_on_next(item) {
            self.inner.main.request(1);
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.passes() && self.inner.serializer.next(item)
    }

    fn on_error(&mut self, error: Error) {
        self.inner.end(End::Error(error), EndedBy::MainTerminal);
    }

    fn on_complete(&mut self) {
        self.inner.end(End::Complete, EndedBy::MainTerminal);
    }
}

/// `skip_until`'s subscriber to the other publisher.
pub(crate) struct SkipUntilOther<S, T> {
    inner: Arc<UntilInner<S, T>>,
}

impl<S, T, U> Subscriber<U> for SkipUntilOther<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.inner.other.set(&subscription);
    }

    fn on_next(&mut self, _item: U) {
        self.inner.open();
        self.inner.other.cancel(); // its job is done
    }

    fn on_error(&mut self, error: Error) {
        if !self.inner.is_open() {
            self.inner.end(End::Error(error), EndedBy::OtherTerminal);
        }
    }

    fn on_complete(&mut self) {
        self.inner.open();
        self.inner.other.clear(); // §2.3: forgotten, not called
    }
}
