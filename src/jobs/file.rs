//! The jobs file: what scheduled runs produce, when, and where they deliver.
//!
//! Like the dataset format it is strict (unknown keys are errors with line and column) and
//! checked as a whole before anything runs: a typo in one job's schedule must not surface at
//! 07:00 on a Monday when nobody is watching. Paths in the file are relative to the file.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};

use crate::base::diag::Diagnostics;
use crate::dataset::parse::{parse, Format as FileFormat, SourceText};
use crate::dataset::spans::{index, key};
use crate::email::smtp::Smtp;
use crate::render::Format;

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobsFile {
    /// Folder for the run state, the lock and the archive of delivered briefings. Default:
    /// `.bilateral-state` beside the jobs file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_dir: Option<PathBuf>,
    /// The mail server, for jobs that send email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<Smtp>,
    pub jobs: Vec<Job>,
}

/// One scheduled briefing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// Unique name: lower-case letters, digits and `-`; used in paths and the state.
    pub name: String,
    /// The dataset folder.
    pub dataset: PathBuf,
    /// When it runs: a five-field cron expression ("0 7 * * MON": Mondays at 07:00).
    pub schedule: String,
    /// The time zone the schedule is read in (IANA name, "Asia/Baku"). Default: UTC.
    #[serde(default = "utc")]
    pub timezone: String,
    /// The period each briefing covers, relative to the run.
    #[serde(default)]
    pub period: PeriodSpec,
    /// Formats to write: "md", "pdf", "json".
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
    /// Output path without extension; `{job}`, `{pair}` (e.g. "cn-az") and `{as_of}` are filled in.
    #[serde(default = "default_output")]
    pub output: String,
    /// Deliver (email) only when something changed since the last delivered briefing.
    #[serde(default)]
    pub skip_unchanged: bool,
    /// Email delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// Only commitments in these fields (ids). Default: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

fn utc() -> String {
    "UTC".to_string()
}

fn default_formats() -> Vec<String> {
    vec!["pdf".to_string(), "md".to_string()]
}

fn default_output() -> String {
    "briefings/{job}/briefing-{pair}-{as_of}".to_string()
}

/// Where a job's briefing goes by email.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Email {
    /// Sender: "Briefings <briefings@example.org>".
    pub from: String,
    /// Recipients; at least one.
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// Subject; `{title}` and `{as_of}` are filled in. Default: "{title} briefing, {as_of}".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Attach the Markdown as well as the PDF.
    #[serde(default)]
    pub attach_markdown: bool,
}

/// The period a scheduled briefing covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodSpec {
    /// The 7 days ending on the as-of date.
    Last7Days,
    /// The 30 days ending on the as-of date.
    Last30Days,
    /// From the first day of the as-of date's quarter.
    QuarterToDate,
    /// From the day after the last successful run's as-of date (everything, the first time).
    SinceLastRun,
    /// Everything up to the as-of date.
    #[default]
    All,
    /// Fixed dates: `{ since = "2025-01-01", until = "2025-06-30" }` (either may be left out).
    Fixed {
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
    },
}

const PERIOD_NAMES: &str = "\"last-7-days\", \"last-30-days\", \"quarter-to-date\", \"since-last-run\", \"all\", or { since = \"YYYY-MM-DD\", until = \"YYYY-MM-DD\" }";

impl<'de> Deserialize<'de> for PeriodSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = PeriodSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(PERIOD_NAMES)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PeriodSpec, E> {
                Ok(match v {
                    "last-7-days" => PeriodSpec::Last7Days,
                    "last-30-days" => PeriodSpec::Last30Days,
                    "quarter-to-date" => PeriodSpec::QuarterToDate,
                    "since-last-run" => PeriodSpec::SinceLastRun,
                    "all" => PeriodSpec::All,
                    o => {
                        return Err(E::custom(format!(
                            "unknown period `{o}`; expected {PERIOD_NAMES}"
                        )))
                    }
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<PeriodSpec, A::Error> {
                let mut since = None;
                let mut until = None;
                while let Some(k) = map.next_key::<String>()? {
                    let v: String = map.next_value()?;
                    let d = NaiveDate::from_str(&v).map_err(|_| {
                        de::Error::custom(format!("`{v}` is not a date (YYYY-MM-DD)"))
                    })?;
                    match k.as_str() {
                        "since" => since = Some(d),
                        "until" => until = Some(d),
                        o => {
                            return Err(de::Error::custom(format!(
                                "unknown key `{o}` in period; expected since, until"
                            )))
                        }
                    }
                }
                Ok(PeriodSpec::Fixed { since, until })
            }
        }
        d.deserialize_any(V)
    }
}

