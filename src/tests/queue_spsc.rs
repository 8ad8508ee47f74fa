//! The SPSC ring: FIFO order, the exact capacity, wrap-around (of the ring and
//! of the positions at `usize::MAX`), zero-sized items, drops, and two
//! threads. Run under Miri too (with smaller counts).

use core::cell::Cell;
use std::rc::Rc;

use static_assertions::{assert_impl_all, assert_not_impl_any};

use crate::queue::spsc::{spsc, spsc_starting_at, Consumer, Producer};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::Arc;

// The handles move between threads with their items; a shared `&Consumer`
// never hands out `&T`, so `Sync` needs only `T: Send`, as with a lock.
assert_impl_all!(Producer<String>: Send, Sync);
assert_impl_all!(Consumer<String>: Send, Sync);
assert_impl_all!(Consumer<Cell<u8>>: Send, Sync);
assert_not_impl_any!(Producer<Rc<u8>>: Send, Sync);
assert_not_impl_any!(Consumer<Rc<u8>>: Send, Sync);

/// An item that counts its drops, so the tests see every item dropped once.
#[derive(Debug)]
struct Counted {
    value: usize,
    drops: Arc<AtomicUsize>,
}

impl Counted {
    fn new(value: usize, drops: &Arc<AtomicUsize>) -> Self {
        Self {
            value,
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        // Ordering: Relaxed counter; read after the handles are dropped/joined.
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

fn drops(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::Relaxed)
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let (mut tx, mut rx) = spsc(8);
    for i in 0..8 {
        tx.push(i).unwrap();
    }
    let out: Vec<_> = core::iter::from_fn(|| rx.pop()).collect();
    assert_eq!(out, (0..8).collect::<Vec<_>>());
}

#[test]
fn a_full_queue_hands_the_item_back_and_an_empty_one_pops_none() {
    let (mut tx, mut rx) = spsc(2);
    assert_eq!(rx.pop(), None);
    assert!(rx.is_empty());
    assert!(!tx.is_full());
    tx.push("a").unwrap();
    tx.push("b").unwrap();
    assert!(tx.is_full());
    assert_eq!(tx.push("c"), Err("c"));
    assert_eq!(rx.len(), 2);
    assert_eq!(rx.pop(), Some("a"));
    assert!(!tx.is_full());
    tx.push("c").unwrap();
    assert_eq!(tx.push("d"), Err("d"));
    assert_eq!(rx.pop(), Some("b"));
    assert_eq!(rx.pop(), Some("c"));
    assert_eq!(rx.pop(), None);
    assert!(rx.is_empty());
    assert_eq!(rx.len(), 0);
}

#[test]
fn the_capacity_is_exact_even_when_not_a_power_of_two() {
    for capacity in [1, 3, 5, 6, 7, 9, 100] {
        let (mut tx, mut rx) = spsc(capacity);
        assert_eq!(tx.capacity(), capacity);
        assert_eq!(rx.capacity(), capacity);
        // Twice, so the second round starts mid-ring.
        for round in 0..2 {
            for i in 0..capacity {
                tx.push(i).unwrap();
            }
            assert!(tx.is_full(), "capacity {capacity}, round {round}");
            assert_eq!(tx.push(usize::MAX), Err(usize::MAX));
            assert_eq!(rx.len(), capacity);
            for i in 0..capacity {
                assert_eq!(rx.pop(), Some(i));
            }
            assert_eq!(rx.pop(), None);
        }
    }
}

#[test]
fn a_zero_capacity_means_one() {
    let (mut tx, mut rx) = spsc(0);
    assert_eq!(tx.capacity(), 1);
    tx.push(7).unwrap();
    assert_eq!(tx.push(8), Err(8));
    assert_eq!(rx.pop(), Some(7));
}

#[test]
#[should_panic(expected = "spsc capacity 18446744073709551615 is too large")]
#[cfg(target_pointer_width = "64")]
fn a_capacity_past_the_largest_power_of_two_panics() {
    let _ = spsc::<u8>(usize::MAX);
}

#[test]
fn the_ring_wraps_around_many_times_at_every_fill_level() {
    let laps = if cfg!(miri) { 20 } else { 1_000 };
    let capacity = 5; // 8 slots: positions and slots drift apart every lap
    let (mut tx, mut rx) = spsc(capacity);
    let (mut pushed, mut popped) = (0usize, 0usize);
    for lap in 0..laps {
        // Fill to a level that varies from 1 to `capacity`, then drain part.
        let fill = 1 + lap % capacity;
        while rx.len() < fill {
            tx.push(pushed).unwrap();
            pushed += 1;
        }
        for _ in 0..=(lap % fill) {
            assert_eq!(rx.pop(), Some(popped));
            popped += 1;
        }
    }
    while let Some(item) = rx.pop() {
        assert_eq!(item, popped);
        popped += 1;
    }
    assert_eq!(popped, pushed);
    assert!(pushed > laps * 2, "the ring went round many times");
}

#[test]
fn positions_wrap_past_usize_max() {
    let drops_counter = Arc::new(AtomicUsize::new(0));
    let (mut tx, mut rx) = spsc_starting_at(3, usize::MAX - 4);
    for i in 0..12 {
        tx.push(Counted::new(i, &drops_counter)).unwrap();
        tx.push(Counted::new(100 + i, &drops_counter)).unwrap();
        assert_eq!(rx.len(), 2);
        assert_eq!(rx.peek().map(|c| c.value), Some(i));
        assert_eq!(rx.pop().map(|c| c.value), Some(i));
        assert_eq!(rx.pop().map(|c| c.value), Some(100 + i));
        assert!(rx.is_empty());
    }
    tx.push(Counted::new(0, &drops_counter)).unwrap();
    tx.push(Counted::new(1, &drops_counter)).unwrap();
    tx.push(Counted::new(2, &drops_counter)).unwrap();
    assert!(tx.push(Counted::new(3, &drops_counter)).is_err());
    assert_eq!(drops(&drops_counter), 25);
    drop((tx, rx));
    assert_eq!(drops(&drops_counter), 28);
}

#[test]
fn zero_sized_items_are_counted_like_any_other() {
    let (mut tx, mut rx) = spsc::<()>(3);
    for _ in 0..3 {
        tx.push(()).unwrap();
    }
    assert_eq!(tx.push(()), Err(()));
    assert_eq!(rx.len(), 3);
    assert_eq!(rx.peek(), Some(&()));
    assert_eq!(rx.pop(), Some(()));
    tx.push(()).unwrap();
    rx.clear();
    assert!(rx.is_empty());
    assert_eq!(rx.pop(), None);
}

#[test]
fn zero_sized_items_with_drop_are_dropped_once() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Zst;
    impl Drop for Zst {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    let (mut tx, mut rx) = spsc(4);
    for _ in 0..4 {
        assert!(tx.push(Zst).is_ok());
    }
    drop(rx.pop());
    drop((tx, rx));
    assert_eq!(DROPS.load(Ordering::Relaxed), 4);
}

#[test]
fn items_left_in_the_queue_are_dropped_with_the_last_handle() {
    for consumer_first in [false, true] {
        let counter = Arc::new(AtomicUsize::new(0));
        let (mut tx, mut rx) = spsc(4);
        for i in 0..4 {
            tx.push(Counted::new(i, &counter)).unwrap();
        }
        drop(rx.pop());
        assert_eq!(drops(&counter), 1);
        if consumer_first {
            drop(rx);
            assert_eq!(drops(&counter), 1, "the producer still holds the ring");
            tx.push(Counted::new(4, &counter)).unwrap();
            drop(tx);
        } else {
            drop(tx);
            assert_eq!(drops(&counter), 1, "the consumer can still pop");
            assert_eq!(rx.pop().map(|c| c.value), Some(1));
            drop(rx);
        }
        let expected = if consumer_first { 5 } else { 4 };
        assert_eq!(
            drops(&counter),
            expected,
            "consumer first: {consumer_first}"
        );
    }
}

#[test]
fn an_empty_queue_drops_nothing_and_a_rotated_one_drops_only_its_items() {
    let counter = Arc::new(AtomicUsize::new(0));
    let (mut tx, mut rx) = spsc(2);
    // Move the live region to straddle the end of the slots.
    for i in 0..3 {
        tx.push(Counted::new(i, &counter)).unwrap();
        drop(rx.pop());
    }
    tx.push(Counted::new(3, &counter)).unwrap();
    tx.push(Counted::new(4, &counter)).unwrap();
    assert_eq!(drops(&counter), 3);
    drop((tx, rx));
    assert_eq!(drops(&counter), 5);
}

#[test]
fn clear_drops_the_waiting_items_and_the_queue_stays_usable() {
    let counter = Arc::new(AtomicUsize::new(0));
    let (mut tx, mut rx) = spsc(3);
    for i in 0..3 {
        tx.push(Counted::new(i, &counter)).unwrap();
    }
    rx.clear();
    assert_eq!(drops(&counter), 3);
    assert!(rx.is_empty());
    assert!(!tx.is_full());
    tx.push(Counted::new(10, &counter)).unwrap();
    assert_eq!(rx.pop().map(|c| c.value), Some(10));
    assert_eq!(drops(&counter), 4);
    rx.clear(); // on an empty queue: nothing to do
    drop((tx, rx));
    assert_eq!(drops(&counter), 4);
}

#[test]
fn clear_survives_a_panicking_drop_without_dropping_twice() {
    #[derive(Debug)]
    struct Bomb {
        armed: bool,
        drops: Arc<AtomicUsize>,
    }
    impl Drop for Bomb {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::Relaxed);
            if self.armed {
                panic!("boom");
            }
        }
    }
    let counter = Arc::new(AtomicUsize::new(0));
    let (mut tx, mut rx) = spsc(3);
    for armed in [false, true, false] {
        let drops = Arc::clone(&counter);
        tx.push(Bomb { armed, drops }).unwrap();
    }
    let caught = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| rx.clear()));
    assert!(caught.is_err());
    assert_eq!(drops(&counter), 2, "the first two were removed and dropped");
    assert_eq!(rx.len(), 1, "the third is still waiting");
    drop((tx, rx));
    assert_eq!(drops(&counter), 3);
}

