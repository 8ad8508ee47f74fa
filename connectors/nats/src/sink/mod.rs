//! [`JetStreamSink`]: a `Subscriber` that publishes to JetStream with
//! publish acknowledgements, requesting upstream as acks return.

mod engine;

use std::fmt;
use std::sync::Arc;

use async_nats::jetstream::Context;
use async_nats::HeaderMap;
use bytes::Bytes;
use reactive_streams::{Error, Subscriber, Subscription};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot};

use self::engine::{Command, SinkEngine};
use crate::RetryPolicy;

/// One message for a [`JetStreamSink`] to publish.
///
/// ```
/// use reactive_streams_nats::Outgoing;
///
/// let order = Outgoing::from("order 42").message_id("order-42").subject("orders.eu");
/// assert_eq!(order.payload.as_ref(), b"order 42");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    /// The subject; `None` publishes to the sink's subject.
    pub subject: Option<String>,
    /// The payload.
    pub payload: Bytes,
    /// The `Nats-Msg-Id` header: the server drops a second message with the
    /// same id within the stream's duplicate window, so that a retry after
    /// a lost acknowledgement stores it once.
    pub message_id: Option<String>,
    /// Headers to send with it.
    pub headers: Option<HeaderMap>,
}

impl Outgoing {
    /// A payload for the sink's subject.
    pub fn new(payload: impl Into<Bytes>) -> Outgoing {
        Outgoing {
            payload: payload.into(),
            ..Outgoing::default()
        }
    }

    /// Sets the message id (for server-side de-duplication).
    pub fn message_id(mut self, id: impl Into<String>) -> Outgoing {
        self.message_id = Some(id.into());
        self
    }

    /// Publishes to `subject` instead of the sink's.
    pub fn subject(mut self, subject: impl Into<String>) -> Outgoing {
        self.subject = Some(subject.into());
        self
    }
}

impl From<Bytes> for Outgoing {
    fn from(payload: Bytes) -> Outgoing {
        Outgoing::new(payload)
    }
}

impl From<Vec<u8>> for Outgoing {
    fn from(payload: Vec<u8>) -> Outgoing {
        Outgoing::new(payload)
    }
}

impl From<String> for Outgoing {
    fn from(payload: String) -> Outgoing {
        Outgoing::new(payload)
    }
}

impl From<&'static str> for Outgoing {
    fn from(payload: &'static str) -> Outgoing {
        Outgoing::new(payload)
    }
}

/// What a sink did, once its upstream ended and every publish settled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinkReport {
    /// Messages the server acknowledged.
    pub published: u64,
    /// Of those, messages the server reported as duplicates (same message
    /// id within the duplicate window) and so stored once.
    pub duplicates: u64,
    /// Publishes sent again after a failure.
    pub retries: u64,
}

/// The outcome of a [`JetStreamSink`]: `Ok` once upstream completed and
/// every message was acknowledged; `Err` if upstream failed, or a publish
/// failed after its retries (the error says how many items were not
/// published).
///
/// ```no_run
/// # async fn run(handle: reactive_streams_nats::SinkHandle) {
/// match handle.finished().await {
///     Ok(report) => println!("{} published", report.published),
///     Err(error) => eprintln!("sink failed: {error}"),
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct SinkHandle {
    outcome: oneshot::Receiver<Result<SinkReport, Error>>,
}

impl SinkHandle {
    /// Waits for the outcome.
    pub async fn finished(self) -> Result<SinkReport, Error> {
        self.outcome.await.unwrap_or_else(|_| {
            Err(Error::new(
                "the sink's runtime shut down before it finished",
            ))
        })
    }

    /// Waits for the outcome, blocking the thread (not from inside an async
    /// task: that panics, as tokio's `blocking_recv` does).
    pub fn wait(self) -> Result<SinkReport, Error> {
        self.outcome.blocking_recv().unwrap_or_else(|_| {
            Err(Error::new(
                "the sink's runtime shut down before it finished",
            ))
        })
    }
}

type Encoder<T> = dyn Fn(T) -> Outgoing + Send + Sync;

/// A [`Subscriber`] that publishes each item to JetStream.
///
/// It requests `max_in_flight` items at first and then, as publish
/// acknowledgements return, as many more as were acknowledged (in batches
/// of three quarters of `max_in_flight`), so that at most `max_in_flight`
/// publishes are unacknowledged at any time. A failed publish is sent
/// again (with its message id, so the server keeps one copy) as the
/// [`RetryPolicy`] allows; past that the sink cancels upstream and its
/// [`SinkHandle`] reports the error and how many items went unpublished.
/// Retries may reorder messages.
///
/// ```no_run
/// # async fn run(js: async_nats::jetstream::Context) -> Result<(), reactive_streams::Error> {
/// use reactive_streams::{source, Publisher, PublisherExt};
/// use reactive_streams_nats::{JetStreamSink, Outgoing};
///
/// let (sink, handle) = JetStreamSink::builder(&js, "orders.new")
///     .max_in_flight(128)
///     .build_with(|n: u64| Outgoing::new(n.to_string()).message_id(format!("order-{n}")))?;
/// source::range(0..1000u64).subscribe(sink);
/// let report = handle.finished().await?;
/// assert_eq!(report.published, 1000);
/// # Ok(()) }
/// ```
pub struct JetStreamSink<T> {
    commands: mpsc::UnboundedSender<Command>,
    encode: Arc<Encoder<T>>,
    subscribed: bool,
}

