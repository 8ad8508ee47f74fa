//! `TestCase`: one TCK test of a verification, and how running it turns a
//! body's result into an [`Outcome`].

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use reactive_streams::Rule;

use crate::env::{summarize, Activity, AsyncError, TestEnvironment};
use crate::outcome::{Kind, Outcome, Stop, TckResult};
use crate::report::ReportRow;
use crate::sync::millis;

/// A test body that runs longer than this many default timeouts (plus the
/// [stress budget](TestEnvironment::stress)) is considered stuck (see
/// [`TestCase::run`]).
pub const WATCHDOG_FACTOR: u32 = 10;

/// How a failure message starts the note about an implementation that went
/// on running after its test ended (see [`TestCase::run`]).
pub const LEFT_BEHIND: &str = "left behind:";

/// The reason every `untested_` test gives.
pub const NOT_VERIFIED: &str = "Not verified by this TCK.";

/// How the reason of an `untested_` test starts when a strict test of this
/// TCK verifies its rule (the reason then names that test).
pub const VERIFIED_BY_STRICT_TEST: &str = "Not verified by the JVM TCK; verified here by";

/// The skip of an `untested_` test whose rule `strict` verifies.
pub(crate) fn covered_by(strict: &str) -> crate::TckResult {
    Err(crate::Stop::skip(format!(
        "{VERIFIED_BY_STRICT_TEST} {strict}"
    )))
}

/// The start of the reason an optional test gives when the implementation
/// does not pass it.
pub const SKIPPING_OPTIONAL_TEST_FAILED: &str =
    "Skipped because tested publisher does NOT implement this OPTIONAL requirement.";

/// How a test's result becomes an outcome: the [`Kind`], plus the one
/// optional test whose failures are failures.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// A failure fails.
    Required,
    /// As required; reported as stochastic.
    Stochastic,
    /// A failure of the test's own expectations skips; a recorded
    /// violation still fails.
    Optional,
    /// Optional in name, but failures fail (the JVM's
    /// `optional_spec104_mustSignalOnErrorWhenFails`).
    OptionalHardFail,
    /// Never runs.
    Untested,
    /// Untested in the JVM TCK and never runs, but a strict test of this
    /// TCK verifies the rule: the skip reason names it.
    Covered,
}

impl Policy {
    /// The kind shown in reports.
    pub fn kind(self) -> Kind {
        match self {
            Policy::Required => Kind::Required,
            Policy::Stochastic => Kind::Stochastic,
            Policy::Optional | Policy::OptionalHardFail => Kind::Optional,
            Policy::Untested | Policy::Covered => Kind::Untested,
        }
    }
}

/// One test of a verification over implementations `V`: its name (the JVM
/// method's, in snake_case), rule, kind and body.
///
/// # Examples
///
/// ```
/// use reactive_streams::source;
/// use reactive_streams_tck::{publisher, Kind, Outcome, PublisherVerification, TestEnvironment};
///
/// struct Range;
/// impl PublisherVerification for Range {
///     type Publisher = source::Range<u64>;
///     fn create_publisher(&self, elements: u64) -> Self::Publisher {
///         source::range(0..elements)
///     }
/// }
///
/// let cases = publisher::test_cases::<Range>();
/// assert_eq!(cases.len(), 38 + publisher::STRICT_TEST_NAMES.len());
/// let case = cases.iter().find(|c| c.name() == "required_spec102_may_signal_less_than_requested_and_terminate_subscription").unwrap();
/// assert_eq!(case.kind(), Kind::Required);
/// assert_eq!(case.run(&std::sync::Arc::new(Range), &TestEnvironment::new()), Outcome::Pass);
/// ```
pub struct TestCase<V: ?Sized> {
    name: &'static str,
    rule: Option<Rule>,
    policy: Policy,
    body: fn(&V, &TestEnvironment) -> TckResult,
}

impl<V: ?Sized> Clone for TestCase<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: ?Sized> Copy for TestCase<V> {}

impl<V: ?Sized> fmt::Debug for TestCase<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCase")
            .field("name", &self.name)
            .field("rule", &self.rule)
            .field("kind", &self.kind())
            .finish()
    }
}

