//! Scenarios: lines appended while subscribed, a half-written line, the
//! demand respected, cancel stopping the watcher.

use std::io::Write;
use std::time::Duration;

use file_tail::FileTail;
use reactive_streams::{Publisher, TestSubscriber};

const PATIENCE: Duration = Duration::from_secs(10);

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

#[test]
fn appended_lines_arrive_within_demand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    std::fs::write(&path, "one\ntwo\n").unwrap();
    let ts = TestSubscriber::new(1);
    FileTail::new(&path).subscribe(ts.clone());
    ts.assert_values(&strings(&["one"]));

    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    write!(file, "thr").unwrap();
    file.flush().unwrap();
    ts.request(5);
    ts.await_count(2, PATIENCE);
    writeln!(file, "ee\r").unwrap(); // the rest of the line, a CRLF ending
    writeln!(file, "four").unwrap();
    ts.await_count(4, PATIENCE);
    ts.assert_values(&strings(&["one", "two", "three", "four"]))
        .assert_not_terminated();
    ts.cancel();
}

#[test]
fn max_lines_completes_after_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    std::fs::write(&path, "a\n").unwrap();
    let ts = TestSubscriber::unbounded();
    FileTail::new(&path).max_lines(2).subscribe(ts.clone());
    ts.assert_values(&strings(&["a"])).assert_not_terminated();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    writeln!(file, "b\nc").unwrap();
    ts.await_terminal(PATIENCE);
    ts.assert_values(&strings(&["a", "b"])).assert_complete();
}

#[test]
fn invalid_utf8_ends_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    std::fs::write(&path, b"ok\n\xff\xfe\n").unwrap();
    let ts = TestSubscriber::unbounded();
    FileTail::new(&path).subscribe(ts.clone());
    ts.await_terminal(PATIENCE);
    ts.assert_values(&strings(&["ok"]))
        .assert_error_message("reading");
}
