//! The TCK over the time sources and operators, each on a real scheduler
//! (`single()`, the process-wide one) and, where time matters, on a virtual
//! one.
//!
//! # Virtual time under the TCK
//!
//! The TCK waits in real time (a signal that must come within its default
//! timeout; silence watched for its no-signals timeout), and a
//! [`VirtualTimeScheduler`] runs nothing by itself, not even a task due now.
//! So each virtual verification owns a clock driven from a helper thread
//! ([`Driven`]): it moves the clock by 1 ms about every 50 µs of real time
//! (20x) until the verification is dropped at the end of its test. Timers
//! of a few virtual milliseconds then fire well inside the TCK's waits, and
//! the silence it watches lasts a few virtual seconds, during which a
//! correct operator still emits nothing beyond demand. The other design,
//! making work due now run at once, would only help the pass-through path:
//! every operator here waits for a timer, which only a moving clock fires.
//!
//! The lossy operators (`debounce`, `sample`, `throttle_last`) and
//! `buffer_timeout`'s timed path run behind `lockstep` (`paced.rs`): a source that
//! emits its next item only once the previous one reached the TCK's
//! subscriber, and only within its demand, so nothing has to be dropped or
//! merged and the TCK can count exactly `n` items.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::{self, Scheduler, VirtualTimeScheduler};
use reactive_streams::source;
use reactive_streams::{BoxPublisher, Error, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};

use crate::paced::lockstep;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A virtual clock moved by a helper thread until dropped.
pub(crate) struct Driven {
    vts: VirtualTimeScheduler,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Driven {
    pub(crate) fn new() -> Driven {
        let vts = VirtualTimeScheduler::new();
        let stop = Arc::new(AtomicBool::new(false));
        let (clock, stopped) = (vts.clone(), Arc::clone(&stop));
        let thread = thread::spawn(move || {
            while !stopped.load(Ordering::Acquire) {
                clock.advance_by(ms(1));
                thread::sleep(Duration::from_micros(50));
            }
        });
        Driven {
            vts,
            stop,
            thread: Some(thread),
        }
    }

    pub(crate) fn scheduler(&self) -> Arc<dyn Scheduler> {
        (&self.vts).into()
    }
}

impl Drop for Driven {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.vts.dispose();
    }
}

/// Where a verification's timers run.
pub(crate) enum Clock {
    Real,
    Virtual(Driven),
}

impl Clock {
    pub(crate) fn scheduler(&self) -> Arc<dyn Scheduler> {
        match self {
            Clock::Real => scheduler::single().into(),
            Clock::Virtual(driven) => driven.scheduler(),
        }
    }
}

fn failed<T: Send + 'static>() -> BoxPublisher<T> {
    source::error(Error::new("failed on purpose")).boxed()
}

/// A verification module `$name` on `$clock`: `create_publisher(n)` is
/// `$make` with `n` and the scheduler `s` bound; `create_failed_publisher`
/// is `$failed` with `s` bound.
macro_rules! time_verification {
    ($name:ident, $clock:expr, $item:ty, |$n:ident, $s:ident| $make:expr, |$fs:ident| $failed:expr $(, max = $max:expr)?) => {
        mod $name {
            use super::*;

            pub(crate) struct Verification(Clock);

            impl PublisherVerification for Verification {
                type Publisher = BoxPublisher<$item>;

                fn create_publisher(&self, $n: u64) -> Self::Publisher {
                    let $s = self.0.scheduler();
                    $make.boxed()
                }

                fn create_failed_publisher(&self) -> Option<BoxPublisher<$item>> {
                    let $fs = self.0.scheduler();
                    Some($failed.boxed())
                }

                $(
                    fn max_elements_from_publisher(&self) -> u64 {
                        $max
                    }
                )?
            }

            publisher_verification_tests!(Verification($clock));
        }
    };
}

/// The same verification on a real and on a virtual clock.
macro_rules! both_clocks {
    ($real:ident, $virtual:ident, $($rest:tt)*) => {
        time_verification!($real, Clock::Real, $($rest)*);
        time_verification!($virtual, Clock::Virtual(Driven::new()), $($rest)*);
    };
}

both_clocks!(
    interval_real,
    interval_virtual,
    u64,
    |n, s| source::interval_on(ms(1), s)
        .on_no_demand(NoDemand::Latest)
        .take(n),
    |s| source::interval_on(Duration::ZERO, s) // a zero period fails
);

