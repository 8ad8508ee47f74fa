//! The time family: operators that wait for a clock (`delay`,
//! `delay_subscription`, `timeout`, `debounce`, `sample`, `throttle_first`,
//! `throttle_last`, `buffer_timeout`, `take_for`) or read one (`elapsed`,
//! `timestamp`). The timed sources, `interval` and `timer`, are in
//! [`source`](crate::source).
//!
//! Each method has an `_on` form that takes the scheduler whose timers and
//! clock it uses (`single()`, `&vts`, any `impl Into<Arc<dyn Scheduler>>`);
//! the form without takes the default time scheduler,
//! [`parallel()`](crate::scheduler::parallel). A separate method, rather than
//! a builder call, because the scheduler is what a test
//! replaces (by a [`VirtualTimeScheduler`](crate::scheduler::VirtualTimeScheduler))
//! and it reads best where the duration is; the choices that only some
//! operators have ([`NoDemand`], a fallback, a first-item limit) are
//! builder methods on the operator's type.
//!
//! # What happens when a timer fires and downstream has no demand
//!
//! | operator | the timer... | with no demand |
//! |---|---|---|
//! | `interval` | makes a tick due | the [`NoDemand`] choice (default: fail) |
//! | `timer` | makes its `()` due | it waits for a request |
//! | `debounce`, `sample`, `throttle_last` | makes the latest item due | the [`NoDemand`] choice (default: fail) |
//! | `delay` | makes the head items due | they wait (at most [`DELAY_PREFETCH`]) |
//! | `buffer_timeout` | makes the buffer due | it waits, at most `max_items` long, no more requested |
//! | `timeout` | ends the stream (error or fallback) | needs none |
//! | `take_for` | completes the stream | needs none |
//! | `delay_subscription` | subscribes upstream | needs none |
//! | `throttle_first`, `elapsed`, `timestamp` | (no timer: they read the clock) | needs none |
//!
//! None of them holds more than a bounded number of items, emits beyond
//! demand, or leaves a timer armed once its stream ended or was cancelled.
//! A scheduler that refuses a timer (disposed, or the immediate one, which
//! never waits) fails the stream with an error of kind
//! [`ErrorKind::Rejected`](crate::ErrorKind::Rejected); so does one disposed
//! while a timer waits. Durations above
//! [`MAX_DELAY`](crate::scheduler::MAX_DELAY) are clamped to it.
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod buffer_timeout;
mod debounce;
mod delay;
mod delay_subscription;
mod elapsed;
mod no_demand;
mod sample;
mod take_for;
mod throttle_first;
mod throttle_last;
mod timeout;
mod timestamp;

pub use self::buffer_timeout::BufferTimeout;
pub use self::debounce::Debounce;
pub use self::delay::{Delay, DELAY_PREFETCH};
pub use self::delay_subscription::DelaySubscription;
pub use self::elapsed::Elapsed;
pub use self::no_demand::NoDemand;
pub use self::sample::Sample;
pub use self::take_for::TakeFor;
pub use self::throttle_first::ThrottleFirst;
pub use self::throttle_last::ThrottleLast;
pub use self::timeout::Timeout;
pub use self::timestamp::Timestamp;

