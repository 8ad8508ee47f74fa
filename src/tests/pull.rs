//! The synchronous-source engine, through `range`, with the recording subscriber.

use crate::source;
use crate::tests::recording::{Recorder, Signal};
use crate::traits::Publisher;
use crate::UNBOUNDED;

#[test]
fn emits_exactly_the_demand_then_completes_eagerly() {
    let (recorder, log) = Recorder::new(2, 0);
    source::range(0..3u64).subscribe(recorder);
    assert_eq!(log.items(), [0, 1]);
    log.subscription().request(1);
    assert_eq!(
        log.signals(),
        [
            Signal::Subscribe,
            Signal::Next(0),
            Signal::Next(1),
            Signal::Next(2),
            Signal::Complete
        ]
    );
}

#[test]
fn request_from_inside_on_next_does_not_recurse() {
    // One item per on_next: with recursion, a 10_000-item range would nest
    // 10_000 frames; the drain serves it in one flat loop.
    let n = if cfg!(miri) { 50 } else { 10_000 };
    let (recorder, log) = Recorder::new(1, 1);
    source::range(0..n).subscribe(recorder);
    assert_eq!(log.items().len() as u64, n);
    assert_eq!(log.signals().last(), Some(&Signal::Complete));
}

#[test]
fn cancel_from_the_subscriber_stops_emission() {
    let (recorder, log) = Recorder::new(0, 0);
    source::range(0..100u64).subscribe(recorder);
    let subscription = log.subscription();
    subscription.request(3);
    subscription.cancel();
    subscription.request(10); // §3.6: no-op
    assert_eq!(log.items(), [0, 1, 2]);
    assert!(!log.signals().contains(&Signal::Complete));
}

#[test]
fn request_zero_signals_the_rule_3_9_error_and_nothing_else() {
    let (recorder, log) = Recorder::new(1, 0);
    source::range(0..100u64).subscribe(recorder);
    let subscription = log.subscription();
    subscription.request(0);
    subscription.request(5);
    let signals = log.signals();
    assert_eq!(signals.len(), 3, "{signals:?}");
    assert!(matches!(&signals[2], Signal::Error(m) if m.contains("§3.9")));
}

#[test]
fn unbounded_demand_emits_everything_in_order() {
    let (recorder, log) = Recorder::new(UNBOUNDED, 0);
    source::range(5..9u64).subscribe(recorder);
    assert_eq!(log.items(), [5, 6, 7, 8]);
}

#[test]
fn saturating_demand_becomes_unbounded() {
    let (recorder, log) = Recorder::new(UNBOUNDED / 2, 0);
    source::range(0..6u64).subscribe(recorder);
    let subscription = log.subscription();
    subscription.request(UNBOUNDED / 2);
    subscription.request(u64::MAX);
    assert_eq!(log.items(), [0, 1, 2, 3, 4, 5]);
    assert_eq!(log.signals().last(), Some(&Signal::Complete));
}

#[test]
fn the_subscriber_is_dropped_after_cancel_and_after_completion() {
    // §3.13: the subscription drops the subscriber (here: its `Log` handle).
    let (recorder, log) = Recorder::new(1, 0);
    source::range(0..10u64).subscribe(recorder);
    let subscription = log.subscription();
    assert_eq!(crate::sync::Arc::strong_count(&log), 2);
    subscription.cancel();
    assert_eq!(crate::sync::Arc::strong_count(&log), 1);

    let (recorder, log) = Recorder::new(UNBOUNDED, 0);
    source::range(0..3u64).subscribe(recorder);
    assert_eq!(crate::sync::Arc::strong_count(&log), 1);
    drop(log.subscription());
}

#[test]
fn rejected_items_do_not_count_against_demand() {
    use crate::error::Error;
    use crate::sync::{Arc, Mutex};
    use crate::traits::{Subscriber, Subscription};

    struct Evens(Arc<Mutex<Vec<u64>>>, u32);
    impl Subscriber<u64> for Evens {
        fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
            s.request(3);
        }
        fn on_next(&mut self, _: u64) {
            unreachable!("a synchronous source calls try_on_next");
        }
        fn try_on_next(&mut self, item: u64) -> bool {
            self.1 += 1;
            let keep = item % 2 == 0;
            if keep {
                self.0.lock().push(item);
            }
            keep
        }
        fn on_error(&mut self, _: Error) {}
        fn on_complete(&mut self) {}
    }
    let kept = Arc::new(Mutex::new(Vec::new()));
    source::range(1..100u64).subscribe(Evens(Arc::clone(&kept), 0));
    // Three requested, three kept: the odd ones were pulled in between
    // without any further request.
    assert_eq!(*kept.lock(), [2, 4, 6]);
}