both_clocks!(
    timer_real,
    timer_virtual,
    (),
    |n, s| source::timer_on(ms(1), s).take(n),
    |s| {
        let _ = s;
        source::timer_on(ms(1), scheduler::immediate()) // refused
    },
    max = 1
);

// `timer` makes one item; to run the tests that need more, a chain of
// timers, each subscribed by `concat_map` after the one before.
both_clocks!(
    timer_chain_real,
    timer_chain_virtual,
    u64,
    |n, s| source::range(0..n)
        .concat_map(move |x| source::timer_on(ms(1), Arc::clone(&s)).map(move |()| x)),
    |s| failed::<u64>()
        .concat_map(move |x| source::timer_on(ms(1), Arc::clone(&s)).map(move |()| x))
);

both_clocks!(
    delay_real,
    delay_virtual,
    u64,
    |n, s| source::range(0..n).delay_on(ms(1), s),
    |s| failed::<u64>().delay_on(ms(1), s)
);

both_clocks!(
    delay_subscription_real,
    delay_subscription_virtual,
    u64,
    |n, s| source::range(0..n).delay_subscription_on(ms(1), s),
    |s| failed::<u64>().delay_subscription_on(ms(1), s)
);

both_clocks!(
    timeout_in_time_real,
    timeout_in_time_virtual,
    u64,
    |n, s| source::range(0..n).timeout_on(Duration::from_secs(3600), s),
    |s| source::never::<u64>().timeout_on(ms(1), s) // times out
);

both_clocks!(
    timeout_fallback_real,
    timeout_fallback_virtual,
    u64,
    |n, s| source::never()
        .timeout_on(ms(1), s)
        .fallback(source::range(0..n)),
    |s| source::never::<u64>()
        .timeout_on(ms(1), s)
        .fallback(failed::<u64>())
);

both_clocks!(
    debounce_real,
    debounce_virtual,
    u64,
    |n, s| lockstep(n, move |up| up.debounce_on(ms(1), Arc::clone(&s))),
    |s| failed::<u64>().debounce_on(ms(1), s)
);

both_clocks!(
    sample_real,
    sample_virtual,
    u64,
    |n, s| lockstep(n, move |up| up.sample_on(ms(1), Arc::clone(&s))),
    |s| failed::<u64>().sample_on(ms(1), s)
);

both_clocks!(
    throttle_first_real,
    throttle_first_virtual,
    u64,
    |n, s| source::interval_on(ms(2), Arc::clone(&s))
        .on_no_demand(NoDemand::Latest)
        .throttle_first_on(ms(1), s)
        .take(n),
    |s| failed::<u64>().throttle_first_on(ms(1), s)
);

both_clocks!(
    throttle_last_real,
    throttle_last_virtual,
    u64,
    |n, s| lockstep(n, move |up| up.throttle_last_on(ms(1), Arc::clone(&s))),
    |s| failed::<u64>().throttle_last_on(ms(1), s)
);

both_clocks!(
    buffer_timeout_timed_real,
    buffer_timeout_timed_virtual,
    Vec<u64>,
    |n, s| lockstep(n, move |up| up.buffer_timeout_on(
        100,
        ms(1),
        Arc::clone(&s)
    )),
    |s| failed::<u64>().buffer_timeout_on(100, ms(1), s)
);

time_verification!(
    buffer_timeout_by_size_real,
    Clock::Real,
    Vec<u64>,
    |n, s| source::range(0..2 * n).buffer_timeout_on(2, Duration::from_secs(3600), s),
    |s| failed::<u64>().buffer_timeout_on(2, ms(1), s)
);

both_clocks!(
    take_for_real,
    take_for_virtual,
    u64,
    |n, s| source::range(0..n).take_for_on(Duration::from_secs(3600), s),
    |s| {
        let _ = s;
        source::never::<u64>().take_for_on(ms(1), scheduler::immediate()) // refused
    }
);

time_verification!(
    elapsed_real,
    Clock::Real,
    (Duration, u64),
    |n, s| source::range(0..n).elapsed_on(s),
    |s| failed::<u64>().elapsed_on(s)
);

time_verification!(
    timestamp_real,
    Clock::Real,
    (std::time::Instant, u64),
    |n, s| source::range(0..n).timestamp_on(s),
    |s| failed::<u64>().timestamp_on(s)
);
