//! The task behind one subscription: it pulls as demand allows, receives
//! on its inbox, and emits to the subscriber (the only code that touches
//! it, so signals are serial, §1.3).

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::pull::BatchConfig;
use async_nats::jetstream::{self, AckKind};
use async_nats::{HeaderMap, Message, StatusCode, Subject, Subscriber as NatsSubscription};
use futures_util::StreamExt;
use reactive_streams::{Error, Subscriber};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::source::credit::PullCredit;
use crate::source::delivery::{AckHandle, Delivery, Metadata};
use crate::source::shared::Shared;
use crate::source::{AckMode, SourceInner};
use crate::stats::Counters;

/// A pull the server did not end by a status (lost with a connection) is
/// forgotten this long after it should have expired.
const PULL_GRACE: Duration = Duration::from_secs(2);

/// While pulls are out, how often to look for a reconnect (after which
/// they are gone and must be sent again).
const RECONNECT_CHECK: Duration = Duration::from_millis(500);

/// A message received and decoded, not yet emitted.
struct Pending<T> {
    value: T,
    meta: Metadata,
    headers: Option<HeaderMap>,
    reply: Option<Subject>,
}

pub(crate) struct Engine<T, S> {
    inner: Arc<SourceInner<T>>,
    shared: Arc<Shared>,
    downstream: S,
    credit: PullCredit,
    /// Messages emitted so far (compared with the demand requested).
    emitted: u64,
    /// Messages asked for in pulls that neither arrived nor were ended.
    outstanding: u64,
    /// When every pull sent so far should have ended.
    pulls_end_by: Option<Instant>,
    /// The client's connection count when the pulls were sent: pulls do not
    /// survive a reconnect.
    connects: u64,
    buffer: VecDeque<Pending<T>>,
    /// The consumer had nothing pending after the last message received.
    drained: bool,
    acks: mpsc::UnboundedSender<(Subject, AckKind)>,
}

/// How the engine ends.
enum End {
    Cancelled,
    Complete,
    Failed(Error),
}