impl<V: ?Sized> TestCase<V> {
    /// A test; used by the verification modules' test lists.
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        rule: Option<Rule>,
        policy: Policy,
        body: fn(&V, &TestEnvironment) -> TckResult,
    ) -> TestCase<V> {
        TestCase {
            name,
            rule,
            policy,
            body,
        }
    }

    /// The test's name: the JVM method's, in snake_case.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams::{source, Rule};
    /// use reactive_streams_tck::{publisher, Kind, PublisherVerification};
    ///
    /// struct Range;
    /// impl PublisherVerification for Range {
    ///     type Publisher = source::Range<u64>;
    ///     fn create_publisher(&self, n: u64) -> Self::Publisher {
    ///         source::range(0..n)
    ///     }
    /// }
    ///
    /// let case = publisher::test_cases::<Range>()[6];
    /// assert_eq!(case.name(), "stochastic_spec103_must_signal_on_methods_sequentially");
    /// assert_eq!(case.rule(), Some(Rule::new(1, 3)));
    /// assert_eq!(case.kind(), Kind::Stochastic);
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The rule it verifies; `None` for set-up and configuration checks.
    /// See [`name`](TestCase::name) for an example.
    pub fn rule(&self) -> Option<Rule> {
        self.rule
    }

    /// Required, optional, stochastic or untested. See
    /// [`name`](TestCase::name) for an example.
    pub fn kind(&self) -> Kind {
        self.policy.kind()
    }

    /// Runs the test on `implementation`, with a [fresh](TestEnvironment::fresh)
    /// copy of `env`, and says how it ended.
    ///
    /// - The body runs on a thread of its own, watched: if it has not
    ///   finished after [`WATCHDOG_FACTOR`] times the default timeout (plus
    ///   the [stress budget](TestEnvironment::stress)), the test fails with
    ///   what the TCK's subscribers observed meanwhile: still receiving
    ///   signals (a publisher that ignores `cancel` or demand), or nothing for
    ///   a long time (stuck, typically deadlocked on a lock it holds while
    ///   signalling, re-entered by a `request` from `on_next`), and the last
    ///   signal seen. The stuck thread is left behind.
    /// - A panic in the body (from the implementation under test) is a
    ///   failure that quotes the panic message.
    /// - After a body that returns `Ok`, the recorded failures are verified,
    ///   for every kind (the JVM TCK does not for optional tests, G5).
    /// - A failure message starts with the rule, and lists the failures
    ///   recorded meanwhile (often the root cause).
    /// - Optional tests: see [`Outcome`].
    /// - When the test is over, the TCK's subscribers treat any further
    ///   signal as a runaway's: they cancel, and past
    ///   [`IGNORED_CANCEL_LIMIT`](crate::support::IGNORED_CANCEL_LIMIT) more
    ///   items they panic out of `on_next` to stop a publisher that ignores
    ///   `cancel`. After a failure the TCK watches for one no-signals timeout
    ///   whether the implementation still signals, and appends what it saw to
    ///   the message ("left behind: ...", [`LEFT_BEHIND`]).
    pub fn run(&self, implementation: &Arc<V>, env: &TestEnvironment) -> Outcome
    where
        V: Send + Sync + 'static,
    {
        let env = env.fresh();
        let watchdog = env
            .default_timeout()
            .saturating_mul(WATCHDOG_FACTOR)
            .saturating_add(env.stress());
        let (done, result) = mpsc::channel();
        let (body, implementation, body_env) = (self.body, Arc::clone(implementation), env.clone());
        let spawned = thread::Builder::new()
            .name(format!("tck:{}", self.name))
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| body(&implementation, &body_env)));
                let _ = done.send(result.map_err(|payload| panic_message(payload.as_ref())));
            });
        let mut stuck = false;
        let result = match spawned {
            Err(error) => Err(Stop::Fail(format!(
                "could not start the test's thread: {error}"
            ))),
            Ok(_) => match result.recv_timeout(watchdog) {
                Ok(Ok(result)) => result,
                Ok(Err(panic)) => Err(Stop::Fail(format!("panicked: {panic}"))),
                Err(_) => {
                    stuck = true;
                    Err(Stop::Fail(format!(
                        "the test did not finish within {} ms ({WATCHDOG_FACTOR} times the \
                         default timeout{}); {}",
                        millis(watchdog),
                        if env.stress().is_zero() {
                            ""
                        } else {
                            ", plus the stress budget"
                        },
                        observed(&env.activity(), Instant::now(), env.no_signals_timeout())
                    )))
                }
            },
        };
        env.mark_over();
        let outcome = self.finish(result, &env);
        match outcome {
            Outcome::Fail(message) => Outcome::Fail(match left_behind(&env, stuck) {
                Some(note) => format!("{message} ({LEFT_BEHIND} {note})"),
                None => message,
            }),
            other => other,
        }
    }

    /// Runs the test and says how long it took, as [`run`](TestCase::run).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{publisher, Outcome, PublisherVerification, TestEnvironment};
    ///
    /// struct Range;
    /// impl PublisherVerification for Range {
    ///     type Publisher = source::Range<u64>;
    ///     fn create_publisher(&self, n: u64) -> Self::Publisher {
    ///         source::range(0..n)
    ///     }
    /// }
    ///
    /// let case = publisher::test_cases::<Range>()[3];
    /// let (outcome, took) = case.run_timed(&Arc::new(Range), &TestEnvironment::new());
    /// assert_eq!(outcome, Outcome::Pass);
    /// assert!(took < std::time::Duration::from_secs(60));
    /// ```
    pub fn run_timed(&self, implementation: &Arc<V>, env: &TestEnvironment) -> (Outcome, Duration)
    where
        V: Send + Sync + 'static,
    {
        let start = Instant::now();
        let outcome = self.run(implementation, env);
        (outcome, start.elapsed())
    }

    /// Runs the test and makes its report row.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use reactive_streams::source;
    /// use reactive_streams_tck::{publisher, Outcome, PublisherVerification, TestEnvironment};
    ///
    /// struct Range;
    /// impl PublisherVerification for Range {
    ///     type Publisher = source::Range<u64>;
    ///     fn create_publisher(&self, n: u64) -> Self::Publisher {
    ///         source::range(0..n)
    ///     }
    /// }
    ///
    /// let case = publisher::test_cases::<Range>()[15];
    /// let row = case.run_row(&Arc::new(Range), &TestEnvironment::new());
    /// assert_eq!(row.name, "required_spec109_subscribe_throw_npe_on_null_subscriber");
    /// assert!(matches!(row.outcome, Outcome::NotApplicable(_)));
    /// ```
    pub fn run_row(&self, implementation: &Arc<V>, env: &TestEnvironment) -> ReportRow
    where
        V: Send + Sync + 'static,
    {
        ReportRow {
            name: self.name,
            rule: self.rule,
            kind: self.kind(),
            outcome: self.run(implementation, env),
        }
    }

    /// Runs the test and makes its report row, with the time it took.
    pub(crate) fn run_timed_row(
        &self,
        implementation: &Arc<V>,
        env: &TestEnvironment,
    ) -> (ReportRow, Duration)
    where
        V: Send + Sync + 'static,
    {
        let (outcome, took) = self.run_timed(implementation, env);
        let row = ReportRow {
            name: self.name,
            rule: self.rule,
            kind: self.kind(),
            outcome,
        };
        (row, took)
    }

    fn finish(&self, result: TckResult, env: &TestEnvironment) -> Outcome {
        let records = env.async_errors();
        let has_violation = records.iter().any(|e| e.is_violation());
        let fail = |body: Option<String>| Outcome::Fail(self.with_rule(explain(body, &records)));
        match self.policy {
            Policy::Untested | Policy::Covered => match result {
                Err(stop) => stop.into(),
                Ok(()) => Outcome::Skip(NOT_VERIFIED.into()),
            },
            Policy::Required | Policy::Stochastic | Policy::OptionalHardFail => match result {
                Ok(()) if records.is_empty() => Outcome::Pass,
                Ok(()) => fail(None),
                Err(Stop::Fail(message)) => fail(Some(message)),
                Err(other) => other.into(),
            },
            // A broken MUST rule fails optional tests too; anything else
            // means the optional feature is absent.
            Policy::Optional => match result {
                Ok(()) if records.is_empty() => Outcome::Pass,
                Err(Stop::Fail(message)) if has_violation => fail(Some(message)),
                Ok(()) if has_violation => fail(None),
                Ok(()) => Outcome::Skip(skip_optional(explain(None, &records))),
                Err(Stop::Fail(message)) => {
                    Outcome::Skip(skip_optional(explain(Some(message), &records)))
                }
                Err(other) => other.into(),
            },
        }
    }

    fn with_rule(&self, message: String) -> String {
        match self.rule {
            Some(rule) => format!("{rule}: {message}"),
            None => message,
        }
    }
}

