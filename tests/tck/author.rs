//! The TCK over the guide's examples (`docs/examples/`, shown verbatim in
//! `docs/writing-a-publisher.md` and `docs/writing-a-subscriber.md`): every
//! step of the guide ends in a green run here.

use std::sync::{Arc, Mutex};

use reactive_streams::{source, BoxPublisher, Error, Publisher};
use reactive_streams_tck::{
    identity_processor_verification_tests, publisher_verification_tests,
    subscriber_blackbox_verification_tests, IdentityProcessorVerification, PublisherVerification,
    SubscriberBlackboxVerification,
};

#[allow(unreachable_pub, dead_code)]
#[path = "../../docs/examples/countdown.rs"]
mod countdown;

#[allow(unreachable_pub, dead_code)]
#[path = "../../docs/examples/pages.rs"]
pub(crate) mod pages;

#[allow(unreachable_pub, dead_code)]
#[path = "../../docs/examples/on_thread.rs"]
mod on_thread;

#[allow(unreachable_pub, dead_code)]
#[path = "../../docs/examples/relay.rs"]
mod relay;

#[allow(unreachable_pub, dead_code)]
#[path = "../../docs/examples/batcher.rs"]
mod batcher;

/// A table of the numbers `0..len`, computed, so that any length is cheap;
/// or one whose every fetch fails.
pub(crate) struct Numbers {
    pub(crate) len: u64,
    pub(crate) broken: bool,
}

impl pages::Table for Numbers {
    type Row = u64;

    fn fetch(&self, offset: u64, limit: usize) -> Result<Vec<u64>, Error> {
        if self.broken {
            return Err(Error::new("table is locked"));
        }
        let end = offset.saturating_add(limit as u64).min(self.len);
        Ok((offset..end).collect())
    }
}

/// Step 1 of the publisher guide: `generate`. It cannot fail, so the two
/// tests that need a failed publisher skip (as for `range`).
mod guide_countdown {
    use super::*;

    struct Countdown;

    impl PublisherVerification for Countdown {
        type Publisher = BoxPublisher<u64>;

        fn create_publisher(&self, elements: u64) -> BoxPublisher<u64> {
            countdown::countdown(elements)
        }

        fn expected_element(&self, elements: u64, index: u64) -> Option<u64> {
            Some(elements - index)
        }
    }

    publisher_verification_tests!(Countdown);
}

/// Step 2: a hand-written publisher on `subscribe_pull`, paging a table.
mod guide_rows {
    use super::*;

    struct Rows;

    impl PublisherVerification for Rows {
        type Publisher = pages::Rows<Numbers>;

        fn create_publisher(&self, elements: u64) -> pages::Rows<Numbers> {
            pages::Rows::new(
                Numbers {
                    len: elements,
                    broken: false,
                },
                7,
            )
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let broken = Numbers {
                len: 10,
                broken: true,
            };
            Some(BoxPublisher::new(pages::Rows::new(broken, 7)))
        }

        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(Rows);
}

/// Step 3: a publisher fed by a thread of its own, through the waker.
mod guide_on_thread {
    use super::*;

    struct OnThread;

    type Make = Box<dyn Fn() -> Box<dyn Iterator<Item = Result<u64, Error>>> + Send + Sync>;

    impl PublisherVerification for OnThread {
        type Publisher = on_thread::OnThread<Make>;

        fn create_publisher(&self, elements: u64) -> on_thread::OnThread<Make> {
            on_thread::OnThread::new(4, Box::new(move || Box::new((0..elements).map(Ok))))
        }

        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let make: Make = Box::new(|| Box::new(std::iter::once(Err(Error::new("no device")))));
            Some(BoxPublisher::new(on_thread::OnThread::new(4, make)))
        }

        fn expected_element(&self, _elements: u64, index: u64) -> Option<u64> {
            Some(index)
        }
    }

    publisher_verification_tests!(OnThread);
}

/// Step 4: a processor on the same blocks.
mod guide_relay {
    use super::*;

    struct Relay;

    impl IdentityProcessorVerification for Relay {
        type Item = u64;
        type Processor = relay::Relay<u64>;

        fn create_identity_processor(&self, buffer_size: usize) -> relay::Relay<u64> {
            relay::Relay::new(buffer_size)
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }

        fn expected_element(&self, index: u64) -> Option<u64> {
            Some(index)
        }

        /// A relay whose upstream failed: its subscriber gets the error.
        fn create_failed_publisher(&self) -> Option<BoxPublisher<u64>> {
            let relay = relay::Relay::new(4);
            source::error(Error::new("upstream failed")).subscribe(relay.clone());
            Some(BoxPublisher::new(relay))
        }

        /// One subscriber; a second is refused (§1.9).
        fn max_supported_subscribers(&self) -> u64 {
            1
        }
    }

    identity_processor_verification_tests!(Relay);
}

/// The subscriber guide: a prefetching subscriber that batches.
mod guide_batcher {
    use super::*;

    /// Keeps the batches in memory.
    pub(crate) struct Memory(Arc<Mutex<Vec<Vec<u64>>>>);

    impl batcher::Sink<u64> for Memory {
        fn write(&mut self, batch: Vec<u64>) -> Result<(), Error> {
            self.0.lock().unwrap().push(batch);
            Ok(())
        }
    }

    struct Batcher;

    impl SubscriberBlackboxVerification for Batcher {
        type Item = u64;
        type Subscriber = batcher::Batcher<u64, Memory>;

        fn create_subscriber(&self) -> batcher::Batcher<u64, Memory> {
            batcher::Batcher::new(Memory(Arc::default()), 4).0
        }

        fn create_element(&self, id: u64) -> u64 {
            id
        }
    }

    subscriber_blackbox_verification_tests!(Batcher);
}
