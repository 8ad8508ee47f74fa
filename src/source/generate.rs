//! `generate`: a stateful generator, called once per requested item.

use core::fmt;
use core::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::author::pull::{self, Pull, Step};
use crate::error::Error;
use crate::sync::Arc;
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`generate`] function.
#[must_use = "publishers do nothing until subscribed"]
pub struct Generate<T, I, F> {
    inner: Arc<Functions<I, F>>,
    _item: PhantomData<fn() -> T>,
}

struct Functions<I, F> {
    init: I,
    step: F,
}

/// Publishes what a stateful generator produces: for each subscriber, `init`
/// makes a fresh state, and `step` is called once per requested item with the
/// state and a [`GenerateSink`], on which it signals exactly one of: an item
/// ([`next`](GenerateSink::next)), an item and the end
/// ([`next`](GenerateSink::next) then [`complete`](GenerateSink::complete)),
/// the end alone, or an [`error`](GenerateSink::error).
///
/// A panic in `init` or `step` becomes `on_error` with
/// [`ErrorKind::Panic`](crate::ErrorKind::Panic). A call that signals nothing,
/// or two items, ends the stream with an error that says so; nothing is
/// dropped silently.
///
/// # Demand
///
/// `step` runs once per unit of demand and never ahead of it, so a generator
/// that reads a device reads only what was asked for.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// // Fibonacci numbers below 20.
/// let fib = source::generate(
///     || (0u64, 1u64),
///     |(a, b), sink| {
///         sink.next(*a);
///         (*a, *b) = (*b, *a + *b);
///         if *a >= 20 {
///             sink.complete();
///         }
///     },
/// );
/// let ts = TestSubscriber::unbounded();
/// fib.subscribe(ts.clone());
/// ts.assert_values(&[0, 1, 1, 2, 3, 5, 8, 13]).assert_complete();
/// ```
pub fn generate<St, T, I, F>(init: I, step: F) -> Generate<T, I, F>
where
    I: Fn() -> St + Send + Sync + 'static,
    F: Fn(&mut St, &mut GenerateSink<T>) + Send + Sync + 'static,
    St: Send + 'static,
    T: Send + 'static,
{
    Generate {
        inner: Arc::new(Functions { init, step }),
        _item: PhantomData,
    }
}

impl<T, I, F> Clone for Generate<T, I, F> {
    fn clone(&self) -> Self {
        Generate {
            inner: Arc::clone(&self.inner),
            _item: PhantomData,
        }
    }
}

impl<T, I, F> fmt::Debug for Generate<T, I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generate").finish_non_exhaustive()
    }
}

impl<St, T, I, F> Generate<T, I, F>
where
    I: Fn() -> St + Send + Sync + 'static,
    F: Fn(&mut St, &mut GenerateSink<T>) + Send + Sync + 'static,
    St: Send + 'static,
    T: Send + 'static,
{
    /// A fresh run: `init` called anew (its panic becomes the stream's error).
    fn pull(&self) -> GeneratePull<St, T, I, F> {
        let state = match catch_unwind(AssertUnwindSafe(|| (self.inner.init)())) {
            Ok(state) => Ok(state),
            Err(payload) => Err(Error::from_panic(payload)),
        };
        GeneratePull {
            functions: Arc::clone(&self.inner),
            state,
            sink: GenerateSink::new(),
        }
    }
}

impl<St, T, I, F> Publisher for Generate<T, I, F>
where
    I: Fn() -> St + Send + Sync + 'static,
    F: Fn(&mut St, &mut GenerateSink<T>) + Send + Sync + 'static,
    St: Send + 'static,
    T: Send + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(self.pull(), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<T>> {
        Some(FusedSource::new(self.pull()))
    }
}

/// What one call of a [`generate`] step signals.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let countdown = source::generate(|| 3u32, |n, sink| {
///     if *n == 0 {
///         sink.complete();
///     } else {
///         sink.next(*n);
///         *n -= 1;
///     }
/// });
/// let ts = TestSubscriber::unbounded();
/// countdown.subscribe(ts.clone());
/// ts.assert_values(&[3, 2, 1]).assert_complete();
/// ```
pub struct GenerateSink<T> {
    item: Option<T>,
    end: Option<Result<(), Error>>,
    misuse: Option<&'static str>,
}

