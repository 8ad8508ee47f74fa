//! The schedule family: thread hops. `publish_on` delivers a stream's
//! signals on a worker of a scheduler (a bounded queue in between);
//! `subscribe_on` subscribes upstream, and makes downstream's requests, on
//! one.
//!
//! Both take the scheduler as `impl Into<Arc<dyn Scheduler>>`
//! (`single()`, `parallel()`, `&vts`), make one
//! [`Worker`](crate::scheduler::Worker) per subscription, and dispose it when
//! the stream ends or is cancelled. A scheduler that refuses their task
//! (disposed) fails the stream with an error of kind
//! [`ErrorKind::Rejected`](crate::ErrorKind::Rejected): never a hang.
//!
//! One operator per file; `hop.rs` is the queue-drain engine of
//! `publish_on`, written to serve a parallel rail's `run_on` too. The
//! family's methods of [`PublisherExt`](crate::PublisherExt) are in the
//! `methods!` macro below.

pub(crate) mod hop;
mod publish_on;
mod subscribe_on;

pub use self::hop::{HOP_PREFETCH, MAX_HOP_PREFETCH};
pub use self::publish_on::PublishOn;
pub use self::subscribe_on::SubscribeOn;

/// The schedule family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Delivers every signal of this stream (items, completion, error)
        /// on a worker of `scheduler`: the thread hop, with a bounded queue
        /// in between. `publish_on_with(scheduler, HOP_PREFETCH)`.
        ///
        /// # Demand
        ///
        /// Upstream is asked for [`HOP_PREFETCH`] (256) items ahead, then for
        /// 75% of that each time as many were taken from the queue: at most
        /// that many wait. Downstream's requests are served on the worker,
        /// by one drain scheduled once per wake-up, not once per item.
        /// When upstream is `range`, `just`, `empty` or `error`, the worker
        /// pulls it directly within downstream's demand (nothing queued);
        /// a source that runs user code (a `map`, `from_iter`, `generate`)
        /// is never pulled on the worker that way.
        ///
        /// # Errors and cancellation
        ///
        /// Completion and an upstream error come after the items queued
        /// before them, even without demand. Cancelling cancels upstream at
        /// once and drops the queue on the worker. A scheduler that refuses
        /// the drain (disposed) fails the stream with
        /// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected) and cancels
        /// upstream. A panic in downstream's `on_next` on the worker
        /// cancels upstream; the worker survives it.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::SingleScheduler;
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let sink = SingleScheduler::new("sink");
        /// let threads = source::range(0..3u32)
        ///     .publish_on(&sink)
        ///     .map(|x| (x, std::thread::current().name().map(String::from)))
        ///     .blocking_collect()
        ///     .unwrap();
        /// assert_eq!(threads.len(), 3);
        /// assert!(threads.iter().all(|(_, name)| name.as_deref() == Some("sink")));
        /// ```
        fn publish_on<Sch>(self, scheduler: Sch) -> PublishOn<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(PublishOn::new(self, scheduler.into(), HOP_PREFETCH))
        }

        /// [`publish_on`](PublisherExt::publish_on) with `prefetch` items
        /// in flight at most. A prefetch of 0 is clamped to 1, one above
        /// [`MAX_HOP_PREFETCH`] to it (the queue is allocated up front).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::VirtualTimeScheduler;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let vts = VirtualTimeScheduler::new();
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter(vec![1, 2, 3]).publish_on_with(&vts, 2).subscribe(ts.clone());
        /// ts.assert_no_values(); // nothing until the worker runs
        /// vts.run_due();
        /// ts.assert_values(&[1, 2, 3]).assert_complete();
        /// ```
        fn publish_on_with<Sch>(self, scheduler: Sch, prefetch: usize) -> PublishOn<Self>
        where
            Self: Sized,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(PublishOn::new(self, scheduler.into(), prefetch))
        }

        /// Subscribes to this stream on a worker of `scheduler`, and makes
        /// the requests downstream makes from other threads on that worker
        /// too, so a synchronous source emits there.
        ///
        /// # Demand
        ///
        /// One for one. Downstream gets its subscription at once; what it
        /// requests before upstream is subscribed is added up and passed
        /// on then. A request made on the worker (from `on_next` while the
        /// source emits there) goes upstream at once; one from another
        /// thread is passed on by a task on the worker (one task per
        /// wake-up, not per request).
        ///
        /// # Errors and cancellation
        ///
        /// Signals pass through. Cancelling cancels upstream at once. A
        /// scheduler that refuses the subscription (disposed) fails the
        /// stream with [`ErrorKind::Rejected`](crate::ErrorKind::Rejected);
        /// a request refused later (the scheduler disposed mid-stream) is
        /// made on the requesting thread instead, so the stream does not
        /// stall.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::scheduler::SingleScheduler;
        /// use reactive_streams::{source, PublisherExt};
        ///
        /// let io = SingleScheduler::new("io");
        /// let names = source::range(0..2u8)
        ///     .map(|_| std::thread::current().name().map(String::from))
        ///     .subscribe_on(&io)
        ///     .blocking_collect()
        ///     .unwrap();
        /// assert_eq!(names, [Some("io".to_string()), Some("io".to_string())]);
        /// ```
        fn subscribe_on<Sch>(self, scheduler: Sch) -> SubscribeOn<Self>
        where
            Self: Sized + 'static,
            Sch: Into<Arc<dyn Scheduler>>,
        {
            assert_publisher::<Self::Item, _>(SubscribeOn::new(self, scheduler.into()))
        }
    };
}
pub(crate) use methods;
