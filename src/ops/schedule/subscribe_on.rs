//! `subscribe_on`: upstream is subscribed on a worker of a scheduler, and
//! the requests downstream makes from other threads are made on that worker
//! too (Reactor's `subscribeOn` with `requestOnSeparateThread`), so a
//! synchronous upstream emits on the worker.
//!
//! Downstream gets its subscription at once, on the subscribing thread;
//! upstream is subscribed by a task on the worker. Demand requested before
//! upstream arrives is added up and passed on when it does. A request made
//! on the worker, inside one of this operator's tasks (a subscriber that
//! requests from `on_next` while a synchronous upstream emits there), goes
//! upstream at once; one from any other thread adds to the pending demand,
//! and the thread that finds no forwarding task under way schedules one: a
//! task per wake-up, not per request. Signals go downstream from wherever
//! upstream makes them.
//!
//! Cancelling cancels upstream at once, on the cancelling thread, and
//! disposes the worker. A scheduler that refuses the subscription task
//! (disposed) fails the stream with its rejection (kind `Rejected`). A
//! forwarding task refused later (the scheduler disposed mid-stream) makes
//! its request on the thread that met the refusal instead: the stream goes
//! on rather than stall.
//!
//! # Implementation notes
//!
//! ## State
//! `slot: Mutex<Slot>`: the upstream subscription once it arrived, or the
//! fact that downstream cancelled.
//! `pending: AtomicU64`: demand requested from other threads (or before
//! upstream arrived) not yet passed on, saturating at `UNBOUNDED`;
//! `zero: AtomicBool`, a `request(0)` not yet passed on (upstream answers
//! it, §3.9).
//! `forwarding: Drain<()>`: only its count is used: the request that raises
//! it from 0 gets a claim and schedules the forwarding task, which resumes
//! it on the worker and passes `pending` on until nothing new came.
//! `on_worker: Mutex<Option<ThreadId>>`: the thread running one of our
//! tasks, while it runs.
//!
//! ## Races considered
//! 1. A request vs the forwarding task leaving: the requester adds to
//!    `pending`, then bumps the count; the task swaps `pending` to 0, then
//!    tries to leave, and goes round again if the count moved (`drain.rs`,
//!    race 1). No demand is lost or passed on twice. Loom:
//!    `loom_subscribe_on::requests_from_two_threads_race_the_forwarding`.
//! 2. A request vs upstream arriving: the subscription is set in `slot`,
//!    then `pending` is passed on, both on the worker; a request that added
//!    to `pending` before then is passed on by the arrival, one after it by
//!    the forwarding task it scheduled, which runs after (the worker is
//!    serial). Loom: `loom_subscribe_on::a_request_races_the_subscription`.
//! 3. `cancel` vs upstream arriving: both under `slot`'s lock; a cancel
//!    first leaves `Cancelled`, and upstream is cancelled on arrival.

use core::fmt;

use crate::author::UNBOUNDED;
use crate::drain::{Claim, Drain};
use crate::error::Error;
use crate::scheduler::{Scheduler, Worker};
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::thread::{self, ThreadId};
use crate::sync::{Arc, Mutex, Weak};
use crate::traits::{Fused, Publisher, Subscriber, Subscription};

/// Publisher for the [`subscribe_on`](crate::PublisherExt::subscribe_on)
/// method.
#[must_use = "publishers do nothing until subscribed"]
pub struct SubscribeOn<P> {
    upstream: Arc<P>,
    scheduler: Arc<dyn Scheduler>,
}

