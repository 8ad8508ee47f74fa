//! `share` and `ref_count`: a connectable publisher that connects when its
//! first subscriber arrives and disconnects when the last one cancels
//! (Reactor's `refCount`).
//!
//! `share()` is `publish().ref_count()`. Subscribers that arrive while the
//! connection is live join it (and see only later items). Once every
//! subscriber has left (cancelled, been failed alone by a `request(0)`, or
//! had the end of the stream), the connection is disconnected (upstream is
//! cancelled, unless it had ended), and the next subscriber starts a new
//! connection: a new subscription to upstream.
//!
//! # Demand
//!
//! That of the connectable publisher underneath: for `share`, `publish`'s
//! prefetch of 256, replenished at 75%, emission paced by the slowest
//! subscriber.
//!
//! Threads: the first subscriber connects on its own thread, inside
//! `subscribe`; the last cancel disconnects on the cancelling thread.
//!
//! # Implementation notes
//!
//! ## State
//! `state: Mutex<RefState>`: the live lease, if any: an id, the number of
//! subscribers holding it (`count`), and its connection. A subscriber holds
//! the lease it joined, by id, until it cancels or receives its end
//! (`released`, a once-only flag shared by the subscriber and its
//! subscription).
//!
//! ## Field access rules
//! * `state`: under its lock. While it is held, no user code runs: the
//!   connectable's `fresh` only swaps connections (and hands the replaced
//!   one back to be dropped after unlocking), and a disconnect is only
//!   *marked* there (an atomic flag); cancelling upstream, subscribing and
//!   connecting happen after unlocking.
//!
//! ## Races considered
//! 1. The last subscriber leaves while a new one arrives: the leaver takes
//!    the lease and marks its connection disconnected under the lock. The
//!    newcomer, locking after it, finds no lease and asks for a fresh
//!    connection, which replaces the marked one; so it never joins a
//!    connection that is about to be disconnected.
//! 2. The first subscriber cancels before its `connect` ran (inside
//!    `on_subscribe`): its connection is marked disconnected, and a marked
//!    connection never connects.
//! 3. `cancel` races the subscriber's end: `released` makes only the first
//!    of them count.

use core::fmt;

use super::publish::sealed::Connectable;
use super::publish::{Connection, Publish};
use crate::error::Error;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};
use crate::traits::{Publisher, Subscriber, Subscription};

/// Publisher for the [`share`](crate::PublisherExt::share) method:
/// [`publish`](crate::PublisherExt::publish) with [`RefCount`].
pub type Share<P> = RefCount<Publish<P>>;

/// Publisher for the [`ref_count`](crate::ops::ConnectablePublisher::ref_count)
/// method and, through [`Share`], for [`share`](crate::PublisherExt::share).
///
/// Cheap to clone: clones share the reference count and the connection.
#[must_use = "publishers do nothing until subscribed"]
pub struct RefCount<C: Connectable> {
    shared: Arc<RefCountShared<C>>,
}

struct RefCountShared<C: Connectable> {
    source: C,
    state: Mutex<RefState<C::Conn>>,
}

struct RefState<K> {
    live: Option<Lease<K>>,
    next_id: u64,
}

/// The connection the current subscribers share.
struct Lease<K> {
    id: u64,
    count: usize,
    conn: K,
    control: Connection,
}

impl<C: Connectable + fmt::Debug> fmt::Debug for RefCount<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self
            .shared
            .state
            .lock()
            .live
            .as_ref()
            .map_or(0, |l| l.count);
        f.debug_struct("RefCount")
            .field("source", &self.shared.source)
            .field("subscribers", &count)
            .finish()
    }
}

