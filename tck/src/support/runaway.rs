//! `RunawayGuard`: how the TCK's subscribers stop a publisher that ignores
//! their `cancel`.
//!
//! A publisher that ignores `cancel` and emits for ever on its own thread
//! (or in a loop inside `request`) would go on burning a core after its test
//! failed, and slow down every other test of the run. The only handle the
//! TCK has on it is the subscriber it is calling: once the TCK cancelled
//! (because the test is over, or for a reason of the test's own), the guard
//! counts the items that still arrive, and past [`IGNORED_CANCEL_LIMIT`]
//! items *and* one no-signals timeout after the cancel it panics out of
//! `on_next`. That unwinds the publisher's emission loop unless the
//! publisher catches panics; either way the test's report says what was
//! seen ([`TestCase::run`](crate::TestCase::run)).
//!
//! A correct publisher never meets the panic: after `cancel` it sends at
//! most what was already in flight, far fewer than 1024 items.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use reactive_streams::Subscription;

use crate::env::TestEnvironment;
use crate::sync::{lock, millis};

/// How many `on_next` a publisher may still send after the TCK cancelled it
/// (for overflowing its buffer, at the end of the test, or as the test's own
/// step), before the TCK gives up on §2.13 and panics out of `on_next` to
/// stop it; the panic also waits for one no-signals timeout after the
/// cancel.
pub const IGNORED_CANCEL_LIMIT: u64 = 1024;

/// Counts what arrives after the TCK's cancel; see the module docs.
#[derive(Default)]
pub(crate) struct RunawayGuard {
    state: Mutex<GuardState>,
}

#[derive(Default)]
struct GuardState {
    /// When the TCK cancelled, if it did.
    cancelled_at: Option<Instant>,
    /// Items since then.
    since_cancel: u64,
    /// Whether the guard itself cancelled because the test is over.
    cancelled_for_end: bool,
    /// Whether the runaway was recorded (once: a publisher that catches the
    /// panic and goes on must not fill the record).
    reported: bool,
}

impl RunawayGuard {
    /// The TCK's subscriber cancelled its subscription and the call
    /// returned: from now on, items count against the limit.
    pub(crate) fn cancelled(&self) {
        let mut state = lock(&self.state);
        if state.cancelled_at.is_none() {
            state.cancelled_at = Some(Instant::now());
        }
    }

    /// At every `on_next`: if the test is over, cancels `subscription` once;
    /// once cancelled, counts the item, and panics out of `on_next` past the
    /// limit (recording what it saw in `env` first).
    pub(crate) fn on_next(
        &self,
        env: &TestEnvironment,
        subscription: Option<Arc<dyn Subscription>>,
    ) {
        let cancel_for_end = {
            let mut state = lock(&self.state);
            let end = env.is_over().is_some() && !state.cancelled_for_end;
            if end {
                state.cancelled_for_end = true;
            }
            end
        };
        if cancel_for_end {
            if let Some(subscription) = subscription {
                subscription.cancel();
            }
            self.cancelled();
        }
        let mut state = lock(&self.state);
        let Some(at) = state.cancelled_at else {
            return;
        };
        state.since_cancel += 1;
        let since = state.since_cancel;
        let waited = at.elapsed();
        if since <= IGNORED_CANCEL_LIMIT || waited < env.no_signals_timeout() {
            return;
        }
        let first = !std::mem::replace(&mut state.reported, true);
        drop(state);
        let message = format!(
            "the publisher ignored cancel: {since} onNext arrived in the {} ms after the TCK \
             cancelled it (§3.12); the TCK panicked out of onNext to stop it",
            millis(waited)
        );
        if first {
            env.flop_violation(message.clone());
        }
        panic!("reactive-streams-tck: {message}");
    }
}
