//! The building blocks the verifications are made of, public so that other
//! verifications (and your own tests) can use them.
//!
//! | type | job |
//! |---|---|
//! | [`Latch`] | a one-shot gate a callback closes and a test waits on |
//! | [`Promise`] | one value, set once, waited for |
//! | [`Receptacle`] | the bounded (32) queue of items and end-of-stream a subscriber fills |
//! | [`ManualSubscriber`] | the TCK's subscriber: requests on command, checks every signal it gets |
//! | [`ManualPublisher`] | the TCK's publisher: emits on command, records requests and cancel |
//! | [`ProbeSubscription`] | a subscription that records requests and cancel, and checks §2.3 |
//! | [`OverlapDetector`] | §1.3: signals from two threads at once |
//! | [`SerialSignalsSubscriber`] | the subscriber of the stochastic §1.3 test |
//! | [`signal_marker`] | §2.3: which TCK-driven signal the current thread is inside |
//! | [`reference`](mod@reference) | §3.13: a `Weak` that dies when the publisher drops the subscriber |

mod latch;
mod manual_publisher;
mod manual_subscriber;
mod overlap;
mod probe_subscription;
mod promise;
mod receptacle;
pub mod reference;
mod runaway;
mod serial_subscriber;
mod signal;
pub mod signal_marker;
mod stress;

pub use self::latch::Latch;
pub use self::manual_publisher::ManualPublisher;
pub use self::manual_subscriber::ManualSubscriber;
pub(crate) use self::manual_subscriber::{declared_sequence, SequenceCheck};
pub use self::overlap::{OverlapDetector, SignalScope};
pub use self::probe_subscription::{ProbeSubscription, REQUEST_CAPACITY};
pub use self::promise::Promise;
pub use self::receptacle::{AddError, Received, Receptacle};
pub(crate) use self::runaway::RunawayGuard;
pub use self::runaway::IGNORED_CANCEL_LIMIT;
pub use self::serial_subscriber::SerialSignalsSubscriber;
pub use self::signal::Signal;
pub(crate) use self::stress::{Pauses, Rounds, StressSubscriber};
