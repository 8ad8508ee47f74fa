//! Scenario tests of the guide's examples (`docs/examples/`), and the check
//! that the guides show those files verbatim, so that what the reader copies
//! is what the TCK verified (`tests/tck/author.rs`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reactive_streams::{source, Error, ErrorKind, Publisher, PublisherExt, TestSubscriber};

#[allow(unreachable_pub, dead_code)]
#[path = "../docs/examples/countdown.rs"]
mod countdown;

#[allow(unreachable_pub, dead_code)]
#[path = "../docs/examples/pages.rs"]
mod pages;

#[allow(unreachable_pub, dead_code)]
#[path = "../docs/examples/on_thread.rs"]
mod on_thread;

#[allow(unreachable_pub, dead_code)]
#[path = "../docs/examples/relay.rs"]
mod relay;

#[allow(unreachable_pub, dead_code)]
#[path = "../docs/examples/batcher.rs"]
mod batcher;

/// Long enough for a loaded machine; a passing test never waits it out.
const PATIENCE: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// The guides show the example files verbatim
// ---------------------------------------------------------------------------

/// Each ```rust block of a guide whose first line is `// docs/examples/<f>`
/// must equal that file; every example file must be shown.
#[test]
fn the_guides_show_the_tested_examples_verbatim() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut shown = Vec::new();
    for guide in [
        "docs/writing-a-publisher.md",
        "docs/writing-a-subscriber.md",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{guide}")).unwrap();
        for rest in text.split("```rust\n").skip(1) {
            let block = rest.split("```\n").next().unwrap();
            let Some(first) = block.lines().next() else {
                continue;
            };
            let Some(path) = first.strip_prefix("// ") else {
                continue;
            };
            if !path.starts_with("docs/examples/") {
                continue;
            }
            let body = &block[first.len() + 1..];
            let file = std::fs::read_to_string(format!("{root}/{path}"))
                .unwrap_or_else(|e| panic!("{guide} shows {path}, which cannot be read: {e}"));
            assert_eq!(
                body, file,
                "{guide}: the block of {path} differs from the file"
            );
            shown.push(path.to_owned());
        }
    }
    for entry in std::fs::read_dir(format!("{root}/docs/examples")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let path = format!("docs/examples/{name}");
        assert!(shown.contains(&path), "no guide shows {path}");
    }
}

// ---------------------------------------------------------------------------
// Step 1: countdown
// ---------------------------------------------------------------------------

#[test]
fn countdown_counts_down_within_demand() {
    let ts = TestSubscriber::new(2);
    countdown::countdown(4).subscribe(ts.clone());
    ts.assert_values(&[4, 3]).assert_not_terminated();
    ts.request(2);
    ts.assert_values(&[4, 3, 2, 1]).assert_complete();
}

// ---------------------------------------------------------------------------
// Step 2: rows of a table, a page at a time
// ---------------------------------------------------------------------------

/// `0..len`, counting the fetches.
struct Counted {
    len: u64,
    fetches: Arc<AtomicU64>,
}

impl pages::Table for Counted {
    type Row = u64;
    fn fetch(&self, offset: u64, limit: usize) -> Result<Vec<u64>, Error> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        Ok((offset..(offset + limit as u64).min(self.len)).collect())
    }
}

#[test]
fn rows_fetch_a_page_only_when_demand_needs_it() {
    let fetches = Arc::new(AtomicU64::new(0));
    let table = Counted {
        len: 10,
        fetches: Arc::clone(&fetches),
    };
    let rows = pages::Rows::new(table, 4);
    let ts = TestSubscriber::new(0);
    rows.subscribe(ts.clone());
    // The query runs at subscription (a failure shows at once).
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    ts.request(4);
    ts.assert_values(&[0, 1, 2, 3]);
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    ts.request(1);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    ts.request(5);
    ts.assert_values(&(0..10).collect::<Vec<_>>())
        .assert_complete();
    assert_eq!(fetches.load(Ordering::SeqCst), 3);
}

struct Failing;

impl pages::Table for Failing {
    type Row = u64;
    fn fetch(&self, _: u64, _: usize) -> Result<Vec<u64>, Error> {
        Err(Error::new("table is locked"))
    }
}

#[test]
fn rows_of_an_unreadable_table_fail_without_demand() {
    let ts = TestSubscriber::new(0);
    pages::Rows::new(Failing, 4).subscribe(ts.clone());
    ts.assert_no_values()
        .assert_error_message("table is locked");
}

// ---------------------------------------------------------------------------
// Step 3: a producer thread
// ---------------------------------------------------------------------------

#[test]
fn on_thread_delivers_in_order_and_completes() {
    let publisher = on_thread::OnThread::new(2, || (0..100u64).map(Ok));
    let ts = TestSubscriber::new(10);
    publisher.subscribe(ts.clone());
    ts.await_count(10, PATIENCE);
    ts.assert_values(&(0..10).collect::<Vec<_>>());
    ts.request(200);
    ts.await_terminal(PATIENCE);
    ts.assert_values(&(0..100).collect::<Vec<_>>())
        .assert_complete();
}

