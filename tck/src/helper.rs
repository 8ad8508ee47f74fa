//! The helper publisher: an asynchronous publisher of
//! `create_element(0)`, `create_element(1)`, ... that the subscriber and
//! processor verifications feed the implementation under test from.
//!
//! It is the JVM TCK's `AsyncIterablePublisher` (the examples module's
//! reference publisher) over the verification's `create_element`, running on
//! a pool of [`POOL_THREADS`] threads shared by every verification in the
//! process. It is written against the specification itself, so that a
//! failure is the implementation's, not the helper's:
//!
//! - each subscription is a mailbox: `request` and `cancel` only record what
//!   they were asked and schedule one *run* on the pool; at most one run of a
//!   subscription exists at a time, so its signals never overlap and each
//!   happens-before the next (§1.3);
//! - a `request` from inside `on_next` only adds to the demand, so the
//!   recursion depth is 1 (§3.3);
//! - demand saturates at [`UNBOUNDED`], which means "no limit" (§3.17);
//!   `request(0)` ends the stream with the §3.9 error;
//! - after `cancel` nothing more is delivered than what is already in flight,
//!   and the run that notices the cancel drops the subscriber (§3.12, §3.13);
//! - at the end of the elements it completes without waiting for demand
//!   (§1.2), and an empty stream completes right after `on_subscribe`;
//! - a run delivers at most [`BATCH`] items and then yields the pool thread
//!   to other subscriptions, so that an unbounded demand on an infinite
//!   stream cannot starve them;
//! - a subscriber that panics breaks §2.13: the panic is caught (the pool
//!   thread survives), the subscription counts as cancelled and the
//!   subscriber is dropped;
//! - an element function that panics fails the stream: the subscriber gets
//!   `on_error` with the panic's message (§1.4).
//!
//! # Implementation notes
//!
//! ## State
//! `Mailbox` (behind a mutex): the outstanding `demand`, the `cancelled` and
//! `bad_request` flags, and `scheduled`, true while a run is queued or
//! running. `Delivery` (behind its own mutex): the subscriber and the index of
//! the next element. `cancelled_fast`: a copy of `Mailbox::cancelled` the run
//! reads between two items without taking the mailbox lock.
//!
//! ## Field access rules
//! * `Delivery` is locked only by a run, and only one run exists at a time
//!   (`scheduled` is set under the mailbox lock by whoever queues a run, and
//!   cleared by the run itself, under that lock, when it leaves with no work).
//! * The subscriber is never called with the mailbox lock held: a `request`
//!   from inside `on_next` takes it.
//!
//! ## Races considered
//! 1. `request` while a run is about to leave: the run clears `scheduled`
//!    only under the mailbox lock and only after seeing no demand there, so
//!    either it sees the new demand or the `request` sees `scheduled == false`
//!    and queues a new run.
//! 2. `cancel` during a run: the run stops before its next item
//!    (`cancelled_fast`) and drops the subscriber at the latest when it next
//!    looks at the mailbox.

use std::collections::VecDeque;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::thread;

use reactive_streams::{BoxSubscriber, Error, Publisher, Subscriber, Subscription, UNBOUNDED};

use crate::sync::lock;

/// How many threads the helper publishers share: 4, as the JVM TCK's
/// `publisherExecutorService`.
pub const POOL_THREADS: usize = 4;

/// The most items one run delivers before it yields its pool thread.
pub const BATCH: u64 = 1024;

/// The largest finite stream [`AsyncIterablePublisher::new`] makes:
/// 2^31 - 1 elements (the JVM's `Integer.MAX_VALUE`). Above it, the stream is
/// infinite.
pub const MAX_FINITE_ELEMENTS: u64 = i32::MAX as u64;

/// An asynchronous, cold, unicast publisher of `element(0)`, `element(1)`, ...
/// delivered on a shared pool of [`POOL_THREADS`] threads (see the
/// [module docs](self) for how it keeps the rules).
///
/// Each subscriber gets its own stream, from index 0. Cheap to clone.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::helper::AsyncIterablePublisher;
/// use reactive_streams_tck::TestEnvironment;
///
/// let env = TestEnvironment::new();
/// let squares = AsyncIterablePublisher::new(3, |i| i * i);
/// assert_eq!(squares.elements(), Some(3));
///
/// let sub = env.new_manual_subscriber(&squares).unwrap();
/// assert_eq!(sub.request_next_elements(3).unwrap(), vec![0, 1, 4]);
/// sub.request_end_of_stream().unwrap();
/// env.verify_no_async_errors_no_delay().unwrap();
/// ```
pub struct AsyncIterablePublisher<T> {
    /// `None`: infinite.
    elements: Option<u64>,
    element: Arc<dyn Fn(u64) -> T + Send + Sync>,
}

