//! Take, take_while, take_until, skip, skip_while, skip_until, element_at, first, last, ignore_elements, default_if_empty, limit_request.

mod default_if_empty;
mod element_at;
mod first;
mod ignore_elements;
mod last;
mod limit_request;
mod skip;
mod skip_until;
mod skip_while;
mod take;
mod take_until;
mod take_while;

pub(crate) mod probe {
    //! [`DemandProbe`]: what an operator asked of its upstream.

    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use reactive_streams::{BoxPublisher, Error, Publisher, Subscriber, Subscription};

    /// Wraps a publisher and records, over all its subscriptions, every
    /// `request(n)` made to it, whether it was cancelled, whether it was
    /// subscribed, and how many items went through.
    pub(crate) struct DemandProbe<P> {
        inner: Arc<P>,
        log: Arc<Log>,
    }

    #[derive(Default)]
    struct Log {
        requests: Mutex<Vec<u64>>,
        cancelled: AtomicBool,
        subscribed: AtomicBool,
        emitted: AtomicU64,
    }

    impl<P> Clone for DemandProbe<P> {
        fn clone(&self) -> Self {
            DemandProbe {
                inner: Arc::clone(&self.inner),
                log: Arc::clone(&self.log),
            }
        }
    }

    impl<P: Publisher + 'static> DemandProbe<P> {
        pub(crate) fn new(inner: P) -> Self {
            DemandProbe {
                inner: Arc::new(inner),
                log: Arc::default(),
            }
        }

        pub(crate) fn publisher(&self) -> BoxPublisher<P::Item> {
            BoxPublisher::new(self.clone())
        }

        pub(crate) fn requests(&self) -> Vec<u64> {
            self.log.requests.lock().unwrap().clone()
        }

        /// The sum of the requests, saturating.
        pub(crate) fn requested(&self) -> u64 {
            self.requests()
                .iter()
                .fold(0u64, |sum, n| sum.saturating_add(*n))
        }

        pub(crate) fn was_cancelled(&self) -> bool {
            self.log.cancelled.load(Ordering::SeqCst)
        }

        pub(crate) fn was_subscribed(&self) -> bool {
            self.log.subscribed.load(Ordering::SeqCst)
        }

        pub(crate) fn emitted(&self) -> u64 {
            self.log.emitted.load(Ordering::SeqCst)
        }
    }

    impl<P: Publisher + 'static> Publisher for DemandProbe<P> {
        type Item = P::Item;

        fn subscribe<S>(&self, subscriber: S)
        where
            S: Subscriber<P::Item> + 'static,
        {
            self.log.subscribed.store(true, Ordering::SeqCst);
            self.inner.subscribe(ProbeSubscriber {
                downstream: subscriber,
                log: Arc::clone(&self.log),
            });
        }
    }

    struct ProbeSubscriber<S> {
        downstream: S,
        log: Arc<Log>,
    }

    struct ProbeSubscription {
        upstream: Arc<dyn Subscription>,
        log: Arc<Log>,
    }

    impl Subscription for ProbeSubscription {
        fn request(&self, n: u64) {
            self.log.requests.lock().unwrap().push(n);
            self.upstream.request(n);
        }

        fn cancel(&self) {
            self.log.cancelled.store(true, Ordering::SeqCst);
            self.upstream.cancel();
        }
    }

    impl<S: Subscriber<T>, T> Subscriber<T> for ProbeSubscriber<S> {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            self.downstream.on_subscribe(Arc::new(ProbeSubscription {
                upstream: subscription,
                log: Arc::clone(&self.log),
            }));
        }

        fn on_next(&mut self, item: T) {
            self.log.emitted.fetch_add(1, Ordering::SeqCst);
            self.downstream.on_next(item);
        }

        fn try_on_next(&mut self, item: T) -> bool {
            self.log.emitted.fetch_add(1, Ordering::SeqCst);
            self.downstream.try_on_next(item)
        }

        fn on_error(&mut self, error: Error) {
            self.downstream.on_error(error);
        }

        fn on_complete(&mut self) {
            self.downstream.on_complete();
        }
    }
}

pub(crate) mod pushed {
    //! A publisher that emits through plain `on_next` (never `try_on_next`),
    //! from the requesting thread, as a third-party publisher would: it
    //! exercises the `request(1)` replacement path of dropping operators.

    use std::sync::Arc;

    use reactive_streams::{
        source, BoxPublisher, Error, Publisher, PublisherExt, Subscriber, Subscription,
    };

    /// `items` through plain `on_next`, within demand, then completion.
    pub(crate) fn pushed(items: Vec<u64>) -> BoxPublisher<u64> {
        Pushed { items }.boxed()
    }

    struct Pushed {
        items: Vec<u64>,
    }

    impl Publisher for Pushed {
        type Item = u64;

        fn subscribe<S>(&self, subscriber: S)
        where
            S: Subscriber<u64> + 'static,
        {
            // The engine is `from_iter`'s; the adapter in between turns
            // every `try_on_next` into a plain `on_next`.
            source::from_iter(self.items.clone()).subscribe(Plain {
                downstream: subscriber,
            });
        }
    }

    struct Plain<S> {
        downstream: S,
    }

    impl<S: Subscriber<u64>> Subscriber<u64> for Plain<S> {
        fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
            self.downstream.on_subscribe(subscription);
        }

        fn on_next(&mut self, item: u64) {
            self.downstream.on_next(item);
        }

        fn try_on_next(&mut self, item: u64) -> bool {
            // Counted, whatever downstream does with it: the caller must
            // replace a dropped item with a request of its own.
            self.downstream.on_next(item);
            true
        }

        fn on_error(&mut self, error: Error) {
            self.downstream.on_error(error);
        }

        fn on_complete(&mut self) {
            self.downstream.on_complete();
        }
    }
}

pub(crate) mod trigger {
    //! A main stream that makes another publisher signal at a chosen item,
    //! on the same thread: deterministic `take_until` / `skip_until` runs.

    use std::sync::{Arc, Mutex};

    use reactive_streams::source::{self, Emitter, Overflow};
    use reactive_streams::{BoxPublisher, PublisherExt};

    /// `(main, other)`: `main` publishes `items`; just before the item at
    /// index `k` leaves `main`, `other` emits `()`. With `k >= items.len()`,
    /// `other` never emits.
    pub(crate) fn main_and_other(
        items: Vec<u64>,
        k: usize,
    ) -> (BoxPublisher<u64>, BoxPublisher<()>) {
        let slot: Arc<Mutex<Option<Emitter<()>>>> = Arc::new(Mutex::new(None));
        let stash = Arc::clone(&slot);
        let other = source::create(Overflow::Unbounded, move |emitter| {
            *stash.lock().unwrap() = Some(emitter);
        })
        .boxed();
        let indexed: Vec<(usize, u64)> = items.into_iter().enumerate().collect();
        let main = source::from_iter(indexed)
            .map(move |(i, x)| {
                if i == k {
                    let emitter = slot.lock().unwrap().take();
                    if let Some(emitter) = emitter {
                        let _ = emitter.next(());
                    }
                }
                x
            })
            .boxed();
        (main, other)
    }
}
