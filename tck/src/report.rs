//! `Report`: the outcome of every test of a verification, printable as a
//! table.

use std::fmt;
use std::time::Duration;

use reactive_streams::Rule;

use crate::case::LEFT_BEHIND;
use crate::outcome::{Kind, Outcome};
use crate::sync::millis;

/// One test's line in a [`Report`].
///
/// # Examples
///
/// ```
/// use reactive_streams::Rule;
/// use reactive_streams_tck::{Kind, Outcome, ReportRow};
///
/// let row = ReportRow {
///     name: "required_spec309_request_zero_must_signal_illegal_argument_exception",
///     rule: Some(Rule::new(3, 9)),
///     kind: Kind::Required,
///     outcome: Outcome::Pass,
/// };
/// assert!(row.outcome.is_success());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// The test's name, the JVM method's name in snake_case.
    pub name: &'static str,
    /// The rule it verifies; `None` for the set-up and configuration checks.
    pub rule: Option<Rule>,
    /// Required, optional, stochastic or untested.
    pub kind: Kind,
    /// How it ended, with the message or reason.
    pub outcome: Outcome,
}

/// The outcome of every test of one verification run, from
/// [`run_publisher_verification`](crate::run_publisher_verification) and its
/// siblings. `Display` prints it as a table, one line per test (with the time
/// each took, when [timed](Report::timed)), with the counts on top and, at
/// the bottom, the tests whose implementation went on running after they
/// ended ([`left_behind`](Report::left_behind)).
///
/// # Examples
///
/// ```
/// use reactive_streams::Rule;
/// use reactive_streams_tck::{Kind, Outcome, Report, ReportRow};
///
/// let report = Report::new(
///     "PublisherVerification",
///     vec![
///         ReportRow { name: "required_spec101_x", rule: Some(Rule::new(1, 1)), kind: Kind::Required, outcome: Outcome::Pass },
///         ReportRow { name: "untested_spec106_x", rule: Some(Rule::new(1, 6)), kind: Kind::Untested, outcome: Outcome::Skip("Not verified by this TCK.".into()) },
///     ],
/// );
/// assert_eq!((report.passed(), report.skipped(), report.failed()), (1, 1, 0));
/// assert!(report.is_success());
/// let table = report.to_string();
/// assert!(table.contains("PASS  required    §1.1  required_spec101_x"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    title: String,
    rows: Vec<ReportRow>,
    /// How long each row's test took, in the order of `rows`; empty if not
    /// timed.
    durations: Vec<Duration>,
}

impl Report {
    /// A report titled `title` (which verification of what).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// let r = Report::new("empty", vec![]);
    /// assert_eq!(r.title(), "empty");
    /// assert!(r.rows().is_empty());
    /// ```
    pub fn new(title: impl Into<String>, rows: Vec<ReportRow>) -> Report {
        Report {
            title: title.into(),
            rows,
            durations: Vec::new(),
        }
    }

    /// A report titled `title` whose rows carry the time their test took.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use reactive_streams_tck::{Kind, Outcome, Report, ReportRow};
    ///
    /// let row = ReportRow { name: "a", rule: None, kind: Kind::Required, outcome: Outcome::Pass };
    /// let r = Report::timed("t", vec![(row, Duration::from_millis(120))]);
    /// assert_eq!(r.duration("a"), Some(Duration::from_millis(120)));
    /// assert_eq!(r.total_duration(), Some(Duration::from_millis(120)));
    /// assert!(r.to_string().contains("120 ms"));
    /// ```
    pub fn timed(title: impl Into<String>, rows: Vec<(ReportRow, Duration)>) -> Report {
        let (rows, durations) = rows.into_iter().unzip();
        Report {
            title: title.into(),
            rows,
            durations,
        }
    }

    /// How long the test `name` took, if the report is timed.
    /// See [`timed`](Report::timed) for an example.
    pub fn duration(&self, name: &str) -> Option<Duration> {
        let i = self.rows.iter().position(|r| r.name == name)?;
        self.durations.get(i).copied()
    }

    /// How long all the tests took together, if the report is timed.
    /// See [`timed`](Report::timed) for an example.
    pub fn total_duration(&self) -> Option<Duration> {
        (!self.durations.is_empty()).then(|| self.durations.iter().sum())
    }

