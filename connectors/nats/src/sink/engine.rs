//! The task behind a sink: publishes in order, awaits acks concurrently,
//! retries, and turns acknowledgements into upstream demand.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::Context;
use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use reactive_streams::{Error, Subscription};
use tokio::sync::mpsc;

use crate::sink::{Outgoing, SinkReport};
use crate::RetryPolicy;

pub(crate) enum Command {
    Subscribed(Arc<dyn Subscription>),
    Item(Outgoing),
    Failed(Error),
    /// The sink's own code failed (the encoder panicked): cancel upstream.
    Abort(Error),
    Complete,
}

/// One publish, and how many times it has been tried.
struct Attempt {
    outgoing: Outgoing,
    tries: u32,
}

enum Event {
    Command(Option<Command>),
    Settled((Attempt, Result<bool, String>)),
}

type AckFuture = Pin<Box<dyn Future<Output = (Attempt, Result<bool, String>)> + Send>>;

pub(crate) struct SinkEngine {
    js: Context,
    subject: String,
    max_in_flight: u64,
    /// Acks that together make the next upstream request (75% of the window).
    limit: u64,
    retry: RetryPolicy,
}

impl SinkEngine {
    pub(crate) fn new(
        js: Context,
        subject: String,
        max_in_flight: u64,
        retry: RetryPolicy,
    ) -> Self {
        SinkEngine {
            js,
            subject,
            max_in_flight,
            limit: (max_in_flight - max_in_flight / 4).max(1),
            retry,
        }
    }

    pub(crate) async fn run(
        self,
        mut commands: mpsc::UnboundedReceiver<Command>,
    ) -> Result<SinkReport, Error> {
        let mut report = SinkReport::default();
        let mut in_flight: FuturesUnordered<AckFuture> = FuturesUnordered::new();
        let mut upstream: Option<Arc<dyn Subscription>> = None;
        let mut upstream_done = false;
        let mut failure: Option<Error> = None;
        let mut unpublished = 0u64;
        let mut acked_since_request = 0u64;
        loop {
            if (upstream_done || failure.is_some()) && in_flight.is_empty() {
                // Items upstream sent before our cancel reached it: counted.
                while let Ok(command) = commands.try_recv() {
                    unpublished += u64::from(matches!(command, Command::Item(_)));
                }
                break;
            }
            let event = tokio::select! {
                command = commands.recv(), if !upstream_done => Event::Command(command),
                Some(settled) = in_flight.next() => Event::Settled(settled),
            };
            match event {
                Event::Command(command) => match command {
                    Some(Command::Subscribed(subscription)) => {
                        subscription.request(self.max_in_flight);
                        upstream = Some(subscription);
                    }
                    Some(Command::Item(outgoing)) => {
                        if failure.is_some() {
                            // Sent before our cancel reached upstream: counted, not published.
                            unpublished += 1;
                        } else {
                            let ack = self.publish(Attempt { outgoing, tries: 0 }).await;
                            in_flight.push(ack);
                        }
                    }
                    Some(Command::Failed(error)) => {
                        upstream_done = true;
                        failure.get_or_insert(error);
                    }
                    Some(Command::Abort(error)) => {
                        if failure.is_none() {
                            if let Some(upstream) = &upstream {
                                upstream.cancel();
                            }
                            failure = Some(error);
                        }
                    }
                    Some(Command::Complete) => upstream_done = true,
                    None => {
                        upstream_done = true;
                        failure.get_or_insert_with(|| {
                            Error::new("the sink was dropped before its upstream completed")
                        });
                    }
                },
                Event::Settled((attempt, outcome)) => match outcome {
                    Ok(duplicate) => {
                        report.published += 1;
                        report.duplicates += u64::from(duplicate);
                        acked_since_request += 1;
                        // §2.4: a completed or failed upstream is asked for nothing more.
                        if failure.is_none() && !upstream_done && acked_since_request >= self.limit
                        {
                            if let Some(upstream) = &upstream {
                                upstream.request(acked_since_request);
                            }
                            acked_since_request = 0;
                        }
                    }
                    Err(_) if attempt.tries < self.retry.attempts && failure.is_none() => {
                        report.retries += 1;
                        tokio::time::sleep(self.retry.backoff(attempt.tries)).await;
                        let ack = self.publish(attempt).await;
                        in_flight.push(ack);
                    }
                    Err(cause) => {
                        unpublished += 1;
                        if failure.is_none() {
                            failure = Some(Error::new(format!(
                                "publish to `{}` failed after {} attempt(s): {cause}",
                                attempt.outgoing.subject.as_deref().unwrap_or(&self.subject),
                                attempt.tries
                            )));
                            if let Some(upstream) = &upstream {
                                upstream.cancel();
                            }
                            // Upstream is cancelled: what it still sends is counted.
                        }
                    }
                },
            }
        }
        match failure {
            None => Ok(report),
            Some(error) if unpublished == 0 => Err(error),
            Some(error) => Err(Error::new(format!(
                "{error} ({unpublished} item(s) not published; {} published)",
                report.published
            ))),
        }
    }

    /// Sends the publish now (in order) and returns the wait for its ack.
    async fn publish(&self, mut attempt: Attempt) -> AckFuture {
        attempt.tries += 1;
        let outgoing = &attempt.outgoing;
        let subject = outgoing
            .subject
            .clone()
            .unwrap_or_else(|| self.subject.clone());
        let mut publish = PublishMessage::build().payload(outgoing.payload.clone());
        if let Some(headers) = &outgoing.headers {
            publish = publish.headers(headers.clone());
        }
        if let Some(id) = &outgoing.message_id {
            publish = publish.message_id(id);
        }
        let sent = self.js.send_publish(subject, publish).await;
        Box::pin(async move {
            let outcome = match sent {
                Ok(ack) => match ack.await {
                    Ok(ack) => Ok(ack.duplicate),
                    Err(cause) => Err(cause.to_string()),
                },
                Err(cause) => Err(cause.to_string()),
            };
            (attempt, outcome)
        })
    }
}
