//! Stress on the thread-running schedulers (`parallel`, `blocking` with
//! threads that retire after a millisecond, so threads come and go all
//! through): many workers, tasks from several threads, cancels and disposals
//! from others. Each test takes well under a second per scheduler.
//!
//! What is checked, exactly:
//! * every task accepted runs at most once, and exactly once unless it was
//!   cancelled or dropped by a disposal;
//! * the tasks of one worker never overlap, and those one thread scheduled
//!   on one worker run in the order it scheduled them: the immediate ones
//!   among themselves, and the delayed ones (all with one delay, so their
//!   deadlines come in scheduling order) among themselves;
//! * `cancel`'s promise: when `cancel` returns, either the handle says
//!   cancelled and the task never runs, or the task had started and runs
//!   once (`TaskHandle::cancel` docs);
//! * a schedule that begins after `dispose` returned is rejected, and after
//!   the disposal every accepted task has run or is cancelled: none is
//!   stranded;
//! * every closure is dropped exactly once (after running, or unrun, or on
//!   rejection), which is also how the tests know everything is over: they
//!   wait for the last drop, never for time.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use reactive_streams::scheduler::{
    BlockingOptions, BlockingScheduler, ParallelScheduler, RejectReason, Rejected, Scheduler,
    TaskHandle, Worker,
};

use crate::probe::{events, Waiter};

const PRODUCERS: usize = 4;
const TASKS_PER_PRODUCER: usize = 10_000;
const TASKS: usize = PRODUCERS * TASKS_PER_PRODUCER;
const WORKERS: usize = 64;
/// The delay of the delayed tasks: short, so that they fall due while the
/// immediate ones still come.
const DELAY: Duration = Duration::from_micros(200);

/// Fresh owned schedulers: their threads do not outlive the test.
fn schedulers() -> Vec<(&'static str, Arc<dyn Scheduler>)> {
    vec![
        (
            "parallel",
            ParallelScheduler::new("stress-parallel", 4).into(),
        ),
        (
            "blocking",
            BlockingScheduler::with_options(
                "stress-blocking",
                BlockingOptions::new()
                    .max_threads(8)
                    .thread_ttl(Duration::from_millis(1)),
            )
            .into(),
        ),
    ]
}

/// Per task: how often it ran. Every closure carries a guard that reports
/// its drop.
struct Ledger {
    runs: Vec<AtomicU8>,
    /// Per worker: a task of it is running (overlap detector).
    busy: Vec<AtomicBool>,
    /// Per worker, per producer and lane (immediate, delayed): the last
    /// sequence number run.
    order: Vec<Mutex<Vec<Option<usize>>>>,
    overlaps: AtomicUsize,
    out_of_order: AtomicUsize,
}

struct DropReport(usize, mpsc::Sender<usize>);

impl Drop for DropReport {
    fn drop(&mut self) {
        let _ = self.1.send(self.0);
    }
}

impl Ledger {
    fn new() -> Arc<Ledger> {
        Arc::new(Ledger {
            runs: (0..TASKS).map(|_| AtomicU8::new(0)).collect(),
            busy: (0..WORKERS).map(|_| AtomicBool::new(false)).collect(),
            order: (0..WORKERS)
                .map(|_| Mutex::new(vec![None; 2 * PRODUCERS]))
                .collect(),
            overlaps: AtomicUsize::new(0),
            out_of_order: AtomicUsize::new(0),
        })
    }

