//! The multicast family: one upstream subscription shared by many
//! subscribers (`publish`, `share`, `replay`).
//!
//! One operator per file; the family's methods of
//! [`PublisherExt`](crate::PublisherExt) are in the `methods!` macro below.

mod disconnect_guard;
mod publish;
mod replay;
mod share;

pub use self::disconnect_guard::DisconnectGuard;
pub use self::publish::{ConnectablePublisher, Connection, Publish};
pub use self::replay::Replay;
pub use self::share::{RefCount, Share};

/// The multicast family's methods of [`PublisherExt`](crate::PublisherExt),
/// expanded inside the trait in `ops/mod.rs`, where the names they use
/// resolve.
macro_rules! methods {
    () => {
        /// Shares one subscription to this publisher among many subscribers,
        /// from the moment [`connect`](ConnectablePublisher::connect) is called.
        ///
        /// Subscribers attach with their own demand. On `connect`, upstream is
        /// subscribed into a queue of 256 items; an item is emitted only when
        /// every current subscriber has requested it, and then to all of them:
        /// emission is paced by the slowest subscriber. A subscriber that cancels
        /// is removed; a late one sees only the items not yet emitted. Items are
        /// cloned for each subscriber.
        ///
        /// # Demand
        ///
        /// Requests 256 upstream on `connect`, then 192 more each time 192 items
        /// have been emitted (the 75% rule); nothing more while the slowest
        /// subscriber requests nothing. See
        /// [`publish_with_prefetch`](PublisherExt::publish_with_prefetch).
        ///
        /// # Errors and cancellation
        ///
        /// Completion reaches every subscriber once the queue is empty, an error
        /// reaches them at once (queued items are dropped); subscribers that
        /// arrive later get the end at once. Cancelling a subscriber does not
        /// disconnect: [`Connection::disconnect`] does, and the subscribers then
        /// get an error. [`share`](PublisherExt::share) disconnects when the last
        /// subscriber cancels.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::ConnectablePublisher;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let published = source::range(0..5u32).publish();
        /// let fast = TestSubscriber::new(5);
        /// let slow = TestSubscriber::new(2);
        /// published.subscribe(fast.clone());
        /// published.subscribe(slow.clone());
        /// published.connect();
        /// fast.assert_values(&[0, 1]); // held back by the slow one
        /// slow.request(3);
        /// fast.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
        /// slow.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
        /// ```
        fn publish(self) -> Publish<Self>
        where
            Self: Sized,
            Self::Item: Clone,
        {
            assert_publisher::<Self::Item, _>(Publish::with_default_prefetch(self))
        }

        /// [`publish`](PublisherExt::publish) with a queue of `prefetch` items
        /// (at least 1, at most 2^20) instead of 256.
        ///
        /// # Demand
        ///
        /// Requests `prefetch` upstream on `connect`, then `prefetch - prefetch /
        /// 4` each time that many items have been emitted.
        ///
        /// # Errors and cancellation
        ///
        /// As [`publish`](PublisherExt::publish).
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::ConnectablePublisher;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let published = source::range(0..100u32).publish_with_prefetch(4);
        /// let ts = TestSubscriber::new(6);
        /// published.subscribe(ts.clone());
        /// published.connect(); // 4 requested, then 3 more after 3 emitted, ...
        /// ts.assert_values(&[0, 1, 2, 3, 4, 5]);
        /// ```
        fn publish_with_prefetch(self, prefetch: usize) -> Publish<Self>
        where
            Self: Sized,
            Self::Item: Clone,
        {
            assert_publisher::<Self::Item, _>(Publish::new(self, prefetch))
        }

        /// Shares one subscription to this publisher among its current
        /// subscribers: [`publish`](PublisherExt::publish) that connects when the
        /// first subscriber arrives and disconnects when the last one cancels.
        ///
        /// A subscriber that arrives while others are subscribed joins them and
        /// sees only later items; once all have cancelled (or all have received
        /// the end of the stream), the next subscriber starts a new subscription
        /// upstream (Reactor's `publish().refCount()`).
        ///
        /// # Demand
        ///
        /// As [`publish`](PublisherExt::publish): 256 up front, replenished at
        /// 75%, emission paced by the slowest subscriber.
        ///
        /// # Errors and cancellation
        ///
        /// As [`publish`](PublisherExt::publish); when the last subscriber
        /// cancels, upstream is cancelled.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let shared = source::range(0..3u32).share();
        /// let first = TestSubscriber::unbounded();
        /// shared.subscribe(first.clone()); // connects; the range runs at once
        /// first.assert_values(&[0, 1, 2]).assert_complete();
        ///
        /// let again = TestSubscriber::unbounded();
        /// shared.subscribe(again.clone()); // the stream had ended: reconnects
        /// again.assert_values(&[0, 1, 2]).assert_complete();
        /// ```
        fn share(self) -> Share<Self>
        where
            Self: Sized + 'static,
            Self::Item: Clone,
        {
            assert_publisher::<Self::Item, _>(self.publish().ref_count())
        }

        /// Like [`publish`](PublisherExt::publish), but keeps the last `history`
        /// items and replays them to every new subscriber; each subscriber is
        /// served at its own demand.
        ///
        /// A new subscriber starts `history` items back from the newest item
        /// received, then follows the live stream; the end of the stream is
        /// replayed too (after the items). `usize::MAX` keeps everything.
        ///
        /// # Demand
        ///
        /// Requests 256 upstream on `connect`, then more in steps of at least 192
        /// so that the slowest subscriber is never more than 256 items behind;
        /// with no subscriber, keeps requesting as items arrive (keeping the
        /// last `history`). At most `history + 256` items are held.
        ///
        /// # Errors and cancellation
        ///
        /// An error from upstream is replayed after the items before it, to each
        /// subscriber at its own pace. [`Connection::disconnect`] cancels
        /// upstream and fails the subscribers at once.
        ///
        /// # Examples
        ///
        /// ```
        /// use reactive_streams::ops::ConnectablePublisher;
        /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
        ///
        /// let replayed = source::range(0..5u32).replay(2);
        /// replayed.connect(); // runs the range; the last 2 items are kept
        /// let late = TestSubscriber::new(1);
        /// replayed.subscribe(late.clone());
        /// late.assert_values(&[3]);
        /// late.request(5);
        /// late.assert_values(&[3, 4]).assert_complete();
        /// ```
        fn replay(self, history: usize) -> Replay<Self>
        where
            Self: Sized,
            Self::Item: Clone,
        {
            assert_publisher::<Self::Item, _>(Replay::new(self, history))
        }
    };
}
pub(crate) use methods;
