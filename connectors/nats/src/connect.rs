//! Connecting with a bounded number of attempts and a clear error.

use std::time::Duration;

use async_nats::{Client, ConnectOptions};
use reactive_streams::Error;

use crate::RetryPolicy;

/// Connects to the NATS server at `url`, trying `retry.attempts` times
/// (each attempt bounded by a 2 s connection timeout), and fails with an
/// error naming the server, the number of attempts and the last cause.
///
/// Once connected, the client reconnects by itself after a server restart
/// (async-nats' default), and the sources and sinks carry on.
///
/// ```no_run
/// # async fn run() -> Result<(), reactive_streams::Error> {
/// use std::time::Duration;
/// use reactive_streams_nats::{connect, RetryPolicy};
///
/// let client = connect("nats://127.0.0.1:4222", RetryPolicy::new(3, Duration::from_millis(200))).await?;
/// # Ok(()) }
/// ```
pub async fn connect(url: &str, retry: RetryPolicy) -> Result<Client, Error> {
    let mut failed = 0;
    loop {
        let attempt = ConnectOptions::new()
            .connection_timeout(Duration::from_secs(2))
            .connect(url)
            .await;
        match attempt {
            Ok(client) => return Ok(client),
            Err(cause) => {
                failed += 1;
                if failed >= retry.attempts {
                    return Err(Error::new(format!(
                        "could not connect to the NATS server at {url} after {failed} attempt(s): {cause}"
                    )));
                }
                tokio::time::sleep(retry.backoff(failed)).await;
            }
        }
    }
}
