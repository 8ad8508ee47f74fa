//! `publish`: one subscription to upstream, shared by every subscriber, and
//! started by [`connect`](ConnectablePublisher::connect).
//!
//! Subscribers attach with their own demand and wait. `connect` subscribes
//! upstream once, into a bounded queue; an item leaves the queue only when
//! every current subscriber has requested it, and then goes to all of them
//! (emission paced by the slowest subscriber). A subscriber that cancels is
//! removed; one that arrives late sees only the items not yet emitted.
//! Upstream's completion or error reaches every subscriber, and a subscriber
//! that arrives after it gets it at once. The engine is the multicast
//! processor's (`processor/multicast.rs`), without its auto-cancel: a
//! connection lasts until upstream ends or [`Connection::disconnect`].
//!
//! # Demand
//!
//! On `connect`, upstream is asked for `prefetch` items (default 256), then
//! for `limit = prefetch - prefetch / 4` more each time `limit` items have
//! been emitted (the 75% rule). So at most `prefetch` items are queued, and
//! while nobody is subscribed (or the slowest subscriber requests nothing)
//! upstream is asked for nothing more.
//!
//! Threads: runs on whichever thread signals; `connect` subscribes upstream
//! on the calling thread (a synchronous upstream emits its first `prefetch`
//! items into the queue right there).
//!
//! # Implementation notes
//!
//! ## State
//! `current: Mutex<Arc<Hub>>`: the connection subscribers join. It is
//! replaced by a fresh, unconnected one when a subscriber finds it
//! disconnected, or when `connect` (or `share`'s reference count) finds it
//! disconnected or terminated. A replaced connection lives on for the
//! subscribers it has.
//!
//! ## Field access rules
//! * `current`: under its lock; no user code runs while it is held (a
//!   replaced connection is dropped after unlocking, subscribing and
//!   connecting happen after it).
//! * A hub's `connected` and `disconnected` flags are each set once
//!   (`processor/multicast.rs`); `connect` subscribes upstream only for the
//!   call that set `connected`.
//!
//! ## Races considered
//! 1. Two `connect` calls: one sets `connected` and subscribes upstream, the
//!    other gets a handle to the same connection.
//! 2. `disconnect` before upstream's `on_subscribe` arrives: the link is
//!    cancelled first, so the subscription is cancelled when it arrives
//!    (`processor/shared.rs`, race 2); a disconnect before `connect` keeps
//!    the hub from ever connecting.

use core::fmt;

use super::share::RefCount;
use crate::processor::multicast::{Hub, DEFAULT_CAPACITY};
use crate::processor::MulticastProcessor;
use crate::queue::clamp_capacity;
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`publish`](crate::PublisherExt::publish) method: a
/// [`ConnectablePublisher`].
///
/// Cheap to clone: clones share one connection.
#[must_use = "publishers do nothing until subscribed and connected"]
pub struct Publish<P: Publisher> {
    shared: Arc<PublishShared<P>>,
}

struct PublishShared<P: Publisher> {
    upstream: P,
    prefetch: usize,
    current: Mutex<Arc<Hub<P::Item>>>,
}

impl<P: Publisher + fmt::Debug> fmt::Debug for Publish<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Publish")
            .field("upstream", &self.shared.upstream)
            .field("prefetch", &self.shared.prefetch)
            .finish_non_exhaustive()
    }
}

