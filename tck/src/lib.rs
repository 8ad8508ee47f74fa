#![doc = include_str!("../README.md")]
#![doc(test(
    no_crate_inject,
    attr(deny(warnings, rust_2018_idioms), allow(dead_code, unused_variables))
))]
#![cfg_attr(docsrs, feature(doc_cfg))]

//! # Map of the crate
//!
//! **Verifications**, each a trait to implement, a macro that expands to one
//! `#[test]` per TCK test, and a function that runs them all into a
//! [`Report`]:
//!
//! | verification | trait | macro | function |
//! |---|---|---|---|
//! | Publisher (38 tests + 11 strict) | [`PublisherVerification`] | [`publisher_verification_tests!`] | [`run_publisher_verification`] |
//! | Subscriber, whitebox (27 + 4) | [`SubscriberWhiteboxVerification`] | [`subscriber_whitebox_verification_tests!`] | [`run_subscriber_whitebox_verification`] |
//! | Subscriber, blackbox (26 + 4) | [`SubscriberBlackboxVerification`] | [`subscriber_blackbox_verification_tests!`] | [`run_subscriber_blackbox_verification`] |
//! | Identity processor (68 + 15) | [`IdentityProcessorVerification`] | [`identity_processor_verification_tests!`] | [`run_identity_processor_verification`] |
//!
//! The second figure counts the tests that go beyond the JVM TCK (the
//! `strict` ones, listed in the README).
//!
//! **Probes** ([`probe`]): the whitebox [`WhiteboxSubscriberProbe`](probe::WhiteboxSubscriberProbe)
//! and [`SubscriberPuppet`](probe::SubscriberPuppet), the blackbox proxy.
//! **Helper publisher** ([`helper`]): the asynchronous upstream the
//! subscriber and processor verifications feed from.
//!
//! **Outcomes**: [`Outcome`], [`Kind`], [`Report`]; test bodies return
//! [`TckResult`], stopping early with a [`Stop`].
//!
//! **Environment**: [`TestEnvironment`] (timeouts and the record of
//! failures, [`AsyncError`]).
//!
//! **Building blocks** ([`support`]): [`ManualSubscriber`],
//! [`ManualPublisher`](support::ManualPublisher),
//! [`ProbeSubscription`](support::ProbeSubscription),
//! [`Latch`](support::Latch), [`Promise`](support::Promise),
//! [`Receptacle`](support::Receptacle), the §1.3
//! [`OverlapDetector`](support::OverlapDetector), the §2.3
//! [`signal_marker`](support::signal_marker) and the §3.13
//! [`reference`](mod@support::reference) check.

mod case;
mod common;
pub mod env;
pub mod helper;
mod macros;
mod outcome;
pub mod probe;
pub mod processor;
pub mod publisher;
mod report;
pub mod subscriber_blackbox;
mod subscriber_strict;
pub mod subscriber_whitebox;
pub mod support;
mod sync;

pub use crate::case::{
    TestCase, LEFT_BEHIND, NOT_VERIFIED, SKIPPING_OPTIONAL_TEST_FAILED, VERIFIED_BY_STRICT_TEST,
    WATCHDOG_FACTOR,
};
pub use crate::common::{
    short_type_name, test_exception, NOT_VERIFIED_USING, TEST_EXCEPTION_MESSAGE,
};
pub use crate::env::{AsyncError, TestEnvironment};
pub use crate::outcome::{Kind, Outcome, Stop, TckResult};
pub use crate::processor::{run_identity_processor_verification, IdentityProcessorVerification};
pub use crate::publisher::{run_publisher_verification, PublisherVerification};
pub use crate::report::{Report, ReportRow};
pub use crate::subscriber_blackbox::{
    run_subscriber_blackbox_verification, SubscriberBlackboxVerification,
};
pub use crate::subscriber_whitebox::{
    run_subscriber_whitebox_verification, SubscriberWhiteboxVerification,
};
pub use crate::support::ManualSubscriber;

/// What the macros expand to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::case::Policy;
    pub use reactive_streams::Rule;
}
