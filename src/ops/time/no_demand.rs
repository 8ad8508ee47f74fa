//! `NoDemand`: what a timed emitter does with an item that falls due when
//! downstream has not requested one.

/// What a timed emitter ([`interval`](crate::source::interval),
/// [`debounce`](crate::PublisherExt::debounce),
/// [`sample`](crate::PublisherExt::sample),
/// [`throttle_last`](crate::PublisherExt::throttle_last)) does when its
/// timer makes an item due and downstream has no demand for it.
///
/// None of the choices buffers more than one item or emits beyond demand.
/// The same choice applies when an item falls due while the previous one
/// is still waiting to be delivered (downstream is busy in `on_next` on
/// another thread): the emitter never holds more than one due item.
///
/// # Examples
///
/// ```
/// use reactive_streams::ops::NoDemand;
/// use reactive_streams::scheduler::VirtualTimeScheduler;
/// use reactive_streams::{source, ErrorKind, Publisher, TestSubscriber};
/// use std::time::Duration;
///
/// let vts = VirtualTimeScheduler::new();
/// let second = Duration::from_secs(1);
///
/// // The default: the tick nobody asked for fails the stream (as Reactor's
/// // interval does).
/// let ts = TestSubscriber::new(1);
/// source::interval_on(second, &vts).subscribe(ts.clone());
/// vts.advance_by(2 * second);
/// ts.assert_values(&[0]).assert_error_kind(ErrorKind::Overflow);
///
/// // Drop it: the ticks nobody asked for are lost.
/// let ts = TestSubscriber::new(1);
/// source::interval_on(second, &vts).on_no_demand(NoDemand::Drop).subscribe(ts.clone());
/// vts.advance_by(3 * second);
/// ts.request(1);
/// vts.advance_by(second);
/// ts.assert_values(&[0, 3]).assert_not_terminated();
/// ts.cancel();
///
/// // Keep the latest: one tick waits, newer ones replace it.
/// let ts = TestSubscriber::new(1);
/// source::interval_on(second, &vts).on_no_demand(NoDemand::Latest).subscribe(ts.clone());
/// vts.advance_by(3 * second);
/// ts.request(1);
/// ts.assert_values(&[0, 2]).assert_not_terminated();
/// ts.cancel();
/// assert_eq!(vts.pending_tasks(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NoDemand {
    /// Fail the stream with an error of kind
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) (upstream is
    /// cancelled), as Reactor's `interval` and RxJava's `debounce` and
    /// `sample` do: a consumer that cannot keep up is told so.
    #[default]
    Error,
    /// Drop the item that cannot be delivered; later ones are delivered as
    /// demand allows.
    Drop,
    /// Keep it waiting, delivered as soon as downstream requests; a newer
    /// item that falls due meanwhile replaces it (only the latest waits).
    Latest,
}