/// What the watchdog saw: still signalling, or silent since when.
fn observed(activity: &Activity, now: Instant, quiet: Duration) -> String {
    let counts = format!(
        "{} on_next and {} signals in all",
        activity.items, activity.signals
    );
    match activity.last {
        None => "the TCK's subscribers received nothing at all, not even on_subscribe: the \
                 implementation seems stuck in `subscribe` (e.g. deadlocked)"
            .to_owned(),
        Some((last, at)) => {
            let ago = millis(now.saturating_duration_since(at));
            if now.saturating_duration_since(at) <= quiet {
                format!(
                    "the implementation was still signalling when the time ran out ({counts}; \
                     the last, {last}, {ago} ms before): it seems to ignore `cancel` or the \
                     demand, or to loop for ever"
                )
            } else {
                format!(
                    "the TCK's subscribers had received nothing for {ago} ms (the last signal \
                     seen was {last}; {counts}): the implementation seems stuck, e.g. \
                     deadlocked on a lock it holds while signalling, which a `request` from \
                     inside `on_next` tries to take again (§3.2, §3.3)"
                )
            }
        }
    }
}

/// After a failure: whether the implementation went on signalling the
/// TCK's subscribers once the test was over (watched for one no-signals
/// timeout, twice if the first look saw signals), and whether the test's
/// own thread is stuck in it.
fn left_behind(env: &TestEnvironment, stuck: bool) -> Option<String> {
    let window = env.no_signals_timeout();
    let before = env.activity().signals;
    thread::sleep(window);
    let after = env.activity().signals;
    let mut notes = Vec::new();
    if stuck {
        notes.push("the test's thread is stuck in the implementation".to_owned());
    }
    if after > before {
        thread::sleep(window);
        let later = env.activity().signals;
        notes.push(format!(
            "the implementation still signalled after the test ended ({} signal(s) in the {} ms \
             after it){}",
            after - before,
            millis(window),
            if later > after {
                format!(
                    ", and went on ({} more in the next {} ms): its threads are left running",
                    later - after,
                    millis(window)
                )
            } else {
                ", then stopped".to_owned()
            }
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn skip_optional(reason: String) -> String {
    format!("{SKIPPING_OPTIONAL_TEST_FAILED} Reason for skipping was: {reason}")
}

/// The failure message: the broken MUST rules recorded (the root cause of
/// whatever the body noticed next) first, then the body's own failure, then
/// the other recorded failures; each distinct message once.
fn explain(body: Option<String>, records: &[AsyncError]) -> String {
    let texts: Vec<String> = records.iter().map(|e| e.to_string()).collect();
    // A body that failed by verifying the record starts with it: the record
    // itself says it better.
    let body = body.filter(|b| !texts.iter().any(|t| b.starts_with(t.as_str())));
    let quoted = |t: &str| body.as_deref().is_some_and(|b| b.contains(t));
    let violations: Vec<&str> = records
        .iter()
        .zip(&texts)
        .filter(|(e, _)| e.is_violation())
        .map(|(_, t)| t.as_str())
        .collect();
    let others: Vec<&str> = records
        .iter()
        .zip(&texts)
        .filter(|(e, t)| !e.is_violation() && !quoted(t))
        .map(|(_, t)| t.as_str())
        .collect();
    let mut parts = Vec::new();
    if !violations.is_empty() {
        parts.push(summarize(&violations));
    }
    if let Some(body) = body {
        parts.push(if parts.is_empty() {
            body
        } else {
            format!("then: {body}")
        });
    }
    if !others.is_empty() {
        let others = summarize(&others);
        parts.push(if parts.is_empty() {
            others
        } else {
            format!("also recorded: {others}")
        });
    }
    match parts.len() {
        0 => "failed without a message".to_owned(),
        1 => parts.remove(0),
        _ => {
            let first = parts.remove(0);
            format!("{first} ({})", parts.join("; "))
        }
    }
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a non-string panic payload".to_owned()
    }
}
