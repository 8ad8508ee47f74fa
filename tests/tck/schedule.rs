//! The TCK over the thread hops, on real schedulers (`single()`,
//! `parallel()`) and, for `publish_on`, on a virtual clock driven by a
//! helper thread (`time.rs`'s [`Driven`]): each path of `publish_on` (fused
//! `range`, a queued source, a prefetch of 1) and `subscribe_on`.

use std::sync::Arc;

use reactive_streams::scheduler::{self, Scheduler};
use reactive_streams::source;
use reactive_streams::{BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

use crate::time::Driven;

fn failed() -> BoxPublisher<u64> {
    source::error(Error::new("failed on purpose")).boxed()
}

/// Where a verification's hops go.
enum On {
    Single,
    Parallel,
    Virtual(Driven),
}

impl On {
    fn scheduler(&self) -> Arc<dyn Scheduler> {
        match self {
            On::Single => scheduler::single().into(),
            On::Parallel => scheduler::parallel().into(),
            On::Virtual(driven) => driven.scheduler(),
        }
    }
}

/// A verification module `$name` on `$on`: `create_publisher(n)` is
/// `$make` with `n` and the scheduler `s` bound; the failed publisher is
/// `$failed` with `s` bound.
macro_rules! hop_verification {
    ($name:ident, $on:expr, |$n:ident, $s:ident| $make:expr, |$fs:ident| $failed:expr) => {
        mod $name {
            use super::*;

            pub(crate) struct Verification(On);

            impl PublisherVerification for Verification {
                type Publisher = BoxPublisher<u64>;

                fn create_publisher(&self, $n: u64) -> Self::Publisher {
                    let $s = self.0.scheduler();
                    $make.boxed()
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
                    let $fs = self.0.scheduler();
                    Some($failed.boxed())
                }
            }

            publisher_verification_tests!(Verification($on));
        }
    };
}

hop_verification!(
    publish_on_fused_single,
    On::Single,
    |n, s| source::range(0..n).publish_on(s),
    |s| failed().publish_on(s)
);

hop_verification!(
    publish_on_fused_parallel,
    On::Parallel,
    |n, s| source::range(0..n).publish_on(s),
    |s| failed().publish_on(s)
);

hop_verification!(
    publish_on_queued_single,
    On::Single,
    |n, s| source::range(0..n).map(|x| x).publish_on(s),
    |s| failed().map(|x| x).publish_on(s)
);

hop_verification!(
    publish_on_queued_parallel,
    On::Parallel,
    |n, s| source::range(0..n).map(|x| x).publish_on_with(s, 1),
    |s| failed().map(|x| x).publish_on_with(s, 1)
);

hop_verification!(
    publish_on_virtual,
    On::Virtual(Driven::new()),
    |n, s| source::range(0..n).map(|x| x).publish_on_with(s, 4),
    |s| failed().publish_on(s)
);

hop_verification!(
    subscribe_on_single,
    On::Single,
    |n, s| source::range(0..n).subscribe_on(s),
    |s| failed().subscribe_on(s)
);

hop_verification!(
    subscribe_on_parallel,
    On::Parallel,
    |n, s| source::range(0..n).subscribe_on(s),
    |s| failed().subscribe_on(s)
);

hop_verification!(
    subscribe_on_then_publish_on,
    On::Parallel,
    |n, s| source::range(0..n)
        .subscribe_on(Arc::clone(&s))
        .publish_on_with(s, 2),
    |s| failed().subscribe_on(Arc::clone(&s)).publish_on(s)
);
