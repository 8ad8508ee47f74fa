//! The TCK over the rate family (`throttle_rate`, `aimd`,
//! `shed_by_priority`) and the adaptive polling source, the timed ones on a
//! real scheduler (`single()`) and on a driven virtual clock (see
//! `time.rs`).
//!
//! `shed_by_priority` runs with every item at the top level: the TCK counts
//! exactly the items it asks for, which a stage that sheds would
//! legitimately not deliver; its shedding is checked by the properties in
//! `tests/ops/rate/shed_by_priority.rs`. `poll_adaptive` never ends by
//! itself, so it runs behind `take(n)`, as `interval` does.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reactive_streams::ops::{AimdConfig, Rate};
use reactive_streams::scheduler;
use reactive_streams::source::{self, PollConfig};
use reactive_streams::{BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

use crate::time::{Clock, Driven};

fn failed() -> BoxPublisher<u64> {
    source::error::<u64>(Error::new("failed on purpose")).boxed()
}

/// A fast rate with a small burst: the TCK's requests are paced by the
/// bucket and its timer, within its waits.
fn rate() -> Rate {
    Rate::per_second(20_000)
}

/// A poller over a counter that always has an item.
fn counter() -> impl FnMut() -> Result<Option<u64>, Error> + Clone + Send + Sync + 'static {
    let next = Arc::new(AtomicU64::new(0));
    move || Ok(Some(next.fetch_add(1, Ordering::Relaxed)))
}

fn poll_config() -> PollConfig {
    PollConfig::new(Duration::from_millis(1), Duration::from_millis(4)).batch(8)
}

/// A verification module `$name` on `$clock`: `create_publisher(n)` is
/// `$make` with `n` and the scheduler `s` bound; the failed publisher is
/// `$failed` with `s` bound.
macro_rules! rate_verification {
    ($name:ident, $clock:expr, |$n:ident, $s:ident| $make:expr, |$fs:ident| $failed:expr) => {
        mod $name {
            use super::*;

            pub(crate) struct Verification(Clock);

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

            publisher_verification_tests!(Verification($clock));
        }
    };
}

/// The same verification on a real and on a virtual clock.
macro_rules! both_clocks {
    ($real:ident, $virtual:ident, $($rest:tt)*) => {
        rate_verification!($real, Clock::Real, $($rest)*);
        rate_verification!($virtual, Clock::Virtual(Driven::new()), $($rest)*);
    };
}

both_clocks!(
    throttle_rate_real,
    throttle_rate_virtual,
    |n, s| source::range(0..n).throttle_rate_on(rate(), 4, s),
    |s| failed().throttle_rate_on(rate(), 4, s)
);

both_clocks!(
    poll_adaptive_real,
    poll_adaptive_virtual,
    |n, s| source::poll_adaptive_on(poll_config(), s, counter()).take(n),
    |s| {
        // Its own failures need demand (a poll); a scheduler that refuses
        // the timer fails it at subscription.
        let _ = s;
        source::poll_adaptive_on(poll_config(), scheduler::immediate(), counter())
    }
);

mod aimd {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .aimd(AimdConfig::new(1, 16).initial(4))
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().aimd(AimdConfig::new(1, 16)).boxed())
        }
    }

    publisher_verification_tests!(Verification);
}

mod shed_by_priority {
    use super::*;

    struct Verification;

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .shed_by_priority(16, &[0.5, 0.7, 0.9], |_| 3)
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed().shed_by_priority(16, &[0.5], |_| 1).boxed())
        }
    }

    publisher_verification_tests!(Verification);
}
