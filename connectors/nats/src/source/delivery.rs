//! What a source emits: a decoded value, its JetStream metadata, and the
//! handle that acknowledges it.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::AckKind;
use async_nats::{HeaderMap, Subject};
use tokio::sync::mpsc::UnboundedSender;

use crate::source::shared::Shared;

/// Where a message sits in its stream and how often it was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The subject the message was published to.
    pub subject: String,
    /// Its sequence number in the stream (stable across redeliveries).
    pub stream_sequence: u64,
    /// Its sequence number in the consumer (new on each delivery).
    pub consumer_sequence: u64,
    /// How many times the server has delivered it (1 on the first delivery).
    pub delivered: u64,
    /// Messages still pending for the consumer after this one.
    pub pending: u64,
}

/// One message from a [`JetStreamSource`](crate::JetStreamSource).
///
/// In [`AckMode::Manual`](crate::AckMode::Manual) the user settles it with
/// [`ack`](Delivery::ack), [`nak`](Delivery::nak),
/// [`nak_with_delay`](Delivery::nak_with_delay) or [`term`](Delivery::term);
/// one left unsettled is redelivered by the server after the consumer's
/// `ack_wait`. In the other modes these calls do nothing and return `false`.
///
/// ```
/// # fn check(delivery: reactive_streams_nats::Delivery<bytes::Bytes>) {
/// println!("#{} (delivery {})", delivery.meta.stream_sequence, delivery.meta.delivered);
/// if delivery.value.is_empty() {
///     delivery.term(); // never redeliver it
/// } else {
///     delivery.ack();
/// }
/// # }
/// ```
pub struct Delivery<T> {
    /// The decoded payload.
    pub value: T,
    /// Where it sits in the stream.
    pub meta: Metadata,
    /// The message's headers, if it had any.
    pub headers: Option<HeaderMap>,
    pub(crate) ack: AckHandle,
}

impl<T> Delivery<T> {
    /// Acknowledges it: the server will not deliver it again. `true` if
    /// this call sent the acknowledgement.
    pub fn ack(&self) -> bool {
        self.ack.settle(AckKind::Ack)
    }

    /// Negatively acknowledges it: the server redelivers it at once.
    pub fn nak(&self) -> bool {
        self.ack.settle(AckKind::Nak(None))
    }

    /// Negatively acknowledges it: the server redelivers it after `delay`.
    pub fn nak_with_delay(&self, delay: Duration) -> bool {
        self.ack.settle(AckKind::Nak(Some(delay)))
    }

    /// Terminates it: the server never delivers it again, without counting
    /// it as processed.
    pub fn term(&self) -> bool {
        self.ack.settle(AckKind::Term)
    }

    /// Tells the server that work on it is going on (restarts `ack_wait`);
    /// it stays unsettled.
    pub fn in_progress(&self) -> bool {
        self.ack.progress()
    }

    /// The value, giving up the right to settle it: in manual mode the
    /// server redelivers it after `ack_wait`.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Delivery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("value", &self.value)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// Two deliveries are equal when their values and metadata are (the TCK
/// compares items).
impl<T: PartialEq> PartialEq for Delivery<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.meta == other.meta
    }
}

/// Sends one message's acknowledgement, once, through the source's ack
/// pump; and keeps the source's count of unsettled messages.
pub(crate) struct AckHandle {
    /// `None` when the source settles messages itself (or not at all).
    target: Option<AckTarget>,
}

struct AckTarget {
    reply: Subject,
    acks: UnboundedSender<(Subject, AckKind)>,
    shared: Arc<Shared>,
    settled: AtomicBool,
}

impl AckHandle {
    pub(crate) fn inert() -> AckHandle {
        AckHandle { target: None }
    }

    pub(crate) fn manual(
        reply: Subject,
        acks: UnboundedSender<(Subject, AckKind)>,
        shared: Arc<Shared>,
    ) -> AckHandle {
        AckHandle {
            target: Some(AckTarget {
                reply,
                acks,
                shared,
                settled: AtomicBool::new(false),
            }),
        }
    }

    fn settle(&self, kind: AckKind) -> bool {
        let Some(target) = &self.target else {
            return false;
        };
        // Ordering: Relaxed is enough; the flag only makes settling once.
        if target.settled.swap(true, Ordering::Relaxed) {
            return false;
        }
        // A closed pump (the runtime shut down) loses the ack; the server
        // redelivers, as after any lost ack.
        let _ = target.acks.send((target.reply.clone(), kind));
        target.shared.settled_one();
        true
    }

    fn progress(&self) -> bool {
        match &self.target {
            Some(target) if !target.settled.load(Ordering::Relaxed) => target
                .acks
                .send((target.reply.clone(), AckKind::Progress))
                .is_ok(),
            _ => false,
        }
    }
}

impl Drop for AckHandle {
    fn drop(&mut self) {
        // Dropped unsettled: the server redelivers it after ack_wait; here it
        // no longer counts against max_ack_pending.
        if let Some(target) = &self.target {
            if !target.settled.swap(true, Ordering::Relaxed) {
                target.shared.settled_one();
            }
        }
    }
}