impl<P> SubscribeOn<P> {
    pub(crate) fn new(upstream: P, scheduler: Arc<dyn Scheduler>) -> Self {
        SubscribeOn {
            upstream: Arc::new(upstream),
            scheduler,
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for SubscribeOn<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubscribeOn")
            .field("upstream", &self.upstream)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl<P> Clone for SubscribeOn<P> {
    fn clone(&self) -> Self {
        SubscribeOn {
            upstream: Arc::clone(&self.upstream),
            scheduler: Arc::clone(&self.scheduler),
        }
    }
}

impl<P: Publisher + 'static> Publisher for SubscribeOn<P> {
    type Item = P::Item;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        let forward = Forward::new(self.scheduler.worker());
        subscriber.on_subscribe(Arc::clone(&forward) as Arc<dyn Subscription>);
        let task = SubscribeTask {
            upstream: Arc::clone(&self.upstream),
            forward: Arc::clone(&forward),
            downstream: Some(subscriber),
        };
        // A refusal drops the task, whose guard signals it.
        let _ = forward.worker.schedule(move || task.run());
    }
}

/// The subscription handed downstream: forwards demand to the worker.
pub(crate) struct Forward {
    worker: Worker,
    slot: Mutex<Slot>,
    pending: AtomicU64,
    zero: AtomicBool,
    forwarding: Drain<()>,
    on_worker: Mutex<Option<ThreadId>>,
    this: Weak<Forward>,
}

enum Slot {
    Waiting,
    Upstream(Arc<dyn Subscription>),
    Cancelled,
}

impl Forward {
    pub(crate) fn new(worker: Worker) -> Arc<Forward> {
        Arc::new_cyclic(|this| Forward {
            worker,
            slot: Mutex::new(Slot::Waiting),
            pending: AtomicU64::new(0),
            zero: AtomicBool::new(false),
            forwarding: Drain::new(()),
            on_worker: Mutex::new(None),
            this: Weak::clone(this),
        })
    }

    fn is_cancelled(&self) -> bool {
        matches!(*self.slot.lock(), Slot::Cancelled)
    }

    fn upstream(&self) -> Option<Arc<dyn Subscription>> {
        match &*self.slot.lock() {
            Slot::Upstream(upstream) => Some(Arc::clone(upstream)),
            Slot::Waiting | Slot::Cancelled => None,
        }
    }

    /// True inside one of our tasks, on the thread running it.
    fn on_worker(&self) -> bool {
        *self.on_worker.lock() == Some(thread::current().id())
    }

    /// Runs `f` as one of our tasks: requests made meanwhile on this thread
    /// go upstream at once.
    fn as_task(&self, f: impl FnOnce()) {
        let outer = self.on_worker.lock().replace(thread::current().id());
        f();
        *self.on_worker.lock() = outer;
    }

    /// Upstream arrived (on the worker): keep it, or cancel it if
    /// downstream cancelled; then pass on what was requested meanwhile
    /// (race 2).
    fn arrived(&self, upstream: &Arc<dyn Subscription>) {
        let cancelled = {
            let mut slot = self.slot.lock();
            match &*slot {
                Slot::Cancelled => true,
                _ => {
                    *slot = Slot::Upstream(Arc::clone(upstream));
                    false
                }
            }
        };
        if cancelled {
            upstream.cancel();
        } else {
            self.pass_on();
        }
    }

    /// Passes the pending demand upstream, if upstream is there.
    fn pass_on(&self) {
        let Some(upstream) = self.upstream() else {
            return; // it takes the pending demand when it arrives
        };
        // Ordering: AcqRel; pairs with the requester's `fetch_update`, so
        // the demand it added is what we take (and nothing twice).
        let n = self.pending.swap(0, Ordering::AcqRel);
        if n != 0 {
            upstream.request(n);
        }
        if self.zero.swap(false, Ordering::AcqRel) {
            upstream.request(0); // upstream answers it (§3.9)
        }
    }

    /// Schedules the forwarding task on the worker.
    fn schedule(&self, claim: Claim) {
        let Some(forward) = self.this.upgrade() else {
            return; // dropping the claim closes the drain
        };
        let task = ForwardTask {
            forward,
            claim: Some(claim),
        };
        let _ = self.worker.schedule(move || task.run());
    }