impl<C: Connectable> Clone for RefCount<C> {
    fn clone(&self) -> Self {
        RefCount {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<C: Connectable> RefCount<C> {
    pub(crate) fn new(source: C) -> Self {
        RefCount {
            shared: Arc::new(RefCountShared {
                source,
                state: Mutex::new(RefState {
                    live: None,
                    next_id: 0,
                }),
            }),
        }
    }
}

impl<C> Publisher for RefCount<C>
where
    C: Connectable + 'static,
{
    type Item = C::Item;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<C::Item> + 'static,
    {
        let shared = &self.shared;
        let (id, conn, first) = {
            let mut state = shared.state.lock();
            match &mut state.live {
                Some(lease) => {
                    lease.count += 1;
                    (lease.id, lease.conn.clone(), false)
                }
                None => {
                    // Race 1: a connection whose lease ended was marked (or
                    // terminated), so `fresh` replaces it.
                    let conn = shared.source.fresh();
                    let id = state.next_id;
                    state.next_id += 1;
                    state.live = Some(Lease {
                        id,
                        count: 1,
                        control: C::control(&conn),
                        conn: conn.clone(),
                    });
                    (id, conn, true)
                }
            }
        };
        let released = Arc::new(AtomicBool::new(false));
        shared.source.subscribe_to(
            &conn,
            Box::new(RefCountSubscriber {
                downstream: subscriber,
                owner: Arc::clone(shared) as Arc<dyn Release>,
                id,
                released,
            }),
        );
        if first {
            // Race 2: does nothing if the lease already ended by cancel.
            shared.source.connect_to(&conn);
        }
    }
}

/// What a subscriber calls when it leaves its lease.
trait Release: Send + Sync {
    fn release(&self, id: u64);
}

impl<C: Connectable> Release for RefCountShared<C> {
    /// One subscriber left (cancelled, had its end, or was dropped). The last
    /// one to leave disconnects: upstream is cancelled unless it had ended
    /// (then the disconnect changes nothing).
    fn release(&self, id: u64) {
        let ended = {
            let mut state = self.state.lock();
            match &mut state.live {
                Some(lease) if lease.id == id => {
                    lease.count -= 1;
                    if lease.count == 0 {
                        let lease = state.live.take();
                        if let Some(lease) = &lease {
                            // Race 1: marked here, under the lock.
                            lease.control.mark_disconnected();
                        }
                        lease
                    } else {
                        None
                    }
                }
                _ => None,
            }
        };
        // Unlocked: cancelling upstream runs user code.
        if let Some(lease) = ended {
            lease.control.disconnect();
        }
    }
}

/// Wraps a subscriber of a [`RefCount`] to notice its cancel and its end.
struct RefCountSubscriber<S> {
    downstream: S,
    owner: Arc<dyn Release>,
    id: u64,
    /// Set by the first of cancel and the end (race 3).
    released: Arc<AtomicBool>,
}

impl<S> RefCountSubscriber<S> {
    fn release(&self) {
        // Ordering: AcqRel; a once-only flag between the subscriber and its
        // subscription (the lease count is under the lock).
        if !self.released.swap(true, Ordering::AcqRel) {
            self.owner.release(self.id);
        }
    }
}

impl<T, S: Subscriber<T>> Subscriber<T> for RefCountSubscriber<S> {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.downstream.on_subscribe(Arc::new(RefCountSubscription {
            upstream: subscription,
            owner: Arc::clone(&self.owner),
            id: self.id,
            released: Arc::clone(&self.released),
        }));
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        self.downstream.on_next(item);
    }

    #[inline]
    fn try_on_next(&mut self, item: T) -> bool {
        self.downstream.try_on_next(item)
    }

    fn on_error(&mut self, error: Error) {
        // Released first, so that a subscriber that subscribes again from
        // inside its terminal signal starts a new connection.
        self.release();
        self.downstream.on_error(error);
    }

    fn on_complete(&mut self) {
        self.release();
        self.downstream.on_complete();
    }
}

impl<S> Drop for RefCountSubscriber<S> {
    /// A subscriber dropped without cancel or end (it panicked, §2.13, and
    /// was dropped by its publisher) leaves the lease too.
    fn drop(&mut self) {
        // Ordering: AcqRel; see `release`.
        if !self.released.swap(true, Ordering::AcqRel) {
            self.owner.release(self.id);
        }
    }
}

/// The subscription a [`RefCount`] subscriber gets: its cancel leaves the
/// lease.
struct RefCountSubscription {
    upstream: Arc<dyn Subscription>,
    owner: Arc<dyn Release>,
    id: u64,
    released: Arc<AtomicBool>,
}

impl Subscription for RefCountSubscription {
    #[inline]
    fn request(&self, n: u64) {
        self.upstream.request(n);
    }

    fn cancel(&self) {
        self.upstream.cancel();
        // Ordering: AcqRel; see `RefCountSubscriber::release`.
        if !self.released.swap(true, Ordering::AcqRel) {
            self.owner.release(self.id);
        }
    }
}
