//! `EventLoop`: one thread, its ready queue and its timer heap; the
//! [`Executor`] under [`single`](super::single) (and, one per core, under a
//! parallel scheduler).
//!
//! The thread starts with the first task, so a scheduler nobody uses costs
//! no thread. It runs ready tasks in arrival order; between tasks it moves
//! the timers that fell due to the ready queue; with nothing to do it parks
//! on a condition variable until the next deadline or a new task. Shutdown
//! drops every queued task and timer on the disposing thread (outside the
//! lock), lets the task in progress finish, and the thread exits.
//!
//! Blocking waits need a clock, which loom cannot model, so this module is
//! left out of loom builds; the worker protocol above it is modelled with a
//! hand-driven executor instead.

use core::fmt;
use std::collections::VecDeque;
use std::time::Instant;

use super::executor::Executor;
use super::rejected::RejectReason;
use super::task::Task;
use super::timer::TimerHeap;
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
    /// A loop whose thread, once started, is named `name`.
    pub(crate) fn new(name: Arc<str>) -> EventLoop {
        EventLoop {
            name,
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
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
            match state.timers.next_deadline() {
                Some(deadline) => {
                    self.wake.wait_until(&mut state, deadline);
                }
                None => self.wake.wait(&mut state),
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
