//! `debounce`: an item goes out only once `window` has passed without a
//! newer one; a newer item replaces it and starts the window again.
//!
//! Demand: [`UNBOUNDED`](crate::UNBOUNDED) upstream (the operator drops the
//! items that are replaced); at most one item goes out per quiet window,
//! within downstream's demand. When the window ends and downstream has no
//! demand, the [`NoDemand`](crate::ops::NoDemand) choice applies. Threads:
//! items are kept on the upstream's thread; the due one goes out on the
//! worker's (or on the requester's, if it waited for demand).
//!
//! The store and its timer are `support/latest.rs`'s (trigger `Debounce`:
//! one timer per quiet spell, which re-arms itself for the rest of the
//! newest item's window instead of being re-armed by each item); the engine
//! and its races are `support/timed.rs`'s.

use crate::ops::support::latest::{latest_operator, Trigger};

latest_operator!(
    /// Publisher for the [`debounce`](crate::PublisherExt::debounce) method.
    Debounce,
    "debounce",
    Trigger::Debounce
);
