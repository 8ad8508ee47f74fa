//! The queue-drain hop: the engine of `publish_on` (and of a parallel
//! rail's `run_on`). Items reach the hop on the upstream's thread; one drain
//! on a [`Worker`] delivers them downstream, within demand.
//!
//! Where the items come from is a [`Pull`], pulled only on the worker:
//! [`QueueFeed`], the consumer end of the crate's SPSC queue that the
//! upstream's [`HopSubscriber`] fills (prefetch, replenished at 75%), or a
//! [`FusedSource`](crate::traits::FusedSource) that runs no user code (the
//! fused path: the worker pulls a `range` itself, nothing is queued).
//!
//! Demand: downstream's requests are served by the drain on the worker;
//! upstream is asked for `prefetch` items at first, then for 75% of that
//! each time as many were taken from the queue, so at most `prefetch` items
//! wait. Threads: signals from any thread only record their work and wake
//! the drain; the drain runs on the worker, scheduled once per wake-up (the
//! signal that finds it idle schedules it; the others only count), never
//! once per item. (A drain with endless demand and an endless source keeps
//! its worker: a `Worker` runs its own queue to the end before it returns
//! to its executor, so yielding to the worker would not let the other
//! workers of the same event loop in; that is the worker's to change.)
//!
//! The end: completion and an upstream error wait behind the items queued
//! before them (nothing that arrived before the error is lost to a race of
//! threads), then go out even without demand (§1.4, §1.5, §2.9). A cancel
//! cancels upstream at once, on the cancelling thread; the drain then drops
//! the queue and the subscriber on the worker. Either way the worker is
//! disposed. A refused schedule (the scheduler disposed) fails the stream
//! with the worker's rejection (kind `Rejected`) on the thread that met the
//! refusal, and cancels upstream: never a hang. A panic in downstream's code
//! on the worker cancels upstream, drops the subscriber and the queue, and
//! unwinds into the worker, which survives it.
//!
//! # Implementation notes
//!
//! ## State
//! `demand: Demand`: downstream's outstanding requests and the cancelled
//! bit, which `request(0)` sets too.
//! `drain: Drain<Option<Active>>`: the feed and the subscriber; `None` once
//! terminated or cancelled (§3.13).
//! `upstream`: the upstream subscription (queued path), cancelled from any
//! thread.
//! `QueueEnd` (queued path): `done`, set by the upstream's subscriber after
//! it stored the terminal signal in `end`.
//!
//! ## Field access rules
//! 1. The drain's state: the drainer only. A signal that raises the drain's
//!    count from 0 gets a [`Claim`] (`drain.rs`, race 3), and schedules a
//!    [`DrainTask`] carrying it on the worker, which resumes it. So exactly
//!    one drain task is scheduled or running at a time, and the state is
//!    touched by the worker only, except: by `start` (the first drainer,
//!    which calls `on_subscribe` on the subscribing thread and hands off),
//!    and by a [`DrainTask`] dropped unrun (refused or dropped by a
//!    disposal), which resumes its claim where it is dropped to fail the
//!    stream.
//! 2. The queue: the upstream's subscriber pushes, the drainer pops (SPSC).
//! 3. `end` is written once, before `done` is set (Release); the drainer
//!    reads `done` (Acquire) *before* it pops, so an empty pop after seeing
//!    `done` means every item is out.
//! 4. `demand` is decreased (`produced`) by the drainer only.
//!
//! ## Races considered
//! 1. An item vs the drain going idle: the upstream pushes, then signals;
//!    the drain leaves only if no signal came since its last look
//!    (`drain.rs`, race 1). Either the drain sees the signal and goes round,
//!    or its leave comes first and the signal claims the drain and schedules
//!    a new task. Loom: `loom_hop::an_item_races_the_drain_going_idle`.
//! 2. A request vs the drain: as 1, with demand instead of an item.
//! 3. Completion vs the last item: rule 3. Loom:
//!    `loom_hop::completion_races_the_last_item`.
//! 4. `cancel` vs the drain: `cancel` sets the bit, cancels upstream and
//!    signals; the drain checks the bit before every item, and whoever
//!    drains when it is seen drops the queue and the subscriber. Loom:
//!    `loom_hop::cancel_races_the_drain`.
//! 5. A disposal vs a schedule: the worker refuses the task (it is dropped
//!    before `schedule` returns) or drops it unrun later; either way its
//!    guard resumes the claim and fails the stream. Loom:
//!    `loom_hop::disposal_races_a_schedule`.

