//! Small tools the scheduler tests share.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

/// How long a test waits for an event on another thread before failing. Not
/// a timing assertion: only a bug makes a wait this long.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// Counts how often closures holding one of its guards were dropped.
#[derive(Clone, Default)]
pub(crate) struct DropProbe(Arc<AtomicUsize>);

/// Bumps its probe when dropped.
pub(crate) struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl DropProbe {
    pub(crate) fn guard(&self) -> Guard {
        Guard(self.0.clone())
    }

    pub(crate) fn dropped(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A shared log of events, in the order they happened.
pub(crate) struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log(Arc::default())
    }
}

impl<T> Clone for Log<T> {
    fn clone(&self) -> Self {
        Log(self.0.clone())
    }
}

impl<T: Clone> Log<T> {
    pub(crate) fn push(&self, value: T) {
        self.0.lock().unwrap().push(value);
    }

    pub(crate) fn get(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }
}

/// A channel whose receiver waits at most [`PATIENCE`] per event.
pub(crate) fn events<T>() -> (mpsc::Sender<T>, Waiter<T>) {
    let (tx, rx) = mpsc::channel();
    (tx, Waiter(rx))
}

pub(crate) struct Waiter<T>(Receiver<T>);

impl<T> Waiter<T> {
    /// The next event; panics if none comes within [`PATIENCE`].
    pub(crate) fn next(&self) -> T {
        self.0
            .recv_timeout(PATIENCE)
            .expect("the event did not come")
    }

    /// The next `n` events.
    pub(crate) fn take(&self, n: usize) -> Vec<T> {
        (0..n).map(|_| self.next()).collect()
    }
}

thread_local! {
    /// Reports the thread's exit, once installed by [`watch_thread_exit`].
    static ON_EXIT: std::cell::RefCell<Option<ExitGuard>> = const { std::cell::RefCell::new(None) };
}

/// Sends its thread's id when the thread's locals are destroyed: the thread
/// has left its closure and is exiting.
struct ExitGuard(ThreadId, mpsc::Sender<ThreadId>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let _ = self.1.send(self.0);
    }
}

/// Makes the calling thread (a scheduler's, from inside a task) send its id
/// on `exits` when it exits; returns its id. A later call on the same thread
/// replaces the sender (the old one sends nothing).
pub(crate) fn watch_thread_exit(exits: mpsc::Sender<ThreadId>) -> ThreadId {
    let me = std::thread::current().id();
    ON_EXIT.with(|slot| match &mut *slot.borrow_mut() {
        Some(guard) => guard.1 = exits,
        empty => *empty = Some(ExitGuard(me, exits)),
    });
    me
}

/// Asserts that `exits` reports the exit of each of `threads`, in any order.
pub(crate) fn assert_all_exit(mut threads: Vec<ThreadId>, exits: &Waiter<ThreadId>) {
    let mut exited = exits.take(threads.len());
    exited.sort_by_key(|id| format!("{id:?}"));
    threads.sort_by_key(|id| format!("{id:?}"));
    assert_eq!(exited, threads);
}

/// Asserts that `worker` runs tasks, now and after a delay, in order: it is
/// not held up (by another worker's blocked task, say).
pub(crate) fn assert_runs_now_and_later(worker: &reactive_streams::scheduler::Worker) {
    let (tx, rx) = events();
    for i in 0..10 {
        let tx = tx.clone();
        worker.schedule(move || tx.send(i).unwrap()).unwrap();
    }
    worker
        .schedule_after(Duration::from_millis(1), move || tx.send(10).unwrap())
        .unwrap();
    assert_eq!(rx.take(11), (0..=10).collect::<Vec<_>>());
}
