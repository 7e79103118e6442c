//! Scheduled runs: pick the jobs, run them in parallel, deliver, remember.
//!
//! As in ripgrep's batch work, one job's failure (bad data, a full disk, a refused mail server,
//! even a panic) never stops the others; it is reported in its outcome and in the run's exit
//! status. Files are written atomically before delivery, so a failed delivery leaves the report
//! on disk. The state is updated after each job under the run's lock.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};

use crate::briefing::aggregate::{aggregate, Detail, Options};
use crate::email::{self, Addressing, FileAttachment};
use crate::jobs::file::{fill, Jobs, ResolvedJob};
use crate::jobs::schedule::{self, Shard};
use crate::jobs::state::{JobState, StateDir, StateError};
use crate::render::markdown::MarkdownRenderer;
use crate::render::pdf::{self, PdfOptions};
use crate::render::templates::Templates;
use crate::render::{json, Format};

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

#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub name: String,
    pub status: Status,
    pub as_of: Option<NaiveDate>,
    pub files: Vec<PathBuf>,
    /// "email (1 attempt)", "files", "skipped: unchanged", "-".
    pub delivery: String,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
}

impl JobOutcome {
    pub fn failed(&self) -> bool {
        matches!(self.status, Status::Failed(_))
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
    Template(#[from] crate::render::markdown::TemplateError),
}

/// How the run sleeps between SMTP retries (injected so tests need not wait).
pub type Sleep = dyn Fn(Duration) + Sync;

/// Runs the selected jobs; returns every outcome, in jobs-file order.
pub fn run(
    jobs: &Jobs,
    opts: &RunOptions,
    progress: &(dyn Fn(Event) + Sync),
    sleep: &Sleep,
) -> Result<Vec<JobOutcome>, RunError> {
    if let Selection::Named(names) = &opts.selection {
        for n in names {
            if !jobs.jobs.iter().any(|j| &j.job.name == n) {
                return Err(RunError::UnknownJob(n.clone()));
            }
        }
    }
    // The templates are compiled once for the whole run, not once per job.
    let markdown = MarkdownRenderer::new(&Templates::defaults())?;
    let state_dir = StateDir::new(&jobs.state_dir);
    let _lock = state_dir.lock(opts.wait)?;
    remove_stale_temps(&state_dir.dir);
    let state = Mutex::new(state_dir.read()?);
    let base = jobs
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();

    // What runs, and for which firing.
    let mut planned: Vec<(usize, Option<DateTime<Utc>>)> = Vec::new();
    let mut outcomes: Vec<Option<JobOutcome>> = vec![None; jobs.jobs.len()];
    for (i, j) in jobs.jobs.iter().enumerate() {
        if opts.shard.is_some_and(|s| !s.contains(&j.job.name)) {
            continue;
        }
        let last = state
            .lock()
            .expect("state lock")
            .jobs
            .get(&j.job.name)
            .and_then(|s| s.last_success);
        match &opts.selection {
            Selection::Due => match schedule::due(j, last, opts.now) {
                Some(fire) => planned.push((i, Some(fire))),
                None => {
                    outcomes[i] = Some(JobOutcome {
                        name: j.job.name.clone(),
                        status: Status::NotDue,
                        as_of: None,
                        files: Vec::new(),
                        delivery: "-".into(),
                        elapsed: Duration::ZERO,
                        warnings: Vec::new(),
                    })
                }
            },
            Selection::All => planned.push((i, schedule::latest_fire(j, opts.now))),
            Selection::Named(names) => {
                if names.contains(&j.job.name) {
                    planned.push((i, schedule::latest_fire(j, opts.now)));
                }
            }
        }
    }
    progress(Event::Planned(planned.len()));

    let queue = Mutex::new(planned.into_iter());
    let results = Mutex::new(Vec::new());
    let threads = opts.threads.max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let Some((i, fire)) = queue.lock().expect("queue").next() else {
                    break;
                };
                let j = &jobs.jobs[i];
                progress(Event::Started(j.job.name.clone()));
                let start = Instant::now();
                let job_state = state
                    .lock()
                    .expect("state")
                    .jobs
                    .get(&j.job.name)
                    .cloned()
                    .unwrap_or_default();
                let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_job(
                        jobs, j, &base, &state_dir, &job_state, fire, opts, &markdown, sleep,
                    )
                }));
                let mut outcome = match ran {
                    Ok(o) => o,
                    Err(panic) => {
                        let msg = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        failed(
                            &j.job.name,
                            format!("internal error: {msg}; please report it"),
                        )
                    }
                };
                outcome.elapsed = start.elapsed();
                // Remember the outcome; a success moves the job's schedule on.
                {
                    let mut st = state.lock().expect("state");
                    let entry = st.jobs.entry(j.job.name.clone()).or_default();
                    entry.last_run = Some(opts.now);
                    match &outcome.status {
                        Status::Ok | Status::Unchanged => {
                            entry.last_success = Some(fire.unwrap_or(opts.now));
                            entry.last_as_of = outcome.as_of;
                            if outcome.status == Status::Ok {
                                entry.last_delivered_as_of = outcome.as_of;
                            }
                            entry.last_outcome = Some(
                                if outcome.status == Status::Ok {
                                    "ok"
                                } else {
                                    "unchanged"
                                }
                                .into(),
                            );
                            entry.last_error = None;
                        }
                        Status::Failed(e) => {
                            entry.last_outcome = Some("failed".into());
                            entry.last_error = Some(e.clone());
                        }
                        Status::NotDue => {}
                    }
                    if let Err(e) = state_dir.write(&st) {
                        outcome.status = Status::Failed(format!("cannot save the run state: {e}"));
                    }
                }
                progress(Event::Finished(outcome.clone()));
                results.lock().expect("results").push((i, outcome));
            });
        }
    });
    for (i, o) in results.into_inner().expect("results") {
        outcomes[i] = Some(o);
    }
    Ok(outcomes.into_iter().flatten().collect())
}

