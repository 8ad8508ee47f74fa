//! Lines from a TCP connection, enriched by an async call at bounded
//! concurrency, written to a slow sink: a tokio application end to end.
//!
//! ```text
//! cargo run --release --example tcp_enrich --features tokio
//! ```
//!
//! The example starts its own server on loopback (127.0.0.1, a port the OS
//! picks), which writes 60 order lines as fast as the socket takes them. The
//! client's pipeline:
//!
//! 1. [`source::from_stream`]: the socket's lines as a publisher. It reads
//!    a line only when there is demand, so an unread line stays in the
//!    socket (and TCP's flow control holds the server back).
//! 2. [`map_async`](PublisherExt::map_async)`(4, enrich)`: an async lookup
//!    per line (a tokio sleep of 20-50 ms standing in for a database call),
//!    at most 4 at once, results in line order, each under a 1 s timeout on
//!    the runtime's timer ([`TokioScheduler`]).
//! 3. The sink: [`into_stream_with`](PublisherExt::into_stream_with)`(2)`,
//!    awaited in a loop that takes 40 ms per record (a slow writer).
//!
//! Each line printed by the sink shows `requested` (lines asked of the
//! socket so far), `read` (lines read from it), `in flight` (lookups
//! running now) and its peak. Things to see:
//!
//! - `in flight` never exceeds 4, and `read - written` never exceeds the
//!   window `concurrency + buffer` = 8 plus the sink's prefetch of 2:
//!   however fast the server writes, the client holds a bounded number of
//!   lines.
//! - Demand goes to the socket in batches (`requested` steps by 6, 75% of
//!   the window of 8), not one line at a time.
//! - The lookups keep running while the sink is busy, up to the window, so
//!   the slow sink, not the lookups, sets the pace.
//!
//! It ends by itself after the 60 lines (about 3 s).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::stream;
use reactive_streams::scheduler::TokioScheduler;
use reactive_streams::{source, PublisherExt};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const LINES: u64 = 60;
const CONCURRENCY: usize = 4;
const SINK_PREFETCH: usize = 2;
const SINK_WORK: Duration = Duration::from_millis(40);

/// What the pipeline counts, for the printout.
#[derive(Default)]
struct Counters {
    requested: AtomicU64,
    read: AtomicU64,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

/// The async call per line: a lookup that takes 20-50 ms.
async fn enrich(line: String, counters: Arc<Counters>) -> String {
    let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    counters.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    let id: u64 = line.trim_start_matches("order-").parse().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(20 + id * 7 % 31)).await;
    counters.in_flight.fetch_sub(1, Ordering::SeqCst);
    format!(
        "{line} customer=c{:03} total={}.{:02}",
        id % 17,
        id * 13 % 90,
        id % 100
    )
}

/// The server: writes every line as fast as the socket takes it, then
/// closes the connection.
async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let (mut socket, _) = listener.accept().await?;
    for i in 0..LINES {
        socket.write_all(format!("order-{i}\n").as_bytes()).await?;
    }
    socket.shutdown().await
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(serve(listener));
    println!("server on {address}; {LINES} lines, concurrency {CONCURRENCY}, sink 40 ms/record");

    // The socket's lines as a `Stream`, then as a publisher.
    let socket = TcpStream::connect(address).await?;
    let lines = BufReader::new(socket).lines();
    let lines = stream::unfold(lines, |mut lines| async move {
        match lines.next_line().await {
            Ok(Some(line)) => Some((line, lines)),
            Ok(None) | Err(_) => None,
        }
    });

    let counters = Arc::new(Counters::default());
    let (on_request, on_read, call) = (counters.clone(), counters.clone(), counters.clone());
    let mut records = source::from_stream(lines)
        .do_on_request(move |n| {
            on_request.requested.fetch_add(n, Ordering::SeqCst);
        })
        .do_on_next(move |_| {
            on_read.read.fetch_add(1, Ordering::SeqCst);
        })
        .map_async(CONCURRENCY, move |line| enrich(line, call.clone()))
        .timeout_on(Duration::from_secs(1), TokioScheduler::current())
        .into_stream_with(SINK_PREFETCH);

    // The slow sink.
    let mut written = 0u64;
    while let Some(record) = records.next().await {
        let record = record?;
        tokio::time::sleep(SINK_WORK).await;
        written += 1;
        println!(
            "wrote {record:<42} | requested {:>2}  read {:>2}  written {written:>2}  in flight {} (peak {})",
            counters.requested.load(Ordering::SeqCst),
            counters.read.load(Ordering::SeqCst),
            counters.in_flight.load(Ordering::SeqCst),
            counters.peak_in_flight.load(Ordering::SeqCst),
        );
    }
    server.await??;
    let peak = counters.peak_in_flight.load(Ordering::SeqCst);
    println!(
        "done: {written} records written; at most {peak} lookups ran at once (bound {CONCURRENCY})"
    );
    assert!(peak <= CONCURRENCY, "the concurrency bound was exceeded");
    Ok(())
}
