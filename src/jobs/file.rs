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
use crate::dataset::parse::{parse, Format as FileFormat, Parsed, SourceText};
use crate::dataset::spans::{index, key};
use crate::email::smtp::{Security, Smtp};
use crate::render::pdf::{Paper, PdfStandard};
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

fn default_due_soon_days() -> u32 {
    crate::briefing::aggregate::DEFAULT_DUE_SOON_DAYS
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
    /// Formats to write: "md", "pdf", "html", "json", "xlsx", "csv" (the ledger's commitments).
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
    /// Only commitments by this party (its code), and joint ones. Default: both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Only commitments this entity (its id in the manifest) makes or is addressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// A commitment due within this many days of the as-of date is flagged "due soon". Default: 90.
    #[serde(default = "default_due_soon_days")]
    pub due_soon_days: u32,
    /// Folder of templates overriding the built-in ones file by file (see `bilateral templates
    /// init`). Default: the built-in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<PathBuf>,
    /// The reader's language (en, zh-Hans, ru, az; another tag needs `templates`). Default: en.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// A protective marking ("OFFICIAL"): on every PDF page, the HTML page and the email subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    /// Folder with the PDF's font family (NAME-Regular.ttf, -Bold, -Italic, -BoldItalic).
    /// Default: the built-in Noto Sans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fonts_dir: Option<PathBuf>,
    /// Paper size of the PDF: "a4" (default) or "letter".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<String>,
    /// The standards the PDF meets, as `--pdf-standard` names them: "ua-1" (default), "a-2b",
    /// "a-2u", "a-2a", several separated by commas, or "none".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_standard: Option<String>,
    /// Seconds the job may take, delivery included; after that it is failed and the run goes on
    /// without it (nothing more is sent for it). Default: 900 (15 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_seconds: Option<u64>,
}

/// A job's time limit when its `time_limit_seconds` is not given.
pub const DEFAULT_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The longest time limit accepted (a day).
pub const MAX_TIME_LIMIT_SECONDS: u64 = 24 * 60 * 60;

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
    /// Attach the ledger as a workbook (XLSX) as well as the PDF.
    #[serde(default)]
    pub attach_xlsx: bool,
    /// Recipients who read another language: each group gets the briefing rendered in its
    /// language, once for the group (`[[jobs.email.groups]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<RecipientGroup>,
}

/// Recipients of a job's briefing in another language than the job's.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientGroup {
    /// Their language: en, zh-Hans, ru, az (another tag needs the job's `templates`).
    pub lang: String,
    /// Recipients; at least one.
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// Their subject, in their language; `{title}` and `{as_of}` are filled in. Default: the
    /// language's `email-subject` template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
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

