use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::thread;

use proptest::prelude::*;
use reactive_streams::{
    source, BoxPublisher, Error, Publisher, PublisherExt, TestSubscriber, UNBOUNDED,
};

use crate::async_work::{later, Gate, Gated, Running};
use crate::harness::*;

fn tripled(n: u64) -> Vec<u64> {
    (0..n).map(|x| x * 3).collect()
}

#[test]
fn scenarios_with_ready_futures() {
    assert_emits(
        || {
            source::range(0..10u64)
                .map_async(3, |x| async move { x * 3 })
                .boxed()
        },
        &tripled(10),
    );
    // Ready futures finish in the order they start: unordered keeps it.
    assert_emits(
        || {
            source::range(0..10u64)
                .map_async_unordered(3, |x| async move { x * 3 })
                .boxed()
        },
        &tripled(10),
    );
}

#[test]
fn scenarios_with_futures_finished_on_another_thread() {
    assert_emits(
        || {
            source::range(0..20u64)
                .map_async(4, |x| later(x * 3))
                .boxed()
        },
        &tripled(20),
    );
    for concurrency in [1, 2, 7, 64] {
        let ts = TestSubscriber::unbounded();
        source::range(0..50u64)
            .map_async_unordered(concurrency, |x| later(x * 3))
            .subscribe(ts.clone());
        ts.await_terminal(WAIT)
            .assert_complete()
            .assert_no_violations();
        let mut values = ts.values();
        values.sort_unstable();
        assert_eq!(values, tripled(50));
    }
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| up.map_async(2, |x| async move { x + 1 }).boxed(),
        &[1, 2, 3],
    );
    assert_error_passes_through(
        |up| up.map_async_unordered(2, |x| async move { x + 1 }).boxed(),
        &[1, 2, 3],
    );
}

#[test]
fn a_panic_in_f_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| {
        up.map_async(2, |x| {
            let x = panic_on_2(x);
            async move { x }
        })
        .boxed()
    });
}

#[test]
fn a_panic_in_a_future_cancels_upstream_and_fails_downstream() {
    assert_panic_becomes_error(|up| up.map_async(2, |x| async move { panic_on_2(x) }).boxed());
    assert_panic_becomes_error(|up| {
        up.map_async_unordered(2, |x| async move { panic_on_2(x) })
            .boxed()
    });
}

#[test]
#[should_panic(expected = "map_async: concurrency must be at least 1")]
fn concurrency_zero_is_refused() {
    let _ = source::range(0..3u64).map_async(0, |x| async move { x });
}

#[test]
#[should_panic(expected = "map_async_unordered: concurrency must be at least 1")]
fn concurrency_zero_is_refused_unordered() {
    let _ = source::range(0..3u64).map_async_unordered(0, |x| async move { x });
}

#[test]
fn a_huge_concurrency_allocates_nothing_up_front() {
    // Slots are made as futures start; the window is clamped to 65 536.
    let probe = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .map_async(usize::MAX, later)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_values(&(0..10).collect::<Vec<_>>())
        .assert_complete();
    assert_eq!(probe.requests()[0], 1 << 16);
}

/// `n` gates, how many of their futures run, how many were made.
struct Gates {
    gates: Vec<Gate>,
    running: Arc<Running>,
    started: Arc<AtomicUsize>,
}

/// [`Gates`], and an `f` that hands out gate `x`'s future of `x`.
fn gated(n: usize) -> (Gates, impl Fn(u64) -> Gated<u64> + Send + Sync + 'static) {
    let gates: Vec<Gate> = (0..n).map(|_| Gate::new()).collect();
    let running = Running::new();
    let started = Arc::new(AtomicUsize::new(0));
    let (g, r, s) = (gates.clone(), Arc::clone(&running), Arc::clone(&started));
    let f = move |x: u64| {
        s.fetch_add(1, Ordering::SeqCst);
        g[x as usize].future(x, Arc::clone(&r))
    };
    let gates = Gates {
        gates,
        running,
        started,
    };
    (gates, f)
}

