//! What the combining operators with several live sources (merge, zip,
//! combine_latest) share: the subscriber each source is given, which keeps
//! §2.5 and §1.7 on the source's side and hands each signal to the
//! operator's shared state (the [`Parent`]), tagged with the source's
//! position; and the slot for the first error of any source.

use crate::error::Error;
use crate::ops::support::arbiter::Arbiter;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Subscriber, Subscription};

/// The shared state of a combining operator, as its sources' subscribers see
/// it. `Q` is what each source's subscriber owns on its own (the producer end
/// of its prefetch queue, or nothing).
pub(crate) trait Parent<T, Q>: Send + Sync {
    /// The upstream link of source `index`: its subscription, the prefetch it
    /// asks for once subscribed, and cancellation.
    fn link(&self, index: usize) -> &Arbiter;

    /// An item from source `index`. An `Err` means the source sent more than
    /// was requested of it: the caller cancels that source and reports the
    /// error through [`inner_error`](Parent::inner_error).
    fn inner_next(&self, index: usize, port: &mut Q, item: T) -> Result<(), Error>;

    /// Source `index` failed.
    fn inner_error(&self, index: usize, error: Error);

    /// Source `index` completed.
    fn inner_complete(&self, index: usize);
}

/// The subscriber to source `index` of a combining operator.
pub(crate) struct InnerSubscriber<P, Q> {
    parent: Arc<P>,
    index: usize,
    port: Q,
    subscribed: bool,
    /// A terminal signal was passed on (or the source overflowed): later
    /// signals are ignored (§1.7 from our side).
    done: bool,
}

impl<P, Q> InnerSubscriber<P, Q> {
    pub(crate) fn new(parent: Arc<P>, index: usize, port: Q) -> Self {
        InnerSubscriber {
            parent,
            index,
            port,
            subscribed: false,
            done: false,
        }
    }
}

impl<T, P, Q> Subscriber<T> for InnerSubscriber<P, Q>
where
    P: Parent<T, Q>,
    Q: Send,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        // Asks for the prefetch the link was made with (or cancels the source
        // at once if the operator is already cancelled or failed).
        self.parent.link(self.index).set(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return; // §2.8: late items after our own cancel
        }
        if let Err(error) = self.parent.inner_next(self.index, &mut self.port, item) {
            self.done = true;
            self.parent.link(self.index).cancel();
            self.parent.inner_error(self.index, error);
        }
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.parent.inner_error(self.index, error);
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            self.parent.inner_complete(self.index);
        }
    }
}

/// The first error of a combining operator's sources: stored once, then
/// flagged for the drainer, which takes it. Later errors are dropped.
///
/// Ordering: the error is written under the lock before `failed` is set
/// (Release); the drainer takes it after seeing `failed` (Acquire).
#[derive(Debug)]
pub(crate) struct FirstError {
    failed: AtomicBool,
    error: Mutex<Option<Error>>,
}

impl FirstError {
    pub(crate) fn new() -> Self {
        FirstError {
            failed: AtomicBool::new(false),
            error: Mutex::new(None),
        }
    }

    /// Records `error` unless one was recorded before. Returns true when it
    /// was recorded: the caller then signals the drain.
    pub(crate) fn set(&self, error: Error) -> bool {
        {
            let mut slot = self.error.lock();
            // Ordering: Relaxed; the lock orders it with the store below.
            if slot.is_some() || self.failed.load(Ordering::Relaxed) {
                drop(slot);
                return false; // `error` is dropped here, unlocked
            }
            *slot = Some(error);
        }
        // Ordering: Release publishes the stored error. Pairs with: the
        // Acquire load in `is_set`.
        self.failed.store(true, Ordering::Release);
        true
    }

    /// True once an error was recorded.
    #[inline]
    pub(crate) fn is_set(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `set`, so that `take`
        // finds the error.
        self.failed.load(Ordering::Acquire)
    }

    /// The recorded error, once (for the drainer, after `is_set`).
    pub(crate) fn take(&self) -> Option<Error> {
        self.error.lock().take()
    }
}
