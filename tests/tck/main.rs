//! The Reactive Streams TCK over every source, operator and processor this
//! crate ships.
//!
//! One module per publisher (grouped by family), so that `cargo test --test
//! tck range` runs one of them and `cargo test --test tck spec309` one rule
//! across all of them.

#[path = "../support/async_work.rs"]
mod async_work;
#[path = "../ops/backpressure/paced.rs"]
mod paced;

mod aggregate;
mod async_sources;
mod author;
mod backpressure;
mod combine;
mod errors;
mod flatten;
mod interop;
mod limit;
mod multicast;
mod rate;
mod sources;
mod time;
mod transform;
