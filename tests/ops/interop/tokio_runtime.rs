//! Feature `tokio`: `TokioScheduler` (tasks, timers, cancel handles,
//! dispose, refusal after the runtime shuts down) under a current-thread and
//! a multi-thread runtime; the timed operators and `map_async`'s timeout on
//! it; `map_async(..).spawn_on(handle)`; tokio I/O futures in `map_async`.
//! Behaviour only: every wait is bounded, no test asserts a duration.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use reactive_streams::scheduler::{RejectReason, Scheduler, TokioScheduler};
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, TestSubscriber};
use tokio::runtime::{Builder, Runtime};

use crate::harness::WAIT;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

fn multi_thread() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rs-tokio-test")
        .enable_all()
        .build()
        .unwrap()
}

fn both() -> [Runtime; 2] {
    [current_thread(), multi_thread()]
}

/// Counts live copies: its drop says a closure or future was freed.
struct Alive(Arc<AtomicUsize>);

impl Alive {
    fn new(count: &Arc<AtomicUsize>) -> Alive {
        count.fetch_add(1, Ordering::SeqCst);
        Alive(Arc::clone(count))
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Waits (bounded) until `done` holds, driving `runtime` if it is a
/// current-thread one.
fn wait_until(runtime: &Runtime, done: impl Fn() -> bool) {
    runtime.block_on(async {
        let mut waited = Duration::ZERO;
        while !done() {
            assert!(waited < WAIT, "the condition never held");
            tokio::time::sleep(ms(1)).await;
            waited += ms(1);
        }
    });
}

#[test]
fn tasks_and_timers_run_in_order_on_the_runtime() {
    for runtime in both() {
        let scheduler = TokioScheduler::new(runtime.handle().clone());
        let worker = scheduler.worker();
        let (tx, rx) = mpsc::channel();
        for i in 0..3 {
            let tx = tx.clone();
            worker
                .schedule(move || {
                    let on_runtime = tokio::runtime::Handle::try_current().is_ok();
                    tx.send((i, on_runtime)).unwrap();
                })
                .unwrap();
        }
        let tx2 = tx.clone();
        worker
            .schedule_after(ms(2), move || tx2.send((3, true)).unwrap())
            .unwrap();
        let got: Vec<(i32, bool)> = runtime.block_on(async {
            tokio::task::spawn_blocking(move || rx.iter().take(4).collect())
                .await
                .unwrap()
        });
        assert_eq!(got, [(0, true), (1, true), (2, true), (3, true)]);
        scheduler.dispose();
    }
}

#[test]
fn a_cancelled_timer_never_runs_and_drops_its_closure_at_once() {
    for runtime in both() {
        let scheduler = TokioScheduler::new(runtime.handle().clone());
        let alive = Arc::new(AtomicUsize::new(0));
        let held = Alive::new(&alive);
        let handle = scheduler
            .worker()
            .schedule_after(Duration::from_secs(3600), move || drop(held))
            .unwrap();
        assert_eq!(alive.load(Ordering::SeqCst), 1);
        handle.cancel();
        assert!(handle.is_cancelled());
        assert_eq!(alive.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn dispose_rejects_later_tasks_and_drops_pending_ones() {
    let runtime = multi_thread();
    let scheduler = TokioScheduler::new(runtime.handle().clone());
    let worker = scheduler.worker();
    let alive = Arc::new(AtomicUsize::new(0));
    let held = Alive::new(&alive);
    worker
        .schedule_after(Duration::from_secs(3600), move || drop(held))
        .unwrap();
    scheduler.dispose();
    assert!(scheduler.is_disposed() && worker.is_disposed());
    assert_eq!(alive.load(Ordering::SeqCst), 0);
    let rejected = worker.schedule(|| {}).unwrap_err();
    assert_eq!(rejected.reason(), &RejectReason::Disposed);
    assert_eq!(rejected.scheduler(), "tokio");
    // The runtime is the application's: it still runs.
    assert_eq!(runtime.block_on(async { 7 }), 7);
}

#[test]
fn after_the_runtime_shuts_down_tasks_are_refused_with_a_clear_error() {
    for runtime in both() {
        let scheduler = TokioScheduler::new(runtime.handle().clone());
        drop(runtime);
        let rejected = scheduler.worker().schedule(|| unreachable!()).unwrap_err();
        assert!(matches!(rejected.reason(), RejectReason::Runtime(_)));
        assert!(rejected.to_string().contains("shut down"), "{rejected}");
        let rejected = scheduler
            .worker()
            .schedule_after(ms(1), || unreachable!())
            .unwrap_err();
        assert!(matches!(rejected.reason(), RejectReason::Runtime(_)));
        // A timed operator on it ends with on_error, never a hang.
        let ts = TestSubscriber::<u64>::unbounded();
        source::range(0..3u64)
            .delay_on(ms(1), &scheduler)
            .subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_error_kind(ErrorKind::Rejected);
    }
}

#[test]
fn a_runtime_without_timers_refuses_delays() {
    let runtime = Builder::new_current_thread().build().unwrap();
    let scheduler = TokioScheduler::new(runtime.handle().clone());
    let rejected = scheduler
        .worker()
        .schedule_after(ms(1), || unreachable!())
        .unwrap_err();
    assert!(rejected.to_string().contains("enable_time"), "{rejected}");
    // Tasks without a delay still run.
    let (tx, rx) = mpsc::channel();
    scheduler
        .worker()
        .schedule(move || tx.send(1).unwrap())
        .unwrap();
    runtime.block_on(async { tokio::task::yield_now().await });
    assert_eq!(rx.recv_timeout(WAIT), Ok(1));
}

#[test]
fn a_panicking_task_reaches_the_panic_handler_and_the_worker_goes_on() {
    let runtime = multi_thread();
    let scheduler = TokioScheduler::new(runtime.handle().clone());
    let worker = scheduler.worker();
    let (tx, rx) = mpsc::channel();
    let on_panic = tx.clone();
    worker.on_panic(move |error| on_panic.send(error.kind() == ErrorKind::Panic).unwrap());
    worker
        .schedule(|| panic!("task panics on purpose"))
        .unwrap();
    worker.schedule(move || tx.send(true).unwrap()).unwrap();
    assert_eq!(rx.recv_timeout(WAIT), Ok(true));
    assert_eq!(rx.recv_timeout(WAIT), Ok(true));
}

#[test]
fn timed_operators_work_inside_a_tokio_application() {
    for runtime in both() {
        let got = runtime.block_on(async {
            let scheduler = TokioScheduler::current();
            let delayed = source::range(0..5u64)
                .delay_on(ms(1), &scheduler)
                .collect::<Vec<_>>()
                .await
                .unwrap();
            let ticks = source::interval_on(ms(1), &scheduler)
                .take(3)
                .collect::<Vec<_>>()
                .await
                .unwrap();
            let timed_out = source::never::<u64>()
                .timeout_on(ms(2), &scheduler)
                .first()
                .await
                .unwrap_err();
            (delayed, ticks, timed_out.kind())
        });
        assert_eq!(got, ((0..5).collect(), vec![0, 1, 2], ErrorKind::Timeout));
    }
}

#[test]
fn map_async_timeout_on_tokio_frees_a_future_that_never_completes() {
    for runtime in both() {
        let alive = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&alive);
        let got = runtime.block_on(async move {
            source::range(0..6u64)
                .map_async(3, move |x| {
                    let held = Alive::new(&count);
                    async move {
                        if x % 2 == 1 {
                            std::future::pending::<()>().await;
                        }
                        tokio::time::sleep(ms(x)).await;
                        drop(held);
                        x
                    }
                })
                .timeout_on(ms(20), TokioScheduler::current())
                .pass_timeouts()
                .collect::<Vec<_>>()
                .await
                .unwrap()
        });
        let kinds: Vec<Result<u64, ErrorKind>> =
            got.into_iter().map(|r| r.map_err(|e| e.kind())).collect();
        let t = Err(ErrorKind::Timeout);
        assert_eq!(kinds, [Ok(0), t, Ok(2), t, Ok(4), t]);
        assert_eq!(alive.load(Ordering::SeqCst), 0, "a future was not freed");
    }
}

#[test]
fn spawn_on_runs_the_futures_on_the_runtime_in_item_order() {
    let runtime = multi_thread();
    let handle = runtime.handle().clone();
    let got = runtime.block_on(async move {
        source::range(0..50u64)
            .map_async(8, |x| async move {
                tokio::time::sleep(ms(x % 5)).await;
                let name = std::thread::current().name().map(String::from);
                (x, name)
            })
            .spawn_on(handle)
            .collect::<Vec<_>>()
            .await
            .unwrap()
    });
    assert_eq!(
        got.iter().map(|(x, _)| *x).collect::<Vec<_>>(),
        (0..50).collect::<Vec<_>>()
    );
    assert!(got
        .iter()
        .all(|(_, name)| name.as_deref() == Some("rs-tokio-test")));
}

#[test]
fn spawn_on_a_panicking_future_fails_the_stream_with_a_panic() {
    for runtime in both() {
        let handle = runtime.handle().clone();
        let error = runtime.block_on(async move {
            source::range(0..4u64)
                .map_async(2, |x| async move {
                    if x == 1 {
                        panic!("spawned future panics on purpose");
                    }
                    x
                })
                .spawn_on(handle)
                .collect::<Vec<_>>()
                .await
                .unwrap_err()
        });
        assert_eq!(error.kind(), ErrorKind::Panic);
        assert!(error.to_string().contains("on purpose"), "{error}");
    }
}

#[test]
fn spawn_on_cancel_and_timeout_abort_the_tasks() {
    for runtime in both() {
        let alive = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&alive);
        let handle = runtime.handle().clone();
        let ts = TestSubscriber::<u64>::unbounded();
        source::range(0..10u64)
            .map_async(4, move |x| {
                let held = Alive::new(&count);
                async move {
                    std::future::pending::<()>().await;
                    drop(held);
                    x
                }
            })
            .spawn_on(handle.clone())
            .subscribe(ts.clone());
        wait_until(&runtime, || alive.load(Ordering::SeqCst) == 4);
        ts.cancel();
        wait_until(&runtime, || alive.load(Ordering::SeqCst) == 0);

        let count = Arc::clone(&alive);
        let error = runtime.block_on(async move {
            source::range(0..3u64)
                .map_async(3, move |_| {
                    let held = Alive::new(&count);
                    async move {
                        std::future::pending::<()>().await;
                        drop(held);
                        0u64
                    }
                })
                .spawn_on(handle)
                .timeout_on(ms(5), TokioScheduler::current())
                .first()
                .await
                .unwrap_err()
        });
        assert_eq!(error.kind(), ErrorKind::Timeout);
        wait_until(&runtime, || alive.load(Ordering::SeqCst) == 0);
    }
}

#[test]
fn spawn_on_a_runtime_that_shuts_down_fails_the_stream() {
    for runtime in both() {
        let ts = TestSubscriber::<u64>::unbounded();
        source::range(0..4u64)
            .map_async(2, |x| async move {
                std::future::pending::<()>().await;
                x
            })
            .spawn_on(runtime.handle().clone())
            .subscribe(ts.clone());
        drop(runtime);
        ts.await_terminal(WAIT)
            .assert_error_kind(ErrorKind::Rejected)
            .assert_error_message("shut down");
    }
    // Spawning on a runtime already gone fails too.
    let runtime = current_thread();
    let handle = runtime.handle().clone();
    drop(runtime);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..4u64)
        .map_async(2, |x| async move { x })
        .spawn_on(handle)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_error_kind(ErrorKind::Rejected);
}

#[test]
fn tokio_io_futures_inside_map_async() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::{TcpListener, TcpStream};

    for runtime in both() {
        let got = runtime.block_on(async {
            // An upper-casing echo server on loopback, one line per connection.
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = tokio::spawn(async move {
                for _ in 0..20 {
                    let (socket, _) = listener.accept().await.unwrap();
                    tokio::spawn(async move {
                        let (read, mut write) = socket.into_split();
                        let mut line = String::new();
                        BufReader::new(read).read_line(&mut line).await.unwrap();
                        write
                            .write_all(line.to_uppercase().as_bytes())
                            .await
                            .unwrap();
                    });
                }
            });
            let replies = source::range(0..20u64)
                .map_async(4, move |x| async move {
                    let socket = TcpStream::connect(addr).await?;
                    let (read, mut write) = socket.into_split();
                    write.write_all(format!("item-{x}\n").as_bytes()).await?;
                    let mut line = String::new();
                    BufReader::new(read).read_line(&mut line).await?;
                    Ok::<String, std::io::Error>(line.trim_end().to_owned())
                })
                .fail_on_error()
                .collect::<Vec<_>>()
                .await
                .unwrap();
            server.await.unwrap();
            replies
        });
        let expected: Vec<String> = (0..20).map(|x| format!("ITEM-{x}")).collect();
        assert_eq!(got, expected);
    }
}

/// The tokio quick start of the README, on a runtime built by hand instead
/// of `#[tokio::main]`.
#[test]
fn the_readme_quick_start() {
    async fn main() -> Result<Vec<String>, reactive_streams::Error> {
        let (tx, rx) = tokio::sync::mpsc::channel::<u64>(16);
        tokio::spawn(async move {
            for id in 0..100 {
                tx.send(id).await.unwrap();
            }
        });
        let ids =
            futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });

        let scheduler = TokioScheduler::current();
        let mut enriched = source::from_stream(ids)
            .map_async(8, |id| async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                format!("user-{id}")
            })
            .timeout_on(Duration::from_secs(2), &scheduler)
            .into_stream_with(32);

        let mut names = Vec::new();
        while let Some(name) = enriched.next().await {
            names.push(name?);
        }
        Ok(names)
    }
    for runtime in both() {
        let names = runtime.block_on(main()).unwrap();
        assert_eq!(names.len(), 100);
        assert_eq!(names[99], "user-99");
    }
}
