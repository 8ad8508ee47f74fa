//! What a TCK test can end with: [`Outcome`], the [`Kind`] of test, and
//! [`Stop`], the early exit a test body takes with `?`.

use core::fmt;
use std::time::Duration;

/// The kind of a TCK test, from the prefix of its name.
///
/// | kind | a failure means |
/// |---|---|
/// | [`Required`](Kind::Required) | a MUST rule is broken: the test fails |
/// | [`Optional`](Kind::Optional) | a MAY/SHOULD feature is absent: the test is skipped, unless a MUST rule was seen broken on the way (see [`Outcome`]) |
/// | [`Stochastic`](Kind::Stochastic) | as required, but the test may miss the bug (it cannot be checked deterministically) |
/// | [`Untested`](Kind::Untested) | never runs: the rule is not verified by this TCK |
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::Kind;
///
/// assert_eq!(Kind::Stochastic.to_string(), "stochastic");
/// assert_eq!(Kind::from_test_name("optional_spec111_may_support_multi_subscribe"), Kind::Optional);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `required_`: a MUST rule.
    Required,
    /// `optional_`: a MAY or SHOULD rule.
    Optional,
    /// `stochastic_`: may pass a broken implementation by chance.
    Stochastic,
    /// `untested_`: not verified; always skipped.
    Untested,
}

impl Kind {
    /// The kind a test name's prefix announces; unprefixed names (the JVM
    /// TCK has one) count as required.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Kind;
    ///
    /// assert_eq!(Kind::from_test_name("untested_spec106_x"), Kind::Untested);
    /// assert_eq!(Kind::from_test_name("must_pass_on_errors"), Kind::Required);
    /// ```
    pub fn from_test_name(name: &str) -> Kind {
        if name.starts_with("optional_") {
            Kind::Optional
        } else if name.starts_with("stochastic_") {
            Kind::Stochastic
        } else if name.starts_with("untested_") {
            Kind::Untested
        } else {
            Kind::Required
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Kind::Required => "required",
            Kind::Optional => "optional",
            Kind::Stochastic => "stochastic",
            Kind::Untested => "untested",
        })
    }
}

/// How one TCK test ended.
///
/// Under `cargo test` (through the verification macros) a [`Fail`](Outcome::Fail)
/// panics with its message; the three others pass, and [`Skip`](Outcome::Skip)
/// and [`NotApplicable`](Outcome::NotApplicable) print their reason (shown with
/// `cargo test -- --show-output`). `untested_` tests are `#[ignore]`d instead,
/// so that `cargo test` lists them as "ignored".
///
/// Optional tests: a failure of the test's own expectations means the
/// optional feature is absent, and becomes a `Skip` carrying the reason. A
/// broken MUST rule noticed by the TCK's subscribers on the way (a signal
/// before `on_subscribe`, an item after completion, more items than requested)
/// still makes the optional test `Fail`; the JVM TCK would have skipped (or
/// even passed) it.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::Outcome;
///
/// let o = Outcome::Skip("no failed publisher".into());
/// assert!(o.is_success());
/// assert_eq!(o.label(), "SKIP");
/// assert_eq!(o.message(), "no failed publisher");
/// assert!(!Outcome::Fail("boom".into()).is_success());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The implementation passed the test.
    Pass,
    /// The implementation broke the rule; the message says how.
    Fail(String),
    /// The test did not run, or an optional feature is absent; the reason.
    Skip(String),
    /// The rule cannot be broken in Rust (its types rule it out); says which.
    NotApplicable(String),
}

impl Outcome {
    /// `PASS`, `FAIL`, `SKIP` or `N/A`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Outcome;
    ///
    /// assert_eq!(Outcome::NotApplicable("u64".into()).label(), "N/A");
    /// ```
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail(_) => "FAIL",
            Outcome::Skip(_) => "SKIP",
            Outcome::NotApplicable(_) => "N/A",
        }
    }

    /// The failure message or the reason; empty for a pass.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Outcome;
    ///
    /// assert_eq!(Outcome::Pass.message(), "");
    /// ```
    pub fn message(&self) -> &str {
        match self {
            Outcome::Pass => "",
            Outcome::Fail(m) | Outcome::Skip(m) | Outcome::NotApplicable(m) => m,
        }
    }

    /// Everything but [`Outcome::Fail`].
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Outcome;
    ///
    /// assert!(Outcome::Pass.is_success());
    /// ```
    pub fn is_success(&self) -> bool {
        !matches!(self, Outcome::Fail(_))
    }

    /// Reports the outcome of the test `name` the way a `#[test]` does:
    /// panics with the message on [`Fail`](Outcome::Fail), prints the reason
    /// on [`Skip`](Outcome::Skip) and [`NotApplicable`](Outcome::NotApplicable),
    /// returns quietly on [`Pass`](Outcome::Pass).
    ///
    /// # Panics
    ///
    /// On `Fail`, which is how a `#[test]` fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Outcome;
    ///
    /// Outcome::Skip("stochastic tests disabled".into()).report("stochastic_spec103_x");
    /// let failed = std::panic::catch_unwind(|| Outcome::Fail("boom".into()).report("t"));
    /// assert!(failed.is_err());
    /// ```
    pub fn report(&self, name: &str) {
        match self {
            Outcome::Pass => {}
            Outcome::Fail(message) => panic!("{name} FAILED: {message}"),
            Outcome::Skip(reason) => println!("{name} SKIPPED: {reason}"),
            Outcome::NotApplicable(reason) => println!("{name} NOT APPLICABLE: {reason}"),
        }
    }
}

