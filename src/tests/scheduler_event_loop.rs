//! The event loop's idle TTL (the blocking scheduler's timer thread): the
//! thread exits once idle that long, and the next task starts a new one.
//!
//! Not under Miri: these tests park real threads on `parking_lot`, whose
//! contended path casts integers to pointers, which Miri's strict
//! provenance refuses; they hold no `unsafe` of ours.

use std::cell::RefCell;
use std::thread::ThreadId;
use std::time::Duration;

use crate::scheduler::{EventLoop, ExecutorScheduler, Scheduler};
use crate::sync::blocking::mpsc;

/// How long to wait for an event that must come; only a bug waits this long.
const PATIENCE: Duration = Duration::from_secs(10);

thread_local! {
    /// Sends the thread's id when the thread exits.
    static ON_EXIT: RefCell<Option<ExitGuard>> = const { RefCell::new(None) };
}

struct ExitGuard(ThreadId, mpsc::Sender<ThreadId>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let _ = self.1.send(self.0);
    }
}

/// Makes the calling thread report its exit on `exits`; returns its id.
fn watch_exit(exits: mpsc::Sender<ThreadId>) -> ThreadId {
    let me = std::thread::current().id();
    ON_EXIT.with(|slot| *slot.borrow_mut() = Some(ExitGuard(me, exits)));
    me
}

/// A scheduler over one loop whose thread retires after a millisecond idle.
fn retiring_loop(name: &str) -> ExecutorScheduler {
    ExecutorScheduler::new(
        name,
        EventLoop::with_idle_ttl(name.into(), Duration::from_millis(1)),
    )
}

#[test]
#[cfg_attr(miri, ignore = "the lock's contended path casts integers to pointers")]
fn an_idle_thread_exits_after_its_ttl_and_the_next_task_starts_another() {
    let scheduler = retiring_loop("ttl-loop");
    let worker = scheduler.worker();
    let (exit_tx, exits) = mpsc::channel();
    let (ran_tx, ran) = mpsc::channel();
    for _ in 0..2 {
        let (exit_tx, ran_tx) = (exit_tx.clone(), ran_tx.clone());
        worker
            .schedule(move || ran_tx.send(watch_exit(exit_tx)).unwrap())
            .unwrap();
        let thread = ran.recv_timeout(PATIENCE).expect("the task ran");
        // No task and no timer: the thread leaves by itself.
        assert_eq!(exits.recv_timeout(PATIENCE), Ok(thread));
    }
}

#[test]
#[cfg_attr(miri, ignore = "the lock's contended path casts integers to pointers")]
fn a_pending_timer_keeps_the_thread() {
    let scheduler = retiring_loop("ttl-timer");
    let worker = scheduler.worker();
    let (exit_tx, exits) = mpsc::channel();
    let (ran_tx, ran) = mpsc::channel();
    let timer_worker = worker.clone();
    worker
        .schedule(move || {
            // Armed from the loop's thread, before it can go idle: the timer
            // (20 TTLs away) must keep the thread until it fires.
            let timed = ran_tx.clone();
            timer_worker
                .schedule_after(Duration::from_millis(20), move || {
                    timed.send(std::thread::current().id()).unwrap()
                })
                .unwrap();
            ran_tx.send(watch_exit(exit_tx)).unwrap();
        })
        .unwrap();
    let thread = ran.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        ran.recv_timeout(PATIENCE),
        Ok(thread),
        "the same thread fired it"
    );
    assert_eq!(exits.recv_timeout(PATIENCE), Ok(thread));
}