#[test]
fn peek_shows_the_next_item_without_removing_it() {
    let (mut tx, mut rx) = spsc(2);
    assert_eq!(rx.peek(), None);
    tx.push(String::from("x")).unwrap();
    assert_eq!(rx.peek().map(String::as_str), Some("x"));
    assert_eq!(rx.peek().map(String::as_str), Some("x"));
    assert_eq!(rx.len(), 1);
    assert_eq!(rx.pop().as_deref(), Some("x"));
    assert_eq!(rx.peek(), None);
}

#[test]
fn debug_shows_capacity_and_fill() {
    let (mut tx, rx) = spsc(2);
    tx.push(1).unwrap();
    assert_eq!(format!("{rx:?}"), "Consumer { capacity: 2, len: 1 }");
    tx.push(2).unwrap();
    assert_eq!(format!("{tx:?}"), "Producer { capacity: 2, full: true }");
}

#[test]
fn a_producer_thread_and_a_consumer_thread_pass_every_item_in_order() {
    let items = if cfg!(miri) { 500 } else { 100_000 };
    let counter = Arc::new(AtomicUsize::new(0));
    // A small ring, so both the full and the empty paths are taken often.
    let (mut tx, mut rx) = spsc(7);
    let producer = {
        let counter = Arc::clone(&counter);
        std::thread::spawn(move || {
            for i in 0..items {
                let mut item = Counted::new(i, &counter);
                while let Err(back) = tx.push(item) {
                    item = back;
                    crate::sync::spin_loop();
                }
            }
        })
    };
    let mut next = 0;
    while next < items {
        match rx.pop() {
            Some(item) => {
                assert_eq!(item.value, next);
                next += 1;
            }
            None => crate::sync::spin_loop(),
        }
    }
    producer.join().unwrap();
    assert_eq!(rx.pop().map(|c| c.value), None);
    assert_eq!(drops(&counter), items);
}
