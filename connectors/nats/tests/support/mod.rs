//! A real `nats-server` with JetStream for the tests: on a free loopback
//! port, its store in a temporary directory, killed and restarted at will.
//! No mock.

#![allow(dead_code)] // each test binary uses part of it

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_nats::jetstream::consumer::{pull, AckPolicy, PullConsumer};
use async_nats::jetstream::{self, stream, Context};
use bytes::Bytes;
use reactive_streams_nats::{JetStreamSource, SourceBuilder};

pub(crate) mod collector;

/// A `nats-server -js` process of this test's own.
pub(crate) struct NatsServer {
    child: Option<Child>,
    port: u16,
    store: PathBuf,
}

impl NatsServer {
    /// Starts one; panics with a clear message if `nats-server` is not on
    /// PATH.
    pub(crate) fn start() -> NatsServer {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let store = std::env::temp_dir().join(format!(
            "reactive-streams-nats-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&store).expect("create the server's store directory");
        let port = free_port();
        let mut server = NatsServer {
            child: None,
            port,
            store,
        };
        server.restart();
        server
    }

    /// `nats://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the process (SIGKILL: no clean shutdown); the store stays for
    /// `restart`.
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // A line on the wrapper's stdin: SIGKILL the server, keep the store.
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(b"keep\n");
            }
            let _ = child.wait();
        }
    }

    /// Starts the process again on the same port and store (after `kill`).
    pub(crate) fn restart(&mut self) {
        self.kill();
        // A shell stands between, holding a pipe from this process: when the
        // pipe closes without a line (drop, or this process exiting in any
        // way, even with the server in a static), it kills the server and
        // removes the store, so that nothing outlives the tests.
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(
                "command -v nats-server >/dev/null || exit 127; store=$1; shift; \
                 nats-server \"$@\" & server=$!; \
                 if read _; then kill -9 $server; wait $server; \
                 else kill -9 $server; wait $server; rm -rf \"$store\"; fi",
            )
            .arg("nats-server")
            .arg(&self.store)
            .args(["-js", "-a", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .arg("-sd")
            .arg(&self.store)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(error) => panic!("could not start `sh` for nats-server: {error}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                if status.code() == Some(127) {
                    panic!(
                        "`nats-server` is not on PATH: these tests need a real NATS server \
                         (Debian/Ubuntu: `apt-get install nats-server`)"
                    );
                }
                panic!(
                    "nats-server exited at start ({status}) on port {}",
                    self.port
                );
            }
            assert!(
                Instant::now() < deadline,
                "nats-server did not listen on port {} within 20 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child = Some(child);
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // EOF: the wrapper kills the server and removes the store.
            drop(child.stdin.take());
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.store);
    }
}

/// A loopback port nobody listens on now, and never handed out before in
/// this process (a killed server's port stays its own for its restart).
pub(crate) fn free_port() -> u16 {
    static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let mut handed_out = HANDED_OUT.lock().unwrap();
    loop {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        if handed_out.insert(port) {
            return port;
        }
    }
}

/// A multi-thread runtime for one test.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Connects to `server`.
pub(crate) async fn jetstream(server: &NatsServer) -> Context {
    let client = async_nats::connect(server.url()).await.expect("connect");
    jetstream::new(client)
}

/// A file-backed stream `name` capturing `<name>.>`.
pub(crate) async fn create_stream(js: &Context, name: &str) -> stream::Stream {
    js.create_stream(stream::Config {
        name: name.to_owned(),
        subjects: vec![format!("{name}.>")],
        storage: stream::StorageType::File,
        ..Default::default()
    })
    .await
    .expect("create stream")
}

/// A durable pull consumer with the given ack policy and limits.
pub(crate) async fn durable(
    stream: &stream::Stream,
    name: &str,
    ack_policy: AckPolicy,
    max_ack_pending: i64,
    ack_wait: Duration,
) -> PullConsumer {
    stream
        .get_or_create_consumer(
            name,
            pull::Config {
                durable_name: Some(name.to_owned()),
                ack_policy,
                max_ack_pending,
                ack_wait,
                ..Default::default()
            },
        )
        .await
        .expect("create consumer")
}

