//! `map`: transforms each item with a closure.
//!
//! Demand: 1:1; requests go straight upstream (the downstream receives the
//! upstream subscription itself). Threads: runs on the thread that signals.

use core::fmt;

use crate::author::pull::{Pull, Step};
use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Fused, FusedSource, Publisher, Subscriber, Subscription};

/// Publisher for the [`map`](crate::PublisherExt::map) method.
#[must_use = "publishers do nothing until subscribed"]
pub struct Map<P, F> {
    upstream: P,
    f: Arc<F>,
}

impl<P: fmt::Debug, F> fmt::Debug for Map<P, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl<P: Clone, F> Clone for Map<P, F> {
    fn clone(&self) -> Self {
        Map {
            upstream: self.upstream.clone(),
            f: Arc::clone(&self.f),
        }
    }
}

impl<P, F> Map<P, F> {
    pub(crate) fn new(upstream: P, f: F) -> Self {
        Map {
            upstream,
            f: Arc::new(f),
        }
    }
}

impl<P, F, U> Publisher for Map<P, F>
where
    P: Publisher,
    F: Fn(P::Item) -> U + Send + Sync + 'static,
    U: Send + 'static,
{
    type Item = U;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<U> + 'static,
    {
        self.upstream.subscribe(MapSubscriber {
            relay: Relay::new(subscriber),
            f: Arc::clone(&self.f),
        });
    }

    /// Fused when the upstream is: `flat_map(|x| range(0..x).map(f))` runs
    /// the mapped inner inside its drain.
    fn fused_source(&self, fused: Fused) -> Option<FusedSource<U>> {
        let upstream = self.upstream.fused_source(fused)?;
        Some(FusedSource::new(MapPull {
            upstream,
            f: Arc::clone(&self.f),
        }))
    }
}

/// `map` over a fused source, as a pull: a panic in `f` ends the stream with
/// its error (the engine then drops the upstream, as a cancel would).
struct MapPull<T, F> {
    upstream: FusedSource<T>,
    f: Arc<F>,
}

impl<T, F, U> Pull for MapPull<T, F>
where
    T: Send + 'static,
    F: Fn(T) -> U + Send + Sync + 'static,
    U: Send + 'static,
{
    type Item = U;

    #[inline]
    fn next(&mut self) -> Step<U> {
        match self.upstream.next() {
            Step::Next(item) => {
                let f = &self.f;
                match guard(|| f(item)) {
                    Ok(mapped) => Step::Next(mapped),
                    Err(panic) => Step::End(Err(panic)),
                }
            }
            Step::Pending => Step::Pending,
            Step::End(end) => Step::End(end),
        }
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        self.upstream.finished()
    }
}

/// `map`'s subscriber to upstream.
pub(crate) struct MapSubscriber<S, F> {
    relay: Relay<S>,
    f: Arc<F>,
}

impl<S, F, T, U> Subscriber<T> for MapSubscriber<S, F>
where
    S: Subscriber<U>,
    F: Fn(T) -> U + Send + Sync,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        // Not through `try_on_next`: a dropping stage downstream must see a
        // plain `on_next`, so that it asks for a replacement itself.
        if self.relay.is_done() {
            return;
        }
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.on_next(mapped),
            Err(error) => self.relay.fail(error),
        }
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        if self.relay.is_done() {
            return true; // §2.8: late items after our own cancel are ignored
        }
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.try_on_next(mapped),
            Err(error) => {
                self.relay.fail(error);
                true
            }
        }
    }

    #[inline]
    fn try_on_next_fused(&mut self, item: T, fused: Fused) -> bool {
        // No `is_done` check: the caller stops at once after our `fail`
        // (which cancels it) and after a terminal signal.
        let f = &self.f;
        match guard(|| f(item)) {
            Ok(mapped) => self.relay.downstream.try_on_next_fused(mapped, fused),
            Err(error) => {
                self.relay.fail(error);
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}

#[cfg(all(test, not(reactive_streams_loom)))]
mod tests {
    use crate::author::pull::{Pull, Step};
    use crate::traits::{Fused, Publisher};
    use crate::{source, ErrorKind, PublisherExt};

    /// `map` over a fused source is a fused source: its items mapped, the
    /// end passed on, and a panic in `f` the end of it, with its error.
    #[test]
    fn over_a_fused_source_it_is_one() {
        let mapped = source::range(0..5u64).map(|x| {
            assert_ne!(x, 3, "the function fails on 3");
            x * 10
        });
        let Some(mut pull) = mapped.fused_source(Fused(())) else {
            panic!("range(..).map(f) is not fused");
        };
        for expected in [0, 10, 20] {
            assert!(matches!(pull.next(), Step::Next(x) if x == expected));
        }
        assert!(matches!(pull.next(), Step::End(Err(e)) if e.kind() == ErrorKind::Panic));
        let mut empty = source::range(0..0u64)
            .map(|x| x)
            .fused_source(Fused(()))
            .unwrap();
        assert!(matches!(empty.finished(), Some(Ok(()))));
        // Over a publisher that is not fused, neither is `map`.
        let boxed = source::range(0..5u64).boxed().map(|x| x);
        assert!(boxed.fused_source(Fused(())).is_none());
    }
}
