//! Hand-driven async pieces for the loom models of the interop bridges: a
//! waker that records that it was woken, and a gate (a future, or a stream of
//! one item) that a model's thread opens.
//!
//! The gate keeps its value and its waker under one shim lock, so the gate
//! itself never loses a wake-up: what a model checks is the bridge's own
//! handshake between the waker and its drain or its queue.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::task::Wake;

use futures_core::Stream;

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex};

/// A waker that remembers being woken.
#[derive(Debug)]
pub(crate) struct Flag(AtomicBool);

impl Flag {
    /// A waker and the flag it sets.
    pub(crate) fn waker() -> (Waker, Arc<Flag>) {
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        (Waker::from(Arc::clone(&flag)), flag)
    }

    pub(crate) fn is_set(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `wake_by_ref`.
        self.0.load(Ordering::Acquire)
    }
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Ordering: Release: what the waking thread did before is visible to
        // the model after it sees the flag. Pairs with: `is_set`.
        self.0.store(true, Ordering::Release);
    }
}

/// The shared side of a [`Gated`] future or stream.
#[derive(Debug)]
pub(crate) struct Gate {
    state: Mutex<GateState>,
    /// Set when the future (or stream) was dropped.
    dropped: AtomicBool,
}

#[derive(Debug, Default)]
struct GateState {
    value: Option<u64>,
    /// Open with no value: the stream ends.
    closed: bool,
    waker: Option<Waker>,
}

impl Gate {
    pub(crate) fn new() -> Arc<Gate> {
        Arc::new(Gate {
            state: Mutex::new(GateState::default()),
            dropped: AtomicBool::new(false),
        })
    }

    /// A future (or a stream of what the gate lets through) on this gate.
    pub(crate) fn gated(self: &Arc<Self>) -> Gated {
        Gated {
            gate: Arc::clone(self),
        }
    }

    /// Lets `value` through and wakes whoever waits (outside the lock).
    pub(crate) fn open(&self, value: u64) {
        let waker = {
            let mut state = self.state.lock();
            state.value = Some(value);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Ends the stream (with no value left) and wakes whoever waits.
    pub(crate) fn close(&self) {
        let waker = {
            let mut state = self.state.lock();
            state.closed = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// True once the future (or stream) on this gate was dropped.
    pub(crate) fn was_dropped(&self) -> bool {
        // Ordering: Acquire pairs with the Release in `Gated::drop`.
        self.dropped.load(Ordering::Acquire)
    }

    /// The value if one is there, else `None` with `waker` registered (under
    /// the same lock, so an `open` cannot slip in between).
    fn poll(&self, waker: &Waker) -> Poll<Option<u64>> {
        let mut state = self.state.lock();
        if let Some(value) = state.value.take() {
            return Poll::Ready(Some(value));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        state.waker = Some(waker.clone());
        Poll::Pending
    }
}

/// A future that resolves with the value its [`Gate`] lets through; as a
/// stream, the values, until the gate is closed.
#[derive(Debug)]
pub(crate) struct Gated {
    gate: Arc<Gate>,
}

impl Future for Gated {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        match self.gate.poll(cx.waker()) {
            Poll::Ready(Some(value)) => Poll::Ready(value),
            Poll::Ready(None) => panic!("a gated future's gate was closed without a value"),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Stream for Gated {
    type Item = u64;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        self.gate.poll(cx.waker())
    }
}

impl Drop for Gated {
    fn drop(&mut self) {
        // Ordering: Release, for the model's read. Pairs with: `was_dropped`.
        self.gate.dropped.store(true, Ordering::Release);
    }
}