impl<T> Clone for AsyncIterablePublisher<T> {
    fn clone(&self) -> Self {
        AsyncIterablePublisher {
            elements: self.elements,
            element: Arc::clone(&self.element),
        }
    }
}

impl<T> fmt::Debug for AsyncIterablePublisher<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncIterablePublisher")
            .field("elements", &self.elements)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> AsyncIterablePublisher<T> {
    /// A publisher of `element(i)` for `i` in `0..elements`; above
    /// [`MAX_FINITE_ELEMENTS`] (2^31 - 1) the stream is infinite, as the JVM
    /// TCK's `createHelperPublisher` decides.
    ///
    /// `element` may be called from several pool threads at once (for
    /// different subscribers).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::helper::AsyncIterablePublisher;
    ///
    /// assert_eq!(AsyncIterablePublisher::new(5, |i| i).elements(), Some(5));
    /// assert_eq!(AsyncIterablePublisher::new((1 << 31) - 1, |i| i).elements(), Some((1 << 31) - 1));
    /// assert_eq!(AsyncIterablePublisher::new(1 << 31, |i| i).elements(), None);
    /// ```
    pub fn new(
        elements: u64,
        element: impl Fn(u64) -> T + Send + Sync + 'static,
    ) -> AsyncIterablePublisher<T> {
        AsyncIterablePublisher {
            elements: (elements <= MAX_FINITE_ELEMENTS).then_some(elements),
            element: Arc::new(element),
        }
    }

    /// A publisher of `element(i)` for every `i`: it never completes.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::helper::AsyncIterablePublisher;
    /// use reactive_streams_tck::TestEnvironment;
    ///
    /// let env = TestEnvironment::new();
    /// let naturals = AsyncIterablePublisher::infinite(|i| i);
    /// let sub = env.new_manual_subscriber(&naturals).unwrap();
    /// assert_eq!(sub.request_next_elements(2).unwrap(), vec![0, 1]);
    /// sub.cancel();
    /// ```
    pub fn infinite(
        element: impl Fn(u64) -> T + Send + Sync + 'static,
    ) -> AsyncIterablePublisher<T> {
        AsyncIterablePublisher {
            elements: None,
            element: Arc::new(element),
        }
    }

    /// How many elements each subscriber gets; `None` for an infinite stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::helper::AsyncIterablePublisher;
    ///
    /// assert_eq!(AsyncIterablePublisher::infinite(|i| i).elements(), None);
    /// ```
    pub fn elements(&self) -> Option<u64> {
        self.elements
    }
}

impl<T: Send + 'static> Publisher for AsyncIterablePublisher<T> {
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        let shared = Arc::new_cyclic(|me| Shared {
            me: me.clone(),
            element: Arc::clone(&self.element),
            end: self.elements,
            mailbox: Mutex::new(Mailbox {
                demand: 0,
                bad_request: false,
                cancelled: false,
                // The first run (which calls `on_subscribe`) is queued below.
                scheduled: true,
            }),
            cancelled_fast: AtomicBool::new(false),
            delivery: Mutex::new(Delivery {
                subscriber: Some(Box::new(subscriber)),
                subscribed: false,
                next: 0,
            }),
        });
        // §1.9: `on_subscribe` is the first thing the run does; `subscribe`
        // itself returns at once.
        schedule(shared);
    }
}

/// The state of one subscription; shared by the subscriber's
/// `Arc<dyn Subscription>` and the queued run.
struct Shared<T> {
    /// This subscription, for `request` and `cancel` to queue a run.
    me: Weak<Shared<T>>,
    element: Arc<dyn Fn(u64) -> T + Send + Sync>,
    /// One past the last index; `None` for an infinite stream.
    end: Option<u64>,
    mailbox: Mutex<Mailbox>,
    /// `Mailbox::cancelled`, readable without the lock.
    cancelled_fast: AtomicBool,
    delivery: Mutex<Delivery<T>>,
}

