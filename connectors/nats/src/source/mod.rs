//! [`JetStreamSource`]: a durable pull consumer as a `Publisher`, whose
//! downstream demand becomes pull requests.

mod credit;
mod dead_letter;
mod delivery;
mod engine;
mod shared;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::{pull, AckPolicy, Consumer};
use async_nats::jetstream::Context;
use bytes::Bytes;
use reactive_streams::{Error, Publisher, Subscriber};
use tokio::runtime::Handle;

pub use self::dead_letter::{
    DeadLetter, DEAD_LETTER_REASON, DEAD_LETTER_SEQUENCE, DEAD_LETTER_SUBJECT,
};
pub use self::delivery::{Delivery, Metadata};
use self::engine::Engine;
use self::shared::{Shared, SourceSubscription};
use crate::stats::{Counters, SourceStats};

/// A decoder's error, boxed.
pub type DecodeError = Box<dyn std::error::Error + Send + Sync>;

type Decoder<T> = dyn Fn(&Bytes) -> Result<T, DecodeError> + Send + Sync;

/// Who acknowledges a message, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckMode {
    /// The user settles each [`Delivery`] (at-least-once: a message whose
    /// processing did not finish is redelivered). Needs a consumer with
    /// `AckPolicy::Explicit`.
    Manual,
    /// The source acknowledges a message when `on_next` returns. Needs
    /// `AckPolicy::Explicit`.
    OnNext,
    /// Nothing is acknowledged (at-most-once). Needs `AckPolicy::None`.
    None,
}

/// A JetStream durable pull consumer as a [`Publisher`] of [`Delivery`]s.
///
/// Each subscription pulls for itself: `request(n)` becomes pull requests
/// of at most `batch` messages, the next one sent when three quarters of
/// the last have been emitted, never for more than the demand not yet met,
/// and never letting pulled-but-unsettled messages pass the consumer's
/// `max_ack_pending`. Several subscriptions (in one process or several) on
/// one durable consumer share its messages: the server hands each message
/// to one of them.
///
/// The engine of a subscription is a task on a tokio runtime; `on_next`
/// runs there (hop with `publish_on` for slow work).
///
/// The stream never completes unless built with
/// [`complete_when_drained`](SourceBuilder::complete_when_drained).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// use async_nats::jetstream::{self, consumer::pull};
/// use reactive_streams::PublisherExt;
/// use reactive_streams_nats::{AckMode, JetStreamSource};
///
/// let client = async_nats::connect("127.0.0.1:4222").await?;
/// let js = jetstream::new(client);
/// let stream = js.get_stream("ORDERS").await?;
/// let consumer = stream
///     .get_or_create_consumer("billing", pull::Config {
///         durable_name: Some("billing".into()),
///         ..Default::default()
///     })
///     .await?;
/// let source = JetStreamSource::builder(&js, consumer)
///     .decode(|bytes| String::from_utf8(bytes.to_vec()))
///     .ack_mode(AckMode::Manual)
///     .build()?;
/// source.subscribe_with(|delivery| {
///     println!("{}", delivery.value);
///     delivery.ack();
/// });
/// # Ok(()) }
/// ```
pub struct JetStreamSource<T> {
    inner: Arc<SourceInner<T>>,
}

pub(crate) struct SourceInner<T> {
    pub(crate) js: Context,
    pub(crate) consumer: Consumer<pull::Config>,
    pub(crate) runtime: Handle,
    pub(crate) decode: Arc<Decoder<T>>,
    pub(crate) ack_mode: AckMode,
    pub(crate) batch: u64,
    pub(crate) pull_expires: Duration,
    pub(crate) dead_letter: DeadLetter,
    pub(crate) complete_when_drained: bool,
    pub(crate) counters: Arc<Counters>,
}

/// A clone subscribes to the same consumer and shares the counters.
impl<T> Clone for JetStreamSource<T> {
    fn clone(&self) -> Self {
        JetStreamSource {
            inner: self.inner.clone(),
        }
    }
}

impl<T> JetStreamSource<T> {
    /// The counters of all its subscriptions so far.
    pub fn stats(&self) -> SourceStats {
        self.inner.counters.snapshot()
    }
}

impl JetStreamSource<Bytes> {
    /// A builder over `consumer` (a pull consumer of `js`), emitting raw
    /// payloads until [`decode`](SourceBuilder::decode) says otherwise.
    pub fn builder(js: &Context, consumer: Consumer<pull::Config>) -> SourceBuilder<Bytes> {
        SourceBuilder {
            js: js.clone(),
            consumer,
            runtime: None,
            decode: Arc::new(|bytes: &Bytes| Ok(bytes.clone())),
            ack_mode: AckMode::Manual,
            batch: 256,
            pull_expires: Duration::from_secs(10),
            dead_letter: DeadLetter::default(),
            complete_when_drained: false,
        }
    }
}

impl<T: Send + 'static> Publisher for JetStreamSource<T> {
    type Item = Delivery<T>;

    fn subscribe<S>(&self, mut subscriber: S)
    where
        S: Subscriber<Delivery<T>> + 'static,
    {
        let shared = Arc::new(Shared::new(self.inner.counters.clone()));
        // §1.9: on_subscribe first, on the caller's thread; demand it asks
        // for there is recorded before the engine starts.
        subscriber.on_subscribe(Arc::new(SourceSubscription(shared.clone())));
        let engine = Engine::new(self.inner.clone(), shared, subscriber);
        self.inner.runtime.spawn(engine.run());
    }
}

