//! `timestamp`: each item paired with the scheduler's clock at its arrival.
//!
//! Demand: one for one (the upstream subscription is passed on). Threads:
//! runs on the thread that signals; no timer. The subscriber is
//! `support/stamp.rs`'s.

use crate::ops::support::stamp::{stamp_operator, Instants};

stamp_operator!(
    /// Publisher for the [`timestamp`](crate::PublisherExt::timestamp) method.
    Timestamp,
    Instants,
    std::time::Instant
);