impl JetStreamSink<()> {
    /// A builder publishing to `subject` through `js`.
    pub fn builder(js: &Context, subject: impl Into<String>) -> SinkBuilder {
        SinkBuilder {
            js: js.clone(),
            subject: subject.into(),
            max_in_flight: 256,
            retry: RetryPolicy::default(),
            runtime: None,
        }
    }
}

impl<T> Subscriber<T> for JetStreamSink<T>
where
    T: Send + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            // §2.5: a second subscription is cancelled.
            subscription.cancel();
            return;
        }
        self.subscribed = true;
        if let Err(refused) = self.commands.send(Command::Subscribed(subscription)) {
            if let Command::Subscribed(subscription) = refused.0 {
                subscription.cancel();
            }
        }
    }

    fn on_next(&mut self, item: T) {
        // A panicking encoder is user code: it ends the sink with an error.
        let encoded =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.encode)(item)));
        let command = match encoded {
            Ok(outgoing) => Command::Item(outgoing),
            Err(panic) => Command::Abort(Error::from_panic(panic)),
        };
        let _ = self.commands.send(command);
    }

    fn on_error(&mut self, error: Error) {
        let _ = self.commands.send(Command::Failed(error));
    }

    fn on_complete(&mut self) {
        let _ = self.commands.send(Command::Complete);
    }
}

impl<T> fmt::Debug for JetStreamSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JetStreamSink")
            .field("subscribed", &self.subscribed)
            .finish_non_exhaustive()
    }
}

/// Configures a [`JetStreamSink`]; made by [`JetStreamSink::builder`].
///
/// ```no_run
/// # fn make(js: &async_nats::jetstream::Context) -> Result<(), reactive_streams::Error> {
/// use std::time::Duration;
/// use reactive_streams_nats::{JetStreamSink, RetryPolicy};
///
/// let (sink, handle) = JetStreamSink::builder(js, "events")
///     .max_in_flight(64)
///     .retry(RetryPolicy::new(10, Duration::from_millis(200)))
///     .build::<String>()?;
/// # Ok(()) }
/// ```
pub struct SinkBuilder {
    js: Context,
    subject: String,
    max_in_flight: u64,
    retry: RetryPolicy,
    runtime: Option<Handle>,
}

impl SinkBuilder {
    /// Publishes awaiting acknowledgement at most (default 256; clamped to
    /// 1..=65536).
    pub fn max_in_flight(mut self, n: u64) -> Self {
        self.max_in_flight = n.clamp(1, 65_536);
        self
    }

    /// How often to try a publish (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The tokio runtime the sink runs on (default: the one this is called
    /// from).
    pub fn runtime(mut self, runtime: Handle) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// A sink of items that convert into an [`Outgoing`] (bytes, strings).
    pub fn build<T>(self) -> Result<(JetStreamSink<T>, SinkHandle), Error>
    where
        T: Into<Outgoing> + Send + 'static,
    {
        self.build_with(Into::into)
    }

    /// A sink that turns each item into an [`Outgoing`] with `encode`
    /// (which may set a message id, a subject, headers).
    pub fn build_with<T, F>(self, encode: F) -> Result<(JetStreamSink<T>, SinkHandle), Error>
    where
        T: Send + 'static,
        F: Fn(T) -> Outgoing + Send + Sync + 'static,
    {
        let runtime = match self.runtime {
            Some(runtime) => runtime,
            None => Handle::try_current().map_err(|_| {
                Error::new(
                    "JetStreamSink needs a tokio runtime: build it inside one or pass .runtime(handle)",
                )
            })?,
        };
        let (commands, receiver) = mpsc::unbounded_channel();
        let (outcome, outcome_receiver) = oneshot::channel();
        let engine = SinkEngine::new(self.js, self.subject, self.max_in_flight, self.retry);
        runtime.spawn(async move {
            let _ = outcome.send(engine.run(receiver).await);
        });
        let sink = JetStreamSink {
            commands,
            encode: Arc::new(encode),
            subscribed: false,
        };
        Ok((
            sink,
            SinkHandle {
                outcome: outcome_receiver,
            },
        ))
    }
}

impl fmt::Debug for SinkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SinkBuilder")
            .field("subject", &self.subject)
            .field("max_in_flight", &self.max_in_flight)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
