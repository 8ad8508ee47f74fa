//! What one `map_async` slot runs: the user's future, polled in place (or,
//! with the `tokio` feature and `spawn_on`, spawned on a runtime and its
//! join handle polled instead), with the per-item timeout of `timeout_on`
//! armed on a scheduler's worker when the future starts. The drain sees one
//! future per slot whatever the options, with the output
//! `Result<output, Ended>`.
//!
//! # Implementation notes
//!
//! ## State
//! `TimerState::state: AtomicUsize`, one per armed timeout: `PENDING`, then
//! exactly one of `FIRED` (the timer ran), `DROPPED` (the scheduler dropped
//! the timer unrun: disposed) or `DONE` (the future ended first).
//!
//! ## Field access rules
//! 1. [`Launched`] is owned by the drainer (it sits in an `InFlight` slot).
//! 2. `state` leaves `PENDING` once, by a compare-exchange: the timer's task
//!    (`FIRED`), the task's destructor (`DROPPED`), or the drainer (`DONE`).
//!
//! ## Races considered
//! 1. The timer fires against the poll that would see it: the timer stores
//!    `FIRED`, then wakes the slot (the slot's bit, then the drain,
//!    `in_flight.rs` race 1), so the poll that the wake causes sees `FIRED`:
//!    the store is ordered before the bit's `Release`, the load after the
//!    drainer's `Acquire` of it. Loom: `loom_map_async_timeout`.
//! 2. The future finishes against the timer: the drainer moves `PENDING` to
//!    `DONE` before it cancels the timer; a timer that fires meanwhile fails
//!    its compare-exchange and wakes nobody. A timer that won just before
//!    only woke the slot of a finished future (a stale wake, `in_flight.rs`
//!    race 2).
//! 3. The scheduler is disposed with the timer armed: the task is dropped
//!    unrun; its destructor stores `DROPPED` and wakes the slot, and the
//!    stream fails with a rejection, never a hang.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::error::Error;
#[cfg(feature = "tokio")]
use crate::scheduler::RejectReason;
use crate::scheduler::{Rejected, Scheduler, TaskHandle, Worker};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::Arc;

/// How a slot's future ended other than with its output.
#[derive(Debug)]
pub(crate) enum Ended {
    /// The per-item timeout passed; the future was dropped. What the stream
    /// does with it is the [`Outcome`](super::Outcome)'s choice.
    TimedOut(Error),
    /// It cannot finish: a timer refused or dropped, a spawned task that
    /// panicked or whose runtime shut down. Fails the stream.
    Failed(Error),
}

/// The launch options of one `map_async` stage.
#[derive(Clone, Default)]
pub(crate) struct LaunchOptions {
    /// The per-item time limit, and the scheduler of its timers.
    pub(crate) timeout: Option<(Duration, Arc<dyn Scheduler>)>,
    /// The runtime the futures are spawned on.
    #[cfg(feature = "tokio")]
    pub(crate) spawn: Option<::tokio::runtime::Handle>,
}

impl fmt::Debug for LaunchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("LaunchOptions");
        s.field("timeout", &self.timeout.as_ref().map(|(after, _)| after));
        #[cfg(feature = "tokio")]
        s.field("spawn", &self.spawn.is_some());
        s.finish()
    }
}

/// One subscription's launcher: the options, and the worker of the
/// timeouts (disposed when the stream ends, which drops armed timers).
pub(crate) struct Launcher {
    timeout: Option<(Duration, Worker)>,
    #[cfg(feature = "tokio")]
    spawn: Option<::tokio::runtime::Handle>,
}

impl Launcher {
    pub(crate) fn new(options: &LaunchOptions) -> Launcher {
        Launcher {
            timeout: options
                .timeout
                .as_ref()
                .map(|(after, scheduler)| (*after, scheduler.worker())),
            #[cfg(feature = "tokio")]
            spawn: options.spawn.clone(),
        }
    }

    /// `future`, ready to go in a slot.
    pub(crate) fn launch<Fut>(&self, future: Fut) -> Launched<Fut>
    where
        Fut: Future + Send + 'static,
        Fut::Output: Send + 'static,
    {
        #[cfg(feature = "tokio")]
        let body = match &self.spawn {
            Some(handle) => Body::Spawned(handle.spawn(future)),
            None => Body::Polled(Box::pin(future)),
        };
        #[cfg(not(feature = "tokio"))]
        let body = Body::Polled(Box::pin(future));
        let timer = match &self.timeout {
            Some((after, worker)) => Timer::Unarmed(*after, worker.clone()),
            None => Timer::None,
        };
        Launched { body, timer }
    }

    /// The stream ended: drop the armed timers (their futures are gone).
    pub(crate) fn dispose(&self) {
        if let Some((_, worker)) = &self.timeout {
            worker.dispose();
        }
    }
}

/// A slot's future; see the module docs. [`Unpin`]: the user's future is
/// boxed inside.
pub(crate) struct Launched<Fut: Future> {
    body: Body<Fut>,
    timer: Timer,
}

enum Body<Fut: Future> {
    Polled(Pin<Box<Fut>>),
    #[cfg(feature = "tokio")]
    Spawned(::tokio::task::JoinHandle<Fut::Output>),
}

