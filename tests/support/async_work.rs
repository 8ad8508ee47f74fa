//! Futures and streams that finish on another thread, as a socket or a timer
//! would, without any runtime: for the interop tests and TCK runs.
//!
//! - [`later`]: a future whose first poll hands its waker to a helper
//!   thread, which wakes it; its second poll is ready.
//! - [`Gate`]: a future a test opens by hand, which counts how many of its
//!   kind are running at once (for the in-flight bound).
//! - [`channel_stream`]: a stream fed by a thread of its own through a
//!   bounded channel, woken as the channel wakes it.
#![allow(dead_code)] // each test binary uses a part

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::thread;

use futures::channel::mpsc as async_mpsc;
use futures::SinkExt;

/// The helper thread's inbox: a flag to set, then a waker to wake.
type Inbox = Mutex<mpsc::Sender<(Arc<AtomicBool>, Waker)>>;

/// The helper thread, started at first use.
fn helper() -> &'static Inbox {
    static HELPER: OnceLock<Inbox> = OnceLock::new();
    HELPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<(Arc<AtomicBool>, Waker)>();
        thread::Builder::new()
            .name("async-work-helper".into())
            .spawn(move || {
                for (done, waker) in rx {
                    done.store(true, Ordering::Release);
                    waker.wake();
                }
            })
            .expect("spawn the helper thread");
        Mutex::new(tx)
    })
}

/// A future of `value` that is ready only after the helper thread woke it.
pub(crate) fn later<T>(value: T) -> Later<T> {
    Later {
        value: Some(value),
        done: None,
    }
}

/// See [`later`].
pub(crate) struct Later<T> {
    value: Option<T>,
    done: Option<Arc<AtomicBool>>,
}

impl<T> Unpin for Later<T> {}

impl<T> Future for Later<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if let Some(done) = &this.done {
            if done.load(Ordering::Acquire) {
                return Poll::Ready(this.value.take().expect("polled after ready"));
            }
        }
        // (Re-)register: the helper sets the flag, then wakes this waker.
        let done = this
            .done
            .get_or_insert_with(|| Arc::new(AtomicBool::new(false)));
        helper()
            .lock()
            .unwrap()
            .send((Arc::clone(done), cx.waker().clone()))
            .expect("the helper thread runs");
        Poll::Pending
    }
}

/// Counts how many gated futures run at once (polled, not finished, not
/// dropped), and the most that ever did.
#[derive(Debug, Default)]
pub(crate) struct Running {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Running {
    pub(crate) fn new() -> Arc<Running> {
        Arc::new(Running::default())
    }

    pub(crate) fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    pub(crate) fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A future opened by hand: ready with its value once [`Gate::open`] was
/// called (before or after it started).
#[derive(Clone, Default)]
pub(crate) struct Gate {
    state: Arc<Mutex<GateState>>,
}

#[derive(Default)]
struct GateState {
    open: bool,
    waker: Option<Waker>,
}

impl Gate {
    pub(crate) fn new() -> Gate {
        Gate::default()
    }

    /// The future of `value`, counted in `running` while it runs.
    pub(crate) fn future<T>(&self, value: T, running: Arc<Running>) -> Gated<T> {
        Gated {
            gate: self.clone(),
            value: Some(value),
            running,
            started: false,
        }
    }

    /// Opens the gate and wakes the future waiting on it (outside the lock).
    pub(crate) fn open(&self) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.open = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// See [`Gate::future`].
pub(crate) struct Gated<T> {
    gate: Gate,
    value: Option<T>,
    running: Arc<Running>,
    started: bool,
}

impl<T> Unpin for Gated<T> {}

impl<T> Future for Gated<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if !this.started {
            this.started = true;
            this.running.enter();
        }
        let mut state = this.gate.state.lock().unwrap();
        if state.open {
            drop(state);
            this.running.leave();
            this.started = false;
            return Poll::Ready(this.value.take().expect("polled after ready"));
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl<T> Drop for Gated<T> {
    fn drop(&mut self) {
        if self.started {
            self.running.leave();
        }
    }
}

/// A stream of `items`, sent by a thread of its own through a channel of
/// `capacity` (so the thread waits for the consumer); the thread stops when
/// the stream is dropped.
pub(crate) fn channel_stream<T: Send + 'static>(
    items: impl IntoIterator<Item = T> + Send + 'static,
    capacity: usize,
) -> async_mpsc::Receiver<T> {
    let (mut tx, rx) = async_mpsc::channel(capacity);
    thread::spawn(move || {
        futures::executor::block_on(async move {
            for item in items {
                if tx.send(item).await.is_err() {
                    return; // the stream was dropped
                }
            }
        });
    });
    rx
}
