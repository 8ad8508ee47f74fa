//! The flatten family: operators that map each item to a publisher and
//! flatten the results (`flat_map`, `concat_map`, `switch_map`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

pub(crate) mod concat_map;
pub(crate) mod flat_map;
mod switch_map;

pub use self::concat_map::ConcatMap;
pub use self::flat_map::FlatMap;
pub use self::switch_map::SwitchMap;

/// The flatten family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Maps each item to a publisher and merges their items as they come,
        /// with up to 256 inner publishers live at once, each asked for 32 items
        /// at a time.
        ///
        /// The same as [`flat_map_with(f, 256, 32)`](PublisherExt::flat_map_with),
        /// the defaults of Reactor's `flatMap`. Items of different inners
        /// interleave in the order they arrive; the items of one inner keep their
        /// order. Synchronous inners (such as [`range`](crate::source::range)) are
        /// each drained to the end before the next one, so they come out in the
        /// order of [`Iterator::flat_map`].
        ///
        /// # Demand
        ///
        /// Bounded at every level: upstream is asked for 256 items, then for more
        /// (in batches) as inners complete; each inner for 32, then for 24 more
        /// each time 24 of its items were taken. At most 32 items per inner wait
        /// for the downstream's demand.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream or from any inner, or a panic in `f`, cancels
        /// upstream and every inner, drops the waiting items, and goes downstream
        /// at once ([`ErrorKind::Panic`](crate::ErrorKind::Panic) for a panic).
        /// Cancelling cancels upstream and every inner. The stream completes
        /// when upstream and every inner have completed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..4u32)
        ///     .flat_map(|n| source::range(0..n))
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 0, 1, 0, 1, 2]).assert_complete();
        /// ```
        fn flat_map<Q, F>(self, f: F) -> FlatMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Q + Send + Sync + 'static,
            Q: Publisher,
        {
            assert_publisher::<Q::Item, _>(FlatMap::new(
                self,
                f,
                $crate::ops::flatten::flat_map::DEFAULT_MAX_CONCURRENCY,
                $crate::ops::flatten::flat_map::DEFAULT_PREFETCH,
            ))
        }

        /// Maps each item to a publisher and merges their items as they come,
        /// with at most `max_concurrency` inner publishers live at once, each
        /// asked for `prefetch` items at a time.
        ///
        /// Reactor's `flatMap(f, concurrency, prefetch)`. With `max_concurrency`
        /// 1 the inners run one after the other (as
        /// [`concat_map`](PublisherExt::concat_map), but each inner is prefetched
        /// and upstream is asked for one item at a time); `usize::MAX` means no
        /// limit (upstream is then asked for everything).
        ///
        /// # Demand
        ///
        /// Upstream is asked for `max_concurrency` items at first, then, as
        /// inners complete, for more in batches of 75% of `max_concurrency` (at
        /// least 1): never more than `max_concurrency` inners are live. Each
        /// inner is asked for `prefetch` items at first, then for 75% of
        /// `prefetch` more each time that many of its items were taken, so at
        /// most `prefetch` of its items are in flight. Items reach the
        /// downstream only within its demand.
        ///
        /// # Errors and cancellation
        ///
        /// As [`flat_map`](PublisherExt::flat_map). An upstream that sends more
        /// than `max_concurrency` items ahead of its inners completing, or an
        /// inner that sends more than it was asked for, fails the stream with an
        /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) error.
        ///
        /// # Panics
        ///
        /// If `max_concurrency` or `prefetch` is 0. The queue of an inner has
        /// room for `prefetch` items, allocated when it is first needed, so a
        /// `prefetch` above [`MAX_CAPACITY`](crate::MAX_CAPACITY) is clamped
        /// to it.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // One inner at a time, each asked for 2 items at a time.
        /// let ts = TestSubscriber::new(3);
        /// source::range(0..3u32)
        ///     .flat_map_with(|n| source::range(n * 10..n * 10 + 3), 1, 2)
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2]).assert_not_terminated();
        /// ts.request(10);
        /// ts.assert_values(&[0, 1, 2, 10, 11, 12, 20, 21, 22]).assert_complete();
        /// ```
        fn flat_map_with<Q, F>(
            self,
            f: F,
            max_concurrency: usize,
            prefetch: usize,
        ) -> FlatMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Q + Send + Sync + 'static,
            Q: Publisher,
        {
            assert_publisher::<Q::Item, _>(FlatMap::new(self, f, max_concurrency, prefetch))
        }

        /// Maps each item to a publisher and emits their items one publisher
        /// after the other, in upstream order, queueing up to 32 upstream items.
        ///
        /// The same as [`concat_map_with(f, 32)`](PublisherExt::concat_map_with).
        /// The next item is mapped, and its inner subscribed, only when the
        /// previous inner has completed.
        ///
        /// # Demand
        ///
        /// Upstream is asked for 32 items, then for 24 more each time 24 were
        /// taken. The current inner is asked for what the downstream still
        /// wants, at most 32 in flight; demand an inner did not use carries over
        /// to the next one.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream or from the current inner, or a panic in `f`,
        /// cancels upstream and the current inner, drops the queued items, and
        /// goes downstream at once. Cancelling cancels upstream and the current
        /// inner.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..4u32)
        ///     .concat_map(|n| source::from_iter(vec![n; n as usize]))
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[1, 2, 2, 3, 3, 3]).assert_complete();
        /// ```
        fn concat_map<Q, F>(self, f: F) -> ConcatMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Q + Send + Sync + 'static,
            Q: Publisher,
        {
            assert_publisher::<Q::Item, _>(ConcatMap::new(
                self,
                f,
                $crate::ops::flatten::concat_map::DEFAULT_PREFETCH,
            ))
        }

        /// Maps each item to a publisher and emits their items one publisher
        /// after the other, in upstream order, queueing up to `prefetch`
        /// upstream items.
        ///
        /// Reactor's `concatMap(f, prefetch)`. Unlike
        /// [`flat_map_with(f, 1, n)`](PublisherExt::flat_map_with), upstream items
        /// are fetched ahead (and mapped only when their turn comes), and an inner
        /// is never asked for more than the downstream wants.
        ///
        /// # Demand
        ///
        /// Upstream is asked for `prefetch` items at first, then for 75% of
        /// `prefetch` more each time that many were taken from the queue. The
        /// current inner is asked for what the downstream still wants, never for
        /// more than `prefetch` items in flight (in batches at 75% of `prefetch`
        /// once the downstream wants more); demand that an inner did not use
        /// carries over to the next one.
        ///
        /// # Errors and cancellation
        ///
        /// As [`concat_map`](PublisherExt::concat_map). An upstream or inner that
        /// sends more than it was asked for fails the stream with an
        /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) error.
        ///
        /// # Panics
        ///
        /// If `prefetch` is 0. The queue of upstream items has room for
        /// `prefetch` items, allocated at subscription, so a `prefetch` above
        /// [`MAX_CAPACITY`](crate::MAX_CAPACITY) is clamped to it.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(3);
        /// source::range(0..3u32)
        ///     .concat_map_with(|n| source::range(n * 10..n * 10 + 2), 1)
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 10]).assert_not_terminated();
        /// ts.request(3);
        /// ts.assert_values(&[0, 1, 10, 11, 20, 21]).assert_complete();
        /// ```
        fn concat_map_with<Q, F>(self, f: F, prefetch: usize) -> ConcatMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Q + Send + Sync + 'static,
            Q: Publisher,
        {
            assert_publisher::<Q::Item, _>(ConcatMap::new(self, f, prefetch))
        }

        /// Maps each item to a publisher and emits the items of the latest one
        /// only: each item cancels the current inner publisher and switches to
        /// its own.
        ///
        /// Items the old inner had sent but the downstream had not received yet
        /// are dropped, as are items it sends after the switch. Use it for
        /// "latest request wins": a search box that starts a new query for every
        /// keystroke.
        ///
        /// # Demand
        ///
        /// Upstream is asked for everything ([`UNBOUNDED`](crate::UNBOUNDED)):
        /// an upstream item never waits, it replaces the current inner. The
        /// current inner is asked for what the downstream still wants, at most
        /// 32 in flight; on a switch, the new inner is asked for the demand the
        /// old one left unused.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream or from the latest inner, or a panic in `f`,
        /// cancels upstream and the latest inner and goes downstream at once; an
        /// error from an inner that was already replaced is dropped. Cancelling
        /// cancels upstream and the latest inner. The stream completes when
        /// upstream and the latest inner have completed.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // Every inner completes at once here, so each one's items get through;
        /// // with asynchronous inners, only the latest would.
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..4u32)
        ///     .switch_map(|n| source::range(0..n))
        ///     .subscribe(ts.clone());
        /// ts.assert_values(&[0, 0, 1, 0, 1, 2]).assert_complete();
        ///
        /// // Without demand, a switch drops what the old inner had sent.
        /// let ts = TestSubscriber::new(0);
        /// source::range(1..4u32)
        ///     .switch_map(|n| source::just(n))
        ///     .subscribe(ts.clone());
        /// ts.request(5);
        /// ts.assert_values(&[3]).assert_complete();
        /// ```
        fn switch_map<Q, F>(self, f: F) -> SwitchMap<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item) -> Q + Send + Sync + 'static,
            Q: Publisher,
        {
            assert_publisher::<Q::Item, _>(SwitchMap::new(self, f))
        }
    };
}
pub(crate) use methods;
