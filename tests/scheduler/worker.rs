//! The promises of `Worker`, checked on every kind of scheduler: order, one
//! task at a time, nesting, panics, disposal, rejection.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use reactive_streams::scheduler::{
    self, BlockingOptions, BlockingScheduler, Executor, ExecutorScheduler, ParallelScheduler,
    RejectReason, Scheduler, SingleScheduler, Task, TaskHandle, VirtualTimeScheduler, Worker,
};
use reactive_streams::{Error, ErrorKind};

use crate::probe::{events, DropProbe, Log};

/// A pool of threads sharing one queue: tasks of one worker may land on any
/// of them, so only the worker keeps them serial.
#[derive(Debug)]
struct Pool {
    tx: Mutex<Option<mpsc::Sender<Task>>>,
}

impl Pool {
    fn new(threads: usize) -> Pool {
        let (tx, rx) = mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..threads {
            let rx = rx.clone();
            std::thread::spawn(move || loop {
                let task = rx.lock().unwrap().recv();
                match task {
                    Ok(task) => task.run(),
                    Err(_) => return,
                }
            });
        }
        Pool {
            tx: Mutex::new(Some(tx)),
        }
    }
}

impl Executor for Pool {
    fn execute(&self, task: Task) -> Result<(), RejectReason> {
        match &*self.tx.lock().unwrap() {
            Some(tx) => tx.send(task).map_err(|_| RejectReason::Disposed),
            None => Err(RejectReason::Disposed),
        }
    }

    fn execute_at(&self, _: Instant, _: Task) -> Result<(), RejectReason> {
        Err(RejectReason::DelayUnsupported)
    }

    fn shutdown(&self) {
        self.tx.lock().unwrap().take();
    }
}

/// A scheduler under test, and how to wait for a worker to have run what
/// was scheduled on it.
struct Case {
    name: &'static str,
    scheduler: Arc<dyn Scheduler>,
    vts: Option<VirtualTimeScheduler>,
}

impl Case {
    /// Returns once every task scheduled on `worker` so far has run: a
    /// marker task runs after them (the worker is ordered).
    fn settle(&self, worker: &Worker) {
        let (tx, rx) = events();
        worker.schedule(move || tx.send(()).unwrap()).unwrap();
        if let Some(vts) = &self.vts {
            vts.run_due();
        }
        rx.next();
    }
}

fn cases() -> Vec<Case> {
    let vts = VirtualTimeScheduler::new();
    vec![
        Case {
            name: "immediate",
            scheduler: scheduler::immediate().into(),
            vts: None,
        },
        Case {
            name: "single",
            scheduler: SingleScheduler::new("test-single").into(),
            vts: None,
        },
        Case {
            name: "virtual-time",
            scheduler: (&vts).into(),
            vts: Some(vts),
        },
        Case {
            name: "pool",
            scheduler: ExecutorScheduler::new("test-pool", Pool::new(3)).into(),
            vts: None,
        },
        Case {
            name: "parallel",
            scheduler: ParallelScheduler::new("test-parallel", 3).into(),
            vts: None,
        },
        Case {
            name: "blocking",
            scheduler: BlockingScheduler::with_options(
                "test-blocking",
                BlockingOptions::new().max_threads(3),
            )
            .into(),
            vts: None,
        },
    ]
}

#[test]
fn tasks_run_in_scheduling_order() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let log = Log::default();
        for i in 0..100 {
            let log = log.clone();
            worker.schedule(move || log.push(i)).unwrap();
        }
        case.settle(&worker);
        assert_eq!(log.get(), (0..100).collect::<Vec<_>>(), "{}", case.name);
    }
}

#[test]
fn tasks_from_many_threads_run_one_at_a_time_each_once() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let busy = Arc::new(AtomicBool::new(false));
        let overlaps = Arc::new(AtomicUsize::new(0));
        let runs = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (worker, busy, overlaps, runs) =
                    (worker.clone(), busy.clone(), overlaps.clone(), runs.clone());
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        let (busy, overlaps, runs) = (busy.clone(), overlaps.clone(), runs.clone());
                        worker
                            .schedule(move || {
                                if busy.swap(true, Ordering::SeqCst) {
                                    overlaps.fetch_add(1, Ordering::SeqCst);
                                }
                                runs.fetch_add(1, Ordering::SeqCst);
                                std::hint::black_box((0..50).sum::<u32>());
                                busy.store(false, Ordering::SeqCst);
                            })
                            .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        case.settle(&worker);
        assert_eq!(runs.load(Ordering::SeqCst), 800, "{}", case.name);
        assert_eq!(overlaps.load(Ordering::SeqCst), 0, "{}", case.name);
    }
}