use core::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use crate::author::{Demand, Replenish};
use crate::author::{Pull, Step};
use crate::drain::{Claim, Drain, Entered};
use crate::error::Error;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::scheduler::{RejectReason, Rejected, Worker};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex, Weak};
use crate::traits::{Subscriber, Subscription};

/// The prefetch of [`publish_on`](crate::PublisherExt::publish_on): how many
/// items a hop asks upstream for ahead, and so the most it queues.
pub const HOP_PREFETCH: usize = 256;

/// The largest prefetch a hop takes: a larger one (or an
/// [`UNBOUNDED`](crate::UNBOUNDED)-like one) is clamped to it, and a
/// prefetch of 0 is clamped to 1. The queue's slots are allocated up front,
/// so this bounds what a prefetch can allocate.
pub const MAX_HOP_PREFETCH: usize = 1 << 16;

/// The most items one drain task delivers before it schedules its
/// continuation: the other workers of its thread (other rails, other
/// streams on the same event loop) run in between, as the event-loop
/// schedulers let workers take turns.
pub(crate) const HOP_BATCH: u64 = 1024;

/// A prefetch as the hop uses it (see [`MAX_HOP_PREFETCH`]).
pub(crate) fn clamp_prefetch(prefetch: usize) -> usize {
    prefetch.clamp(1, MAX_HOP_PREFETCH)
}

/// The shared state of one hop; also the subscription handed downstream.
pub(crate) struct Hop<F, S> {
    demand: Demand,
    worker: Worker,
    /// The upstream subscription, on the queued path.
    upstream: Option<Arc<dyn Subscription>>,
    drain: Drain<Option<Active<F, S>>>,
    /// Ourselves, for the drain task to own (a `Subscription` method gets
    /// only `&self`).
    this: Weak<Hop<F, S>>,
}

struct Active<F, S> {
    feed: F,
    downstream: S,
}

/// How a drain round ended.
enum Stop {
    /// No demand, or nothing to deliver: leave the drain.
    Idle,
    /// [`HOP_BATCH`] items went out in this task: schedule the rest, so
    /// that the other workers of the thread get their turn.
    Yield,
    /// The subscriber was signalled (or cancelled) and dropped.
    Terminated,
}

