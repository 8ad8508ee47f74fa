//! Loom: the SPSC ring hands every item from the producer's thread to the
//! consumer's, in order, once, through the wrap-around and the full queue.
//!
//! Sizes: capacity 2 (two slots) and three items, so the third item goes
//! into a slot the consumer has just freed (ring wrap-around) and the
//! producer can find the queue full. One model also starts the positions just
//! below `usize::MAX`. Loom's `UnsafeCell` tracking fails the model if a slot
//! is read and written without a happens-before edge between them (a
//! missing Release/Acquire pair), and the assertions catch lost, duplicated
//! or reordered items.
//!
//! `crate::sync::Arc` is std's under loom (see `sync.rs`), so loom cannot see
//! the synchronization of the last `Arc` drop: each model joins the other
//! thread before it drops the last handle (race 4 of `queue/spsc.rs` is
//! covered by `Arc` itself, not by these models).

use crate::queue::spsc::{spsc, spsc_starting_at, Consumer, Producer};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{spin_loop, Arc};

const ITEMS: usize = 3;

/// An item that counts its drops.
#[derive(Debug)]
struct Counted {
    value: usize,
    drops: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        // Ordering: Relaxed counter; read after the threads are joined.
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Pushes `0..ITEMS`, spinning while the queue is full.
fn produce_all(mut tx: Producer<Counted>, drops: &Arc<AtomicUsize>) {
    for value in 0..ITEMS {
        let mut item = Counted {
            value,
            drops: Arc::clone(drops),
        };
        while let Err(back) = tx.push(item) {
            item = back;
            spin_loop();
        }
    }
}

/// Pops `ITEMS` items, spinning while the queue is empty; checks the order
/// and that `peek` shows the item `pop` then returns.
fn consume_all(rx: &mut Consumer<Counted>) {
    for expected in 0..ITEMS {
        let peeked = loop {
            match rx.peek() {
                Some(item) => break item.value,
                None => spin_loop(),
            }
        };
        assert_eq!(peeked, expected);
        let item = rx.pop().expect("a peeked item stays until popped");
        assert_eq!(item.value, expected);
    }
}

fn push_races_pop(start: usize) {
    loom::model(move || {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = spsc_starting_at(2, start);
        let producer = {
            let drops = Arc::clone(&drops);
            loom::thread::spawn(move || produce_all(tx, &drops))
        };
        consume_all(&mut rx);
        producer.join().unwrap();
        assert!(rx.pop().is_none(), "nothing duplicated");
        assert_eq!(
            drops.load(Ordering::Relaxed),
            ITEMS,
            "each item dropped once"
        );
        drop(rx);
        assert_eq!(drops.load(Ordering::Relaxed), ITEMS);
    });
}

#[test]
fn push_races_pop_through_wrap_around_and_full() {
    push_races_pop(0);
}

#[test]
fn push_races_pop_across_the_usize_wrap_of_positions() {
    push_races_pop(usize::MAX - 1);
}

/// The consumer takes what it finds, once, and leaves the rest in the queue;
/// the producer gives up at the first refusal (and drops the item it got
/// back). Whatever was pushed is dropped exactly once: by the consumer, by
/// `clear`, or with the queue.
#[test]
fn items_left_behind_are_dropped_once() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut tx, mut rx) = spsc(2);
        let producer = {
            let drops = Arc::clone(&drops);
            loom::thread::spawn(move || {
                let mut pushed = 0;
                for value in 0..ITEMS {
                    let drops = Arc::clone(&drops);
                    if let Err(back) = tx.push(Counted { value, drops }) {
                        assert_eq!(back.value, value, "the refused item comes back");
                        break;
                    }
                    pushed += 1;
                }
                (tx, pushed)
            })
        };
        let popped = rx.pop().map(|item| item.value);
        assert!(matches!(popped, None | Some(0)), "FIFO: {popped:?}");
        // Clear runs concurrently with the producer: it drops what it saw.
        rx.clear();
        let (tx, pushed) = producer.join().unwrap();
        // Two always fit; the third only if the consumer popped first.
        assert!((2..=ITEMS).contains(&pushed), "pushed {pushed}");
        let refused = usize::from(pushed < ITEMS); // dropped by the producer
        let left = rx.len();
        assert_eq!(
            drops.load(Ordering::Relaxed),
            refused + pushed - left,
            "popped, cleared and refused items are dropped, the rest wait"
        );
        drop(tx);
        drop(rx);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            ITEMS,
            "each item dropped once"
        );
    });
}
