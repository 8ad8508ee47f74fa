//! The limit family: operators that let through only part of a stream
//! (`take`, `take_while`, `take_until`, `skip`, `skip_while`, `skip_until`,
//! `element_at`, `first`, `last`, `ignore_elements`, `default_if_empty`,
//! `limit_request`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod default_if_empty;
mod element_at;
mod first;
mod ignore_elements;
mod last;
mod skip;
mod skip_until;
mod skip_while;
mod take;
mod take_until;
mod take_while;

pub use self::default_if_empty::DefaultIfEmpty;
pub use self::element_at::{ElementAt, IndexOutOfBounds};
pub use self::first::First;
pub use self::ignore_elements::IgnoreElements;
pub use self::last::Last;
pub use self::skip::Skip;
pub use self::skip_until::SkipUntil;
pub use self::skip_while::SkipWhile;
pub use self::take::Take;
pub use self::take_until::TakeUntil;
pub use self::take_while::TakeWhile;

/// The limit family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// The first `n` items, then completion.
        ///
        /// After the `n`-th item upstream is cancelled and the stream completes;
        /// a shorter stream passes whole. `take(0)` subscribes upstream, cancels
        /// it at once and completes, as Reactor's does.
        ///
        /// # Demand
        ///
        /// Requests go upstream, capped so that upstream is asked for at most `n`
        /// items in total: `take(3)` under `request(UNBOUNDED)` asks for 3.
        ///
        /// # Errors and cancellation
        ///
        /// Errors before the `n`-th item pass through. A cancel from inside the
        /// `n`-th item's `on_next` wins: no `on_complete` follows it.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber, UNBOUNDED};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..1_000u32).take(3).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        /// assert_eq!(ts.requests(), [UNBOUNDED]); // and upstream was asked for 3
        /// ```
        fn take(self, n: u64) -> Take<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Take::new(self, n))
        }

        /// Items while `predicate` returns true; at the first false, upstream is
        /// cancelled and the stream completes (that item is dropped).
        ///
        /// # Demand
        ///
        /// One for one: each request goes straight upstream.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `predicate` cancels upstream and
        /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter(vec![1, 2, 10, 3]).take_while(|x| *x < 5).subscribe(ts.clone());
        /// ts.assert_values(&[1, 2]).assert_complete();
        /// ```
        fn take_while<F>(self, predicate: F) -> TakeWhile<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(TakeWhile::new(self, predicate))
        }

        /// Items until `other` signals: its first item, or its completion,
        /// cancels both and completes the stream.
        ///
        /// `other` may be any publisher, of any item type, signalling from any
        /// thread; downstream signals stay serial (§1.3). It is subscribed
        /// first (as in Reactor's `takeUntilOther`), so one that signals at once
        /// ends the stream before any item, and upstream is then not subscribed.
        ///
        /// # Demand
        ///
        /// One for one: each request goes upstream (a request made before
        /// upstream is subscribed waits for it). `other` is asked for
        /// [`UNBOUNDED`](crate::UNBOUNDED): its items are only a signal.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream cancels `other`; an error from `other` cancels
        /// upstream; either fails the stream. Cancelling cancels both.
        /// `request(0)` fails the stream with the §3.9 error and cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // `never` never signals: everything passes.
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u8).take_until(source::never::<()>()).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        ///
        /// // `just` signals at once: nothing passes.
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u8).take_until(source::just("stop")).subscribe(ts.clone());
        /// ts.assert_no_values().assert_complete();
        /// ```
        fn take_until<O>(self, other: O) -> TakeUntil<Self, O>
        where
            Self: Sized,
            O: Publisher,
        {
            assert_publisher::<Self::Item, _>(TakeUntil::new(self, other))
        }

        /// Drops the first `n` items, then passes the rest.
        ///
        /// # Demand
        ///
        /// One for one for passed items. A skipped item costs no request when
        /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next),
        /// as every synchronous source and operator of this crate does; other
        /// publishers get a `request(1)` for each skipped item.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through, also while skipping.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(2);
        /// source::range(0..10u32).skip(7).subscribe(ts.clone());
        /// ts.assert_values(&[7, 8]);
        /// assert_eq!(ts.requests(), [2]); // no request(1) per skipped item
        /// ```
        fn skip(self, n: u64) -> Skip<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Skip::new(self, n))
        }

        /// Drops items while `predicate` returns true, then passes every item
        /// from the first one for which it returns false (and calls it no more).
        ///
        /// # Demand
        ///
        /// One for one for passed items. A dropped item costs no request when
        /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next);
        /// other publishers get a `request(1)` for each dropped item.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. A panic in `predicate` cancels upstream and
        /// becomes `on_error` with [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter(vec![1, 2, 10, 3]).skip_while(|x| *x < 5).subscribe(ts.clone());
        /// ts.assert_values(&[10, 3]).assert_complete();
        /// ```
        fn skip_while<F>(self, predicate: F) -> SkipWhile<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(SkipWhile::new(self, predicate))
        }

        /// Drops items until `other` signals (its first item, or its
        /// completion), then passes the rest.
        ///
        /// `other` may be any publisher, of any item type, signalling from any
        /// thread. It is subscribed first (as in Reactor's `skipUntilOther`), so
        /// one that signals at once lets every item through.
        ///
        /// # Demand
        ///
        /// One for one for passed items; a dropped item costs no request when
        /// upstream emits through [`try_on_next`](crate::Subscriber::try_on_next),
        /// and a `request(1)` otherwise. `other` is asked for
        /// [`UNBOUNDED`](crate::UNBOUNDED), and cancelled after its first item.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream cancels `other`. An error from `other` before
        /// it opened the gate cancels upstream; either fails the stream.
        /// Cancelling cancels both. `request(0)` fails the stream with the §3.9
        /// error and cancels both.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// // `empty` completes at once: the gate is open from the start.
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u8).skip_until(source::empty::<()>()).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        ///
        /// // `never` never opens it.
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..3u8).skip_until(source::never::<()>()).subscribe(ts.clone());
        /// ts.assert_no_values().assert_complete();
        /// ```
        fn skip_until<O>(self, other: O) -> SkipUntil<Self, O>
        where
            Self: Sized,
            O: Publisher,
        {
            assert_publisher::<Self::Item, _>(SkipUntil::new(self, other))
        }

        /// The item at `index` (counted from 0) alone, then completion; an
        /// [`IndexOutOfBounds`] error when the stream completes before it.
        ///
        /// As Reactor's `elementAt(index)`; upstream is cancelled once the item
        /// has arrived.
        ///
        /// # Demand
        ///
        /// Nothing until downstream requests; at its first request (any
        /// `n >= 1`), `index + 1` upstream, once.
        ///
        /// # Errors and cancellation
        ///
        /// Errors before the item pass through. A stream that is too short fails
        /// with an [`Error`] wrapping [`IndexOutOfBounds`] (reach it with
        /// [`Error::downcast_ref`]).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::IndexOutOfBounds;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(1);
        /// source::range(10..20u32).element_at(3).subscribe(ts.clone());
        /// ts.assert_values(&[13]).assert_complete();
        /// assert_eq!(ts.requests(), [1]); // and upstream was asked for 4
        ///
        /// let ts = TestSubscriber::<u32>::unbounded();
        /// source::range(0..2u32).element_at(3).subscribe(ts.clone());
        /// ts.assert_error(|e| e.downcast_ref::<IndexOutOfBounds>().is_some());
        /// ```
        fn element_at(self, index: u64) -> ElementAt<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(ElementAt::new(self, index))
        }

        /// The first item alone, then completion; an empty stream completes
        /// empty.
        ///
        /// Reactor's `next()`, RxJava's `firstElement()`. Like both (and
        /// `Iterator::next`), no item is not an error: chain
        /// [`default_if_empty`](PublisherExt::default_if_empty) for a fallback,
        /// or use [`element_at(0)`](PublisherExt::element_at) for an error.
        ///
        /// # Demand
        ///
        /// Nothing until downstream requests; then 1 upstream, once. Upstream is
        /// cancelled when the item has arrived.
        ///
        /// # Errors and cancellation
        ///
        /// An error before the first item passes through.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(5..100u32).first().subscribe(ts.clone());
        /// ts.assert_values(&[5]).assert_complete();
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::empty::<u32>().first().subscribe(ts.clone());
        /// ts.assert_no_values().assert_complete();
        /// ```
        fn first(self) -> First<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(First::new(self))
        }

        /// The last item alone, then completion; an empty stream completes
        /// empty.
        ///
        /// Like `Iterator::last` and RxJava's `lastElement()`; Reactor's
        /// `last()` fails on an empty stream instead (chain
        /// [`default_if_empty`](PublisherExt::default_if_empty) for a fallback).
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
        /// item goes out when upstream has completed and downstream has requested
        /// (any `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through (the last item seen is dropped). Cancelling
        /// cancels upstream.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(0);
        /// source::range(0..5u32).last().subscribe(ts.clone());
        /// ts.assert_no_values().assert_not_terminated(); // ready, but not requested
        /// ts.request(1);
        /// ts.assert_values(&[4]).assert_complete();
        /// ```
        fn last(self) -> Last<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Last::new(self))
        }

        /// Drops every item, passing on only the end: completion or error.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed,
        /// whatever downstream asks for: downstream receives no item, so its
        /// demand bounds nothing, and the end needs no demand (§2.9). A
        /// `request(1)` per dropped item instead would make upstream wait for
        /// requests nobody needs.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. Downstream's `cancel` and `request(0)` reach
        /// upstream unchanged.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(0);
        /// source::range(0..1_000u32).ignore_elements().subscribe(ts.clone());
        /// ts.assert_no_values().assert_complete();
        /// ```
        fn ignore_elements(self) -> IgnoreElements<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(IgnoreElements::new(self))
        }

        /// Passes every item; if upstream completes without any, emits `value`
        /// (a clone for each subscriber), then completes.
        ///
        /// # Demand
        ///
        /// One for one: each request goes upstream. The default value goes out
        /// only once downstream has requested (any `n >= 1`, before or after the
        /// empty completion).
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through, with no default value.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::empty().default_if_empty(7u32).subscribe(ts.clone());
        /// ts.assert_values(&[7]).assert_complete();
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..3u32).default_if_empty(7).subscribe(ts.clone());
        /// ts.assert_values(&[1, 2]).assert_complete();
        /// ```
        fn default_if_empty(self, value: Self::Item) -> DefaultIfEmpty<Self, Self::Item>
        where
            Self: Sized,
            Self::Item: Clone + Sync,
        {
            assert_publisher::<Self::Item, _>(DefaultIfEmpty::new(self, value))
        }

        /// Caps the total demand sent upstream at `n`, and completes once `n`
        /// items have arrived: Reactor's `limitRequest(n)`.
        ///
        /// Reactor 3.5 made `take(n)` cap demand the same way and deprecated
        /// `limitRequest` in its favour; here both names build the same
        /// operator, [`Take`].
        ///
        /// # Demand
        ///
        /// Requests go upstream until their sum reaches `n`; the rest is not
        /// passed on.
        ///
        /// # Errors and cancellation
        ///
        /// As [`take`](PublisherExt::take).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::new(2);
        /// source::range(0..100u32).limit_request(3).subscribe(ts.clone());
        /// ts.assert_values(&[0, 1]).assert_not_terminated();
        /// ts.request(10); // only 1 more goes upstream
        /// ts.assert_values(&[0, 1, 2]).assert_complete();
        /// ```
        fn limit_request(self, n: u64) -> Take<Self>
        where
            Self: Sized,
        {
            assert_publisher::<Self::Item, _>(Take::new(self, n))
        }
    };
}
pub(crate) use methods;