/// Deletes temporary files a killed run left behind (`write_atomic`'s `.bilateral-*.tmp`). Safe
/// because the caller holds the run lock; the files never had a final name, so nothing that was
/// delivered is touched.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".bilateral-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn failed(name: &str, msg: String) -> JobOutcome {
    JobOutcome {
        name: name.to_string(),
        status: Status::Failed(msg),
        as_of: None,
        files: Vec::new(),
        delivery: "-".into(),
        elapsed: Duration::ZERO,
        warnings: Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn run_job(
    jobs: &Jobs,
    j: &ResolvedJob,
    base: &Path,
    state_dir: &StateDir,
    job_state: &JobState,
    fire: Option<DateTime<Utc>>,
    opts: &RunOptions,
    markdown: &MarkdownRenderer,
    sleep: &Sleep,
) -> JobOutcome {
    let name = &j.job.name;
    let fail = |msg: String| failed(name, msg);
    let as_of = opts.as_of.unwrap_or_else(|| match fire {
        Some(f) => schedule::as_of_for(j, f),
        None => opts.now.with_timezone(&j.timezone).date_naive(),
    });
    let loaded = crate::dataset::load::load(&j.dataset);
    let Some(dataset) = loaded.dataset else {
        let first = loaded
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.to_string().lines().take(2).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        return fail(format!(
            "{}: {} problem(s) in the dataset (run `bilateral check {}`): {first}",
            j.dataset.display(),
            loaded.diagnostics.errors(),
            j.dataset.display()
        ));
    };
    let (since, until) = schedule::period(&j.job.period, as_of, job_state.last_as_of);
    let options = Options {
        since,
        until,
        fields: j.job.fields.clone(),
        party: None,
        // Always full: "changes since the last briefing" compares complete lists.
        detail: Detail::Full,
    };
    let mut briefing = match aggregate(&dataset, &options, as_of) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(prev) = job_state.last_delivered_as_of {
        match state_dir.snapshot(name, prev) {
            Ok(Some(snap)) => {
                briefing.changes = Some(crate::briefing::changes::changes(&snap, &briefing))
            }
            Ok(None) => {}
            Err(e) => return fail(e.to_string()),
        }
    }

    // Render everything, then write everything.
    let mut warnings = Vec::new();
    let mut rendered: Vec<(Format, Vec<u8>)> = Vec::new();
    for f in &j.formats {
        let bytes = match f {
            Format::Markdown => match markdown.render(&briefing) {
                Ok(b) => b,
                Err(e) => return fail(e.to_string()),
            },
            Format::Json => json::render(&briefing),
            Format::Pdf => match pdf::render(&briefing, &PdfOptions::default()) {
                Ok(p) => {
                    warnings.extend(p.warnings);
                    p.bytes
                }
                Err(e) => return fail(e.to_string()),
            },
        };
        rendered.push((*f, bytes));
    }
    let (a, b) = briefing.pair_codes();
    let pair = format!("{}-{}", a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let stem = base.join(fill(&j.job.output, name, &pair, as_of));
    let mut files = Vec::new();
    for (f, bytes) in &rendered {
        let path = PathBuf::from(format!("{}.{}", stem.display(), f.extension()));
        if let Some(dir) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return fail(format!("{}: cannot create the folder: {e}", dir.display()));
            }
            remove_stale_temps(dir);
        }
        if let Err(e) = crate::base::atomic::write_atomic(&path, bytes) {
            return fail(format!("{}: cannot write: {e}", path.display()));
        }
        files.push(path);
    }

    // Deliver.
    let unchanged = j.job.skip_unchanged && briefing.changes.as_ref().is_some_and(|c| c.is_empty());
    let mut outcome = JobOutcome {
        name: name.clone(),
        status: Status::Ok,
        as_of: Some(as_of),
        files: files.clone(),
        delivery: "files".into(),
        elapsed: Duration::ZERO,
        warnings,
    };
    if let Some(mail) = &j.job.email {
        if unchanged {
            outcome.status = Status::Unchanged;
            outcome.delivery = "skipped: unchanged".into();
            return outcome;
        }
        let Some(smtp) = &jobs.smtp else {
            return fail("the job sends email but the jobs file has no [smtp] server".into());
        };
        let attachments: Vec<FileAttachment> = rendered
            .iter()
            .zip(&files)
            .filter(|((f, _), _)| {
                *f == Format::Pdf || (*f == Format::Markdown && mail.attach_markdown)
            })
            .map(|((f, bytes), path)| FileAttachment {
                filename: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                content_type: f.mime_type().to_string(),
                bytes: bytes.clone(),
            })
            .collect();
        let addressing = Addressing {
            from: mail.from.clone(),
            to: mail.to.clone(),
            cc: mail.cc.clone(),
            subject: mail.subject.clone(),
        };
        let message = match email::compose(&briefing, &addressing, &attachments) {
            Ok(m) => m,
            Err(e) => {
                return JobOutcome {
                    status: Status::Failed(e.to_string()),
                    ..outcome
                }
            }
        };
        let creds = match email::credentials(smtp, base) {
            Ok(c) => c,
            Err(e) => {
                return JobOutcome {
                    status: Status::Failed(e.to_string()),
                    ..outcome
                }
            }
        };
        match email::send(smtp, creds, &message, sleep) {
            Ok(sent) => {
                outcome.delivery = format!(
                    "email ({} attempt{})",
                    sent.attempts,
                    if sent.attempts == 1 { "" } else { "s" }
                );
            }
            Err(e) => {
                outcome.status = Status::Failed(format!("{e}; the briefing stays on disk"));
                outcome.delivery = "email failed".into();
                return outcome;
            }
        }
    }
    if let Err(e) = state_dir.archive(name, &briefing) {
        outcome.status = Status::Failed(format!("delivered, but cannot archive the briefing: {e}"));
    }
    outcome
}
