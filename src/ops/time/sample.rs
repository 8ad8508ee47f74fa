//! `sample`: every `period`, from subscription on, the latest item that
//! arrived since the last tick goes out (a tick with no new item emits
//! nothing).
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream; at most one item per
//! tick, within downstream's demand. A tick that finds downstream without
//! demand applies the [`NoDemand`](crate::ops::NoDemand) choice. Threads:
//! items are kept on the upstream's thread; ticks run on the worker's.
//!
//! Unlike `throttle_last`, the clock is periodic: ticks run whether or not
//! items arrive. The store is `support/latest.rs`'s (trigger `Periodic`);
//! the engine and its races are `support/timed.rs`'s.

use crate::ops::support::latest::{latest_operator, Trigger};

latest_operator!(
    /// Publisher for the [`sample`](crate::PublisherExt::sample) method.
    Sample,
    "sample",
    Trigger::Periodic
);