impl<T> GenerateSink<T> {
    fn new() -> Self {
        GenerateSink {
            item: None,
            end: None,
            misuse: None,
        }
    }

    /// Emits `item`. At most once per call, and not after the end.
    pub fn next(&mut self, item: T) {
        if self.item.is_some() {
            self.misuse = Some("generate: the step called `next` twice in one call");
        } else if self.end.is_some() {
            self.misuse = Some("generate: the step called `next` after the end");
        } else {
            self.item = Some(item);
        }
    }

    /// Ends the stream successfully, after the item of this call if any.
    pub fn complete(&mut self) {
        if self.end.is_none() {
            self.end = Some(Ok(()));
        }
    }

    /// Ends the stream with `error`, after the item of this call if any.
    pub fn error(&mut self, error: Error) {
        if self.end.is_none() {
            self.end = Some(Err(error));
        }
    }
}

impl<T> fmt::Debug for GenerateSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenerateSink")
            .field("has_item", &self.item.is_some())
            .field("ended", &self.end.is_some())
            .finish()
    }
}

struct GeneratePull<St, T, I, F> {
    functions: Arc<Functions<I, F>>,
    /// `Err` when `init` panicked: the stream fails at once.
    state: Result<St, Error>,
    sink: GenerateSink<T>,
}

impl<St, T, I, F> Pull for GeneratePull<St, T, I, F>
where
    I: Fn() -> St + Send + Sync + 'static,
    F: Fn(&mut St, &mut GenerateSink<T>) + Send + Sync + 'static,
    St: Send + 'static,
    T: Send + 'static,
{
    type Item = T;

    fn next(&mut self) -> Step<T> {
        // The end that came with the last item, if demand did not run out
        // before it (the engine then asks `next` rather than `finished`).
        if let Some(end) = self.sink.end.take() {
            return Step::End(end);
        }
        let state = match &mut self.state {
            Ok(state) => state,
            Err(error) => return Step::End(Err(error.clone())),
        };
        let sink = &mut self.sink;
        let step = &self.functions.step;
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| step(state, sink))) {
            return Step::End(Err(Error::from_panic(payload)));
        }
        if let Some(misuse) = self.sink.misuse.take() {
            return Step::End(Err(Error::new(misuse)));
        }
        match (self.sink.item.take(), &self.sink.end) {
            // An item with the end: the end is reported next, by `finished`
            // or by `next`.
            (Some(item), _) => Step::Next(item),
            (None, Some(_)) => Step::End(self.sink.end.take().unwrap_or(Ok(()))),
            (None, None) => Step::End(Err(Error::new(
                "generate: the step signalled nothing (call `next`, `complete` or `error`)",
            ))),
        }
    }

    fn finished(&mut self) -> Option<Result<(), Error>> {
        if let Err(error) = &self.state {
            return Some(Err(error.clone()));
        }
        self.sink.end.take()
    }
}

#[cfg(all(test, not(reactive_streams_loom)))]
mod tests {
    use crate::sync::atomic::{AtomicUsize, Ordering};

    use crate::sync::Arc;
    use crate::{source, Publisher, TestSubscriber};

    /// An end signalled with the last item while demand remains is reported
    /// at once, and the step is not run again after it.
    #[test]
    fn the_end_that_comes_with_the_last_item_ends_the_stream_at_once() {
        for demand in [3, 10, u64::MAX] {
            let steps = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&steps);
            let ts = TestSubscriber::new(demand);
            source::generate(
                || 0u32,
                move |i, sink| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    sink.next(*i);
                    if *i == 2 {
                        sink.complete();
                    }
                    *i += 1;
                },
            )
            .subscribe(ts.clone());
            ts.assert_values(&[0, 1, 2]).assert_complete();
            assert_eq!(steps.load(Ordering::SeqCst), 3, "demand {demand}");
        }
    }
}