    /// Task `seq` of `producer`, to run on worker `worker`, now or (if
    /// `delayed`) after [`DELAY`].
    fn task(
        self: &Arc<Self>,
        worker: usize,
        producer: usize,
        seq: usize,
        delayed: bool,
        drops: &mpsc::Sender<usize>,
    ) -> impl FnOnce() + Send + 'static {
        let id = producer * TASKS_PER_PRODUCER + seq;
        let lane = 2 * producer + usize::from(delayed);
        let (ledger, report) = (Arc::clone(self), DropReport(id, drops.clone()));
        move || {
            let _report = report;
            if ledger.busy[worker].swap(true, Ordering::SeqCst) {
                ledger.overlaps.fetch_add(1, Ordering::SeqCst);
            }
            ledger.runs[id].fetch_add(1, Ordering::SeqCst);
            {
                let mut last = ledger.order[worker].lock().unwrap();
                if last[lane].is_some_and(|last| last >= seq) {
                    ledger.out_of_order.fetch_add(1, Ordering::SeqCst);
                }
                last[lane] = Some(seq);
            }
            ledger.busy[worker].store(false, Ordering::SeqCst);
        }
    }

    /// Task `seq` of `producer` on its worker: one in four after [`DELAY`]
    /// (so that cancels and disposals race timers too), the others now.
    fn schedule(
        self: &Arc<Self>,
        workers: &[Worker],
        producer: usize,
        seq: usize,
        drops: &mpsc::Sender<usize>,
    ) -> Result<TaskHandle, Rejected> {
        let worker = (seq * 7 + producer) % WORKERS;
        let delayed = seq % 4 == 0;
        let task = self.task(worker, producer, seq, delayed, drops);
        if delayed {
            workers[worker].schedule_after(DELAY, task)
        } else {
            workers[worker].schedule(task)
        }
    }

    fn runs(&self, id: usize) -> u8 {
        self.runs[id].load(Ordering::SeqCst)
    }

    fn check_serial(&self, name: &str) {
        assert_eq!(self.overlaps.load(Ordering::SeqCst), 0, "{name}: overlap");
        assert_eq!(self.out_of_order.load(Ordering::SeqCst), 0, "{name}: order");
    }
}

/// Waits until `n` closures were dropped, each once.
fn wait_for_drops(drops: &Waiter<usize>, n: usize, name: &str) {
    let mut seen = vec![false; n];
    for _ in 0..n {
        let id = drops.next();
        assert!(!seen[id], "{name}: closure {id} dropped twice");
        seen[id] = true;
    }
}