    /// The forwarding loop: passes on the pending demand until no request
    /// came since the last look (race 1).
    fn forward(&self, claim: Claim) {
        let mut entered = self.forwarding.resume(claim);
        loop {
            if !self.is_cancelled() {
                self.pass_on();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }
}

impl Subscription for Forward {
    fn request(&self, n: u64) {
        if self.on_worker() {
            if let Some(upstream) = self.upstream() {
                return upstream.request(n);
            }
        }
        if n == 0 {
            // Ordering: Release; pairs with the swap in `pass_on`.
            self.zero.store(true, Ordering::Release);
        } else {
            // Ordering: AcqRel: a saturating add (§3.17).
            let _ = self
                .pending
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |pending| {
                    Some(pending.saturating_add(n).min(UNBOUNDED))
                });
        }
        if let Some(claim) = self.forwarding.try_claim() {
            self.schedule(claim);
        }
    }

    fn cancel(&self) {
        let upstream = {
            let mut slot = self.slot.lock();
            match std::mem::replace(&mut *slot, Slot::Cancelled) {
                Slot::Upstream(upstream) => Some(upstream),
                Slot::Waiting => None,
                Slot::Cancelled => return, // §3.7
            }
        };
        if let Some(upstream) = upstream {
            upstream.cancel();
        }
        // Drops a subscription task that has not run (its guard sees the
        // cancel and signals nothing) and any forwarding task.
        self.worker.dispose();
    }
}

impl fmt::Debug for Forward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubscribeOn")
            .field("worker", &self.worker)
            .field("pending", &self.pending.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Passes pending demand upstream on the worker; dropped unrun (its
/// scheduler disposed), it passes it on where it is dropped.
struct ForwardTask {
    forward: Arc<Forward>,
    claim: Option<Claim>,
}

impl ForwardTask {
    fn run(mut self) {
        if let Some(claim) = self.claim.take() {
            let forward = Arc::clone(&self.forward);
            forward.as_task(|| forward.forward(claim));
        }
    }
}

impl Drop for ForwardTask {
    fn drop(&mut self) {
        if let Some(claim) = self.claim.take() {
            self.forward.forward(claim);
        }
    }
}

/// Subscribes upstream on the worker; dropped unrun (refused, or dropped by
/// a disposal), it fails the stream with the rejection, unless downstream
/// cancelled.
struct SubscribeTask<P: Publisher, S: Subscriber<P::Item> + 'static> {
    upstream: Arc<P>,
    forward: Arc<Forward>,
    /// `Some` until the task runs.
    downstream: Option<S>,
}

impl<P, S> SubscribeTask<P, S>
where
    P: Publisher,
    S: Subscriber<P::Item> + 'static,
{
    fn run(mut self) {
        let Some(downstream) = self.downstream.take() else {
            return;
        };
        if self.forward.is_cancelled() {
            return; // §3.13: dropped unsignalled
        }
        let forward = Arc::clone(&self.forward);
        let upstream = Arc::clone(&self.upstream);
        forward.as_task(|| {
            upstream.subscribe(SubscribeOnSubscriber {
                forward: Arc::clone(&forward),
                downstream,
                subscribed: false,
            });
        });
    }
}

impl<P: Publisher, S: Subscriber<P::Item> + 'static> Drop for SubscribeTask<P, S> {
    fn drop(&mut self) {
        let Some(mut downstream) = self.downstream.take() else {
            return;
        };
        if matches!(*self.forward.slot.lock(), Slot::Cancelled) {
            return;
        }
        if let Some(rejected) = self.forward.worker.rejection() {
            self.forward.worker.dispose();
            downstream.on_error(Error::from(rejected));
        }
    }
}

/// The subscriber handed upstream: passes every signal on, and disposes
/// the worker at the end.
struct SubscribeOnSubscriber<S> {
    forward: Arc<Forward>,
    downstream: S,
    subscribed: bool,
}

impl<T, S> Subscriber<T> for SubscribeOnSubscriber<S>
where
    S: Subscriber<T>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        self.forward.arrived(&subscription);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.downstream.on_next(item);
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.downstream.try_on_next(item)
    }

    #[inline]
    fn try_on_next_fused(&mut self, item: T, fused: Fused) -> bool {
        // The source's per-item cancel check guards us as it guards
        // downstream: we add no state of our own.
        self.downstream.try_on_next_fused(item, fused)
    }

    fn on_error(&mut self, error: Error) {
        self.forward.worker.dispose();
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.forward.worker.dispose();
        self.downstream.on_complete();
    }
}
