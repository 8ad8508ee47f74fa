//! Bounded queues for the buffers of asynchronous operators.
//!
//! Kept in-house, behind the loom shim, so that loom sees the interaction of
//! a queue with the drain loop that empties it (a queue from another crate
//! would be invisible to loom).

#[allow(dead_code)] // until the first asynchronous operator uses it
pub(crate) mod spsc;