#[test]
fn at_most_concurrency_futures_run() {
    let (Gates { gates, running, .. }, f) = gated(30);
    let ts = TestSubscriber::unbounded();
    source::range(0..30u64)
        .map_async(3, f)
        .subscribe(ts.clone());
    for gate in &gates {
        assert!(running.now() <= 3);
        gate.open();
    }
    ts.await_terminal(WAIT)
        .assert_values(&(0..30).collect::<Vec<_>>())
        .assert_complete();
    assert_eq!(running.max(), 3);
    assert_eq!(running.now(), 0);
}

#[test]
fn futures_run_without_downstream_demand_up_to_the_window() {
    // concurrency 2, buffer 2: a window of 4.
    let (
        Gates {
            gates,
            running,
            started,
            ..
        },
        f,
    ) = gated(20);
    let ts = TestSubscriber::new(0);
    source::range(0..20u64)
        .map_async(2, f)
        .subscribe(ts.clone());
    assert_eq!(started.load(Ordering::SeqCst), 2);
    for gate in &gates {
        gate.open(); // the results wait: nobody asked for them
    }
    // Two finished, two more started and finished: the window is full.
    assert_eq!(started.load(Ordering::SeqCst), 4);
    assert_eq!(running.now(), 0);
    ts.assert_no_values();
    // Demand takes results; upstream is asked again at 75% of the window.
    ts.request(3);
    ts.assert_values(&[0, 1, 2]);
    assert_eq!(started.load(Ordering::SeqCst), 7);
    ts.request(UNBOUNDED);
    ts.await_terminal(WAIT)
        .assert_value_count(20)
        .assert_complete();
}

#[test]
fn a_slow_head_keeps_the_others_running_up_to_the_window_then_waits() {
    // concurrency 2, buffer 4: a window of 6. Item 0 never finishes on its
    // own; the others do as soon as they start.
    let (
        Gates {
            gates,
            running,
            started,
            ..
        },
        f,
    ) = gated(20);
    for gate in &gates[1..] {
        gate.open();
    }
    let ts = TestSubscriber::unbounded();
    source::range(0..20u64)
        .map_async(2, f)
        .buffer(4)
        .subscribe(ts.clone());
    // Items 1..6 finished behind the head, without holding its slot.
    assert_eq!(started.load(Ordering::SeqCst), 6);
    assert_eq!(running.now(), 1);
    ts.assert_no_values();
    gates[0].open();
    ts.await_terminal(WAIT)
        .assert_values(&(0..20).collect::<Vec<_>>())
        .assert_complete();
    assert!(running.max() <= 2);
}

#[test]
fn the_same_in_unordered_mode_emits_what_finished() {
    let (Gates { gates, started, .. }, f) = gated(20);
    for gate in &gates[1..] {
        gate.open();
    }
    let ts = TestSubscriber::unbounded();
    source::range(0..20u64)
        .map_async_unordered(2, f)
        .buffer(4)
        .subscribe(ts.clone());
    // Nothing waits: results go out as they finish, the head keeps a slot.
    ts.await_count(19, WAIT);
    assert_eq!(started.load(Ordering::SeqCst), 20);
    gates[0].open();
    ts.await_terminal(WAIT).assert_complete();
    let mut values = ts.values();
    assert_eq!(values.last(), Some(&0));
    values.sort_unstable();
    assert_eq!(values, (0..20).collect::<Vec<_>>());
}

#[test]
fn upstream_is_asked_for_the_window_then_at_75_percent() {
    let probe = CancelProbe::new(source::range(0..40u64));
    let ts = TestSubscriber::unbounded();
    probe
        .publisher()
        .map_async(4, |x| async move { x })
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_value_count(40)
        .assert_complete();
    // Window 8; 6 more each time 6 results left.
    let requests = probe.requests();
    assert_eq!(requests[0], 8);
    assert!(requests[1..].iter().all(|&n| n == 6), "{requests:?}");
}

