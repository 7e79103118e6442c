//! Scheduled runs: pick the jobs, run them in parallel, deliver, remember.
//!
//! As in ripgrep's batch work, one job's failure (bad data, a full disk, a refused mail server,
//! even a panic) never stops the others; it is reported in its outcome and in the run's exit
//! status. Each job goes through the same entry point as `brief` (a [`Publisher`]); its files are
//! written all or nothing before delivery, so a failed delivery leaves the report on disk. The
//! state is updated after each job under the run's lock.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};

use crate::briefing::aggregate::{Detail, Options};
use crate::briefing::model::Briefing;
use crate::email::{self, Addressing};
use crate::jobs::file::{fill, Jobs, PeriodSpec, RecipientGroup, ResolvedJob};
use crate::jobs::pool;
use crate::jobs::schedule::{self, Shard};
use crate::jobs::state::{JobState, Sending, State, StateDir, StateError};
use crate::publish::{pair, write_all, BriefingRequest, Publication, Publisher};
use crate::render::engine::TemplateError;
use crate::render::templates::Templates;
use crate::render::Format;

/// Which jobs a run considers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Those whose schedule fired since their last success.
    Due,
    /// All of them.
    All,
    /// These, by name.
    Named(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub selection: Selection,
    /// The clock, passed in.
    pub now: DateTime<Utc>,
    /// Overrides each job's as-of date.
    pub as_of: Option<NaiveDate>,
    pub shard: Option<Shard>,
    /// Wait for another run's lock instead of refusing.
    pub wait: bool,
    /// Worker threads.
    pub threads: usize,
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Written and delivered (or written, for a job without email).
    Ok,
    /// Written; delivery skipped because nothing changed since the last delivered briefing.
    Unchanged,
    /// Not due.
    NotDue,
    Failed(String),
}

/// How a job's briefing was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Nothing was delivered (not due, or failed before delivery).
    None,
    /// Written to files; the job sends no email.
    Files,
    /// Sent by email after this many attempts.
    Email { attempts: u32 },
    /// Email skipped: nothing changed since the last delivered briefing.
    SkippedUnchanged,
    /// The email could not be sent; the files are on disk.
    EmailFailed,
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Delivery::None => f.write_str("-"),
            Delivery::Files => f.write_str("files"),
            Delivery::Email { attempts: 1 } => f.write_str("email (1 attempt)"),
            Delivery::Email { attempts } => write!(f, "email ({attempts} attempts)"),
            Delivery::SkippedUnchanged => f.write_str("skipped: unchanged"),
            Delivery::EmailFailed => f.write_str("email failed"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub name: String,
    pub status: Status,
    pub as_of: Option<NaiveDate>,
    pub files: Vec<PathBuf>,
    pub delivery: Delivery,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
}

impl JobOutcome {
    pub fn failed(&self) -> bool {
        matches!(self.status, Status::Failed(_))
    }

    fn new(name: &str, status: Status) -> Self {
        Self {
            name: name.to_string(),
            status,
            as_of: None,
            files: Vec::new(),
            delivery: Delivery::None,
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
        }
    }
}

