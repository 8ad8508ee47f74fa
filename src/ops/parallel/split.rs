//! `parallel(n)`: splits one stream into `n` rails, round-robin among the
//! rails that have demand.
//!
//! # Demand
//!
//! Upstream is asked for `prefetch` items at first and for 75% of `prefetch`
//! more each time that many were handed to rails, so at most `prefetch` items
//! wait in the splitter's queue. An item goes to a rail only within that
//! rail's own demand: a rail that asked for nothing receives nothing, and
//! the next item goes to the next rail (in rotation) that has demand. When
//! no rail has demand, items wait in the queue and upstream is asked for no
//! more.
//!
//! Each item is tagged with its position in the upstream (0, 1, 2, ...) as
//! it arrives, so that [`ordered`](crate::ops::ParallelPublisher::ordered)
//! can restore the source order after the rails.
//!
//! Threads: items are handed to rails by whichever thread holds the drain:
//! upstream's, on `on_next`, or a rail's, on `request`. Never spawns.
//!
//! # Implementation notes
//!
//! ## State
//! In [`SplitMain`], shared by the upstream subscriber and every rail's
//! subscription:
//! - `demand: Box<[Demand]>`: each rail's outstanding requests and its
//!   cancelled bit (`demand.rs`).
//! - `upstream_done: AtomicBool`: upstream completed or failed; set once,
//!   after its last item was queued.
//! - `errors: ErrorSlot`: upstream's error, or the overflow of an upstream
//!   that ignored demand (`inner.rs`).
//! - `drain: Drain<State>`: the rails' subscribers (each `None` once it was
//!   terminated or cancelled), the consuming end of the queue, the upstream
//!   subscription, the replenishing counter, and the rotation position.
//!
//! The producing end of the queue and the position counter live in the
//! upstream subscriber, whose `on_next` is serial (§1.3).
//!
//! ## Field access rules
//! 1. `drain`'s state: the drainer only (`drain.rs`). The upstream
//!    subscriber's `on_subscribe` enters it first, before any rail has a
//!    subscription, so every rail's `on_subscribe` is its first signal, and
//!    a rail that requests inside it only records demand.
//! 2. A rail's `demand` is added to by that rail's subscription and taken
//!    from (`produced`) only by the drainer, after delivering to it.
//! 3. The queue: pushed only by the upstream subscriber, popped only by the
//!    drainer.
//!
//! ## Races considered
//! 1. A rail's `request` against an item in the queue: `request` adds the
//!    demand, then signals the drain; the drainer reads each rail's demand
//!    when it looks at that rail. Either the drainer sees the demand, or it
//!    sees the signal when it leaves and goes round again (`drain.rs`, race
//!    1). No item waits while some rail has demand and nobody drains.
//! 2. Upstream's last item against its completion: the item is queued before
//!    `upstream_done` is set with `Release`; the drainer loads it with
//!    `Acquire` before it checks the queue, so it completes the rails only
//!    when the queue was empty after upstream finished.
//! 3. A rail's `cancel` during a drain: the cancelled bit makes that rail's
//!    demand read 0, so it receives nothing more; the drainer drops the
//!    rail's subscriber when it sees the bit (§3.13). When every rail is
//!    cancelled, upstream is cancelled and the queue dropped.
//! 4. An error: delivered to every live rail at once, ahead of the queued
//!    items, which are dropped; upstream is cancelled (a no-op when the
//!    error came from it).

use core::fmt;

use crate::author::{Demand, Replenish, UNBOUNDED};
use crate::drain::{Drain, Entered};
use crate::error::Error;
use crate::ops::parallel::rails::{clamp_prefetch, clamp_rails, ParallelPublisher};
use crate::ops::support::inner::ErrorSlot;
use crate::ops::support::upstream::Upstream;
use crate::queue::spsc::{spsc, Consumer, Producer};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::Arc;
use crate::traits::{Fused, Publisher, Subscriber, Subscription};