#[test]
fn fail_on_error_fails_the_stream_and_drops_the_other_futures() {
    let running = Running::new();
    let probe = CancelProbe::new(source::range(0..10u64));
    let gate = Gate::new(); // never opened
    let (g, r) = (gate.clone(), Arc::clone(&running));
    let ts = TestSubscriber::<u64>::unbounded();
    probe
        .publisher()
        .map_async(3, move |x| {
            let pending = g.future(x, Arc::clone(&r));
            async move {
                if x == 2 {
                    return Err(std::io::Error::other("item 2 failed"));
                }
                Ok(pending.await)
            }
        })
        .fail_on_error()
        .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_no_values()
        .assert_error_message("item 2 failed");
    let error = ts.error().unwrap();
    assert!(error.downcast_ref::<std::io::Error>().is_some());
    assert!(probe.was_cancelled());
    assert_eq!(running.now(), 0, "the other futures outlived the failure");
}

#[test]
fn without_fail_on_error_a_result_is_passed_on() {
    let ts = TestSubscriber::unbounded();
    source::range(0..4u64)
        .map_async(2, |x| async move {
            if x == 1 {
                Err(x)
            } else {
                Ok(x)
            }
        })
        .subscribe(ts.clone());
    ts.assert_values(&[Ok(0), Err(1), Ok(2), Ok(3)])
        .assert_complete();
}

#[test]
fn cancel_frees_futures_that_never_complete() {
    let (
        Gates {
            gates: _gates,
            running,
            ..
        },
        f,
    ) = gated(10);
    let probe = CancelProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::<u64>::unbounded();
    probe.publisher().map_async(4, f).subscribe(ts.clone());
    assert_eq!(running.now(), 4);
    ts.cancel();
    assert_eq!(running.now(), 0, "cancel left futures running");
    assert!(probe.was_cancelled());
    ts.assert_no_values().assert_not_terminated();
}

/// A future that never finishes and hands out its waker.
struct Hold(Arc<Mutex<Vec<Waker>>>);

impl std::future::Future for Hold {
    type Output = u64;
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<u64> {
        self.0.lock().unwrap().push(cx.waker().clone());
        std::task::Poll::Pending
    }
}

#[test]
fn wakes_after_cancel_and_from_other_threads_do_nothing_harmful() {
    let wakers = Arc::new(Mutex::new(Vec::new()));
    let w = Arc::clone(&wakers);
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..10u64)
        .map_async(3, move |_| Hold(Arc::clone(&w)))
        .subscribe(ts.clone());
    let kept: Vec<Waker> = wakers.lock().unwrap().clone();
    assert_eq!(kept.len(), 3);
    // Spurious wakes from other threads while running: polled again.
    let handles: Vec<_> = kept
        .iter()
        .cloned()
        .map(|w| thread::spawn(move || w.wake()))
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    ts.assert_no_values().assert_not_terminated();
    ts.cancel();
    // After the cancel: the futures are gone, their wakers live on.
    for w in &kept {
        w.wake_by_ref();
    }
    let handles: Vec<_> = kept
        .into_iter()
        .map(|w| thread::spawn(move || w.wake()))
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    ts.assert_no_values()
        .assert_not_terminated()
        .assert_no_violations();
}

#[test]
fn completion_waits_for_the_running_futures() {
    let (Gates { gates, .. }, f) = gated(3);
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64).map_async(8, f).subscribe(ts.clone());
    ts.assert_no_values().assert_not_terminated();
    gates[2].open();
    gates[1].open();
    ts.assert_no_values().assert_not_terminated();
    gates[0].open();
    ts.assert_values(&[0, 1, 2]).assert_complete();
}

#[test]
fn request_zero_is_the_rule_3_9_error_and_frees_the_futures() {
    let (
        Gates {
            gates: _gates,
            running,
            ..
        },
        f,
    ) = gated(10);
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..10u64)
        .map_async(2, f)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error(|e| e.rule() == Some(reactive_streams::Rule::NON_POSITIVE_REQUEST));
    assert_eq!(running.now(), 0);
}

#[test]
fn an_upstream_error_drops_the_running_futures() {
    let (
        Gates {
            gates: _gates,
            running,
            ..
        },
        f,
    ) = gated(10);
    let error = Error::new("upstream failed");
    let ts = TestSubscriber::<u64>::unbounded();
    items_then_error(3, error.clone())
        .map_async(4, f)
        .subscribe(ts.clone());
    ts.assert_no_values();
    assert!(ts.error().unwrap().ptr_eq(&error));
    assert_eq!(running.now(), 0);
}

