//! `throttle_last`: the first item after a quiet spell opens a window of
//! `window`; at its end the latest item of the window goes out (RxJS's
//! `auditTime`).
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream; at most one item per
//! window, within downstream's demand. A window that ends when downstream
//! has no demand applies the [`NoDemand`](crate::ops::NoDemand) choice.
//!
//! Unlike `sample`, no timer runs while no item comes: the window starts
//! with an item. The store is `support/latest.rs`'s (trigger `Window`); the
//! engine and its races are `support/timed.rs`'s.

use crate::ops::support::latest::{latest_operator, Trigger};

latest_operator!(
    /// Publisher for the [`throttle_last`](crate::PublisherExt::throttle_last)
    /// method.
    ThrottleLast,
    "throttle_last",
    Trigger::Window
);