impl<P: Publisher> Clone for Publish<P> {
    fn clone(&self) -> Self {
        Publish {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<P> Publish<P>
where
    P: Publisher,
    P::Item: Clone,
{
    pub(crate) fn new(upstream: P, prefetch: usize) -> Self {
        let prefetch = clamp_capacity(prefetch);
        Publish {
            shared: Arc::new(PublishShared {
                upstream,
                prefetch,
                current: Mutex::new(Hub::new(prefetch, false)),
            }),
        }
    }

    /// `publish` with the default prefetch.
    pub(crate) fn with_default_prefetch(upstream: P) -> Self {
        Publish::new(upstream, DEFAULT_CAPACITY)
    }

    /// The connection a new subscriber joins: the current one, unless it was
    /// disconnected (then a fresh, unconnected one).
    fn joinable(&self) -> Arc<Hub<P::Item>> {
        self.current_unless(|hub| hub.is_disconnected())
    }

    /// The current connection, replaced first if `finished` says so.
    fn current_unless(&self, finished: impl Fn(&Hub<P::Item>) -> bool) -> Arc<Hub<P::Item>> {
        let (hub, replaced) = {
            let mut current = self.shared.current.lock();
            let replaced = if finished(&current) {
                let fresh = Hub::new(self.shared.prefetch, false);
                Some(core::mem::replace(&mut *current, fresh))
            } else {
                None
            };
            (Arc::clone(&current), replaced)
        };
        // Dropped unlocked: the last reference drops queued items.
        drop(replaced);
        hub
    }
}

impl<P> Publisher for Publish<P>
where
    P: Publisher,
    P::Item: Clone,
{
    type Item = P::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<P::Item> + 'static,
    {
        self.joinable().subscribe(Box::new(subscriber));
    }
}

impl<P> ConnectablePublisher for Publish<P>
where
    P: Publisher,
    P::Item: Clone,
{
    fn connect(&self) -> Connection {
        let hub = sealed::Connectable::fresh(self);
        sealed::Connectable::connect_to(self, &hub);
        Connection::new(hub)
    }
}

impl<P> sealed::Connectable for Publish<P>
where
    P: Publisher,
    P::Item: Clone,
{
    type Conn = Arc<Hub<P::Item>>;

    fn fresh(&self) -> Self::Conn {
        self.current_unless(|hub| hub.is_disconnected() || hub.is_terminated())
    }

    fn subscribe_to(&self, conn: &Self::Conn, subscriber: Box<dyn Subscriber<P::Item>>) {
        conn.subscribe(subscriber);
    }

    fn connect_to(&self, conn: &Self::Conn) {
        if conn.try_connect() {
            self.shared
                .upstream
                .subscribe(MulticastProcessor::from_hub(Arc::clone(conn)));
        }
    }

    fn control(conn: &Self::Conn) -> Connection {
        Connection::new(conn.clone())
    }
}

/// A [`Publisher`] that subscribes upstream only when told to
/// ([`connect`](ConnectablePublisher::connect)), and then shares that one
/// subscription among all its subscribers: [`Publish`] and
/// [`Replay`](crate::ops::Replay).
///
/// The trait is sealed: this crate's connectable publishers implement it.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::ConnectablePublisher;
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// let published = source::range(0..3u32).publish();
/// let ts = TestSubscriber::unbounded();
/// published.subscribe(ts.clone());
/// ts.assert_no_values(); // nothing until connected
/// let connection = published.connect();
/// ts.assert_values(&[0, 1, 2]).assert_complete();
/// assert!(connection.is_terminated());
/// ```
pub trait ConnectablePublisher: Publisher + sealed::Connectable {
    /// Subscribes upstream, unless already connected, and returns a handle
    /// to the connection.
    ///
    /// Connecting a connected publisher returns the same connection. After
    /// the connection ended (upstream completed or failed) or was
    /// disconnected, `connect` starts a new one; subscribers that arrive in
    /// between get the end of the old one at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let published = source::range(0..2u32).publish();
    /// published.connect(); // items wait in the queue for the first subscriber
    /// let ts = TestSubscriber::unbounded();
    /// published.subscribe(ts.clone());
    /// ts.assert_values(&[0, 1]).assert_complete();
    /// ```
    fn connect(&self) -> Connection;

    /// Connects when the first subscriber arrives and disconnects when the
    /// last one cancels; see [`RefCount`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
    ///
    /// let latest = source::range(0..5u32).replay(2).ref_count();
    /// let ts = TestSubscriber::unbounded();
    /// latest.subscribe(ts.clone()); // connects
    /// ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    /// ```
    fn ref_count(self) -> RefCount<Self>
    where
        Self: Sized,
    {
        RefCount::new(self)
    }
}

/// The handle [`connect`](ConnectablePublisher::connect) returns: disconnects
/// the connection, and tells whether it is over.
///
/// Cheap to clone. Dropping it does **not** disconnect.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::ConnectablePublisher;
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// let published = source::never::<u32>().publish();
/// let ts = TestSubscriber::unbounded();
/// published.subscribe(ts.clone());
/// let connection = published.connect();
/// connection.disconnect(); // cancels upstream; subscribers get an error
/// assert!(connection.is_disconnected());
/// ts.assert_error_message("disconnected");
/// ```
#[derive(Clone)]
pub struct Connection {
    control: Arc<dyn Control>,
}

/// What a [`Connection`] controls: a multicast stage's upstream.
pub(crate) trait Control: Send + Sync {
    /// Marks the connection disconnected, running no user code; true for the
    /// first call. `disconnect` does the rest.
    fn mark_disconnected(&self) -> bool;
    /// Cancels upstream and fails the subscribers (unless upstream ended).
    fn disconnect(&self);
    fn is_disconnected(&self) -> bool;
    fn is_terminated(&self) -> bool;
}

impl<T: Clone + Send + 'static> Control for Hub<T> {
    fn mark_disconnected(&self) -> bool {
        Hub::mark_disconnected(self)
    }

    fn disconnect(&self) {
        Hub::disconnect(self);
    }

    fn is_disconnected(&self) -> bool {
        Hub::is_disconnected(self)
    }

    fn is_terminated(&self) -> bool {
        Hub::is_terminated(self)
    }
}

impl Connection {
    pub(crate) fn new(control: Arc<dyn Control>) -> Connection {
        Connection { control }
    }

    /// Cancels the upstream subscription. Subscribers still attached get an
    /// error (kind [`Other`](crate::ErrorKind::Other), "disconnected"), unless
    /// upstream had ended already, in which case they get its end as usual.
    /// Later subscribers wait for the next `connect`. Idempotent.
    ///
    /// See [`Connection`] for an example.
    pub fn disconnect(&self) {
        self.control.disconnect();
    }

    /// True once [`disconnect`](Connection::disconnect) was called.
    ///
    /// See [`Connection`] for an example.
    pub fn is_disconnected(&self) -> bool {
        self.control.is_disconnected()
    }

    /// True once the stream ended: upstream completed or failed (or it was
    /// disconnected before that).
    ///
    /// See [`ConnectablePublisher`] for an example.
    pub fn is_terminated(&self) -> bool {
        self.control.is_terminated()
    }

    /// This connection as a guard that disconnects when dropped: see
    /// [`DisconnectGuard`](crate::ops::DisconnectGuard) for why a connected
    /// stage otherwise outlives every handle to it.
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let guard = source::never::<u32>().publish().connect().disconnect_on_drop();
    /// let connection = guard.connection().clone();
    /// drop(guard);
    /// assert!(connection.is_disconnected());
    /// ```
    pub fn disconnect_on_drop(self) -> super::disconnect_guard::DisconnectGuard {
        super::disconnect_guard::DisconnectGuard::new(self)
    }

    /// The first half of a disconnect, for `RefCount` (no user code runs).
    pub(crate) fn mark_disconnected(&self) -> bool {
        self.control.mark_disconnected()
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("disconnected", &self.is_disconnected())
            .field("terminated", &self.is_terminated())
            .finish()
    }
}

/// The sealed half of [`ConnectablePublisher`]: what [`RefCount`] needs to
/// manage one specific connection.
pub(crate) mod sealed {
    use super::Connection;
    use crate::traits::{Publisher, Subscriber};

    /// Sealed: not nameable outside the crate, so only this crate implements
    /// [`ConnectablePublisher`](super::ConnectablePublisher).
    #[allow(unreachable_pub)] // the sealed-trait pattern: public, but unnameable
    pub trait Connectable: Publisher {
        /// A handle to one connection.
        type Conn: Clone + Send + Sync + 'static;

        /// The current connection, replaced by a fresh one first if it is
        /// disconnected or terminated.
        fn fresh(&self) -> Self::Conn;

        /// Subscribes to that connection.
        fn subscribe_to(&self, conn: &Self::Conn, subscriber: Box<dyn Subscriber<Self::Item>>);

        /// Connects that connection (once; never after it was disconnected).
        fn connect_to(&self, conn: &Self::Conn);

        /// The public handle of that connection.
        fn control(conn: &Self::Conn) -> Connection;
    }
}
