//! What the subscriber and processor verifications share: the test
//! exception, the skip and not-applicable reasons, and the macros that turn a
//! test list into names and `#[test]`s.

use std::fmt;
use std::sync::Arc;

use reactive_streams::{Error, Publisher, Subscription};

use crate::env::TestEnvironment;
use crate::outcome::{Stop, TckResult};
use crate::support::{Latch, ManualSubscriber};

/// The reason the subscriber verifications' `untested_` tests give (the JVM
/// TCK words it differently from the publisher one).
pub const NOT_VERIFIED_USING: &str = "Not verified using this TCK.";

/// The message of the error the TCK signals to subscribers under test.
pub const TEST_EXCEPTION_MESSAGE: &str = "Test Exception: Boom!";

/// A new error of the kind the TCK signals to subscribers: "Test Exception:
/// Boom!" (the JVM TCK's `TestException`). Each call makes a new value, so
/// that a test can check it receives *this* one ([`Error::ptr_eq`]).
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::test_exception;
///
/// let e = test_exception();
/// assert_eq!(e.to_string(), "Test Exception: Boom!");
/// assert!(!e.ptr_eq(&test_exception()));
/// ```
pub fn test_exception() -> Error {
    Error::new(TEST_EXCEPTION_MESSAGE)
}

/// The body of every subscriber `untested_` test.
pub(crate) fn not_verified() -> TckResult {
    Err(Stop::skip(NOT_VERIFIED_USING))
}

/// Why the §2.13 `on_subscribe(null)` tests do not apply.
pub(crate) const NULL_ON_SUBSCRIBE: &str =
    "§2.13 null argument: Subscriber::on_subscribe takes an Arc<dyn Subscription>, which \
     cannot be null; Rust's types rule the case out";

/// Why the §2.13 `on_next(null)` tests do not apply.
pub(crate) const NULL_ON_NEXT: &str =
    "§2.13 null argument: Subscriber::on_next takes the item T by value, and a Rust value \
     cannot be null (an Option item is a value the stream carries, not a missing \
     argument); Rust's types rule the case out";

/// Why the §2.13 `on_error(null)` tests do not apply.
pub(crate) const NULL_ON_ERROR: &str =
    "§2.13 null argument: Subscriber::on_error takes an Error by value, which cannot be \
     null; Rust's types rule the case out";

/// The name messages give the subscriber type `S`: its type name without
/// module paths (`Box<dyn Subscriber<u64>>`, not
/// `alloc::boxed::Box<dyn reactive_streams::traits::subscriber::Subscriber<u64>>`).
pub(crate) fn describe<S: ?Sized>() -> String {
    format!("`{}`", short_type_name::<S>())
}

/// How messages name the subscriber `S` of the implementation called
/// `implementation`: its type, and the implementation's name when that says
/// more ("`Probed` (of MyVerification)").
pub(crate) fn subscriber_name<S: ?Sized>(implementation: &str) -> String {
    let subscriber = describe::<S>();
    if subscriber.trim_matches('`') == implementation {
        subscriber
    } else {
        format!("{subscriber} (of {implementation})")
    }
}

/// `T`'s type name with every path cut down to its last segment:
/// `my_crate::tests::Range<alloc::string::String>` is `Range<String>`.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::short_type_name;
///
/// assert_eq!(short_type_name::<Vec<String>>(), "Vec<String>");
/// assert_eq!(short_type_name::<std::sync::Arc<dyn std::fmt::Debug>>(), "Arc<dyn Debug>");
/// ```
pub fn short_type_name<T: ?Sized>() -> String {
    shorten(std::any::type_name::<T>())
}

/// Cuts every `a::b::C` in `name` down to `C`.
fn shorten(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut segment = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear(); // a path goes on: forget what came before
        } else if c.is_alphanumeric() || c == '_' {
            segment.push(c);
        } else {
            out.push_str(&segment);
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(&segment);
    out
}

/// The extra subscription a §2.5 test hands a subscriber that already has
/// one: it must be cancelled. What `request` on it means is up to the test.
pub(crate) struct SecondSubscription {
    cancelled: Latch,
    on_request: Box<dyn Fn(u64) + Send + Sync>,
}

impl SecondSubscription {
    /// A subscription that ignores requests (whitebox: requesting from the
    /// second subscription before cancelling it is harmless).
    pub(crate) fn ignoring_requests() -> SecondSubscription {
        SecondSubscription {
            cancelled: Latch::new(),
            on_request: Box::new(|_| {}),
        }
    }

    /// A subscription on which any request is recorded as a failure
    /// (blackbox: a subscriber must not request from a subscription it is
    /// about to cancel).
    pub(crate) fn rejecting_requests(
        env: &TestEnvironment,
        subscriber: String,
    ) -> SecondSubscription {
        let env = env.clone();
        SecondSubscription {
            cancelled: Latch::new(),
            on_request: Box::new(move |n| {
                env.flop(format!(
                    "Subscriber {subscriber} illegally called `subscription.request({n})` on \
                     a second subscription, which it must cancel (§2.5)"
                ))
            }),
        }
    }

    pub(crate) fn cancelled(&self) -> &Latch {
        &self.cancelled
    }
}

impl Subscription for SecondSubscription {
    fn request(&self, n: u64) {
        (self.on_request)(n);
    }

    fn cancel(&self) {
        self.cancelled.close();
    }
}

/// Hands `subscription` to a subscriber as a second `on_subscribe` (through
/// `send`) and waits for it to be cancelled (§2.5).
pub(crate) fn expect_second_subscription_cancelled(
    env: &TestEnvironment,
    second: SecondSubscription,
    send: impl FnOnce(Arc<dyn Subscription>),
) -> TckResult {
    let second = Arc::new(second);
    send(Arc::clone(&second) as Arc<dyn Subscription>);
    second.cancelled().expect_close(
        env.default_timeout(),
        "Expected 2nd Subscription given to subscriber to be cancelled, but \
         `Subscription::cancel()` was not called (§2.5)",
    )
}

/// `tees`, as the JVM TCK calls it: a subscription to the helper publisher
/// that supplies a test with fresh elements, one per request. Cancelled when
/// dropped (the helper stream is infinite).
pub(crate) struct Tees<T: fmt::Debug + Send + 'static> {
    subscriber: ManualSubscriber<T>,
}

impl<T: fmt::Debug + Send + 'static> Tees<T> {
    /// Subscribes to `helper` and waits (default timeout) for the
    /// subscription.
    pub(crate) fn new<P>(env: &TestEnvironment, helper: &P) -> TckResult<Tees<T>>
    where
        P: Publisher<Item = T> + ?Sized,
    {
        let subscriber = ManualSubscriber::new(env);
        let tees = Tees {
            subscriber: subscriber.clone(),
        };
        env.subscribe(helper, subscriber)?;
        Ok(tees)
    }

    /// The next element (default timeout).
    pub(crate) fn next(&self) -> TckResult<T> {
        self.subscriber.request_next_element()
    }
}

impl<T: fmt::Debug + Send + 'static> Drop for Tees<T> {
    fn drop(&mut self) {
        if self.subscriber.is_subscribed() {
            self.subscriber.cancel();
        }
    }
}

/// `[ "name", ... ]` from a test list (a callback of the list macros).
#[doc(hidden)]
#[macro_export]
macro_rules! __tck_test_names {
    ({} $($policy:ident $name:ident $rule:tt;)*) => {
        [$(stringify!($name)),*]
    };
}
