//! The dead-letter policy: where messages go that fail to decode or have
//! been delivered too often, so that they stop nothing else.

use std::time::Duration;

use async_nats::jetstream::{AckKind, Context};
use async_nats::{HeaderMap, Message};

/// What a source does with a message that fails to decode, or whose
/// delivery count passes [`max_deliveries`](DeadLetter::max_deliveries):
/// it is never emitted; it is republished to the dead-letter subject (if
/// one is set, with headers saying why) and then terminated, so that the
/// server stops redelivering it. If the republish fails (no stream captures
/// the subject, the server is away), the message is nacked with a delay of
/// [`RETRY_DELAY`](DeadLetter::RETRY_DELAY) instead, and nothing is lost.
///
/// ```
/// use reactive_streams_nats::DeadLetter;
///
/// // Terminate bad messages, keep none (the default):
/// let drop_them = DeadLetter::default();
/// // Keep them on a subject of a stream, after at most 5 deliveries:
/// let keep_them = DeadLetter::to_subject("orders.dead").max_deliveries(5);
/// assert_eq!(keep_them.subject(), Some("orders.dead"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadLetter {
    subject: Option<String>,
    max_deliveries: Option<u64>,
}

/// Header: why the message was dead-lettered.
pub const DEAD_LETTER_REASON: &str = "Nats-RS-Dead-Letter-Reason";
/// Header: the message's sequence in its stream.
pub const DEAD_LETTER_SEQUENCE: &str = "Nats-RS-Stream-Sequence";
/// Header: the subject it was first published to.
pub const DEAD_LETTER_SUBJECT: &str = "Nats-RS-Original-Subject";

impl DeadLetter {
    /// How long a message whose republish failed waits before it is
    /// delivered (and dead-lettered) again.
    pub const RETRY_DELAY: Duration = Duration::from_secs(1);

    /// Republish dead letters to `subject` (which a stream should capture)
    /// before terminating them.
    pub fn to_subject(subject: impl Into<String>) -> DeadLetter {
        DeadLetter {
            subject: Some(subject.into()),
            max_deliveries: None,
        }
    }

    /// Dead-letter a message delivered more than `n` times (say, one the
    /// user keeps nacking) instead of emitting it again.
    pub fn max_deliveries(mut self, n: u64) -> DeadLetter {
        self.max_deliveries = Some(n.max(1));
        self
    }

    /// The dead-letter subject, if any.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    pub(crate) fn over_limit(&self, delivered: u64) -> bool {
        self.max_deliveries.is_some_and(|max| delivered > max)
    }

    /// Republishes `message` (if there is a subject) and settles it: `Term`
    /// on success, `Nak` if the republish failed. `acks` is false when the
    /// consumer acknowledges nothing. Returns whether it was dead-lettered.
    pub(crate) async fn handle(
        &self,
        js: &Context,
        message: &Message,
        sequence: u64,
        reason: &str,
        acks: bool,
    ) -> bool {
        let mut stored = true;
        if let Some(subject) = &self.subject {
            let mut headers = message.headers.clone().unwrap_or_default();
            insert(&mut headers, DEAD_LETTER_REASON, reason);
            insert(&mut headers, DEAD_LETTER_SEQUENCE, &sequence.to_string());
            insert(&mut headers, DEAD_LETTER_SUBJECT, message.subject.as_str());
            stored = match js
                .publish_with_headers(subject.clone(), headers, message.payload.clone())
                .await
            {
                Ok(ack) => ack.await.is_ok(),
                Err(_) => false,
            };
        }
        if acks {
            if let Some(reply) = &message.reply {
                let kind = if stored {
                    AckKind::Term
                } else {
                    AckKind::Nak(Some(Self::RETRY_DELAY))
                };
                // A lost settle means one more delivery, and this path again.
                let _ = js.client().publish(reply.clone(), kind.into()).await;
            }
        }
        stored
    }
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    headers.insert(name, value);
}