#[test]
fn a_task_scheduled_from_a_task_runs_after_it_not_inside_it() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let log = Log::default();
        let (inner_worker, inner_log) = (worker.clone(), log.clone());
        worker
            .schedule(move || {
                let log = inner_log.clone();
                inner_worker.schedule(move || log.push("inner")).unwrap();
                inner_log.push("outer end");
            })
            .unwrap();
        // The first marker may queue before `inner` (scheduled by `outer`
        // on another thread); once it ran, `inner` is queued, so a second
        // marker comes after it.
        case.settle(&worker);
        case.settle(&worker);
        assert_eq!(log.get(), ["outer end", "inner"], "{}", case.name);
    }
}

#[test]
fn a_panicking_task_does_not_stop_the_worker_nor_does_a_panicking_handler() {
    for case in cases() {
        for handler_panics in [false, true] {
            let worker = case.scheduler.worker();
            if handler_panics {
                worker.on_panic(|_| panic!("handler failed on purpose"));
            }
            let log = Log::default();
            worker
                .schedule(|| panic!("task failed on purpose"))
                .unwrap();
            let after = log.clone();
            worker.schedule(move || after.push("next")).unwrap();
            case.settle(&worker);
            assert_eq!(log.get(), ["next"], "{}", case.name);
            assert!(!worker.is_disposed(), "{}", case.name);
        }
    }
}

#[test]
fn disposing_a_worker_rejects_its_later_tasks_and_spares_the_others() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let other = case.scheduler.worker();
        worker.dispose();
        worker.dispose(); // idempotent
        assert!(worker.is_disposed(), "{}", case.name);
        let probe = DropProbe::default();
        let guard = probe.guard();
        let rejected = worker
            .schedule(move || drop(guard))
            .expect_err("a disposed worker takes no task");
        assert_eq!(rejected.reason(), &RejectReason::WorkerDisposed);
        assert_eq!(probe.dropped(), 1, "the rejected task was dropped");
        assert!(!other.is_disposed(), "{}", case.name);
        let ran = Log::default();
        let log = ran.clone();
        other.schedule(move || log.push(1)).unwrap();
        case.settle(&other);
        assert_eq!(ran.get(), [1], "{}", case.name);
    }
}

#[test]
fn a_disposed_scheduler_rejects_with_its_name_and_an_error_kind() {
    for case in cases() {
        let worker = case.scheduler.worker();
        case.scheduler.dispose();
        assert!(case.scheduler.is_disposed(), "{}", case.name);
        assert!(worker.is_disposed(), "{}", case.name);
        for w in [&worker, &case.scheduler.worker()] {
            let rejected = w.schedule(|| unreachable!()).unwrap_err();
            assert_eq!(rejected.reason(), &RejectReason::Disposed, "{}", case.name);
            let error = Error::from(rejected.clone());
            assert_eq!(error.kind(), ErrorKind::Rejected);
            assert!(
                error
                    .to_string()
                    .contains(&format!("`{}`", rejected.scheduler())),
                "{error}"
            );
            assert!(error.to_string().contains("disposed"), "{error}");
            assert_eq!(error.downcast_ref(), Some(&rejected));
        }
    }
}

#[test]
fn dropping_the_worker_handle_does_not_cancel_its_tasks() {
    for case in cases() {
        let (tx, rx) = events();
        case.scheduler
            .worker()
            .schedule(move || tx.send("ran").unwrap())
            .unwrap();
        // The worker handle is gone; the scheduler still runs the task.
        let marker = case.scheduler.worker();
        case.settle(&marker);
        assert_eq!(rx.next(), "ran", "{}", case.name);
    }
}