impl<F, S> Hop<F, S>
where
    F: Pull,
    S: Subscriber<F::Item> + 'static,
{
    /// A hop of `feed` to `downstream` on `worker`: calls `on_subscribe` on
    /// this thread (as the first drainer, so a request inside it only
    /// records demand), then hands the drain to the worker if there is work
    /// (always, when `check_end`: a fused source may be over already).
    pub(crate) fn start(
        feed: F,
        worker: Worker,
        upstream: Option<Arc<dyn Subscription>>,
        downstream: S,
        check_end: bool,
    ) -> Arc<Self> {
        let hop = Arc::new_cyclic(|this| Hop {
            demand: Demand::new(),
            worker,
            upstream,
            drain: Drain::new(Some(Active { feed, downstream })),
            this: Weak::clone(this),
        });
        let Some(mut entered) = hop.drain.try_enter() else {
            unreachable!("a new drain is free");
        };
        if let Some(active) = entered.state() {
            // §1.9: on_subscribe first.
            active
                .downstream
                .on_subscribe(Arc::clone(&hop) as Arc<dyn Subscription>);
        }
        if check_end {
            hop.schedule(entered.hand_off());
        } else if let Some(again) = entered.leave() {
            hop.schedule(again.hand_off());
        }
        hop
    }

    /// True once downstream cancelled (or requested 0).
    pub(crate) fn is_cancelled(&self) -> bool {
        self.demand.is_cancelled()
    }

    /// Records that there is work (an item, the end) and wakes the drain.
    #[inline]
    pub(crate) fn signal(&self) {
        if let Some(claim) = self.drain.try_claim() {
            self.schedule(claim);
        }
    }

    /// Schedules the drain on the worker. A refusal drops the task, whose
    /// guard fails the stream (race 5).
    fn schedule(&self, claim: Claim) {
        let Some(hop) = self.this.upgrade() else {
            // Only while the last handle drops: nobody is left to deliver
            // to, and dropping the claim closes the drain.
            return;
        };
        let task = DrainTask {
            hop,
            claim: Some(claim),
        };
        let _ = self.worker.schedule(move || task.run());
    }

    /// The drain, on the worker.
    fn run(&self, mut entered: Entered<'_, Option<Active<F, S>>>) {
        // Items delivered by this task, across rounds: a hop whose upstream
        // keeps its queue filled (a parallel rail feeding itself through the
        // split) would otherwise never give its thread back.
        let mut budget = HOP_BATCH;
        loop {
            let round = catch_unwind(AssertUnwindSafe(|| {
                self.round(entered.state(), &mut budget)
            }));
            match round {
                Ok(Stop::Idle) => match entered.leave() {
                    Some(again) => entered = again,
                    None => return,
                },
                Ok(Stop::Yield) => return self.schedule(entered.hand_off()),
                Ok(Stop::Terminated) => return entered.close(),
                Err(payload) => {
                    // Downstream panicked: upstream is cancelled, the queue
                    // and the subscriber are dropped, the drain closes, and
                    // the panic goes on into the worker, which survives it.
                    self.cancel_upstream();
                    drop(entered.state().take());
                    entered.close();
                    self.worker.dispose();
                    resume_unwind(payload);
                }
            }
        }
    }

    /// Delivers within demand; then the end, if it is due.
    fn round(&self, slot: &mut Option<Active<F, S>>, budget: &mut u64) -> Stop {
        let Some(Active { feed, downstream }) = slot.as_mut() else {
            return Stop::Terminated;
        };
        if self.demand.is_cancelled() {
            return self.cancelled(slot);
        }
        if let Some(end) = feed.finished() {
            return self.terminate(slot, end);
        }
        let mut requested = self.demand.get();
        loop {
            let mut left = requested;
            while left != 0 {
                // §3.12: a cancel (or a request(0)) is seen before every item.
                if self.demand.is_cancelled() {
                    return self.cancelled(slot);
                }
                if *budget == 0 {
                    self.demand.produced(requested - left);
                    return Stop::Yield;
                }
                *budget -= 1;
                match feed.next() {
                    // A rejected item (a filter downstream) does not count.
                    Step::Next(item) => left -= u64::from(downstream.try_on_next(item)),
                    Step::Pending => break,
                    Step::End(end) => return self.ended(slot, end),
                }
            }
            let pending = left != 0;
            if !pending {
                // Demand used up: end now if the end is known (§1.4, §1.5).
                if let Some(end) = feed.finished() {
                    return self.ended(slot, end);
                }
            }
            requested = self.demand.produced(requested - left);
            if requested == 0 || pending {
                return Stop::Idle;
            }
        }
    }

    /// The feed ended right after an item: a cancel made inside that item's
    /// `on_next` still wins (§3.12).
    fn ended(&self, slot: &mut Option<Active<F, S>>, end: Result<(), Error>) -> Stop {
        if self.demand.is_cancelled() {
            return self.cancelled(slot);
        }
        self.terminate(slot, end)
    }

    /// §1.4, §1.5: the end goes out; the feed, the subscriber and the
    /// worker are released.
    #[cold]
    fn terminate(&self, slot: &mut Option<Active<F, S>>, end: Result<(), Error>) -> Stop {
        if let Some(Active {
            feed,
            mut downstream,
        }) = slot.take()
        {
            drop(feed);
            self.worker.dispose();
            match end {
                Ok(()) => downstream.on_complete(),
                Err(error) => downstream.on_error(error),
            }
        }
        Stop::Terminated
    }

    /// The cancelled bit is set: a cancel, or a `request(0)` (§3.9).
    #[cold]
    fn cancelled(&self, slot: &mut Option<Active<F, S>>) -> Stop {
        // A cancel has cancelled upstream already; a request(0) has not.
        self.cancel_upstream();
        if let Some(Active {
            feed,
            mut downstream,
        }) = slot.take()
        {
            drop(feed);
            self.worker.dispose();
            if let Some(error) = self.demand.take_invalid() {
                downstream.on_error(error);
            }
        }
        Stop::Terminated
    }

    fn cancel_upstream(&self) {
        if let Some(upstream) = &self.upstream {
            upstream.cancel();
        }
    }

    /// A drain task was dropped unrun (race 5): fail the stream with the
    /// worker's rejection, here, on the thread that dropped it.
    #[cold]
    fn abandoned(&self, claim: Claim) {
        let mut entered = self.drain.resume(claim);
        self.cancel_upstream();
        let slot = entered.state();
        if self.demand.is_cancelled() {
            self.cancelled(slot);
        } else if slot.is_some() {
            let rejected = self
                .worker
                .rejection()
                .unwrap_or_else(|| Rejected::new("hop".into(), RejectReason::Abandoned));
            self.terminate(slot, Err(Error::from(rejected)));
        }
        entered.close();
    }
}

