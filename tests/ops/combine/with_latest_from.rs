use reactive_streams::source::{self, Emitter, Overflow};
use reactive_streams::{
    Error, ErrorKind, Publisher, PublisherExt, Rule, TestSubscriber, UNBOUNDED,
};

use super::{threaded, threaded_then_error, RequestLog};
use crate::harness::*;

#[test]
fn scenarios() {
    assert_emits(
        || {
            source::range(0..10u64)
                .with_latest_from(source::just(100u64), |x, latest| x + latest)
                .boxed()
        },
        &(100..110).collect::<Vec<_>>(),
    );
}

#[test]
fn the_main_source_on_another_thread() {
    assert_emits(
        || {
            threaded((0..100u64).collect())
                .with_latest_from(source::just(1000u64), |x, latest| x + latest)
                .boxed()
        },
        &(1000..1100).collect::<Vec<_>>(),
    );
}

#[test]
fn combines_with_the_last_item_of_a_finished_other() {
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .with_latest_from(source::from_iter(vec![1u64, 2, 3]), |x, latest| {
            x * 10 + latest
        })
        .subscribe(ts.clone());
    ts.assert_values(&[3, 13, 23]).assert_complete();
}

#[test]
fn the_other_is_requested_unbounded() {
    let other = RequestLog::new(source::range(0..5u64));
    let ts = TestSubscriber::new(1);
    source::range(0..3u64)
        .with_latest_from(other.publisher(), |x, latest| x + latest)
        .subscribe(ts.clone());
    assert_eq!(other.requests(), [UNBOUNDED]);
    ts.assert_values(&[4]);
}

#[test]
fn items_need_not_be_clone() {
    struct Token(u64);
    let ts = TestSubscriber::unbounded();
    source::range(0..3u64)
        .with_latest_from(source::just(7u64).map(Token), |x, latest| x + latest.0)
        .subscribe(ts.clone());
    ts.assert_values(&[7, 8, 9]).assert_complete();
}

#[test]
fn main_items_before_the_others_first_are_dropped_without_a_request() {
    // The main source emits through `try_on_next`: a dropped item is replaced
    // at once, with no request.
    let main = RequestLog::new(source::range(0..5u64));
    let ts = TestSubscriber::<u64>::new(2);
    main.publisher()
        .with_latest_from(source::never::<u64>(), |x, latest| x + latest)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert_eq!(main.requests(), [2]);
}

#[test]
fn main_items_before_the_others_first_are_replaced_by_requests() {
    // `create` delivers through `on_next`: each dropped item costs a
    // request(1), so all five are pulled with a demand of 2.
    let main = RequestLog::new(source::create(
        Overflow::Unbounded,
        |emitter: Emitter<u64>| {
            for i in 0..5 {
                let _ = emitter.next(i);
            }
        },
    ));
    let ts = TestSubscriber::<u64>::new(2);
    main.publisher()
        .with_latest_from(source::never::<u64>(), |x, latest| x + latest)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_no_values().assert_complete();
    assert_eq!(main.requests(), [2, 1, 1, 1, 1, 1]);
}

#[test]
fn an_other_that_completes_empty_completes_at_once() {
    let main = RequestLog::new(source::range(0..100u64));
    let ts = TestSubscriber::<u64>::unbounded();
    main.publisher()
        .with_latest_from(source::empty::<u64>(), |x, latest| x + latest)
        .subscribe(ts.clone());
    ts.assert_no_values().assert_complete();
    assert_eq!(main.items(), 0);
}

#[test]
fn error_passes_through() {
    assert_error_passes_through(
        |up| {
            up.with_latest_from(source::just(10u64), |x, latest| x + latest)
                .boxed()
        },
        &[10, 11, 12],
    );
}

