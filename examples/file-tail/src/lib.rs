//! `tail -f` as a Reactive Streams publisher: the lines of a file, including
//! the ones appended after you subscribed, delivered as fast as the
//! subscriber asks for them and no faster.
//!
//! Built on `reactive_streams::author::subscribe_pull`: [`FileTail`] makes a
//! fresh pull per subscriber, which reads a line per unit of demand and,
//! at the end of the file, answers "nothing for now" and lets a small
//! watcher thread wake the emitter when the file grows. The emitter keeps
//! the specification's rules (demand, serial signals, cancel, §3.9, one
//! terminal signal); `tests/tck.rs` checks them with the TCK.
//!
//! # Examples
//!
//! ```
//! use std::io::Write;
//! use std::time::Duration;
//! use file_tail::FileTail;
//! use reactive_streams::{Publisher, TestSubscriber};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("app.log");
//! std::fs::write(&path, "started\n").unwrap();
//!
//! let ts = TestSubscriber::new(2);
//! FileTail::new(&path).subscribe(ts.clone());
//! ts.await_count(1, Duration::from_secs(10));
//!
//! let mut log = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
//! writeln!(log, "request served").unwrap();
//! ts.await_count(2, Duration::from_secs(10));
//! ts.assert_values(&["started".to_string(), "request served".to_string()]);
//! ts.cancel(); // stops the watcher thread and closes the file
//! ```

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]
#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Waker;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use reactive_streams::author::{subscribe_pull, Pull, Step};
use reactive_streams::{Error, Publisher, Subscriber};

/// How often the watcher looks at the file's length, by default.
pub const DEFAULT_POLL: Duration = Duration::from_millis(10);

/// Publishes the lines of a file (without their line ending), from the
/// first, and then each line appended later, for ever or up to
/// [`max_lines`](FileTail::max_lines).
///
/// Each subscriber opens the file anew and reads it on its own (§1.11). A
/// file that cannot be opened gives `on_subscribe` then `on_error`, at once.
/// A line is delivered once its line ending is written; a half-written last
/// line waits. Invalid UTF-8 ends the stream with an error.
///
/// # Examples
///
/// ```
/// use file_tail::FileTail;
/// use reactive_streams::{Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::<String>::new(1);
/// FileTail::new("/no/such/file").subscribe(ts.clone());
/// ts.assert_error_message("/no/such/file");
/// ```
#[derive(Debug, Clone)]
pub struct FileTail {
    path: PathBuf,
    poll: Duration,
    max_lines: Option<u64>,
}

impl FileTail {
    /// The lines of the file at `path`, endlessly.
    ///
    /// # Examples
    ///
    /// ```
    /// let tail = file_tail::FileTail::new("/var/log/syslog");
    /// ```
    pub fn new(path: impl AsRef<Path>) -> Self {
        FileTail {
            path: path.as_ref().to_path_buf(),
            poll: DEFAULT_POLL,
            max_lines: None,
        }
    }

    /// Completes after `n` lines (`head -n` on a growing file).
    ///
    /// # Examples
    ///
    /// ```
    /// use file_tail::FileTail;
    /// use reactive_streams::{Publisher, TestSubscriber};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("three");
    /// std::fs::write(&path, "a\nb\nc\nd\n").unwrap();
    /// let ts = TestSubscriber::unbounded();
    /// FileTail::new(&path).max_lines(3).subscribe(ts.clone());
    /// ts.assert_values(&["a".to_string(), "b".to_string(), "c".to_string()]).assert_complete();
    /// ```
    pub fn max_lines(mut self, n: u64) -> Self {
        self.max_lines = Some(n);
        self
    }

    /// How often the watcher thread looks at the file's length while the
    /// reader waits at its end (default [`DEFAULT_POLL`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let tail = file_tail::FileTail::new("app.log").poll_every(Duration::from_millis(100));
    /// ```
    pub fn poll_every(mut self, interval: Duration) -> Self {
        self.poll = interval;
        self
    }
}

impl Publisher for FileTail {
    type Item = String;

    fn subscribe<S: Subscriber<String> + 'static>(&self, subscriber: S) {
        let reader = File::open(&self.path)
            .map(BufReader::new)
            .map_err(|e| Error::new(format!("cannot open {}: {e}", self.path.display())));
        let pull = Tail {
            path: self.path.clone(),
            poll: self.poll,
            reader,
            partial: String::new(),
            left: self.max_lines,
            watcher: None,
        };
        subscribe_pull(pull, subscriber);
    }
}

/// One subscription's reader.
struct Tail {
    path: PathBuf,
    poll: Duration,
    /// The open file, or why it could not be opened.
    reader: Result<BufReader<File>, Error>,
    /// A line read up to the end of the file, still without its ending.
    partial: String,
    /// Lines still to deliver, if limited.
    left: Option<u64>,
    watcher: Option<Watcher>,
}

impl Pull for Tail {
    type Item = String;

    fn next(&mut self) -> Step<String> {
        if self.left == Some(0) {
            return Step::End(Ok(()));
        }
        let reader = match &mut self.reader {
            Ok(reader) => reader,
            Err(error) => return Step::End(Err(error.clone())),
        };
        match reader.read_line(&mut self.partial) {
            Err(e) => Step::End(Err(Error::new(format!(
                "reading {}: {e}",
                self.path.display()
            )))),
            // At the end of the file, or in the middle of a line being
            // written: the watcher wakes us when the file grows.
            Ok(_) if !self.partial.ends_with('\n') => Step::Pending,
            Ok(_) => {
                let mut line = std::mem::take(&mut self.partial);
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
                if let Some(left) = &mut self.left {
                    *left -= 1;
                }
                Step::Next(line)
            }
        }
    }

    /// The end, when known without reading: a file that could not be
    /// opened (at once, §1.4), or the last of `max_lines` delivered (§1.5).
    fn finished(&mut self) -> Option<Result<(), Error>> {
        match (&self.reader, self.left) {
            (Err(error), _) => Some(Err(error.clone())),
            (Ok(_), Some(0)) => Some(Ok(())),
            _ => None,
        }
    }

    fn wants_waker(&self) -> bool {
        true
    }

    fn set_waker(&mut self, waker: Waker) {
        if self.reader.is_ok() {
            self.watcher = Some(Watcher::start(self.path.clone(), self.poll, waker));
        }
    }
}

/// The emitter drops the pull on cancel and at the end: stop the watcher
/// now (it holds the waker, which holds the subscriber, §3.13); the file
/// closes with the reader.
impl Drop for Tail {
    fn drop(&mut self) {
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
    }
}

/// A thread that wakes the emitter whenever the file has grown.
struct Watcher {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Watcher {
    fn start(path: PathBuf, poll: Duration, waker: Waker) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut seen = 0;
            while !stopped.load(Ordering::Acquire) {
                let len = std::fs::metadata(&path).map_or(seen, |m| m.len());
                if len != seen {
                    seen = len;
                    // The bytes are in the file before we wake: the reader
                    // that runs on this wake sees them.
                    waker.wake_by_ref();
                }
                thread::park_timeout(poll);
            }
        });
        Watcher { stop, thread }
    }

    /// Asks the thread to end, without waiting for it: the pull may be
    /// dropped on the watcher's own thread (inside a wake).
    fn stop(self) {
        self.stop.store(true, Ordering::Release);
        self.thread.thread().unpark();
    }
}