#[test]
fn tasks_from_several_threads_on_many_workers_run_once_each_in_order() {
    for (name, scheduler) in schedulers() {
        let ledger = Ledger::new();
        let workers: Arc<Vec<Worker>> =
            Arc::new((0..WORKERS).map(|_| scheduler.worker()).collect());
        let (drop_tx, drops) = events();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|producer| {
                let (ledger, workers, drop_tx) = (ledger.clone(), workers.clone(), drop_tx.clone());
                std::thread::spawn(move || {
                    for seq in 0..TASKS_PER_PRODUCER {
                        let worker = (seq * 7 + producer) % WORKERS;
                        let task = ledger.task(worker, producer, seq, false, &drop_tx);
                        workers[worker].schedule(task).unwrap();
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        wait_for_drops(&drops, TASKS, name);
        assert!(
            (0..TASKS).all(|id| ledger.runs(id) == 1),
            "{name}: each once"
        );
        ledger.check_serial(name);
    }
}

#[test]
fn cancels_from_other_threads_keep_their_promise() {
    for (name, scheduler) in schedulers() {
        let ledger = Ledger::new();
        let workers: Arc<Vec<Worker>> =
            Arc::new((0..WORKERS).map(|_| scheduler.worker()).collect());
        let (drop_tx, drops) = events();
        // Handles go to two cancellers, which cancel every other one at once.
        let (handle_tx, handle_rx) = mpsc::channel::<(usize, TaskHandle)>();
        let handle_rx = Arc::new(Mutex::new(handle_rx));
        let cancellers: Vec<_> = (0..2)
            .map(|_| {
                let handle_rx = handle_rx.clone();
                std::thread::spawn(move || {
                    let mut outcomes = Vec::new();
                    loop {
                        let next = handle_rx.lock().unwrap().recv();
                        let Ok((id, handle)) = next else {
                            return outcomes;
                        };
                        if id % 2 == 0 {
                            handle.cancel();
                            // Read right after `cancel` returned.
                            outcomes.push((id, Some(handle.is_cancelled()), handle));
                        } else {
                            outcomes.push((id, None, handle));
                        }
                    }
                })
            })
            .collect();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|producer| {
                let (ledger, workers, drop_tx, handle_tx) = (
                    ledger.clone(),
                    workers.clone(),
                    drop_tx.clone(),
                    handle_tx.clone(),
                );
                std::thread::spawn(move || {
                    for seq in 0..TASKS_PER_PRODUCER {
                        let handle = ledger.schedule(&workers, producer, seq, &drop_tx);
                        handle_tx
                            .send((producer * TASKS_PER_PRODUCER + seq, handle.unwrap()))
                            .unwrap();
                    }
                })
            })
            .collect();
        drop(handle_tx);
        for producer in producers {
            producer.join().unwrap();
        }
        let outcomes: Vec<_> = cancellers
            .into_iter()
            .flat_map(|canceller| canceller.join().unwrap())
            .collect();
        assert_eq!(outcomes.len(), TASKS);
        wait_for_drops(&drops, TASKS, name);
        let (mut won, mut lost) = (0, 0);
        for (id, cancelled_at_return, handle) in outcomes {
            let runs = ledger.runs(id);
            assert!(runs <= 1, "{name}: task {id} ran {runs} times");
            match cancelled_at_return {
                Some(true) => {
                    won += 1;
                    assert_eq!(runs, 0, "{name}: task {id} ran after its cancel won");
                }
                Some(false) => {
                    lost += 1;
                    assert_eq!(runs, 1, "{name}: task {id} had started, so it ran");
                }
                None => assert_eq!(runs, 1, "{name}: task {id} was never cancelled"),
            }
            assert_eq!(handle.is_cancelled(), runs == 0, "{name}: task {id}");
        }
        assert_eq!(won + lost, TASKS / 2);
        ledger.check_serial(name);
    }
}

#[test]
fn disposals_from_other_threads_lose_nothing_and_run_nothing_twice() {
    for (name, scheduler) in schedulers() {
        let ledger = Ledger::new();
        let workers: Arc<Vec<Worker>> =
            Arc::new((0..WORKERS).map(|_| scheduler.worker()).collect());
        let (drop_tx, drops) = events();
        let accepted = Arc::new(AtomicUsize::new(0));
        let disposed = Arc::new(AtomicBool::new(false));
        // Disposes a few workers, then, once a quarter of the tasks are in,
        // the whole scheduler, while the producers go on.
        let disposer = {
            let (scheduler, workers, accepted, disposed) = (
                scheduler.clone(),
                workers.clone(),
                accepted.clone(),
                disposed.clone(),
            );
            std::thread::spawn(move || {
                for (i, worker) in workers.iter().enumerate().step_by(WORKERS / 4) {
                    while accepted.load(Ordering::SeqCst) < i * TASKS / (4 * WORKERS) {
                        std::thread::yield_now();
                    }
                    worker.dispose();
                }
                while accepted.load(Ordering::SeqCst) < TASKS / 4 {
                    std::thread::yield_now();
                }
                scheduler.dispose();
                disposed.store(true, Ordering::SeqCst);
            })
        };
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|producer| {
                let (ledger, workers, drop_tx, accepted, disposed) = (
                    ledger.clone(),
                    workers.clone(),
                    drop_tx.clone(),
                    accepted.clone(),
                    disposed.clone(),
                );
                std::thread::spawn(move || {
                    let mut outcomes = Vec::new();
                    for seq in 0..TASKS_PER_PRODUCER {
                        if seq == TASKS_PER_PRODUCER / 2 {
                            // Half-way, wait for the disposal (which comes
                            // at a quarter), so that the second half meets
                            // a disposed scheduler however threads are timed.
                            while !disposed.load(Ordering::SeqCst) {
                                std::thread::yield_now();
                            }
                        }
                        let after_dispose = disposed.load(Ordering::SeqCst);
                        let result = ledger.schedule(&workers, producer, seq, &drop_tx);
                        if result.is_ok() {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                        outcomes.push((producer * TASKS_PER_PRODUCER + seq, after_dispose, result));
                    }
                    outcomes
                })
            })
            .collect();
        let outcomes: Vec<_> = producers
            .into_iter()
            .flat_map(|producer| producer.join().unwrap())
            .collect();
        disposer.join().unwrap();
        wait_for_drops(&drops, TASKS, name);
        let mut rejected_late = 0;
        for (id, after_dispose, result) in outcomes {
            let runs = ledger.runs(id);
            match result {
                Ok(handle) => {
                    assert!(!after_dispose, "{name}: task {id} accepted after dispose");
                    assert!(runs <= 1, "{name}: task {id} ran {runs} times");
                    assert_eq!(handle.is_cancelled(), runs == 0, "{name}: task {id}");
                }
                Err(rejected) => {
                    assert_eq!(runs, 0, "{name}: rejected task {id} ran");
                    assert!(matches!(
                        rejected.reason(),
                        RejectReason::Disposed | RejectReason::WorkerDisposed
                    ));
                    rejected_late += usize::from(after_dispose);
                }
            }
        }
        assert!(scheduler.is_disposed());
        // The second halves at least (some of the first came after it too).
        assert!(rejected_late >= TASKS / 2, "{name}: {rejected_late}");
        ledger.check_serial(name);
    }
}
