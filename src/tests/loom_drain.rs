//! Loom: the WIP protocol serves every signal, one drainer at a time.

use crate::drain::Drain;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::Arc;

/// Each signal records one unit of work, then tries to drain; the drainer
/// moves recorded work into its exclusive state. Loom checks that the state is
/// never touched by two threads at once (`UnsafeCell` tracking), and the
/// final count shows that no signal was lost.
fn signal(shared: &(Drain<usize>, AtomicUsize)) {
    // Ordering: Relaxed; the `try_enter` RMW (AcqRel) publishes it.
    shared.1.fetch_add(1, Ordering::Relaxed);
    if let Some(mut entered) = shared.0.try_enter() {
        loop {
            // Ordering: Relaxed; the drain's Acquire made it visible.
            let work = shared.1.swap(0, Ordering::Relaxed);
            *entered.state() += work;
            match entered.leave() {
                Some(again) => entered = again,
                None => break,
            }
        }
    }
}

#[test]
fn request_races_drain_without_lost_wakeup() {
    loom::model(|| {
        let shared = Arc::new((Drain::new(0usize), AtomicUsize::new(0)));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                loom::thread::spawn(move || signal(&shared))
            })
            .collect();
        signal(&shared);
        for t in threads {
            t.join().unwrap();
        }
        let mut entered = shared.0.try_enter().expect("every drainer left");
        assert_eq!(*entered.state(), 3);
        assert!(entered.leave().is_none());
    });
}

#[test]
fn a_closed_drain_stays_closed_under_concurrent_signals() {
    loom::model(|| {
        let shared = Arc::new((Drain::new(0usize), AtomicUsize::new(0)));
        let s = Arc::clone(&shared);
        let t = loom::thread::spawn(move || signal(&s));
        let closed = match shared.0.try_enter() {
            Some(mut entered) => {
                *entered.state() += 100;
                entered.close();
                true
            }
            None => false,
        };
        t.join().unwrap();
        if closed {
            assert!(shared.0.try_enter().is_none());
        } else {
            // The other thread was draining; it served our failed attempt as a
            // missed signal and left, so the drain is open and holds its work.
            let mut entered = shared.0.try_enter().expect("the drainer left");
            assert_eq!(*entered.state(), 1);
            entered.close();
        }
    });
}