impl Jobs {
    /// The folder relative paths in the jobs file start from.
    pub fn base(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Where `job` writes its `format` file for `pair` as of `as_of`.
    pub fn output_path(
        &self,
        job: &ResolvedJob,
        pair: &str,
        as_of: NaiveDate,
        format: Format,
    ) -> PathBuf {
        self.output_path_in(job, pair, as_of, format, None)
    }

    /// As [`Jobs::output_path`], for a rendering in the language of a recipient group: its tag
    /// before the extension (`….ru.pdf`).
    pub fn output_path_in(
        &self,
        job: &ResolvedJob,
        pair: &str,
        as_of: NaiveDate,
        format: Format,
        lang: Option<&str>,
    ) -> PathBuf {
        let stem = fill(&job.job.output, &job.job.name, pair, as_of);
        let lang = lang.map(|l| format!(".{l}")).unwrap_or_default();
        self.base()
            .join(format!("{stem}{lang}.{}", format.extension()))
    }
}

/// A job with its schedule parsed and paths made absolute (relative to the jobs file).
#[derive(Debug, Clone)]
pub struct ResolvedJob {
    pub job: Job,
    pub dataset: PathBuf,
    pub templates: Option<PathBuf>,
    pub fonts_dir: Option<PathBuf>,
    pub paper: Paper,
    pub pdf_standard: PdfStandard,
    pub formats: Vec<Format>,
    pub schedule: croner::Cron,
    pub timezone: chrono_tz::Tz,
    pub time_limit: std::time::Duration,
}

/// Parses and checks a jobs file's text (pure; `base` is the folder paths are relative to).
pub fn parse_jobs(source: SourceText, base: &Path) -> Result<Jobs, Diagnostics> {
    parse_jobs_with(source, base, &|_| None)
}

/// The field ids a dataset declares (the defaults and its manifest's), given its folder; None
/// when its manifest cannot be read (the run reports that).
pub type FieldsOf<'a> = &'a dyn Fn(&Path) -> Option<Vec<String>>;

/// As [`parse_jobs`], also checking each job's `fields` against its dataset's (`fields_of`).
pub fn parse_jobs_with(
    source: SourceText,
    base: &Path,
    fields_of: FieldsOf<'_>,
) -> Result<Jobs, Diagnostics> {
    let parsed = parse::<JobsFile>(source, FileFormat::Toml).map_err(Diagnostics)?;
    let mut ck = JobChecker {
        parsed: &parsed,
        out: Diagnostics::default(),
    };
    let file = &parsed.value;
    if file.jobs.is_empty() {
        ck.error("jobs", "the file defines no jobs", "add a [[jobs]] table");
    }
    let mut names = std::collections::HashSet::new();
    let mut jobs = Vec::new();
    for (i, job) in file.jobs.iter().enumerate() {
        if ck.name(i, job) && !names.insert(job.name.clone()) {
            ck.error(
                &key(&index("jobs", i), "name"),
                format!("job `{}` is defined twice", job.name),
                "job names are unique",
            );
        }
        if let Some(resolved) = ck.job(i, job, file.smtp.is_some(), base) {
            jobs.push(resolved);
        }
    }
    if let Some(smtp) = &file.smtp {
        ck.smtp(smtp);
    }
    ck.where_jobs_write(&file.jobs, file.state_dir.as_deref(), base);
    for (i, job) in file.jobs.iter().enumerate() {
        ck.job_fields(i, job, base, fields_of);
    }
    if let Some(dir) = &file.state_dir {
        if dir.as_os_str().is_empty() || has_parent_component(&dir.to_string_lossy()) {
            ck.error(
                "state_dir",
                "`state_dir` must be a folder without `..`: relative to the jobs file's folder, or absolute",
                "for example \".bilateral-state\" or \"/var/lib/bilateral\"",
            );
        }
    }
    if ck.out.has_errors() {
        return Err(ck.out);
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

/// Whether a schedule fires at all: within eight years from 2000 (two leap cycles; 29 February
/// fires every four years, 30 February never).
fn fires_within_a_leap_cycle(c: &croner::Cron) -> bool {
    use chrono::{TimeZone, Utc};
    let start = Utc
        .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid time");
    let end = Utc
        .with_ymd_and_hms(2008, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid time");
    c.find_next_occurrence(&start, true).is_ok_and(|t| t < end)
}

const CRON_HELP: &str = "minute hour day-of-month month day-of-week, e.g. \"0 7 * * MON\"";

/// Checks the parts of a jobs file, collecting every problem.
struct JobChecker<'a> {
    parsed: &'a Parsed<JobsFile>,
    out: Diagnostics,
}

impl JobChecker<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>, help: &str) {
        let mut d = self.parsed.error_at(path, message);
        if !help.is_empty() {
            d = d.help(help);
        }
        self.out.push(d);
    }

    /// Checks one job; returns it resolved when its schedule and time zone are usable.
    fn job(&mut self, i: usize, job: &Job, has_smtp: bool, base: &Path) -> Option<ResolvedJob> {
        let at = |k: &str| key(&index("jobs", i), k);
        let schedule = self.schedule(&at("schedule"), &job.schedule);
        let timezone = self.timezone(&at("timezone"), &job.timezone);
        let formats = self.formats(&at("formats"), &job.formats);
        let paper = self.paper(&at("paper"), job.paper.as_deref());
        let pdf_standard = self.pdf_standard(&at("pdf_standard"), job.pdf_standard.as_deref());
        let has_templates = job.templates.is_some();
        if let Some(lang) = &job.lang {
            self.lang(&at("lang"), lang, has_templates);
        }
        for (g, group) in job.email.iter().flat_map(|e| e.groups.iter().enumerate()) {
            let path = key(&index(&key(&at("email"), "groups"), g), "lang");
            self.lang(&path, &group.lang, has_templates);
        }
        self.output(&at("output"), &job.output);
        if let PeriodSpec::Fixed {
            since: Some(s),
            until: Some(u),
        } = job.period
        {
            if s > u {
                let message = format!("the period is empty: since {s} is after until {u}");
                self.error(&at("period"), message, "");
            }
        }
        if let Some(email) = &job.email {
            self.email(i, email, &formats, has_smtp);
        }
        let max_days = crate::briefing::aggregate::MAX_DUE_SOON_DAYS;
        if job.due_soon_days > max_days {
            let message = format!("`due_soon_days` must be from 0 to {max_days}");
            self.error(
                &at("due_soon_days"),
                message,
                "90 is the default, as for `brief --due-soon`",
            );
        }
        let time_limit = match job.time_limit_seconds {
            None => DEFAULT_TIME_LIMIT,
            Some(n) if (1..=MAX_TIME_LIMIT_SECONDS).contains(&n) => {
                std::time::Duration::from_secs(n)
            }
            Some(_) => {
                let message =
                    format!("`time_limit_seconds` must be from 1 to {MAX_TIME_LIMIT_SECONDS}");
                self.error(
                    &at("time_limit_seconds"),
                    message,
                    "900 (15 minutes) is the default",
                );
                DEFAULT_TIME_LIMIT
            }
        };
        Some(ResolvedJob {
            time_limit,
            dataset: base.join(&job.dataset),
            templates: job.templates.as_ref().map(|t| base.join(t)),
            fonts_dir: job.fonts_dir.as_ref().map(|f| base.join(f)),
            paper: paper?,
            pdf_standard: pdf_standard?,
            job: job.clone(),
            formats,
            schedule: schedule?,
            timezone: timezone?,
        })
    }

    /// Whether the name is valid (reported if not).
    fn name(&mut self, i: usize, job: &Job) -> bool {
        let ok = !job.name.is_empty()
            && job.name.len() <= 64
            && job
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !job.name.starts_with('-');
        if !ok {
            self.error(
                &key(&index("jobs", i), "name"),
                format!("`{}` is not a valid job name", job.name.escape_debug()),
                "use 1 to 64 lower-case letters, digits and `-`",
            );
        }
        ok
    }

    fn schedule(&mut self, path: &str, schedule: &str) -> Option<croner::Cron> {
        if let Some(ext) = cron_extension(schedule) {
            let message = format!("`{schedule}` uses `{ext}`, which standard cron does not have");
            self.error(
                path,
                message,
                "use numbers, ranges (1-5), lists (1,15), steps (*/2) and names (MON, JAN) only",
            );
            return None;
        }
        match croner::Cron::from_str(schedule) {
            Ok(c) if schedule.split_whitespace().count() == 5 => {
                if !fires_within_a_leap_cycle(&c) {
                    let message = format!("`{schedule}` never fires (no such day)");
                    self.error(path, message, "check the day of month against the month: \"0 0 30 2 *\" asks for 30 February");
                    return None;
                }
                Some(c)
            }
            Ok(_) => {
                let message = format!("`{schedule}` is not a five-field cron expression");
                self.error(path, message, CRON_HELP);
                None
            }
            Err(e) => {
                let message = format!("`{schedule}` is not a cron expression: {e}");
                self.error(path, message, CRON_HELP);
                None
            }
        }
    }

    fn timezone(&mut self, path: &str, tz: &str) -> Option<chrono_tz::Tz> {
        let parsed = tz.parse::<chrono_tz::Tz>().ok();
        if parsed.is_none() {
            self.error(
                path,
                format!("unknown time zone `{}`", tz.escape_debug()),
                "use an IANA name such as \"UTC\", \"Europe/London\", \"Asia/Baku\"",
            );
        }
        parsed
    }

    fn formats(&mut self, path: &str, names: &[String]) -> Vec<Format> {
        let mut formats = Vec::new();
        for (fi, f) in names.iter().enumerate() {
            match f.parse::<Format>() {
                Ok(f) if !formats.contains(&f) => formats.push(f),
                Ok(_) => {}
                Err(e) => self.error(&index(path, fi), e, ""),
            }
        }
        if names.is_empty() {
            self.error(
                path,
                "`formats` is empty",
                "list at least one of md, pdf, html, json, xlsx, csv",
            );
        }
        formats
    }

    /// A language the job can render: shipped, or any tag CLDR knows with the job's templates.
    fn lang(&mut self, path: &str, lang: &str, has_templates: bool) {
        let shipped = crate::render::templates::Templates::shipped(lang).is_some();
        let known = crate::base::locale::Language::new(lang);
        match known {
            Err(e) => self.error(path, e.to_string(), ""),
            Ok(_) if !shipped && !has_templates => self.error(
                path,
                format!("no templates ship for `{lang}`"),
                "give the job a `templates` folder in that language, or use en, zh-Hans, ru or az",
            ),
            Ok(_) => {}
        }
    }

    fn paper(&mut self, path: &str, paper: Option<&str>) -> Option<Paper> {
        match paper.map(str::parse::<Paper>) {
            None => Some(Paper::A4),
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                self.error(path, e, "");
                None
            }
        }
    }