enum Timer {
    /// No timeout.
    None,
    /// To be armed at the first poll (the slot's waker is known then).
    Unarmed(Duration, Worker),
    Armed {
        after: Duration,
        state: Arc<TimerState>,
        handle: TaskHandle,
    },
    /// The arming was refused.
    Refused(Option<Rejected>),
}

const PENDING: usize = 0;
const FIRED: usize = 1;
const DROPPED: usize = 2;
const DONE: usize = 3;

/// What an armed timeout and its future share.
pub(crate) struct TimerState {
    state: AtomicUsize,
}

impl TimerState {
    pub(crate) fn new() -> Arc<TimerState> {
        Arc::new(TimerState {
            state: AtomicUsize::new(PENDING),
        })
    }

    /// Moves `PENDING` to `to`; false if the state had left it.
    fn settle(&self, to: usize) -> bool {
        // Ordering: Relaxed; the wake that follows a success publishes it
        // (the slot bit's Release/Acquire, race 1).
        self.state
            .compare_exchange(PENDING, to, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }

    fn get(&self) -> usize {
        // Ordering: Relaxed; see `settle`.
        self.state.load(Ordering::Relaxed)
    }
}

/// The timer's task: it fires, or its destructor says it never will.
pub(crate) struct TimerTask {
    state: Arc<TimerState>,
    waker: Waker,
}

impl TimerTask {
    pub(crate) fn new(state: Arc<TimerState>, waker: Waker) -> TimerTask {
        TimerTask { state, waker }
    }

    /// The time limit passed: mark, then wake the slot (race 1).
    pub(crate) fn fire(self) {
        if self.state.settle(FIRED) {
            self.waker.wake_by_ref();
        }
    }
}

impl Drop for TimerTask {
    fn drop(&mut self) {
        // Dropped unrun (race 3); after `fire` the state has left PENDING.
        if self.state.settle(DROPPED) {
            self.waker.wake_by_ref();
        }
    }
}

impl<Fut> Launched<Fut>
where
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    /// Arms the timeout at the first poll.
    fn arm(&mut self, waker: &Waker) {
        let Timer::Unarmed(after, worker) = &self.timer else {
            return;
        };
        let after = *after;
        let state = TimerState::new();
        let task = TimerTask::new(Arc::clone(&state), waker.clone());
        self.timer = match worker.schedule_after(after, move || task.fire()) {
            Ok(handle) => Timer::Armed {
                after,
                state,
                handle,
            },
            Err(rejected) => Timer::Refused(Some(rejected)),
        };
    }

    /// The timer's verdict, if it has one.
    fn timer_ended(&mut self) -> Option<Ended> {
        match &mut self.timer {
            Timer::None | Timer::Unarmed(..) => None,
            Timer::Refused(rejected) => Some(Ended::Failed(match rejected.take() {
                Some(rejected) => Error::from(rejected),
                None => Error::new("map_async: the timeout's timer was refused"),
            })),
            Timer::Armed { after, state, .. } => match state.get() {
                PENDING | DONE => None,
                FIRED => Some(Ended::TimedOut(Error::timeout(format!(
                    "map_async: a future ran longer than {after:?}"
                )))),
                _ => Some(Ended::Failed(Error::new(
                    "map_async: the timeout's timer was dropped unrun (its scheduler was disposed)",
                ))),
            },
        }
    }

    /// The body's poll.
    fn poll_body(&mut self, cx: &mut Context<'_>) -> Poll<Result<Fut::Output, Ended>> {
        match &mut self.body {
            Body::Polled(future) => future.as_mut().poll(cx).map(Ok),
            #[cfg(feature = "tokio")]
            Body::Spawned(join) => Pin::new(join).poll(cx).map(|joined| {
                joined.map_err(|error| {
                    Ended::Failed(if error.is_panic() {
                        Error::from_panic(error.into_panic())
                    } else {
                        Error::from(Rejected::new(
                            "tokio".into(),
                            RejectReason::Runtime(
                                "the tokio runtime shut down before the future finished".into(),
                            ),
                        ))
                    })
                })
            }),
        }
    }
}

impl<Fut> Future for Launched<Fut>
where
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    type Output = Result<Fut::Output, Ended>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.arm(cx.waker());
        // An output that is ready wins over a timer that fired meanwhile.
        if let Poll::Ready(output) = this.poll_body(cx) {
            return Poll::Ready(output);
        }
        match this.timer_ended() {
            Some(ended) => Poll::Ready(Err(ended)),
            None => Poll::Pending,
        }
    }
}

impl<Fut: Future> Drop for Launched<Fut> {
    fn drop(&mut self) {
        if let Timer::Armed { state, handle, .. } = &self.timer {
            // Race 2: DONE first, so the cancelled timer wakes nobody.
            state.settle(DONE);
            handle.cancel();
        }
        #[cfg(feature = "tokio")]
        if let Body::Spawned(join) = &self.body {
            join.abort();
        }
    }
}

impl<Fut: Future> fmt::Debug for Launched<Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Launched")
            .field("armed", &matches!(self.timer, Timer::Armed { .. }))
            .finish_non_exhaustive()
    }
}
