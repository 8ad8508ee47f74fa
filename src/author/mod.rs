//! Building blocks for writing your own publishers and subscribers, with the
//! rules of the specification built in.
//!
//! Start with [`source::create`](crate::source::create) or
//! [`source::generate`](crate::source::generate) if they fit: they are
//! publishers already. When you need more (your own threading, your own
//! buffering, a resource that tells you when it has more), these are the
//! pieces this crate's own sources and operators are made of:
//!
//! | block | what it carries for you |
//! |---|---|
//! | [`subscribe_pull`] + [`Pull`] | the serialized emitter: you say what to emit now, it keeps §1.1 (no more than the demand), §1.3 (serial signals), §3.3 (no recursion), §3.9 (`request(0)` is an error), §3.12 and §3.13 (nothing after cancel, resources dropped), one terminal and nothing after it; a panic in your pull becomes `on_error`. No `unsafe`, no atomics on your side. |
//! | [`Demand`] | a demand counter for a subscription you write yourself: §3.17 saturation at [`UNBOUNDED`], `produced` that never goes below zero, the cancelled flag, §3.9's error for `request(0)`; any thread. |
//! | [`Replenish`], [`replenish_limit`], [`low_tide_limit`] | for subscribers that prefetch: ask for a window, then top it up at 75% (or at a low tide, as `limit_rate(high, low)` does). |
//!
//! `range`, `from_iter`, `generate`, `from_stream` and the other synchronous
//! sources run on [`subscribe_pull`]'s loop; every prefetching operator counts
//! with [`Replenish`]; every subscription keeps a [`Demand`]. So the TCK runs
//! and benchmarks of the crate cover these blocks.
//!
//! # Guides
//!
//! * [Writing a publisher](https://example.invalid/reactive-streams/blob/main/docs/writing-a-publisher.md)
//!   (`docs/writing-a-publisher.md` in the repository): `create` and
//!   `generate`, then a hand-written publisher on [`subscribe_pull`], a
//!   publisher fed by another thread, and a processor; each example passes
//!   the TCK in the crate's own tests (`tests/tck/author.rs`).
//! * [Writing a subscriber](https://example.invalid/reactive-streams/blob/main/docs/writing-a-subscriber.md)
//!   (`docs/writing-a-subscriber.md`): when to prefetch, how to cancel, what
//!   §2.13 forbids.
//! * `examples/file-tail/`: a crate of its own, with a publisher over the
//!   lines appended to a file and its `tests/tck.rs`, to copy.
//!
//! # Examples
//!
//! A publisher of the first `n` powers of two, written by hand:
//!
//! ```
//! use reactive_streams::author::{subscribe_pull, Pull, Step};
//! use reactive_streams::{Publisher, Subscriber, TestSubscriber};
//!
//! struct PowersOfTwo(u32);
//!
//! struct Powers {
//!     next: u32,
//!     end: u32,
//! }
//!
//! impl Pull for Powers {
//!     type Item = u64;
//!     fn next(&mut self) -> Step<u64> {
//!         if self.next == self.end {
//!             return Step::End(Ok(()));
//!         }
//!         self.next += 1;
//!         Step::Next(1 << (self.next - 1))
//!     }
//! }
//!
//! impl Publisher for PowersOfTwo {
//!     type Item = u64;
//!     fn subscribe<S: Subscriber<u64> + 'static>(&self, subscriber: S) {
//!         subscribe_pull(Powers { next: 0, end: self.0 }, subscriber);
//!     }
//! }
//!
//! let ts = TestSubscriber::new(4);
//! PowersOfTwo(10).subscribe(ts.clone());
//! ts.assert_values(&[1, 2, 4, 8]);
//! ```

pub(crate) mod demand;
pub(crate) mod pull;
mod replenish;

pub use self::demand::{Demand, UNBOUNDED};
pub use self::pull::{pull_fn, subscribe_pull, Pull, PullFn, Step};
pub use self::replenish::{low_tide_limit, replenish_limit, Replenish};