fn map_async_of(items: &[u64], concurrency: usize, ordered: bool) -> BoxPublisher<u64> {
    let up = source::from_iter(items.to_vec());
    if ordered {
        up.map_async(concurrency, |x| later(x * 7)).boxed()
    } else {
        up.map_async_unordered(concurrency, |x| later(x * 7))
            .boxed()
    }
}

proptest! {
    #![proptest_config(crate::model::config())]

    /// Ordered, with futures finishing on another thread, under random
    /// demand: `Iterator::map`, never beyond demand.
    #[test]
    fn ordered_matches_iterator_map(
        items in proptest::collection::vec(0u64..1000, 0..40),
        concurrency in 1usize..6,
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = items.iter().map(|x| x * 7).collect();
        crate::model::check_model(
            || map_async_of(&items, concurrency, true),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }

    /// Unordered, the same way: every item exactly once, in any order.
    #[test]
    fn unordered_delivers_every_item_once(
        items in proptest::collection::vec(0u64..1000, 0..40),
        concurrency in 1usize..6,
        schedule in crate::model::schedule(),
    ) {
        let sources: Vec<Vec<u64>> = items.iter().map(|x| vec![x * 7]).collect();
        let indexed: Vec<(usize, u64)> = items.iter().copied().enumerate().collect();
        crate::model::check_model_interleaved(
            || {
                source::from_iter(indexed.clone())
                    .map_async_unordered(concurrency, |(i, x)| later((i, x * 7)))
                    .boxed()
            },
            &sources,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }

    /// Futures finishing in a random order (on another thread) while random
    /// demand arrives: ordered keeps the item order, unordered delivers all;
    /// never more than `concurrency` futures run, and never more than the
    /// window of items is held.
    #[test]
    fn random_completion_order_keeps_the_bounds(
        (n, order) in (1usize..30).prop_flat_map(|n| (Just(n), Just((0..n).collect::<Vec<_>>()).prop_shuffle())),
        concurrency in 1usize..6,
        buffer in 0usize..6,
        ordered in any::<bool>(),
        demand in proptest::collection::vec(1u64..5, 0..10),
    ) {
        let (Gates { gates, running, started, .. }, _) = gated(n);
        let emitted = Arc::new(AtomicUsize::new(0));
        let held_max = Arc::new(AtomicUsize::new(0));
        let f = {
            let (gates, running, started) = (gates.clone(), Arc::clone(&running), Arc::clone(&started));
            let (emitted, held_max) = (Arc::clone(&emitted), Arc::clone(&held_max));
            move |x: u64| {
                // Called in the drain, as the emissions are: the count is exact.
                let held = started.fetch_add(1, Ordering::SeqCst) + 1 - emitted.load(Ordering::SeqCst);
                held_max.fetch_max(held, Ordering::SeqCst);
                gates[x as usize].future(x, Arc::clone(&running))
            }
        };
        let upstream = source::range(0..n as u64);
        let stage = if ordered {
            upstream.map_async(concurrency, f).buffer(buffer).boxed()
        } else {
            upstream.map_async_unordered(concurrency, f).buffer(buffer).boxed()
        };
        let counter = Arc::clone(&emitted);
        let ts = TestSubscriber::new(0);
        stage
            .inspect(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .subscribe(ts.clone());
        let opener = {
            let gates = gates.clone();
            thread::spawn(move || {
                for i in order {
                    gates[i].open();
                    thread::yield_now();
                }
            })
        };
        for n in demand {
            ts.request(n);
        }
        opener.join().unwrap();
        ts.request(UNBOUNDED);
        ts.await_terminal(WAIT).assert_complete().assert_no_violations();
        let mut values = ts.values();
        if !ordered {
            values.sort_unstable();
        }
        prop_assert_eq!(values, (0..n as u64).collect::<Vec<_>>());
        prop_assert!(running.max() <= concurrency, "{} futures ran at once", running.max());
        prop_assert_eq!(running.now(), 0);
        let window = (concurrency + buffer).max(1);
        prop_assert!(held_max.load(Ordering::SeqCst) <= window, "held {} > window {}", held_max.load(Ordering::SeqCst), window);
    }
}
