use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reactive_streams::scheduler::{self, VirtualTimeScheduler};
use reactive_streams::source::{self, PollConfig};
use reactive_streams::{Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber};

use crate::time::support::*;

/// A poller over a counter: item `n` is the n-th poll that found something.
fn counter() -> impl FnMut() -> Result<Option<u64>, Error> + Clone + Send + Sync + 'static {
    let next = Arc::new(AtomicU64::new(0));
    move || Ok(Some(next.fetch_add(1, Ordering::Relaxed)))
}

fn config() -> PollConfig {
    PollConfig::new(ms(10), ms(1280)).initial(ms(80)).batch(4)
}

#[test]
fn scenarios() {
    assert_emits_in_virtual_time(
        |vts| {
            source::poll_adaptive_on(config(), vts, counter())
                .take(10)
                .boxed()
        },
        &(0..10).collect::<Vec<_>>(),
        ms(10),
    );
}

/// No demand: the interval doubles up to `max`, and nothing is polled.
#[test]
fn heavy_backpressure_slows_down_to_max() {
    let vts = VirtualTimeScheduler::new();
    let polls = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&polls);
    let poller = source::poll_adaptive_on(config(), &vts, move || {
        seen.fetch_add(1, Ordering::Relaxed);
        Ok(Some(0u8))
    });
    let ts = TestSubscriber::new(0);
    poller.subscribe(ts.clone());
    let mut intervals = Vec::new();
    for _ in 0..12 {
        vts.advance_by(poller.interval());
        intervals.push(poller.interval().as_millis());
    }
    assert_eq!(&intervals[..5], [160, 320, 640, 1280, 1280]);
    assert!(intervals[4..].iter().all(|&i| i == 1280), "{intervals:?}");
    assert_eq!(polls.load(Ordering::Relaxed), 0, "polled without demand");
    ts.cancel();
    assert_eq!(vts.pending_tasks(), 0);
}

/// Unbounded demand: the interval halves down to `min`, each tick a batch.
#[test]
fn no_backpressure_speeds_up_to_min() {
    let vts = VirtualTimeScheduler::new();
    let poller = source::poll_adaptive_on(config(), &vts, counter());
    let ts = TestSubscriber::unbounded();
    poller.subscribe(ts.clone());
    let mut intervals = Vec::new();
    for _ in 0..8 {
        vts.advance_by(poller.interval());
        intervals.push(poller.interval().as_millis());
    }
    assert_eq!(intervals, [40, 20, 10, 10, 10, 10, 10, 10]);
    assert_eq!(ts.item_count(), 8 * 4, "a batch a tick");
    ts.cancel();
}

/// A consumer that takes `per_second` items: the interval settles where
/// the ticks meet its demand, in a band of one factor of two (it never
/// swings from `min` to `max`), and the rate delivered converges to the
/// consumer's.
#[test]
fn a_steady_consumer_settles_the_interval_in_a_band() {
    for per_100ms in [1u64, 4, 10] {
        let vts = VirtualTimeScheduler::new();
        let poller = source::poll_adaptive_on(config(), &vts, counter());
        let ts = TestSubscriber::new(0);
        poller.subscribe(ts.clone());
        let mut intervals = Vec::new();
        for _ in 0..600 {
            ts.request(per_100ms);
            vts.advance_by(ms(100));
            intervals.push(poller.interval());
        }
        let settled = &intervals[100..];
        let (low, high) = (
            settled.iter().min().copied().unwrap(),
            settled.iter().max().copied().unwrap(),
        );
        assert!(high <= low * 4, "{per_100ms}/100ms: {low:?}..{high:?}");
        let delivered = ts.item_count() as u64;
        let asked = 600 * per_100ms;
        assert!(
            asked - delivered <= 8,
            "{per_100ms}/100ms: {delivered} of {asked}"
        );
        ts.cancel();
    }
}

/// Between none and heavy (some demand, less than a batch): the interval
/// holds.
#[test]
fn partial_demand_holds_the_interval() {
    let vts = VirtualTimeScheduler::new();
    let poller = source::poll_adaptive_on(config(), &vts, || Ok(None::<u8>));
    let ts = TestSubscriber::new(2); // below the batch of 4; never used up
    poller.subscribe(ts.clone());
    for _ in 0..5 {
        vts.advance_by(ms(80));
        assert_eq!(poller.interval(), ms(80));
    }
    ts.cancel();
}

#[test]
fn an_error_from_the_poll_ends_the_stream() {
    let vts = VirtualTimeScheduler::new();
    let mut n = 0;
    let ts = TestSubscriber::unbounded();
    source::poll_adaptive_on(config(), &vts, move || {
        n += 1;
        if n == 3 {
            Err(Error::new("the system is down"))
        } else {
            Ok(Some(n))
        }
    })
    .subscribe(ts.clone());
    vts.advance_by(ms(80));
    ts.assert_values(&[1, 2])
        .assert_error_message("the system is down");
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_panic_in_the_poll_becomes_the_error() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u8>::unbounded();
    source::poll_adaptive_on(config(), &vts, || panic!("poll failed")).subscribe(ts.clone());
    vts.advance_by(ms(80));
    ts.assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn request_zero_is_the_spec_error() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::new(0);
    source::poll_adaptive_on(config(), &vts, counter()).subscribe(ts.clone());
    ts.request(0);
    vts.run_due();
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(vts.pending_tasks(), 0);
}

#[test]
fn a_scheduler_without_timers_fails_the_stream() {
    let ts = TestSubscriber::<u64>::unbounded();
    source::poll_adaptive_on(config(), scheduler::immediate(), counter()).subscribe(ts.clone());
    ts.assert_error_kind(ErrorKind::Rejected);
    assert_disposal_fails(
        |vts| source::poll_adaptive_on(config(), vts, counter()).boxed(),
        ms(100),
    );
}

#[test]
fn cancel_drops_the_subscriber_and_the_timer() {
    let vts = VirtualTimeScheduler::new();
    let ts = TestSubscriber::<u64>::unbounded();
    source::poll_adaptive_on(config(), &vts, counter()).subscribe(ts.clone());
    vts.advance_by(ms(80));
    ts.cancel();
    vts.advance_by(Duration::from_secs(10));
    assert_eq!(ts.item_count(), 4);
    assert_eq!(vts.pending_tasks(), 0);
}