    fn pdf_standard(&mut self, path: &str, standard: Option<&str>) -> Option<PdfStandard> {
        match standard.map(str::parse::<PdfStandard>) {
            None => Some(PdfStandard::default()),
            Some(Ok(s)) => Some(s),
            Some(Err(e)) => {
                self.error(path, e, "");
                None
            }
        }
    }

    fn output(&mut self, path: &str, output: &str) {
        if output.trim().is_empty() || has_parent_component(output) {
            self.error(
                path,
                "`output` must be a path pattern without `..`: relative to the jobs file's folder, or absolute",
                "for example \"briefings/{job}/briefing-{pair}-{as_of}\"",
            );
        }
        for placeholder in placeholders(output) {
            if !["job", "pair", "as_of"].contains(&placeholder.as_str()) {
                let message = format!("unknown placeholder `{{{placeholder}}}`");
                self.error(path, message, "use {job}, {pair} and {as_of}");
            }
        }
    }

    /// A job's `fields`, each one its dataset declares (when the dataset's manifest can be read).
    fn job_fields(&mut self, i: usize, job: &Job, base: &Path, fields_of: FieldsOf<'_>) {
        if job.fields.is_empty() {
            return;
        }
        let Some(known) = fields_of(&base.join(&job.dataset)) else {
            return;
        };
        for (k, f) in job.fields.iter().enumerate() {
            if !known.contains(f) {
                let message = format!("the dataset has no field `{}`", f.escape_debug());
                let help = format!("its fields: {}", known.join(", "));
                self.error(&index(&key(&index("jobs", i), "fields"), k), message, &help);
            }
        }
    }