impl<T: Send + 'static, S: Subscriber<Delivery<T>>> Engine<T, S> {
    pub(crate) fn new(inner: Arc<SourceInner<T>>, shared: Arc<Shared>, downstream: S) -> Self {
        let info = inner.consumer.cached_info();
        let max_ack_pending = match inner.ack_mode {
            AckMode::None => u64::MAX,
            _ => u64::try_from(info.config.max_ack_pending)
                .ok()
                .filter(|&n| n > 0)
                .unwrap_or(u64::MAX),
        };
        let credit = PullCredit::new(inner.batch, max_ack_pending);
        let (acks, pump) = mpsc::unbounded_channel();
        inner.runtime.spawn(ack_pump(inner.js.client(), pump));
        Engine {
            inner,
            shared,
            downstream,
            credit,
            emitted: 0,
            outstanding: 0,
            pulls_end_by: None,
            connects: 0,
            buffer: VecDeque::new(),
            drained: false,
            acks,
        }
    }

    pub(crate) async fn run(mut self) {
        let client = self.inner.js.client();
        let inbox = Subject::from(client.new_inbox());
        let end = match client.subscribe(inbox.clone()).await {
            Ok(mut subscription) => {
                let end = self.pull_loop(&inbox, &mut subscription).await;
                let _ = subscription.unsubscribe().await;
                end
            }
            Err(cause) => End::Failed(Error::new(format!(
                "could not subscribe to the pull inbox of consumer `{}`: {cause}",
                self.inner.consumer.cached_info().name
            ))),
        };
        // What was received but not emitted goes back to the server at once
        // (to another subscriber of the consumer) instead of after ack_wait.
        if self.inner.ack_mode != AckMode::None {
            for pending in self.buffer.drain(..) {
                if let Some(reply) = pending.reply {
                    let _ = self.acks.send((reply, AckKind::Nak(None)));
                }
            }
        }
        match end {
            End::Cancelled => {}
            End::Complete => self.downstream.on_complete(),
            End::Failed(error) => self.downstream.on_error(error),
        }
    }

    async fn pull_loop(&mut self, inbox: &Subject, subscription: &mut NatsSubscription) -> End {
        if self.inner.complete_when_drained {
            match self.inner.consumer.clone().info().await {
                Ok(info) => self.drained = info.num_pending == 0,
                Err(cause) => {
                    return End::Failed(Error::new(format!("consumer info failed: {cause}")))
                }
            }
        }
        loop {
            if self.shared.is_cancelled() {
                return End::Cancelled;
            }
            if self.shared.take_bad_request() {
                return End::Failed(Error::non_positive_request());
            }
            if let Some(end) = self.emit() {
                return end;
            }
            self.forget_lost_pulls();
            let unmet = self.unmet();
            let in_flight = self.outstanding + self.buffer.len() as u64;
            if let Some(n) = self
                .credit
                .next_pull(unmet, in_flight, self.shared.unacked())
            {
                if let Err(error) = self.pull(inbox, n).await {
                    return End::Failed(error);
                }
                continue;
            }
            let deadline = self
                .pulls_end_by
                .map(|end| end.min(Instant::now() + RECONNECT_CHECK));
            tokio::select! {
                biased;
                () = self.shared.wake.notified() => {}
                message = subscription.next() => match message {
                    Some(message) => {
                        if let Err(error) = self.receive(message).await {
                            return End::Failed(error);
                        }
                    }
                    None => {
                        return End::Failed(Error::new("the pull inbox subscription was closed"))
                    }
                },
                () = sleep_until(deadline) => {}
            }
        }
    }

    /// Demand not yet met; `u64::MAX` when unbounded.
    fn unmet(&self) -> u64 {
        match self.shared.requested() {
            Some(requested) => requested.saturating_sub(self.emitted),
            None => u64::MAX,
        }
    }

    /// Emits buffered messages while there is demand; re-reads demand and
    /// cancellation after each `on_next` (§3.3: requests made inside it).
    fn emit(&mut self) -> Option<End> {
        while self.unmet() > 0 {
            let Some(pending) = self.buffer.pop_front() else {
                break;
            };
            let ack = match (self.inner.ack_mode, &pending.reply) {
                (AckMode::Manual, Some(reply)) => {
                    self.shared.emitted_unsettled();
                    AckHandle::manual(reply.clone(), self.acks.clone(), self.shared.clone())
                }
                _ => AckHandle::inert(),
            };
            let counters = &self.shared.counters;
            Counters::add(&counters.emitted, 1);
            if pending.meta.delivered > 1 {
                Counters::add(&counters.redelivered, 1);
            }
            self.emitted += 1;
            let reply = pending.reply;
            self.downstream.on_next(Delivery {
                value: pending.value,
                meta: pending.meta,
                headers: pending.headers,
                ack,
            });
            if self.inner.ack_mode == AckMode::OnNext {
                if let Some(reply) = reply {
                    let _ = self.acks.send((reply, AckKind::Ack));
                }
            }
            if self.shared.is_cancelled() {
                return Some(End::Cancelled);
            }
        }
        (self.drained && self.buffer.is_empty()).then_some(End::Complete)
    }

    async fn pull(&mut self, inbox: &Subject, n: u64) -> Result<(), Error> {
        let expires = self.inner.pull_expires;
        let request = BatchConfig {
            batch: usize::try_from(n).unwrap_or(usize::MAX),
            expires: Some(expires),
            ..Default::default()
        };
        let connects = self.connects();
        if connects != self.connects {
            self.connects = connects;
            self.outstanding = 0;
        }
        self.inner
            .consumer
            .request_batch(request, inbox.clone())
            .await
            .map_err(|cause| Error::new(format!("pull request failed: {cause}")))?;
        self.outstanding += n;
        self.pulls_end_by = Some(Instant::now() + expires + PULL_GRACE);
        let counters = &self.shared.counters;
        Counters::add(&counters.pulls, 1);
        Counters::add(&counters.pulled, n);
        counters.saw_in_flight(self.outstanding + self.buffer.len() as u64);
        Ok(())
    }

    fn connects(&self) -> u64 {
        // Ordering: Relaxed; a stale read only delays the reset to the next pull.
        self.inner
            .js
            .client()
            .statistics()
            .connects
            .load(Ordering::Relaxed)
    }

    /// Pulls do not outlive a connection, and a server that went away sends
    /// no status for them: forget them after a reconnect or once they must
    /// have expired, so that demand is not held forever.
    fn forget_lost_pulls(&mut self) {
        if self.outstanding == 0 {
            return;
        }
        let reconnected = self.connects() != self.connects;
        let expired = self.pulls_end_by.is_some_and(|end| Instant::now() >= end);
        if reconnected || expired {
            self.outstanding = 0;
            self.pulls_end_by = None;
        }
    }

    async fn receive(&mut self, message: Message) -> Result<(), Error> {
        match message.status {
            None | Some(StatusCode::OK) => {
                self.outstanding = self.outstanding.saturating_sub(1);
                self.accept(message).await
            }
            Some(StatusCode::IDLE_HEARTBEAT) => Ok(()),
            Some(StatusCode::TIMEOUT) | Some(StatusCode::NOT_FOUND) => {
                self.pull_ended(&message);
                Ok(())
            }
            Some(StatusCode::REQUEST_TERMINATED) => {
                let description = message.description.clone().unwrap_or_default();
                let fatal = [
                    "Consumer Deleted",
                    "Exceeded MaxRequest",
                    "Consumer is push based",
                ];
                if fatal.iter().any(|f| description.contains(f)) {
                    return Err(Error::new(format!(
                        "consumer `{}` ended the pull: {description}",
                        self.inner.consumer.cached_info().name
                    )));
                }
                self.pull_ended(&message);
                Ok(())
            }
            Some(status) => Err(Error::new(format!(
                "unexpected status {status} on the pull inbox: {}",
                message.description.unwrap_or_default()
            ))),
        }
    }

    /// A pull ended with messages undelivered: the server says how many.
    fn pull_ended(&mut self, message: &Message) {
        let unfilled = message
            .headers
            .as_ref()
            .and_then(|headers| headers.get("Nats-Pending-Messages"))
            .and_then(|value| value.as_str().parse::<u64>().ok());
        match unfilled {
            Some(n) => self.outstanding = self.outstanding.saturating_sub(n),
            // No count: assume every pull ended (at worst one pull too many).
            None => self.outstanding = 0,
        }
        if self.outstanding == 0 {
            self.pulls_end_by = None;
        }
    }

    /// A message: dead-lettered, or decoded into the buffer.
    async fn accept(&mut self, message: Message) -> Result<(), Error> {
        let js_message = jetstream::Message {
            message,
            context: self.inner.js.clone(),
        };
        let meta = match js_message.info() {
            Ok(info) => Metadata {
                subject: js_message.subject.to_string(),
                stream_sequence: info.stream_sequence,
                consumer_sequence: info.consumer_sequence,
                delivered: u64::try_from(info.delivered).unwrap_or(0),
                pending: info.pending,
            },
            Err(cause) => {
                return Err(Error::new(format!(
                    "a message without JetStream metadata on the pull inbox: {cause}"
                )))
            }
        };
        let message = js_message.message;
        self.drained = self.inner.complete_when_drained && meta.pending == 0;
        let counters = self.shared.counters.clone();
        let acks = self.inner.ack_mode != AckMode::None;
        if self.inner.dead_letter.over_limit(meta.delivered) {
            Counters::add(&counters.over_delivered, 1);
            let reason = format!("delivered {} times", meta.delivered);
            self.dead_letter(&message, &meta, &reason, acks).await;
            return Ok(());
        }
        let decoded = catch_unwind(AssertUnwindSafe(|| (self.inner.decode)(&message.payload)));
        match decoded {
            Ok(Ok(value)) => {
                self.buffer.push_back(Pending {
                    value,
                    meta,
                    headers: message.headers,
                    reply: message.reply,
                });
                counters.saw_in_flight(self.outstanding + self.buffer.len() as u64);
                Ok(())
            }
            Ok(Err(cause)) => {
                Counters::add(&counters.decode_failures, 1);
                let reason = format!("decode failed: {cause}");
                self.dead_letter(&message, &meta, &reason, acks).await;
                Ok(())
            }
            Err(panic) => {
                // The message goes back to the server; the subscription ends.
                if let Some(reply) = message.reply {
                    let _ = self.acks.send((reply, AckKind::Nak(None)));
                }
                Err(Error::from_panic(panic))
            }
        }
    }

    async fn dead_letter(&mut self, message: &Message, meta: &Metadata, reason: &str, acks: bool) {
        let policy = &self.inner.dead_letter;
        let js = &self.inner.js;
        if policy
            .handle(js, message, meta.stream_sequence, reason, acks)
            .await
        {
            Counters::add(&self.shared.counters.dead_lettered, 1);
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Sends acknowledgements in order, off the emitting path; ends when the
/// engine and every ack handle have gone.
async fn ack_pump(
    client: async_nats::Client,
    mut acks: mpsc::UnboundedReceiver<(Subject, AckKind)>,
) {
    while let Some((reply, kind)) = acks.recv().await {
        // A lost ack means a redelivery: at-least-once, counted downstream.
        let _ = client.publish(reply, kind.into()).await;
    }
}