    /// The failed tests whose implementation went on running after the test
    /// ended (its message has a "left behind: ..." note, [`LEFT_BEHIND`]):
    /// a stuck thread, or a publisher still signalling.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{Kind, Outcome, Report, ReportRow, LEFT_BEHIND};
    ///
    /// let stuck = Outcome::Fail(format!("did not finish ({LEFT_BEHIND} the test's thread is stuck)"));
    /// let r = Report::new("t", vec![ReportRow { name: "a", rule: None, kind: Kind::Required, outcome: stuck }]);
    /// assert_eq!(r.left_behind().len(), 1);
    /// assert!(r.to_string().contains("Left threads behind: a"));
    /// ```
    pub fn left_behind(&self) -> Vec<&ReportRow> {
        self.rows
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::Fail(m) if m.contains(LEFT_BEHIND)))
            .collect()
    }

    /// The title.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).title(), "t");
    /// ```
    pub fn title(&self) -> &str {
        &self.title
    }

    /// One row per test, in the verification's order.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).rows().len(), 0);
    /// ```
    pub fn rows(&self) -> &[ReportRow] {
        &self.rows
    }

    /// The row of the test `name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{Kind, Outcome, Report, ReportRow};
    ///
    /// let r = Report::new("t", vec![ReportRow { name: "a", rule: None, kind: Kind::Required, outcome: Outcome::Pass }]);
    /// assert_eq!(r.row("a").unwrap().outcome, Outcome::Pass);
    /// assert!(r.row("b").is_none());
    /// ```
    pub fn row(&self, name: &str) -> Option<&ReportRow> {
        self.rows.iter().find(|r| r.name == name)
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }

    /// How many tests passed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).passed(), 0);
    /// ```
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Pass))
    }

    /// How many tests failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).failed(), 0);
    /// ```
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Fail(_)))
    }

    /// How many tests were skipped (untested ones included).
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).skipped(), 0);
    /// ```
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skip(_)))
    }

    /// How many tests do not apply in Rust.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert_eq!(Report::new("t", vec![]).not_applicable(), 0);
    /// ```
    pub fn not_applicable(&self) -> usize {
        self.count(|o| matches!(o, Outcome::NotApplicable(_)))
    }

    /// True when no test failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::Report;
    ///
    /// assert!(Report::new("t", vec![]).is_success());
    /// ```
    pub fn is_success(&self) -> bool {
        self.failed() == 0
    }

    /// Panics with the whole table if a test failed.
    ///
    /// # Panics
    ///
    /// If [`is_success`](Report::is_success) is false.
    ///
    /// # Examples
    ///
    /// ```
    /// use reactive_streams_tck::{Kind, Outcome, Report, ReportRow};
    ///
    /// Report::new("ok", vec![]).assert_success();
    /// let bad = Report::new("bad", vec![ReportRow { name: "a", rule: None, kind: Kind::Required, outcome: Outcome::Fail("x".into()) }]);
    /// assert!(std::panic::catch_unwind(|| bad.assert_success()).is_err());
    /// ```
    pub fn assert_success(&self) {
        if !self.is_success() {
            panic!(
                "{} of {} TCK tests failed:\n{self}",
                self.failed(),
                self.rows.len()
            );
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} passed, {} failed, {} skipped, {} not applicable ({} tests",
            self.title,
            self.passed(),
            self.failed(),
            self.skipped(),
            self.not_applicable(),
            self.rows.len()
        )?;
        match self.total_duration() {
            Some(total) => writeln!(f, ", {} ms)", millis(total))?,
            None => writeln!(f, ")")?,
        }
        let name_width = self.rows.iter().map(|r| r.name.len()).max().unwrap_or(4);
        let time = |i: usize| match self.durations.get(i) {
            Some(d) => format!("{:>6} ms  ", millis(*d)),
            None => String::new(),
        };
        writeln!(
            f,
            "{:<4}  {:<10}  {:<5} {:<name_width$}  {}message",
            "",
            "kind",
            "rule",
            "test",
            if self.durations.is_empty() {
                ""
            } else {
                "  time     "
            }
        )?;
        for (i, row) in self.rows.iter().enumerate() {
            let rule = row
                .rule
                .map(|r| r.to_string())
                .unwrap_or_else(|| "-".into());
            let line = format!(
                "{:<4}  {:<10}  {:<5} {:<name_width$}  {}{}",
                row.outcome.label(),
                row.kind,
                rule,
                row.name,
                time(i),
                row.outcome.message().replace('\n', " "),
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        let left: Vec<&str> = self.left_behind().iter().map(|r| r.name).collect();
        if !left.is_empty() {
            writeln!(f, "Left threads behind: {}", left.join(", "))?;
        }
        Ok(())
    }
}
