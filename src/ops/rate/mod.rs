//! The rate family: operators that shape how fast items flow rather than
//! what they are. `throttle_rate` paces upstream's demand with a token
//! bucket on a scheduler's timer; `aimd` sizes it with an additive-increase,
//! multiplicative-decrease window; `shed_by_priority` drops the least
//! important items first as its buffer fills. The polling source whose
//! interval adapts to backpressure,
//! [`poll_adaptive`](crate::source::poll_adaptive), is in
//! [`source`](crate::source).
//!
//! None of them holds more than a bounded number of items or emits beyond
//! demand; only `shed_by_priority` drops items, and only by the levels the
//! user set.
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod aimd;
mod shed_by_priority;
mod throttle_rate;
mod token_bucket;

pub use self::aimd::{Aimd, AimdConfig, AimdHandle, MAX_WINDOW};
pub use self::shed_by_priority::{ShedByPriority, ShedCounts, MAX_SHED_CAPACITY};
pub use self::throttle_rate::{ThrottleRate, MIN_TICK};
pub use self::token_bucket::Rate;

/// The rate family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Passes downstream's demand upstream only as a token bucket of
        /// `burst` tokens, refilled at `rate`, allows, on the default time
        /// scheduler. See [`throttle_rate_on`](PublisherExt::throttle_rate_on).
        ///
        /// Named apart from [`throttle_first`](PublisherExt::throttle_first)
        /// and [`throttle_last`](PublisherExt::throttle_last), which drop
        /// items: this one drops nothing, it only asks upstream for less,
        /// later.
        ///
        /// # Demand
        ///
        /// Upstream is asked for at most what downstream asked for; at most
        /// `burst` at once, `burst + rate × t` over any span `t`, and
        /// `burst` requested and not yet arrived (so a slow upstream cannot
        /// bank grants and flood later). The rest is granted by a timer, in
        /// ticks at least [`MIN_TICK`](crate::ops::MIN_TICK) apart: a rate
        /// above `burst` per millisecond needs a larger `burst`. A `burst`
        /// of 0 is taken as 1.
        ///
        /// # Errors and cancellation
        ///
        /// Items and the end pass through. `request(0)` goes upstream,
        /// which answers with the §3.9 error; a scheduler that refuses the
        /// timer fails the stream with
        /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected) (reported
        /// upstream the same way, so that the error follows the items
        /// already on their way). Cancelling cancels upstream and the timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::Rate;
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let items = source::range(0..5u8)
        ///     .throttle_rate(Rate::per_second(1000), 2)
        ///     .blocking_collect();
        /// assert_eq!(items.unwrap(), [0, 1, 2, 3, 4]);
        /// ```
        fn throttle_rate(self, rate: Rate, burst: u64) -> ThrottleRate<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(ThrottleRate::new(
                self,
                rate,
                burst,
                default_time_scheduler(),
            ))
        }

        /// [`throttle_rate`](PublisherExt::throttle_rate) on `scheduler`'s
        /// clock and timer.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::Rate;
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        /// use std::time::Duration;
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..100u32)
        ///     .throttle_rate_on(Rate::per_second(10), 5, &vts)
        ///     .subscribe(ts.clone());
        /// assert_eq!(ts.item_count(), 5); // the burst, at once
        /// vts.advance_by(Duration::from_secs(1));
        /// assert_eq!(ts.item_count(), 15); // then 10 a second
        /// ts.cancel();
        /// assert_eq!(vts.pending_tasks(), 0);
        /// ```
        fn throttle_rate_on<Sch>(self, rate: Rate, burst: u64, scheduler: Sch) -> ThrottleRate<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(ThrottleRate::new(
                self,
                rate,
                burst,
                scheduler.into(),
            ))
        }

        /// Sizes upstream's demand with an AIMD window: it grows by a step
        /// while downstream keeps up and shrinks by a factor when
        /// downstream is backpressured (items wait here with its demand
        /// used up) or a reported latency passes the limit, within the
        /// bounds of `config`. [`Aimd::handle`] reads the window and takes
        /// latency reports.
        ///
        /// # Demand
        ///
        /// The window bounds the items requested upstream and not yet
        /// delivered (so also what waits here: at most
        /// [`MAX_WINDOW`](crate::ops::MAX_WINDOW)); at most one decrease per
        /// window's worth of delivered items, one increase of `step` per
        /// window's worth delivered without backpressure. Items go
        /// downstream in order, within its demand.
        ///
        /// # Errors and cancellation
        ///
        /// Completion follows the items held; an error goes at once,
        /// dropping them. An upstream that sends more than it was asked for
        /// fails the stream with [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
        /// Cancelling cancels upstream and drops what is held.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::AimdConfig;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let aimd = source::range(0..10_000u32).aimd(AimdConfig::new(4, 64).initial(32));
        /// let handle = aimd.handle();
        /// let ts = TestSubscriber::new(0);
        /// aimd.subscribe(ts.clone());
        /// ts.request(1); // 32 came, 1 could go: backpressured, halve
        /// assert_eq!(handle.window(), 16);
        /// ts.request(u64::MAX >> 1); // now it keeps up: grows back to 64
        /// ts.assert_complete();
        /// assert_eq!(handle.window(), 64);
        /// ```
        fn aimd(self, config: AimdConfig) -> Aimd<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Aimd::new(self, config))
        }

        /// A buffer of `capacity` items (clamped to
        /// `1..=`[`MAX_SHED_CAPACITY`](crate::ops::MAX_SHED_CAPACITY)) that
        /// sheds the arriving items of the lowest priorities first as it
        /// fills: `priority` gives each item a level, `0` the lowest; level
        /// `i < thresholds.len()` is shed when it finds the buffer filled to
        /// `thresholds[i]` or more; higher levels are the top, never shed.
        /// [`ShedByPriority::counts`] counts the drops per level,
        /// [`ShedByPriority::on_dropped`] receives the items.
        ///
        /// # Demand
        ///
        /// What is held plus what is requested upstream never exceeds
        /// `capacity`: upstream is asked for the room that delivered and
        /// shed items free, in batches of at least a quarter of it. So an
        /// item always finds room, and once the buffer is full of items
        /// nobody may shed, upstream waits (backpressure, the last resort).
        /// Items go downstream in order, within its demand.
        ///
        /// # Errors and cancellation
        ///
        /// Completion follows the items held; an error goes at once,
        /// dropping them (not shed: not counted, not handed over). A panic
        /// in `priority` or the drop callback cancels upstream and fails the
        /// stream with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Panics
        ///
        /// When a threshold is outside `0.0..=1.0` (or NaN), or below the one
        /// before it: these are set when the pipeline is assembled.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// #[derive(Debug, Clone, PartialEq)]
        /// enum Class { Low, Medium, High, Critical }
        /// let shed = source::from_iter((0..100u32).map(|i| match i % 4 {
        ///         0 => Class::Low, 1 => Class::Medium, 2 => Class::High, _ => Class::Critical,
        ///     }))
        ///     .shed_by_priority(20, &[0.5, 0.7, 0.9], |c| match c {
        ///         Class::Low => 0, Class::Medium => 1, Class::High => 2, Class::Critical => 3,
        ///     });
        /// let counts = shed.counts();
        /// let ts = TestSubscriber::new(0); // a stalled consumer
        /// shed.subscribe(ts.clone());
        /// ts.request(u64::MAX >> 1);
        /// let kept = ts.values();
        /// assert_eq!(kept.iter().filter(|c| **c == Class::Critical).count(), 25);
        /// assert_eq!(counts.dropped(3), 0);
        /// assert!(counts.dropped(0) >= counts.dropped(1) && counts.dropped(1) >= counts.dropped(2));
        /// assert_eq!(counts.total() + kept.len() as u64, 100);
        /// ```
        fn shed_by_priority<F>(
            self,
            capacity: usize,
            thresholds: &[f64],
            priority: F,
        ) -> ShedByPriority<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) -> usize + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(ShedByPriority::new(
                self, capacity, thresholds, priority,
            ))
        }
    };
}
pub(crate) use methods;