struct Mailbox {
    /// Outstanding demand; [`UNBOUNDED`] means no limit (§3.17).
    demand: u64,
    /// A `request(0)` arrived (§3.9).
    bad_request: bool,
    cancelled: bool,
    /// A run is queued or running.
    scheduled: bool,
}

struct Delivery<T> {
    /// Dropped on cancel and after the terminal signal (§3.13).
    subscriber: Option<BoxSubscriber<T>>,
    subscribed: bool,
    next: u64,
}

/// What a run does after looking at the mailbox.
enum Step {
    /// Deliver this many items (demand already taken out of the mailbox).
    Deliver(u64),
    /// Signal the §3.9 error and stop.
    BadRequest,
    /// Drop the subscriber and stop.
    Cancelled,
    /// No demand: the run left (`scheduled` is cleared).
    Idle,
}

/// Marks the subscription cancelled.
fn mark_cancelled(mailbox: &mut Mailbox, fast: &AtomicBool) {
    mailbox.cancelled = true;
    // Ordering: Relaxed. A hint for the run between two items; the mailbox
    // lock orders everything that matters. Pairs with: the load in
    // `Shared::run`.
    fast.store(true, Ordering::Relaxed);
}

impl<T: Send + 'static> Shared<T> {
    /// Looks at the mailbox: takes out demand for one batch, or decides to
    /// stop, or leaves (clearing `scheduled`) when there is nothing to do.
    fn next_step(&self) -> Step {
        let mut mailbox = lock(&self.mailbox);
        if mailbox.cancelled {
            return Step::Cancelled;
        }
        if mailbox.bad_request {
            mark_cancelled(&mut mailbox, &self.cancelled_fast);
            return Step::BadRequest;
        }
        if mailbox.demand == 0 {
            mailbox.scheduled = false;
            return Step::Idle;
        }
        let batch = mailbox.demand.min(BATCH);
        if mailbox.demand < UNBOUNDED {
            mailbox.demand -= batch;
        }
        Step::Deliver(batch)
    }

    /// One run: `on_subscribe` if not done yet, then at most one batch.
    fn run(self: Arc<Self>) {
        let mut delivery = lock(&self.delivery);
        if !delivery.subscribed {
            delivery.subscribed = true;
            let subscription: Arc<dyn Subscription> = Arc::clone(&self) as _;
            if !self.signal(&mut delivery, |s| s.on_subscribe(subscription)) {
                return;
            }
            if self.end == Some(0) {
                // An empty stream completes at once, without demand (§1.2).
                self.complete(&mut delivery);
                return;
            }
        }
        match self.next_step() {
            Step::Idle => {}
            Step::Cancelled => delivery.subscriber = None,
            Step::BadRequest => {
                let mut subscriber = delivery.subscriber.take();
                drop(delivery);
                if let Some(s) = subscriber.as_mut() {
                    // §3.9; the subscriber is dropped right after (§3.13).
                    let _ = catch_unwind(AssertUnwindSafe(|| {
                        s.on_error(Error::non_positive_request())
                    }));
                }
            }
            Step::Deliver(batch) => {
                for _ in 0..batch {
                    // Ordering: Relaxed; see `mark_cancelled`.
                    if self.cancelled_fast.load(Ordering::Relaxed) {
                        break;
                    }
                    let index = delivery.next;
                    let item = match catch_unwind(AssertUnwindSafe(|| (self.element)(index))) {
                        Ok(item) => item,
                        Err(payload) => {
                            // §1.4: the source failed; tell the subscriber.
                            self.fail(&mut delivery, Error::from_panic(payload));
                            return;
                        }
                    };
                    if !self.signal(&mut delivery, |s| s.on_next(item)) {
                        return;
                    }
                    delivery.next = index + 1;
                    if Some(delivery.next) == self.end {
                        // §1.5: the end, whatever demand is left.
                        self.complete(&mut delivery);
                        return;
                    }
                }
                drop(delivery);
                self.reschedule_if_needed();
            }
        }
    }

    /// Calls the subscriber; on a panic (§2.13) cancels and drops it.
    /// Returns false if the run must stop.
    fn signal(&self, delivery: &mut Delivery<T>, f: impl FnOnce(&mut BoxSubscriber<T>)) -> bool {
        let Some(subscriber) = delivery.subscriber.as_mut() else {
            return false;
        };
        if catch_unwind(AssertUnwindSafe(|| f(subscriber))).is_ok() {
            return true;
        }
        // §2.13: the subscriber broke the rule by panicking; treat the
        // subscription as cancelled and let go of it.
        mark_cancelled(&mut lock(&self.mailbox), &self.cancelled_fast);
        delivery.subscriber = None;
        false
    }

    /// Ends the stream with `on_error` (§1.4) and drops the subscriber.
    fn fail(&self, delivery: &mut Delivery<T>, error: Error) {
        mark_cancelled(&mut lock(&self.mailbox), &self.cancelled_fast);
        if let Some(mut subscriber) = delivery.subscriber.take() {
            let _ = catch_unwind(AssertUnwindSafe(|| subscriber.on_error(error)));
        }
    }

    /// Ends the stream with `on_complete` (§1.5) and drops the subscriber.
    fn complete(&self, delivery: &mut Delivery<T>) {
        mark_cancelled(&mut lock(&self.mailbox), &self.cancelled_fast);
        if let Some(mut subscriber) = delivery.subscriber.take() {
            let _ = catch_unwind(AssertUnwindSafe(|| subscriber.on_complete()));
        }
    }

    /// After a batch: queues another run if there is work left, else leaves.
    fn reschedule_if_needed(self: Arc<Self>) {
        let mut mailbox = lock(&self.mailbox);
        let work = mailbox.cancelled || mailbox.bad_request || mailbox.demand > 0;
        if work {
            drop(mailbox);
            // `scheduled` stays true: the new run inherits it.
            schedule(self);
        } else {
            mailbox.scheduled = false;
        }
    }

    /// Records the change `f` makes to the mailbox and queues a run unless
    /// one is queued or running.
    fn post(&self, f: impl FnOnce(&mut Mailbox, &AtomicBool)) {
        let mut mailbox = lock(&self.mailbox);
        if mailbox.cancelled {
            return; // §3.6, §3.7: no-ops after cancel
        }
        f(&mut mailbox, &self.cancelled_fast);
        if mailbox.scheduled {
            return;
        }
        // The caller holds the subscription, so `me` upgrades.
        let Some(me) = self.me.upgrade() else {
            return;
        };
        mailbox.scheduled = true;
        drop(mailbox);
        schedule(me);
    }
}

