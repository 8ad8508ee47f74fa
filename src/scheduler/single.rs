//! `single()`: one thread for everything scheduled on it.

use core::fmt;

use super::event_loop::EventLoop;
use super::executor::{ExecutorScheduler, Extras};
use super::Scheduler;
use crate::sync::blocking::OnceLock;
use crate::sync::Arc;

/// A scheduler with one thread (an event loop with its own timer heap): all
/// its workers' tasks run on that thread, so it suits a slow sink that must
/// not hold up its producer, or state that one thread should own.
///
/// Get the process-wide one from [`single`], or make an owned one with
/// [`SingleScheduler::new`]. The thread starts with the first task.
/// Disposing an owned scheduler, or dropping its last handle and its last
/// worker (pending tasks do not keep it alive), drops the tasks that had not
/// started and stops its thread once the task in progress finishes.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{Scheduler, SingleScheduler};
/// use std::sync::mpsc;
///
/// let sink = SingleScheduler::new("sink");
/// let (tx, rx) = mpsc::channel();
/// sink.worker()
///     .schedule(move || tx.send(std::thread::current().name().map(String::from)).unwrap())
///     .unwrap();
/// assert_eq!(rx.recv().unwrap().as_deref(), Some("sink"));
/// ```
#[derive(Clone)]
pub struct SingleScheduler {
    scheduler: ExecutorScheduler,
    /// The process-wide instance: `dispose` does nothing.
    shared: bool,
}

/// The process-wide single-thread scheduler (its thread is named
/// `reactive-streams-single`), shared by every caller.
///
/// Its [`dispose`](Scheduler::dispose) does nothing, so that one library
/// cannot stop it under another; make a [`SingleScheduler::new`] to own one.
///
/// # Examples
///
/// ```
/// use reactive_streams::scheduler::{self, Scheduler};
/// use std::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel();
/// scheduler::single().worker().schedule(move || tx.send(6 * 7).unwrap()).unwrap();
/// assert_eq!(rx.recv().unwrap(), 42);
///
/// scheduler::single().dispose(); // ignored: it is shared
/// assert!(!scheduler::single().is_disposed());
/// ```
pub fn single() -> SingleScheduler {
    static SHARED: OnceLock<SingleScheduler> = OnceLock::new();
    SHARED
        .get_or_init(|| SingleScheduler {
            shared: true,
            ..SingleScheduler::new("reactive-streams-single")
        })
        .clone()
}

impl SingleScheduler {
    /// An owned single-thread scheduler whose thread (and rejections) bear
    /// `name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler::{RejectReason, Scheduler, SingleScheduler};
    ///
    /// let scheduler = SingleScheduler::new("mine");
    /// scheduler.dispose();
    /// let rejected = scheduler.worker().schedule(|| {}).unwrap_err();
    /// assert_eq!(rejected.scheduler(), "mine");
    /// assert_eq!(rejected.reason(), &RejectReason::Disposed);
    /// ```
    pub fn new(name: impl Into<Arc<str>>) -> SingleScheduler {
        let name = name.into();
        SingleScheduler {
            scheduler: ExecutorScheduler::with_extras(
                Arc::clone(&name),
                EventLoop::new(name),
                Extras {
                    take_turns: true,
                    ..Extras::default()
                },
            ),
            shared: false,
        }
    }

    /// The scheduler's name, which its thread bears.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::scheduler;
    ///
    /// assert_eq!(scheduler::single().name(), "reactive-streams-single");
    /// ```
    pub fn name(&self) -> &str {
        self.scheduler.name()
    }
}

super::delegate_scheduler!(SingleScheduler, shared);

impl fmt::Debug for SingleScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SingleScheduler")
            .field("name", &self.name())
            .field("shared", &self.shared)
            .field("disposed", &self.is_disposed())
            .finish()
    }
}

super::into_shared!(SingleScheduler);
