//! `EventLoop`: one thread, its ready queue and its timer heap; the
//! [`Executor`] under [`single`](super::single), one per thread under
//! [`parallel`](super::parallel), and the timer thread of
//! [`blocking`](super::blocking).
//!
//! The thread starts with the first task, so a scheduler nobody uses costs
//! no thread. It runs ready tasks in arrival order; between tasks it moves
//! the timers that fell due to the ready queue; with nothing to do it parks
//! on a condition variable until the next deadline or a new task. Shutdown
//! drops every queued task and timer on the disposing thread (outside the
//! lock), lets the task in progress finish, and the thread exits.
//!
//! A loop made [`with_idle_ttl`](EventLoop::with_idle_ttl) also lets its
//! thread exit once it has had no task and no timer for that long; the next
//! task starts a new one. Both decisions are taken under the loop's lock
//! (the thread clears `started` in the same critical section that found
//! nothing to do, and `execute` reads it under that lock), so a task never
//! lands on a loop whose thread is leaving without starting another.
//!
//! Blocking waits need a clock, which loom cannot model, so this module is
//! left out of loom builds; the worker protocol above it is modelled with a
//! hand-driven executor instead.

use core::fmt;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::executor::Executor;
use super::rejected::RejectReason;
use super::task::Task;
use super::timer::TimerHeap;
use super::worker::deadline;
use crate::sync::blocking::{Condvar, Mutex, MutexGuard};
use crate::sync::Arc;

/// One thread with a ready queue and a timer heap.
pub(crate) struct EventLoop {
    name: Arc<str>,
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    /// How long the thread waits with nothing to do before it exits; `None`:
    /// it stays until shutdown.
    idle_ttl: Option<Duration>,
}

#[derive(Default)]
struct State {
    ready: VecDeque<Task>,
    timers: TimerHeap,
    started: bool,
    /// The thread waits on `wake`: a new task must notify it.
    parked: bool,
    shutdown: bool,
}

impl EventLoop {
    /// A loop whose thread, once started, is named `name`, and stays until
    /// shutdown.
    pub(crate) fn new(name: Arc<str>) -> EventLoop {
        EventLoop::build(name, None)
    }

    /// A loop whose thread exits after `ttl` with no task and no timer, and
    /// starts again with the next task.
    pub(crate) fn with_idle_ttl(name: Arc<str>, ttl: Duration) -> EventLoop {
        EventLoop::build(name, Some(ttl))
    }

    fn build(name: Arc<str>, idle_ttl: Option<Duration>) -> EventLoop {
        EventLoop {
            name,
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
                idle_ttl,
            }),
        }
    }

    /// Checks the loop can take a task, starting its thread on first use.
    fn admit(&self, state: &mut MutexGuard<'_, State>) -> Result<(), RejectReason> {
        if state.shutdown {
            return Err(RejectReason::Disposed);
        }
        if !state.started {
            let shared = Arc::clone(&self.shared);
            std::thread::Builder::new()
                .name(self.name.to_string())
                .spawn(move || shared.run())
                .map_err(|e| RejectReason::Unavailable(e.to_string().into()))?;
            state.started = true;
        }
        Ok(())
    }

    /// Wakes the thread if it is parked, after the caller unlocked.
    fn wake_if(&self, parked: bool) {
        if parked {
            self.shared.wake.notify_one();
        }
    }
}

impl Executor for EventLoop {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        let mut state = self.shared.state.lock();
        if let Err(reason) = self.admit(&mut state) {
            drop(state);
            drop(task); // outside the lock: its drop may take it again
            return Err(reason);
        }
        state.ready.push_back(task);
        let parked = std::mem::take(&mut state.parked);
        drop(state);
        self.wake_if(parked);
        Ok(())
    }

    fn execute_at(&self, deadline: Instant, task: Task) -> Result<(), RejectReason> {
        let mut state = self.shared.state.lock();
        if let Err(reason) = self.admit(&mut state) {
            drop(state);
            drop(task);
            return Err(reason);
        }
        // A new earliest deadline must shorten the thread's wait.
        let earlier = state
            .timers
            .next_deadline()
            .map_or(true, |next| deadline < next);
        let swept = state.timers.push(deadline, task);
        let parked = earlier && std::mem::take(&mut state.parked);
        drop(state);
        drop(swept);
        self.wake_if(parked);
        Ok(())
    }

    fn shutdown(&self) {
        let (ready, timers) = {
            let mut state = self.shared.state.lock();
            state.shutdown = true;
            state.parked = false;
            (std::mem::take(&mut state.ready), state.timers.take_all())
        };
        self.shared.wake.notify_one();
        drop(ready);
        drop(timers);
    }
}

impl Shared {
    /// The loop's thread.
    fn run(&self) {
        let mut state = self.state.lock();
        loop {
            if state.shutdown {
                return;
            }
            let now = Instant::now();
            while let Some((_, task)) = state.timers.pop_due(now) {
                state.ready.push_back(task);
            }
            if let Some(task) = state.ready.pop_front() {
                MutexGuard::unlocked(&mut state, || task.run());
                continue;
            }
            state.parked = true;
            match (state.timers.next_deadline(), self.idle_ttl) {
                (Some(deadline), _) => {
                    self.wake.wait_until(&mut state, deadline);
                }
                (None, None) => self.wake.wait(&mut state),
                (None, Some(ttl)) => {
                    let idle_until = deadline(now, ttl);
                    self.wake.wait_until(&mut state, idle_until);
                    let idle = state.ready.is_empty() && state.timers.next_deadline().is_none();
                    if idle && !state.shutdown && Instant::now() >= idle_until {
                        // Retire; `execute` starts a new thread (module docs).
                        state.parked = false;
                        state.started = false;
                        return;
                    }
                }
            }
            state.parked = false;
        }
    }
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.lock();
        f.debug_struct("EventLoop")
            .field("thread", &self.name)
            .field("started", &state.started)
            .field("ready", &state.ready.len())
            .field("timers", &state.timers.len())
            .field("shutdown", &state.shutdown)
            .finish()
    }
}
