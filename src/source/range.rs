//! `range`: the integers of a half-open range.

use crate::author::pull::{self, Pull, Step};
use crate::traits::{Fused, FusedSource, Publisher, Subscriber};

/// Publisher for the [`range`] function.
#[derive(Debug, Clone)]
#[must_use = "publishers do nothing until subscribed"]
pub struct Range<T> {
    range: core::ops::Range<T>,
}

/// Publishes the values of `range` in order, then completes; each subscriber
/// gets the whole range anew.
///
/// Works for every integer type (any `T` whose `Range<T>` is an iterator).
///
/// # Demand
///
/// Emits exactly what is requested; completes as soon as the last value is
/// out, without waiting for further demand. Runs on the thread that calls
/// `subscribe` or `request`.
///
/// # Examples
///
/// ```
/// use reactive_streams::{source, Publisher, TestSubscriber};
///
/// let ts = TestSubscriber::new(2);
/// source::range(10..14u32).subscribe(ts.clone());
/// ts.assert_values(&[10, 11]).assert_not_terminated();
/// ts.request(5);
/// ts.assert_values(&[10, 11, 12, 13]).assert_complete();
/// ```
pub fn range<T>(range: core::ops::Range<T>) -> Range<T>
where
    core::ops::Range<T>: Iterator<Item = T>,
    T: PartialOrd + Clone + Send + Sync + 'static,
{
    Range { range }
}

impl<T> Publisher for Range<T>
where
    core::ops::Range<T>: Iterator<Item = T>,
    T: PartialOrd + Clone + Send + Sync + 'static,
{
    type Item = T;

    fn subscribe<S>(&self, subscriber: S)
    where
        S: Subscriber<T> + 'static,
    {
        pull::subscribe(RangePull(self.range.clone()), subscriber);
    }

    fn fused_source(&self, _: Fused) -> Option<FusedSource<T>> {
        Some(FusedSource::new(RangePull(self.range.clone())))
    }
}

struct RangePull<T>(core::ops::Range<T>);

impl<T> Pull for RangePull<T>
where
    core::ops::Range<T>: Iterator<Item = T>,
    T: PartialOrd + Send + 'static,
{
    type Item = T;

    #[inline]
    fn next(&mut self) -> Step<T> {
        match self.0.next() {
            Some(item) => Step::Next(item),
            None => Step::End(Ok(())),
        }
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), crate::Error>> {
        self.0.is_empty().then_some(Ok(()))
    }
}