impl<T: Send + 'static> Subscription for Shared<T> {
    fn request(&self, n: u64) {
        self.post(|mailbox, _| {
            if n == 0 {
                mailbox.bad_request = true; // §3.9
            } else {
                // §3.17: saturate; UNBOUNDED means no limit.
                mailbox.demand = mailbox.demand.saturating_add(n).min(UNBOUNDED);
            }
        });
    }

    fn cancel(&self) {
        // The run that sees the flag drops the subscriber (§3.13).
        self.post(|mailbox, fast| {
            mark_cancelled(mailbox, fast);
        });
    }
}

/// Queues a run of `shared` on the pool.
fn schedule<T: Send + 'static>(shared: Arc<Shared<T>>) {
    pool().execute(Box::new(move || shared.run()));
}

type Job = Box<dyn FnOnce() + Send>;

/// The fixed pool of [`POOL_THREADS`] threads every helper publisher runs on.
struct Pool {
    jobs: Mutex<VecDeque<Job>>,
    available: Condvar,
}

impl Pool {
    fn execute(&self, job: Job) {
        lock(&self.jobs).push_back(job);
        self.available.notify_one();
    }

    fn work(&self) {
        loop {
            let mut jobs = lock(&self.jobs);
            let job = loop {
                match jobs.pop_front() {
                    Some(job) => break job,
                    None => {
                        jobs = self
                            .available
                            .wait(jobs)
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                    }
                }
            };
            drop(jobs);
            // A run catches the subscriber's panics itself; this keeps the
            // thread alive should anything else panic.
            let _ = catch_unwind(AssertUnwindSafe(job));
        }
    }
}

/// The pool, started on first use; its threads live as long as the process.
fn pool() -> &'static Pool {
    static POOL: OnceLock<&'static Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let pool: &'static Pool = Box::leak(Box::new(Pool {
            jobs: Mutex::new(VecDeque::new()),
            available: Condvar::new(),
        }));
        for i in 0..POOL_THREADS {
            thread::Builder::new()
                .name(format!("reactive-streams-tck-helper-{i}"))
                .spawn(move || pool.work())
                .expect("reactive-streams-tck: cannot start a helper publisher thread");
        }
        pool
    })
}
