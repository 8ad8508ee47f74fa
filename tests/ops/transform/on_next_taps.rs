//! `inspect` and `do_on_next` are one tap under two names (the Rust name and
//! Reactor's): the same tests run for both.

/// The tests of an on-next tap reached through the method `$tap`.
macro_rules! on_next_tap_tests {
    ($tap:ident) => {
        use std::sync::{Arc, Mutex};

        use reactive_streams::{source, Publisher, PublisherExt, TestSubscriber};

        use crate::harness::*;

        #[test]
        fn scenarios() {
            assert_emits(
                || source::range(0..6u64).$tap(|_| {}).boxed(),
                &[0, 1, 2, 3, 4, 5],
            );
        }

        #[test]
        fn sees_each_delivered_item_once_in_order() {
            let seen = Arc::new(Mutex::new(Vec::new()));
            let log = Arc::clone(&seen);
            let ts = TestSubscriber::new(3);
            source::range(10..20u64)
                .$tap(move |x| log.lock().unwrap().push(*x))
                .subscribe(ts.clone());
            ts.assert_values(&[10, 11, 12]);
            assert_eq!(*seen.lock().unwrap(), [10, 11, 12]);
        }

        #[test]
        fn error_passes_through() {
            assert_error_passes_through(|up| up.$tap(|_| {}).boxed(), &[0, 1, 2]);
        }

        #[test]
        fn panic_in_the_closure_cancels_upstream_and_fails_downstream() {
            assert_panic_becomes_error(|up| {
                up.$tap(|x| {
                    panic_on_2(*x);
                })
                .boxed()
            });
        }

        #[test]
        fn keeps_the_conditional_path() {
            // The tap passes try_on_next through, so a filter after it costs the
            // synchronous source no request per rejected item.
            let probe = CancelProbe::new(source::range(0..100u64));
            let ts = TestSubscriber::new(2);
            probe
                .publisher()
                .$tap(|_| {})
                .filter(|x| x % 10 == 9)
                .subscribe(ts.clone());
            ts.assert_values(&[9, 19]);
            assert_eq!(probe.requests(), [2]);
        }

        proptest::proptest! {
            #![proptest_config(crate::model::config())]

            /// Identity against the iterator under random demand; the closure sees a
            /// prefix of it, in order.
            #[test]
            fn passes_every_item_unchanged(items in proptest::collection::vec(0u64..1000, 0..40), schedule in crate::model::schedule()) {
                let seen = Arc::new(Mutex::new(Vec::new()));
                let log = Arc::clone(&seen);
                crate::model::check_model(
                    || {
                        let log = Arc::clone(&log);
                        source::from_iter(items.clone())
                            .$tap(move |x| log.lock().unwrap().push(*x))
                            .boxed()
                    },
                    &items,
                    crate::model::ModelEnd::Complete,
                    crate::model::Mode::Sync,
                    &schedule,
                )?;
                let seen = seen.lock().unwrap();
                proptest::prop_assert!(seen.len() <= items.len() && seen[..] == items[..seen.len()]);
            }
        }
    };
}

mod inspect {
    on_next_tap_tests!(inspect);
}

mod do_on_next {
    on_next_tap_tests!(do_on_next);
}