    /// Refuses outputs two jobs share, and outputs or a state folder inside a job's dataset.
    fn where_jobs_write(&mut self, jobs: &[Job], state_dir: Option<&Path>, base: &Path) {
        for (i, j, file) in super::paths::overlapping(jobs, base) {
            let message = format!(
                "jobs `{}` and `{}` both write {}, so each would overwrite the other's briefing",
                jobs[i].name,
                jobs[j].name,
                file.display()
            );
            let help = "put {job} in the pattern, or give each job an output of its own";
            self.error(&key(&index("jobs", j), "output"), message, help);
        }
        let state = state_dir.map(|d| super::paths::resolved(&base.join(d)));
        for (i, job) in jobs.iter().enumerate() {
            let dataset = super::paths::resolved(&base.join(&job.dataset));
            if super::paths::fixed_folder(base, &job.output).starts_with(&dataset) {
                let message = "`output` lies inside the job's dataset folder, whose next load would read what the job wrote";
                self.error(&key(&index("jobs", i), "output"), message, "write briefings outside the dataset, for example \"briefings/{job}/briefing-{pair}-{as_of}\"");
            }
            if state.as_ref().is_some_and(|s| s.starts_with(&dataset)) {
                let message = format!(
                    "`state_dir` lies inside the dataset folder of job `{}`",
                    job.name
                );
                self.error(
                    "state_dir",
                    message,
                    "keep the state outside every dataset, for example \".bilateral-state\"",
                );
            }
        }
    }

