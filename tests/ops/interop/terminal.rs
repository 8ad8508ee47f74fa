use futures::executor::block_on;
use reactive_streams::{source, Error, PublisherExt};

use crate::async_work::later;
use crate::harness::CancelProbe;

#[test]
fn first_last_and_collect_are_futures() {
    block_on(async {
        assert_eq!(source::range(5..10u64).first().await.unwrap(), Some(5));
        assert_eq!(source::range(5..10u64).last().await.unwrap(), Some(9));
        let all: Vec<u64> = source::range(5..10u64).collect().await.unwrap();
        assert_eq!(all, [5, 6, 7, 8, 9]);
        assert_eq!(source::empty::<u64>().first().await.unwrap(), None);
        assert_eq!(source::empty::<u64>().last().await.unwrap(), None);
        let none: Vec<u64> = source::empty::<u64>().collect().await.unwrap();
        assert!(none.is_empty());
    });
}

#[test]
fn their_errors_are_returned() {
    block_on(async {
        let failed = || source::error::<u64>(Error::new("boom"));
        assert_eq!(failed().first().await.unwrap_err().to_string(), "boom");
        assert_eq!(failed().last().await.unwrap_err().to_string(), "boom");
        let collected: Result<Vec<u64>, _> = failed().collect().await;
        assert_eq!(collected.unwrap_err().to_string(), "boom");
    });
}

#[test]
fn first_cancels_the_rest() {
    let probe = CancelProbe::new(source::range(0..1_000_000u64));
    let first = block_on(async { probe.publisher().first().await });
    assert_eq!(first.unwrap(), Some(0));
    assert!(probe.was_cancelled());
    assert!(probe.emitted() <= 2);
}

#[test]
fn next_on_the_stream() {
    let mut stream = source::range(0..3u64).map_async(2, later).into_stream();
    block_on(async {
        assert_eq!(stream.next().await.unwrap().unwrap(), 0);
        assert_eq!(stream.next().await.unwrap().unwrap(), 1);
        assert_eq!(stream.next().await.unwrap().unwrap(), 2);
        assert!(stream.next().await.is_none());
        assert!(stream.next().await.is_none());
    });
}

#[test]
fn the_terminals_of_an_asynchronous_pipeline() {
    block_on(async {
        let sum: Vec<u64> = source::range(0..100u64)
            .map_async_unordered(8, |x| later(x * 2))
            .reduce(|a, b| a + b)
            .collect()
            .await
            .unwrap();
        assert_eq!(sum, [9900]);
        let last = source::range(0..100u64).map_async(8, later).last().await;
        assert_eq!(last.unwrap(), Some(99));
    });
}