/// The rails of [`parallel`](crate::PublisherExt::parallel): one upstream
/// split round-robin into a fixed number of rails.
#[must_use = "parallel publishers do nothing until merged and subscribed"]
#[derive(Clone)]
pub struct Parallel<P> {
    upstream: P,
    rails: usize,
    prefetch: usize,
}

impl<P: fmt::Debug> fmt::Debug for Parallel<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parallel")
            .field("upstream", &self.upstream)
            .field("rails", &self.rails)
            .field("prefetch", &self.prefetch)
            .finish()
    }
}

impl<P> Parallel<P> {
    pub(crate) fn new(upstream: P, rails: usize, prefetch: usize) -> Self {
        Parallel {
            upstream,
            rails: clamp_rails(rails),
            prefetch: clamp_prefetch(prefetch),
        }
    }
}

impl<P: Publisher> ParallelPublisher for Parallel<P> {
    type Item = P::Item;

    fn rails(&self) -> usize {
        self.rails
    }

    fn subscribe_rails<S>(&self, rails: Vec<S>, _: Fused)
    where
        S: Subscriber<(u64, P::Item)> + 'static,
    {
        debug_assert_eq!(rails.len(), self.rails);
        let (producer, consumer) = spsc(self.prefetch);
        let main = Arc::new(SplitMain::new(rails, consumer, self.prefetch));
        self.upstream.subscribe(SplitSubscriber {
            main,
            producer,
            position: 0,
            prefetch: self.prefetch as u64,
            subscribed: false,
            done: false,
        });
    }
}

/// The state only the drainer touches (field access rule 1).
struct State<T, S> {
    /// Each rail's subscriber; `None` once terminated or cancelled.
    rails: Vec<Option<S>>,
    queue: Consumer<(u64, T)>,
    upstream: Upstream,
    replenish: Replenish,
    /// The rail the next item is offered to first.
    next: usize,
}

/// What the upstream subscriber and the rails' subscriptions share.
struct SplitMain<T, S> {
    demand: Box<[Demand]>,
    upstream_done: AtomicBool,
    errors: ErrorSlot,
    drain: Drain<State<T, S>>,
}