    fn email(&mut self, i: usize, email: &Email, formats: &[Format], has_smtp: bool) {
        let at = |k: &str| key(&index("jobs", i), k);
        if email.to.is_empty() {
            let path = key(&at("email"), "to");
            self.error(&path, "`to` is empty", "name at least one recipient");
        }
        for (g, group) in email.groups.iter().enumerate() {
            if group.to.is_empty() {
                let path = key(&index(&key(&at("email"), "groups"), g), "to");
                self.error(&path, "`to` is empty", "name at least one recipient");
            }
        }
        let grouped = email
            .groups
            .iter()
            .flat_map(|g| (g.to.iter().map(|a| ("to", a))).chain(g.cc.iter().map(|a| ("cc", a))));
        for (k, addr) in std::iter::once(("from", &email.from))
            .chain(email.to.iter().map(|a| ("to", a)))
            .chain(email.cc.iter().map(|a| ("cc", a)))
            .chain(grouped)
        {
            if addr.parse::<lettre::message::Mailbox>().is_err() {
                self.error(
                    &key(&at("email"), k),
                    format!("`{}` is not an email address", addr.escape_debug()),
                    "write \"name@example.org\" or \"Name <name@example.org>\"",
                );
            }
        }
        let subjects = email
            .subject
            .iter()
            .chain(email.groups.iter().filter_map(|g| g.subject.as_ref()));
        for placeholder in subjects.flat_map(|s| placeholders(s)) {
            if !["title", "as_of"].contains(&placeholder.as_str()) {
                let message = format!("unknown placeholder `{{{placeholder}}}` in the subject");
                self.error(
                    &key(&at("email"), "subject"),
                    message,
                    "use {title} and {as_of}",
                );
            }
        }
        if !formats.contains(&Format::Pdf) {
            self.error(
                &at("formats"),
                "a job that sends email must produce a PDF (the attachment)",
                "add \"pdf\" to formats",
            );
        }
        if !has_smtp {
            self.error(
                &at("email"),
                "the job sends email but the file has no [smtp] server",
                "add an [smtp] table with host, port and security",
            );
        }
    }

