//! Publishers made from data: one source per file.
//!
//! | source | publishes |
//! |---|---|
//! | [`range`] | the integers of a range |
//! | [`from_iter`] | the items of a cloneable iterable, anew for each subscriber |
//! | [`just`] | one item |
//! | [`empty`] | nothing, then completion |
//! | [`error`] | nothing, then an error |
//! | [`never`](fn@never) | nothing at all |
//! | [`defer`] | the publisher a factory makes at each `subscribe` |
//! | [`generate`] | what a stateful generator makes, one call per requested item |
//! | [`create`] | what an [`Emitter`] is fed from any number of threads, with an [`Overflow`] strategy |
//! | [`interval`], [`interval_on`] | 0, 1, 2, ... one every period, on a scheduler's timer |
//! | [`timer`](fn@timer), [`timer_on`] | one `()` after a delay, on a scheduler's timer |
//! | [`poll_adaptive`], [`poll_adaptive_on`] | what a closure polls from an external system, on a scheduler's timer whose interval adapts to backpressure |
//! | [`from_stream`] | the items of a [`futures_core::Stream`], polled only on demand (one subscriber) |
//! | [`from_future`] | the output of a [`Future`](core::future::Future) (one subscriber) |
//!
//! All of them but the last two are cold (each subscriber gets its own flow;
//! `from_stream` and `from_future` consume what they were given, so wrap them
//! in [`defer`] for that), run on the caller's thread (`create` on the
//! emitting threads, `interval` and `timer` on their scheduler's,
//! `from_stream` and `from_future` also on the waking ones), answer
//! `request(0)` with the §3.9 error, and drop their subscriber on cancel or
//! termination (§3.13).

mod create;
mod defer;
mod empty;
mod error;
mod from_iter;
mod generate;
mod interval;
mod just;
mod never;
mod poll_adaptive;
mod range;
mod timer;

pub use self::create::{create, Create, EmitError, Emitter, Overflow};
pub use self::defer::{defer, Defer};
pub use self::empty::{empty, Empty};
pub(crate) use self::error::FailPull;
pub use self::error::{error, Fail};
pub use self::from_iter::{from_iter, FromIter};
pub use self::generate::{generate, Generate, GenerateSink};
pub use self::interval::{interval, interval_on, Interval};
pub use self::just::{just, Just};
pub use self::never::{never, Never};
pub use self::poll_adaptive::{
    poll_adaptive, poll_adaptive_on, PollAdaptive, PollConfig, MAX_POLL_BATCH,
};
pub use self::range::{range, Range};
pub use self::timer::{timer, timer_on, Timer};
pub use crate::interop::{from_future, from_stream, FromFuture, FromStream};