impl<T, S> SplitMain<T, S>
where
    T: Send + 'static,
    S: Subscriber<(u64, T)> + 'static,
{
    fn new(rails: Vec<S>, queue: Consumer<(u64, T)>, prefetch: usize) -> Self {
        SplitMain {
            demand: rails.iter().map(|_| Demand::new()).collect(),
            upstream_done: AtomicBool::new(false),
            errors: ErrorSlot::new(),
            drain: Drain::new(State {
                rails: rails.into_iter().map(Some).collect(),
                queue,
                upstream: Upstream::new(),
                replenish: Replenish::new(prefetch as u64),
                next: 0,
            }),
        }
    }

    /// Records nothing (the caller did), and drains if nobody else does.
    fn signal(&self) {
        if let Some(entered) = self.drain.try_enter() {
            self.run(entered);
        }
    }

    fn run(&self, mut entered: Entered<'_, State<T, S>>) {
        loop {
            if !self.round(entered.state()) {
                return entered.close();
            }
            match entered.leave() {
                Some(again) => entered = again,
                None => return,
            }
        }
    }

    /// One round: rails that cancelled, an error, items within the rails'
    /// demand, completion. False once the split is over (the drain closes).
    fn round(&self, state: &mut State<T, S>) -> bool {
        if !self.reap_cancelled(state) {
            // Every rail is gone: nobody wants anything any more.
            state.upstream.cancel();
            state.queue.clear();
            return false;
        }
        // B7: `upstream_done` before the queue (race 2).
        let done = self.upstream_done.load(Ordering::Acquire);
        if self.errors.is_set() {
            return self.fail(state);
        }
        self.dispatch(state);
        if self.errors.is_set() {
            return self.fail(state);
        }
        if done && state.queue.is_empty() {
            state.upstream.clear();
            for rail in state.rails.iter_mut().filter_map(Option::take) {
                let mut rail = rail;
                rail.on_complete();
            }
            return false;
        }
        true
    }

    /// Drops the rails that cancelled (a `request(0)` gets its §3.9 error);
    /// false when no rail is left.
    fn reap_cancelled(&self, state: &mut State<T, S>) -> bool {
        let mut live = false;
        for (slot, demand) in state.rails.iter_mut().zip(self.demand.iter()) {
            if slot.is_some() && demand.is_cancelled() {
                eprintln!("DBG split rail cancelled");
                let rail = slot.take();
                if let (Some(mut rail), Some(error)) = (rail, demand.take_invalid()) {
                    rail.on_error(error);
                }
            }
            live |= slot.is_some();
        }
        live
    }

    /// Hands queued items to the rails, round-robin among those with demand.
    fn dispatch(&self, state: &mut State<T, S>) {
        let rails = state.rails.len();
        // Rails looked at in a row without finding one that takes an item.
        let mut passed = 0;
        while passed < rails {
            let index = state.next;
            let demand = &self.demand[index];
            let requested = demand.get(); // 0 once cancelled
            let Some(rail) = state.rails[index].as_mut().filter(|_| requested > 0) else {
                state.next = if index + 1 == rails { 0 } else { index + 1 };
                passed += 1;
                continue;
            };
            // An error is delivered ahead of queued items (race 4).
            if self.errors.is_set() {
                return;
            }
            // Nothing queued: this rail keeps its turn for the next item.
            let Some(item) = state.queue.pop() else {
                return;
            };
            state.next = if index + 1 == rails { 0 } else { index + 1 };
            // A rail that drops the item (a filter) is owed another.
            if rail.try_on_next(item) && requested != UNBOUNDED {
                demand.produced(1);
            }
            if let Some(more) = state.replenish.consumed_one() {
                state.upstream.request(more);
            }
            passed = 0;
        }
    }

    /// The error goes to every live rail, ahead of the queued items.
    #[cold]
    fn fail(&self, state: &mut State<T, S>) -> bool {
        state.upstream.cancel();
        state.queue.clear();
        if let Some(error) = self.errors.take() {
            for rail in state.rails.iter_mut().filter_map(Option::take) {
                let mut rail = rail;
                rail.on_error(error.clone());
            }
        }
        false
    }
}

/// One rail's subscription to the splitter.
struct RailSubscription<T, S> {
    main: Arc<SplitMain<T, S>>,
    index: usize,
}

impl<T, S> Subscription for RailSubscription<T, S>
where
    T: Send + 'static,
    S: Subscriber<(u64, T)> + 'static,
{
    fn request(&self, n: u64) {
        self.main.demand[self.index].request(n);
        self.main.signal();
    }

    fn cancel(&self) {
        if self.main.demand[self.index].cancel() {
            self.main.signal();
        }
    }
}

/// The splitter's subscriber to upstream.
struct SplitSubscriber<T, S> {
    main: Arc<SplitMain<T, S>>,
    producer: Producer<(u64, T)>,
    /// The next item's position in the upstream.
    position: u64,
    prefetch: u64,
    subscribed: bool,
    done: bool,
}

