//! The state `take_until` and `skip_until` share: one downstream fed by the
//! main upstream's items, two upstream subscriptions (main and other), and
//! an end that either side, or downstream, may bring.
//!
//! Both operators give downstream its subscription first, then subscribe
//! the other publisher, then the main one (the other first, as Reactor does,
//! so that an other that signals at once is seen before any item). Handing
//! out the subscription before either upstream exists means nothing can race
//! `on_subscribe` (§1.9 holds trivially), and demand requested inside it
//! waits in the [`DeferredSubscription`] of the main upstream.
//!
//! # Implementation notes
//!
//! The coordination lives in the parts: [`HalfSerializer`] (items vs the
//! end, `serializer.rs`), [`DeferredSubscription`] (requests and cancels vs
//! the arrival of each subscription, `deferred.rs`), and `gate`, the one
//! atomic of its own (`skip_until` only).
//!
//! ## State
//! * `gate: AtomicBool`: false until the other publisher signals
//!   (`skip_until`: items pass once it is true). Set once, never cleared.
//!
//! ## Field access rules
//! * `gate`: stored by the other side only, loaded by the main side only.
//!
//! ## Races considered
//! 1. The end vs the two subscriptions: an end (from either side, or a
//!    downstream `cancel` or `request(0)`) first wins the serializer's
//!    record, then cancels both slots, then is delivered. A subscription
//!    that arrives after that is cancelled on arrival (`deferred.rs`, race
//!    2), so nothing keeps running after the end.
//! 2. The gate vs an item (`skip_until`): an item that loads `gate` false is
//!    dropped, one that loads it true passes; an item arriving while the
//!    other signals may go either way, which is the inherent race of the
//!    operator and is not an error. The gate publishes no data (the other's
//!    items are discarded), so `Relaxed` would do; `Release`/`Acquire` make
//!    "items after the other's signal pass" hold in happens-before terms,
//!    for free on x86 and for one barrier per item on ARM until the main
//!    side caches the open gate.

use crate::error::Error;
use crate::ops::support::deferred::DeferredSubscription;
use crate::ops::support::serializer::{End, HalfSerializer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// Where an end comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EndedBy {
    /// The main upstream's `on_complete` or `on_error`.
    MainTerminal,
    /// The other publisher's `on_complete` or `on_error`.
    OtherTerminal,
    /// Anything else: the other's item, downstream's `cancel` or `request(0)`.
    Signal,
}

/// The shared state; also the subscription downstream receives.
pub(crate) struct UntilInner<S, T> {
    pub(crate) serializer: HalfSerializer<S, T>,
    pub(crate) main: DeferredSubscription,
    pub(crate) other: DeferredSubscription,
    gate: AtomicBool,
}

impl<S, T> UntilInner<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    /// The state for `downstream`, handed its subscription (§1.9). The
    /// other publisher is asked for everything (its items only matter as a
    /// signal). Returns `None` when downstream cancelled inside
    /// `on_subscribe`: then nothing is to be subscribed.
    pub(crate) fn start(downstream: S) -> Option<Arc<Self>> {
        let inner = Arc::new(UntilInner {
            serializer: HalfSerializer::new(downstream),
            main: DeferredSubscription::new(),
            other: DeferredSubscription::new(),
            gate: AtomicBool::new(false),
        });
        inner.other.request(crate::author::UNBOUNDED);
        inner
            .serializer
            .on_subscribe(Arc::clone(&inner) as Arc<dyn Subscription>);
        (!inner.is_ended()).then_some(inner)
    }

    /// True once the stream's end was recorded: a main upstream not yet
    /// subscribed need not be.
    pub(crate) fn is_ended(&self) -> bool {
        self.serializer.is_ended()
    }

    /// Ends the stream, if it is the first end: both upstreams are cancelled
    /// (except the one whose terminal signal `by` says this is: it is only
    /// forgotten, §2.3), then `end` goes downstream (race 1).
    pub(crate) fn end(&self, end: End, by: EndedBy) {
        if self.serializer.record(end) {
            match by {
                EndedBy::MainTerminal => self.main.clear(),
                _ => self.main.cancel(),
            }
            match by {
                EndedBy::OtherTerminal => self.other.clear(),
                _ => self.other.cancel(),
            }
            self.serializer.deliver();
        }
    }

    /// Opens the gate (`skip_until`): items pass from now on.
    pub(crate) fn open(&self) {
        // Ordering: Release. Pairs with: the Acquire load in `is_open`
        // (race 2 in the module docs).
        self.gate.store(true, Ordering::Release);
    }

    /// True once the gate is open.
    #[inline]
    pub(crate) fn is_open(&self) -> bool {
        // Ordering: Acquire. Pairs with: the Release store in `open`.
        self.gate.load(Ordering::Acquire)
    }
}

impl<S, T> Subscription for UntilInner<S, T>
where
    S: Subscriber<T> + 'static,
    T: Send + 'static,
{
    fn request(&self, n: u64) {
        if n == 0 {
            // §3.9: our own error; both upstreams are cancelled.
            self.end(End::Error(Error::non_positive_request()), EndedBy::Signal);
        } else {
            self.main.request(n);
        }
    }

    fn cancel(&self) {
        self.end(End::Cancel, EndedBy::Signal);
    }
}

impl<S, T> core::fmt::Debug for UntilInner<S, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UntilInner")
            .field("serializer", &self.serializer)
            .field("main", &self.main)
            .field("other", &self.other)
            .field("gate", &self.gate.load(Ordering::Relaxed))
            .finish()
    }
}