/// Publishes `count` messages `0..count` (as decimal text) to `subject`,
/// awaiting the acks in windows.
pub(crate) async fn fill(js: &Context, subject: &str, count: u64) {
    fill_with(js, subject, count, |i| Bytes::from(i.to_string())).await
}

/// Publishes `count` messages made by `payload` to `subject`.
pub(crate) async fn fill_with(
    js: &Context,
    subject: &str,
    count: u64,
    payload: impl Fn(u64) -> Bytes,
) {
    let mut acks = Vec::with_capacity(1024);
    for i in 0..count {
        acks.push(
            js.publish(subject.to_owned(), payload(i))
                .await
                .expect("publish"),
        );
        if acks.len() == 1024 {
            for ack in acks.drain(..) {
                ack.await.expect("publish ack");
            }
        }
    }
    for ack in acks {
        ack.await.expect("publish ack");
    }
}

/// Parses a decimal payload.
pub(crate) fn decimal(bytes: &Bytes) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
    Ok(std::str::from_utf8(bytes)?.parse()?)
}

/// What most source tests start from: a stream `<name>` filled on
/// `<name>.x`, and a durable pull consumer on it. Built with
/// `Fixture::stream(..).fill(..).durable(..)`, made by `open`.
pub(crate) struct Fixture {
    stream: String,
    messages: u64,
    payload: Box<dyn Fn(u64) -> Bytes>,
    durable: Option<(String, AckPolicy, i64, Duration)>,
}

impl Fixture {
    /// A stream `name`, empty so far.
    pub(crate) fn stream(name: &str) -> Fixture {
        Fixture {
            stream: name.to_owned(),
            messages: 0,
            payload: Box::new(|i| Bytes::from(i.to_string())),
            durable: None,
        }
    }

    /// Publishes `count` messages `0..count` (as decimal text), like `fill`.
    pub(crate) fn fill(mut self, count: u64) -> Fixture {
        self.messages = count;
        self
    }

    /// Publishes `count` messages made by `payload`, like `fill_with`.
    pub(crate) fn fill_with(
        mut self,
        count: u64,
        payload: impl Fn(u64) -> Bytes + 'static,
    ) -> Fixture {
        self.messages = count;
        self.payload = Box::new(payload);
        self
    }

    /// The durable consumer, as `durable` makes it.
    pub(crate) fn durable(
        mut self,
        name: &str,
        ack_policy: AckPolicy,
        max_ack_pending: i64,
        ack_wait: Duration,
    ) -> Fixture {
        self.durable = Some((name.to_owned(), ack_policy, max_ack_pending, ack_wait));
        self
    }

    /// Connects to `server` and makes the stream, its messages and the
    /// consumer, in that order.
    pub(crate) fn open(
        self,
        rt: &tokio::runtime::Runtime,
        server: &NatsServer,
    ) -> (Context, PullConsumer) {
        let (name, ack_policy, max_ack_pending, ack_wait) =
            self.durable.expect("Fixture::durable names the consumer");
        rt.block_on(async {
            let js = jetstream(server).await;
            let stream = create_stream(&js, &self.stream).await;
            if self.messages > 0 {
                let subject = format!("{}.x", self.stream);
                fill_with(&js, &subject, self.messages, &self.payload).await;
            }
            let consumer = durable(&stream, &name, ack_policy, max_ack_pending, ack_wait).await;
            (js, consumer)
        })
    }
}

/// The usual source: decimal payloads, on `rt`; the test adds what varies
/// and builds.
pub(crate) fn decimal_source(
    js: &Context,
    consumer: PullConsumer,
    rt: &tokio::runtime::Runtime,
) -> SourceBuilder<u64> {
    JetStreamSource::builder(js, consumer)
        .decode(decimal)
        .runtime(rt.handle().clone())
}
