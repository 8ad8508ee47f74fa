//! The combine family: operators over several publishers (`concat`,
//! `concat_with`, `start_with`, `merge`, `merge_with`, `zip`, `zip_with`,
//! `combine_latest`, `with_latest_from`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod combine_latest;
mod concat;
mod merge;
mod with_latest_from;
mod zip;

pub use self::combine_latest::{combine_latest, CombineLatest};
pub use self::concat::{concat, Concat, ConcatWith};
pub use self::merge::{merge, Merge, MergeWith};
pub use self::with_latest_from::WithLatestFrom;
pub use self::zip::{zip, Zip, ZipWith};

/// The combine family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// The items of `self`, then those of `other`: `other` is subscribed when
        /// `self` completes.
        ///
        /// For a list of publishers of one type, see
        /// [`ops::concat`](crate::ops::concat()).
        ///
        /// # Demand
        ///
        /// Requests go to the publisher in force; what downstream requested and
        /// `self` did not deliver is requested from `other` when it is subscribed.
        /// Nothing is prefetched.
        ///
        /// # Errors and cancellation
        ///
        /// An error from `self` is passed on at once and `other` is never
        /// subscribed. `cancel` cancels the publisher in force; a later one is
        /// never subscribed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(3);
        /// source::range(0..2u32).concat_with(source::range(7..9)).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 7]).assert_not_terminated(); // demand carried over
        /// ts.request(5);
        /// ts.assert_values(&[0, 1, 7, 8]).assert_complete();
        /// ```
        fn concat_with<P>(self, other: P) -> ConcatWith<Self, P>
        where
            Self: Sized + 'static,
            P: Publisher<Item = Self::Item> + 'static,
        {
            assert_publisher::<Self::Item, _>(ConcatWith::new(self, other))
        }

        /// The items of `items` first, then those of `self`.
        ///
        /// `items` is iterated anew for each subscriber, like
        /// [`source::from_iter`]. To start with the
        /// items of another publisher, see
        /// [`start_with_publisher`](PublisherExt::start_with_publisher).
        ///
        /// # Demand
        ///
        /// As [`concat_with`](PublisherExt::concat_with): the items are delivered
        /// within demand, and what is left is requested from `self`.
        ///
        /// # Errors and cancellation
        ///
        /// As [`concat_with`](PublisherExt::concat_with). A panic in the
        /// iterator becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic), and `self` is never
        /// subscribed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(3..5u32).start_with([0, 1, 2]).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
        /// ```
        fn start_with<I>(self, items: I) -> ConcatWith<FromIter<I>, Self>
        where
            Self: Sized + 'static,
            I: IntoIterator<Item = Self::Item> + Clone + Send + Sync + 'static,
            I::IntoIter: Send + 'static,
        {
            assert_publisher::<Self::Item, _>(ConcatWith::new(source::from_iter(items), self))
        }

        /// The items of `first`, then those of `self`: `self` is subscribed when
        /// `first` completes. The same as `first.concat_with(self)`.
        ///
        /// # Demand
        ///
        /// As [`concat_with`](PublisherExt::concat_with).
        ///
        /// # Errors and cancellation
        ///
        /// As [`concat_with`](PublisherExt::concat_with): an error from `first`
        /// ends the stream before `self` is subscribed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::just(9u32).start_with_publisher(source::range(0..2)).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 9]).assert_complete();
        /// ```
        fn start_with_publisher<P>(self, first: P) -> ConcatWith<P, Self>
        where
            Self: Sized + 'static,
            P: Publisher<Item = Self::Item> + 'static,
        {
            assert_publisher::<Self::Item, _>(ConcatWith::new(first, self))
        }

        /// The items of `self` and `other`, as they come: both are subscribed at
        /// once.
        ///
        /// Items of one publisher keep their order; items of the two interleave
        /// in the order they arrive. A synchronous publisher runs as far as
        /// demand and its prefetch let it before the other gets a turn. For a
        /// list of publishers of one type, see
        /// [`ops::merge`](crate::ops::merge()).
        ///
        /// # Demand
        ///
        /// Each publisher is asked for 32 items up front, then 24 more each time
        /// 24 of its items went downstream (the 75% rule). Downstream gets no more
        /// than it requested; at most 32 items per publisher wait in between.
        ///
        /// # Errors and cancellation
        ///
        /// The first error is passed on at once; the other publisher is cancelled
        /// and queued items are dropped. Completes when both completed and every
        /// item was delivered. `cancel` cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u32).merge_with(source::range(10..12)).subscribe(ts.clone());
        /// let mut items = ts.values();
        /// items.sort_unstable();
        /// assert_eq!(items, [0, 1, 2, 10, 11]);
        /// ts.assert_complete();
        /// ```
        fn merge_with<P>(self, other: P) -> MergeWith<Self, P>
        where
            Self: Sized,
            P: Publisher<Item = Self::Item>,
        {
            assert_publisher::<Self::Item, _>(MergeWith::new(self, other))
        }

        /// Pairs the n-th item of `self` with the n-th item of `other`, ending
        /// with the shorter: the reactive `Iterator::zip`.
        ///
        /// Both are subscribed at once. As soon as one has completed and all its
        /// items were paired, the zip completes and the other is cancelled.
        ///
        /// # Demand
        ///
        /// Each publisher is asked for 32 items up front, then 24 more each time
        /// 24 of its items were paired (the 75% rule). One item of each makes one
        /// pair; downstream gets no more pairs than it requested.
        ///
        /// # Errors and cancellation
        ///
        /// An error from either is passed on at once; the other is cancelled and
        /// queued items are dropped. `cancel` cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..5u32).zip(source::from_iter(["a", "b", "c"])).subscribe(ts.clone());
        /// ts.assert_values(&[(0, "a"), (1, "b"), (2, "c")]).assert_complete();
        /// ```
        fn zip<P>(self, other: P) -> Zip<Self, P>
        where
            Self: Sized,
            P: Publisher,
        {
            assert_publisher::<(Self::Item, P::Item), _>(Zip::new(self, other))
        }

        /// Combines the n-th item of `self` with the n-th item of `other` by `f`,
        /// ending with the shorter.
        ///
        /// As [`zip`](PublisherExt::zip), with `f` in place of the tuple.
        ///
        /// # Demand
        ///
        /// As [`zip`](PublisherExt::zip): 32 items prefetched from each, 24 more
        /// each time 24 were combined; one item downstream per pair.
        ///
        /// # Errors and cancellation
        ///
        /// As [`zip`](PublisherExt::zip). A panic in `f` cancels both publishers
        /// and becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..4u32).zip_with(source::range(10..20), |a, b| a * b).subscribe(ts.clone());
        /// ts.assert_values(&[10, 22, 36]).assert_complete();
        /// ```
        fn zip_with<P, F, R>(self, other: P, f: F) -> ZipWith<Self, P, F>
        where
            Self: Sized,
            P: Publisher,
            F: Fn(Self::Item, P::Item) -> R + Send + Sync + 'static,
            R: Send + 'static,
        {
            assert_publisher::<R, _>(ZipWith::new(self, other, f))
        }

        /// Whenever `self` or `other` emits, `f` of the latest item of each, once
        /// both have emitted.
        ///
        /// Items before the other publisher's first one only become the latest.
        /// `f` gets both items by reference, so they need not be `Clone`; they are
        /// shared behind an `Arc`, so they must be `Sync`. Completes when both
        /// completed and every combination was delivered, or at once when either
        /// completes without having emitted anything.
        ///
        /// # Demand
        ///
        /// Each publisher is asked for 32 items up front, then 24 more each time
        /// 24 of its items were used (combined and delivered, or only stored as
        /// the latest). Downstream gets no more than it requested; at most 32
        /// combinations per publisher wait in between.
        ///
        /// # Errors and cancellation
        ///
        /// An error from either is passed on at once; the other is cancelled and
        /// waiting combinations are dropped. A panic in `f` cancels both and
        /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        /// `cancel` cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// // `just` has emitted and completed before `range` starts.
        /// source::just(100u32)
        ///     .combine_latest(source::range(0..3u32), |a, b| a + b)
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[100, 101, 102]).assert_complete();
        /// ```
        fn combine_latest<P, F, R>(self, other: P, f: F) -> CombineLatest<Self, P, F>
        where
            Self: Sized,
            Self::Item: Sync,
            P: Publisher,
            P::Item: Sync,
            F: Fn(&Self::Item, &P::Item) -> R + Send + Sync + 'static,
            R: Send + 'static,
        {
            assert_publisher::<R, _>(CombineLatest::new(self, other, f))
        }

        /// Combines each item of `self` with the latest item of `other` by `f`.
        ///
        /// `other` is subscribed first, with unbounded demand; its items only
        /// replace the latest value, which `f` gets by reference (so it need not
        /// be `Clone`; it is shared behind an `Arc`, so it must be `Sync`). An
        /// item of `self` that arrives before `other` has emitted anything is
        /// dropped. The stream ends with `self`, or when `other` fails or
        /// completes without having emitted anything.
        ///
        /// # Demand
        ///
        /// Requests go to `self` one for one; a dropped item is replaced (without
        /// a request round trip when `self` emits through
        /// [`try_on_next`](crate::Subscriber::try_on_next), as this crate's
        /// synchronous sources do). `other` is asked for
        /// [`UNBOUNDED`](crate::UNBOUNDED) at once.
        ///
        /// # Errors and cancellation
        ///
        /// An error from either is passed on at once and both are cancelled. A
        /// panic in `f` cancels both and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). `cancel` cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u32)
        ///     .with_latest_from(source::just(10u32), |x, latest| x + latest)
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[10, 11, 12]).assert_complete();
        /// ```
        fn with_latest_from<P, F, R>(self, other: P, f: F) -> WithLatestFrom<Self, P, F>
        where
            Self: Sized,
            P: Publisher,
            P::Item: Sync,
            F: Fn(Self::Item, &P::Item) -> R + Send + Sync + 'static,
            R: Send + 'static,
        {
            assert_publisher::<R, _>(WithLatestFrom::new(self, other, f))
        }
    };
}
pub(crate) use methods;
