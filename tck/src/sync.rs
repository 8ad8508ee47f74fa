//! Lock helpers shared by the support types.
//!
//! The TCK runs code under test that may panic while a TCK lock is held (a
//! subscriber callback on the publisher's thread, say). A poisoned lock must
//! not turn that into a second, confusing panic in the test thread: the data
//! behind every TCK lock stays consistent across a panic (each critical section
//! is a few plain assignments), so poisoning is ignored.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Locks `mutex`, ignoring poisoning (see the module docs).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `condvar` until `done` holds or `deadline` passes; returns the
/// guard and whether `done` holds.
pub(crate) fn wait_until<'a, T>(
    condvar: &Condvar,
    mut guard: MutexGuard<'a, T>,
    deadline: Instant,
    mut done: impl FnMut(&mut T) -> bool,
) -> (MutexGuard<'a, T>, bool) {
    loop {
        if done(&mut guard) {
            return (guard, true);
        }
        let now = Instant::now();
        if now >= deadline {
            return (guard, false);
        }
        guard = condvar
            .wait_timeout(guard, deadline - now)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// `Instant::now() + timeout`, saturating far in the future instead of
/// panicking on overflow.
pub(crate) fn deadline(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + Duration::from_secs(60 * 60 * 24 * 365))
}

/// Milliseconds, for messages ("within 2000 ms").
pub(crate) fn millis(d: Duration) -> u128 {
    d.as_millis()
}
