//! The aggregate family: operators that fold a stream into one item
//! (`reduce`, `collect`, `count`, `all`, `any`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod all;
mod any;
mod collect;
mod count;
mod reduce;

pub use self::all::All;
pub use self::any::Any;
pub use self::collect::Collect;
pub use self::count::Count;
pub use self::reduce::Reduce;

/// The aggregate family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Folds the items pairwise with `f` into one item, emitted when
        /// upstream completes; an empty stream completes empty.
        ///
        /// As `Iterator::reduce`: the first item starts the accumulator, each
        /// later one is combined into it with `f(accumulator, item)`.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed (as
        /// Reactor's `reduce`); the result goes out when upstream has completed
        /// and downstream has requested (any `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through, and the accumulator is dropped. A panic in `f`
        /// cancels upstream and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic). Cancelling cancels
        /// upstream.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(1..5u32).reduce(|a, b| a * b).subscribe(ts.clone());
        /// ts.assert_values(&[24]).assert_complete();
        /// ```
        fn reduce<F>(self, f: F) -> Reduce<Self, F>
        where
            Self: Sized,
            F: Fn(Self::Item, Self::Item) -> Self::Item + Send + Sync + 'static,
        {
            assert_publisher::<Self::Item, _>(Reduce::new(self, f))
        }

        /// Gathers every item into a collection `C`, emitted as one item when
        /// upstream completes.
        ///
        /// `C` is any `Default + Extend` collection (`Vec`, `VecDeque`,
        /// `HashSet`, `String` from chars, a map from pairs), made fresh for each
        /// subscriber; name it as with `Iterator::collect`:
        /// `.collect::<Vec<_>>()`. An empty stream gives an empty collection.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
        /// collection goes out when upstream has completed and downstream has
        /// requested (any `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through, and the collection is dropped. A panic in `C`'s
        /// `extend` cancels upstream and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use std::collections::BTreeSet;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::from_iter(vec![3, 1, 3, 2]).collect::<BTreeSet<_>>().subscribe(ts.clone());
        /// ts.assert_values(&[BTreeSet::from([1, 2, 3])]).assert_complete();
        /// ```
        fn collect<C>(self) -> Collect<Self, C>
        where
            Self: Sized,
            C: Default + Extend<Self::Item> + Send + 'static,
        {
            assert_publisher::<C, _>(Collect::new(self))
        }

        /// The number of items, emitted as one `u64` when upstream completes.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
        /// count goes out when upstream has completed and downstream has
        /// requested (any `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors pass through. Cancelling cancels upstream.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..1_000u32).filter(|x| x % 3 == 0).count().subscribe(ts.clone());
        /// ts.assert_values(&[334]).assert_complete();
        /// ```
        fn count(self) -> Count<Self>
        where
            Self: Sized,
        {
            assert_publisher::<u64, _>(Count::new(self))
        }

        /// Whether every item satisfies `predicate`, emitted as one `bool`; true
        /// for an empty stream.
        ///
        /// Short-circuits like `Iterator::all`: the first item that fails the
        /// predicate decides the result `false`, and upstream is cancelled.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
        /// result goes out when it is known and downstream has requested (any
        /// `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors before the result is known pass through. A panic in
        /// `predicate` cancels upstream and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// // Decided at 7, without waiting for the endless rest.
        /// source::range(0..u64::MAX).all(|x| *x < 7).subscribe(ts.clone());
        /// ts.assert_values(&[false]).assert_complete();
        /// ```
        fn all<F>(self, predicate: F) -> All<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
        {
            assert_publisher::<bool, _>(All::new(self, predicate))
        }

        /// Whether some item satisfies `predicate`, emitted as one `bool`; false
        /// for an empty stream.
        ///
        /// Short-circuits like `Iterator::any`: the first item that satisfies the
        /// predicate decides the result `true`, and upstream is cancelled.
        ///
        /// # Demand
        ///
        /// [`UNBOUNDED`](crate::UNBOUNDED) upstream as soon as subscribed; the
        /// result goes out when it is known and downstream has requested (any
        /// `n >= 1`), whichever comes second.
        ///
        /// # Errors and cancellation
        ///
        /// Errors before the result is known pass through. A panic in
        /// `predicate` cancels upstream and becomes `on_error` with
        /// [`ErrorKind::Panic`](crate::ErrorKind::Panic).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let ts = TestSubscriber::unbounded();
        /// source::range(0..u64::MAX).any(|x| x * x > 50).subscribe(ts.clone());
        /// ts.assert_values(&[true]).assert_complete();
        /// ```
        fn any<F>(self, predicate: F) -> Any<Self, F>
        where
            Self: Sized,
            F: Fn(&Self::Item) -> bool + Send + Sync + 'static,
        {
            assert_publisher::<bool, _>(Any::new(self, predicate))
        }
    };
}
pub(crate) use methods;
