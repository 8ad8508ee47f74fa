//! The parallel rails: `parallel(n)`, `run_on`, the per-rail operators, and
//! the merges `sequential` and `ordered`.
//!
//! Each pipeline is checked on the caller's thread (no `run_on`: the rails
//! run where the signals come from) and on real workers (`run_on` with
//! `scheduler::parallel()` and a `single()`-like scheduler of our own).

mod errors;
mod ordered;
mod rail_ops;
mod sequential;
mod stress;

use std::sync::Arc;

use reactive_streams::scheduler::{self, Scheduler};

/// Where the rails run.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rails {
    /// No `run_on`: on whichever thread signals.
    Caller,
    /// `run_on(scheduler::parallel())`.
    Parallel,
    /// `run_on(scheduler::single())`: every rail on one thread.
    Single,
}

impl Rails {
    pub(crate) const ALL: [Rails; 3] = [Rails::Caller, Rails::Parallel, Rails::Single];

    pub(crate) fn scheduler(self) -> Option<Arc<dyn Scheduler>> {
        match self {
            Rails::Caller => None,
            Rails::Parallel => Some(scheduler::parallel().into()),
            Rails::Single => Some(scheduler::single().into()),
        }
    }
}

/// Applies `run_on` for `rails`, then `rest`, boxing the result.
#[macro_export]
macro_rules! on_rails {
    ($rails:expr, $split:expr, |$p:ident| $rest:expr) => {{
        use reactive_streams::ops::ParallelPublisher;
        use reactive_streams::PublisherExt;
        match $rails.scheduler() {
            None => {
                let $p = $split;
                $rest.boxed()
            }
            Some(scheduler) => {
                let $p = $split.run_on(scheduler);
                $rest.boxed()
            }
        }
    }};
}

/// Sorted, for comparing what `sequential` delivers as a multiset.
pub(crate) fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items
}