#[test]
fn on_thread_reports_the_iterators_error_and_panic() {
    let failing = on_thread::OnThread::new(2, || {
        [Ok(1u64), Err(Error::new("sensor unplugged"))].into_iter()
    });
    let ts = TestSubscriber::new(5);
    failing.subscribe(ts.clone());
    ts.await_terminal(PATIENCE);
    ts.assert_values(&[1])
        .assert_error_message("sensor unplugged");

    let panicking = on_thread::OnThread::new(2, || {
        (0..3u64).map(|i| if i == 2 { panic!("driver bug") } else { Ok(i) })
    });
    let ts = TestSubscriber::new(5);
    panicking.subscribe(ts.clone());
    ts.await_terminal(PATIENCE);
    ts.assert_values(&[0, 1])
        .assert_error_kind(ErrorKind::Panic);
}

#[test]
fn on_thread_cancel_stops_the_producer_thread() {
    let made = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&made);
    let endless = on_thread::OnThread::new(2, move || {
        let counter = Arc::clone(&counter);
        (0u64..).map(move |i| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(i)
        })
    });
    let ts = TestSubscriber::new(3);
    endless.subscribe(ts.clone());
    ts.await_count(3, PATIENCE);
    ts.cancel();
    drop(endless);
    // The thread is blocked on the full channel, or about to be; the cancel
    // dropped the receiver, which ends it (and the iterator it owns).
    assert!(
        wait_until(|| Arc::strong_count(&made) == 1),
        "the producer thread still runs"
    );
    // At most the demand, plus the channel's capacity, plus the one the
    // pull holds after looking for the end, plus the one the thread has in
    // hand while blocked: the producer never runs far ahead.
    let made = made.load(Ordering::SeqCst);
    assert!(made <= 3 + 2 + 1 + 1, "{made} items made for a demand of 3");
}

/// Polls `done` until it holds or `PATIENCE` runs out.
fn wait_until(done: impl Fn() -> bool) -> bool {
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::time::Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    done()
}

// ---------------------------------------------------------------------------
// Step 4: the relay processor
// ---------------------------------------------------------------------------

#[test]
fn relay_passes_items_through_whichever_side_comes_first() {
    // Subscriber first.
    let relay = relay::Relay::new(4);
    let ts = TestSubscriber::new(3);
    relay.subscribe(ts.clone());
    source::range(0..10u64).subscribe(relay.clone());
    ts.assert_values(&[0, 1, 2]);
    ts.request(20);
    ts.assert_values(&(0..10).collect::<Vec<_>>())
        .assert_complete();

    // Upstream first: it is asked for the buffer's worth, no more.
    let relay = relay::Relay::new(4);
    let requested = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requested);
    source::range(0..10u64)
        .do_on_request(move |n| log.lock().unwrap().push(n))
        .subscribe(relay.clone());
    assert_eq!(*requested.lock().unwrap(), [4]);
    let ts = TestSubscriber::new(10);
    relay.subscribe(ts.clone());
    ts.assert_values(&(0..10).collect::<Vec<_>>())
        .assert_complete();
    // Topped up at 75%: 3 more after each 3 delivered, until upstream ends.
    assert_eq!(*requested.lock().unwrap(), [4, 3, 3]);
}

#[test]
fn relay_refuses_a_second_subscriber_and_cancel_reaches_upstream() {
    let relay = relay::Relay::new(4);
    let first = TestSubscriber::<u64>::new(1);
    relay.subscribe(first.clone());
    let second = TestSubscriber::<u64>::new(1);
    relay.subscribe(second.clone());
    second.assert_subscribed().assert_error_message("§1.9");

    let cancelled = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&cancelled);
    source::range(0..1_000u64)
        .do_on_cancel(move || {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(relay.clone());
    first.assert_values(&[0]);
    first.cancel();
    assert_eq!(cancelled.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------
// The subscriber guide: the batcher
// ---------------------------------------------------------------------------

#[derive(Clone, Default)]
struct Memory(Arc<Mutex<Vec<Vec<u64>>>>, Option<usize>);

impl batcher::Sink<u64> for Memory {
    fn write(&mut self, batch: Vec<u64>) -> Result<(), Error> {
        let mut batches = self.0.lock().unwrap();
        if Some(batches.len()) == self.1 {
            return Err(Error::new("disk full"));
        }
        batches.push(batch);
        Ok(())
    }
}

#[test]
fn batcher_writes_full_batches_and_the_rest() {
    let sink = Memory::default();
    let (batcher, outcome) = batcher::Batcher::new(sink.clone(), 4);
    let requested = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requested);
    source::range(0..10u64)
        .do_on_request(move |n| log.lock().unwrap().push(n))
        .subscribe(batcher);
    assert_eq!(
        *sink.0.lock().unwrap(),
        [vec![0, 1, 2, 3], vec![4, 5, 6, 7], vec![8, 9]]
    );
    assert!(matches!(*outcome.lock().unwrap(), Some(Ok(()))));
    // 8 at first (twice the batch), then 6 after each 6 consumed.
    assert_eq!(*requested.lock().unwrap(), [8, 6]);
}

#[test]
fn batcher_cancels_upstream_when_the_sink_fails() {
    let sink = Memory(Arc::default(), Some(1)); // the second write fails
    let (batcher, outcome) = batcher::Batcher::new(sink.clone(), 2);
    let cancelled = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&cancelled);
    source::range(0..100u64)
        .do_on_cancel(move || {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .subscribe(batcher);
    assert_eq!(*sink.0.lock().unwrap(), [vec![0, 1]]);
    assert_eq!(cancelled.load(Ordering::SeqCst), 1);
    let outcome = outcome.lock().unwrap();
    assert!(matches!(&*outcome, Some(Err(e)) if e.to_string().contains("disk full")));
}
