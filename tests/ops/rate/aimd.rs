use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reactive_streams::ops::{AimdConfig, Rate};
use reactive_streams::scheduler::VirtualTimeScheduler;
use reactive_streams::{source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::harness::{assert_emits, assert_error_passes_through};
use crate::time::support::*;

#[test]
fn scenarios() {
    for config in [AimdConfig::new(1, 1), AimdConfig::new(2, 16).initial(8)] {
        assert_emits(
            move || source::range(0..20u64).aimd(config).boxed(),
            &(0..20).collect::<Vec<_>>(),
        );
    }
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.aimd(AimdConfig::new(2, 8)).boxed(), &[0, 1, 2]);
}

/// A consumer that can take `per_tick` items a tick: it keeps its
/// outstanding demand at `per_tick`, no more (it does not bank demand).
fn top_up(ts: &TestSubscriber<u64>, requested: &mut u64, per_tick: u64) {
    let owed = *requested - ts.item_count() as u64;
    if owed < per_tick {
        ts.request(per_tick - owed);
        *requested += per_tick - owed;
    }
}

/// Drives `range -> throttle_rate(source_rate) -> aimd -> consumer`, the
/// consumer taking `per_tick` items every 10 ms of virtual time, for
/// `ticks` ticks. Returns the window after each tick and checks, at each,
/// that the window is within its bounds and that what is requested and
/// not yet delivered never exceeds the largest window.
fn drive(config: AimdConfig, source_per_second: u64, per_tick: u64, ticks: usize) -> Vec<u64> {
    let vts = VirtualTimeScheduler::new();
    let probe = RequestProbe::new(source::range(0..u64::MAX));
    let aimd = probe
        .publisher()
        .throttle_rate_on(Rate::per_second(source_per_second), 10, &vts)
        .aimd(config);
    let handle = aimd.handle();
    let ts = TestSubscriber::new(0);
    aimd.subscribe(ts.clone());
    let mut windows = Vec::new();
    let mut requested = 0;
    for _ in 0..ticks {
        top_up(&ts, &mut requested, per_tick);
        vts.advance_by(ms(10));
        let window = handle.window();
        assert!(
            (config.min()..=config.max()).contains(&window),
            "window {window} out of bounds"
        );
        let ahead = probe.emitted() - ts.item_count() as u64;
        assert!(ahead <= config.max(), "{ahead} items held");
        windows.push(window);
    }
    ts.cancel();
    windows
}

/// A consumer slower than the source: backpressured, the window falls to
/// the bottom of its range and stays in a band there (measured: it moves
/// between `min` and `min + 2 × step`).
#[test]
fn a_slow_consumer_shrinks_the_window_into_a_low_band() {
    let config = AimdConfig::new(2, 64).initial(64).step(1);
    let windows = drive(config, 1000, 2, 1000); // consumer: 200/s
    let settled = &windows[100..];
    assert!(
        settled.iter().all(|&w| (2..=4).contains(&w)),
        "outside the band: {settled:?}"
    );
}

/// A consumer faster than the source: it keeps up, the window grows to
/// `max` and stays there (no oscillation).
#[test]
fn a_fast_consumer_grows_the_window_to_max_and_holds_it() {
    let config = AimdConfig::new(2, 32).step(2);
    let windows = drive(config, 1000, 100, 500); // consumer: 10 000/s
    let settled = &windows[200..];
    assert!(settled.iter().all(|&w| w == 32), "{settled:?}");
}

/// The window follows a change of consumer: down when it slows, back up
/// when it speeds up again.
#[test]
fn the_window_follows_the_consumer() {
    let vts = VirtualTimeScheduler::new();
    let aimd = source::range(0..u64::MAX)
        .throttle_rate_on(Rate::per_second(1000), 10, &vts)
        .aimd(AimdConfig::new(1, 16).initial(16));
    let handle = aimd.handle();
    let ts = TestSubscriber::new(0);
    aimd.subscribe(ts.clone());
    let mut requested = 0;
    for (per_tick, low, high) in [(1, 1, 3), (100, 16, 16), (1, 1, 3)] {
        for _ in 0..500 {
            top_up(&ts, &mut requested, per_tick);
            vts.advance_by(ms(10));
        }
        let window = handle.window();
        assert!(
            (low..=high).contains(&window),
            "{window} after {per_tick}/tick"
        );
    }
    assert!(handle.increases() > 0 && handle.decreases() > 0);
    ts.cancel();
}

#[test]
fn a_latency_above_the_limit_shrinks_the_window() {
    let aimd = source::range(0..20_000u64).aimd(
        AimdConfig::new(1, 64)
            .initial(64)
            .latency_limit(Duration::from_millis(100)),
    );
    let handle = aimd.handle();
    let latency = Arc::new(AtomicU64::new(150));
    let (reporter, measured) = (handle.clone(), Arc::clone(&latency));
    let ts = TestSubscriber::new(0);
    // The sink reports each item's latency; it keeps up (no backpressure).
    aimd.map(move |x| {
        reporter.report_latency(Duration::from_millis(measured.load(Ordering::Relaxed)));
        x
    })
    .subscribe(ts.clone());
    for _ in 0..100 {
        ts.request(64);
    }
    assert_eq!(handle.window(), 1, "slow items: down to min");
    assert_eq!(handle.increases(), 0, "no increase while congested");
    // Latency back under the limit, and a consumer that takes everything.
    latency.store(50, Ordering::Relaxed);
    ts.request(u64::MAX >> 1);
    ts.assert_complete();
    assert_eq!(handle.window(), 64, "fast again: back up to max");
    ts.cancel();
}

#[test]
fn the_first_request_is_the_initial_window_and_demand_stays_bounded() {
    let probe = RequestProbe::new(source::range(0..1000u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .aimd(AimdConfig::new(4, 8).initial(6))
        .subscribe(ts.clone());
    assert_eq!(probe.requests(), [6]);
    assert_eq!(ts.item_count(), 0);
    ts.request(1000);
    ts.assert_complete();
    assert_eq!(ts.item_count(), 1000);
}

#[test]
fn request_zero_is_the_spec_error() {
    let probe = RequestProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe
        .publisher()
        .aimd(AimdConfig::new(2, 4))
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert!(probe.was_cancelled());
}
