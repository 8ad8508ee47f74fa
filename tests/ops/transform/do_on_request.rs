use std::sync::{Arc, Mutex};

use reactive_streams::{
    source, Error, ErrorKind, Publisher, PublisherExt, Rule, Subscriber, Subscription,
    TestSubscriber,
};

use crate::harness::*;

fn logged<P: Publisher<Item = u64> + 'static>(
    upstream: P,
) -> (reactive_streams::BoxPublisher<u64>, Arc<Mutex<Vec<u64>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requests);
    let publisher = upstream
        .do_on_request(move |n| log.lock().unwrap().push(n))
        .boxed();
    (publisher, requests)
}

#[test]
fn scenarios() {
    assert_emits(
        || source::range(0..6u64).do_on_request(|_| {}).boxed(),
        &[0, 1, 2, 3, 4, 5],
    );
}

#[test]
fn sees_each_request_before_it_goes_upstream() {
    let probe = CancelProbe::new(source::range(0..10u64));
    let (publisher, requests) = logged(probe.publisher());
    let ts = TestSubscriber::new(2);
    publisher.subscribe(ts.clone());
    ts.request(3);
    ts.request(1);
    ts.assert_values(&[0, 1, 2, 3, 4, 5]);
    assert_eq!(*requests.lock().unwrap(), [2, 3, 1]);
    assert_eq!(probe.requests(), [2, 3, 1]);
    // §3.6: after cancel, requests do nothing and are not shown.
    ts.cancel();
    ts.request(4);
    assert_eq!(*requests.lock().unwrap(), [2, 3, 1]);
    assert!(probe.was_cancelled());
}

#[test]
fn request_zero_is_shown_and_fails_with_rule_3_9() {
    let (publisher, requests) = logged(source::range(0..10u64));
    let ts = TestSubscriber::new(0);
    publisher.subscribe(ts.clone());
    ts.request(0);
    ts.assert_error_kind(ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
    assert_eq!(*requests.lock().unwrap(), [0]);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(|up| up.do_on_request(|_| {}).boxed(), &[0, 1, 2]);
}

#[test]
fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
    // The second request (made from inside on_next of item 0) panics.
    let probe = CancelProbe::new(source::range(0..100u64));
    let calls = Arc::new(Mutex::new(0));
    let count = Arc::clone(&calls);
    let ts = TestSubscriber::<u64>::new(1);
    struct RequestInOnNext(TestSubscriber<u64>, Option<Arc<dyn Subscription>>);
    impl Subscriber<u64> for RequestInOnNext {
        fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
            self.1 = Some(Arc::clone(&s));
            self.0.on_subscribe(s);
        }
        fn on_next(&mut self, item: u64) {
            self.0.on_next(item);
            if let Some(s) = &self.1 {
                s.request(1);
            }
        }
        fn on_error(&mut self, e: Error) {
            self.0.on_error(e);
        }
        fn on_complete(&mut self) {
            self.0.on_complete();
        }
    }
    probe
        .publisher()
        .do_on_request(move |_| {
            let mut calls = count.lock().unwrap();
            *calls += 1;
            if *calls == 2 {
                panic!("request hook failed");
            }
        })
        .subscribe(RequestInOnNext(ts.clone(), None));
    ts.await_terminal(WAIT)
        .assert_values(&[0])
        .assert_error_kind(ErrorKind::Panic)
        .assert_error_message("request hook failed");
    assert!(probe.was_cancelled(), "upstream was not cancelled");
    // The failed request did not go upstream.
    assert_eq!(probe.requests(), [1]);
}

#[test]
fn panic_in_the_closure_on_another_thread_reaches_an_idle_stream() {
    let probe = CancelProbe::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::new(2);
    probe
        .publisher()
        .do_on_request(|n| {
            if n == 5 {
                panic!("no fives");
            }
        })
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1]).assert_not_terminated();
    let requester = ts.clone();
    std::thread::spawn(move || requester.request(5))
        .join()
        .unwrap();
    ts.await_terminal(WAIT)
        .assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic)
        .assert_no_violations();
    assert!(probe.was_cancelled());
    // Nothing more, whatever is requested.
    ts.request(3);
    ts.assert_values(&[0, 1]);
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Identity against the iterator, under random demand (every signal goes
    /// through the tap's drain).
    #[test]
    fn passes_every_item_unchanged(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
        crate::model::check_model(
            || source::from_iter(items.clone()).do_on_request(|_| {}).boxed(),
            &items,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }
}
