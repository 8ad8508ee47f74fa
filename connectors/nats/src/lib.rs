//! NATS JetStream for [`reactive_streams`]: `request(n)` across machines.
//!
//! - [`JetStreamSource`]: a durable pull consumer as a `Publisher`.
//!   Downstream demand becomes pull requests (batched, replenished at 75%,
//!   never more than requested, never past the consumer's
//!   `max_ack_pending`); each [`Delivery`] carries its payload, its
//!   [`Metadata`] and, in [`AckMode::Manual`], the right to ack, nak (with
//!   a delay) or terminate it. [`DeadLetter`] says what happens to messages
//!   that fail to decode or are delivered too often.
//! - [`JetStreamSink`]: a `Subscriber` that publishes each item with
//!   publish acknowledgements, a bounded number in flight, requesting
//!   upstream as acks return; message ids for de-duplication; a
//!   [`RetryPolicy`]; [`SinkHandle`] reports the outcome.
//! - [`connect`]: a connection with a bounded number of attempts.
//!
//! Both run on a tokio runtime (the one they are built in, or one passed
//! to their builders).

mod connect;
mod retry;
mod sink;
mod source;
mod stats;

pub use crate::connect::connect;
pub use crate::retry::RetryPolicy;
pub use crate::sink::{JetStreamSink, Outgoing, SinkBuilder, SinkHandle, SinkReport};
pub use crate::source::{
    AckMode, DeadLetter, DecodeError, Delivery, JetStreamSource, Metadata, SourceBuilder,
    DEAD_LETTER_REASON, DEAD_LETTER_SEQUENCE, DEAD_LETTER_SUBJECT,
};
pub use crate::stats::SourceStats;

#[cfg(test)]
mod auto_traits {
    use super::*;

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn public_types_cross_threads() {
        send_sync::<JetStreamSource<bytes::Bytes>>();
        send_sync::<Delivery<bytes::Bytes>>();
        send::<JetStreamSink<String>>();
        send_sync::<SinkHandle>();
        send_sync::<Outgoing>();
        send_sync::<DeadLetter>();
        send_sync::<RetryPolicy>();
    }
}
