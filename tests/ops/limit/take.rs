use reactive_streams::{
    source, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use crate::harness::*;
use crate::limit::probe::DemandProbe;
use crate::limit::pushed::pushed;

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..100u64).take(6).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
    // A shorter stream passes whole.
    assert_emits(|| source::range(0..3u64).take(10).boxed(), &[0, 1, 2]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.take(10).boxed(), &[0, 1, 2]);
}

#[test]
fn after_n_items_cancels_upstream_and_completes() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::unbounded();
    probe.publisher().take(3).subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2])
        .assert_complete()
        .assert_no_violations();
    assert!(probe.was_cancelled());
    assert_eq!(probe.emitted(), 3);
}

#[test]
fn upstream_is_never_asked_for_more_than_n_in_total() {
    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::unbounded();
    probe.publisher().take(5).subscribe(ts.clone());
    assert_eq!(probe.requests(), [5]);

    let probe = DemandProbe::new(source::range(0..u64::MAX));
    let ts = TestSubscriber::new(3);
    probe.publisher().take(5).subscribe(ts.clone());
    ts.request(10);
    ts.request(10);
    ts.assert_values(&[0, 1, 2, 3, 4]).assert_complete();
    assert_eq!(probe.requests(), [3, 2]);
}

#[test]
fn take_zero_subscribes_cancels_and_completes_at_once() {
    let probe = DemandProbe::new(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    probe.publisher().take(0).subscribe(ts.clone());
    ts.assert_subscribed().assert_no_values().assert_complete();
    assert!(probe.was_subscribed());
    assert!(probe.was_cancelled());
    ts.request(5);
    assert!(
        probe.requests().is_empty(),
        "asked upstream for {:?}",
        probe.requests()
    );
    ts.assert_no_violations();
}

#[test]
fn request_zero_fails_with_rule_3_9() {
    let ts = TestSubscriber::<u64>::new(0);
    source::range(0..10u64).take(5).subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
}

#[test]
fn a_cancel_inside_the_last_on_next_wins() {
    // The subscriber cancels from inside the n-th item's on_next: no
    // on_complete may follow.
    use reactive_streams::{Error, Subscriber, Subscription};
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Seen {
        items: Vec<u64>,
        completed: bool,
    }
    struct CancelAt2(Arc<Mutex<Seen>>, Option<Arc<dyn Subscription>>);
    impl Subscriber<u64> for CancelAt2 {
        fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
            s.request(UNBOUNDED);
            self.1 = Some(s);
        }
        fn on_next(&mut self, item: u64) {
            self.0.lock().unwrap().items.push(item);
            if item == 2 {
                self.1.as_ref().unwrap().cancel();
            }
        }
        fn on_error(&mut self, _: Error) {}
        fn on_complete(&mut self) {
            self.0.lock().unwrap().completed = true;
        }
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    source::range(0..10u64)
        .take(3)
        .subscribe(CancelAt2(Arc::clone(&seen), None));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.items, [0, 1, 2]);
    assert!(!seen.completed, "on_complete after a cancel inside on_next");
}

#[test]
fn a_dropping_downstream_gets_its_replacements_within_the_cap() {
    // `pushed` counts every on_next; the filter after take requests its own
    // replacements through take's capped subscription.
    let probe = DemandProbe::new(pushed((0..20).collect()));
    let ts = TestSubscriber::new(2);
    probe
        .publisher()
        .take(6)
        .filter(|x| x % 2 == 0)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 2]);
    ts.request(10);
    ts.assert_values(&[0, 2, 4])
        .assert_complete()
        .assert_no_violations();
    assert!(
        probe.requested() <= 6,
        "asked upstream for {:?}",
        probe.requests()
    );
}

#[test]
fn from_another_thread() {
    let ts = TestSubscriber::unbounded();
    source::create(source::Overflow::Unbounded, |emitter| {
        std::thread::spawn(move || {
            for i in 0..100u64 {
                if emitter.next(i).is_err() {
                    break;
                }
            }
            emitter.complete();
        });
    })
    .take(10)
    .subscribe(ts.clone());
    ts.await_terminal(WAIT)
        .assert_values(&(0..10).collect::<Vec<_>>())
        .assert_complete()
        .assert_no_violations();
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Against `Iterator::take`, under random demand.
    #[test]
    fn matches_iterator_take(items in proptest::collection::vec(0u64..1000, 0..40), n in 0u64..50, schedule in crate::model::schedule()) {
        let reference: Vec<u64> = items.iter().copied().take(n as usize).collect();
        crate::model::check_model(
            || source::from_iter(items.clone()).take(n).boxed(),
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
