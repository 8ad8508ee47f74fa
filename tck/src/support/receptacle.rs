//! `Receptacle`: the bounded queue of items and end-of-stream a TCK
//! subscriber fills and a test drains.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::sync::{deadline, lock, wait_until};

/// What a [`Receptacle`] holds: an item, or the end of the stream.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::Received;
///
/// assert_eq!(Received::Item(3).into_item(), Some(3));
/// assert_eq!(Received::<u8>::End.into_item(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received<T> {
    /// An `on_next` item.
    Item(T),
    /// `on_complete`.
    End,
}

impl<T> Received<T> {
    /// The item, if this is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Received;
    ///
    /// assert_eq!(Received::Item('x').into_item(), Some('x'));
    /// ```
    pub fn into_item(self) -> Option<T> {
        match self {
            Received::Item(item) => Some(item),
            Received::End => None,
        }
    }
}

/// Why [`Receptacle::add`] or [`Receptacle::complete`] refused a signal.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::{AddError, Receptacle};
///
/// let r = Receptacle::with_capacity(1);
/// r.add(1).unwrap();
/// assert_eq!(r.add(2), Err(AddError::Full(2)));
/// r.complete().unwrap();
/// assert_eq!(r.add(3), Err(AddError::AfterEnd(3)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddError<T> {
    /// The queue holds [`capacity`](Receptacle::capacity) entries already:
    /// the publisher sent more than the test could have asked for (G12).
    Full(T),
    /// The stream already ended (§1.7).
    AfterEnd(T),
}

/// A bounded queue of [`Received`] entries with blocking, deadline-based
/// reads. It only stores: deciding what a refused entry means (and recording
/// it) is the subscriber's job, so that nothing ever panics into a publisher.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use reactive_streams_tck::support::{Received, Receptacle};
///
/// let r = Receptacle::new();
/// r.add(1).unwrap();
/// r.complete().unwrap();
/// let t = Duration::from_millis(10);
/// assert_eq!(r.next(t), Some(Received::Item(1)));
/// assert_eq!(r.next(t), Some(Received::End));
/// assert_eq!(r.next(t), None);
/// ```
pub struct Receptacle<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
    capacity: usize,
}

struct State<T> {
    queue: VecDeque<Received<T>>,
    ended: bool,
}

impl<T> fmt::Debug for Receptacle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Receptacle")
            .field("queued", &state.queue.len())
            .field("ended", &state.ended)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<T> Default for Receptacle<T> {
    fn default() -> Self {
        Receptacle::new()
    }
}

impl<T> Receptacle<T> {
    /// The JVM TCK's queue size: twice its test buffer size of 16.
    pub const CAPACITY: usize = 32;

    /// An empty receptacle of [`CAPACITY`](Receptacle::CAPACITY) entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert_eq!(Receptacle::<u8>::new().capacity(), 32);
    /// ```
    pub fn new() -> Receptacle<T> {
        Receptacle::with_capacity(Self::CAPACITY)
    }

    /// An empty receptacle of `capacity` entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert_eq!(Receptacle::<u8>::with_capacity(4).capacity(), 4);
    /// ```
    pub fn with_capacity(capacity: usize) -> Receptacle<T> {
        Receptacle {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                ended: false,
            }),
            changed: Condvar::new(),
            capacity,
        }
    }

    /// How many entries it holds at most.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert_eq!(Receptacle::<()>::new().capacity(), Receptacle::<()>::CAPACITY);
    /// ```
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Queues an item.
    ///
    /// # Errors
    ///
    /// [`AddError::AfterEnd`] once the stream ended, [`AddError::Full`] when
    /// the queue is full; either way the item is handed back.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// let r = Receptacle::new();
    /// assert!(r.add("a").is_ok());
    /// assert_eq!(r.len(), 1);
    /// ```
    pub fn add(&self, item: T) -> Result<(), AddError<T>> {
        let mut state = lock(&self.state);
        if state.ended {
            return Err(AddError::AfterEnd(item));
        }
        if state.queue.len() >= self.capacity {
            return Err(AddError::Full(item));
        }
        state.queue.push_back(Received::Item(item));
        drop(state);
        self.changed.notify_all();
        Ok(())
    }

    /// Queues the end of the stream; `Err(())` if it already ended (§1.7).
    /// The end always fits, even in a full queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// let r = Receptacle::<u8>::new();
    /// assert!(r.complete().is_ok());
    /// assert!(r.complete().is_err());
    /// assert!(r.is_ended());
    /// ```
    #[allow(clippy::result_unit_err)] // The only failure is "already ended".
    pub fn complete(&self) -> Result<(), ()> {
        let mut state = lock(&self.state);
        if state.ended {
            return Err(());
        }
        state.ended = true;
        state.queue.push_back(Received::End);
        drop(state);
        self.changed.notify_all();
        Ok(())
    }

    /// Whether the end of the stream was queued (even if already read).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert!(!Receptacle::<u8>::new().is_ended());
    /// ```
    pub fn is_ended(&self) -> bool {
        lock(&self.state).ended
    }

    /// How many entries wait to be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert_eq!(Receptacle::<u8>::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        lock(&self.state).queue.len()
    }

    /// Whether no entry waits to be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert!(Receptacle::<u8>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The oldest entry, waiting up to `timeout`; `None` on timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::support::Receptacle;
    ///
    /// assert_eq!(Receptacle::<u8>::new().next(Duration::from_millis(1)), None);
    /// ```
    pub fn next(&self, timeout: Duration) -> Option<crate::support::Received<T>> {
        self.next_before(deadline(timeout))
    }

    /// The oldest entry, waiting until `deadline`; `None` if none came by then.
    /// Lets several reads share one deadline.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use reactive_streams_tck::support::{Received, Receptacle};
    ///
    /// let r = Receptacle::new();
    /// r.add(1).unwrap();
    /// let deadline = Instant::now() + Duration::from_millis(5);
    /// assert_eq!(r.next_before(deadline), Some(Received::Item(1)));
    /// assert_eq!(r.next_before(deadline), None);
    /// ```
    pub fn next_before(&self, deadline: Instant) -> Option<Received<T>> {
        let guard = lock(&self.state);
        let (mut guard, _) = wait_until(&self.changed, guard, deadline, |s| !s.queue.is_empty());
        guard.queue.pop_front()
    }

    /// The oldest entry if there is one, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::{Received, Receptacle};
    ///
    /// let r = Receptacle::new();
    /// assert_eq!(r.poll(), None);
    /// r.add(9).unwrap();
    /// assert_eq!(r.poll(), Some(Received::Item(9)));
    /// ```
    pub fn poll(&self) -> Option<Received<T>> {
        lock(&self.state).queue.pop_front()
    }

    /// Takes every waiting entry, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::{Received, Receptacle};
    ///
    /// let r = Receptacle::new();
    /// r.add(1).unwrap();
    /// r.complete().unwrap();
    /// assert_eq!(r.drain(), vec![Received::Item(1), Received::End]);
    /// assert!(r.is_empty());
    /// ```
    pub fn drain(&self) -> Vec<Received<T>> {
        lock(&self.state).queue.drain(..).collect()
    }
}
