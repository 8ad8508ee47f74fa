//! What the whitebox and blackbox self-tests' subscribers do wrong for the
//! strict tests: shared, since the flaw is the same whichever way the TCK
//! looks at the subscriber. **Wrong on purpose.**

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use reactive_streams::Subscription;

/// The signal budget of the §2.2 self-tests; a blocking subscriber takes
/// three.
pub(crate) const BUDGET: Duration = Duration::from_millis(20);

/// A thread that requests 1 a moment from now (§2.4, when the stream is over).
pub(crate) fn requests_a_moment_later(subscription: &Arc<dyn Subscription>) {
    let subscription = Arc::clone(subscription);
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(5));
        subscription.request(1);
    });
}

/// Two threads that request 1 each, at once (§2.7).
pub(crate) fn requests_from_two_threads_at_once(subscription: &Arc<dyn Subscription>) {
    let start = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (subscription, start) = (Arc::clone(subscription), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                subscription.request(1);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
