//! The errors family: operators that recover from an upstream error
//! (`on_error_return`, `on_error_resume`, `retry`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod on_error_resume;
mod on_error_return;
mod retry;

pub use self::on_error_resume::OnErrorResume;
pub use self::on_error_return::OnErrorReturn;
pub use self::retry::Retry;

/// The errors family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Replaces an error from upstream with one last item, made from the
        /// error by `f`, and completes.
        ///
        /// Items pass through unchanged. When upstream fails, `f` maps the error
        /// to the fallback item, which is emitted once the subscriber has demand
        /// for it (at once if it has, otherwise at its next `request`), followed
        /// by `on_complete`. A stream that completes never calls `f`.
        ///
        /// # Demand
        ///
        /// One for one: requests go straight upstream. The fallback item is never
        /// emitted beyond the subscriber's demand.
        ///
        /// # Errors and cancellation
        ///
        /// The error `f` receives is not passed on. A panic in `f` becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic) (upstream
        /// has ended already). The §3.9 error that answers the subscriber's own
        /// `request(0)` is passed on, not mapped. A cancel while the fallback
        /// item waits for demand drops it.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // 1, 2, then an error.
        /// let failing = source::generate(
        ///     || 1u32,
        ///     |n, sink| if *n < 3 { sink.next(*n); *n += 1 } else { sink.error(Error::new("disk full")) },
        /// );
        /// let ts = TestSubscriber::new(2);
        /// failing.on_error_return(|_| 0).subscribe(ts.clone());
        /// ts.assert_values(&[1, 2]).assert_not_terminated(); // the fallback waits for demand
        /// ts.request(1);
        /// ts.assert_values(&[1, 2, 0]).assert_complete();
        /// ```
        fn on_error_return<F>(self, f: F) -> OnErrorReturn<Self, F>
        where
            Self: Sized,
            F: Fn(Error) -> Self::Item + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(OnErrorReturn::new(self, f))
        }

        /// Continues with a fallback publisher, made from the error by `f`, when
        /// upstream fails.
        ///
        /// Items pass through unchanged. When upstream fails, `f` makes the
        /// fallback from the error and the fallback is subscribed in upstream's
        /// place: the subscriber sees one subscription and one stream, the items
        /// of upstream and then those of the fallback, and the fallback's end.
        ///
        /// # Demand
        ///
        /// Requests go to upstream, then to the fallback. The demand upstream did
        /// not serve carries over: the fallback is asked for it as soon as it is
        /// subscribed, so the subscriber gets exactly what it requested.
        ///
        /// # Errors and cancellation
        ///
        /// An error of the fallback is passed on. A panic in `f` becomes
        /// `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic). The
        /// §3.9 error that answers the subscriber's own `request(0)` is passed on,
        /// not resumed from. A cancel reaches whichever publisher is current.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let cache = source::from_iter(vec!["cached-1", "cached-2"]);
        /// let ts = TestSubscriber::new(1);
        /// source::error::<&str>(Error::new("offline"))
        ///     .on_error_resume(move |_| cache.clone())
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&["cached-1"]).assert_not_terminated(); // demand carried over
        /// ts.request(5);
        /// ts.assert_values(&["cached-1", "cached-2"]).assert_complete();
        /// ```
        fn on_error_resume<P, F>(self, f: F) -> OnErrorResume<Self, F>
        where
            Self: Sized,
            F: Fn(Error) -> P + Send + Sync + 'static,
            P: Publisher<Item = Self::Item>,
        {
            assert_publisher::<Self::Item, _>(OnErrorResume::new(self, f))
        }

        /// Subscribes to upstream again when it fails, at most `times` times.
        ///
        /// Each attempt is a new subscription to the same publisher (a cold one
        /// starts over, so items may repeat). The subscriber sees one subscription
        /// and one stream: the items of every attempt, then the end of the first
        /// attempt that completes, or the error of attempt `times + 1`.
        ///
        /// # Demand
        ///
        /// Requests go to the current attempt. Demand a failed attempt did not
        /// serve carries over: the next attempt is asked for it as soon as it is
        /// subscribed. A source that fails synchronously is resubscribed from a
        /// loop, not recursively, so the stack does not grow with the attempts.
        ///
        /// # Errors and cancellation
        ///
        /// The error of the last allowed attempt is passed on. The §3.9 error
        /// that answers the subscriber's own `request(0)` is passed on at once. A
        /// cancel reaches the current attempt, and no attempt is made after it.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::sync::atomic::{AtomicU32, Ordering};
        /// use std::sync::Arc;
        /// use reactive_streams::{source, Error, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // Fails twice, then succeeds.
        /// let attempts = Arc::new(AtomicU32::new(0));
        /// let counter = Arc::clone(&attempts);
        /// let flaky = source::defer(move || match counter.fetch_add(1, Ordering::SeqCst) {
        ///     0 | 1 => source::error(Error::new("try again")).boxed(),
        ///     _ => source::just("ok").boxed(),
        /// });
        /// let ts = TestSubscriber::unbounded();
        /// flaky.retry(3).subscribe(ts.clone());
        /// ts.assert_values(&["ok"]).assert_complete();
        /// assert_eq!(attempts.load(Ordering::SeqCst), 3);
        /// ```
        fn retry(self, times: u64) -> Retry<Self>
        where
            Self: Sized + 'static,
        {
            assert_publisher::<Self::Item, _>(Retry::new(self, times))
        }
    };
}
pub(crate) use methods;