/// Progress, for the command line to show.
#[derive(Debug, Clone)]
pub enum Event {
    /// The jobs that will run.
    Planned(usize),
    Started(String),
    Finished(JobOutcome),
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("no job is named {0}")]
    UnknownJob(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// How the run sleeps between SMTP retries (injected so tests need not wait).
pub type Sleep = dyn Fn(Duration) + Send + Sync;

/// What every job of a run shares. Owned, so that a job that hangs past its time limit can be
/// left behind on its thread while the run ends.
struct Run {
    jobs: Jobs,
    opts: RunOptions,
    base: PathBuf,
    state_dir: StateDir,
    state: Mutex<State>,
    /// Compiled templates, by templates folder (None: the built-in ones); compiled once per run.
    /// By templates folder and language.
    publishers: Mutex<HashMap<PublisherKey, std::sync::Arc<Publisher>>>,
    sleep: std::sync::Arc<Sleep>,
    /// Jobs given up on after their time limit: they must not send anything any more.
    abandoned: Mutex<std::collections::HashSet<String>>,
}

/// Runs the selected jobs; returns every outcome, in jobs-file order.
pub fn run(
    jobs: &Jobs,
    opts: &RunOptions,
    progress: &dyn Fn(Event),
    sleep: std::sync::Arc<Sleep>,
) -> Result<Vec<JobOutcome>, RunError> {
    if let Selection::Named(names) = &opts.selection {
        if let Some(n) = names
            .iter()
            .find(|n| !jobs.jobs.iter().any(|j| &j.job.name == *n))
        {
            return Err(RunError::UnknownJob(n.clone()));
        }
    }
    let state_dir = StateDir::new(&jobs.state_dir);
    let _lock = state_dir.lock(opts.wait)?;
    let run = Run {
        jobs: jobs.clone(),
        opts: opts.clone(),
        base: jobs.base(),
        state: Mutex::new(state_dir.read()?),
        state_dir,
        publishers: Mutex::new(HashMap::new()),
        sleep,
        abandoned: Mutex::new(Default::default()),
    };
    // The built-in templates are compiled before any job, so a broken build fails the run.
    run.publisher(None, "en")?;
    run.remove_stale_temps();
    let (planned, mut outcomes) = run.plan();
    let later = run.ran_later_than_now();
    progress(Event::Planned(planned.len()));
    for (i, outcome) in std::sync::Arc::new(run).run_parallel(planned, progress) {
        outcomes[i] = Some(outcome);
    }
    let mut outcomes: Vec<JobOutcome> = outcomes.into_iter().flatten().collect();
    for o in &mut outcomes {
        if let Some(last) = later.get(&o.name) {
            o.warnings.push(format!(
                "the last run was at {}, after the time this run is judged at ({}): is --now or SOURCE_DATE_EPOCH what you meant?",
                last.to_rfc3339(),
                opts.now.to_rfc3339()
            ));
        }
    }
    Ok(outcomes)
}

impl Run {
    /// The jobs whose last run (as the state records it) is later than the time this run is
    /// judged at: a replay with `--now`, or a clock set back. Such a run is allowed (replays are
    /// useful) but warned about, since its "since the last run" is then in the future.
    fn ran_later_than_now(&self) -> HashMap<String, DateTime<Utc>> {
        let state = self.state.lock().expect("state lock");
        state
            .jobs
            .iter()
            .filter_map(|(name, s)| Some((name.clone(), s.last_run?)))
            .filter(|(_, last)| *last > self.opts.now)
            .collect()
    }

    /// What runs, and for which firing; the outcomes of jobs that are not due.
    #[allow(clippy::type_complexity)]
    fn plan(&self) -> (Vec<(usize, Option<DateTime<Utc>>)>, Vec<Option<JobOutcome>>) {
        let mut planned = Vec::new();
        let mut outcomes: Vec<Option<JobOutcome>> = vec![None; self.jobs.jobs.len()];
        let state = self.state.lock().expect("state lock");
        for (i, j) in self.jobs.jobs.iter().enumerate() {
            let name = &j.job.name;
            if self.opts.shard.is_some_and(|s| !s.contains(name)) {
                continue;
            }
            let now = self.opts.now;
            match &self.opts.selection {
                Selection::Due => {
                    let last = state.jobs.get(name).and_then(|s| s.last_success);
                    match schedule::due(j, last, now) {
                        Some(fire) => planned.push((i, Some(fire))),
                        None => outcomes[i] = Some(JobOutcome::new(name, Status::NotDue)),
                    }
                }
                Selection::Named(names) if !names.contains(name) => {}
                _ => planned.push((i, schedule::latest_fire(j, now))),
            }
        }
        (planned, outcomes)
    }

    /// Runs the planned jobs on the worker threads, each within its time limit; records each
    /// outcome as it comes; returns (job index, outcome) pairs.
    fn run_parallel(
        self: std::sync::Arc<Self>,
        planned: Vec<(usize, Option<DateTime<Utc>>)>,
        progress: &dyn Fn(Event),
    ) -> Vec<(usize, JobOutcome)> {
        let fires: HashMap<usize, Option<DateTime<Utc>>> = planned.iter().copied().collect();
        let tasks = planned
            .iter()
            .map(|(i, _)| (*i, self.jobs.jobs[*i].time_limit))
            .collect();
        let started = Instant::now();
        let worker = self.clone();
        let work = std::sync::Arc::new(move |i: usize| worker.run_caught(i, fires[&i]));
        let fires: HashMap<usize, Option<DateTime<Utc>>> = planned.into_iter().collect();
        let mut results = Vec::new();
        pool::run(
            tasks,
            self.opts.threads,
            work,
            |i| progress(Event::Started(self.jobs.jobs[i].job.name.clone())),
            |i, result| {
                let name = &self.jobs.jobs[i].job.name;
                let mut outcome = result.unwrap_or_else(|t| {
                    self.abandoned
                        .lock()
                        .expect("abandoned")
                        .insert(name.clone());
                    let why = format!(
                        "took longer than its time limit of {} s (`time_limit_seconds`); \
                         given up on, nothing more is sent for it",
                        t.limit.as_secs()
                    );
                    let mut o = JobOutcome::new(name, Status::Failed(why));
                    o.elapsed = started.elapsed();
                    o
                });
                self.record_outcome(&mut outcome, fires[&i]);
                progress(Event::Finished(outcome.clone()));
                results.push((i, outcome));
            },
        );
        results
    }

    /// Runs one job, turning a panic into a failed outcome.
    fn run_caught(&self, i: usize, fire: Option<DateTime<Utc>>) -> JobOutcome {
        let j = &self.jobs.jobs[i];
        let start = Instant::now();
        let job_state = self.job_state(&j.job.name);
        // The cores are shared between the jobs running side by side (not jobs × cores threads).
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = self.opts.threads.clamp(1, self.jobs.jobs.len().max(1));
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::base::parallel::with_cap(cores.div_ceil(workers), || {
                self.run_job(j, &job_state, fire)
            })
        }));
        let mut outcome = ran.unwrap_or_else(|panic| {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let why = format!("internal error: {msg}; please report it");
            JobOutcome::new(&j.job.name, Status::Failed(why))
        });
        outcome.elapsed = start.elapsed();
        outcome
    }

    /// Records the outcome in the state; a failure to do so fails the job.
    fn record_outcome(&self, outcome: &mut JobOutcome, fire: Option<DateTime<Utc>>) {
        if let Err(e) = self.record(outcome, fire) {
            let why = format!("cannot save the run state: {e}");
            outcome.status = Status::Failed(match &outcome.status {
                Status::Failed(first) => format!("{first}; and {why}"),
                _ => why,
            });
        }
    }

    fn job_state(&self, name: &str) -> JobState {
        let state = self.state.lock().expect("state");
        state.jobs.get(name).cloned().unwrap_or_default()
    }

    /// Remembers the outcome; a success moves the job's schedule on.
    fn record(&self, outcome: &JobOutcome, fire: Option<DateTime<Utc>>) -> Result<(), StateError> {
        let mut st = self.state.lock().expect("state");
        let entry = st.jobs.entry(outcome.name.clone()).or_default();
        entry.last_run = Some(self.opts.now);
        entry.sending = None;
        match &outcome.status {
            Status::Ok | Status::Unchanged => {
                entry.last_success = Some(fire.unwrap_or(self.opts.now));
                entry.last_as_of = outcome.as_of;
                if outcome.status == Status::Ok {
                    entry.last_delivered_as_of = outcome.as_of;
                }
                let word = if outcome.status == Status::Ok {
                    "ok"
                } else {
                    "unchanged"
                };
                entry.last_outcome = Some(word.into());
                entry.last_error = None;
            }
            Status::Failed(e) => {
                entry.last_outcome = Some("failed".into());
                entry.last_error = Some(e.clone());
            }
            Status::NotDue => {}
        }
        self.state_dir.write(&st)
    }

    /// The publisher for a templates folder and a language, compiled on first use.
    fn publisher(
        &self,
        templates: Option<&Path>,
        lang: &str,
    ) -> Result<std::sync::Arc<Publisher>, RunError> {
        let key = (templates.map(Path::to_path_buf), lang.to_string());
        if let Some(p) = self.publishers.lock().expect("publishers").get(&key) {
            return Ok(p.clone());
        }
        let set = Templates::for_language(lang, templates).map_err(|e| TemplateError {
            template: templates.map_or_else(|| lang.to_string(), |d| d.display().to_string()),
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        let publisher = std::sync::Arc::new(Publisher::new(&set)?);
        let mut map = self.publishers.lock().expect("publishers");
        Ok(map.entry(key).or_insert(publisher).clone())
    }

    fn run_job(
        &self,
        j: &ResolvedJob,
        job_state: &JobState,
        fire: Option<DateTime<Utc>>,
    ) -> JobOutcome {
        let name = &j.job.name;
        let fail = |msg: String| JobOutcome::new(name, Status::Failed(msg));
        let as_of = self.opts.as_of.unwrap_or_else(|| match fire {
            Some(f) => schedule::as_of_for(j, f),
            None => self.opts.now.with_timezone(&j.timezone).date_naive(),
        });
        let (publisher, request) = match self.request(j, job_state, as_of) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let publication = match self.publish(j, job_state, &publisher, &request) {
            Ok(p) => p,
            Err(e) => return fail(e),
        };
        let files = match self.write(j, &publication) {
            Ok(f) => f,
            Err(e) => return fail(e),
        };
        let mut outcome = JobOutcome {
            status: Status::Ok,
            as_of: Some(as_of),
            files,
            delivery: Delivery::Files,
            warnings: publication.warnings().cloned().collect(),
            ..JobOutcome::new(name, Status::Ok)
        };
        if let Some(s) = &job_state.sending {
            outcome.warnings.push(format!(
                "a run was stopped while sending the briefing as of {} (Message-ID {}); if the \
                 server had taken it, the recipients get it again with the same Message-ID",
                s.as_of, s.message_id
            ));
        }
        if let Some(mail) = &j.job.email {
            self.deliver(
                j,
                &publisher,
                &publication,
                &request,
                &mut outcome,
                &main_group(j, mail),
            );
            for group in &mail.groups {
                if outcome.failed() || outcome.status == Status::Unchanged {
                    break;
                }
                self.deliver_in(j, job_state, &request, group, &mut outcome);
            }
            if outcome.failed() || outcome.status == Status::Unchanged {
                return outcome;
            }
        }
        if let Err(e) = self.state_dir.archive(name, &publication.briefing) {
            let why = format!("delivered, but cannot archive the briefing: {e}");
            outcome.status = Status::Failed(why);
        }
        outcome
    }

    /// The job's publisher and request: its templates, fonts, paper, period and fields.
    fn request(
        &self,
        j: &ResolvedJob,
        job_state: &JobState,
        as_of: NaiveDate,
    ) -> Result<(std::sync::Arc<Publisher>, BriefingRequest), String> {
        let lang = j.job.lang.as_deref().unwrap_or("en");
        let publisher = self
            .publisher(j.templates.as_deref(), lang)
            .map_err(|e| e.to_string())?;
        let (since, until) = schedule::period(&j.job.period, as_of, job_state.last_as_of);
        let mut request = BriefingRequest::new(as_of)
            .formats(j.formats.clone())
            .scope(Options {
                since,
                until,
                // A late report (dated before the last run, published after it) is news.
                known_after: matches!(j.job.period, PeriodSpec::SinceLastRun)
                    .then_some(job_state.last_as_of)
                    .flatten(),
                fields: j.job.fields.clone(),
                party: j.job.party.clone(),
                entity: j.job.entity.clone(),
                // Always full: "changes since the last briefing" compares complete lists.
                detail: Detail::Full,
                due_soon_days: j.job.due_soon_days,
                table: false,
                // A briefing nobody watches never carries unreviewed drafts.
                include_drafts: false,
                marking: j.job.marking.clone(),
            });
        if let Some(dir) = &j.fonts_dir {
            request = request.fonts_dir(dir).map_err(|e| e.to_string())?;
        }
        request.paper = j.paper;
        request.pdf_standard = j.pdf_standard;
        request.table = j.job.email.as_ref().is_some_and(|m| m.attach_xlsx);
        Ok((publisher, request))
    }

    /// Loads the dataset, builds the briefing with its changes since the last delivery, renders.
    fn publish(
        &self,
        j: &ResolvedJob,
        job_state: &JobState,
        publisher: &Publisher,
        request: &BriefingRequest,
    ) -> Result<Publication, String> {
        let loaded = crate::dataset::load::load(&j.dataset);
        let Some(dataset) = loaded.dataset else {
            let first = loaded
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.to_string().lines().take(2).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            return Err(format!(
                "{}: {} problem(s) in the dataset (run `bilateral check {}`): {first}",
                j.dataset.display(),
                loaded.diagnostics.errors(),
                j.dataset.display()
            ));
        };
        let mut briefing = publisher
            .briefing(&dataset, request)
            .map_err(|e| e.to_string())?;
        let changes = self.changes(&j.job.name, job_state, &briefing, &dataset)?;
        briefing.set_changes(changes);
        publisher
            .render(briefing, request)
            .map_err(|e| e.to_string())
    }

    fn changes(
        &self,
        name: &str,
        job_state: &JobState,
        briefing: &Briefing,
        dataset: &crate::dataset::Dataset,
    ) -> Result<Option<crate::briefing::model::Changes>, String> {
        let Some(prev) = job_state.last_delivered_as_of else {
            return Ok(None);
        };
        let snapshot = self
            .state_dir
            .snapshot(name, prev)
            .map_err(|e| e.to_string())?;
        Ok(snapshot.map(|s| crate::briefing::changes::changes(&s, briefing, dataset)))
    }

    /// Writes the job's files, all or nothing, named by its output pattern.
    fn write(&self, j: &ResolvedJob, publication: &Publication) -> Result<Vec<PathBuf>, String> {
        self.write_in(j, publication, None)
    }

    /// As [`Run::write`], for a recipient group's language (its tag before each extension).
    fn write_in(
        &self,
        j: &ResolvedJob,
        publication: &Publication,
        lang: Option<&str>,
    ) -> Result<Vec<PathBuf>, String> {
        let b = &publication.briefing;
        let stem = fill(&j.job.output, &j.job.name, &pair(b), b.header.as_of);
        let files: Vec<(PathBuf, &[u8])> = publication
            .outputs
            .iter()
            .map(|o| {
                let path = self
                    .jobs
                    .output_path_in(j, &pair(b), b.header.as_of, o.format, lang);
                (path, o.bytes.as_slice())
            })
            .collect();
        for dir in files.iter().filter_map(|(p, _)| p.parent()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
        }
        write_all(&files).map_err(|e| format!("{stem}: cannot write: {e}"))?;
        Ok(files.into_iter().map(|(p, _)| p).collect())
    }

    /// What a job's Message-IDs are made from: its state folder and name, so the same job's
    /// briefing for the same day always has the same Message-ID and two jobs never share one.
    fn identity(&self, job: &str) -> String {
        let dir = std::path::absolute(&self.state_dir.dir).unwrap_or(self.state_dir.dir.clone());
        format!("{}\n{job}", dir.display())
    }

    /// Records that the message is about to go out. If that cannot be recorded (a full disk),
    /// nothing is sent: a message whose sending is not on record could be sent again by every
    /// later run.
    fn record_sending(
        &self,
        job: &str,
        briefing: &Briefing,
        message: &lettre::Message,
    ) -> Result<(), String> {
        if self.abandoned.lock().expect("abandoned").contains(job) {
            return Err("not sent: the job passed its time limit and was given up on".into());
        }
        let mut st = self.state.lock().expect("state");
        let entry = st.jobs.entry(job.to_string()).or_default();
        let before = entry.sending.take();
        entry.sending = Some(Sending {
            as_of: briefing.header.as_of,
            message_id: message
                .headers()
                .get_raw("Message-ID")
                .unwrap_or_default()
                .to_string(),
            started: self.opts.now,
        });
        self.state_dir.write(&st).map_err(|e| {
            st.jobs.get_mut(job).expect("just added").sending = before;
            format!(
                "not sent: cannot record the delivery before sending ({e}); nothing went out, \
                 so a later run sends it once"
            )
        })
    }

    /// Emails the briefing, unless nothing changed and the job says to skip.
    /// Renders the briefing in a recipient group's language, writes its files beside the
    /// job's (`….ru.pdf`) and sends it to the group.
    fn deliver_in(
        &self,
        j: &ResolvedJob,
        job_state: &JobState,
        request: &BriefingRequest,
        group: &RecipientGroup,
        outcome: &mut JobOutcome,
    ) {
        let rendered = self
            .publisher(j.templates.as_deref(), &group.lang)
            .map_err(|e| e.to_string())
            .and_then(|publisher| {
                let publication = self.publish(j, job_state, &publisher, request)?;
                let files = self.write_in(j, &publication, Some(&group.lang))?;
                Ok((publisher, publication, files))
            });
        match rendered {
            Ok((publisher, publication, files)) => {
                outcome.files.extend(files);
                outcome.warnings.extend(publication.warnings().cloned());
                self.deliver(j, &publisher, &publication, request, outcome, group);
            }
            Err(e) => outcome.status = Status::Failed(format!("in {}: {e}", group.lang)),
        }
    }

    fn deliver(
        &self,
        j: &ResolvedJob,
        publisher: &Publisher,
        publication: &Publication,
        request: &BriefingRequest,
        outcome: &mut JobOutcome,
        group: &RecipientGroup,
    ) {
        let Some(mail) = &j.job.email else { return };
        let changes = publication.briefing.changes.as_ref();
        if j.job.skip_unchanged && changes.is_some_and(|c| c.is_empty()) {
            outcome.status = Status::Unchanged;
            outcome.delivery = Delivery::SkippedUnchanged;
            return;
        }
        let Some(smtp) = &self.jobs.smtp else {
            let why = "the job sends email but the jobs file has no [smtp] server";
            outcome.status = Status::Failed(why.into());
            return;
        };
        let identity = match j.job.lang.as_deref().unwrap_or("en") == group.lang {
            true => self.identity(&j.job.name),
            false => format!("{}\n{}", self.identity(&j.job.name), group.lang),
        };
        let addressing = Addressing {
            from: mail.from.clone(),
            to: group.to.clone(),
            cc: group.cc.clone(),
            subject: group.subject.clone(),
            identity: Some(identity),
        };
        let mut attach = vec![Format::Pdf];
        if mail.attach_markdown {
            attach.push(Format::Markdown);
        }
        if mail.attach_xlsx {
            attach.push(Format::Xlsx);
        }
        let sent = publisher
            .email(publication, &addressing, &attach, request)
            .map_err(|e| e.to_string())
            .and_then(|(message, warnings)| {
                outcome.warnings.extend(warnings);
                let creds = email::credentials(smtp, &self.base).map_err(|e| e.to_string())?;
                outcome
                    .warnings
                    .extend(email::credentials_warning(smtp, &self.base));
                self.record_sending(&j.job.name, &publication.briefing, &message)?;
                email::send(smtp, &self.base, creds, &message, &*self.sleep)
                    .map_err(|e| format!("{e}; the briefing stays on disk"))
            });
        match sent {
            Ok(s) => {
                outcome.delivery = Delivery::Email {
                    attempts: s.attempts,
                }
            }
            Err(e) => {
                outcome.status = Status::Failed(e);
                outcome.delivery = Delivery::EmailFailed;
            }
        }
    }
}

/// A publisher's templates folder (None: the built-in ones) and language.
type PublisherKey = (Option<PathBuf>, String);

/// The job's own recipients, in the job's language.
fn main_group(j: &ResolvedJob, mail: &crate::jobs::file::Email) -> RecipientGroup {
    RecipientGroup {
        lang: j.job.lang.clone().unwrap_or_else(|| "en".into()),
        to: mail.to.clone(),
        cc: mail.cc.clone(),
        subject: mail.subject.clone(),
    }
}

/// A temporary file older than this was left by a killed process (where the process cannot be
/// asked about): every write finishes in far less.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

impl Run {
    /// Deletes temporary files killed runs left behind, once, before any job starts (so no job of
    /// this run can be writing one). In the state folder and the archive, which only runs
    /// holding the lock write, every `write_atomic` temporary file goes; in the jobs' output
    /// folders (due or not), which other processes may share, those whose writing process has
    /// ended, or (where that cannot be told) older than [`STALE_TEMP_AGE`]. They never had a
    /// final name, so nothing delivered is touched.
    fn remove_stale_temps(&self) {
        remove_stale_temps(&self.state_dir.dir, Duration::ZERO);
        let today = self.opts.now.date_naive();
        let mut outputs = Vec::new();
        for j in &self.jobs.jobs {
            remove_stale_temps(&self.state_dir.history_dir(&j.job.name), Duration::ZERO);
            let any = self.jobs.output_path(j, "xx-yy", today, Format::Markdown);
            outputs.extend(any.parent().map(Path::to_path_buf));
        }
        outputs.sort();
        outputs.dedup();
        for dir in outputs {
            remove_stale_temps(&dir, STALE_TEMP_AGE);
        }
    }
}

/// Removes the temporary files in `dir` whose writer is gone: its process has ended (a killed
/// run), or, where that cannot be told, the file is older than `max_age`.
fn remove_stale_temps(dir: &Path, max_age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // A file's age is measured against the real clock, whatever clock the run was given
    // (SOURCE_DATE_EPOCH sets the briefings' dates, not the files').
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .map(|t| now.duration_since(t).unwrap_or_default())
            .unwrap_or_default();
        if crate::base::atomic::is_stale(&name.to_string_lossy(), age, max_age) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