#[test]
fn a_task_cancelled_by_the_task_before_it_never_runs() {
    // Not on `immediate`: there the first task runs before the second is
    // scheduled (immediate.rs covers its queue).
    for case in cases().into_iter().filter(|case| case.name != "immediate") {
        let worker = case.scheduler.worker();
        let probe = DropProbe::default();
        let ran = Log::default();
        let (handle_tx, handle_rx) = mpsc::channel::<TaskHandle>();
        let (first_ran, first_probe) = (ran.clone(), probe.clone());
        worker
            .schedule(move || {
                // Threads: this waits until the second task is queued.
                let second = handle_rx.recv().unwrap();
                first_ran.push("first");
                second.cancel();
                assert!(second.is_cancelled());
                assert_eq!(first_probe.dropped(), 1, "dropped at cancel");
            })
            .unwrap();
        let (second_ran, guard) = (ran.clone(), probe.guard());
        let second = worker
            .schedule(move || {
                let _keep = &guard;
                second_ran.push("second");
            })
            .unwrap();
        handle_tx.send(second).unwrap();
        case.settle(&worker);
        assert_eq!(ran.get(), ["first"], "{}", case.name);
        assert_eq!(probe.dropped(), 1, "{}", case.name);
    }
}

#[test]
fn a_panic_reaches_its_handle_and_the_workers_handler_before_the_next_task() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let log = Log::default();
        let errors = Log::default();
        let (handler_log, handler_errors) = (log.clone(), errors.clone());
        worker.on_panic(move |error: Error| {
            handler_log.push("handler");
            handler_errors.push(error);
        });
        let failed = worker
            .schedule(|| panic!("task failed on purpose"))
            .unwrap();
        let after = log.clone();
        let next = worker.schedule(move || after.push("next")).unwrap();
        case.settle(&worker);
        assert_eq!(log.get(), ["handler", "next"], "{}", case.name);
        let errors = errors.get();
        assert_eq!(errors.len(), 1, "{}", case.name);
        assert_eq!(errors[0].kind(), ErrorKind::Panic);
        assert_eq!(errors[0].to_string(), "panicked: task failed on purpose");
        let kept = failed.panicked().expect("the handle keeps the panic");
        assert!(
            kept.ptr_eq(&errors[0]),
            "{}: one error, two readers",
            case.name
        );
        assert!(!failed.is_cancelled(), "{}", case.name);
        failed.cancel(); // too late: it ran
        assert!(failed.panicked().is_some() && !failed.is_cancelled());
        assert!(next.panicked().is_none(), "{}", case.name);
    }
}

#[test]
fn a_later_handler_replaces_the_first_and_disposal_drops_it() {
    for case in cases() {
        let worker = case.scheduler.worker();
        let probe = DropProbe::default();
        let (first, second) = (probe.guard(), probe.guard());
        worker.on_panic(move |_| {
            let _keep = &first;
        });
        assert_eq!(probe.dropped(), 0, "{}", case.name);
        worker.on_panic(move |_| {
            let _keep = &second;
        });
        assert_eq!(probe.dropped(), 1, "{}: the first was dropped", case.name);
        worker.dispose();
        assert_eq!(
            probe.dropped(),
            2,
            "{}: disposal dropped the second",
            case.name
        );
        let third = probe.guard();
        worker.on_panic(move |_| {
            let _keep = &third;
        });
        assert_eq!(
            probe.dropped(),
            3,
            "{}: a disposed worker keeps none",
            case.name
        );
    }
}

#[test]
fn a_periodic_task_that_panics_stops_and_says_so() {
    let ms = Duration::from_millis;
    // Not `immediate` (no delays) nor `pool` (its executor has no timer).
    for case in cases()
        .into_iter()
        .filter(|case| !matches!(case.name, "immediate" | "pool"))
    {
        let worker = case.scheduler.worker();
        let (error_tx, errors) = events();
        worker.on_panic(move |error| error_tx.send(error).unwrap());
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let handle = worker
            .schedule_periodically(ms(1), ms(1), move || {
                if counter.fetch_add(1, Ordering::SeqCst) == 2 {
                    panic!("third run failed on purpose");
                }
            })
            .unwrap();
        if let Some(vts) = &case.vts {
            vts.advance_by(ms(50));
        }
        let error: Error = errors.next();
        assert_eq!(error.to_string(), "panicked: third run failed on purpose");
        // Ten periods later, no run came after the panic.
        let (marker_tx, marker) = events();
        worker
            .schedule_after(ms(10), move || marker_tx.send(()).unwrap())
            .unwrap();
        if let Some(vts) = &case.vts {
            vts.advance_by(ms(10));
            assert_eq!(vts.pending_tasks(), 0, "nothing left armed");
        }
        marker.next();
        assert_eq!(runs.load(Ordering::SeqCst), 3, "{}", case.name);
        assert!(handle.panicked().unwrap().ptr_eq(&error), "{}", case.name);
        assert!(!handle.is_cancelled(), "{}", case.name);
    }
}
