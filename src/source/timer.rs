//! `timer`: one `()` after a delay, then completion.
//!
//! Demand: the one item goes out when it is due and requested: if it falls
//! due before a request, it waits for one (one item, nothing more to hold),
//! then completion follows at once. Threads: the item goes out on the
//! worker's thread, or on the requester's when it waited.
//!
//! The engine is `ops/support/timed.rs`'s; the due item `ops/support/due.rs`'s
//! (kept until requested).

use core::fmt;
use std::time::{Duration, Instant};

use crate::ops::support::due::DueSlot;
use crate::ops::support::timed::{Effects, Timed, TimedStore, TimerCmd};
use crate::ops::NoDemand;
use crate::scheduler::{default_time_scheduler, Scheduler};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber};

/// Publisher for the [`timer`] and [`timer_on`] functions.
#[must_use = "publishers do nothing until subscribed"]
#[derive(Clone)]
pub struct Timer {
    delay: Duration,
    scheduler: Arc<dyn Scheduler>,
}

/// Emits one `()` after `delay`, then completes, on the default time
/// scheduler. See [`timer_on`].
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, PublisherExt};
/// use std::time::Duration;
///
/// assert_eq!(source::timer(Duration::from_millis(1)).blocking_last().unwrap(), Some(()));
/// ```
pub fn timer(delay: Duration) -> Timer {
    timer_on(delay, default_time_scheduler())
}

/// Emits one `()` after `delay` on `scheduler`, then completes.
///
/// If it falls due before downstream requested, it waits for the request
/// (it holds one `()`; there is no choice to make). A zero delay means as
/// soon as the worker runs; a delay above
/// [`MAX_DELAY`](crate::scheduler::MAX_DELAY) is clamped to it. A scheduler
/// that cannot run timers (the immediate one, for a delay above zero) or is
/// disposed fails the stream with an error of kind
/// [`ErrorKind::Rejected`](crate::ErrorKind::Rejected). Cancelling cancels
/// the timer.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::VirtualTimeScheduler;
/// use reactive_streams::{source, Publisher, TestSubscriber};
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let ts = TestSubscriber::new(0);
/// source::timer_on(Duration::from_secs(5), &vts).subscribe(ts.clone());
/// vts.advance_by(Duration::from_secs(6));
/// ts.assert_no_values(); // due, but not requested: it waits
/// ts.request(1);
/// ts.assert_values(&[()]).assert_complete();
/// assert_eq!(vts.pending_tasks(), 0);
/// ```
pub fn timer_on(delay: Duration, scheduler: impl Into<Arc<dyn Scheduler>>) -> Timer {
    Timer {
        delay,
        scheduler: scheduler.into(),
    }
}

impl fmt::Debug for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timer")
            .field("delay", &self.delay)
            .field("scheduler", &self.scheduler)
            .finish()
    }
}

impl Publisher for Timer {
    type Item = ();

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<()> + 'static,
    {
        let once = Once {
            delay: self.delay,
            due: DueSlot::new(NoDemand::Latest, "timer"),
        };
        Timed::start(once, None, self.scheduler.worker(), subscriber);
    }
}

/// The one item, once due.
struct Once {
    delay: Duration,
    due: DueSlot<()>,
}

impl TimedStore for Once {
    type In = ();
    type Out = ();
    type Junk = ();

    fn start(&mut self, _now: Instant, fx: &mut Effects<()>) {
        fx.timer(TimerCmd::Arm(self.delay));
    }

    fn on_next(&mut self, _item: (), _now: Instant, _fx: &mut Effects<()>) {}

    fn on_timer(&mut self, _now: Instant, fx: &mut Effects<()>) {
        self.due.put((), fx);
        fx.complete();
    }

    fn poll(&mut self, has_demand: bool, fx: &mut Effects<()>) -> Option<()> {
        self.due.poll(has_demand, fx)
    }

    fn is_empty(&self) -> bool {
        self.due.is_empty()
    }
}
