use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, TryRecvError};
use std::sync::Arc;
use std::task::Waker;
use std::thread;

use reactive_streams::author::{subscribe_pull, Pull, Step};
use reactive_streams::{Error, Publisher, Subscriber};

/// The items of a blocking iterator (a socket reader, a serial port, a
/// sensor), run on a thread of its own for each subscriber. The thread is at
/// most `capacity` items ahead of the subscriber: when the channel is full it
/// blocks, which is backpressure reaching the producer itself.
pub struct OnThread<F> {
    make: Arc<F>,
    capacity: usize,
}

impl<F> OnThread<F> {
    /// `make` builds the iterator, once per subscriber, on its thread.
    pub fn new(capacity: usize, make: F) -> Self {
        OnThread {
            make: Arc::new(make),
            capacity: capacity.max(1),
        }
    }
}

impl<F, I, T> Publisher for OnThread<F>
where
    F: Fn() -> I + Send + Sync + 'static,
    I: Iterator<Item = Result<T, Error>>,
    T: Send + 'static,
{
    type Item = T;

    fn subscribe<S: Subscriber<T> + 'static>(&self, subscriber: S) {
        let pull = FromThread {
            start: Some((Arc::clone(&self.make), self.capacity)),
            items: None,
            peeked: None,
        };
        subscribe_pull(pull, subscriber);
    }
}

/// One subscription: the receiving end of the producer thread's channel.
struct FromThread<F, T> {
    /// What `set_waker` needs to start the thread.
    start: Option<(Arc<F>, usize)>,
    items: Option<Receiver<Result<T, Error>>>,
    /// An item `finished` received while looking for the end.
    peeked: Option<Result<T, Error>>,
}

impl<F, T> FromThread<F, T> {
    /// The next message from the thread: `Some(Ok)` an item, `Some(Err)` the
    /// stream's error, `None` nothing yet; and whether the thread is done.
    fn receive(&mut self) -> (Option<Result<T, Error>>, bool) {
        if let Some(message) = self.peeked.take() {
            return (Some(message), false);
        }
        match self.items.as_ref().map(Receiver::try_recv) {
            Some(Ok(message)) => (Some(message), false),
            Some(Err(TryRecvError::Empty)) => (None, false),
            Some(Err(TryRecvError::Disconnected)) | None => (None, true),
        }
    }
}

impl<F, I, T> Pull for FromThread<F, T>
where
    F: Fn() -> I + Send + Sync + 'static,
    I: Iterator<Item = Result<T, Error>>,
    T: Send + 'static,
{
    type Item = T;

    fn next(&mut self) -> Step<T> {
        match self.receive() {
            (Some(Ok(item)), _) => Step::Next(item),
            (Some(Err(error)), _) => Step::End(Err(error)),
            (None, false) => Step::Pending, // the thread wakes us when it sends
            (None, true) => Step::End(Ok(())),
        }
    }

    /// The end, once the thread has finished and everything it sent is out:
    /// `on_complete` (or the error) then comes without waiting for demand.
    fn finished(&mut self) -> Option<Result<(), Error>> {
        match self.receive() {
            (Some(Err(error)), _) => Some(Err(error)),
            (Some(item), _) => {
                self.peeked = Some(item);
                None
            }
            (None, done) => done.then_some(Ok(())),
        }
    }

    fn wants_waker(&self) -> bool {
        true
    }

    /// Called once, before anything is pulled: the right moment to start
    /// the producer, which now has a waker for every item it sends.
    fn set_waker(&mut self, waker: Waker) {
        let Some((make, capacity)) = self.start.take() else {
            return;
        };
        let (tx, rx) = sync_channel(capacity);
        self.items = Some(rx);
        thread::spawn(move || {
            let run = catch_unwind(AssertUnwindSafe(|| {
                for item in make() {
                    // Blocks while `capacity` items wait: backpressure. Fails
                    // once the pull, and so the receiver, is dropped (cancel).
                    if tx.send(item).is_err() {
                        return;
                    }
                    waker.wake_by_ref();
                }
            }));
            if let Err(panic) = run {
                // A panic must not pass for the end of the stream.
                let _ = tx.send(Err(Error::from_panic(panic)));
            }
            drop(tx); // disconnected: `finished` sees the end
            waker.wake();
        });
    }
}
