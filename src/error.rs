//! The one error type every `on_error` carries.

use core::any::Any;
use core::fmt;
use std::borrow::Cow;
use std::error::Error as StdError;

use crate::sync::Arc;

/// A rule of the Reactive Streams 1.0.4 specification, such as §3.9.
///
/// Errors that report a broken rule carry it, so that tests (and the TCK) can
/// check which rule was broken without matching on message text.
///
/// # Examples
///
/// ```
/// use reactive_streams::Rule;
///
/// assert_eq!(Rule::new(3, 9).to_string(), "§3.9");
/// assert_eq!(Rule::NON_POSITIVE_REQUEST, Rule::new(3, 9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule {
    /// The section: 1 Publisher, 2 Subscriber, 3 Subscription, 4 Processor.
    pub section: u8,
    /// The rule's number within its section.
    pub number: u8,
}

impl Rule {
    /// §3.9: `request(n)` with `n <= 0` must be answered with `on_error`.
    pub const NON_POSITIVE_REQUEST: Rule = Rule::new(3, 9);
    /// §1.1: a publisher never signals more `on_next` than was requested.
    pub const DEMAND_EXCEEDED: Rule = Rule::new(1, 1);
    /// §2.5: a subscriber cancels any second subscription it is handed.
    pub const DUPLICATE_SUBSCRIPTION: Rule = Rule::new(2, 5);

    /// The rule `section.number`.
    pub const fn new(section: u8, number: u8) -> Rule {
        Rule { section, number }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "§{}.{}", self.section, self.number)
    }
}

/// What kind of failure an [`Error`] reports.
///
/// # Examples
///
/// ```
/// use reactive_streams::{Error, ErrorKind, Rule};
///
/// let e = Error::non_positive_request();
/// assert_eq!(e.kind(), ErrorKind::SpecViolation(Rule::NON_POSITIVE_REQUEST));
/// assert_eq!(Error::new("disk full").kind(), ErrorKind::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A party broke a rule of the specification, such as `request(0)` (§3.9).
    SpecViolation(Rule),
    /// A producer emitted more than was requested, or a bounded buffer filled
    /// up under the `Error` overflow strategy.
    Overflow,
    /// User code (a closure, a generator, an iterator) panicked.
    Panic,
    /// A [scheduler](crate::scheduler) refused a task: it was disposed, or it
    /// cannot run what was asked (a delay on the immediate scheduler). The
    /// message names the scheduler; the [`Rejected`](crate::scheduler::Rejected)
    /// itself is reachable through [`Error::downcast_ref`].
    Rejected,
    /// A time limit passed: the [`timeout`](crate::PublisherExt::timeout)
    /// operator saw no item (or no first item) in time.
    Timeout,
    /// Any other failure: the error a source or the user signalled.
    Other,
}

/// The error of a failed stream: cheap to clone, because a multicast stage
/// hands the same error to every subscriber.
///
/// It wraps any `std::error::Error + Send + Sync` transparently (its message
/// is this error's message; reach the value itself through
/// [`downcast_ref`](Error::downcast_ref)),
/// and has its own kinds for spec violations, overflow and panics.
///
/// # Examples
///
/// ```
/// use reactive_streams::{Error, ErrorKind};
///
/// let io = std::io::Error::new(std::io::ErrorKind::Other, "connection reset");
/// let e = Error::new(io);
/// assert_eq!(e.kind(), ErrorKind::Other);
/// assert_eq!(e.to_string(), "connection reset");
/// assert!(e.downcast_ref::<std::io::Error>().is_some());
///
/// let copy = e.clone();
/// assert!(copy.ptr_eq(&e));
/// ```
#[derive(Clone)]
pub struct Error {
    repr: Arc<Repr>,
}

struct Repr {
    kind: ErrorKind,
    message: Cow<'static, str>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    /// Wraps any error (or a `&str` / `String` message) as an [`ErrorKind::Other`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    ///
    /// assert_eq!(Error::new("boom").to_string(), "boom");
    /// assert_eq!(Error::new(format!("code {}", 7)).to_string(), "code 7");
    /// ```
    pub fn new(error: impl Into<Box<dyn StdError + Send + Sync>>) -> Error {
        let source = error.into();
        let message = Cow::Owned(source.to_string());
        Error::from_parts(ErrorKind::Other, message, Some(source))
    }

    /// An error reporting that `rule` was broken, with a message saying how.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, Rule};
    ///
    /// let e = Error::spec_violation(Rule::new(1, 9), "on_next before on_subscribe");
    /// assert_eq!(e.rule(), Some(Rule::new(1, 9)));
    /// assert_eq!(e.to_string(), "§1.9 violated: on_next before on_subscribe");
    /// ```
    pub fn spec_violation(rule: Rule, message: impl Into<Cow<'static, str>>) -> Error {
        Error::from_parts(ErrorKind::SpecViolation(rule), message.into(), None)
    }

