#![doc = include_str!("../README.md")]
#![doc(test(
    no_crate_inject,
    attr(deny(warnings, rust_2018_idioms), allow(dead_code, unused_variables))
))]
#![cfg_attr(docsrs, feature(doc_cfg))]

//! # Map of the crate
//!
//! **Verifications**: [`PublisherVerification`] with the macro
//! [`publisher_verification_tests!`] and the function
//! [`run_publisher_verification`].
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
pub mod env;
mod macros;
mod outcome;
pub mod publisher;
mod report;
pub mod support;
mod sync;

pub use crate::case::{TestCase, NOT_VERIFIED, SKIPPING_OPTIONAL_TEST_FAILED, WATCHDOG_FACTOR};
pub use crate::env::{AsyncError, TestEnvironment};
pub use crate::outcome::{Kind, Outcome, Stop, TckResult};
pub use crate::publisher::{run_publisher_verification, PublisherVerification};
pub use crate::report::{Report, ReportRow};
pub use crate::support::ManualSubscriber;

/// What the macros expand to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::case::Policy;
    pub use reactive_streams::Rule;
}