impl<T> fmt::Debug for JetStreamSource<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.inner.consumer.cached_info();
        f.debug_struct("JetStreamSource")
            .field("stream", &info.stream_name)
            .field("consumer", &info.name)
            .field("ack_mode", &self.inner.ack_mode)
            .field("batch", &self.inner.batch)
            .finish_non_exhaustive()
    }
}

/// Configures a [`JetStreamSource`]; made by [`JetStreamSource::builder`].
///
/// ```no_run
/// # fn make(js: &async_nats::jetstream::Context, consumer: async_nats::jetstream::consumer::PullConsumer)
/// #     -> Result<(), reactive_streams::Error> {
/// use std::time::Duration;
/// use reactive_streams_nats::{AckMode, DeadLetter, DecodeError, JetStreamSource};
///
/// let source = JetStreamSource::builder(js, consumer)
///     .decode(|bytes| -> Result<u64, DecodeError> { Ok(std::str::from_utf8(bytes)?.parse()?) })
///     .ack_mode(AckMode::OnNext)
///     .batch(64)
///     .pull_expires(Duration::from_secs(5))
///     .dead_letter(DeadLetter::to_subject("orders.dead").max_deliveries(5))
///     .build()?;
/// # Ok(()) }
/// ```
pub struct SourceBuilder<T> {
    js: Context,
    consumer: Consumer<pull::Config>,
    runtime: Option<Handle>,
    decode: Arc<Decoder<T>>,
    ack_mode: AckMode,
    batch: u64,
    pull_expires: Duration,
    dead_letter: DeadLetter,
    complete_when_drained: bool,
}

impl<T: Send + 'static> SourceBuilder<T> {
    /// Decodes each payload; a payload it rejects goes to the
    /// [`dead_letter`](SourceBuilder::dead_letter) policy and is not
    /// emitted. A panic in it ends the subscription with `on_error`.
    pub fn decode<U, E, F>(self, decode: F) -> SourceBuilder<U>
    where
        F: Fn(&Bytes) -> Result<U, E> + Send + Sync + 'static,
        E: Into<DecodeError>,
    {
        SourceBuilder {
            js: self.js,
            consumer: self.consumer,
            runtime: self.runtime,
            decode: Arc::new(move |bytes: &Bytes| decode(bytes).map_err(Into::into)),
            ack_mode: self.ack_mode,
            batch: self.batch,
            pull_expires: self.pull_expires,
            dead_letter: self.dead_letter,
            complete_when_drained: self.complete_when_drained,
        }
    }

    /// Who acknowledges (default [`AckMode::Manual`]).
    pub fn ack_mode(mut self, mode: AckMode) -> Self {
        self.ack_mode = mode;
        self
    }

    /// The largest pull request (default 256; clamped to 1 and to the
    /// consumer's `max_ack_pending`).
    pub fn batch(mut self, batch: u64) -> Self {
        self.batch = batch;
        self
    }

    /// How long a pull request waits at the server for messages (default
    /// 10 s); also how long a pull lost with a connection can hold demand.
    pub fn pull_expires(mut self, expires: Duration) -> Self {
        self.pull_expires = expires.max(Duration::from_millis(10));
        self
    }

    /// What to do with messages that fail to decode or come too often.
    pub fn dead_letter(mut self, policy: DeadLetter) -> Self {
        self.dead_letter = policy;
        self
    }

    /// Completes the subscription once the consumer has no message left
    /// pending (for batch jobs and tests); by default a source waits for
    /// new messages forever.
    pub fn complete_when_drained(mut self) -> Self {
        self.complete_when_drained = true;
        self
    }

    /// The tokio runtime the engines run on (default: the one this is
    /// called from).
    pub fn runtime(mut self, runtime: Handle) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// The source; fails if there is no runtime or the ack mode does not
    /// fit the consumer's ack policy.
    pub fn build(self) -> Result<JetStreamSource<T>, Error> {
        let runtime = match self.runtime {
            Some(runtime) => runtime,
            None => Handle::try_current().map_err(|_| {
                Error::new(
                    "JetStreamSource needs a tokio runtime: build it inside one or pass .runtime(handle)",
                )
            })?,
        };
        let info = self.consumer.cached_info();
        let policy = info.config.ack_policy;
        let fits = match self.ack_mode {
            AckMode::None => policy == AckPolicy::None,
            AckMode::Manual | AckMode::OnNext => policy != AckPolicy::None,
        };
        if !fits {
            return Err(Error::new(format!(
                "ack mode {:?} does not fit consumer `{}`, whose ack policy is {:?}",
                self.ack_mode, info.name, policy
            )));
        }
        Ok(JetStreamSource {
            inner: Arc::new(SourceInner {
                js: self.js,
                consumer: self.consumer,
                runtime,
                decode: self.decode,
                ack_mode: self.ack_mode,
                batch: self.batch,
                pull_expires: self.pull_expires,
                dead_letter: self.dead_letter,
                complete_when_drained: self.complete_when_drained,
                counters: Arc::default(),
            }),
        })
    }
}

impl<T> fmt::Debug for SourceBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceBuilder")
            .field("ack_mode", &self.ack_mode)
            .field("batch", &self.batch)
            .field("pull_expires", &self.pull_expires)
            .field("dead_letter", &self.dead_letter)
            .finish_non_exhaustive()
    }
}
