//! The bridges under the executors users run them in: `block_on`, tokio's
//! current-thread runtime and its multi-thread runtime. The futures and
//! streams are tokio's own (timers, channels), polled by the operators on
//! whichever runtime thread wakes them.

use std::time::Duration;

use futures::executor::block_on;
use futures::stream::{self, TryStreamExt};
use reactive_streams::{source, Publisher, PublisherExt};

use crate::async_work::later;

/// from_stream -> map_async -> map_async_unordered -> into_stream, summed.
async fn pipeline_with(
    items: impl futures::Stream<Item = u64> + Send + 'static,
    delay: impl Fn(u64) -> std::pin::Pin<Box<dyn std::future::Future<Output = u64> + Send>>
        + Send
        + Sync
        + 'static,
) -> Vec<u64> {
    source::from_stream(items)
        .map_async(8, delay)
        .map_async_unordered(4, |x| async move { x + 1 })
        .into_stream_with(16)
        .try_collect::<Vec<u64>>()
        .await
        .unwrap()
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

#[test]
fn under_block_on() {
    let got = block_on(pipeline_with(stream::iter(0..200u64), |x| {
        Box::pin(later(x))
    }));
    assert_eq!(sorted(got), (1..201).collect::<Vec<_>>());
}

fn tokio_sleep(x: u64) -> std::pin::Pin<Box<dyn std::future::Future<Output = u64> + Send>> {
    Box::pin(async move {
        tokio::time::sleep(Duration::from_micros(x % 7 * 50)).await;
        x
    })
}

/// A tokio channel as a stream, fed by a tokio task.
fn tokio_channel(n: u64) -> impl futures::Stream<Item = u64> + Send + 'static {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        for i in 0..n {
            if tx.send(i).await.is_err() {
                return;
            }
        }
    });
    stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[test]
fn under_tokio_current_thread() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let got = rt.block_on(async { pipeline_with(tokio_channel(200), tokio_sleep).await });
    assert_eq!(sorted(got), (1..201).collect::<Vec<_>>());
}

#[test]
fn under_tokio_multi_thread() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let got = rt.block_on(async {
        // Several pipelines at once, each consumed in a task of its own.
        let tasks: Vec<_> = (0..4)
            .map(|_| tokio::spawn(async { pipeline_with(tokio_channel(300), tokio_sleep).await }))
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.push(task.await.unwrap());
        }
        all
    });
    for got in got {
        assert_eq!(sorted(got), (1..301).collect::<Vec<_>>());
    }
}

#[test]
fn a_publisher_consumed_by_a_tokio_task_while_another_thread_emits() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let processor = reactive_streams::processor::UnicastProcessor::<u64>::with_capacity(16);
    let stream = processor.clone().into_stream_with(8);
    let consumer = rt.spawn(async move { stream.try_collect::<Vec<u64>>().await.unwrap() });
    source::range(0..1000u64).subscribe(processor);
    let got = rt.block_on(consumer).unwrap();
    assert_eq!(got, (0..1000).collect::<Vec<_>>());
}