/// The time family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Every item `delay` later (the timeline shifted), in order, on
        /// the default time scheduler. See [`delay_on`](PublisherExt::delay_on).
        ///
        /// # Demand
        ///
        /// Upstream is asked for [`DELAY_PREFETCH`] items ahead, then for 75%
        /// of that each time as many went out: at most that many wait. An
        /// item whose time comes when downstream has no demand waits for a
        /// request.
        ///
        /// # Errors and cancellation
        ///
        /// Completion follows the last item; an error goes out at once,
        /// dropping the items waiting. Cancelling cancels upstream and the
        /// timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let items = source::range(0..3u8).delay(Duration::from_millis(1)).blocking_collect();
        /// assert_eq!(items.unwrap(), [0, 1, 2]);
        /// ```
        fn delay(self, delay: Duration) -> Delay<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Delay::new(self, delay, default_time_scheduler()))
        }

        /// Every item `delay` later on `scheduler`'s clock (the timeline
        /// shifted), in order: [`delay`](PublisherExt::delay) with a
        /// scheduler. Items go out on its worker (or on the requester's
        /// thread when they waited for demand). A delay above
        /// [`MAX_DELAY`](crate::scheduler::MAX_DELAY) is clamped to it; a
        /// scheduler that refuses the timer fails the stream with
        /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u8).delay_on(Duration::from_secs(2), &vts).subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(1));
        /// ts.assert_no_values();
        /// vts.advance_by(Duration::from_secs(1));
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn delay_on<Sch>(self, delay: Duration, scheduler: Sch) -> Delay<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(Delay::new(self, delay, scheduler.into()))
        }

        /// Subscribes upstream `delay` after downstream subscribed, on the
        /// default time scheduler. See
        /// [`delay_subscription_on`](PublisherExt::delay_subscription_on).
        ///
        /// # Demand
        ///
        /// Downstream gets its subscription at once; what it requests
        /// meanwhile is passed on when upstream is subscribed, then one for
        /// one. The timer emits nothing, so it needs no demand.
        ///
        /// # Errors and cancellation
        ///
        /// A cancel before the delay cancels the timer: upstream is never
        /// subscribed. A scheduler that refuses the timer, or is disposed
        /// while it waits, fails the stream with
        /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let items = source::range(0..3u8)
        ///     .delay_subscription(Duration::from_millis(1))
        ///     .blocking_collect();
        /// assert_eq!(items.unwrap(), [0, 1, 2]);
        /// ```
        fn delay_subscription(self, delay: Duration) -> DelaySubscription<Self>
        where
            Self: Sized + 'static,
        {
            assert_publisher::<Self::Item, _>(DelaySubscription::new(
                self,
                delay,
                default_time_scheduler(),
            ))
        }

        /// Subscribes upstream `delay` after downstream subscribed, on
        /// `scheduler`'s worker: [`delay_subscription`](PublisherExt::delay_subscription)
        /// with a scheduler.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::new(2);
        /// source::range(0..3u8)
        ///     .delay_subscription_on(Duration::from_secs(1), &vts)
        ///     .subscribe(ts.clone());
        /// ts.assert_subscribed().assert_no_values();
        /// vts.advance_by(Duration::from_secs(1));
        /// ts.assert_values(&[0, 1]); // the demand waited for upstream
        /// ```
        fn delay_subscription_on<Sch>(
            self,
            delay: Duration,
            scheduler: Sch,
        ) -> DelaySubscription<Self>
        where
            Self: Sized + 'static,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(DelaySubscription::new(self, delay, scheduler.into()))
        }

        /// Fails the stream with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout)
        /// when the first item does not arrive within `limit` of upstream's
        /// `on_subscribe`, or a later one within `limit` of the one before,
        /// on the default time scheduler. See [`timeout_on`](PublisherExt::timeout_on).
        ///
        /// [`Timeout::first_item`] sets another limit for the first item;
        /// [`Timeout::fallback`] switches to another publisher instead of
        /// failing.
        ///
        /// # Demand
        ///
        /// One for one; after a switch, the fallback is asked for the demand
        /// upstream had not served. The clock runs whether or not downstream
        /// has requested (as in Reactor): a consumer that requests nothing
        /// for `limit` times the stream out. The timer emits no item, so it
        /// needs no demand.
        ///
        /// # Errors and cancellation
        ///
        /// On a timeout upstream is cancelled. Upstream's error and
        /// completion pass through. A scheduler that refuses the timer fails
        /// the stream with [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
        /// Cancelling cancels upstream (or the fallback) and the timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, ErrorKind, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let error = source::never::<u8>()
        ///     .timeout(Duration::from_millis(1))
        ///     .blocking_collect()
        ///     .unwrap_err();
        /// assert_eq!(error.kind(), ErrorKind::Timeout);
        /// ```
        fn timeout(self, limit: Duration) -> Timeout<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Timeout::new(self, limit, default_time_scheduler()))
        }

        /// [`timeout`](PublisherExt::timeout) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::source::{self, Emitter, Overflow};
        /// use reactive_streams::{ErrorKind, Publisher, PublisherExt, TestSubscriber};
        /// use std::sync::mpsc;
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let (tx, rx) = mpsc::channel::<Emitter<u8>>();
        /// let ts = TestSubscriber::unbounded();
        /// source::create(Overflow::Error, move |emitter| tx.send(emitter).unwrap())
        ///     .timeout_on(Duration::from_secs(1), &vts)
        ///     .subscribe(ts.clone());
        /// let emitter = rx.recv().unwrap();
        /// vts.advance_by(Duration::from_millis(900));
        /// emitter.next(1).unwrap(); // in time: the clock starts again
        /// vts.advance_by(Duration::from_millis(900));
        /// ts.assert_values(&[1]).assert_not_terminated();
        /// vts.advance_by(Duration::from_millis(100));
        /// ts.assert_values(&[1]).assert_error_kind(ErrorKind::Timeout);
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn timeout_on<Sch>(self, limit: Duration, scheduler: Sch) -> Timeout<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(Timeout::new(self, limit, scheduler.into()))
        }

        /// An item goes out only once `window` has passed without a newer
        /// one, on the default time scheduler. See
        /// [`debounce_on`](PublisherExt::debounce_on).
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream (replaced items are
        /// dropped). When the window ends and downstream has no demand, the
        /// [`NoDemand`] choice set with [`Debounce::on_no_demand`] applies:
        /// fail (the default), drop the item, or keep it (the latest) until
        /// a request.
        ///
        /// # Errors and cancellation
        ///
        /// At completion the waiting item goes out at once (within demand),
        /// then `on_complete`. An error goes out at once, dropping it. A
        /// failure for lack of demand is of kind
        /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) and cancels
        /// upstream. Cancelling cancels upstream and the timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// // A burst: only its last item is quiet for long enough.
        /// let last = source::range(0..100u32).debounce(Duration::from_millis(1)).blocking_collect();
        /// assert_eq!(last.unwrap(), [99]);
        /// ```
        fn debounce(self, window: Duration) -> Debounce<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Debounce::new(self, window, default_time_scheduler()))
        }

        /// [`debounce`](PublisherExt::debounce) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::NoDemand;
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::source::{self, Emitter, Overflow};
        /// use reactive_streams::{Publisher, PublisherExt, TestSubscriber};
        /// use std::sync::mpsc;
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let (tx, rx) = mpsc::channel::<Emitter<char>>();
        /// let ts = TestSubscriber::unbounded();
        /// source::create(Overflow::Error, move |emitter| tx.send(emitter).unwrap())
        ///     .debounce_on(Duration::from_secs(1), &vts)
        ///     .on_no_demand(NoDemand::Latest)
        ///     .subscribe(ts.clone());
        /// let emitter = rx.recv().unwrap();
        /// emitter.next('a').unwrap();
        /// vts.advance_by(Duration::from_millis(500));
        /// emitter.next('b').unwrap(); // 'a' was not quiet for a second
        /// vts.advance_by(Duration::from_secs(1));
        /// ts.assert_values(&['b']);
        /// ```
        fn debounce_on<Sch>(self, window: Duration, scheduler: Sch) -> Debounce<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(Debounce::new(self, window, scheduler.into()))
        }

        /// Every `period` from subscription on, the latest item that arrived
        /// since the last tick goes out, on the default time scheduler. See
        /// [`sample_on`](PublisherExt::sample_on).
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream; at most one item per
        /// tick. A tick that finds downstream without demand applies the
        /// [`NoDemand`] choice set with [`Sample::on_no_demand`] (default:
        /// fail).
        ///
        /// # Errors and cancellation
        ///
        /// At completion the latest item goes out at once (within demand),
        /// then `on_complete`. A zero `period` fails the stream with
        /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected). Otherwise as
        /// [`debounce`](PublisherExt::debounce).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let last = source::range(0..100u32).sample(Duration::from_secs(60)).blocking_collect();
        /// assert_eq!(last.unwrap(), [99]); // the completion emitted it
        /// ```
        fn sample(self, period: Duration) -> Sample<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Sample::new(self, period, default_time_scheduler()))
        }

        /// [`sample`](PublisherExt::sample) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::interval_on(Duration::from_millis(300), &vts)
        ///     .sample_on(Duration::from_secs(1), &vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(2));
        /// ts.assert_values(&[2, 5]); // ticks at 0.9 s and 1.8 s
        /// ts.cancel();
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn sample_on<Sch>(self, period: Duration, scheduler: Sch) -> Sample<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(Sample::new(self, period, scheduler.into()))
        }

        /// An item passes, then the items of the next `window` are dropped,
        /// on the default time scheduler's clock. See
        /// [`throttle_first_on`](PublisherExt::throttle_first_on).
        ///
        /// # Demand
        ///
        /// One for one for passed items; a dropped item costs no request
        /// when upstream emits through
        /// [`try_on_next`](crate::Subscriber::try_on_next), a `request(1)`
        /// otherwise. It reads the clock and arms no timer, so nothing can
        /// fall due without demand.
        ///
        /// # Errors and cancellation
        ///
        /// Errors and completion pass through; cancelling cancels upstream.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let first = source::range(0..100u32)
        ///     .throttle_first(Duration::from_secs(60))
        ///     .blocking_collect();
        /// assert_eq!(first.unwrap(), [0]);
        /// ```
        fn throttle_first(self, window: Duration) -> ThrottleFirst<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(ThrottleFirst::new(
                self,
                window,
                default_time_scheduler(),
            ))
        }

        /// [`throttle_first`](PublisherExt::throttle_first) on `scheduler`'s
        /// clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::interval_on(Duration::from_millis(400), &vts)
        ///     .throttle_first_on(Duration::from_secs(1), &vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(3));
        /// ts.assert_values(&[0, 3, 6]); // at 0.4 s, 1.6 s, 2.8 s
        /// ts.cancel();
        /// ```
        fn throttle_first_on<Sch>(self, window: Duration, scheduler: Sch) -> ThrottleFirst<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(ThrottleFirst::new(self, window, scheduler.into()))
        }

        /// The first item after a quiet spell opens a `window`; at its end
        /// the latest item of the window goes out (RxJS's `auditTime`), on
        /// the default time scheduler. See
        /// [`throttle_last_on`](PublisherExt::throttle_last_on).
        ///
        /// Unlike [`sample`](PublisherExt::sample), no timer runs while no
        /// item comes.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream; at most one item per
        /// window. A window that ends when downstream has no demand applies
        /// the [`NoDemand`] choice set with [`ThrottleLast::on_no_demand`]
        /// (default: fail).
        ///
        /// # Errors and cancellation
        ///
        /// As [`debounce`](PublisherExt::debounce).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let last = source::range(0..100u32)
        ///     .throttle_last(Duration::from_secs(60))
        ///     .blocking_collect();
        /// assert_eq!(last.unwrap(), [99]);
        /// ```
        fn throttle_last(self, window: Duration) -> ThrottleLast<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(ThrottleLast::new(
                self,
                window,
                default_time_scheduler(),
            ))
        }

        /// [`throttle_last`](PublisherExt::throttle_last) on `scheduler`'s
        /// clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::interval_on(Duration::from_millis(400), &vts)
        ///     .throttle_last_on(Duration::from_secs(1), &vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(3));
        /// ts.assert_values(&[2, 5]); // windows 0.4-1.4 s and 1.6-2.6 s
        /// ts.cancel();
        /// ```
        fn throttle_last_on<Sch>(self, window: Duration, scheduler: Sch) -> ThrottleLast<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(ThrottleLast::new(self, window, scheduler.into()))
        }

        /// Items in `Vec`s of up to `max_items`, each emitted when full or
        /// when `max_wait` has passed since its first item, on the default
        /// time scheduler. See [`buffer_timeout_on`](PublisherExt::buffer_timeout_on).
        ///
        /// `max_items` 0 is taken as 1; a buffer grows as items come, so a
        /// huge `max_items` allocates nothing ahead.
        ///
        /// # Demand
        ///
        /// Upstream is asked only to fill the buffer being built, and only
        /// while downstream has demand: the items held plus those requested
        /// are at most `max_items`. When `max_wait` passes and downstream has
        /// no demand, the buffer waits for a request (still collecting, up
        /// to `max_items`; nothing more is asked for), and goes out then: it
        /// never overflows, never fails for lack of demand, and never
        /// hangs while demand comes.
        ///
        /// # Errors and cancellation
        ///
        /// Completion emits the last buffer (within demand), then completes;
        /// an error goes out at once, dropping the buffer. Cancelling
        /// cancels upstream and the timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let buffers = source::range(0..5u8)
        ///     .buffer_timeout(2, Duration::from_secs(60))
        ///     .blocking_collect();
        /// assert_eq!(buffers.unwrap(), [vec![0, 1], vec![2, 3], vec![4]]);
        /// ```
        fn buffer_timeout(self, max_items: usize, max_wait: Duration) -> BufferTimeout<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Vec<Self::Item>, _>(BufferTimeout::new(
                self,
                max_items,
                max_wait,
                default_time_scheduler(),
            ))
        }

        /// [`buffer_timeout`](PublisherExt::buffer_timeout) on `scheduler`'s
        /// clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::new(1);
        /// source::interval_on(Duration::from_secs(1), &vts)
        ///     .buffer_timeout_on(10, Duration::from_millis(2500), &vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(4)); // first item at 1 s: due at 3.5 s
        /// ts.assert_values(&[vec![0, 1, 2]]);
        /// vts.advance_by(Duration::from_secs(6)); // due at 6.5 s, no demand: it waits
        /// assert_eq!(ts.item_count(), 1);
        /// ts.request(1);
        /// assert_eq!(ts.values()[1], [3, 4, 5, 6, 7, 8, 9]); // what was asked for
        /// ts.cancel();
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn buffer_timeout_on<Sch>(
            self,
            max_items: usize,
            max_wait: Duration,
            scheduler: Sch,
        ) -> BufferTimeout<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Vec<Self::Item>, _>(BufferTimeout::new(
                self,
                max_items,
                max_wait,
                scheduler.into(),
            ))
        }

        /// Items until `duration` has passed since subscription, then
        /// completion, on the default time scheduler. See
        /// [`take_for_on`](PublisherExt::take_for_on).
        ///
        /// # Demand
        ///
        /// One for one. The timer emits nothing downstream, so it needs no
        /// demand.
        ///
        /// # Errors and cancellation
        ///
        /// When the time is up, upstream is cancelled and the stream
        /// completes. A scheduler that refuses the timer fails the stream
        /// with [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
        /// Cancelling cancels upstream and the timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Duration;
        ///
        /// let items = source::never::<u8>().take_for(Duration::from_millis(1)).blocking_collect();
        /// assert_eq!(items.unwrap(), []);
        /// ```
        fn take_for(self, duration: Duration) -> TakeFor<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(TakeFor::new(
                self,
                duration,
                default_time_scheduler(),
            ))
        }

        /// [`take_for`](PublisherExt::take_for) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::interval_on(Duration::from_secs(1), &vts)
        ///     .take_for_on(Duration::from_millis(3500), &vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(10));
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn take_for_on<Sch>(self, duration: Duration, scheduler: Sch) -> TakeFor<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(TakeFor::new(self, duration, scheduler.into()))
        }

        /// Each item paired with the time since the one before (the first:
        /// since subscription), on the default time scheduler's clock. See
        /// [`elapsed_on`](PublisherExt::elapsed_on).
        ///
        /// # Demand
        ///
        /// One for one; no timer.
        ///
        /// # Errors and cancellation
        ///
        /// Everything passes through.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let items = source::range(0..2u8).elapsed().blocking_collect().unwrap();
        /// assert_eq!(items.iter().map(|(_, x)| *x).collect::<Vec<_>>(), [0, 1]);
        /// ```
        fn elapsed(self) -> Elapsed<Self>
        where
            Self: Sized,
        {
            assert_publisher::<(Duration, Self::Item), _>(Elapsed::new(
                self,
                default_time_scheduler(),
            ))
        }

        /// [`elapsed`](PublisherExt::elapsed) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::interval_on(Duration::from_secs(2), &vts)
        ///     .elapsed_on(&vts)
        ///     .subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(4));
        /// let two = Duration::from_secs(2);
        /// ts.assert_values(&[(two, 0), (two, 1)]);
        /// ts.cancel();
        /// ```
        fn elapsed_on<Sch>(self, scheduler: Sch) -> Elapsed<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<(Duration, Self::Item), _>(Elapsed::new(self, scheduler.into()))
        }

        /// Each item paired with the instant it arrived, on the default
        /// time scheduler's clock. See [`timestamp_on`](PublisherExt::timestamp_on).
        ///
        /// # Demand
        ///
        /// One for one; no timer.
        ///
        /// # Errors and cancellation
        ///
        /// Everything passes through.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, PublisherExt};
        /// use std::time::Instant;
        ///
        /// let before = Instant::now();
        /// let items = source::just(7u8).timestamp().blocking_collect().unwrap();
        /// assert!(items[0].0 >= before && items[0].1 == 7);
        /// ```
        fn timestamp(self) -> Timestamp<Self>
        where
            Self: Sized,
        {
            assert_publisher::<(Instant, Self::Item), _>(Timestamp::new(
                self,
                default_time_scheduler(),
            ))
        }

        /// [`timestamp`](PublisherExt::timestamp) on `scheduler`'s clock.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::{Scheduler, VirtualTimeScheduler};
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let start = vts.now();
        /// let ts = TestSubscriber::unbounded();
        /// source::timer_on(Duration::from_secs(5), &vts).timestamp_on(&vts).subscribe(ts.clone());
        /// vts.advance_by(Duration::from_secs(5));
        /// ts.assert_values(&[(start + Duration::from_secs(5), ())]).assert_complete();
        /// ```
        fn timestamp_on<Sch>(self, scheduler: Sch) -> Timestamp<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<(Instant, Self::Item), _>(Timestamp::new(self, scheduler.into()))
        }
    };
}
pub(crate) use methods;