impl<T, S> Subscriber<T> for SplitSubscriber<T, S>
where
    T: Send + 'static,
    S: Subscriber<(u64, T)> + 'static,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        if self.subscribed {
            subscription.cancel(); // §2.5
            return;
        }
        self.subscribed = true;
        // Rule 1: no rail has a subscription yet, so this is the first entry.
        let Some(mut entered) = self.main.drain.try_enter() else {
            subscription.cancel();
            return;
        };
        let state = entered.state();
        let kept = state.upstream.set(&subscription);
        debug_assert!(kept, "the first on_subscribe");
        for (index, rail) in state.rails.iter_mut().enumerate() {
            if let Some(rail) = rail {
                rail.on_subscribe(Arc::new(RailSubscription {
                    main: Arc::clone(&self.main),
                    index,
                }));
            }
        }
        state.upstream.request(self.prefetch);
        self.main.run(entered);
    }

    #[inline]
    fn on_next(&mut self, item: T) {
        if self.done {
            return; // §2.8: after our own overflow
        }
        let position = self.position;
        self.position += 1;
        if self.producer.push((position, item)).is_err() {
            self.done = true;
            self.main.errors.set(Error::overflow(format!(
                "parallel: upstream sent more than the {} items requested",
                self.producer.capacity()
            )));
        }
        self.main.signal();
    }

    fn on_error(&mut self, error: Error) {
        if !self.done {
            self.done = true;
            self.main.errors.set(error);
            // Ordering: Release; `errors` already publishes the error.
            self.main.upstream_done.store(true, Ordering::Release);
            self.main.signal();
        }
    }

    fn on_complete(&mut self) {
        if !self.done {
            self.done = true;
            // Ordering: Release publishes every item queued before it (race
            // 2). Pairs with: the Acquire load in `round`.
            self.main.upstream_done.store(true, Ordering::Release);
            self.main.signal();
        }
    }
}

#[cfg(all(test, not(reactive_streams_loom)))]
mod tests {
    use crate::ops::ParallelPublisher;
    use crate::traits::{Fused, Publisher};
    use crate::{source, ErrorKind, PublisherExt, Rule, TestSubscriber};

    fn split<P: Publisher<Item = u32>>(
        upstream: P,
        rails: usize,
        prefetch: usize,
        initial: u64,
    ) -> Rails {
        let subscribers: Vec<_> = (0..rails).map(|_| TestSubscriber::new(initial)).collect();
        upstream
            .parallel_with(rails, prefetch)
            .subscribe_rails(subscribers.clone(), Fused(()));
        Rails(subscribers)
    }

    /// The rails' test subscribers, cancelled when the test is done: a test
    /// subscriber holds its subscription, which holds it, so a stream left
    /// open would leak (Miri checks leaks).
    struct Rails(Vec<TestSubscriber<(u64, u32)>>);

    impl std::ops::Deref for Rails {
        type Target = [TestSubscriber<(u64, u32)>];

        fn deref(&self) -> &Self::Target {
            &self.0
        }
    }

    impl Drop for Rails {
        fn drop(&mut self) {
            for rail in &self.0 {
                rail.cancel();
            }
        }
    }

