//! Peak memory of a fast source hopping to a slow consumer: flat in the
//! number of items, because the hop holds at most its prefetch (256).
//!
//! ```text
//! cargo run --release --example hop_memory
//! ```
//!
//! `range(0..N)` emits on one scheduler's thread (`subscribe_on`, so the
//! producer really is another thread), `publish_on(single())` hops each
//! item to a consumer that spends some work on it (slower than the
//! producer), and the process reports its peak resident set (`VmHWM` in
//! `/proc/self/status`, Linux only). Without arguments it runs itself once
//! per N in a child process (1e5, 1e6, 1e7), so each peak is its own; with
//! one argument it runs that N and prints `N peak_kib`.

use std::hint::black_box;
use std::process::Command;
use std::sync::mpsc;
use std::sync::Arc;

use reactive_streams::scheduler::{self, SingleScheduler};
use reactive_streams::{
    source, Error, Publisher, PublisherExt, Subscriber, Subscription, UNBOUNDED,
};

/// A consumer slower than the producer: some arithmetic per item.
struct Slow {
    total: u64,
    done: mpsc::Sender<u64>,
}

impl Subscriber<u64> for Slow {
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        subscription.request(UNBOUNDED);
    }

    fn on_next(&mut self, item: u64) {
        let mut x = item;
        for _ in 0..64 {
            x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        self.total = self.total.wrapping_add(x);
    }

    fn on_error(&mut self, error: Error) {
        panic!("the stream failed: {error}");
    }

    fn on_complete(&mut self) {
        let _ = self.done.send(self.total);
    }
}

/// The process's peak resident set in KiB, if the platform says.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run(n: u64) {
    let producer = SingleScheduler::new("hop-memory-producer");
    let (done, result) = mpsc::channel();
    source::range(0..n)
        .subscribe_on(&producer)
        .publish_on(scheduler::single())
        .subscribe(Slow { total: 0, done });
    let total = result.recv().expect("the stream completed");
    black_box(total);
    match peak_kib() {
        Some(kib) => println!("{n} {kib}"),
        None => println!("{n} unknown (no /proc/self/status)"),
    }
}

fn main() {
    if let Some(n) = std::env::args().nth(1) {
        return run(n.parse().expect("N, an integer"));
    }
    let me = std::env::current_exe().expect("the path of this program");
    println!("N peak_kib");
    for n in [100_000u64, 1_000_000, 10_000_000] {
        let output = Command::new(&me)
            .arg(n.to_string())
            .output()
            .expect("the child ran");
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
}
