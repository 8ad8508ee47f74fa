//! `on_backpressure_drop`: requests without bound upstream and drops each
//! item that arrives when the downstream has no demand for it.
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream, once the downstream has
//! its subscription (a request made inside `on_subscribe` is in place before
//! the first item). An item is delivered if the downstream has requested
//! more than it has received, and dropped otherwise; nothing is kept.
//! Terminal signals pass through at once. Threads: runs on the upstream's
//! thread; a `request` only adds demand.
//!
//! # Implementation notes
//!
//! ## State
//! `requested: Demand`, in [`Gate`]: the *total* the downstream has requested
//! (it is never decremented: `produced` is not used), saturating at
//! `UNBOUNDED`, and the cancelled bit.
//! `emitted: u64`, in the upstream's subscriber: items the downstream
//! accepted. An item is within demand when `emitted < requested`.
//!
//! ## Field access rules
//! * `requested`: added to by `request` on any thread; read by the upstream's
//!   subscriber, the only party that emits (upstream signals are serial,
//!   §1.3), so no drain is needed.
//! * `emitted`: the upstream's subscriber's alone.
//!
//! ## Races considered
//! 1. `request` vs an arriving item: the item reads `requested` once, with
//!    Acquire (pairing with the Release of the add). It either sees the new
//!    demand and is delivered, or does not and is dropped; it never goes past
//!    the demand it saw, which is at most the demand requested (§1.1). Loom:
//!    `request_races_an_item`.
//! 2. `cancel` vs an arriving item: the cancel sets the bit, which the next
//!    read of `requested` sees as no demand at all (`Demand::get` is 0 once
//!    cancelled); the item is then dropped without the callback, as an item
//!    in flight after a cancel (§2.8), and upstream was cancelled by `cancel`.
//! 3. `request(0)`: passed upstream, which answers with the §3.9 error; the
//!    error passes through.

use core::fmt;

use crate::author::{Demand, UNBOUNDED};
use crate::error::Error;
use crate::ops::support::buffered::{dropped, OnDropped};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`on_backpressure_drop`](crate::PublisherExt::on_backpressure_drop)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct OnBackpressureDrop<P: Publisher> {
    upstream: P,
    on_dropped: Option<OnDropped<P::Item>>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for OnBackpressureDrop<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnBackpressureDrop")
            .field("upstream", &self.upstream)
            .field("on_dropped", &self.on_dropped.is_some())
            .finish()
    }
}

impl<P: Publisher + Clone> Clone for OnBackpressureDrop<P> {
    fn clone(&self) -> Self {
        OnBackpressureDrop {
            upstream: self.upstream.clone(),
            on_dropped: self.on_dropped.clone(),
        }
    }
}

impl<P: Publisher> OnBackpressureDrop<P> {
    pub(crate) fn new(upstream: P) -> Self {
        OnBackpressureDrop {
            upstream,
            on_dropped: None,
        }
    }

    /// Hands every item dropped for lack of demand to `callback`, on the
    /// upstream's thread, in order. Replaces an earlier callback.
    ///
    /// Items that arrive after a cancel are not dropped for lack of demand
    /// and do not go to the callback. A panic in `callback` cancels upstream
    /// and fails the stream with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let missed = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&missed);
    /// let ts = TestSubscriber::new(2);
    /// source::range(0..5u32)
    ///     .on_backpressure_drop()
    ///     .on_dropped(move |x| sink.lock().unwrap().push(x))
    ///     .subscribe(ts.clone());
    /// ts.assert_values(&[0, 1]).assert_complete();
    /// assert_eq!(*missed.lock().unwrap(), [2, 3, 4]);
    /// ```
    pub fn on_dropped<F>(mut self, callback: F) -> Self
    where
        F: Fn(P::Item) + Send + Sync + 'static,
    {
        self.on_dropped = Some(Arc::new(callback));
        self
    }
}

impl<P: Publisher> Publisher for OnBackpressureDrop<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.upstream.subscribe(DirectSubscriber::new(
            subscriber,
            NoDemand::Drop(self.on_dropped.clone()),
        ));
    }
}

/// What an item that arrives without demand meets.
pub(crate) enum NoDemand<T> {
    /// Dropped, through the callback if there is one.
    Drop(Option<OnDropped<T>>),
    /// An overflow error; upstream is cancelled.
    Error,
}

/// The subscription handed downstream by `on_backpressure_drop` and
/// `on_backpressure_error`: it only counts demand.
pub(crate) struct Gate {
    requested: Demand,
    upstream: Arc<dyn Subscription>,
}

impl Subscription for Gate {
    fn request(&self, n: u64) {
        if n == 0 {
            // Race 3: upstream answers with the §3.9 error, which passes
            // through (after a cancel, upstream ignores it, §3.6).
            self.upstream.request(0);
        } else {
            self.requested.add(n);
        }
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.requested.cancel() {
            self.upstream.cancel();
        }
    }
}

/// The upstream-facing subscriber of `on_backpressure_drop` and
/// `on_backpressure_error`: emits within demand, directly.
pub(crate) struct DirectSubscriber<S, T> {
    downstream: S,
    no_demand: NoDemand<T>,
    gate: Option<Arc<Gate>>,
    emitted: u64,
    /// A terminal signal went downstream (or the stream was cancelled).
    done: bool,
}

impl<S, T> DirectSubscriber<S, T>
where
    S: Subscriber<T>,
{
    pub(crate) fn new(downstream: S, no_demand: NoDemand<T>) -> Self {
        DirectSubscriber {
            downstream,
            no_demand,
            gate: None,
            emitted: 0,
            done: false,
        }
    }

    /// The operator failed by itself: cancel upstream, then the error.
    #[cold]
    fn fail(&mut self, error: Error) {
        self.done = true;
        if let Some(gate) = &self.gate {
            gate.upstream.cancel();
        }
        self.downstream.on_error(error);
    }
}

impl<S, T> Subscriber<T> for DirectSubscriber<S, T>
where
    S: Subscriber<T>,
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.gate.is_some() {
            subscription.cancel(); // §2.5
            return;
        }
        let gate = Arc::new(Gate {
            requested: Demand::new(),
            upstream: Arc::clone(&subscription),
        });
        self.gate = Some(Arc::clone(&gate));
        // Downstream first, so that a request made inside on_subscribe is in
        // place before a synchronous upstream starts emitting.
        self.downstream.on_subscribe(gate as Arc<dyn Subscription>);
        if !self
            .gate
            .as_ref()
            .is_some_and(|g| g.requested.is_cancelled())
        {
            subscription.request(UNBOUNDED);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return;
        }
        let Some(gate) = &self.gate else {
            return;
        };
        // Race 1: one Acquire load; 0 once cancelled (race 2).
        let requested = gate.requested.get();
        if self.emitted < requested {
            self.emitted += u64::from(self.downstream.try_on_next(item));
            return;
        }
        if gate.requested.is_cancelled() {
            self.done = true; // §2.8: in flight after the cancel; not a drop
            return;
        }
        let outcome = match &self.no_demand {
            NoDemand::Drop(on_dropped) => dropped(on_dropped.as_ref(), item),
            NoDemand::Error => Err(Error::overflow(
                "on_backpressure_error: an item arrived with no demand from downstream",
            )),
        };
        if let Err(error) = outcome {
            self.fail(error);
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.downstream.on_error(error);
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.downstream.on_complete();
        }
    }
}
