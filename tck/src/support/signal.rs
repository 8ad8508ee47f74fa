//! `Signal`: the four subscriber signals, by name.

use std::fmt;

/// One of the four methods of a `Subscriber`.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::support::Signal;
///
/// assert_eq!(Signal::OnComplete.to_string(), "on_complete");
/// assert!(Signal::OnError.is_terminal());
/// assert!(!Signal::OnNext.is_terminal());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// `on_subscribe`.
    OnSubscribe,
    /// `on_next`.
    OnNext,
    /// `on_error`.
    OnError,
    /// `on_complete`.
    OnComplete,
}

impl Signal {
    /// `on_error` or `on_complete`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Signal;
    ///
    /// assert!(Signal::OnComplete.is_terminal());
    /// ```
    pub fn is_terminal(self) -> bool {
        matches!(self, Signal::OnError | Signal::OnComplete)
    }

    /// The method's name: `on_next` and so on.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::support::Signal;
    ///
    /// assert_eq!(Signal::OnSubscribe.name(), "on_subscribe");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Signal::OnSubscribe => "on_subscribe",
            Signal::OnNext => "on_next",
            Signal::OnError => "on_error",
            Signal::OnComplete => "on_complete",
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}
