//! The async interop bridges: into_stream (and the async terminals),
//! from_stream, from_future, map_async and map_async_unordered, under
//! block_on and tokio's runtimes.

mod from_future;
mod from_stream;
mod into_stream;
mod map_async;
mod map_async_timeout;
mod runtimes;
mod terminal;
#[cfg(feature = "tokio")]
mod tokio_runtime;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// An item that counts its live copies, to check that a stage frees what it
/// held (§3.13).
#[derive(Debug)]
pub(crate) struct Tracked {
    pub(crate) value: u64,
    live: Arc<AtomicUsize>,
}

impl Tracked {
    pub(crate) fn new(value: u64, live: &Arc<AtomicUsize>) -> Tracked {
        live.fetch_add(1, Ordering::SeqCst);
        Tracked {
            value,
            live: Arc::clone(live),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}
