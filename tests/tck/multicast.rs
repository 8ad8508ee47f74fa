//! The TCK over publish, share, replay, the multicast and unicast processors.
//!
//! The multicast publishers run the publisher verification, whose optional
//! §1.11 tests subscribe several subscribers at once. `publish` and `share`
//! pace every subscriber by the slowest (coordinated emission), so the two
//! §1.11 tests where one subscriber requests while the others do not
//! (`registered_subscribers_must_receive_on_next_or_on_complete_signals`,
//! `..._when_requesting_one_by_one`) skip, as the JVM TCK's lockstep
//! processor does; the other §1.11 tests pass. `replay` serves each
//! subscriber at its own demand and passes all of them. The processors run
//! the identity processor verification.

use reactive_streams::ops::ConnectablePublisher;
use reactive_streams::processor::{MulticastProcessor, UnicastProcessor};
use reactive_streams::{source, BoxPublisher, Error, PublisherExt, Subscriber};
use reactive_streams_tck::{
    identity_processor_verification_tests, publisher_verification_tests,
    IdentityProcessorVerification, PublisherVerification,
};

fn failed() -> Error {
    Error::new("failed on purpose")
}

/// `range(0..n).publish()`, connected in the factory: the items wait in
/// the queue (256) for the first subscriber.
mod publish {
    use super::*;

    pub(super) struct Publish;

    impl PublisherVerification for Publish {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let published = source::range(0..elements).publish();
            published.connect();
            published.boxed()
        }

        /// The range, in order, to the first subscriber.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let published = source::error::<u64>(failed()).publish();
            published.connect();
            Some(published.boxed())
        }
    }

    publisher_verification_tests!(Publish);
}

/// `range(0..n).share()`: connects on the first subscriber.
mod share {
    use super::*;

    pub(super) struct Share;

    impl PublisherVerification for Share {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements).share().boxed()
        }

        /// The range, in order, to the first subscriber.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(source::error::<u64>(failed()).share().boxed())
        }
    }

    publisher_verification_tests!(Share);
}

/// `range(0..n).replay(everything)`, connected in the factory: with nobody
/// subscribed, the range is recorded whole inside `connect`, so the longest
/// stream is bounded here (1024 items); the 2^31 - 1 items of the §3.17
/// test run through `replay_ref_count`.
mod replay {
    use super::*;

    pub(super) struct Replay;

    impl PublisherVerification for Replay {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            let replayed = source::range(0..elements).replay(usize::MAX);
            replayed.connect();
            replayed.boxed()
        }

        /// The range, in order, to the first subscriber.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let replayed = source::error::<u64>(failed()).replay(16);
            replayed.connect();
            Some(replayed.boxed())
        }

        fn max_elements_from_publisher(&self) -> u64 {
            1024
        }
    }

    publisher_verification_tests!(Replay);
}

/// `range(0..n).replay(everything).ref_count()`: connects on the first
/// subscriber, so the recording is paced by its subscribers.
mod replay_ref_count {
    use super::*;

    pub(super) struct ReplayRefCount;

    impl PublisherVerification for ReplayRefCount {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> Self::Publisher {
            source::range(0..elements)
                .replay(usize::MAX)
                .ref_count()
                .boxed()
        }

        /// The range, in order, to the first subscriber.
        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(
                source::error::<u64>(failed())
                    .replay(16)
                    .ref_count()
                    .boxed(),
            )
        }
    }

    publisher_verification_tests!(ReplayRefCount);
}

/// A processor that was told its upstream failed, without `on_subscribe`.
fn failed_processor<P>(mut processor: P) -> BoxPublisher<u64>
where
    P: Subscriber<u64> + reactive_streams::Publisher<Item = u64> + 'static,
{
    processor.on_error(failed());
    BoxPublisher::new(processor)
}

/// `MulticastProcessor`: any number of subscribers, paced by the slowest.
mod multicast_processor {
    use super::*;

    struct Multicast;

    impl IdentityProcessorVerification for Multicast {
        type Item = u64;
        type Processor = MulticastProcessor<u64>;

        fn create_identity_processor(&self, buffer_size: usize) -> MulticastProcessor<u64> {
            MulticastProcessor::with_capacity(buffer_size)
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }

        /// The default helper's `create_element(index)`, passed on unchanged.
        fn expected_element(&self, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed_processor(MulticastProcessor::new()))
        }

        /// Any number: subscribers are kept in a list.
        fn max_supported_subscribers(&self) -> u64 {
            u64::MAX
        }

        /// An item is emitted only when every subscriber has requested it.
        fn does_coordinated_emission(&self) -> bool {
            true
        }
    }

    identity_processor_verification_tests!(Multicast);
}

/// `UnicastProcessor`: one subscriber.
mod unicast_processor {
    use super::*;

    struct Unicast;

    impl IdentityProcessorVerification for Unicast {
        type Item = u64;
        type Processor = UnicastProcessor<u64>;

        fn create_identity_processor(&self, buffer_size: usize) -> UnicastProcessor<u64> {
            UnicastProcessor::with_capacity(buffer_size)
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }

        /// The default helper's `create_element(index)`, passed on unchanged.
        fn expected_element(&self, index: u64) -> Option<u64> {
            Some(index)
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            Some(failed_processor(UnicastProcessor::new()))
        }

        /// A second subscriber is refused (§1.9).
        fn max_supported_subscribers(&self) -> u64 {
            1
        }
    }

    identity_processor_verification_tests!(Unicast);
}

/// The optional §1.11 multicast tests: they pass for every multicast
/// publisher except where coordinated emission rules them out (one
/// subscriber requests while another does not), and there they skip.
mod multicast_optional_tests {
    use reactive_streams_tck::publisher::run_test;
    use reactive_streams_tck::Outcome;

    const MULTI_SUBSCRIBE: &str = "optional_spec111_may_support_multi_subscribe";
    const REGISTERED: &str =
        "optional_spec111_registered_subscribers_must_receive_on_next_or_on_complete_signals";
    const ONE_BY_ONE: &str = "optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_one_by_one";
    const UPFRONT: &str = "optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront";
    const UPFRONT_COMPLETE: &str = "optional_spec111_multicast_must_produce_the_same_elements_in_the_same_sequence_to_all_of_its_subscribers_when_requesting_many_upfront_and_complete_as_expected";

    fn labels<V>(make: impl Fn() -> V) -> Vec<&'static str>
    where
        V: reactive_streams_tck::PublisherVerification + Send + Sync + 'static,
    {
        [
            MULTI_SUBSCRIBE,
            REGISTERED,
            ONE_BY_ONE,
            UPFRONT,
            UPFRONT_COMPLETE,
        ]
        .iter()
        .map(|name| {
            let outcome = run_test(make(), name);
            assert!(!matches!(outcome, Outcome::Fail(_)), "{name}: {outcome}");
            outcome.label()
        })
        .collect()
    }

    #[test]
    fn replay_passes_every_one() {
        let all_pass = ["PASS"; 5];
        assert_eq!(labels(|| super::replay::Replay), all_pass);
        assert_eq!(labels(|| super::replay_ref_count::ReplayRefCount), all_pass);
    }

    #[test]
    fn publish_and_share_pass_all_but_the_two_that_need_independent_demand() {
        let expected = ["PASS", "SKIP", "SKIP", "PASS", "PASS"];
        assert_eq!(labels(|| super::publish::Publish), expected);
        assert_eq!(labels(|| super::share::Share), expected);
    }
}