impl<F, S> Subscription for Hop<F, S>
where
    F: Pull,
    S: Subscriber<F::Item> + 'static,
{
    fn request(&self, n: u64) {
        self.demand.request(n); // n == 0: §3.9, handled by the drainer
        self.signal();
    }

    fn cancel(&self) {
        // §3.7: only the first cancel does anything.
        if self.demand.cancel() {
            self.cancel_upstream();
            self.signal();
        }
    }
}

impl<F, S> fmt::Debug for Hop<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hop")
            .field("demand", &self.demand)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

/// The drain as a task of the worker. Dropped unrun (refused, or dropped by
/// a disposal), it fails the stream instead (race 5).
struct DrainTask<F, S>
where
    F: Pull,
    S: Subscriber<F::Item> + 'static,
{
    hop: Arc<Hop<F, S>>,
    claim: Option<Claim>,
}

impl<F, S> DrainTask<F, S>
where
    F: Pull,
    S: Subscriber<F::Item> + 'static,
{
    fn run(mut self) {
        if let Some(claim) = self.claim.take() {
            let hop = Arc::clone(&self.hop);
            drop(self);
            let entered = hop.drain.resume(claim);
            hop.run(entered);
        }
    }
}

impl<F, S> Drop for DrainTask<F, S>
where
    F: Pull,
    S: Subscriber<F::Item> + 'static,
{
    fn drop(&mut self) {
        if let Some(claim) = self.claim.take() {
            self.hop.abandoned(claim);
        }
    }
}

/// Where the upstream's terminal signal waits for the drain (rule 3).
#[derive(Debug, Default)]
pub(crate) struct QueueEnd {
    done: AtomicBool,
    end: Mutex<Option<Result<(), Error>>>,
}

impl QueueEnd {
    fn set(&self, end: Result<(), Error>) {
        *self.end.lock() = Some(end);
        // Ordering: Release publishes `end` and every item pushed before.
        // Pairs with: the Acquire loads in `QueueFeed`.
        self.done.store(true, Ordering::Release);
    }

    fn is_done(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `set`.
        self.done.load(Ordering::Acquire)
    }

    fn take(&self) -> Result<(), Error> {
        self.end.lock().take().unwrap_or(Ok(()))
    }
}

/// The queued path's feed: the consumer end of the queue, and the upstream
/// subscription to replenish.
pub(crate) struct QueueFeed<T> {
    consumer: Consumer<T>,
    end: Arc<QueueEnd>,
    upstream: Arc<dyn Subscription>,
    replenish: Replenish,
}

impl<T: Send + 'static> Pull for QueueFeed<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Step<T> {
        // Rule 3: `done` before the pop.
        let done = self.end.is_done();
        match self.consumer.pop() {
            Some(item) => self.taken(item),
            None if done => Step::End(self.end.take()),
            None => self.spin(),
        }
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        if self.end.is_done() && self.consumer.is_empty() {
            Some(self.end.take())
        } else {
            None
        }
    }
}

/// How many times an empty queue is looked at again before the drain goes
/// idle (see [`QueueFeed::spin`]).
const SPINS: u32 = 128;

