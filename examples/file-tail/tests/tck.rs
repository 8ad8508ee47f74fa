//! The TCK over `FileTail`: each test gets a temporary directory; each
//! publisher a file with `elements` lines, half written before the
//! subscription and the rest appended by a writer thread while it runs,
//! some of them in two pieces, so that the reader meets the end of the file
//! and half-written lines, and the watcher wakes it.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use file_tail::FileTail;
use reactive_streams::BoxPublisher;
use reactive_streams_tck::{publisher_verification_tests, PublisherVerification};
use tempfile::TempDir;

/// Long enough for the stochastic tests, short enough to write quickly.
const MAX_LINES: u64 = 1_000;

struct Tail {
    dir: TempDir,
    files: AtomicU64,
}

impl Tail {
    fn new() -> Tail {
        Tail {
            dir: tempfile::tempdir().expect("a temporary directory"),
            files: AtomicU64::new(0),
        }
    }

    fn new_file(&self) -> PathBuf {
        let n = self.files.fetch_add(1, Ordering::Relaxed);
        self.dir.path().join(format!("tail-{n}.log"))
    }
}

fn line(i: u64) -> String {
    format!("line {i}")
}

impl PublisherVerification for Tail {
    type Publisher = FileTail;

    fn create_publisher(&self, elements: u64) -> FileTail {
        let path = self.new_file();
        let upfront = elements / 2;
        let mut text = String::new();
        for i in 0..upfront {
            text.push_str(&line(i));
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write the first half");
        let appended = path.clone();
        thread::spawn(move || {
            // Errors are ignored: the test may be over and the directory gone.
            let Ok(mut file) = OpenOptions::new().append(true).open(&appended) else {
                return;
            };
            for i in upfront..elements {
                let ok = if i % 3 == 0 {
                    // Half a line first: the reader must wait for the rest.
                    write!(file, "line ")
                        .and_then(|()| file.flush())
                        .and_then(|()| writeln!(file, "{i}"))
                } else {
                    writeln!(file, "{}", line(i))
                };
                if ok.is_err() {
                    return;
                }
            }
        });
        FileTail::new(&path).max_lines(elements)
    }

    fn create_failed_publisher(&self) -> Option<BoxPublisher<String>> {
        let missing = self.dir.path().join("missing.log");
        Some(BoxPublisher::new(FileTail::new(missing)))
    }

    fn max_elements_from_publisher(&self) -> u64 {
        MAX_LINES
    }

    fn expected_element(&self, _elements: u64, index: u64) -> Option<String> {
        Some(line(index))
    }
}

publisher_verification_tests!(Tail::new());
