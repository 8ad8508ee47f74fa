//! [`DisconnectGuard`]: a [`Connection`] that disconnects when dropped.

use core::fmt;

use super::publish::Connection;

/// A [`Connection`] that [disconnects](Connection::disconnect) when it is
/// dropped: made by [`Connection::disconnect_on_drop`].
///
/// A connected `publish()` or `replay()` lives as long as its upstream does:
/// the upstream holds the stage as its subscriber and the stage holds the
/// upstream's subscription. Dropping every handle does not end that (Rust
/// has no collector to find the cycle), so an upstream that never ends, or a
/// `create` producer waiting for demand, would be kept forever. Hold this
/// guard for as long as the connection is wanted; its drop cancels upstream
/// and breaks the cycle. A plain [`Connection`] may be dropped without
/// disconnecting, for a connection meant to outlive its scope.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use reactive_streams::ops::ConnectablePublisher;
/// use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};
///
/// let cancelled = Arc::new(AtomicBool::new(false));
/// let flag = Arc::clone(&cancelled);
/// let published = source::never::<u32>()
///     .do_on_cancel(move || flag.store(true, Ordering::SeqCst))
///     .publish();
/// let ts = TestSubscriber::unbounded();
/// published.subscribe(ts.clone());
/// {
///     let _connected = published.connect().disconnect_on_drop();
///     assert!(!cancelled.load(Ordering::SeqCst));
/// } // dropped here: upstream is cancelled, the subscriber gets an error
/// assert!(cancelled.load(Ordering::SeqCst));
/// ts.assert_error_message("disconnected");
/// ```
#[must_use = "dropping the guard disconnects at once"]
pub struct DisconnectGuard {
    /// `None` only after `into_inner`.
    connection: Option<Connection>,
}

impl DisconnectGuard {
    pub(crate) fn new(connection: Connection) -> Self {
        DisconnectGuard {
            connection: Some(connection),
        }
    }

    /// The guarded connection.
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let guard = source::never::<u32>().publish().connect().disconnect_on_drop();
    /// assert!(!guard.connection().is_disconnected());
    /// ```
    pub fn connection(&self) -> &Connection {
        self.connection.as_ref().expect("present until into_inner")
    }

    /// Gives the connection back without disconnecting it.
    ///
    /// ```
    /// use reactive_streams::ops::ConnectablePublisher;
    /// use reactive_streams::{source, PublisherExt};
    ///
    /// let guard = source::never::<u32>().publish().connect().disconnect_on_drop();
    /// let connection = guard.into_inner(); // no disconnect
    /// assert!(!connection.is_disconnected());
    /// connection.disconnect();
    /// ```
    pub fn into_inner(mut self) -> Connection {
        self.connection.take().expect("present until into_inner")
    }
}

impl Drop for DisconnectGuard {
    fn drop(&mut self) {
        if let Some(connection) = &self.connection {
            connection.disconnect();
        }
    }
}

impl fmt::Debug for DisconnectGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DisconnectGuard")
            .field("connection", &self.connection)
            .finish()
    }
}
