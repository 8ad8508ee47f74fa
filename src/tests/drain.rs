//! `Drain`: one drainer at a time, no lost signal, closing.

use crate::drain::Drain;
use crate::sync::Arc;

#[test]
fn the_first_signal_enters_and_others_are_counted() {
    let drain = Drain::new(0u32);
    let mut entered = drain.try_enter().expect("free drain");
    assert!(drain.try_enter().is_none());
    assert!(drain.try_enter().is_none());
    *entered.state() += 1;
    // Two signals were missed: one more round, then it leaves.
    let mut again = entered.leave().expect("missed signals mean another round");
    *again.state() += 1;
    assert!(again.leave().is_none());
    let mut next = drain.try_enter().expect("left drain is free again");
    assert_eq!(*next.state(), 2);
    assert!(next.leave().is_none());
}

#[test]
fn a_signal_from_inside_the_drain_is_served_by_the_same_drainer() {
    let drain = Drain::new(Vec::new());
    let mut rounds = 0;
    let mut entered = drain.try_enter().unwrap();
    loop {
        rounds += 1;
        entered.state().push(rounds);
        if rounds < 3 {
            // Re-entrant signal: it must not enter, only be recorded.
            assert!(drain.try_enter().is_none());
        }
        match entered.leave() {
            Some(again) => entered = again,
            None => break,
        }
    }
    assert_eq!(rounds, 3);
    let mut check = drain.try_enter().unwrap();
    assert_eq!(*check.state(), vec![1, 2, 3]);
    check.close();
}

#[test]
fn a_closed_drain_is_never_entered_again() {
    let drain = Drain::new(());
    drain.try_enter().unwrap().close();
    for _ in 0..3 {
        assert!(drain.try_enter().is_none());
    }
}

#[test]
fn signals_from_many_threads_are_all_served_one_at_a_time() {
    // Every signal adds one to `pending` before signalling; the drainer takes
    // them all. At the end nothing is left and the total is exact.
    let threads = if cfg!(miri) { 2 } else { 4 };
    let per_thread = if cfg!(miri) { 20 } else { 2_000 };
    let shared = Arc::new((Drain::new(0u64), crate::sync::Mutex::new(0u64)));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for _ in 0..per_thread {
                    *shared.1.lock() += 1;
                    if let Some(mut entered) = shared.0.try_enter() {
                        loop {
                            let taken = core::mem::take(&mut *shared.1.lock());
                            *entered.state() += taken;
                            match entered.leave() {
                                Some(again) => entered = again,
                                None => break,
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let mut entered = shared.0.try_enter().expect("everyone left");
    assert_eq!(*entered.state(), (threads * per_thread) as u64);
    assert_eq!(*shared.1.lock(), 0);
    assert!(entered.leave().is_none());
}

#[test]
fn a_claim_is_resumed_on_another_thread_with_its_missed_signals() {
    let drain = Arc::new(Drain::new(Vec::new()));
    let claim = drain.try_claim().expect("free drain");
    // Claimed: later signals are only counted, as while entered.
    assert!(drain.try_claim().is_none());
    assert!(drain.try_enter().is_none());
    let remote = Arc::clone(&drain);
    let rounds = std::thread::spawn(move || {
        let mut entered = remote.resume(claim);
        let mut rounds = 0;
        loop {
            rounds += 1;
            entered.state().push(rounds);
            match entered.leave() {
                Some(again) => entered = again,
                None => return rounds,
            }
        }
    })
    .join()
    .unwrap();
    // The two counted signals cost one more round.
    assert_eq!(rounds, 2);
    let mut next = drain.try_enter().expect("left drain is free again");
    assert_eq!(*next.state(), [1, 2]);
    // A drainer may hand its access off mid-way, signals counted included.
    assert!(drain.try_claim().is_none());
    let claim = next.hand_off();
    let mut resumed = drain.resume(claim);
    resumed.state().push(3);
    let again = resumed
        .leave()
        .expect("the signal counted before the hand-off");
    assert!(again.leave().is_none());
}

#[test]
#[should_panic(expected = "a claim resumed on another drain")]
fn a_claim_resumed_on_another_drain_panics() {
    let one = Drain::new(());
    let other = Drain::new(());
    let claim = one.try_claim().unwrap();
    let _ = other.resume(claim);
}
