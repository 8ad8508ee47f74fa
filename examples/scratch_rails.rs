use reactive_streams::ops::ParallelPublisher;
use reactive_streams::{scheduler, source, Publisher, PublisherExt, TestSubscriber};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
fn main() {
    let ts = TestSubscriber::unbounded();
    let low = Arc::new(AtomicU64::new(0));
    let l2 = low.clone();
    let p = source::range(0..2_000_000u64)
        .parallel(3)
        .run_on(scheduler::single())
        .map(move |x| {
            if x < 600 && x % 3 != 0 {
                l2.fetch_add(1, Ordering::Relaxed);
            }
            x
        });
    p.sequential().subscribe(ts.clone());
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(30));
        let mut v = ts.values();
        let n = v.len() as u64;
        v.sort();
        let missing: Vec<u64> = (0..n).filter(|x| v.binary_search(x).is_err()).collect();
        eprintln!(
            "got {} missing below n {} first missing {:?} mapped-low {}",
            v.len(),
            missing.len(),
            &missing[..missing.len().min(10)],
            low.load(Ordering::Relaxed)
        );
    }
}