#[test]
fn an_error_of_the_other_cancels_the_main() {
    let main = RequestLog::new(source::never::<u64>());
    let (tx, rx) = std::sync::mpsc::channel();
    let other = source::create(Overflow::Unbounded, move |emitter: Emitter<u64>| {
        tx.send(emitter).unwrap();
    });
    let ts = TestSubscriber::<u64>::unbounded();
    main.publisher()
        .with_latest_from(other, |x, l| x + l)
        .subscribe(ts.clone());
    let emitter = rx.recv().unwrap();
    assert_eq!(main.subscribed(), 1);
    // From another thread, while the main is subscribed and idle.
    let error = Error::new("other failed");
    let failure = error.clone();
    std::thread::spawn(move || emitter.error(failure))
        .join()
        .unwrap();
    ts.await_terminal(WAIT).assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
    assert!(main.was_cancelled());
}

#[test]
fn an_error_of_the_other_on_its_own_thread_passes_through() {
    let error = Error::new("other failed");
    let ts = TestSubscriber::<u64>::unbounded();
    source::never::<u64>()
        .with_latest_from(threaded_then_error(vec![1u64], error.clone()), |x, l| x + l)
        .subscribe(ts.clone());
    ts.await_terminal(WAIT).assert_no_values();
    assert!(ts.error().expect("the error").ptr_eq(&error));
}

#[test]
fn panic_in_the_function_cancels_both_and_fails_downstream() {
    assert_panic_becomes_error(|up| {
        up.with_latest_from(source::just(0u64), |x, _| panic_on_2(x))
            .boxed()
    });
    let other = RequestLog::new(source::just(0u64).concat_with(source::never()));
    let ts = TestSubscriber::<u64>::unbounded();
    source::range(0..10u64)
        .with_latest_from(other.publisher(), |x, _| panic_on_2(x))
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic);
    assert!(other.was_cancelled());
}

#[test]
fn cancel_cancels_both() {
    let main = RequestLog::new(source::range(0..100u64));
    let other = RequestLog::new(source::just(0u64).concat_with(source::never()));
    let ts = TestSubscriber::<u64>::new(3);
    main.publisher()
        .with_latest_from(other.publisher(), |x, l| x + l)
        .subscribe(ts.clone());
    ts.assert_values(&[0, 1, 2]);
    ts.cancel();
    assert!(main.was_cancelled() && other.was_cancelled());
    ts.request(5);
    ts.assert_value_count(3);
    assert!(!ts.is_terminated());
}

#[test]
fn request_zero_is_a_rule_3_9_error() {
    let ts = TestSubscriber::<u64>::new(1);
    source::range(0..5u64)
        .with_latest_from(source::just(0u64), |x, l| x + l)
        .subscribe(ts.clone());
    ts.request(0);
    ts.assert_values(&[0])
        .assert_error_kind(ErrorKind::SpecViolation(Rule::new(3, 9)));
}

proptest::proptest! {
    #![proptest_config(crate::model::config())]

    /// Synchronous sources: the other runs to its end first, so the model is
    /// "every main item with the other's last" (nothing if the other is
    /// empty).
    #[test]
    fn matches_the_model(
        main in proptest::collection::vec(0u64..1000, 0..60),
        other in proptest::collection::vec(0u64..1000, 0..5),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = match other.last() {
            Some(last) => main.iter().map(|x| x * 1000 + last).collect(),
            None => Vec::new(),
        };
        crate::model::check_model(
            || {
                source::from_iter(main.clone())
                    .with_latest_from(source::from_iter(other.clone()), |x, l| x * 1000 + l)
                    .boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Sync,
            &schedule,
        )?;
    }

    /// The main source on a thread of its own.
    #[test]
    fn matches_the_model_across_threads(
        main in proptest::collection::vec(0u64..1000, 0..60),
        schedule in crate::model::schedule(),
    ) {
        let reference: Vec<u64> = main.iter().map(|x| x * 1000 + 7).collect();
        crate::model::check_model(
            || {
                threaded(main.clone())
                    .with_latest_from(source::just(7u64), |x, l| x * 1000 + l)
                    .boxed()
            },
            &reference,
            crate::model::ModelEnd::Complete,
            crate::model::Mode::Async,
            &schedule,
        )?;
    }
}