    /// A rail that asked for nothing receives nothing; the items go to the
    /// rails that asked, in rotation, tagged with their source position.
    #[test]
    fn items_go_only_to_rails_with_demand() {
        let rails = split(source::range(10..20u32), 3, 4, 0);
        for rail in rails.iter() {
            rail.assert_no_values().assert_not_terminated();
        }
        rails[1].request(2);
        rails[1].assert_values(&[(0, 10), (1, 11)]);
        rails[0].assert_no_values();
        rails[2].assert_no_values();
        rails[2].request(1);
        rails[0].request(1);
        rails[2].assert_values(&[(2, 12)]);
        rails[0].assert_values(&[(3, 13)]);
        for rail in rails.iter() {
            rail.request(100);
        }
        let mut all: Vec<_> = rails.iter().flat_map(TestSubscriber::values).collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).map(|i| (i, 10 + i as u32)).collect::<Vec<_>>());
        for rail in rails.iter() {
            rail.assert_complete().assert_no_violations();
        }
    }

    /// Items that arrive one at a time still go round every rail: a rail
    /// that found the queue empty keeps its turn (a regression: it lost it,
    /// and two of four rails got everything).
    #[test]
    fn one_item_at_a_time_goes_round_every_rail() {
        let rails = split(source::range(0..20u32), 4, 256, u64::MAX);
        for (index, rail) in rails.iter().enumerate() {
            let expected: Vec<_> = (0..5)
                .map(|k| (index as u64 + 4 * k, index as u32 + 4 * k as u32))
                .collect();
            rail.assert_values(&expected).assert_complete();
        }
    }

    /// Upstream is asked for the prefetch, and for 75% of it more only as the
    /// rails take items.
    #[test]
    fn upstream_is_asked_only_as_rails_take_items() {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let upstream = source::range(0..100u32).do_on_request(move |n| log.lock().push(n));
        let rails = split(upstream, 2, 8, 0);
        assert_eq!(*requests.lock(), [8]);
        rails[0].request(5);
        assert_eq!(*requests.lock(), [8]); // 5 taken: below the 6 of 75%
        rails[1].request(1);
        assert_eq!(*requests.lock(), [8, 6]);
        assert_eq!(rails[0].item_count() + rails[1].item_count(), 6);
    }

    /// `request(0)` on one rail is that rail's §3.9 error; the others go on.
    #[test]
    fn request_zero_fails_that_rail_only() {
        let rails = split(source::range(0..4u32), 2, 4, 0);
        rails[0].request(0);
        rails[0].assert_error(|e| e.rule() == Some(Rule::NON_POSITIVE_REQUEST));
        rails[1].request(10);
        rails[1]
            .assert_values(&[(0, 0), (1, 1), (2, 2), (3, 3)])
            .assert_complete();
    }

    /// Every rail cancelled: upstream is cancelled.
    #[test]
    fn upstream_is_cancelled_with_the_last_rail() {
        let upstream = TestPublisherProbe::new();
        let rails = split(upstream.clone(), 2, 4, 1);
        rails[0].cancel();
        assert!(!upstream.cancelled());
        rails[1].cancel();
        assert!(upstream.cancelled());
    }

    /// An error reaches every rail, ahead of the items queued for them.
    #[test]
    fn an_error_reaches_every_rail_at_once() {
        let upstream = source::range(0..3u32).concat_with(source::error(crate::Error::new("x")));
        let rails = split(upstream, 2, 8, 0);
        for rail in rails.iter() {
            rail.assert_no_values().assert_error_kind(ErrorKind::Other);
        }
    }

    /// An upstream that ignores demand: an overflow error on every rail.
    #[test]
    fn an_upstream_that_ignores_demand_is_an_overflow() {
        let rails = split(IgnoresDemand, 1, 2, 1);
        rails[0].assert_error_kind(ErrorKind::Overflow);
    }

    use crate::sync::{Arc, Mutex};
    use crate::traits::{Subscriber, Subscription};

    /// A publisher that records its cancel and emits nothing.
    #[derive(Clone, Default)]
    struct TestPublisherProbe(Arc<Mutex<(Vec<u64>, bool)>>);

    impl TestPublisherProbe {
        fn new() -> Self {
            Self::default()
        }
        fn cancelled(&self) -> bool {
            self.0.lock().1
        }
    }

    impl Subscription for TestPublisherProbe {
        fn request(&self, n: u64) {
            self.0.lock().0.push(n);
        }
        fn cancel(&self) {
            self.0.lock().1 = true;
        }
    }

    impl Publisher for TestPublisherProbe {
        type Item = u32;
        fn subscribe<S: Subscriber<u32> + 'static>(&self, mut subscriber: S) {
            subscriber.on_subscribe(Arc::new(self.clone()));
        }
    }

    /// Pushes ten items whatever was requested.
    struct IgnoresDemand;

    impl Publisher for IgnoresDemand {
        type Item = u32;
        fn subscribe<S: Subscriber<u32> + 'static>(&self, mut subscriber: S) {
            subscriber.on_subscribe(Arc::new(TestPublisherProbe::new()));
            for i in 0..10 {
                subscriber.on_next(i);
            }
            subscriber.on_complete();
        }
    }
}