    fn smtp(&mut self, smtp: &Smtp) {
        if smtp.host.trim().is_empty() {
            self.error("smtp.host", "`host` is empty", "");
        }
        let backoff = smtp.backoff_seconds;
        if !(backoff.is_finite() && (0.0..=3600.0).contains(&backoff)) {
            let message = "`backoff_seconds` must be between 0 and 3600";
            self.error("smtp.backoff_seconds", message, "");
        }
        let timeout = smtp.timeout_seconds;
        if !(timeout.is_finite() && timeout > 0.0 && timeout <= 600.0) {
            let message = "`timeout_seconds` must be above 0 and at most 600";
            self.error("smtp.timeout_seconds", message, "");
        }
        if smtp.retries > 20 {
            self.error("smtp.retries", "`retries` is at most 20", "");
        }
        if smtp.username_env.is_some() != smtp.password_env.is_some() {
            self.error(
                "smtp",
                "give both `username_env` and `password_env`, or neither",
                "credentials are a user name and a password",
            );
        }
        let has_credentials = smtp.username_env.is_some() || smtp.credentials_file.is_some();
        if smtp.security == Security::None && has_credentials && !smtp.allow_plaintext_auth {
            self.error(
                "smtp.security",
                "credentials would go to the server unencrypted (`security = \"none\"`)",
                "use \"starttls\" or \"tls\" (with `ca_file` for your own authority's certificate); for a relay on this machine only, set `allow_plaintext_auth = true`",
            );
        }
        if smtp.security == Security::None && smtp.ca_file.is_some() {
            self.error(
                "smtp.ca_file",
                "`ca_file` needs a TLS connection, but `security = \"none\"`",
                "use \"starttls\" or \"tls\"",
            );
        }
    }
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
    parse_jobs_with(source, &base, &dataset_fields)
}

/// The field ids of the dataset in `dir`: the default fields and those its manifest adds.
fn dataset_fields(dir: &Path) -> Option<Vec<String>> {
    let path = crate::dataset::load::MANIFEST_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())?;
    let text = crate::dataset::load::read_text(&path).ok()?;
    let manifest = crate::dataset::parse::parse_manifest(text).ok()?.value;
    let mut ids: Vec<String> = crate::dataset::format::DEFAULT_FIELDS
        .iter()
        .map(|f| f.0.to_string())
        .collect();
    for f in manifest.fields {
        if !ids.contains(&f.id) {
            ids.push(f.id);
        }
    }
    Some(ids)
}

/// The first non-standard cron extension in a schedule, if any: `L` (last), `W` (nearest
/// weekday) and `#` (nth weekday of the month) in the day fields. The cron library accepts them,
/// but crontab(5) and systemd do not, and docs/jobs.md promises the five standard fields.
fn cron_extension(schedule: &str) -> Option<&str> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    let days = [fields.get(2).copied(), fields.get(4).copied()];
    days.into_iter().flatten().find_map(|f| {
        f.split(',').find(|part| {
            let p = part.to_ascii_uppercase();
            p.contains('#') || p == "L" || p == "LW" || {
                let digits = p.trim_end_matches(['L', 'W']);
                digits.len() < p.len() && digits.bytes().all(|b| b.is_ascii_digit())
            }
        })
    })
}

