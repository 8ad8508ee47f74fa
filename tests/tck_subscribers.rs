//! The Reactive Streams TCK over the subscribers this crate ships.
//!
//! Each subscriber's verification sits in its own module, so that
//! `cargo test --test tck_subscribers lambda` runs one subscriber and
//! `cargo test --test tck_subscribers spec209` one rule across all of them.
//!
//! - [`LambdaSubscriber`] is verified as a blackbox (it has no hook for a
//!   probe), with unbounded demand and with a prefetch.
//! - [`TestSubscriber`] is verified as a whitebox, wrapped so that it reports
//!   to the probe; its own `request` and `cancel` are the puppet. Boxed, it
//!   is also verified as a blackbox, nudged by a trigger over its handle.
//! - The subscriber behind `into_stream` is verified as a blackbox, with its
//!   stream polled by a thread of its own.

use std::sync::Arc;

use reactive_streams::{
    BoxSubscriber, Error, LambdaSubscriber, Subscriber, Subscription, TestSubscriber,
};
use reactive_streams_tck::probe::{SubscriberPuppet, WhiteboxSubscriberProbe};
use reactive_streams_tck::{SubscriberBlackboxVerification, SubscriberWhiteboxVerification};

/// `LambdaSubscriber::new(..)`: unbounded demand.
mod lambda {
    use super::*;

    struct Lambda;

    impl SubscriberBlackboxVerification for Lambda {
        type Item = u64;
        type Subscriber = BoxSubscriber<u64>;

        fn create_subscriber(&self) -> BoxSubscriber<u64> {
            Box::new(LambdaSubscriber::new(|_: u64| {}))
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    reactive_streams_tck::subscriber_blackbox_verification_tests!(Lambda);
}

/// `LambdaSubscriber::new(..).prefetch(4)`: 4 at first, then 3 every 3 items
/// (the 75% rule).
mod lambda_prefetch {
    use super::*;

    struct LambdaPrefetch;

    impl SubscriberBlackboxVerification for LambdaPrefetch {
        type Item = u64;
        type Subscriber = BoxSubscriber<u64>;

        fn create_subscriber(&self) -> BoxSubscriber<u64> {
            Box::new(LambdaSubscriber::new(|_: u64| {}).prefetch(4))
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    reactive_streams_tck::subscriber_blackbox_verification_tests!(LambdaPrefetch);
}

/// `TestSubscriber::new(0)`, reporting to the probe: the TCK drives its
/// demand through `TestSubscriber::request` and `TestSubscriber::cancel`.
mod test_subscriber {
    use super::*;

    struct Probed {
        subscriber: TestSubscriber<u64>,
        probe: WhiteboxSubscriberProbe<u64>,
    }

    /// The puppet: the test subscriber's own handle.
    struct Puppet(TestSubscriber<u64>);

    impl SubscriberPuppet for Puppet {
        fn trigger_request(&self, n: u64) {
            self.0.request(n);
        }

        fn signal_cancel(&self) {
            self.0.cancel();
        }
    }

    impl Subscriber<u64> for Probed {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            // The test subscriber cancels a second subscription itself (§2.5);
            // the probe keeps the first puppet only.
            self.subscriber.on_subscribe(subscription);
            self.probe
                .register_on_subscribe(Puppet(self.subscriber.clone()));
        }

        fn on_next(&mut self, item: u64) {
            self.subscriber.on_next(item);
            self.probe.register_on_next(item);
        }

        fn on_error(&mut self, error: Error) {
            self.subscriber.on_error(error.clone());
            self.probe.register_on_error(error);
        }

        fn on_complete(&mut self) {
            self.subscriber.on_complete();
            self.probe.register_on_complete();
        }
    }

    struct Verification;

    impl SubscriberWhiteboxVerification for Verification {
        type Item = u64;
        type Subscriber = Probed;

        fn create_subscriber(&self, probe: WhiteboxSubscriberProbe<u64>) -> Probed {
            Probed {
                subscriber: TestSubscriber::new(0),
                probe,
            }
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    reactive_streams_tck::subscriber_whitebox_verification_tests!(Verification);
}

/// `TestSubscriber::new(0)` boxed, as a blackbox: it requests nothing on its
/// own, and a `BoxSubscriber` offers the `trigger_request` hook nothing to
/// call, so it comes with a trigger over a clone of its handle.
mod test_subscriber_boxed {
    use super::*;
    use reactive_streams_tck::subscriber_blackbox::RequestTrigger;

    struct Boxed;

    impl SubscriberBlackboxVerification for Boxed {
        type Item = u64;
        type Subscriber = BoxSubscriber<u64>;

        fn create_subscriber(&self) -> BoxSubscriber<u64> {
            self.create_subscriber_and_trigger().0
        }

        fn create_subscriber_and_trigger(&self) -> (BoxSubscriber<u64>, Option<RequestTrigger>) {
            let subscriber = TestSubscriber::new(0);
            let handle = subscriber.clone();
            (
                Box::new(subscriber),
                Some(Box::new(move || handle.request(1))),
            )
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    reactive_streams_tck::subscriber_blackbox_verification_tests!(Boxed);
}

/// The subscriber behind `into_stream` ([`interop::stream_subscriber`]),
/// verified as a blackbox: its stream is polled to the end by a thread of
/// its own under `block_on`, so the subscriber replenishes its prefetch (4,
/// then 3 every 3 items) as the stream takes items. The thread ends when the
/// stream does (the subscriber dropped without a terminal signal ends it
/// too).
mod stream_subscriber {
    use futures::StreamExt;
    use reactive_streams::interop;

    use super::*;

    struct Verification;

    impl SubscriberBlackboxVerification for Verification {
        type Item = u64;
        type Subscriber = BoxSubscriber<u64>;

        fn create_subscriber(&self) -> BoxSubscriber<u64> {
            let (subscriber, stream) = interop::stream_subscriber::<u64>(4);
            std::thread::spawn(move || {
                futures::executor::block_on(stream.for_each(|_| async {}));
            });
            Box::new(subscriber)
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    reactive_streams_tck::subscriber_blackbox_verification_tests!(Verification);
}
