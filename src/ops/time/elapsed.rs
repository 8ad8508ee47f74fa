//! `elapsed`: each item paired with the time since the item before it (the
//! first: since upstream's `on_subscribe`), on the scheduler's clock.
//!
//! Demand: one for one (the upstream subscription is passed on). Threads:
//! runs on the thread that signals; no timer. The subscriber is
//! `support/stamp.rs`'s.

use crate::ops::support::stamp::{stamp_operator, Gaps};

stamp_operator!(
    /// Publisher for the [`elapsed`](crate::PublisherExt::elapsed) method.
    Elapsed,
    Gaps,
    std::time::Duration
);
