//! Feature `tokio`: the TCK over the timed sources and operators on a
//! `TokioScheduler`, on a current-thread runtime (driven by a thread of its
//! own, as an application's main thread would) and on a multi-thread one;
//! and over `map_async` with a timeout and with `spawn_on` on tokio.

use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use reactive_streams::ops::NoDemand;
use reactive_streams::scheduler::{Scheduler, TokioScheduler};
use reactive_streams::{source, BoxPublisher, PublisherExt};
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};
use tokio::runtime::{Builder, Runtime};
use tokio::sync::oneshot;

use crate::async_work::later;
use crate::time::{failed, ms, time_verification, Clock};

/// A `TokioScheduler` on a runtime that lives as long as the verification.
pub(crate) struct TokioClock {
    scheduler: TokioScheduler,
    /// A current-thread runtime's driver: stops when this is sent or dropped.
    stop: Option<oneshot::Sender<()>>,
    driver: Option<JoinHandle<()>>,
    /// A multi-thread runtime, dropped last.
    _runtime: Option<Runtime>,
}

impl TokioClock {
    pub(crate) fn current_thread() -> TokioClock {
        let runtime = Builder::new_current_thread().enable_all().build().unwrap();
        let scheduler = TokioScheduler::new(runtime.handle().clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let driver = thread::spawn(move || {
            runtime.block_on(async {
                let _ = stopped.await;
            });
        });
        TokioClock {
            scheduler,
            stop: Some(stop),
            driver: Some(driver),
            _runtime: None,
        }
    }

    pub(crate) fn multi_thread() -> TokioClock {
        let runtime = Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        TokioClock {
            scheduler: TokioScheduler::new(runtime.handle().clone()),
            stop: None,
            driver: None,
            _runtime: Some(runtime),
        }
    }

    pub(crate) fn scheduler(&self) -> Arc<dyn Scheduler> {
        (&self.scheduler).into()
    }
}

impl Drop for TokioClock {
    fn drop(&mut self) {
        self.scheduler.dispose();
        drop(self.stop.take());
        if let Some(driver) = self.driver.take() {
            let _ = driver.join();
        }
    }
}

/// The same verification on both runtimes.
macro_rules! both_runtimes {
    ($current:ident, $multi:ident, $($rest:tt)*) => {
        time_verification!($current, Clock::Tokio(TokioClock::current_thread()), $($rest)*);
        time_verification!($multi, Clock::Tokio(TokioClock::multi_thread()), $($rest)*);
    };
}

both_runtimes!(
    interval_current,
    interval_multi,
    u64,
    |n, s| source::interval_on(ms(1), s)
        .on_no_demand(NoDemand::Latest)
        .take(n),
    |s| source::interval_on(Duration::ZERO, s)
);

both_runtimes!(
    timer_chain_current,
    timer_chain_multi,
    u64,
    |n, s| source::range(0..n)
        .concat_map(move |x| source::timer_on(ms(1), Arc::clone(&s)).map(move |()| x)),
    |s| failed::<u64>()
        .concat_map(move |x| source::timer_on(ms(1), Arc::clone(&s)).map(move |()| x))
);

both_runtimes!(
    delay_current,
    delay_multi,
    u64,
    |n, s| source::range(0..n).delay_on(ms(1), s),
    |s| failed::<u64>().delay_on(ms(1), s)
);

both_runtimes!(
    delay_subscription_current,
    delay_subscription_multi,
    u64,
    |n, s| source::range(0..n).delay_subscription_on(ms(1), s),
    |s| failed::<u64>().delay_subscription_on(ms(1), s)
);

both_runtimes!(
    timeout_in_time_current,
    timeout_in_time_multi,
    u64,
    |n, s| source::range(0..n).timeout_on(Duration::from_secs(3600), s),
    |s| source::never::<u64>().timeout_on(ms(1), s)
);

// map_async with a per-item timeout on tokio's timer: futures in time
// (finished by another thread: a tokio sleep would need the TCK's thread to
// be in the runtime, see `map_async_spawn_on`), and a failed publisher whose
// future never completes.
both_runtimes!(
    map_async_timeout_current,
    map_async_timeout_multi,
    u64,
    |n, s| source::range(0..n)
        .map_async(4, later)
        .timeout_on(Duration::from_secs(3600), s),
    |s| source::just(0u64)
        .map_async(1, |_| std::future::pending::<u64>())
        .timeout_on(ms(1), s)
);

/// `map_async(..).spawn_on(handle)`: the futures run as tokio tasks.
mod map_async_spawn_on {
    use super::*;

    struct Verification(Runtime);

    impl PublisherVerification for Verification {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .map_async(4, |x| async move {
                    tokio::time::sleep(Duration::from_micros(x % 3 * 100)).await;
                    x
                })
                .spawn_on(self.0.handle().clone())
                .boxed()
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                failed::<u64>()
                    .map_async(4, |x| async move { x })
                    .spawn_on(self.0.handle().clone())
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(Verification(
        Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    ));
}