    /// The error of `request(0)` (§3.9). Its message contains
    /// "non-positive subscription request", as the TCK's optional message test
    /// expects.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, Rule};
    ///
    /// let e = Error::non_positive_request();
    /// assert_eq!(e.rule(), Some(Rule::NON_POSITIVE_REQUEST));
    /// assert!(e.to_string().contains("non-positive subscription request"));
    /// ```
    pub fn non_positive_request() -> Error {
        Error::spec_violation(
            Rule::NON_POSITIVE_REQUEST,
            "request(0): a non-positive subscription request is illegal",
        )
    }

    /// An overflow: more items arrived than were requested, or a bounded
    /// buffer was full.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, ErrorKind};
    ///
    /// let e = Error::overflow("received 33 items with demand 32");
    /// assert_eq!(e.kind(), ErrorKind::Overflow);
    /// assert!(e.is_overflow());
    /// ```
    pub fn overflow(message: impl Into<Cow<'static, str>>) -> Error {
        Error::from_parts(ErrorKind::Overflow, message.into(), None)
    }

    /// A time limit passed (kind [`ErrorKind::Timeout`]); the message says
    /// which.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, ErrorKind};
    ///
    /// let e = Error::timeout("no item within 5s");
    /// assert_eq!(e.kind(), ErrorKind::Timeout);
    /// assert_eq!(e.to_string(), "timed out: no item within 5s");
    /// ```
    pub fn timeout(message: impl Into<Cow<'static, str>>) -> Error {
        Error::from_parts(ErrorKind::Timeout, message.into(), None)
    }

    /// Turns the payload of a caught panic into an error of kind
    /// [`ErrorKind::Panic`], keeping the panic message.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, ErrorKind};
    ///
    /// let payload = std::panic::catch_unwind(|| panic!("bad item {}", 3)).unwrap_err();
    /// let e = Error::from_panic(payload);
    /// assert_eq!(e.kind(), ErrorKind::Panic);
    /// assert_eq!(e.to_string(), "panicked: bad item 3");
    /// ```
    pub fn from_panic(payload: Box<dyn Any + Send>) -> Error {
        let text = if let Some(s) = payload.downcast_ref::<&'static str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "a non-string panic payload".to_owned()
        };
        Error::from_parts(ErrorKind::Panic, Cow::Owned(text), None)
    }

    pub(crate) fn from_parts(
        kind: ErrorKind,
        message: Cow<'static, str>,
        source: Option<Box<dyn StdError + Send + Sync>>,
    ) -> Error {
        Error {
            repr: Arc::new(Repr {
                kind,
                message,
                source,
            }),
        }
    }

    /// What kind of failure this is.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, ErrorKind};
    ///
    /// assert_eq!(Error::overflow("full").kind(), ErrorKind::Overflow);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.repr.kind
    }

    /// The rule this error reports as broken, if it is a spec violation.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{Error, Rule};
    ///
    /// assert_eq!(Error::non_positive_request().rule(), Some(Rule::new(3, 9)));
    /// assert_eq!(Error::new("x").rule(), None);
    /// ```
    pub fn rule(&self) -> Option<Rule> {
        match self.repr.kind {
            ErrorKind::SpecViolation(rule) => Some(rule),
            _ => None,
        }
    }

    /// True for [`ErrorKind::Overflow`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    ///
    /// assert!(!Error::new("x").is_overflow());
    /// ```
    pub fn is_overflow(&self) -> bool {
        self.repr.kind == ErrorKind::Overflow
    }

    /// The wrapped error, if it is an `E`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    ///
    /// #[derive(Debug)]
    /// struct Timeout;
    /// impl std::fmt::Display for Timeout {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         f.write_str("timed out")
    ///     }
    /// }
    /// impl std::error::Error for Timeout {}
    ///
    /// assert!(Error::new(Timeout).downcast_ref::<Timeout>().is_some());
    /// ```
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.repr.source.as_deref()?.downcast_ref::<E>()
    }

    /// True when both are clones of one error (identity, not equality): how a
    /// test checks that a stage passed on *the* error it received.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::Error;
    ///
    /// let a = Error::new("x");
    /// assert!(a.clone().ptr_eq(&a));
    /// assert!(!Error::new("x").ptr_eq(&a));
    /// ```
    pub fn ptr_eq(&self, other: &Error) -> bool {
        Arc::ptr_eq(&self.repr, &other.repr)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.repr.kind)
            .field("message", &self.repr.message);
        if let Some(source) = &self.repr.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr.kind {
            ErrorKind::SpecViolation(rule) => write!(f, "{rule} violated: {}", self.repr.message),
            ErrorKind::Overflow => write!(f, "overflow: {}", self.repr.message),
            ErrorKind::Panic => write!(f, "panicked: {}", self.repr.message),
            ErrorKind::Timeout => write!(f, "timed out: {}", self.repr.message),
            // The message already says "scheduler `x` rejected a task: ...".
            ErrorKind::Rejected | ErrorKind::Other => f.write_str(&self.repr.message),
        }
    }
}

// Transparent: `Display` already shows the wrapped error, so `source` skips
// it and returns the wrapped error's own cause, and a report that walks the
// chain prints each message once.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.repr.source.as_ref()?.source()
    }
}