impl<T: Send + 'static> QueueFeed<T> {
    /// An item left the queue: replenish upstream if 75% of a batch did.
    #[inline]
    fn taken(&mut self, item: T) -> Step<T> {
        if let Some(n) = self.replenish.consumed_one() {
            self.upstream.request(n);
        }
        Step::Next(item)
    }

    /// The queue is empty: look again a few times before saying so, as a
    /// channel spins before it parks. A producer on another thread is
    /// usually about to push, and an idle drain costs the next item a
    /// schedule on the worker (a lock and a wake-up) instead of a pop.
    /// (Not under loom: a spin there only multiplies the interleavings.)
    #[cold]
    fn spin(&mut self) -> Step<T> {
        #[cfg(not(reactive_streams_loom))]
        for _ in 0..SPINS {
            crate::sync::spin_loop();
            if let Some(item) = self.consumer.pop() {
                return self.taken(item);
            }
        }
        Step::Pending
    }
}

/// The upstream-facing subscriber of the queued hop: queues items and
/// terminal signals, and wakes the drain. Subscribe it to any publisher to
/// move that publisher's items onto `worker` (what `publish_on` does with
/// a publisher it cannot fuse, and a rail's `run_on` with each rail).
pub(crate) struct HopSubscriber<T: Send + 'static, S: Subscriber<T> + 'static> {
    /// Until `on_subscribe`.
    setup: Option<(Worker, S)>,
    prefetch: usize,
    producer: Option<Producer<T>>,
    end: Arc<QueueEnd>,
    hop: Option<Arc<Hop<QueueFeed<T>, S>>>,
    /// A terminal signal was queued (or upstream overflowed): later signals
    /// are ignored (§2.8 from our side).
    done: bool,
}

impl<T: Send + 'static, S: Subscriber<T> + 'static> HopSubscriber<T, S> {
    /// Delivers to `downstream` on `worker`, with `prefetch` items in
    /// flight at most (clamped as [`MAX_HOP_PREFETCH`] says).
    pub(crate) fn new(worker: Worker, prefetch: usize, downstream: S) -> Self {
        HopSubscriber {
            setup: Some((worker, downstream)),
            prefetch: clamp_prefetch(prefetch),
            producer: None,
            end: Arc::new(QueueEnd::default()),
            hop: None,
            done: false,
        }
    }

    fn finish(&mut self, end: Result<(), Error>) {
        if self.done {
            return;
        }
        self.done = true;
        self.end.set(end);
        if let Some(hop) = &self.hop {
            hop.signal();
        }
    }
}

impl<T: Send + 'static, S: Subscriber<T> + 'static> Subscriber<T> for HopSubscriber<T, S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        let Some((worker, downstream)) = self.setup.take() else {
            subscription.cancel(); // §2.5
            return;
        };
        let (producer, consumer) = spsc(self.prefetch);
        self.producer = Some(producer);
        let feed = QueueFeed {
            consumer,
            end: Arc::clone(&self.end),
            upstream: Arc::clone(&subscription),
            replenish: Replenish::new(self.prefetch as u64),
        };
        let hop = Hop::start(
            feed,
            worker,
            Some(Arc::clone(&subscription)),
            downstream,
            false,
        );
        let cancelled = hop.is_cancelled();
        self.hop = Some(hop);
        if !cancelled {
            subscription.request(self.prefetch as u64);
        }
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return;
        }
        let (Some(producer), Some(hop)) = (&mut self.producer, &self.hop) else {
            return;
        };
        match producer.push(item) {
            Ok(()) => hop.signal(),
            Err(item) => {
                drop(item);
                if let Some(hop) = &self.hop {
                    hop.cancel_upstream();
                }
                let prefetch = self.prefetch;
                self.finish(Err(Error::overflow(format!(
                    "publish_on: upstream sent more than the {prefetch} items requested (§1.1)"
                ))));
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.finish(Err(error));
    }

    fn on_complete(&mut self) {
        self.finish(Ok(()));
    }
}

impl<T: Send + 'static, S: Subscriber<T> + 'static> fmt::Debug for HopSubscriber<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HopSubscriber")
            .field("prefetch", &self.prefetch)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