impl Outcome {
    /// [`report`](Outcome::report)s, with the time the test took: printed
    /// after every outcome (`cargo test -- --show-output` shows it), and part
    /// of a failure's panic message. What the generated `#[test]`s call.
    ///
    /// # Panics
    ///
    /// On `Fail`, which is how a `#[test]` fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::Outcome;
    ///
    /// Outcome::Pass.report_timed("required_spec101_x", Duration::from_millis(120));
    /// let failed = std::panic::catch_unwind(|| {
    ///     Outcome::Fail("boom".into()).report_timed("t", Duration::from_millis(5))
    /// });
    /// assert!(failed.is_err());
    /// ```
    pub fn report_timed(&self, name: &str, took: Duration) {
        let ms = took.as_millis();
        match self {
            Outcome::Pass => println!("{name} PASSED in {ms} ms"),
            Outcome::Fail(message) => panic!("{name} FAILED after {ms} ms: {message}"),
            Outcome::Skip(reason) => println!("{name} SKIPPED after {ms} ms: {reason}"),
            Outcome::NotApplicable(reason) => println!("{name} NOT APPLICABLE: {reason}"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Pass => f.write_str("PASS"),
            other => write!(f, "{}: {}", other.label(), other.message()),
        }
    }
}

/// Why a test body stopped before its end: a failure, a skip, or a rule that
/// does not apply. Test bodies and the support types return
/// [`TckResult`], so that `?` ends a test the way a thrown `AssertionError`
/// or `SkipException` ends a JVM one.
///
/// # Examples
///
/// ```
/// use reactive_streams_tck::{Outcome, Stop, TckResult};
///
/// fn body(ok: bool) -> TckResult<u32> {
///     if !ok {
///         return Err(Stop::fail("expected an element within 10 ms"));
///     }
///     Ok(7)
/// }
/// assert_eq!(body(true).unwrap(), 7);
/// assert_eq!(Outcome::from(body(false).unwrap_err()).label(), "FAIL");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The test failed; the message names the rule, what was expected and what
    /// happened.
    Fail(String),
    /// The test cannot run (or an optional feature is absent).
    Skip(String),
    /// The rule cannot be broken in Rust.
    NotApplicable(String),
}

impl Stop {
    /// A failure with `message`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Stop;
    ///
    /// assert_eq!(Stop::fail("x").message(), "x");
    /// ```
    pub fn fail(message: impl Into<String>) -> Stop {
        Stop::Fail(message.into())
    }

    /// A skip with `reason`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Stop;
    ///
    /// assert!(matches!(Stop::skip("no"), Stop::Skip(_)));
    /// ```
    pub fn skip(reason: impl Into<String>) -> Stop {
        Stop::Skip(reason.into())
    }

    /// "Not applicable", with the reason (which Rust type rules the case out).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Stop;
    ///
    /// assert!(matches!(Stop::not_applicable("u64"), Stop::NotApplicable(_)));
    /// ```
    pub fn not_applicable(reason: impl Into<String>) -> Stop {
        Stop::NotApplicable(reason.into())
    }

    /// The message or reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Stop;
    ///
    /// assert_eq!(Stop::skip("why").message(), "why");
    /// ```
    pub fn message(&self) -> &str {
        match self {
            Stop::Fail(m) | Stop::Skip(m) | Stop::NotApplicable(m) => m,
        }
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Outcome::from(self.clone()).fmt(f)
    }
}

impl From<Stop> for Outcome {
    fn from(stop: Stop) -> Outcome {
        match stop {
            Stop::Fail(m) => Outcome::Fail(m),
            Stop::Skip(m) => Outcome::Skip(m),
            Stop::NotApplicable(m) => Outcome::NotApplicable(m),
        }
    }
}

/// The result of a test body or of one expectation inside it.
pub type TckResult<T = ()> = Result<T, Stop>;
