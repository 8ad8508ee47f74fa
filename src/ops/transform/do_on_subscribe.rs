//! `do_on_subscribe`: calls a closure with the upstream subscription when it
//! arrives, before the downstream's `on_subscribe`.
//!
//! # Demand
//!
//! 1:1; requests go straight upstream (the downstream receives the upstream
//! subscription itself). The closure may request or cancel through the
//! subscription it sees.
//!
//! Threads: the closure runs on the thread that calls `on_subscribe` (usually
//! the one that called `subscribe`). Built on the generic tap in `peek.rs`.

use crate::ops::support::peek::tap_publisher;

tap_publisher! {
    /// Publisher for the [`do_on_subscribe`](crate::PublisherExt::do_on_subscribe) method.
    pub struct DoOnSubscribe<P, F> => OnSubscribe
        where F: Fn(&crate::sync::Arc<dyn crate::Subscription>) + Send + Sync + 'static
}