/// Whether a path has a `..` component (a name such as `v1..2` is fine).
fn has_parent_component(path: &str) -> bool {
    Path::new(path)
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
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

#[cfg(test)]
mod tests {
    //! The jobs parser's pieces, each on a small file.
    use super::*;

    fn parse(text: &str) -> Result<Jobs, Diagnostics> {
        let source = SourceText {
            path: "jobs.toml".into(),
            text: text.to_string(),
        };
        parse_jobs(source, Path::new("/srv"))
    }

    fn messages(text: &str) -> Vec<String> {
        parse(text)
            .err()
            .map(|d| d.0.into_iter().map(|d| d.message).collect())
            .unwrap_or_default()
    }

    const JOB: &str =
        "[[jobs]]\nname = \"weekly\"\ndataset = \"data\"\nschedule = \"0 7 * * MON\"\n";

    #[test]
    fn a_job_resolves_its_paths_and_options() {
        let jobs = parse(&format!("{JOB}templates = \"t\"\nfonts_dir = \"f\"\npaper = \"letter\"\nformats = [\"html\", \"pdf\", \"html\"]\n")).unwrap();
        let j = &jobs.jobs[0];
        assert_eq!(j.dataset, Path::new("/srv/data"));
        assert_eq!(j.templates.as_deref(), Some(Path::new("/srv/t")));
        assert_eq!(j.fonts_dir.as_deref(), Some(Path::new("/srv/f")));
        assert_eq!(j.paper, Paper::Letter);
        assert_eq!(j.formats, [Format::Html, Format::Pdf]);
        assert_eq!(jobs.state_dir, Path::new("/srv/.bilateral-state"));
    }

    /// A job's `fields` are checked against its dataset's when the jobs file is read (before,
    /// `fields = ["nope"]` passed and failed at run time).
    #[test]
    fn a_jobs_unknown_field_is_refused_when_its_dataset_is_known() {
        let source = SourceText {
            path: "jobs.toml".into(),
            text: format!("{JOB}fields = [\"energy\", \"nope\"]\n"),
        };
        let fields_of = |dir: &Path| {
            assert_eq!(dir, Path::new("/srv/data"));
            Some(vec!["energy".to_string(), "security".to_string()])
        };
        let err = parse_jobs_with(source.clone(), Path::new("/srv"), &fields_of).unwrap_err();
        let m: Vec<String> = err.0.iter().map(|d| d.message.clone()).collect();
        assert_eq!(m, ["the dataset has no field `nope`"]);
        assert!(parse_jobs_with(source, Path::new("/srv"), &|_| None).is_ok());
    }

    /// Two jobs writing one file, and a job writing into its dataset, are refused at check time
    /// (before, six runs with `-j 2` left job a's file holding job b's briefing four times).
    #[test]
    fn shared_outputs_and_outputs_inside_the_dataset_are_refused() {
        let two = |a: &str, b: &str| {
            format!(
                "{JOB}output = \"{a}\"\n{}output = \"{b}\"\n",
                JOB.replace("weekly", "daily")
            )
        };
        let m = messages(&two("out/briefing-{as_of}", "out/./briefing-{as_of}"));
        assert!(
            m.iter().any(|m| m
                .contains("jobs `weekly` and `daily` both write /srv/out/briefing-{as_of}.pdf")),
            "{m:?}"
        );
        // `{job}` filled in makes them distinct; so do formats with nothing in common, but not
        // a job named like the other's literal folder.
        assert!(parse(&two("out/{job}", "out/{job}")).is_ok());
        let disjoint = format!(
            "{JOB}formats = [\"md\"]\n{}formats = [\"pdf\"]\n",
            JOB.replace("weekly", "daily")
        );
        assert!(parse(&disjoint).is_ok());
        assert!(parse(&two("out/daily", "out/{job}")).is_err());

        for ext in [
            "0 7 L * *",
            "0 7 15W * *",
            "0 7 * * 5#2",
            "0 7 * * 5L",
            "0 7 LW * *",
        ] {
            let m = messages(&JOB.replace("0 7 * * MON", ext));
            assert!(
                m.iter().any(|m| m.contains("standard cron does not have")),
                "{ext}: {m:?}"
            );
        }
        assert!(parse(&JOB.replace("0 7 * * MON", "0 7 1,15 * MON-FRI")).is_ok());
        assert!(parse(&JOB.replace("0 7 * * MON", "0 7 * * WED")).is_ok());
        let m = messages(&format!("{JOB}due_soon_days = 99999\n"));
        assert!(m.iter().any(|m| m.contains("from 0 to 36500")), "{m:?}");
        let m = messages(&format!("{JOB}output = \"data/briefings/{{job}}\"\n"));
        assert!(
            m.iter()
                .any(|m| m.contains("inside the job's dataset folder")),
            "{m:?}"
        );
        let m = messages(&format!("state_dir = \"data/.state\"\n{JOB}"));
        assert!(
            m.iter().any(|m| m.contains("`state_dir` lies inside")),
            "{m:?}"
        );
        assert!(parse(&format!("{JOB}output = \"database/{{job}}\"\n")).is_ok());
    }

    #[test]
    fn schedules_that_never_fire_and_parent_folders_are_refused() {
        let m = messages(&JOB.replace("0 7 * * MON", "0 0 30 2 *"));
        assert!(m.iter().any(|m| m.contains("never fires")), "{m:?}");
        assert!(
            parse(&JOB.replace("0 7 * * MON", "0 0 29 2 *")).is_ok(),
            "leap days fire"
        );
        let m = messages(&format!("{JOB}output = \"out/../../x\"\n"));
        assert!(m.iter().any(|m| m.contains("without `..`")), "{m:?}");
        assert!(parse(&format!("{JOB}output = \"/srv/briefings/{{job}}\"\n")).is_ok());
        assert!(parse(&format!("{JOB}output = \"out/v1..2/{{job}}\"\n")).is_ok());
        let m = messages(&format!("state_dir = \"../state\"\n{JOB}"));
        assert!(m.iter().any(|m| m.contains("`state_dir` must be")), "{m:?}");
        assert!(parse(&format!("state_dir = \"/var/lib/bilateral\"\n{JOB}")).is_ok());
    }

    #[test]
    fn pdf_standards_and_markings_are_read_and_checked() {
        let jobs = parse(&format!(
            "{JOB}pdf_standard = \"ua-1,a-2a\"\nmarking = \"OFFICIAL\"\n"
        ))
        .unwrap();
        let j = &jobs.jobs[0];
        assert_eq!(j.pdf_standard.name(), "ua-1,a-2a");
        assert_eq!(j.job.marking.as_deref(), Some("OFFICIAL"));
        let default = parse(JOB).unwrap();
        assert_eq!(default.jobs[0].pdf_standard, PdfStandard::default());
        let m = messages(&format!("{JOB}pdf_standard = \"pdf/x-4\"\n"));
        assert!(
            m.iter()
                .any(|m| m.contains("unknown PDF standard `pdf/x-4`")),
            "{m:?}"
        );
    }

    #[test]
    fn each_piece_reports_its_own_problem() {
        let m = messages("[[jobs]]\nname = \"Bad Name\"\ndataset = \"d\"\nschedule = \"0 7 * *\"\ntimezone = \"Mars/Olympus\"\nformats = []\noutput = \"../x/{day}\"\npaper = \"a5\"\n");
        for needle in [
            "`Bad Name` is not a valid job name",
            "`0 7 * *` is not a",
            "unknown time zone `Mars/Olympus`",
            "`formats` is empty",
            "`output` must be a path pattern",
            "unknown placeholder `{day}`",
            "unknown paper size `a5`",
        ] {
            assert!(
                m.iter().any(|x| x.contains(needle)),
                "{needle} not in {m:?}"
            );
        }
    }

    #[test]
    fn email_needs_a_pdf_a_server_and_addresses() {
        let m = messages(&format!(
            "{JOB}formats = [\"md\"]\n[jobs.email]\nfrom = \"not an address\"\nto = []\nsubject = \"{{title}} on {{date}}\"\n"
        ));
        for needle in [
            "unknown placeholder `{date}` in the subject",
            "`to` is empty",
            "`not an address` is not an email address",
            "must produce a PDF",
            "no [smtp] server",
        ] {
            assert!(
                m.iter().any(|x| x.contains(needle)),
                "{needle} not in {m:?}"
            );
        }
        let m = messages(&format!(
            "[smtp]\nhost = \"\"\nretries = 99\nusername_env = \"U\"\n\n{JOB}"
        ));
        for needle in ["`host` is empty", "`retries` is at most 20", "give both"] {
            assert!(
                m.iter().any(|x| x.contains(needle)),
                "{needle} not in {m:?}"
            );
        }
    }
}