/// A jobs file, checked, with its paths resolved.
#[derive(Debug, Clone)]
pub struct Jobs {
    pub path: PathBuf,
    pub state_dir: PathBuf,
    pub smtp: Option<Smtp>,
    pub jobs: Vec<ResolvedJob>,
}

/// A job with its schedule parsed and paths made absolute (relative to the jobs file).
#[derive(Debug, Clone)]
pub struct ResolvedJob {
    pub job: Job,
    pub dataset: PathBuf,
    pub formats: Vec<Format>,
    pub schedule: croner::Cron,
    pub timezone: chrono_tz::Tz,
}

/// Parses and checks a jobs file's text (pure; `base` is the folder paths are relative to).
pub fn parse_jobs(source: SourceText, base: &Path) -> Result<Jobs, Diagnostics> {
    let mut out = Diagnostics::default();
    let parsed = match parse::<JobsFile>(source, FileFormat::Toml) {
        Ok(p) => p,
        Err(ds) => {
            out.extend(ds);
            return Err(out);
        }
    };
    let file = &parsed.value;
    let mut jobs = Vec::new();
    let mut names = std::collections::HashSet::new();
    if file.jobs.is_empty() {
        out.push(
            parsed
                .error_at("jobs", "the file defines no jobs")
                .help("add a [[jobs]] table"),
        );
    }
    for (i, job) in file.jobs.iter().enumerate() {
        let at = |k: &str| key(&index("jobs", i), k);
        let name_ok = !job.name.is_empty()
            && job.name.len() <= 64
            && job
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !job.name.starts_with('-');
        if !name_ok {
            out.push(
                parsed
                    .error_at(
                        &at("name"),
                        format!("`{}` is not a valid job name", job.name.escape_debug()),
                    )
                    .help("use 1 to 64 lower-case letters, digits and `-`"),
            );
        } else if !names.insert(job.name.clone()) {
            out.push(
                parsed
                    .error_at(&at("name"), format!("job `{}` is defined twice", job.name))
                    .help("job names are unique"),
            );
        }
        let schedule = match croner::Cron::from_str(&job.schedule) {
            Ok(c) if job.schedule.split_whitespace().count() == 5 => Some(c),
            Ok(_) => {
                out.push(
                    parsed
                        .error_at(
                            &at("schedule"),
                            format!("`{}` is not a five-field cron expression", job.schedule),
                        )
                        .help("minute hour day-of-month month day-of-week, e.g. \"0 7 * * MON\""),
                );
                None
            }
            Err(e) => {
                out.push(
                    parsed
                        .error_at(
                            &at("schedule"),
                            format!("`{}` is not a cron expression: {e}", job.schedule),
                        )
                        .help("minute hour day-of-month month day-of-week, e.g. \"0 7 * * MON\""),
                );
                None
            }
        };
        let timezone = match job.timezone.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                out.push(
                    parsed
                        .error_at(
                            &at("timezone"),
                            format!("unknown time zone `{}`", job.timezone.escape_debug()),
                        )
                        .help("use an IANA name such as \"UTC\", \"Europe/London\", \"Asia/Baku\""),
                );
                None
            }
        };
        let mut formats = Vec::new();
        for (fi, f) in job.formats.iter().enumerate() {
            match f.parse::<Format>() {
                Ok(f) if !formats.contains(&f) => formats.push(f),
                Ok(_) => {}
                Err(e) => out.push(parsed.error_at(&index(&at("formats"), fi), e)),
            }
        }
        if formats.is_empty() && !job.formats.is_empty() {
            // Reported above.
        } else if formats.is_empty() {
            out.push(
                parsed
                    .error_at(&at("formats"), "`formats` is empty")
                    .help("list at least one of md, pdf, json"),
            );
        }
        if job.output.trim().is_empty() || job.output.contains("..") {
            out.push(
                parsed
                    .error_at(&at("output"), "`output` must be a path pattern inside the jobs file's folder tree, without `..`")
                    .help("for example \"briefings/{job}/briefing-{pair}-{as_of}\""),
            );
        }
        for placeholder in placeholders(&job.output) {
            if !["job", "pair", "as_of"].contains(&placeholder.as_str()) {
                out.push(
                    parsed
                        .error_at(
                            &at("output"),
                            format!("unknown placeholder `{{{placeholder}}}`"),
                        )
                        .help("use {job}, {pair} and {as_of}"),
                );
            }
        }
        if let PeriodSpec::Fixed {
            since: Some(s),
            until: Some(u),
        } = job.period
        {
            if s > u {
                out.push(parsed.error_at(
                    &at("period"),
                    format!("the period is empty: since {s} is after until {u}"),
                ));
            }
        }
        if let Some(email) = &job.email {
            if email.to.is_empty() {
                out.push(
                    parsed
                        .error_at(&key(&at("email"), "to"), "`to` is empty")
                        .help("name at least one recipient"),
                );
            }
            for (k, addr) in std::iter::once(("from", &email.from))
                .chain(email.to.iter().map(|a| ("to", a)))
                .chain(email.cc.iter().map(|a| ("cc", a)))
            {
                if addr.parse::<lettre::message::Mailbox>().is_err() {
                    out.push(
                        parsed
                            .error_at(
                                &key(&at("email"), k),
                                format!("`{}` is not an email address", addr.escape_debug()),
                            )
                            .help("write \"name@example.org\" or \"Name <name@example.org>\""),
                    );
                }
            }
            if !formats.contains(&Format::Pdf) {
                out.push(
                    parsed
                        .error_at(
                            &at("formats"),
                            "a job that sends email must produce a PDF (the attachment)",
                        )
                        .help("add \"pdf\" to formats"),
                );
            }
            if file.smtp.is_none() {
                out.push(
                    parsed
                        .error_at(
                            &at("email"),
                            "the job sends email but the file has no [smtp] server",
                        )
                        .help("add an [smtp] table with host, port and security"),
                );
            }
        }
        if let (Some(schedule), Some(timezone)) = (schedule, timezone) {
            jobs.push(ResolvedJob {
                dataset: base.join(&job.dataset),
                job: job.clone(),
                formats,
                schedule,
                timezone,
            });
        }
    }
    if let Some(smtp) = &file.smtp {
        if smtp.host.trim().is_empty() {
            out.push(parsed.error_at("smtp.host", "`host` is empty"));
        }
        if !(smtp.backoff_seconds.is_finite()
            && smtp.backoff_seconds >= 0.0
            && smtp.backoff_seconds <= 3600.0)
        {
            out.push(parsed.error_at(
                "smtp.backoff_seconds",
                "`backoff_seconds` must be between 0 and 3600",
            ));
        }
        if !(smtp.timeout_seconds.is_finite()
            && smtp.timeout_seconds > 0.0
            && smtp.timeout_seconds <= 600.0)
        {
            out.push(parsed.error_at(
                "smtp.timeout_seconds",
                "`timeout_seconds` must be above 0 and at most 600",
            ));
        }
        if smtp.retries > 20 {
            out.push(parsed.error_at("smtp.retries", "`retries` is at most 20"));
        }
        if smtp.username_env.is_some() != smtp.password_env.is_some() {
            out.push(
                parsed
                    .error_at(
                        "smtp",
                        "give both `username_env` and `password_env`, or neither",
                    )
                    .help("credentials are a user name and a password"),
            );
        }
    }
    if out.has_errors() {
        return Err(out);
    }
    Ok(Jobs {
        path: parsed.source.path.clone(),
        state_dir: base.join(
            file.state_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(".bilateral-state")),
        ),
        smtp: file.smtp.clone(),
        jobs,
    })
}

/// Reads and checks a jobs file.
pub fn load_jobs(path: &Path) -> Result<Jobs, Diagnostics> {
    let source = crate::dataset::load::read_text(path).map_err(|d| Diagnostics(vec![d]))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    parse_jobs(source, &base)
}

fn placeholders(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}

/// Fills an output pattern.
pub fn fill(pattern: &str, job: &str, pair: &str, as_of: NaiveDate) -> String {
    pattern
        .replace("{job}", job)
        .replace("{pair}", pair)
        .replace("{as_of}", &as_of.to_string())
}
